"""The performance page: per unit and per officer, load, overdue and median times, and how
often triage accepted the classifier's suggestion."""

import datetime as dt
import statistics
from dataclasses import dataclass, field

from django.db.models import BooleanField, Case, When
from django.utils import timezone
from django.utils.translation import gettext as _

from routing import calendar

from ...lifecycle.clock import overdue_q
from ...models import OPEN_STATES, Complaint, Event
from ...training import acceptance_by_week, judged_suggestion


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
class WeekAcceptance:
    """One week (from Monday) of the acceptance chart and its table."""
    week: dt.date
    decided: int
    accepted: int

    @property
    def percent(self):
        return round(100 * self.accepted / self.decided, 1) if self.decided else None

    def as_json(self):
        return {"week": self.week.isoformat(), "decided": self.decided, "accepted": self.accepted,
                "percent": self.percent}


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
    classifier's suggested unit, in all and per week. Computed exactly in Python: correctness first.

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
    for label, data in Event.objects.filter(action="triage", created_at__gte=since).values_list(
            "actor_label", "data"):
        accepted = judged_suggestion(data)
        if accepted is None:  # not an officer's decision about a suggestion
            continue
        for row in (overall, by_officer.setdefault(label, Acceptance(label))):
            row.decided += 1
            row.accepted += int(bool(accepted))
    # Over time, officers' own decisions only (automatic routings are not a judgement).
    weeks = [WeekAcceptance(w["week"], w["decided"], w["accepted"]) for w in acceptance_by_week(since, now)]
    return {
        "days": days,
        "since": since,
        "units": sorted(units.values(), key=lambda r: r.label),
        "officers": sorted(officers.values(), key=lambda r: r.label),
        "acceptance": overall,
        "acceptance_by_officer": sorted(by_officer.values(), key=lambda r: r.label),
        "acceptance_weeks": weeks,
        # The chart's data (json_script on the page): the same figures as the table.
        "acceptance_weeks_json": [w.as_json() for w in weeks],
    }
