"""The citizen side's domain functions: filing with attachments, what the tracking page
and the public site may show. Views call these; nothing here knows about requests."""

import datetime as dt
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from routing.models import Unit

from ..lifecycle.actions import ACTIONS
from ..lifecycle.engine import perform
from ..lifecycle.filing import file_complaint
from ..models import Attachment, Complaint, Event, Message, State
from ..permissions import ActorRef
from ..ratelimit import Limit
from . import tokens

# How long after filing the confirmation (with the secret key) may be shown: to the
# browser that filed (it holds the key in a cookie for its confirmation page), or to the
# same form sent again. After that the key exists only in the citizen's hands and e-mail.
CONFIRMATION_SECONDS = 30 * 60


def submission_limit():
    return Limit("citizen-report", settings.CITIZEN_REPORTS_PER_WINDOW,
                 settings.CITIZEN_REPORT_WINDOW_SECONDS)


class RateLimited(Exception):
    def __init__(self, wait):
        super().__init__(wait)
        self.wait = wait


@dataclass
class Report:
    complaint: Complaint
    token: str | None  # the secret key to show; None once it may no longer be shown
    created: bool


def file_report(data, files, *, form_key, language, user=None, client=""):
    """File a report from the web form with its cleaned attachments, in one transaction:
    either the complaint and every file are stored, or nothing is.

    The same form sent again (same idempotency key, same content and files: a double
    click, a resend after a timeout) gets the first complaint, with its secret key within
    CONFIRMATION_SECONDS. The same form with other content (Back, a restored tab) is a new
    report. The per-client rate limit is consulted before a complaint is created and
    counts only created ones, so a resend never costs quota nor shows "too many"."""
    limit = submission_limit()

    def admit():
        wait = limit.wait(client)
        if wait:
            raise RateLimited(wait)

    with transaction.atomic():
        filed = file_complaint(data, language=language, idempotency_key=tokens.form_key_digest(form_key),
                               user=user, extra_content=[f.digest for f in files],
                               token_for=lambda stored: tokens.receipt_token(form_key, stored),
                               admit=admit)
        if filed.created:
            Attachment.store_uploads(filed.complaint, files)
    if filed.created:
        limit.hit(client)
        return Report(filed.complaint, filed.token, True)
    token = tokens.receipt_token(form_key, filed.complaint.idempotency_key)
    return Report(filed.complaint, shown_token(filed.complaint, token), False)


def shown_token(complaint, token, now=None):
    """`token` when it is the secret key of `complaint` and the confirmation may still be
    shown (CONFIRMATION_SECONDS after filing), else None."""
    now = now or timezone.now()
    if complaint is None or now - complaint.submitted_at > dt.timedelta(seconds=CONFIRMATION_SECONDS):
        return None
    return token if complaint.check_token(token) else None


def act(complaint, action, *, expected_state, expected_version, files=(), **args):
    """A citizen's action on their complaint (through the one transition entry point),
    with files added to an answer stored in the same transaction."""
    with transaction.atomic():
        changed = perform(complaint, action, ActorRef.citizen(), expected_state=expected_state,
                          expected_version=expected_version, **args)
        Attachment.store_uploads(changed, files)
    return changed


def new_idempotency_key():
    return secrets.token_urlsafe(24)


# --- the tracking page -----------------------------------------------------------------
STATE_EXPLANATIONS = {
    State.SUBMITTED: gettext_lazy("We received your report. The verification desk will check it and send it to the responsible unit."),
    State.NEEDS_INFO: gettext_lazy("The officer needs more information from you. Please answer the question below."),
    State.TRIAGED: gettext_lazy("Your report was checked and sent to the unit responsible for it."),
    State.IN_PROGRESS: gettext_lazy("The responsible unit is working on your report."),
    State.VERIFYING: gettext_lazy("The unit reports the work done. A supervisor checks it and its proof before it counts as resolved."),
    State.RESOLVED: gettext_lazy("The unit says the matter is dealt with. Confirm and rate the result, or appeal if it is not."),
    State.CLOSED: gettext_lazy("Your report is closed."),
    State.REJECTED: gettext_lazy("Your report could not be handled. The reason is given below."),
    State.DUPLICATE: gettext_lazy("Someone reported the same problem earlier; it is handled under that report."),
    State.WITHDRAWN: gettext_lazy("You withdrew this report. It will not be handled."),
}



def due_date(complaint):
    """(label, date) of the next date that matters to the citizen, or (None, None)."""
    state = complaint.state
    if state == State.SUBMITTED:
        return _("We aim to check it by"), complaint.triage_due_at
    if state == State.NEEDS_INFO:
        return _("Please answer by"), complaint.info_due_at
    if state in (State.TRIAGED, State.IN_PROGRESS):
        return _("The unit aims to resolve it by"), complaint.resolution_due_at
    if state == State.VERIFYING:
        return _("The check of the work is due by"), complaint.verification_due_at
    if state == State.RESOLVED:
        return _("You can appeal until"), complaint.appeal_due_at
    return None, None


def author_label(message, complaint):
    if message.author_type == "citizen":
        return _("You")
    unit = message.author_unit
    if unit is None:  # written by the central desk before the report had a unit
        return _("Verification desk")
    # Staff are never named to the citizen: only their unit.
    return _("Officer of %(unit)s") % {"unit": unit.name}


def open_question(complaint):
    """The officer's question the citizen still has to answer, if any."""
    if complaint.state != State.NEEDS_INFO:
        return None
    return (Message.objects.filter(complaint=complaint, visibility=Message.Visibility.PUBLIC)
            .exclude(author_type="citizen").order_by("-created_at", "-pk").first())


REVIEW_ACTIONS = ("request_review", "uphold_review", "overturn_review")


def event_text(event, key):
    """A text the event recorded (a reason): from its readable payload where personal
    parts are stored apart from the facts, else from its data."""
    return (getattr(event, "payload", None) or event.data or {}).get(key, "")


def duplicate_root(complaint, depth=10):
    """The complaint a duplicate is handled under (following an original that was itself
    marked a duplicate later), or None."""
    original = complaint.duplicate_of if complaint.state == State.DUPLICATE else None
    while original is not None and original.duplicate_of_id and depth:
        original, depth = original.duplicate_of, depth - 1
    return original


def original_status(complaint):
    """What a duplicate's tracking page tells about the original: its status word, and
    its public title and page only when it is published. Nothing else of the original
    (its text, its code, its reporter) reaches the duplicate's reporter."""
    original = duplicate_root(complaint)
    if original is None:
        return None
    published = public_complaints().filter(pk=original.pk).first()
    return {"status": original.get_state_display(),
            "outcome": original.get_outcome_display() if original.state in (State.RESOLVED, State.CLOSED) else "",
            "public": published}


def timeline(complaint):
    """Public events and public messages, oldest first, in words a citizen understands.
    Internal notes, staff names and event data other than the unit never appear."""
    items = []
    units = {u.code: u for u in Unit.objects.all().only("code", "name_id", "name_en")}
    for event in Event.objects.filter(complaint=complaint, public=True).order_by("seq"):
        action = ACTIONS.get(event.action)
        if action is None or not action.timeline:  # replies and comments show as messages
            continue
        detail = note = ""
        if event.action in ("triage", "transfer"):
            unit = units.get((event.data or {}).get("unit"))
            detail = unit.name if unit else ""
        if event.action in REVIEW_ACTIONS:
            # The citizen's own request and oversight's reason for its decision.
            note = event_text(event, "reason")
        items.append({"when": event.created_at, "kind": event.action,
                      "label": action.timeline_label(event.to_state), "detail": detail, "note": note})
    messages = Message.objects.filter(
        complaint=complaint, visibility=Message.Visibility.PUBLIC).select_related("author_unit")
    for message in messages:
        items.append({"when": message.created_at, "kind": "message",
                      "author": author_label(message, complaint), "body": message.body,
                      "mine": message.author_type == "citizen"})
    items.sort(key=lambda item: (item["when"], item["kind"] == "message"))
    return items


# --- the public site ---------------------------------------------------------------------
def public_complaints():
    """Complaints the public may see: public, triaged, with an approved summary, never
    sensitive, never rejected, duplicates or withdrawn."""
    return (
        Complaint.objects.published()
        .exclude(state__in=(State.REJECTED, State.DUPLICATE, State.WITHDRAWN))
        .exclude(public_title="")
        .select_related("category", "responsible_unit")
    )


# The public list, newest first, a page at a time after a cursor (the last tracking code
# shown: sequential ids are never public). It never counts. So that a common word ("jalan"
# matches half of a million complaints) or a rare filter costs a bounded amount, each page
# is looked for in growing windows of submission dates below the cursor: the newest month
# first, then the year, then everything. A window is read through the GIN index of the text
# (whose second column is submitted_at) or the published rows' index, and sorted; a wider
# one is tried only when the narrower held less than a page, so the rows sorted stay few.
# (A five-year step cost more than it saved: a range that wide is most of the index.)
PUBLIC_PAGE = 20
SEARCH_WINDOWS = (dt.timedelta(days=31), dt.timedelta(days=366), None)


def search_public(query="", category=None, unit=None, state=None, after=None, size=PUBLIC_PAGE):
    """(a page of complaints, whether older ones follow)."""
    qs = public_complaints()
    query = (query or "").strip()
    if query:
        qs = qs.matching_published_text(query) | qs.filter(tracking_code=query.upper())
    if category:
        qs = qs.filter(category__code=category)
    if unit:
        qs = qs.filter(responsible_unit__code=unit)
    if state:
        qs = qs.filter(state=state)
    upper = timezone.now()
    cursor = public_complaints().filter(tracking_code=(after or "").upper()).values_list(
        "submitted_at", "pk").first() if after else None
    if cursor:
        upper, pk = cursor
        qs = qs.filter(Q(submitted_at__lt=upper) | Q(submitted_at=upper, pk__lt=pk))
    for span in SEARCH_WINDOWS:
        window = qs if span is None else qs.filter(submitted_at__gte=upper - span)
        rows = list(window.order_by("-submitted_at", "-pk")[:size + 1])
        if len(rows) > size:
            break
    return rows[:size], len(rows) > size


def public_replies(complaint):
    # Citizens' own comments may name people; only the units' replies are published.
    return Message.objects.filter(
        complaint=complaint, visibility=Message.Visibility.PUBLIC,
    ).exclude(author_type="citizen").select_related("author_unit")
