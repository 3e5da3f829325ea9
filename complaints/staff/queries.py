"""Read side of the staff pages: queues, inbox filters and counts, the complaint's
timeline, identity display, SLA clocks and performance figures.

Nothing here changes a complaint (that is complaints.transitions.perform). Lists are
built with a fixed number of queries whatever their length (select_related and one
query per side table), which tests/staff check with django_assert_max_num_queries.
"""

import datetime as dt
import statistics
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import BooleanField, Case, Count, F, Q, When
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from ml.text import mask_personal_data
from routing import calendar
from routing.models import Category, Membership, Unit

from .. import permissions as perms
from ..models import (OPEN_STATES, TERMINAL_STATES, Complaint, Event, IdentityMode, Message,
                      ReadRecord, RejectTemplate, State)
from ..similar import similar_for
from ..sla import ACTIVE_WORK, overdue_q
from ..transitions import working_days_left
from .access import is_oversight

PAGE_SIZE = 50


def _list_queryset():
    return Complaint.objects.select_related(
        "category", "category__sla_policy", "responsible_unit", "assignee",
    )


# --- SLA ------------------------------------------------------------------------------
def with_next_due(queryset):
    """Annotate `next_due`: the due date of the step the complaint waits for now."""
    return queryset.annotate(next_due=Case(
        When(state=State.SUBMITTED, then=F("triage_due_at")),
        When(Q(first_response_at__isnull=True, response_due_at__isnull=False)
             & (Q(resolution_due_at__isnull=True) | Q(response_due_at__lt=F("resolution_due_at"))),
             then=F("response_due_at")),
        default=F("resolution_due_at"),
    ))


@dataclass
class Clock:
    label: str
    due: dt.datetime
    days_left: float | None  # working days; negative when overdue
    done_at: dt.datetime | None = None
    paused: bool = False

    @property
    def overdue(self):
        if self.done_at is not None:
            return self.done_at > self.due
        return not self.paused and self.days_left is not None and self.days_left < 0

    @property
    def days_overdue(self):
        return -self.days_left if self.days_left is not None else None


def clocks(c, now=None):
    """The complaint's SLA clocks for the complaint page."""
    now = now or timezone.now()
    paused = c.state == State.NEEDS_INFO
    result = []

    def add(label, due, done_at):
        if due is None:
            return
        left = None if done_at else working_days_left(due, now)
        result.append(Clock(label, due, left, done_at, paused=paused and done_at is None))

    add(_("Triage"), c.triage_due_at, c.triaged_at)
    add(_("First response"), c.response_due_at, c.first_response_at)
    add(_("Resolution"), c.resolution_due_at, c.resolved_at)
    if c.state == State.NEEDS_INFO and c.info_due_at:
        result.append(Clock(_("Citizen's answer (then rejected)"), c.info_due_at,
                            working_days_left(c.info_due_at, now)))
    if c.state == State.RESOLVED and c.appeal_due_at:
        result.append(Clock(_("Appeal window (then closed)"), c.appeal_due_at,
                            working_days_left(c.appeal_due_at, now)))
    return result


def row_clock(c, now):
    """Working days left (negative: overdue) for a list row; None when paused or done."""
    if c.state not in (State.SUBMITTED, *ACTIVE_WORK) or c.next_due is None:
        return None
    return working_days_left(c.next_due, now)


# --- unit inbox -------------------------------------------------------------------------
INBOX_STATUSES = ("open", *State.values, "all")


@dataclass
class InboxFilters:
    status: str = "open"
    category: str = ""
    assignee: str = ""  # "", "me", "none" or a user id
    overdue: bool = False
    escalated: bool = False
    page: str = "1"

    @classmethod
    def from_params(cls, params):
        status = params.get("status") or "open"
        assignee = params.get("assignee") or ""
        if assignee not in ("", "me", "none") and not assignee.isdigit():
            assignee = ""
        category = params.get("category") or ""
        return cls(
            status=status if status in INBOX_STATUSES else "open",
            category=category if category.isdigit() else "",
            assignee=assignee,
            overdue=params.get("overdue") == "1",
            escalated=params.get("escalated") == "1",
            page=params.get("page") or "1",
        )

    def querystring(self, **changes):
        """The query string of these filters with some changed (page reset to 1)."""
        values = {"status": self.status, "category": self.category, "assignee": self.assignee,
                  "overdue": "1" if self.overdue else "", "escalated": "1" if self.escalated else ""}
        values.update({k: v for k, v in changes.items()})
        return urlencode({k: v for k, v in values.items() if v not in ("", None, False)})


def _status_q(status):
    if status == "open":
        return Q(state__in=[*OPEN_STATES, State.RESOLVED])
    if status == "all":
        return Q()
    return Q(state=status)


def inbox(user, filters, now=None):
    now = now or timezone.now()
    scope = Complaint.objects.filter(perms.unit_scope_q(user))
    state_counts = dict(scope.values_list("state").annotate(n=Count("pk")).order_by())
    in_status = scope.filter(_status_q(filters.status))
    totals = in_status.aggregate(
        all=Count("pk"),
        overdue=Count("pk", filter=overdue_q(now)),
        escalated=Count("pk", filter=Q(escalation_level__gte=1)),
        mine=Count("pk", filter=Q(assignee_id=user.pk)),
        unassigned=Count("pk", filter=Q(assignee__isnull=True)),
    )
    category_counts = list(in_status.values_list("category_id").annotate(n=Count("pk")).order_by())
    categories = {c.pk: c for c in Category.objects.filter(pk__in=[k for k, _ in category_counts])}
    assignee_counts = list(in_status.exclude(assignee__isnull=True)
                           .values_list("assignee_id").annotate(n=Count("pk")).order_by())
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=[k for k, _ in assignee_counts])}

    rows = in_status
    if filters.category:
        rows = rows.filter(category_id=filters.category)
    if filters.assignee == "me":
        rows = rows.filter(assignee_id=user.pk)
    elif filters.assignee == "none":
        rows = rows.filter(assignee__isnull=True)
    elif filters.assignee:
        rows = rows.filter(assignee_id=filters.assignee)
    if filters.overdue:
        rows = rows.filter(overdue_q(now))
    if filters.escalated:
        rows = rows.filter(escalation_level__gte=1)
    rows = with_next_due(rows.select_related(
        "category", "category__sla_policy", "responsible_unit", "assignee"))
    rows = rows.order_by(F("next_due").asc(nulls_last=True), "submitted_at", "pk")
    page = Paginator(rows, PAGE_SIZE).get_page(filters.page)
    for c in page.object_list:
        c.days_left = row_clock(c, now)
    return {
        "page": page,
        "filters": filters,
        "state_counts": [
            (value, label, state_counts.get(value, 0)) for value, label in State.choices
        ],
        "open_count": sum(state_counts.get(s, 0) for s in [*OPEN_STATES, State.RESOLVED]),
        "all_count": sum(state_counts.values()),
        "totals": totals,
        "category_counts": sorted(
            ((categories[pk], n) for pk, n in category_counts if pk in categories),
            key=lambda item: item[0].name,
        ),
        "assignee_counts": sorted(
            ((users[pk], n) for pk, n in assignee_counts if pk in users),
            key=lambda item: item[0].get_username(),
        ),
    }


# --- triage desk ------------------------------------------------------------------------
def active_units():
    return list(Unit.objects.filter(active=True).order_by("code"))


def triage_queue(user, page_number, now=None):
    """Submitted complaints, oldest first, with suggestions and possible duplicates."""
    now = now or timezone.now()
    rows = with_next_due(
        _list_queryset().filter(perms.visible_complaints_q(user), state=State.SUBMITTED)
    ).order_by("submitted_at", "pk")
    page = Paginator(rows, PAGE_SIZE).get_page(page_number)
    units = {u.code: u for u in active_units()}
    complaints = list(page.object_list)
    similar = similar_for(complaints, within=perms.visible_complaints_q(user))
    for c in complaints:
        c.days_left = row_clock(c, now)
        c.age = now - c.submitted_at
        c.suggestions = suggestions(c, units)
        c.similar = similar.get(c.pk, [])
    with_shown_titles(user, complaints + [o for c in complaints for o in c.similar])
    return {"page": page, "complaints": complaints, "units": list(units.values())}


@dataclass
class Suggestion:
    unit: Unit
    probability: float

    @property
    def percent(self):
        return round(self.probability * 100)


def suggestions(c, units):
    """The classifier's suggestions that name an active unit; tolerant of any shape the
    stored JSON may have (an old or missing model must not break the page)."""
    result = []
    for item in c.suggested_units or []:
        try:
            code, probability = item[0], float(item[1])
        except (TypeError, ValueError, IndexError, KeyError):
            continue
        if code in units:
            result.append(Suggestion(units[code], probability))
    return result


def duplicate_candidates(user, complaint, text, limit=20):
    """Complaints a triage officer may name as the original, by tracking code or title."""
    text = (text or "").strip()
    if not text:
        return []
    return with_shown_titles(user, list(
        Complaint.objects.filter(perms.duplicate_originals_q(user, complaint))
        .filter(Q(tracking_code__icontains=text) | Q(title__icontains=text)
                | Q(public_title__icontains=text))
        .exclude(pk=complaint.pk).exclude(state=State.DUPLICATE)
        .select_related("category").order_by("-submitted_at")[:limit]
    ))


def reject_texts(language):
    """{reason: text} from the editable templates, in the complaint's language."""
    texts = {}
    for template in RejectTemplate.objects.filter(active=True).order_by("reason", "pk"):
        texts.setdefault(template.reason, template.text_for(language))
    return texts


def assignable_officers(complaint):
    """Members of the responsible unit (and supervisors above it) who could handle it."""
    unit = complaint.responsible_unit
    if unit is None:
        return []
    unit_ids = [unit.pk] + [u.pk for u in unit.ancestors()]
    memberships = (Membership.objects.filter(unit_id__in=unit_ids, user__is_active=True)
                   .filter(Q(unit_id=unit.pk) | Q(role=Membership.Role.SUPERVISOR))
                   .select_related("user").order_by("user__username"))
    seen, result = set(), []
    for membership in memberships:
        if membership.user_id not in seen:
            seen.add(membership.user_id)
            result.append(membership.user)
    return result


# --- oversight ---------------------------------------------------------------------------
OVERSIGHT_LISTS = ("sensitive", "escalated", "appeals", "reopened", "all")


def oversight_inbox(user, list_name, search, page_number, now=None):
    now = now or timezone.now()
    list_name = list_name if list_name in OVERSIGHT_LISTS else "sensitive"
    not_done = Q(state__in=[*OPEN_STATES, State.RESOLVED])
    lists = {
        "sensitive": Q(category__sensitive=True) & not_done,
        "escalated": Q(escalation_level__gte=1) & not_done,
        # Closed, rejected and duplicate complaints are where appeals to oversight land.
        "appeals": Q(state__in=TERMINAL_STATES),
        "reopened": Q(reopen_count__gte=1) & not_done,
        "all": Q(),
    }
    scope = Complaint.objects.filter(perms.visible_complaints_q(user))
    counts = scope.aggregate(**{name: Count("pk", filter=q) for name, q in lists.items()})
    rows = scope.filter(lists[list_name])
    search = (search or "").strip()
    if search:
        rows = rows.filter(Q(tracking_code__icontains=search) | Q(public_title__icontains=search))
    rows = with_next_due(rows.select_related(
        "category", "category__sla_policy", "responsible_unit", "assignee"))
    if list_name == "appeals":
        rows = rows.order_by("-updated_at", "-pk")
    else:
        rows = rows.order_by(F("next_due").asc(nulls_last=True), "submitted_at", "pk")
    page = Paginator(rows, PAGE_SIZE).get_page(page_number)
    for c in page.object_list:
        c.days_left = row_clock(c, now)
    querystring = urlencode({"list": list_name, **({"q": search} if search else {})})
    return {"page": page, "list": list_name, "counts": counts, "search": search,
            "lists": OVERSIGHT_LISTS, "querystring": querystring}


# --- one complaint: who sees what -----------------------------------------------------
def redacted_for(user, complaint):
    """True when the user reads this complaint masked (the rule: permissions.reads_unmasked)."""
    return not perms.reads_unmasked(user, complaint)


def mask(complaint, text):
    """Text of a complaint as a reader who reads it masked sees it: e-mail addresses,
    phone numbers, ID numbers and links masked by pattern, and the reporter's stored
    name wherever it appears (a name nobody stored cannot be recognised)."""
    return mask_personal_data(text, names=[complaint.reporter_name])


# The complaint's own free text shown on its staff page: masked together when redacted.
FREE_TEXT = ("title", "description", "address", "media_url", "resolution_summary", "referred_to",
             "reject_message")


def texts(complaint, redacted):
    """{field: text} of FREE_TEXT as the reader sees it."""
    return {name: mask(complaint, getattr(complaint, name)) if redacted else getattr(complaint, name)
            for name in FREE_TEXT}


def with_shown_titles(user, complaints):
    """Set `.shown_title` on complaints listed to `user`: each title as that user reads it
    (masked where permissions.reads_unmasked says so). One query for any number."""
    if not complaints:
        return complaints
    full = Complaint.objects.filter(pk__in={c.pk for c in complaints}).select_related(
        "category", "responsible_unit").in_bulk()
    for c in complaints:
        source = full.get(c.pk)
        c.shown_title = c.title if source and perms.reads_unmasked(user, source) else mask(source or c, c.title)
    return complaints


@dataclass
class Reporter:
    mode: str
    shown: bool
    note: str
    name: str = ""
    email: str = ""
    phone: str = ""
    revealed: bool = False


def revealed_to(user, complaint):
    """A privacy officer who revealed this confidential reporter (an audited event) sees
    the identity from then on; nobody else does."""
    return perms.has_revealed(user, complaint)


def reporter(user, complaint, redacted):
    mode = complaint.identity_mode
    if mode == IdentityMode.ANONYMOUS:
        return Reporter(mode, False, _("Anonymous reporter: no identity is stored."))
    if mode == IdentityMode.CONFIDENTIAL:
        if revealed_to(user, complaint):
            return Reporter(mode, True, _("Confidential reporter, revealed to you (audited)."),
                            complaint.reporter_name, complaint.reporter_email,
                            complaint.reporter_phone, revealed=True)
        return Reporter(mode, False, _("Identity protected (confidential reporter)."))
    if redacted:
        return Reporter(mode, False, _("Named reporter; personal data is withheld from oversight."))
    return Reporter(mode, True, "", complaint.reporter_name, complaint.reporter_email,
                    complaint.reporter_phone)


@dataclass
class TimelineEntry:
    at: dt.datetime
    event: Event | None
    messages: list = field(default_factory=list)


# Event data fields that carry free text written by people (masked when redacted).
TEXT_FIELDS = ("message", "reason", "summary", "referred_to")


@dataclass
class History:
    """What of a complaint's events and messages a user reads (see sensitive_history)."""

    events: object  # querysets
    messages: object
    withheld: bool  # the part from before a declassification is left out
    masked_until: dt.datetime | None = None  # items up to then are read masked

    def masked(self, at):
        return self.masked_until is not None and at <= self.masked_until


def sensitive_history(user, complaint):
    """The complaint's events and messages as this user may read them: what happened while
    it was sensitive (until oversight declassified it) is left out or masked by
    permissions.sensitive_history_reading."""
    events, messages = Event.objects.filter(complaint=complaint), Message.objects.filter(complaint=complaint)
    until = complaint.declassified_at
    reading = perms.sensitive_history_reading(user) if until else "unmasked"
    if reading is None:
        return History(events.filter(created_at__gt=until), messages.filter(created_at__gt=until), True)
    return History(events, messages, False, until if reading == "masked" else None)


def timeline(user, complaint, redacted):
    """Events and messages in order. A message belongs to the event written with it (the
    same transition, hence the same timestamp). Identity reveals are shown to oversight
    only; internal notes to staff only (every viewer here is staff)."""
    history = sensitive_history(user, complaint)
    events = list(history.events.select_related("actor_user").order_by("seq"))
    messages = list(history.messages.select_related("author_user", "author_unit").order_by("created_at", "pk"))
    show_reveals = is_oversight(user)
    by_time = {}
    for message in messages:
        if redacted or history.masked(message.created_at):
            message.body = mask(complaint, message.body)
        by_time.setdefault(message.created_at, []).append(message)
    entries = []
    for event in events:
        if event.kind == "reveal_identity" and not show_reveals:
            continue
        details = {}
        for name in TEXT_FIELDS:
            value = (event.data or {}).get(name)
            if value:
                masked = redacted or history.masked(event.created_at)
                details[name] = mask(complaint, value) if masked else value
        event.details = details
        entries.append(TimelineEntry(event.created_at, event, by_time.pop(event.created_at, [])))
    for at, rest in by_time.items():  # messages without an event of their own
        entries.append(TimelineEntry(at, None, rest))
    entries.sort(key=lambda e: (e.at, e.event.seq if e.event else 0))
    return entries


READS_SHOWN = 500


def reads(complaint):
    """The latest recorded reads of a confidential or abuse-of-power complaint, newest
    first, with their total (for the audit page); None when its reads are not recorded."""
    if not complaint.reads_are_recorded:
        return None
    rows = ReadRecord.objects.filter(complaint=complaint)
    return {"total": rows.count(),
            "latest": list(rows.select_related("user").order_by("-at", "-pk")[:READS_SHOWN])}


# --- performance ----------------------------------------------------------------------
def _median(values):
    return statistics.median(values) if values else None


@dataclass
class Figures:
    label: str
    open: int = 0
    overdue: int = 0
    resolved: int = 0
    response_hours: list = field(default_factory=list)
    response_days: list = field(default_factory=list)
    resolution_hours: list = field(default_factory=list)
    resolution_days: list = field(default_factory=list)

    @property
    def median_response_hours(self):
        return _median(self.response_hours)

    @property
    def median_response_days(self):
        return _median(self.response_days)

    @property
    def median_resolution_hours(self):
        return _median(self.resolution_hours)

    @property
    def median_resolution_days(self):
        return _median(self.resolution_days)


@dataclass
class Acceptance:
    label: str
    decided: int = 0
    accepted: int = 0

    @property
    def rate(self):
        return self.accepted / self.decided if self.decided else None

    @property
    def percent(self):
        return None if self.rate is None else round(self.rate * 100)


def _hours(delta):
    return delta.total_seconds() / 3600


def performance(days=90, now=None):
    """Per unit and per officer: open load and overdue now; over complaints submitted in
    the last `days` days, median time from triage to first response and from submission
    to resolution (clock hours and working days); and how often triage accepted the
    classifier's suggested unit. Computed exactly in Python: correctness first.

    A figure is attributed to the complaint's current unit and assignee (a transferred
    complaint counts for the unit that has it now)."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=days)
    units, officers = {}, {}

    def unit_row(unit):
        return units.setdefault(unit.pk, Figures(str(unit)))

    def officer_row(user):
        return officers.setdefault(user.pk, Figures(user.get_username()))

    open_rows = (Complaint.objects.filter(state__in=OPEN_STATES)
                 .select_related("responsible_unit", "assignee")
                 .annotate(is_overdue=Case(When(overdue_q(now), then=True), default=False,
                                        output_field=BooleanField())))
    for c in open_rows.only("pk", "state", "responsible_unit", "assignee"):
        rows = []
        if c.responsible_unit is not None:
            rows.append(unit_row(c.responsible_unit))
        if c.assignee is not None:
            rows.append(officer_row(c.assignee))
        for row in rows:
            row.open += 1
            row.overdue += int(bool(c.is_overdue))
    recent = (Complaint.objects.filter(submitted_at__gte=since, responsible_unit__isnull=False)
              .select_related("responsible_unit", "assignee")
              .only("pk", "submitted_at", "triaged_at", "first_response_at", "resolved_at",
                    "responsible_unit", "assignee"))
    for c in recent:
        rows = [unit_row(c.responsible_unit)] + ([officer_row(c.assignee)] if c.assignee else [])
        for row in rows:
            if c.triaged_at and c.first_response_at:
                row.response_hours.append(_hours(c.first_response_at - c.triaged_at))
                row.response_days.append(calendar.working_days_between(c.triaged_at, c.first_response_at))
            if c.resolved_at:
                row.resolved += 1
                row.resolution_hours.append(_hours(c.resolved_at - c.submitted_at))
                row.resolution_days.append(calendar.working_days_between(c.submitted_at, c.resolved_at))

    overall, by_officer = Acceptance(_("All triage decisions")), {}
    for label, data in Event.objects.filter(kind="triage", created_at__gte=since).values_list(
            "actor_label", "data"):
        accepted = (data or {}).get("accepted_suggestion")
        if accepted is None:  # no suggestion was made: not a decision about one
            continue
        for row in (overall, by_officer.setdefault(label, Acceptance(label))):
            row.decided += 1
            row.accepted += int(bool(accepted))
    return {
        "days": days,
        "since": since,
        "units": sorted(units.values(), key=lambda r: r.label),
        "officers": sorted(officers.values(), key=lambda r: r.label),
        "acceptance": overall,
        "acceptance_by_officer": sorted(by_officer.values(), key=lambda r: r.label),
    }
