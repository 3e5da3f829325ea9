"""Filing a complaint: the one function every channel calls (web form, Open311, seeding).

`validate` checks a submission once and returns a `Submission`; `file_complaint` stores it
through the same commit path as every transition (engine.commit: audit event, save,
domain events), then lets the system perform its automatic actions (sensitive routing,
confident auto-routing) through the public entry point, engine.perform.
"""

import hashlib
import json
import logging
from dataclasses import dataclass, fields

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from areas.models import Area, in_service_area
from routing import calendar
from routing.models import Category

from .. import roles, suggestions
from ..models import STAFF_CHANNELS, Channel, Complaint, IdentityMode, Kind, Visibility, new_tracking_code, private_by_rule
from ..permissions import ActorRef
from .engine import commit, perform
from .errors import InvalidArguments, TransitionError
from .handlers import do_file_complaint

log = logging.getLogger(__name__)

MIN_DESCRIPTION = 20


@dataclass(frozen=True)
class Submission:
    """A checked submission: every value is valid and the category's rules applied."""

    category: Category
    title: str
    description: str
    kind: str
    identity_mode: str
    visibility: str
    reporter_name: str
    reporter_email: str
    reporter_phone: str
    address: str
    latitude: float | None
    longitude: float | None
    area: Area | None
    media_url: str
    channel: str


@dataclass
class Filed:
    complaint: Complaint
    token: str | None  # None when an earlier submission with the same key was returned
    created: bool


class KeyReused(InvalidArguments):
    """The idempotency key already belongs to a submission with other content, and the
    caller asked for that to be refused rather than filed as a new report."""

    def __init__(self):
        super().__init__(_("This submission's idempotency key was already used for a report with "
                           "other content. Use a new key for a new report."))


# What a submission says, for recognising the same submission sent again.
CONTENT_FIELDS = ("category", "title", "description", "kind", "identity_mode", "visibility",
                  "reporter_name", "reporter_email", "reporter_phone", "address", "latitude",
                  "longitude", "media_url")


def content_hash(submission, extra=()):
    """A digest of a validated submission (and `extra`, e.g. its attachments' digests).
    Keyed with the server's secret and, for anonymous reports, without the receipt
    address: the stored digest must not let anyone confirm a guess of who wrote it."""
    values = {name: getattr(submission, name) for name in CONTENT_FIELDS}
    values["category"] = submission.category.code
    if submission.area is not None:  # absent from digests of reports filed without an area
        values["area"] = submission.area.code
    if submission.identity_mode == IdentityMode.ANONYMOUS:
        values["reporter_email"] = ""
    payload = json.dumps([values, list(extra)], sort_keys=True, default=str)
    return salted_hmac("aduan.filing.content", payload, algorithm="sha256").hexdigest()


def _filed_under(key, digest, refuse_changed):
    """(the key this content is filed under, the complaint already filed with it or None).
    A key taken by other content (a reused form: Back, a restored tab) is never a reason
    to drop the new content: it is filed under a key derived from both, so that sending
    that content again still finds it; or, when asked, refused."""
    existing = Complaint.objects.filter(idempotency_key=key).first()
    # An empty digest: filed before digests were kept; treated as the same content.
    if existing is None or existing.content_hash in ("", digest):
        return key, existing
    if refuse_changed:
        raise KeyReused()
    key = hashlib.sha256(f"{key}\x1f{digest}".encode()).hexdigest()
    return key, Complaint.objects.filter(idempotency_key=key).first()


def validate(data):
    """Check a submission; return a Submission or raise InvalidArguments with one message
    per field. Nothing is stored."""
    if isinstance(data, Submission):
        return data
    errors = {}
    category = data.get("category")
    if not isinstance(category, Category):
        category = Category.objects.filter(code=category or "", active=True).select_related(
            "default_unit", "sla_policy").first()
    if category is None or not category.active:
        errors["category"] = _("Choose a category.")
    title = (data.get("title") or "").strip()
    if not title:
        errors["title"] = _("Give your report a short title.")
    elif len(title) > 200:
        errors["title"] = _("Keep the title under 200 characters.")
    description = (data.get("description") or "").strip()
    if len(description) < MIN_DESCRIPTION:
        errors["description"] = _(
            "Describe the problem in at least %(n)d characters: what happened, where and since when."
        ) % {"n": MIN_DESCRIPTION}
    elif len(description) > 10000:
        errors["description"] = _("Keep the description under 10,000 characters.")
    kind = data.get("kind") or Kind.COMPLAINT
    if kind not in Kind.values:
        errors["kind"] = _("Choose what kind of report this is.")
    mode = data.get("identity_mode") or IdentityMode.NAMED
    if mode not in IdentityMode.values:
        errors["identity_mode"] = _("Choose how you want to be identified.")
    visibility = data.get("visibility") or Visibility.PRIVATE
    if visibility not in Visibility.values:
        errors["visibility"] = _("Choose who may see the report.")
    name = (data.get("reporter_name") or "").strip()[:200]
    email = (data.get("reporter_email") or "").strip()[:254]
    phone = (data.get("reporter_phone") or "").strip()[:40]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["reporter_email"] = _("Enter a valid e-mail address.")
    if phone and not all(ch.isdigit() or ch in "+-() " for ch in phone):
        errors["reporter_phone"] = _("Enter a phone number using digits, spaces, + and -.")
    if mode == IdentityMode.NAMED:
        if not name:
            errors["reporter_name"] = _("Give your name, or choose confidential or anonymous.")
        if not email and not phone:
            errors["reporter_email"] = _("Give an e-mail address or a phone number so the unit can reach you.")
    latitude, longitude = data.get("latitude"), data.get("longitude")
    address = (data.get("address") or "").strip()[:300]
    lat = lng = None
    if latitude not in (None, "") or longitude not in (None, ""):
        try:
            lat, lng = round(float(latitude), 6), round(float(longitude), 6)
            if not (-90 <= lat <= 90 and -180 <= lng <= 180):
                raise ValueError
        except (TypeError, ValueError):
            errors["latitude"] = _("Give both latitude and longitude as numbers, or leave both empty.")
        else:
            if not in_service_area(lat, lng):
                # A point no unit of this city serves: refused rather than filed unrouted.
                errors["latitude"] = _(
                    "This point lies outside the area this service covers. Mark a point inside "
                    "the city, or leave the coordinates empty and give the address.")
    channel = data.get("channel") or Channel.WEB
    if channel not in Channel.values:
        errors["channel"] = _("Choose how the report reached us.")
    area = None
    if data.get("area") not in (None, ""):
        area = Area.find(data.get("area"))
        if area is None:
            errors["area"] = _("Choose an area from the list.")
    elif lat is not None:
        # Only a point: its area. When both are given the citizen's choice stands, even if
        # the point lies elsewhere (a GPS fix is often where the citizen stands, not where
        # the problem is); triage corrects the area (set_area) when it is wrong.
        area = Area.locate(lat, lng)
    if category is not None and category.location_required and not address and lat is None:
        errors["address"] = _("This category needs a location: give an address or a point on the map.")
    if errors:
        raise InvalidArguments(_("Please correct the marked fields."), errors)
    visibility, mode = private_by_rule(category, visibility, mode)
    if mode == IdentityMode.ANONYMOUS:
        name, phone = "", ""  # the e-mail, if any, is used once for the receipt, then erased
    return Submission(
        category=category, title=title, description=description, kind=kind, identity_mode=mode,
        visibility=visibility, reporter_name=name, reporter_email=email, reporter_phone=phone,
        address=address, latitude=lat, longitude=lng, area=area,
        media_url=(data.get("media_url") or "").strip()[:500], channel=channel,
    )


def file_complaint(data, actor=None, *, language="id", idempotency_key=None, user=None, now=None,
                   extra_content=(), refuse_changed=False, token_for=None, admit=None, intake=None):
    """Store a new complaint from a Submission (or raw data, validated here). Returns
    Filed(complaint, token, created).

    The idempotency check: the same key with the same content (content_hash; `extra_content`
    is added to it) returns the complaint created the first time (created=False,
    token=None: the token exists only in the first answer), also when both arrive at once
    (the key is unique in the database). The same key with other content files a new
    complaint, or raises KeyReused when `refuse_changed`. `token_for(key)` makes the access
    token from the key the complaint is stored under (random otherwise). `admit()` is called
    only when a complaint is about to be created and may raise to refuse it (a rate limit
    that counts creations, not resends). `intake` ({"role": ..., "received_on": ...}) is what
    a staff member filing on the citizen's behalf adds to the filing event."""
    submission = validate(data)
    digest = content_hash(submission, extra_content)
    for _attempt in range(2):
        filed = _file_once(submission, digest, actor or ActorRef.citizen(), language=language,
                           key=idempotency_key, user=user, now=now or timezone.now(),
                           refuse_changed=refuse_changed, token_for=token_for, admit=admit,
                           intake=intake)
        if filed is not None:
            return filed
    raise IntegrityError("the idempotency key was taken twice by concurrent other content")


def _file_once(submission, digest, actor, *, language, key, user, now, refuse_changed, token_for, admit,
               intake=None):
    """One attempt; None when a concurrent submission with this key and other content won
    the race (the caller tries again and then sees it)."""
    if key:
        key, existing = _filed_under(key, digest, refuse_changed)
        if existing:
            return Filed(existing, None, False)
    if admit is not None:
        admit()
    try:
        with transaction.atomic():
            token = token_for(key) if token_for and key else None
            complaint, token, receipt_email = _insert(submission, language, key, digest, token, user, now)
            change = do_file_complaint(complaint, acting_user=actor, now=now, channel=submission.channel,
                                       intake=intake)
            commit(complaint, "filed", actor, now, change, from_state="", before=None,
                   receipt_email=receipt_email, token=token)
            for action, args in suggestions.automatic_actions(complaint):
                try:
                    with transaction.atomic():
                        perform(complaint, action, ActorRef.system("auto-routing"), now=now, **args)
                except TransitionError:
                    # Filing stands even when automatic routing cannot be done.
                    log.warning("automatic %s of %s refused", action, complaint.tracking_code)
    except IntegrityError:
        existing = Complaint.objects.filter(idempotency_key=key).first() if key else None
        if existing is None:
            raise
        if existing.content_hash in ("", digest):  # a concurrent identical submission won the race
            return Filed(existing, None, False)
        return None  # a concurrent different one took the key: try again under the derived key
    return Filed(Complaint.objects.get(pk=complaint.pk), token, True)


def _insert(submission, language, idempotency_key, digest, token, user, now):
    values = {f.name: getattr(submission, f.name) for f in fields(submission)}
    receipt_email = submission.reporter_email
    if submission.identity_mode == IdentityMode.ANONYMOUS:
        values["reporter_email"] = ""  # used once for the receipt (outbox), never stored here
    policy = submission.category.sla_policy
    complaint = Complaint(
        **values, language=language[:8],
        idempotency_key=idempotency_key or None, content_hash=digest,
        reporter_user=user if (user and submission.identity_mode != IdentityMode.ANONYMOUS) else None,
        submitted_at=now, created_at=now, updated_at=now,
        triage_due_at=calendar.add_target(now, policy.triage_target, policy.time_unit),
    )
    token = complaint.set_new_token(token)
    for _attempt in range(5):
        complaint.tracking_code = new_tracking_code()
        if not Complaint.objects.filter(tracking_code=complaint.tracking_code).exists():
            break
    # Suggestions are computed within the request (a few milliseconds).
    complaint.suggested_units = suggestions.suggest_for(complaint)
    complaint.save(force_insert=True)
    return complaint, token, receipt_email


def file_on_behalf(data, staff_user, *, received_on=None, language="id", idempotency_key=None):
    """A complaint that came by phone, in person or by letter, filed by a staff member for
    the citizen: the web form's filing (same checks, identity rules and receipt, sent to
    the e-mail address given), with the staff member as the filing event's actor and their
    role and the day it came in recorded with it. Raises NotPermitted for a user who may not
    take complaints, InvalidArguments for a channel other than phone, walk-in or letter."""
    from .errors import NotPermitted

    role = roles.intake_role(staff_user)
    if role is None:
        raise NotPermitted(_("You are not allowed to do this."))
    if data.get("channel") not in STAFF_CHANNELS:
        raise InvalidArguments(_("Please correct the marked fields."),
                               {"channel": _("Choose how the report reached us: phone, walk-in or letter.")})
    intake = {"role": role}
    if received_on is not None:
        intake["received_on"] = received_on.isoformat()
    return file_complaint(data, ActorRef.staff(staff_user), language=language,
                          idempotency_key=idempotency_key, intake=intake)
