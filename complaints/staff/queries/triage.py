"""The triage desk: submitted complaints, oldest first, with the classifier's suggestions
and possible duplicates."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.utils import timezone

from routing.models import Unit

from ...models import Complaint, State
from ...similar import similar_for
from .clocks import row_clock, with_next_due
from .inbox import PAGE_SIZE
from .masking import with_shown_titles


def active_units():
    return list(Unit.objects.filter(active=True).order_by("code"))


def triage_queue(user, page_number, now=None):
    """Submitted complaints, oldest first, with suggestions and possible duplicates."""
    now = now or timezone.now()
    rows = with_next_due(
        Complaint.objects.for_lists().visible_to(user).filter(state=State.SUBMITTED)
    ).order_by("submitted_at", "pk")
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


