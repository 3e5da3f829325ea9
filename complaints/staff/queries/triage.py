"""The triage desk: submitted complaints, oldest first, with the classifier's suggestions
and possible duplicates."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.utils import timezone

from routing.models import Unit

from ...lifecycle.actions import UNPUBLISHABLE_STATES
from ...models import Complaint, State, Visibility
from ...similar import similar_for
from .clocks import row_clock, with_next_due
from .estimates import EstimatedPaginator
from .inbox import PAGE_SIZE
from .masking import with_shown_titles


def active_units():
    return list(Unit.objects.filter(active=True).order_by("code"))


def _triage_rows(user):
    return Complaint.objects.for_lists().visible_to(user).filter(state=State.SUBMITTED).order_by("submitted_at", "pk")


def _summary_rows(user):
    # Routed public complaints whose public summary nobody approved yet (bulk routing
    # routes, this queue publishes); actions.publishable is the same rule for one complaint.
    return (Complaint.objects.for_lists().visible_to(user)
            .filter(visibility=Visibility.PUBLIC, category__sensitive=False, triaged_at__isnull=False,
                    public_summary_approved_at__isnull=True)
            .exclude(state__in=UNPUBLISHABLE_STATES).order_by("triaged_at", "pk"))


QUEUES = {"triage": _triage_rows, "summaries": _summary_rows}


def next_in_queue(user, queue, after):
    """The tracking code of the next complaint of `queue` other than `after`, or None."""
    rows = QUEUES.get(queue)
    if rows is None:
        return None
    return rows(user).exclude(pk=after.pk).values_list("tracking_code", flat=True).first()


def summary_queue(user, page_number):
    """Routed public complaints waiting for their public summary, routed longest ago first."""
    # Routed public complaints of the past without a summary stay here for good: the
    # queue grows with history, its count is bounded (estimated past the bound).
    page = EstimatedPaginator(_summary_rows(user), PAGE_SIZE).get_page(page_number)
    complaints = list(page.object_list)
    with_shown_titles(user, complaints)
    return {"page": page, "complaints": complaints}


def triage_queue(user, page_number, now=None):
    """Submitted complaints, oldest first, with suggestions and possible duplicates."""
    now = now or timezone.now()
    rows = with_next_due(_triage_rows(user))
    page = Paginator(rows, PAGE_SIZE).get_page(page_number)
    units = {u.code: u for u in active_units()}
    complaints = list(page.object_list)
    similar = similar_for(complaints, within=Complaint.objects.visible_to(user))
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


