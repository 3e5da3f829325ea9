"""The staff performance page's figures: per unit from the public dashboard's rollups (the
same rows, definitions and step attribution as its league table), per officer from the
per-officer rollups, and how often triage accepted the classifier's suggestion.

Who sees what (decided here, server-side, for the view and any future API):
- unit figures: oversight, privacy officers and administrators for every unit; any other
  staff member for their own units (supervisors: the units below theirs too);
- per-officer figures: oversight and administrators for every officer; a supervisor for the
  officers of the units they supervise, for their work in those units; nobody else.
"""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.roles import acts_as_oversight, reads_everything, unit_roles
from routing.models import Membership, Unit

from . import histogram, metrics, sql
from .metrics.figures import duration_figure
from .metrics.reads import open_now
from .metrics.periods import period_buckets, runs, with_open_end
from .models import OFFICER_COUNT_COLUMNS, AcceptanceCount, OfficerCount, OfficerHistogram

PERIODS = ("30d", "90d", "365d")
DEFAULT_PERIOD = "90d"
OFFICER_METRICS = ("response_unit_h", "response_unit_w", "resolution_h", "resolution_w")


# --- scope ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Scope:
    unit_ids: frozenset | None  # None: every unit
    officer_units: frozenset | None  # units whose officers' figures may be shown; None: all
    officers: bool  # whether any per-officer figure may be shown

    def allows_unit(self, unit_id):
        return self.unit_ids is None or unit_id in self.unit_ids


def scope_for(user):
    if reads_everything(user):
        return Scope(None, None if acts_as_oversight(user) else frozenset(), acts_as_oversight(user))
    roles = unit_roles(user)
    supervised = frozenset(u for u, role in roles.items() if role == Membership.Role.SUPERVISOR)
    return Scope(frozenset(roles), supervised, bool(supervised))


def units_in(scope, unit=None):
    """The active units the page shows (within `unit`'s subtree if given), by code."""
    units = Unit.objects.filter(active=True).order_by("code")
    if scope.unit_ids is not None:
        units = units.filter(pk__in=scope.unit_ids)
    if unit is not None:
        units = units.filter(pk__in=unit.descendant_ids())
    return list(units)


# --- rows -----------------------------------------------------------------------------------
@dataclass
class Row:
    """One line of the page's tables: open and overdue now, resolved in the period, and
    the two medians (hours and working days) with their counts."""
    label: str
    open: int = 0
    overdue: int = 0
    resolved: int = 0
    response: dict = None
    resolution: dict = None
    sla_response: float | None = None
    sla_resolution: float | None = None
    code: str = ""


def open_figures(period, units, now):
    """(past_due, load) of metrics.reads.open_now for the units: one scan of their open
    complaints serves the unit rows (the league table's open-and-past-due, and overdue
    now) and the officers' open load."""
    return open_now(with_open_end(period), [u.pk for u in units], now)


def unit_figures(period, units, now=None, open_read=None):
    """One Row per unit: the public league table's figures of that unit (metrics.unit_rows)
    and the open complaints past a due date now (`open_read`: open_figures', if read)."""
    now = now or timezone.now()
    past_due, load = open_read or open_figures(period, units, now)
    league = {r["code"]: r for r in metrics.unit_rows(period, units, now, past_due=past_due)}
    overdue = Counter()
    for (unit, _officer), (_n, late) in load.items():
        overdue[unit] += late
    rows = []
    for u in units:
        r = league[u.code]
        rows.append(Row(label=str(u), code=u.code, open=r["backlog"]["count"], overdue=overdue[u.pk],
                        resolved=r["resolved"]["count"], response=r["time_to_first_response_unit"],
                        resolution=r["time_to_resolution"], sla_response=r["sla_response"]["percent"],
                        sla_resolution=r["sla_resolution"]["percent"]))
    return rows


def _officer_reads(period, unit_ids, officer_ids):
    """(counts {officer: {column: n}}, blobs {(officer, metric): [histograms]}) over the
    period, from the per-officer rollups, read as the public histograms are (whole
    quarters, months, weeks, then days; one range scan per granularity)."""
    counts, blobs = defaultdict(Counter), defaultdict(list)
    filters, filter_params = "", []
    if unit_ids is not None:
        if not unit_ids:
            return counts, blobs
        filters += f" AND unit_key IN ({sql.marks(unit_ids)})"
        filter_params += list(unit_ids)
    if officer_ids is not None:
        if not officer_ids:
            return counts, blobs
        filters += f" AND officer_id IN ({sql.marks(officer_ids)})"
        filter_params += list(officer_ids)
    count_parts, hist_parts, count_params, hist_params = [], [], [], []
    columns = ", ".join(OFFICER_COUNT_COLUMNS)
    for gran, buckets in period_buckets(period).items():
        if not buckets:
            continue
        spans = runs(buckets, gran)
        ranges = " OR ".join(["bucket BETWEEN %s AND %s"] * len(spans))
        span_params = [d for span in spans for d in span]
        count_parts.append(f"SELECT officer_id, {columns} FROM {sql.table(OfficerCount)} "
                           f"WHERE gran = %s AND ({ranges}){filters}")
        count_params += [gran, *span_params, *filter_params]
        hist_parts.append(f"SELECT officer_id, metric, data FROM {sql.table(OfficerHistogram)} "
                          f"WHERE gran = %s AND ({ranges}) AND metric IN ({sql.marks(OFFICER_METRICS)}){filters}")
        hist_params += [gran, *span_params, *OFFICER_METRICS, *filter_params]
    if not count_parts:
        return counts, blobs
    for officer, *values in sql.fetch(" UNION ALL ".join(count_parts), count_params):
        for column, n in zip(OFFICER_COUNT_COLUMNS, values):
            counts[officer][column] += n
    for officer, metric, data in sql.fetch(" UNION ALL ".join(hist_parts), hist_params):
        blobs[(officer, metric)].append(data)
    return counts, blobs


def _percent(part, whole):
    return None if not whole else round(100.0 * part / whole, 1)


def officer_figures(period, scope, units, now=None, open_read=None):
    """One Row per officer the scope allows: their work (first responses and resolutions)
    in the units shown, from the per-officer rollups, with the same definitions as the unit
    rows; open and overdue now: the complaints assigned to them (`open_read`: open_figures'
    of the units shown, if read)."""
    if not scope.officers:
        return []
    now = now or timezone.now()
    period = with_open_end(period)
    unit_ids = [u.pk for u in units]
    if scope.officer_units is not None:  # a supervisor: the members of the units they supervise
        unit_ids = [u for u in unit_ids if u in scope.officer_units]
        officer_ids = sorted(set(Membership.objects.filter(unit_id__in=unit_ids).values_list("user_id", flat=True)))
    else:
        officer_ids = None
    with metrics.snapshot():
        counts, blobs = _officer_reads(period, unit_ids, officer_ids)
    load = (open_read or open_figures(period, units, now))[1]
    # Open load now: the complaints assigned to them in the units whose officers are shown.
    assigned, shown, allowed = defaultdict(lambda: [0, 0]), set(unit_ids), set(officer_ids or ())
    for (unit, officer), (n, late) in load.items():
        if officer is not None and unit in shown and (officer_ids is None or officer in allowed):
            assigned[officer][0] += n
            assigned[officer][1] += late
    load = assigned
    people = set(counts) | {o for o, _m in blobs} | set(load)
    if officer_ids is not None:
        people |= set(officer_ids)
    names = dict(get_user_model().objects.filter(pk__in=people).values_list("pk", "username"))
    keys = [(o, m) for o in sorted(people) for m in OFFICER_METRICS]
    dense = dict(zip(keys, histogram.dense_many([blobs.get(k, []) for k in keys])))
    rows = []
    for officer in people:
        if officer not in names:
            continue
        c = counts.get(officer, Counter())
        rows.append(Row(
            label=names[officer], open=load.get(officer, (0, 0))[0], overdue=load.get(officer, (0, 0))[1],
            resolved=c["resolved"],
            response=duration_figure(dense[(officer, "response_unit_h")], dense[(officer, "response_unit_w")]),
            resolution=duration_figure(dense[(officer, "resolution_h")], dense[(officer, "resolution_w")]),
            sla_response=_percent(c["response_met"], c["response_done"]),
            sla_resolution=_percent(c["resolution_met"], c["resolution_done"])))
    return sorted(rows, key=lambda r: r.label)


# --- suggestion acceptance (the router's chart) ------------------------------------------------
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
    def percent(self):
        return round(100 * self.accepted / self.decided) if self.decided else None


def acceptance(first_day, last_day, per_officer):
    """How often triage accepted the suggested unit from `first_day` to `last_day` (local
    days), from AcceptanceCount: in all, per week from Monday (every week listed, empty ones
    too, so the chart has no gaps), and (for those who may see per-officer figures) per
    triage officer."""
    rows = list(AcceptanceCount.objects.filter(day__gte=first_day, day__lte=last_day)
                .values_list("day", "officer_id", "decided", "accepted"))
    overall, per, weeks = Acceptance(_("All triage decisions")), defaultdict(lambda: [0, 0]), {}
    week = first_day - dt.timedelta(days=first_day.weekday())
    while week <= last_day:
        weeks[week] = [0, 0]
        week += dt.timedelta(days=7)
    for day, officer, decided, accepted in rows:
        overall.decided += decided
        overall.accepted += accepted
        for bucket in (per[officer], weeks[day - dt.timedelta(days=day.weekday())]):
            bucket[0] += decided
            bucket[1] += accepted
    by_officer = []
    if per_officer:
        names = dict(get_user_model().objects.filter(pk__in=list(per)).values_list("pk", "username"))
        by_officer = sorted((Acceptance(names.get(o, _("System")), n, k) for o, (n, k) in per.items()),
                            key=lambda r: r.label)
    weeks = [WeekAcceptance(w, n, k) for w, (n, k) in sorted(weeks.items())]
    return {
        "acceptance": overall,
        "acceptance_by_officer": by_officer,
        "acceptance_weeks": weeks,
        # The chart's data (json_script on the page): the same figures as the table.
        "acceptance_weeks_json": [w.as_json() for w in weeks],
    }


def performance(user, period, unit=None, now=None):
    """Everything the page shows to `user` for the period (a metrics.Period) and, if given,
    one unit's subtree (the caller checked it is in the user's scope)."""
    now = now or timezone.now()
    scope = scope_for(user)
    units = units_in(scope, unit)
    open_read = open_figures(period, units, now)  # read once for the unit and officer rows
    since = dt.datetime.combine(period.start, dt.time.min, tzinfo=timezone.get_current_timezone())
    return {
        "period": period, "since": since, "scope": scope,
        "units": unit_figures(period, units, now, open_read),
        "officers": officer_figures(period, scope, units, now, open_read),
        "shows_officers": scope.officers,
        **acceptance(period.start, timezone.localdate(now), per_officer=scope.officers and scope.officer_units is None),
    }
