"""Reading service requests: which complaints exist for Open311, how the GET filters
select among them, and how one complaint is described.

Only public complaints after triage with an approved public summary, in a category that
is not sensitive, exist for this API; everything else answers exactly like an unknown id.
A complaint is described by what triage approved on the publish form (public title,
summary, location text, and the media link only when approved), never by the citizen's
own words (title, description, address), never with anything about the reporter, and
with its point snapped to the public grid (Complaint.public_point)."""

import datetime as dt
import re

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from ..models import OPEN_STATES, Complaint, Outcome, RejectReason, State
from .catalogue import service_notice

# The specification's default span and limit ("a span of 90 days or first 1000 requests").
DEFAULT_SPAN = dt.timedelta(days=90)
MAX_PAGE = 100_000

# Resolved (also while a verifier checks it) means the unit says the work is done; like the rest of Aduan (OPEN_STATES,
# the backlog) Open311 counts it as closed. A citizen's appeal reopens it.
OPEN = {s.value for s in OPEN_STATES}


class BadQuery(Exception):
    def __init__(self, messages):
        super().__init__("; ".join(messages))
        self.messages = messages


# What describe() never reads: the citizen's own text and identity, the audit head, the
# classifier's output. Left in the database, so a page of a thousand rows builds its
# objects in half the time (and never holds private text in memory).
_UNREAD = ("title", "description", "address", "reporter_name", "reporter_email", "reporter_phone",
           "access_token_hash", "idempotency_key", "content_hash", "suggested_units", "reject_message",
           "resolution_summary", "rating_comment", "referred_to", "audit_head", "audit_seal",
           "created_at", "triaged_at", "first_response_at", "resolved_at", "final_resolved_at", "closed_at",
           "triage_due_at", "response_due_at", "info_requested_at", "info_due_at", "declassified_at",
           "public_summary_approved_at")


def published():
    return (Complaint.objects.published().select_related("category", "category__sla_policy", "responsible_unit")
            .defer(*_UNREAD))


def find(service_request_id):
    return published().filter(tracking_code=service_request_id).first()


def status_of(complaint):
    return "open" if complaint.state in OPEN else "closed"


class Labels:
    """The labels of one answer in its language, each translated once: Django's
    get_FOO_display hashes the field's choices on every call (0.1 ms a row, most of a
    1000-row answer), and a category's notice is the same for all its rows."""

    def __init__(self):
        self.state = {value: str(label) for value, label in State.choices}
        self.outcome = {value: str(label) for value, label in Outcome.choices}
        self.reject_reason = {value: str(label) for value, label in RejectReason.choices}
        self.notices = {}
        self.zone = timezone.get_current_timezone()

    def notice(self, category):
        if category.pk not in self.notices:
            self.notices[category.pk] = service_notice(category)
        return self.notices[category.pk]


def status_notes(c, labels=None):
    labels = labels or Labels()
    notes = labels.state.get(c.state, c.state)
    if c.state in (State.RESOLVED, State.CLOSED) and c.outcome:
        notes = f"{notes}: {labels.outcome.get(c.outcome, c.outcome)}"
    elif c.state == State.REJECTED and c.reject_reason:
        notes = f"{notes}: {labels.reject_reason.get(c.reject_reason, c.reject_reason)}"
    if c.state == State.RESOLVED and c.appeal_due_at:
        notes = f"{notes}. " + _("The reporter may appeal until %(date)s.") % {
            "date": timezone.localtime(c.appeal_due_at).date().isoformat()}
    return str(notes)


def iso(value, zone=None):
    """ISO 8601 with the offset of the local time zone, as the specification asks."""
    return timezone.localtime(value, zone).isoformat(timespec="seconds") if value else None


def describe(c, labels=None):
    labels = labels or Labels()
    point = c.public_point()
    area = c.public_area()
    return {
        "service_request_id": c.tracking_code,
        "status": status_of(c),
        "status_notes": status_notes(c, labels),
        "service_name": c.category.name,
        "service_code": c.category.code,
        "description": c.public_summary,
        "agency_responsible": c.responsible_unit.name if c.responsible_unit_id else None,
        "service_notice": labels.notice(c.category),
        "requested_datetime": iso(c.submitted_at, labels.zone),
        "updated_datetime": iso(c.updated_at, labels.zone),
        "expected_datetime": iso(c.resolution_due_at, labels.zone),
        "address": c.public_place() or None,
        "address_id": None,  # Aduan keeps no master address repository
        "zipcode": None,
        "lat": point.latitude if point else None,
        "long": point.longitude if point else None,
        "media_url": c.public_media_url() or None,
        # Extension: the detailed state behind open/closed, and the approved public title.
        "extended_attributes": {
            "state": c.state,
            "kind": c.kind,
            # Not before the citizen is told: a resolution awaiting its verifier has none yet.
            "outcome": (c.outcome or None) if c.resolution_announced else None,
            "title": c.public_title,
            "area": area.code if area else None,
            "channel": c.channel,
        },
    }


# --- GET requests parameters -----------------------------------------------------------
_SPACE_FOR_PLUS = re.compile(r" (\d\d:?\d\d)$")


def parse_when(name, value, end_of_day=False):
    """A W3C date-time (the specification's format), or a bare date. A '+' of the offset
    that a client forgot to escape arrives as a space; it is read as '+'."""
    text = _SPACE_FOR_PLUS.sub(r"+\1", value.strip())
    try:
        # A bare date first: parse_datetime would read it as midnight, cutting off an end day.
        day = parse_date(text)
        if day is not None:
            moment = dt.datetime.combine(day, dt.time.max if end_of_day else dt.time.min)
        else:
            moment = parse_datetime(text)
            if moment is None:
                raise ValueError
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        moment.astimezone(dt.timezone.utc)
    except (ValueError, OverflowError):
        raise BadQuery([_(
            "%(name)s must be a date-time in W3C format, e.g. 2026-01-31T08:00:00+07:00."
        ) % {"name": name}])
    return moment


def _positive_int(params, name, default, maximum):
    raw = params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if not 1 <= value <= maximum:
        raise BadQuery([_("%(name)s must be a whole number from 1 to %(max)d.") % {
            "name": name, "max": maximum}])
    return value


def _list(params, name):
    return [item.strip() for item in (params.get(name) or "").split(",") if item.strip()]


def search(params, now=None):
    """The complaints a GET requests call asks for, newest first, one page of them."""
    now = now or timezone.now()
    max_size = settings.OPEN311_MAX_PAGE_SIZE
    page = _positive_int(params, "page", 1, MAX_PAGE)
    page_size = _positive_int(params, "page_size", min(settings.OPEN311_PAGE_SIZE, max_size), max_size)
    queryset = published()
    ids = _list(params, "service_request_id")
    if ids:
        # The specification: service_request_id overrides all other arguments.
        if len(ids) > max_size:
            raise BadQuery([_("Ask for at most %(max)d service_request_id values at once.") % {
                "max": max_size}])
        queryset = queryset.filter(tracking_code__in=ids)
    else:
        codes = _list(params, "service_code")
        if codes:
            queryset = queryset.filter(category__code__in=codes)
        statuses = _list(params, "status")
        unknown = [s for s in statuses if s not in ("open", "closed")]
        if unknown:
            raise BadQuery([_("status must be open, closed or both, comma separated.")])
        if set(statuses) == {"open"}:
            queryset = queryset.filter(state__in=OPEN)
        elif set(statuses) == {"closed"}:
            queryset = queryset.exclude(state__in=OPEN)
        start, end = _window(params, now)
        queryset = queryset.filter(submitted_at__gte=start, submitted_at__lte=end)
    # Served by the partial index complaint_published_new (published rows by -submitted_at,
    # -id): walked backwards from the window's end, at most a page of rows is read, whatever
    # the table's size (docs/performance.md has the plan).
    # A thousand rows share a few dozen categories and units: fetched once each (three
    # short queries) rather than joined and built again for every row.
    queryset = queryset.select_related(None).prefetch_related("category__sla_policy", "responsible_unit")
    queryset = queryset.order_by("-submitted_at", "-pk")
    offset = (page - 1) * page_size
    return list(queryset[offset:offset + page_size])


def _window(params, now):
    start_raw, end_raw = params.get("start_date") or "", params.get("end_date") or ""
    start = parse_when("start_date", start_raw) if start_raw else None
    end = parse_when("end_date", end_raw, end_of_day=True) if end_raw else None
    try:
        if start is None and end is None:
            end = now
            start = now - DEFAULT_SPAN
        elif start is None:
            start = end - DEFAULT_SPAN
        elif end is None:
            end = start + DEFAULT_SPAN
    except OverflowError:
        raise BadQuery([_("The date range is outside the calendar.")])
    if start > end:
        raise BadQuery([_("start_date must not be after end_date.")])
    if end - start > DEFAULT_SPAN:
        raise BadQuery([_("start_date and end_date may not span more than 90 days.")])
    return start, end
