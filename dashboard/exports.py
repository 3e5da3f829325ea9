"""Open data exports, streamed row by row so a million complaints never sit in memory."""

import csv

from django.db.models import Q

from complaints.models import Complaint, Visibility
from routing.calendar import working_seconds_between
from routing.models import Category, Unit

from .metrics.periods import day_range

# Public-safe columns only: no names, contacts, free text, locations or access tokens.
COMPLAINT_COLUMNS = (
    "tracking_code", "kind", "category", "unit", "status", "submitted_at", "triaged_at",
    "first_response_at", "resolved_at", "final_resolved_at", "closed_at", "triage_due_at",
    "response_due_at", "resolution_due_at", "outcome", "rating", "reopen_count", "escalation_level",
    "hours_to_triage", "working_days_to_triage", "hours_to_first_response",
    "working_days_to_first_response", "hours_to_resolution", "working_days_to_resolution",
)
_FIELDS = ("tracking_code", "visibility", "triaged_at", "kind", "category_id", "responsible_unit_id",
           "state", "submitted_at", "first_response_at", "resolved_at", "final_resolved_at",
           "closed_at", "triage_due_at", "response_due_at", "resolution_due_at", "outcome", "rating",
           "reopen_count", "escalation_level")


class Echo:
    def write(self, value):
        return value


def _iso(moment):
    return moment.isoformat() if moment else ""


def _durations(start, end):
    if start is None or end is None:
        return "", ""
    seconds = max(0.0, (end - start).total_seconds())
    return round(seconds / 3600, 1), round(working_seconds_between(start, end) / 86400, 2)


def complaint_rows(period=None, unit_ids=None):
    """Yield CSV lines: the header, then one line per complaint (oldest first)."""
    writer = csv.writer(Echo())
    yield writer.writerow(COMPLAINT_COLUMNS)
    categories = dict(Category.objects.values_list("pk", "code"))
    sensitive = set(Category.objects.filter(sensitive=True).values_list("pk", flat=True))
    units = dict(Unit.objects.values_list("pk", "code"))
    qs = Complaint.objects.order_by("pk")
    if period is not None:
        start, end = day_range(period)
        qs = qs.filter(submitted_at__gte=start, submitted_at__lt=end)
    if unit_ids is not None:
        qs = qs.filter(Q(responsible_unit_id__in=unit_ids))
    for row in qs.values_list(*_FIELDS).iterator(chunk_size=2000):
        r = dict(zip(_FIELDS, row))
        # A tracking code is published only for public complaints that passed triage, and
        # never for a sensitive category (those are private by rule; checked again here).
        public = (r["visibility"] == Visibility.PUBLIC and r["triaged_at"] is not None
                  and r["category_id"] not in sensitive)
        triage = _durations(r["submitted_at"], r["triaged_at"])
        response = _durations(r["triaged_at"], r["first_response_at"])
        resolution = _durations(r["submitted_at"], r["resolved_at"])
        yield writer.writerow([
            r["tracking_code"] if public else "", r["kind"], categories.get(r["category_id"], ""),
            units.get(r["responsible_unit_id"], ""), r["state"], _iso(r["submitted_at"]),
            _iso(r["triaged_at"]), _iso(r["first_response_at"]), _iso(r["resolved_at"]),
            _iso(r["final_resolved_at"]), _iso(r["closed_at"]), _iso(r["triage_due_at"]),
            _iso(r["response_due_at"]), _iso(r["resolution_due_at"]), r["outcome"],
            r["rating"] if r["rating"] is not None else "", r["reopen_count"], r["escalation_level"],
            *triage, *response, *resolution,
        ])


SUMMARY_COLUMNS = ("figure", "measure", "value", "count", "period_start", "period_end", "unit", "definition")


def summary_rows(data):
    """Yield CSV lines of every headline figure: one line per measure, with its count."""
    writer = csv.writer(Echo())
    yield writer.writerow(SUMMARY_COLUMNS)
    period, unit = data["period"], data["filter"]["unit"] or ""
    for figure in data["figures"]:
        for measure, value in figure.items():
            if measure in ("name", "label", "definition", "period", "filter", "count", "as_of"):
                continue
            if measure == "ageing":
                for bucket in value:
                    yield writer.writerow([figure["name"], f"age_days_{bucket['days']}", bucket["count"],
                                           figure["count"], period["start"], period["end"], unit,
                                           figure["definition"]])
                continue
            yield writer.writerow([figure["name"], measure, "" if value is None else value, figure["count"],
                                   period["start"], period["end"], unit, figure["definition"]])
        yield writer.writerow([figure["name"], "count", figure["count"], figure["count"],
                               period["start"], period["end"], unit, figure["definition"]])
