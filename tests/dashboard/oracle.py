"""Brute-force figures straight from the complaints table and the audit events, written
independently of dashboard.rollups (slow calendar walk, plain loops), for the tests."""


import math

from django.utils import timezone

from complaints.models import OPEN_STATES, Complaint, Event
from routing import calendar
from routing.models import Unit


def _unit_at(events, moment, codes):
    """The unit set by the last triage/transfer at or before `moment`."""
    unit = None
    for e in events:
        if e.created_at > moment:
            break
        if e.action in ("triage", "transfer") and e.data.get("unit"):
            unit = codes[e.data["unit"]]
    return unit


def nearest_rank(values, p):
    if not values:
        return None
    values = sorted(values)
    return values[max(1, math.ceil(p * len(values))) - 1]


def figures(start_day, end_day, unit_ids, now):
    """Expected figures for local days [start_day, end_day]; unit_ids None = everything."""
    codes = dict(Unit.objects.values_list("code", "pk"))
    local = lambda m: timezone.localtime(m).date()  # noqa: E731
    in_period = lambda m: m is not None and start_day <= local(m) <= end_day  # noqa: E731
    in_filter = lambda u: unit_ids is None or u in unit_ids  # noqa: E731
    out = {k: 0 for k in ("received", "duplicates", "spam", "withdrawn", "resolved", "backlog", "cohort_resolved",
                          "fixed", "partly_fixed", "cannot_fix", "not_our_authority", "answered",
                          "reopened", "rated", "rating_sum", "rated_high")}
    for step in ("triage", "response", "resolution"):
        out.update({f"{step}_count": 0, f"{step}_met": 0, f"{step}_open_past_due": 0})
    durations = {k: [] for k in ("triage_h", "triage_w", "response_unit_h", "response_unit_w",
                                 "response_citizen_h", "response_citizen_w", "resolution_h", "resolution_w")}
    ageing = [0, 0, 0, 0, 0]
    for c in Complaint.objects.all():
        events = list(Event.objects.filter(complaint=c).order_by("seq"))
        triage_unit = _unit_at(events, c.triaged_at, codes) if c.triaged_at else None
        response_unit = _unit_at(events, c.first_response_at, codes) if c.first_response_at else None
        resolution_unit = _unit_at(events, c.resolved_at, codes) if c.resolved_at else None
        is_open = c.state in OPEN_STATES
        if is_open and in_filter(c.responsible_unit_id):
            out["backlog"] += 1
            age = (timezone.localdate(now) - local(c.submitted_at)).days
            ageing[0 if age <= 3 else 1 if age <= 7 else 2 if age <= 14 else 3 if age <= 30 else 4] += 1
        if c.resolved_at and in_period(c.resolved_at) and in_filter(resolution_unit):
            out["resolved"] += 1
        if not in_period(c.submitted_at):
            continue
        if in_filter(triage_unit):
            if c.state == "duplicate":
                out["duplicates"] += 1
            elif c.state == "rejected" and c.reject_reason == "spam":
                out["spam"] += 1
            elif c.state == "withdrawn":
                out["withdrawn"] += 1
            else:
                out["received"] += 1

        def wall(a, b):
            return (b - a).total_seconds()

        def work(a, b):
            return calendar.working_time_between(a, b).total_seconds()

        if c.triaged_at and in_filter(triage_unit):
            durations["triage_h"].append(wall(c.submitted_at, c.triaged_at))
            durations["triage_w"].append(work(c.submitted_at, c.triaged_at))
        if c.first_response_at and in_filter(response_unit):
            durations["response_unit_h"].append(wall(c.triaged_at, c.first_response_at))
            durations["response_unit_w"].append(work(c.triaged_at, c.first_response_at))
            durations["response_citizen_h"].append(wall(c.submitted_at, c.first_response_at))
            durations["response_citizen_w"].append(work(c.submitted_at, c.first_response_at))
        if c.resolved_at and in_filter(resolution_unit):
            durations["resolution_h"].append(wall(c.submitted_at, c.resolved_at))
            durations["resolution_w"].append(work(c.submitted_at, c.resolved_at))
            out["cohort_resolved"] += 1
            if c.outcome:
                out[c.outcome] += 1
            out["reopened"] += int(c.reopen_count > 0)
            if c.rating:
                out["rated"] += 1
                out["rating_sum"] += c.rating
                out["rated_high"] += int(c.rating >= 4)
        # SLA: the step happened (met or late), or the complaint is open and past due while
        # its clock runs (never while it waits for the citizen in needs_info).
        for step, done_at, due, unit in (
            ("triage", c.triaged_at, c.triage_due_at, triage_unit),
            ("response", c.first_response_at, c.response_due_at, response_unit),
            ("resolution", c.resolved_at, c.resolution_due_at, resolution_unit),
        ):
            if due is None:
                continue
            if done_at is not None:
                if in_filter(unit):
                    out[f"{step}_count"] += 1
                    out[f"{step}_met"] += int(done_at <= due)
            elif is_open and c.state != "needs_info" and due < now and (step != "response" or c.triaged_at) \
                    and in_filter(c.responsible_unit_id):
                out[f"{step}_count"] += 1
                out[f"{step}_open_past_due"] += 1
    out["ageing"] = ageing
    out["durations"] = durations
    return out
