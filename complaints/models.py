"""The complaint, its state machine, audit events, messages, attachments, API keys and
the notification outbox.

State changes happen only through the lifecycle's commit path
(`complaints.lifecycle.engine`); the complaint's django-fsm edges come from the action
registry (`complaints.lifecycle.actions`), see docs/architecture.md.
"""

import datetime as dt
import hashlib
import hmac
import math
import re
import secrets
from typing import NamedTuple

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin

from areas.models import Area
from routing.models import Category, Unit

from . import roles
from .lifecycle import actions as lifecycle_actions
from .lifecycle.fsm import LifecycleEdges
from .lifecycle.states import (ACTIVE_WORK, CLOCK_RUNS, NOT_DONE, OPEN_STATES,  # noqa: F401 (re-exported for readers)
                               TERMINAL_STATES, State)

# Crockford-style alphabet: no 0/O, 1/I/L, U, so codes survive being read over the phone.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_tracking_code():
    part = lambda: "".join(secrets.choice(CODE_ALPHABET) for _ in range(4))  # noqa: E731
    return f"ADU-{part()}-{part()}"


def hash_token(token):
    # Tokens are 32 random bytes, so a keyed fast hash is enough (no password stretching).
    return hmac.new(settings.SECRET_KEY.encode(), token.encode(), hashlib.sha256).hexdigest()


class Kind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    FEEDBACK = "feedback", _("Feedback")
    INFORMATION_REQUEST = "information_request", _("Information request")


class IdentityMode(models.TextChoices):
    NAMED = "named", _("Named")
    CONFIDENTIAL = "confidential", _("Confidential")
    ANONYMOUS = "anonymous", _("Anonymous")


class Channel(models.TextChoices):
    """How the complaint reached the city. The citizen files web and Open311 reports
    themselves; staff file the phone, walk-in and letter ones on their behalf."""

    WEB = "web", _("Web form")
    OPEN311 = "open311", _("Open311 app")
    EMAIL = "email", _("E-mail")
    WHATSAPP = "whatsapp", _("WhatsApp")
    SMS = "sms", _("SMS")
    PHONE = "phone", _("Phone call")
    WALK_IN = "walk_in", _("Walk-in")
    LETTER = "letter", _("Letter")


# The channels a staff member may file on a citizen's behalf (complaints.staff.filing).
STAFF_CHANNELS = (Channel.PHONE, Channel.WALK_IN, Channel.LETTER)


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    PRIVATE = "private", _("Private")


class RejectReason(models.TextChoices):
    SPAM = "spam", _("Spam")
    OUT_OF_SCOPE = "out_of_scope", _("Out of scope")
    NOT_ENOUGH_INFORMATION = "not_enough_information", _("Not enough information")
    OTHER = "other", _("Other")


class Outcome(models.TextChoices):
    FIXED = "fixed", _("Fixed")
    PARTLY_FIXED = "partly_fixed", _("Partly fixed")
    CANNOT_FIX = "cannot_fix", _("Cannot be fixed")
    NOT_OUR_AUTHORITY = "not_our_authority", _("Not our authority (referred)")
    ANSWERED = "answered", _("Answered")


# Shown to citizens beside the free-text fields (description, address, answers): the
# one declaration of this warning, so every step that asks for free text says the same.
FREE_TEXT_IDENTITY_WARNING = _(
    "Want to stay confidential or anonymous? Do not write your name, phone number or e-mail "
    "address in the text: the officers handling your report read it."
)


def private_by_rule(category, visibility, identity_mode):
    """(visibility, identity mode) as a category's rules allow: abuse-of-power (sensitive)
    reports are always private and never name the reporter to handlers."""
    if not category.sensitive:
        return visibility, identity_mode
    return Visibility.PRIVATE, (IdentityMode.CONFIDENTIAL if identity_mode == IdentityMode.NAMED else identity_mode)


# Metres per degree of latitude (and of longitude at the equator): exact enough for a
# publication grid of tens or hundreds of metres.
METRES_PER_DEGREE = 111_320.0


class PublicPoint(NamedTuple):
    latitude: float
    longitude: float
    grid_m: int  # the side of the cell whose centre this is


def grid_cell_centre(latitude, longitude, grid_m):
    """The centre of the cell of a `grid_m` metre grid that holds the point. Rows are
    `grid_m` tall; a row's cells are `grid_m` wide at the row's centre latitude, so every
    point of a cell snaps to the same centre and the centre tells nothing finer."""
    step_lat = grid_m / METRES_PER_DEGREE
    centre_lat = min(90.0, max(-90.0, (math.floor(float(latitude) / step_lat) + 0.5) * step_lat))
    step_lon = min(360.0, step_lat / max(math.cos(math.radians(centre_lat)), 1e-9))
    centre_lon = (math.floor((float(longitude) + 180.0) / step_lon) + 0.5) * step_lon - 180.0
    centre_lon = min(180.0, centre_lon)
    return PublicPoint(round(centre_lat, 6), round(centre_lon, 6), grid_m)


# The published rows that an index can select on (Complaint.published adds the category's
# sensitivity, a join). Used by the public list, Open311 and the index complaint_published_new.
PUBLISHED_Q = models.Q(visibility=Visibility.PUBLIC, triaged_at__isnull=False,
                       public_summary_approved_at__isnull=False)
# The expression of the GIN index complaint_public_text (migration 0009).
PUBLIC_TEXT_SQL = ("to_tsvector('simple'::regconfig, (\"complaints_complaint\".\"public_title\")::text"
                   " || ' ' || \"complaints_complaint\".\"public_summary\")")
# Words of a search: letters and digits only, so a word can go into a tsquery literal as is.
TEXT_WORD = re.compile(r"\w+")


class ComplaintQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The complaints a staff user may open (permissions.can_view as a query)."""
        return self.filter(roles.visible_q(user))

    def in_unit_scope(self, user):
        """The complaints a user handles through unit membership (their inbox)."""
        return self.filter(roles.unit_scope_q(user))

    def for_lists(self):
        """What a list row shows, in the same query."""
        return self.select_related("category", "category__sla_policy", "responsible_unit", "assignee")

    def published(self):
        """What may be shown to the public anywhere (site, Open311): public, past triage,
        with a summary staff approved, never of a sensitive category. (PUBLISHED_Q is the
        part of it that the index complaint_published_new can hold.)"""
        return self.filter(PUBLISHED_Q, category__sensitive=False)

    def matching_published_text(self, query):
        """Complaints whose approved public title or summary contain every word of `query`
        (a word of three letters or more also matches as a prefix: "lubang" finds
        "lubangnya"). Never the citizen's own text. PostgreSQL: full-text search with the
        `simple` configuration (lower case, no stemming, no unaccent: the extension needs a
        superuser, and Indonesian is written without accents) through the GIN index
        complaint_public_text (migration 0009), kept current by the database itself;
        PUBLIC_TEXT_SQL must stay the index's expression, character for character, or the
        index is not used. SQLite: icontains on each word."""
        words = TEXT_WORD.findall(query.lower())[:8]
        if not words:
            return self.none()
        if connection.vendor != "postgresql":
            for word in words:
                self = self.filter(Q(public_title__icontains=word) | Q(public_summary__icontains=word))
            return self
        terms = " & ".join(f"'{w}':*" if len(w) >= 3 else f"'{w}'" for w in words)
        return self.filter(RawSQL(f"{PUBLIC_TEXT_SQL} @@ to_tsquery('simple', %s)", [terms],
                                  output_field=models.BooleanField()))


class Complaint(LifecycleEdges, FSMModelMixin, models.Model):
    """A report of any kind. Its state changes only through the lifecycle's commit path
    (complaints.lifecycle.engine.perform); the django-fsm edges come from the action
    registry (LifecycleEdges)."""

    # The named state sets, declared once in lifecycle.states (a leaf module the registry
    # shares), on the model where rules read them: Complaint.OPEN_STATES and so on.
    OPEN_STATES = OPEN_STATES
    NOT_DONE = NOT_DONE
    TERMINAL_STATES = TERMINAL_STATES
    ACTIVE_WORK = ACTIVE_WORK
    CLOCK_RUNS = CLOCK_RUNS

    tracking_code = models.CharField(_("tracking code"), max_length=13, unique=True, editable=False)
    access_token_hash = models.CharField(max_length=64, editable=False)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices, default=Kind.COMPLAINT)
    language = models.CharField(_("filing language"), max_length=8, default="id")
    # db_default too: generated benchmark history inserts rows without naming the column.
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices,
                               default=Channel.WEB, db_default=Channel.WEB)
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    # A keyed digest of what was submitted (complaints.lifecycle.filing.content_hash): the same key
    # with other content is another report, never a resend.
    content_hash = models.CharField(max_length=64, blank=True, editable=False)

    # What the citizen wrote. Never published as is: the public sees the approved summary.
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="complaints"
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    # The kecamatan or kelurahan/desa: chosen by the citizen or found from the point at
    # filing, corrected by triage (set_area). Indexed (a ForeignKey's default) for the early
    # warning's per-area series, systemic.worker.scan_series: area_id IN (the kecamatan
    # and its villages) AND category_id = ? AND submitted_at >= ?. Empty for complaints
    # filed before areas were loaded, or with neither a choice nor a point inside the city.
    area = models.ForeignKey(Area, verbose_name=_("area"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", db_index=True)
    media_url = models.URLField(_("media link"), max_length=500, blank=True)

    # Who reported it. Anonymous complaints store none of this.
    identity_mode = models.CharField(
        _("identity mode"), max_length=16, choices=IdentityMode.choices, default=IdentityMode.NAMED
    )
    reporter_name = models.CharField(_("name"), max_length=200, blank=True)
    reporter_email = models.EmailField(_("e-mail"), blank=True)
    reporter_phone = models.CharField(_("phone"), max_length=40, blank=True)
    reporter_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="filed_complaints",
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    public_title = models.CharField(_("public title"), max_length=200, blank=True)
    public_summary = models.TextField(_("public summary"), blank=True)
    public_summary_approved_at = models.DateTimeField(null=True, blank=True)
    # Approved with the public summary (the publish form): the location text the public
    # sees (written by the officer, never the citizen's address) and whether the
    # citizen's media link may be shown.
    public_location = models.CharField(_("public location"), max_length=300, blank=True)
    public_media_approved = models.BooleanField(_("media link approved for publication"), default=False)

    state = FSMField(_("status"), default=State.SUBMITTED, choices=State.choices, protected=True)
    responsible_unit = models.ForeignKey(
        Unit, verbose_name=_("responsible unit"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="complaints",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assignee"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="assigned_complaints",
    )
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates"
    )
    # The unit an abuse-of-power complaint is about, named by oversight when it declassifies
    # the complaint; routing refuses it and its sub-units from then on (lifecycle.handlers.routed_unit).
    subject_unit = models.ForeignKey(
        Unit, verbose_name=_("unit complained about"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    # When oversight last took the complaint out of a sensitive category: what happened
    # until then stays with the readers of sensitive complaints
    # (permissions.sensitive_history_reading).
    declassified_at = models.DateTimeField(null=True, blank=True)
    reject_reason = models.CharField(max_length=32, choices=RejectReason.choices, blank=True)
    reject_message = models.TextField(blank=True)
    outcome = models.CharField(_("outcome"), max_length=24, choices=Outcome.choices, blank=True)
    resolution_summary = models.TextField(_("resolution summary"), blank=True)
    referred_to = models.CharField(_("referred to"), max_length=200, blank=True)
    # Resolution with proof (routing.Category.resolution_evidence): the kind of proof the
    # last resolution carried ("photo": an Attachment of purpose "resolution"; "document":
    # resolution_reference), and who resolved (a verifier must be someone else).
    resolution_evidence = models.CharField(_("resolution evidence"), max_length=10, blank=True)
    resolution_reference = models.CharField(_("document reference"), max_length=200, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("resolved by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    # The verifier step (routing.Category.needs_verification): its due date, set at each
    # resolve into `verifying`; when the resolution was verified; how often it was sent back.
    verification_due_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    sent_back_count = models.PositiveIntegerField(default=0)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    rating_comment = models.TextField(blank=True)
    reopen_count = models.PositiveIntegerField(default=0)
    # The citizen asked oversight to review the rejection or duplicate marking, and oversight
    # has not decided yet (request_review; uphold_review and overturn_review clear it). One
    # pending request at a time; the oversight inbox's "review requested" list reads it.
    review_requested_at = models.DateTimeField(null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(default=0)
    # The verifier's lateness, apart from the unit's (escalation_level): the sweep escalates a
    # verification past verification_due_at to level 1, then 2, once each per verification
    # (each resolve into `verifying` starts again at 0). The public figures never read it.
    verification_escalation_level = models.PositiveSmallIntegerField(default=0)
    # The classifier's top units: [[unit_code, probability], ...].
    suggested_units = models.JSONField(default=list, blank=True)

    # Metric timestamps (docs/architecture.md, "Public metrics") and due dates.
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    submitted_at = models.DateTimeField(default=timezone.now)
    triaged_at = models.DateTimeField(null=True, blank=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    final_resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    triage_due_at = models.DateTimeField(null=True, blank=True)
    response_due_at = models.DateTimeField(null=True, blank=True)
    resolution_due_at = models.DateTimeField(null=True, blank=True)
    appeal_due_at = models.DateTimeField(null=True, blank=True)
    # While waiting for the citizen: when the wait began, where to return, when it times out.
    info_requested_at = models.DateTimeField(null=True, blank=True)
    info_due_at = models.DateTimeField(null=True, blank=True)
    info_return_state = models.CharField(max_length=16, blank=True)
    paused_seconds = models.BigIntegerField(default=0)  # working time spent in needs_info

    # Head of the audit chain: the last event's MAC, the count, and a seal over both.
    audit_head = models.CharField(max_length=64, blank=True, editable=False)
    audit_count = models.PositiveIntegerField(default=0, editable=False)
    audit_seal = models.CharField(max_length=64, blank=True, editable=False)
    # Set when a privacy officer approved the citizen's request to stop processing or to
    # erase (DataSubjectRequest): no e-mail goes to the citizen any more.
    processing_restricted_at = models.DateTimeField(null=True, blank=True)
    # When its personal data was erased (complaints.erasure): retention or the subject's request.
    personal_data_erased_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        indexes = [
            models.Index(fields=["state", "submitted_at"]),
            models.Index(fields=["responsible_unit", "state"]),
            models.Index(fields=["visibility", "state"]),
            # The public list and Open311's GET requests.json (newest first, optionally within
            # a window of submission dates) walk the published rows only, newest first.
            models.Index(fields=["-submitted_at", "-id"], name="complaint_published_new", condition=PUBLISHED_Q),
            # "Open and past due" on the dashboard, and the staff performance page's "overdue
            # now" per unit and open load per officer (dashboard.staff), read only open
            # complaints: a partial, covering index answers them from the index alone
            # (PostgreSQL; SQLite ignores the included columns), bounded by the backlog
            # rather than by history. `state` and `assignee` are included for the overdue
            # rule (clock.overdue_q tests the state) and the per-officer load.
            models.Index(
                fields=["submitted_at"], name="complaint_open_submitted",
                condition=models.Q(state__in=[s.value for s in OPEN_STATES]),
                include=["responsible_unit", "category", "triaged_at", "first_response_at", "resolved_at",
                         "triage_due_at", "response_due_at", "resolution_due_at", "state", "assignee"],
            ),
            # The summaries queue (staff.queries.triage._summary_rows): public, routed, no
            # approved summary, ORDER BY triaged_at, id: read in order from the index, its
            # bounded count too, instead of sorting a history that keeps growing.
            models.Index(
                fields=["triaged_at", "id"], name="complaint_summary_queue",
                condition=models.Q(visibility=Visibility.PUBLIC, triaged_at__isnull=False,
                                   public_summary_approved_at__isnull=True),
            ),
            # The admin changelist: every complaint ORDER BY submitted_at DESC, id DESC (the
            # model's ordering with the admin's pk tie-break) LIMIT 100, one page at a time.
            models.Index(fields=["-submitted_at", "-id"], name="complaint_submitted_new"),
            # Oversight's "appeals" list: WHERE state IN (the ended states) ORDER BY updated_at
            # DESC, id DESC LIMIT 50 (sorting every ended complaint took 2.7 s at 1M).
            models.Index(fields=["-updated_at", "-id"], name="complaint_ended_updated",
                         condition=models.Q(state__in=[s.value for s in TERMINAL_STATES])),
            # Oversight's "Review requested" list and its count: WHERE review_requested_at IS
            # NOT NULL ORDER BY review_requested_at (a handful among a million).
            models.Index(fields=["review_requested_at", "id"], name="complaint_review_requested",
                         condition=models.Q(review_requested_at__isnull=False)),
        ]

    def __str__(self):
        return self.tracking_code

    @property
    def has_ended(self):
        """Closed, rejected, a duplicate or withdrawn: no clock runs for a step not reached."""
        return self.state in TERMINAL_STATES

    def decided_at(self):
        """When the complaint was last rejected or marked a duplicate (the start of the
        citizen's window to ask for a review), or None."""
        return (Event.objects.filter(complaint=self, action__in=("reject", "mark_duplicate"))
                .order_by("-seq").values_list("created_at", flat=True).first())

    @property
    def resolution_announced(self):
        """The citizen and the public are told it is resolved: resolved (after the
        verifier's confirmation where the category needs one), or closed after that."""
        return self.state in (State.RESOLVED, State.CLOSED) and bool(self.outcome)

    @property
    def resolved_with_proof(self):
        """Announced as resolved, and the resolution carried the proof its category asks
        for (a photo of the finished work or a document reference)."""
        return self.resolution_announced and bool(self.resolution_evidence)

    @property
    def reads_are_recorded(self):
        """Reads of confidential and abuse-of-power complaints are logged (ReadRecord)."""
        return self.category.sensitive or self.identity_mode == IdentityMode.CONFIDENTIAL

    def check_token(self, token):
        return bool(token) and hmac.compare_digest(self.access_token_hash, hash_token(token))

    def set_new_token(self, token=None):
        """Store the hash of `token` (a new random one when not given) and return it."""
        token = token or secrets.token_urlsafe(32)
        self.access_token_hash = hash_token(token)
        return token

    # --- what the public may see of where it is (every public surface asks these) -----
    def public_point(self):
        """The only point a public surface may show: the centre of the cell of a
        PUBLIC_LOCATION_GRID_M metre grid (setting, 100 m by default) that holds the
        reported point, never the point itself (often the reporter's home). None without
        a point, and for private or sensitive complaints, whose location is never
        published. Open311 (JSON and XML) and the public page call it; the CSV export and
        the live ticker carry no location today, and one added to them (or to any later
        surface: maps, area pages) must come from here."""
        if self.latitude is None or self.longitude is None:
            return None
        if self.visibility != Visibility.PUBLIC or self.category.sensitive:
            return None
        return grid_cell_centre(self.latitude, self.longitude, settings.PUBLIC_LOCATION_GRID_M)

    def public_area(self):
        """The area a public surface may name: like the point, never for private or
        sensitive complaints (an area is not identity, but where an abuse-of-power report
        comes from can point to who made it). None without an area."""
        if self.area_id is None or self.visibility != Visibility.PUBLIC or self.category.sensitive:
            return None
        return self.area

    def public_place(self):
        """The location text every public surface shows: what triage wrote and approved on
        the publish form (never the citizen's address), else the public area's name."""
        if self.public_location:
            return self.public_location
        area = self.public_area()
        return str(area) if area else ""

    def public_media_url(self):
        """The citizen's media link, only when triage approved showing it."""
        return self.media_url if self.public_media_approved else ""


class ApiKey(models.Model):
    """A key for the Open311 API. Only its hash is stored; the key is shown once."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    prefix = models.CharField(max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self):
        return self.name

    @staticmethod
    def hash_key(raw):
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def issue(cls, name):
        raw = "adu_" + secrets.token_urlsafe(30)
        key = cls.objects.create(name=name, prefix=raw[:10], key_hash=cls.hash_key(raw))
        return key, raw

    @classmethod
    def lookup(cls, raw):
        if not raw:
            return None
        return cls.objects.filter(key_hash=cls.hash_key(raw), revoked_at__isnull=True).first()


class Actor(models.TextChoices):
    USER = "user", _("Staff user")
    CITIZEN = "citizen", _("Citizen")
    API_KEY = "api_key", _("API key")
    SYSTEM = "system", _("System")


# What pages show in place of an erased personal part of an audit event.
ERASED = _("(erased)")


class Event(models.Model):
    """Append-only audit record, HMAC-chained per complaint (see complaints.audit)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    # The action's name (complaints.lifecycle.actions), "filed" for filing. The column and
    # the canonical serialisation keep the name "kind", so stored chains still verify.
    action = models.CharField(max_length=40, db_column="kind")
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16, blank=True)
    actor_type = models.CharField(max_length=10, choices=Actor.choices)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_api_key = models.ForeignKey(
        ApiKey, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True)
    public = models.BooleanField(default=False)  # shown on the citizen's timeline
    # The facts (complaints.audit): everything but the keys its action declares personal.
    data = models.JSONField(default=dict, blank=True)
    # The personal part, stored apart so that it can be erased (complaints.redaction); the MAC
    # covers only its commitment, sha256(salt || canonical(personal)), with a random salt per
    # event that is erased with it (names have too little entropy for an unsalted hash).
    personal = models.JSONField(default=dict, blank=True)
    personal_salt = models.CharField(max_length=32, blank=True)  # hex of 16 random bytes
    # The commitment: "" when the event has no personal part; NULL for an event sealed before
    # the split (its MAC covers `data` whole) until complaints.reseal re-seals its chain.
    personal_hash = models.CharField(max_length=64, null=True, blank=True)
    personal_erased_at = models.DateTimeField(null=True, blank=True)
    # A re-sealed event's MAC in the old chain, which published roots may have anchored.
    legacy_mac = models.CharField(max_length=64, blank=True)
    prev_mac = models.CharField(max_length=64, blank=True)
    mac = models.CharField(max_length=64)

    class Meta:
        ordering = ["complaint_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "seq"], name="event_unique_seq")
        ]

    def __str__(self):
        return f"{self.complaint_id}#{self.seq} {self.action}"

    @property
    def label(self):
        """What happened, in the reader's language."""
        return lifecycle_actions.label(self.action)

    @property
    def to_state_label(self):
        return State(self.to_state).label if self.to_state in State.values else self.to_state

    @property
    def actor_display(self):
        if self.actor_type == Actor.CITIZEN:
            return _("the citizen")
        if self.actor_type == Actor.SYSTEM:
            return _("the system (%(what)s)") % {"what": self.actor_label}
        return self.actor_label

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("Audit events are append-only.")

    def canonical(self):
        """What the MAC covers (complaints.audit.canonical)."""
        from .audit import canonical

        return canonical(self)

    @property
    def erased(self):
        return self.personal_erased_at is not None

    @property
    def payload(self):
        """The event's data as recorded, for reading: the facts with the personal part, or
        "(erased)" for each personal key its action declares once it was erased."""
        payload = dict(self.data or {})
        if self.erased:
            marker = str(ERASED)
            for key in lifecycle_actions.personal_keys(self.action) or ("personal",):
                payload[key] = marker
        else:
            payload.update(self.personal or {})
        return payload


class Message(models.Model):
    """A public reply, a citizen's comment or an internal note on a complaint."""

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public reply")
        INTERNAL = "internal", _("Internal note")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="messages")
    visibility = models.CharField(max_length=10, choices=Visibility.choices)
    author_type = models.CharField(max_length=10, choices=Actor.choices)
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.complaint_id} {self.visibility} {self.created_at:%Y-%m-%d}"


class AccessLink(models.Model):
    """A link code sent to the citizen by e-mail (complaints.citizen.tokens): it opens the
    tracking page with the scopes of its purpose, once, until it expires. Only a hash of
    the code is stored; the code itself exists only in the e-mail."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="access_links")
    purpose = models.CharField(max_length=16)
    code_hash = models.CharField(max_length=64, unique=True)
    # The complaint's key when the link was made: replacing the key kills its links.
    token_fingerprint = models.CharField(max_length=12)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.complaint_id} {self.purpose} {self.created_at:%Y-%m-%d}"


def attachment_path(instance, filename):
    # Random names: the citizen's file name may itself be personal data.
    return f"attachments/{timezone.now():%Y/%m}/{secrets.token_hex(16)}{instance.extension}"


class Attachment(models.Model):
    class Purpose(models.TextChoices):
        CITIZEN = "citizen", _("from the citizen")
        RESOLUTION = "resolution", _("proof of the resolution")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    purpose = models.CharField(max_length=10, choices=Purpose.choices, default=Purpose.CITIZEN)
    file = models.FileField(upload_to=attachment_path)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    original_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    @property
    def extension(self):
        return {
            "image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp",
            "application/pdf": ".pdf",
        }.get(self.content_type, "")

    @classmethod
    def from_upload(cls, complaint, clean, **fields):
        """An attachment of a cleaned upload (complaints.uploads.clean_upload), its file
        written to storage now; the row is the caller's to save. Should the transaction roll
        back, the file stays behind unreferenced (storage is not transactional)."""
        attachment = cls(complaint=complaint, content_type=clean.content_type, size=len(clean.data), **fields)
        attachment.file.save(f"upload{attachment.extension}", ContentFile(clean.data), save=False)
        return attachment

    @classmethod
    def store_uploads(cls, complaint, files):
        """The citizen's cleaned uploads (web form, tracking page, e-mail) as attachments."""
        for clean in files:
            cls.from_upload(complaint, clean, original_name=clean.name).save()

    def __str__(self):
        return f"{self.complaint_id} {self.content_type}"


class Notification(models.Model):
    """A row of the transactional outbox: written with the change that causes it,
    sent later by `run_worker`."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    complaint = models.ForeignKey(
        Complaint, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40)
    to_email = models.EmailField(blank=True)
    # An SMS (complaints.sms) instead of an e-mail when set: the citizen came by SMS.
    to_phone = models.CharField(max_length=40, blank=True)
    language = models.CharField(max_length=8, default="id")
    subject = models.CharField(max_length=250)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Anonymous receipts: the address is used once, then erased with the body.
    erase_after_send = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        # Never the address: this text is the heading of admin pages and log lines, and the
        # recipient may be a confidential or anonymous reporter.
        return f"{self.kind} #{self.pk} [{self.status}]"


class ReadRecord(models.Model):
    """One staff read of a confidential or abuse-of-power complaint (its page, its audit
    trail, an attachment or its admin page): who and when, for oversight.

    Its own append-only log, not audit events: staff forms carry the length of the audit
    chain as their version, so a colleague's read must never make an open form stale."""

    class Page(models.TextChoices):
        COMPLAINT = "complaint", _("complaint page")
        AUDIT = "audit", _("audit trail")
        ATTACHMENT = "attachment", _("attachment")
        ADMIN = "admin", _("admin page")

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    page = models.CharField(max_length=12, choices=Page.choices)
    # A number, not a foreign key: erasing an attachment must not rewrite this log.
    attachment_pk = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["complaint_id", "at", "pk"]
        indexes = [models.Index(fields=["complaint", "at"])]
        verbose_name = _("read of a protected complaint")
        verbose_name_plural = _("reads of protected complaints")

    def __str__(self):
        return f"{self.complaint_id} {self.page} {self.at:%Y-%m-%d %H:%M}"

    @classmethod
    def record(cls, user, complaint, page, attachment=None):
        """Log the read when the complaint's reads are recorded; otherwise do nothing."""
        if not complaint.reads_are_recorded:
            return None
        return cls.objects.create(complaint=complaint, user=user, page=page,
                                  attachment_pk=attachment.pk if attachment else None)

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("The read log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("The read log is append-only.")


class TemplatePlaceholders:
    """The placeholders a response template may use, and their values for one complaint.

    Deliberately nothing about the reporter: a template's text reaches the citizen and the
    staff page of every officer, so it can never carry a confidential reporter's identity."""

    NAMES = ("tracking_code", "unit", "due_date", "category")

    @staticmethod
    def parse(text):
        """The placeholder names in `text`; ValueError (with a message for staff) when the
        braces are malformed or a placeholder is not one of NAMES. Literal braces are
        written doubled: {{ and }}."""
        import string

        names = []
        try:
            parts = list(string.Formatter().parse(text or ""))
        except ValueError:
            raise ValueError(_("Unbalanced braces: a placeholder is written {tracking_code}; "
                               "write {{ or }} for a brace itself.")) from None
        for _literal, name, spec, conversion in parts:
            if name is None:
                continue
            if name not in TemplatePlaceholders.NAMES or spec or conversion:
                raise ValueError(_("Unknown placeholder {%(name)s}. Allowed: %(allowed)s.") % {
                    "name": name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else ""),
                    "allowed": ", ".join("{%s}" % n for n in TemplatePlaceholders.NAMES)})
            names.append(name)
        return names

    @staticmethod
    def values(complaint, language):
        """The placeholders' values for `complaint` in `language` ("id" or "en")."""
        from django.utils import formats, translation

        with translation.override(language):
            unit = complaint.responsible_unit
            # The date the citizen waits for now: the unit's resolution target once routed,
            # the triage desk's before.
            due = complaint.resolution_due_at if complaint.responsible_unit_id else complaint.triage_due_at
            return {
                "tracking_code": complaint.tracking_code,
                "unit": unit.name if unit else str(_("the complaints desk")),
                "due_date": formats.date_format(timezone.localtime(due), "DATE_FORMAT") if due else "-",
                "category": complaint.category.name if complaint.category_id else "",
            }

    @staticmethod
    def fill(text, values):
        """`text` with its placeholders replaced; only plain names are looked up (no
        attribute or index access), so a template can read nothing but `values`."""
        import string

        out = []
        for literal, name, _spec, _conversion in string.Formatter().parse(text or ""):
            out.append(literal)
            if name is not None:
                out.append(values.get(name, ""))
        return "".join(out)


class ResponseTemplateQuerySet(models.QuerySet):
    def for_action(self, action, complaint, choice=""):
        """The active templates usable for `action` on `complaint`, best first: those that
        fit the chosen outcome (resolve) or reason (reject) -- for it or for any; with none
        chosen, those for any -- before the others; within them the most specific first
        (for the chosen outcome or reason, then category and unit, category only, unit
        only, neither)."""
        rows = self.filter(action=action, active=True).filter(
            Q(category__isnull=True) | Q(category_id=complaint.category_id),
            Q(unit__isnull=True) | Q(unit_id=complaint.responsible_unit_id),
        ).select_related("category", "unit")
        return sorted(rows, key=lambda t: (not t.fits(choice), -t.specificity(choice), t.name.lower(), t.pk))

    def editable_by(self, user):
        """What the staff page lets `user` edit: administrators every template, supervisors
        those of the units they supervise (never the shared ones: those speak for everyone)."""
        if roles.has_role(user, roles.ADMIN):
            return self.all()
        return self.filter(unit_id__in=roles.supervised_unit_ids(user))

    def best_for(self, action, complaint, choice=""):
        """The template pre-selected for `action`: the first of for_action if it fits."""
        found = self.for_action(action, complaint, choice)
        return found[0] if found and found[0].fits(choice) else None


class ResponseTemplate(models.Model):
    """A text an officer starts from for a reply, a request for information, a resolution
    (per outcome) or a rejection (per reason), per category and/or unit (blank: any), in
    both languages, with placeholders (TemplatePlaceholders) filled in when offered."""

    class Action(models.TextChoices):
        REPLY = "reply", _("Reply publicly")
        REQUEST_INFO = "request_info", _("Ask the citizen for information")
        RESOLVE = "resolve", _("Resolve")
        REJECT = "reject", _("Reject")

    name = models.CharField(_("name"), max_length=120)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    # The resolve outcome or the reject reason it is for (blank: any).
    choice = models.CharField(_("outcome or reason"), max_length=32, blank=True,
                              help_text=_("Resolve: the outcome it is for. Reject: the reason. Blank: any."))
    category = models.ForeignKey(Category, verbose_name=_("category"), null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="+",
                                 help_text=_("Blank: any category."))
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="+",
                             help_text=_("Blank: any unit."))
    text_id = models.TextField(_("text (Indonesian)"), max_length=10000)
    text_en = models.TextField(_("text (English)"), max_length=10000)
    active = models.BooleanField(_("active"), default=True)

    objects = ResponseTemplateQuerySet.as_manager()

    class Meta:
        ordering = ["action", "choice", "name", "pk"]
        # ResponseTemplate.objects.for_action: the active templates of one action.
        indexes = [models.Index(fields=["action", "active"])]
        verbose_name = _("response template")
        verbose_name_plural = _("response templates")

    def __str__(self):
        return self.name

    @staticmethod
    def placeholder_names():
        return TemplatePlaceholders.NAMES

    @classmethod
    def choices_for(cls, action):
        return {"resolve": Outcome.choices, "reject": RejectReason.choices}.get(action, [])

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        allowed = dict(self.choices_for(self.action))
        if self.choice and self.choice not in allowed:
            errors["choice"] = (_("Only resolve (an outcome) and reject (a reason) templates have one.")
                                if not allowed else _("Choose one of: %(values)s.") % {
                                    "values": ", ".join(str(label) for label in allowed.values())})
        for name in ("text_id", "text_en"):
            value = getattr(self, name) or ""
            if "\x00" in value:
                errors[name] = _("The text contains a NUL character.")
                continue
            try:
                TemplatePlaceholders.parse(value)
            except ValueError as exc:
                errors[name] = str(exc)
        if errors:
            raise ValidationError(errors)

    def fits(self, choice):
        """Usable for this outcome or reason ("" = none chosen yet: only templates for any)."""
        return self.choice in ("", choice)

    def specificity(self, choice=""):
        return (4 if choice and self.choice == choice else 0) + self.scope

    @property
    def scope(self):
        """How narrowly it is scoped: category and unit 3, category 2, unit 1, neither 0."""
        return (2 if self.category_id else 0) + (1 if self.unit_id else 0)

    def text_for(self, language):
        return self.text_en if (language or "id")[:2] == "en" else self.text_id

    def render(self, complaint, language):
        """The text in `language` with the complaint's placeholders filled in."""
        language = "en" if (language or "id")[:2] == "en" else "id"
        return TemplatePlaceholders.fill(self.text_for(language), TemplatePlaceholders.values(complaint, language))

    @property
    def choice_label(self):
        return dict(self.choices_for(self.action)).get(self.choice, "")


class TransparencyRoot(models.Model):
    """A signed head of the Merkle tree over every complaint's audit-chain head, published
    at /transparency/ (complaints.transparency). Append-only: numbers run 1, 2, 3, ... and
    one number is inserted once, so two workers publishing at the same moment cannot both win."""

    number = models.PositiveIntegerField(unique=True)
    tree_size = models.PositiveIntegerField()
    root_hash = models.CharField(max_length=64)
    published_at = models.DateTimeField()
    signature = models.CharField(max_length=100)
    public_key = models.CharField(max_length=64)
    # The latest root's leaves (complaint id, event count, leaf hash per leaf index), so that
    # publishing and inclusion proofs need not replay AnchoredHead; emptied on older roots.
    leaves = models.BinaryField(blank=True, default=b"")

    class Meta:
        ordering = ["-number"]

    def __str__(self):
        return f"#{self.number} {self.root_hash[:16]}"

    def save(self, *args, **kwargs):
        if self.pk is not None and set(kwargs.get("update_fields") or ()) != {"leaves"}:
            raise RuntimeError("Published roots are append-only.")
        super().save(*args, **kwargs)


class AnchoredHead(models.Model):
    """A complaint's chain head as it entered a published root: one row when the complaint
    first enters the tree and one whenever its event count changed since the root before.
    Any root's leaves are rebuilt from these rows; the signed root tells whether they are true."""

    root = models.ForeignKey(TransparencyRoot, on_delete=models.PROTECT, related_name="anchored")
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="+")
    leaf_index = models.PositiveIntegerField()
    count = models.PositiveIntegerField()
    leaf_hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["root", "complaint"], name="anchoredhead_unique")
        ]
        indexes = [models.Index(fields=["complaint", "root"])]


class SubjectRequestKind(models.TextChoices):
    ERASE = "erase", _("Erase my personal data")
    STOP = "stop", _("Stop processing my report")
    ACCESS = "access", _("A copy of my data")


class SubjectObjection(models.TextChoices):
    """What the tracking page's request form offers (a copy is a download, not a request)."""

    ERASE = SubjectRequestKind.ERASE.value, SubjectRequestKind.ERASE.label
    STOP = SubjectRequestKind.STOP.value, SubjectRequestKind.STOP.label


class DataSubjectRequest(models.Model):
    """A citizen's request under UU 27/2022 about their complaint: erase its personal data,
    stop processing it, or a copy (recorded as decided at once: the download is the answer).
    A privacy officer decides erase and stop requests within SUBJECT_REQUEST_HOURS of the
    submission: the law counts hours, so the working-day calendar does not apply."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for a decision")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="subject_requests")
    kind = models.CharField(_("request"), max_length=8, choices=SubjectRequestKind.choices)
    state = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.TextField(_("reason given by the citizen"), blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    # Shown to the citizen on the tracking page.
    refusal_reason = models.TextField(_("reason for the refusal"), blank=True)

    class Meta:
        ordering = ["due_at", "pk"]
        constraints = [
            # One open request per complaint: a second one while it waits adds nothing.
            models.UniqueConstraint(fields=["complaint"], condition=models.Q(state="pending"),
                                    name="subjectrequest_one_pending"),
        ]
        indexes = [
            # The privacy officer's queue: state = 'pending' ORDER BY due_at.
            models.Index(fields=["state", "due_at"], name="subjectrequest_queue"),
        ]
        verbose_name = _("data subject request")
        verbose_name_plural = _("data subject requests")

    def __str__(self):
        return f"{self.complaint_id} {self.kind} [{self.state}]"

    @staticmethod
    def due_for(submitted_at):
        return submitted_at + dt.timedelta(hours=settings.SUBJECT_REQUEST_HOURS)

    def hours_left(self, now):
        """Whole hours until the deadline (negative once overdue)."""
        return math.floor((self.due_at - now).total_seconds() / 3600)

    def is_overdue(self, now):
        return self.state == self.Status.PENDING and now > self.due_at


class InboundMessage(models.Model):
    """One e-mail that reached the intake address (complaints.intake.mail), or one SMS that
    reached the gateway webhook (complaints.intake.sms: only its text, never the number), kept as it came
    whatever became of it: a complaint, a citizen's reply, or nothing (an auto-reply, a
    refused or unreadable message, a flood), so that no message is lost and triage can see
    what was not filed."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("received, not yet handled")
        FILED = "filed", _("filed as a complaint")
        REPLY = "reply", _("added to a complaint")
        IGNORED = "ignored", _("ignored (automatic message)")
        REJECTED = "rejected", _("refused")
        UNPARSED = "unparsed", _("could not be read")
        THROTTLED = "throttled", _("too many from this sender")

    class Via(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS")

    # The Message-ID's digest (or the raw bytes' when it has none; for an SMS, the gateway's
    # message id's): one message is handled once.
    message_key = models.CharField(max_length=64, unique=True)
    channel = models.CharField(max_length=8, choices=Via.choices, default=Via.EMAIL)
    received_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECEIVED)
    reason = models.CharField(max_length=300, blank=True)
    # A keyed digest of the sender's address: counts and correlates senders without the address.
    sender_hash = models.CharField(max_length=64, blank=True)
    subject = models.CharField(max_length=250, blank=True)
    size = models.PositiveIntegerField(default=0)
    raw = models.BinaryField()
    # Attachments refused, with why (clean_upload's messages).
    refused = models.JSONField(default=list, blank=True)
    complaint = models.ForeignKey(Complaint, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="inbound_messages")

    class Meta:
        indexes = [
            # The triage list: WHERE status IN (...) ORDER BY received_at DESC.
            models.Index(fields=["status", "received_at"], name="inbound_triage"),
            # The retention pass: WHERE complaint IS NULL AND received_at < cutoff.
            models.Index(fields=["received_at"], name="inbound_received"),
        ]

    def forget(self):
        """Keep that it came and what became of it, none of the message: about an anonymous
        report, the sender (the reporter's address) and the words are stored nowhere."""
        InboundMessage.objects.filter(pk=self.pk).update(raw=b"", sender_hash="", subject="", refused=[])

    def __str__(self):
        return f"inbound #{self.pk} [{self.status}]"
