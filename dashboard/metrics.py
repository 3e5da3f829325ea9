"""The public metrics, computed once for pages, JSON and CSV alike (so they agree to the
digit). Definitions: DESIGN.md, "Public metrics". Everything here reads rollups, except
"open and past due" (time-dependent), which reads the open complaints only.
"""

import contextlib
import dataclasses
import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints.models import OPEN_STATES, Complaint
from routing.models import Category, Unit

from . import histogram
from .models import COUNT_COLUMNS, UNIT_ALL, UNIT_NONE, DailyCount, DurationHistogram, MonthlyCount, OpenCount
from .rollups import bin_value, bucket_of

PERIODS = {"7d": 7, "30d": 30, "90d": 90, "365d": 365}
DEFAULT_PERIOD = "30d"
MAX_CUSTOM_DAYS = 3660
# Custom periods lie within these bounds: no complaint is older, and dates near year 1 or
# 9999 would overflow the date arithmetic of the rollup readers.
EARLIEST_DAY = dt.date(2000, 1, 1)
LATEST_DAYS_AHEAD = 366
AGE_BUCKETS = ((0, 3, "0–3"), (4, 7, "4–7"), (8, 14, "8–14"), (15, 30, "15–30"), (31, None, ">30"))

# name → (label, definition). The definition names DESIGN.md's wording.
DEFINITIONS = {
    "received": (gettext_lazy("Received"), gettext_lazy(
        "Complaints submitted in the period, duplicates and complaints rejected as spam excluded "
        "(counted apart). Per unit: the unit the complaint was first routed to.")),
    "resolved": (gettext_lazy("Resolved"), gettext_lazy(
        "First resolutions that happened in the period, by the unit that resolved.")),
    "backlog": (gettext_lazy("Open backlog"), gettext_lazy(
        "Open complaints now (submitted, waiting for information, routed, in progress), by age "
        "since submission in days; per unit: the unit responsible now.")),
    "time_to_triage": (gettext_lazy("Time to triage"), gettext_lazy(
        "triaged_at − submitted_at, complaints submitted in the period; attributed to the unit "
        "it was routed to.")),
    "time_to_first_response_unit": (gettext_lazy("Time to first response (unit)"), gettext_lazy(
        "first_response_at − triaged_at: the unit's part, complaints submitted in the period; "
        "attributed to the unit responsible at the first response.")),
    "time_to_first_response_citizen": (gettext_lazy("Time to first response (citizen's wait)"), gettext_lazy(
        "first_response_at − submitted_at, complaints submitted in the period.")),
    "time_to_resolution": (gettext_lazy("Time to resolution"), gettext_lazy(
        "resolved_at − submitted_at (first resolution), resolved complaints submitted in the "
        "period; attributed to the unit that resolved.")),
    "sla_triage": (gettext_lazy("Triage on time"), gettext_lazy(
        "Share of complaints submitted in the period, with a triage due date, triaged by it; "
        "open complaints already past due count as breaches, open ones not yet due are not counted.")),
    "sla_response": (gettext_lazy("First response on time"), gettext_lazy(
        "Share of complaints submitted in the period, with a response due date, first answered "
        "by it; open complaints already past due count as breaches.")),
    "sla_resolution": (gettext_lazy("Resolution on time"), gettext_lazy(
        "Share of complaints submitted in the period, with a resolution due date, resolved by "
        "it; open complaints already past due count as breaches.")),
    "fixed_rate": (gettext_lazy("Fixed rate"), gettext_lazy(
        "Share of resolved complaints submitted in the period with outcome fixed or partly fixed; "
        "cannot fix, not our authority and answered are shown apart, never counted as fixed.")),
    "satisfaction": (gettext_lazy("Satisfaction"), gettext_lazy(
        "Mean citizen rating (1–5) and share rated 4–5, resolved complaints submitted in the period.")),
    "reopen_rate": (gettext_lazy("Reopen rate"), gettext_lazy(
        "Share of resolved complaints submitted in the period that were reopened.")),
}
DURATION_FIGURES = (
    ("time_to_triage", "triage"),
    ("time_to_first_response_unit", "response_unit"),
    ("time_to_first_response_citizen", "response_citizen"),
    ("time_to_resolution", "resolution"),
)
# The league table's duration columns (hours and working days read from one histogram each).
LEAGUE_DURATIONS = ("response_unit", "resolution")


class BadParameter(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    label: str
    # True when no rollup row lies after `end` (a period ending today): a bucket that
    # starts inside the period may then be read whole even if it ends after it.
    open_end: bool = False

    @property
    def days(self):
        return (self.end - self.start).days + 1

    def as_dict(self):
        return {"label": self.label, "start": self.start.isoformat(), "end": self.end.isoformat(),
                "days": self.days, "time_zone": settings.TIME_ZONE}


def today():
    return timezone.localdate()


def parse_period(params, now_day=None):
    now_day = now_day or today()
    start, end = params.get("start"), params.get("end")
    if start or end:
        if not (start and end):
            raise BadParameter(_("Give both start and end dates (YYYY-MM-DD), or a period."))
        try:
            start_d, end_d = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
        except ValueError:
            raise BadParameter(_("Dates must look like 2025-01-31.")) from None
        latest = now_day + dt.timedelta(days=LATEST_DAYS_AHEAD)
        if start_d < EARLIEST_DAY or end_d > latest:
            raise BadParameter(_("Dates must lie between %(first)s and %(last)s.")
                               % {"first": EARLIEST_DAY.isoformat(), "last": latest.isoformat()})
        if start_d > end_d:
            raise BadParameter(_("The start date must not be after the end date."))
        if (end_d - start_d).days >= MAX_CUSTOM_DAYS:
            raise BadParameter(_("A custom period may span at most ten years."))
        return Period(start_d, end_d, "custom")
    label = params.get("period") or DEFAULT_PERIOD
    if label not in PERIODS:
        raise BadParameter(_("Unknown period “%(p)s”: use 7d, 30d, 90d or 365d, or start and end dates.")
                           % {"p": label[:20]})
    return Period(now_day - dt.timedelta(days=PERIODS[label] - 1), now_day, label)


def parse_unit(code):
    if not code:
        return None
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise BadParameter(_("Unknown unit “%(code)s”.") % {"code": code[:40]})
    return unit


def min_rank_count():
    return getattr(settings, "DASHBOARD_MIN_RANK_COUNT", 10)


# --- reading rollups ----------------------------------------------------------------------
def _month_end(day, months=1):
    """The last day of the month `months - 1` months after `day`'s month."""
    first = day.replace(day=1)
    for _month in range(months):
        first = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return first - dt.timedelta(days=1)


def period_buckets(period):
    """Cover the period with whole quarters, then whole months, then whole ISO weeks, then
    days: a rolling year is ~3 quarters, ~2 months, a few weeks and days (fewer with
    open_end, when the current quarter, month or week can be read whole)."""
    out = {"q": [], "m": [], "w": [], "d": []}
    cursor = period.start

    def fits(last_day):
        return period.open_end or last_day <= period.end

    while cursor <= period.end:
        if cursor.day == 1 and cursor.month % 3 == 1 and fits(_month_end(cursor, 3)):
            out["q"].append(cursor)
            cursor = _month_end(cursor, 3) + dt.timedelta(days=1)
        elif cursor.day == 1 and fits(_month_end(cursor)):
            out["m"].append(cursor)
            cursor = _month_end(cursor) + dt.timedelta(days=1)
        elif cursor.weekday() == 0 and fits(cursor + dt.timedelta(days=6)) and (
                cursor + dt.timedelta(days=6) <= _month_end(cursor)
                or not fits(_month_end(cursor + dt.timedelta(days=6)))):
            # A week may cross into the next month only when that month cannot be read
            # whole anyway; otherwise days lead up to its first, where months take over.
            out["w"].append(cursor)
            cursor += dt.timedelta(days=7)
        else:
            out["d"].append(cursor)
            cursor += dt.timedelta(days=1)
    return out


def with_open_end(period):
    """The period, marked open-ended when no daily counter row lies after its end (every
    day with a submission or a resolution has one, so no histogram row does either)."""
    if period.open_end or DailyCount.objects.filter(day__gt=period.end).exists():
        return period
    return dataclasses.replace(period, open_end=True)


def histogram_blobs(period, unit_keys, metrics):
    """{(unit_key, metric): [encoded histograms]} covering the period, in one query: one
    index range scan on (unit_key, gran, bucket, metric) per granularity, joined with
    UNION ALL (an OR across granularities makes PostgreSQL scan every bucket of the units)."""
    blobs = defaultdict(list)
    if not unit_keys:
        return blobs
    table = _table(DurationHistogram)
    parts, params = [], []
    for gran, buckets in period_buckets(period).items():
        if buckets:
            # Runs of consecutive buckets as ranges: a range scan per unit instead of one
            # index probe per (unit, bucket, metric).
            runs = _runs(buckets, gran)
            ranges = " OR ".join(["bucket BETWEEN %s AND %s"] * len(runs))
            parts.append(f"SELECT unit_key, metric, data FROM {table} WHERE gran = %s AND unit_key IN "
                         f"({_marks(unit_keys)}) AND ({ranges}) AND metric IN ({_marks(metrics)})")
            params += [gran, *unit_keys, *[d for run in runs for d in run], *metrics]
    for unit, metric, data in _fetch(" UNION ALL ".join(parts), params):
        blobs[(unit, metric)].append(data)
    return blobs


def _runs(buckets, gran):
    """[(first, last)] of consecutive buckets of one granularity (sorted input)."""
    runs = []
    for bucket in buckets:
        if runs and bucket_of(runs[-1][1] + dt.timedelta(days=_LONGEST[gran]), gran) == bucket:
            runs[-1][1] = bucket
        else:
            runs.append([bucket, bucket])
    return [tuple(run) for run in runs]


# A bucket plus this many days lands in the next bucket of the granularity.
_LONGEST = {"d": 1, "w": 7, "m": 31, "q": 92}


def _adapt(value):
    if isinstance(value, dt.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, dt.date):
        return connection.ops.adapt_datefield_value(value)
    return value


def _marks(values):
    return ", ".join(["%s"] * len(values))


def _fetch(sql, params):
    """Rows of a read-only query. On PostgreSQL the results come in binary format: a year of
    histograms is megabytes of bytea, which the default text format would send as hex
    (twice the bytes, plus decoding). Same connection, so same transaction."""
    params = [_adapt(p) for p in params]
    if connection.vendor == "postgresql":
        import psycopg

        connection.ensure_connection()
        # Django's error translation (and broken-connection bookkeeping) still applies;
        # prepare=False keeps it safe behind a transaction-pooling PgBouncer.
        with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
            return cursor.execute(sql, params, binary=True, prepare=False).fetchall()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def histograms(period, unit_keys, metrics, by_unit=False, blobs=None):
    """{(unit_key or None, metric): dense bin counts} summed over the period (and over the
    units unless by_unit). `blobs` reuses rows already read by histogram_blobs."""
    if blobs is None:
        blobs = histogram_blobs(period, unit_keys, metrics)
    units, wanted = set(unit_keys), set(metrics)
    merged = defaultdict(list)
    for (unit, metric), parts in blobs.items():
        if unit in units and metric in wanted:
            merged[(unit if by_unit else None, metric)].extend(parts)
    keys = list(merged)
    return dict(zip(keys, histogram.dense_many([merged[k] for k in keys])))


def percentile(counts, p):
    """Nearest rank: the value of the ceil(p·n)-th smallest duration, read from its bin."""
    return percentiles(counts, (p,))[0]


def percentiles(counts, ps):
    """Several nearest-rank percentiles from one running sum of the bins."""
    if counts is None:
        return [None] * len(ps)
    return [None if i is None else bin_value(i) for i in histogram.percentile_bins(counts, ps)]


def _hours(seconds):
    return None if seconds is None else round(seconds / 3600, 1)


def _working_days(seconds):
    return None if seconds is None else round(seconds / 86400, 2)


def _share(part, whole):
    return None if not whole else round(100.0 * part / whole, 1)


def duration_figure(hours_hist, working_hist):
    median_h, p90_h = percentiles(hours_hist, (0.5, 0.9))
    median_w, p90_w = percentiles(working_hist, (0.5, 0.9))
    return {
        "count": int(hours_hist.sum()) if hours_hist is not None else 0,
        "median_hours": _hours(median_h), "p90_hours": _hours(p90_h),
        "median_working_days": _working_days(median_w), "p90_working_days": _working_days(p90_w),
    }


def open_past_due(period, unit_ids=None, now=None):
    """Open complaints submitted in the period whose due date has passed before the step
    happened, by (current unit, category). Bounded by the backlog, never by history: the
    query reads only columns of the partial covering index complaint_open_submitted, so
    PostgreSQL answers it from that index alone."""
    now = now or timezone.now()
    start, end = _day_range(period)
    if unit_ids is not None and not unit_ids:
        return {}
    unit_filter = f" AND responsible_unit_id IN ({_marks(unit_ids)})" if unit_ids else ""
    # The states are written into the SQL (constants of the code, not input) so that the
    # planner can match the partial index's condition.
    states = ", ".join(f"'{s.value}'" for s in OPEN_STATES)
    rows = _fetch(
        "SELECT responsible_unit_id, category_id, "
        "SUM(CASE WHEN triaged_at IS NULL AND triage_due_at < %s THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN triaged_at IS NOT NULL AND first_response_at IS NULL AND response_due_at < %s "
        "THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN resolved_at IS NULL AND resolution_due_at < %s THEN 1 ELSE 0 END) "
        f"FROM {_table(Complaint)} WHERE state IN ({states}) AND submitted_at >= %s "
        f"AND submitted_at < %s{unit_filter} GROUP BY responsible_unit_id, category_id",
        [now, now, now, start, end, *(unit_ids or ())])
    return {(unit or UNIT_NONE, cat): {"triage": int(a), "response": int(b), "resolution": int(c)}
            for unit, cat, a, b, c in rows}


def _day_range(period):
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start, end


def month_split(period):
    """(first and last whole month inside the period or None, the days outside them); with
    open_end the last, partial month counts as whole."""
    first = period.start if period.start.day == 1 else \
        (period.start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    if period.open_end:
        if first > period.end:
            return None, [(period.start, period.end)]
        head = (period.start, first - dt.timedelta(days=1))
        return (first, period.end.replace(day=1)), [head] if head[0] <= head[1] else []
    after_end = period.end + dt.timedelta(days=1)
    last = after_end.replace(day=1) - dt.timedelta(days=1)  # last day of the last whole month
    if last < first:
        return None, [(period.start, period.end)]
    days = [(a, b) for a, b in ((period.start, first - dt.timedelta(days=1)), (last + dt.timedelta(days=1), period.end))
            if a <= b]
    return (first, last.replace(day=1)), days


def counts(period, unit_ids=None):
    """{(unit_key, category_id): {column: n}}, read as whole months from MonthlyCount and
    the remaining days from DailyCount (a year: ~12 month rows per key, not 365), summed
    in one query."""
    months, day_ranges = month_split(period)
    columns = ", ".join(COUNT_COLUMNS)
    unit_filter = f" AND unit_key IN ({_marks(unit_ids)})" if unit_ids else ""
    if unit_ids is not None and not unit_ids:
        return {}
    parts, params = [], []
    if months:
        parts.append(f"SELECT unit_key, category_id, {columns} FROM {_table(MonthlyCount)} "
                     f"WHERE day >= %s AND day <= %s{unit_filter}")
        params += [*months, *(unit_ids or ())]
    for first, last in day_ranges:
        parts.append(f"SELECT unit_key, category_id, {columns} FROM {_table(DailyCount)} "
                     f"WHERE day >= %s AND day <= %s{unit_filter}")
        params += [first, last, *(unit_ids or ())]
    sums = ", ".join(f"SUM({c})" for c in COUNT_COLUMNS)
    rows = _fetch(f"SELECT unit_key, category_id, {sums} FROM ({' UNION ALL '.join(parts)}) AS parts "
                  f"GROUP BY unit_key, category_id", params)
    return {(unit, cat): {c: int(n or 0) for c, n in zip(COUNT_COLUMNS, values)} for unit, cat, *values in rows}


def _table(model):
    return connection.ops.quote_name(model._meta.db_table)


def backlog(unit_ids, now_day):
    """Open complaints now: ([(unit_key, category_id, n)], ageing buckets), in one query."""
    if unit_ids is not None and not unit_ids:
        return [], [{"days": label, "count": 0} for _l, _h, label in AGE_BUCKETS]
    cases, params = [], []
    for low, high, _label in AGE_BUCKETS:
        oldest = now_day - dt.timedelta(days=high) if high is not None else dt.date.min
        cases.append("SUM(CASE WHEN day <= %s AND day >= %s THEN n ELSE 0 END)")
        params += [now_day - dt.timedelta(days=low), oldest]
    unit_filter = f" AND unit_key IN ({_marks(unit_ids)})" if unit_ids else ""
    rows = _fetch(f"SELECT unit_key, category_id, SUM(n), {', '.join(cases)} FROM {_table(OpenCount)} "
                  f"WHERE n > 0{unit_filter} GROUP BY unit_key, category_id", [*params, *(unit_ids or ())])
    ages = [sum(int(r[3 + i]) for r in rows) for i in range(len(AGE_BUCKETS))]
    return ([(unit, cat, int(n)) for unit, cat, n, *_ages in rows],
            [{"days": label, "count": n} for (_l, _h, label), n in zip(AGE_BUCKETS, ages)])


# --- figures ------------------------------------------------------------------------------
def rate_figures(c, overdue):
    """The count-based figures from summed counters `c` and open-past-due counts."""
    out = {}
    for name, step in (("sla_triage", "triage"), ("sla_response", "response"),
                       ("sla_resolution", "resolution")):
        done, met, late_open = c[f"{step}_done"], c[f"{step}_met"], overdue.get(step, 0)
        whole = done + late_open
        out[name] = {"count": whole, "met": met, "late": done - met, "open_past_due": late_open,
                     "percent": _share(met, whole)}
    resolved = c["cohort_resolved"]
    out["fixed_rate"] = {
        "count": resolved, "fixed": c["fixed"], "partly_fixed": c["partly_fixed"],
        "cannot_fix": c["cannot_fix"], "not_our_authority": c["not_our_authority"],
        "answered": c["answered"], "percent": _share(c["fixed"] + c["partly_fixed"], resolved),
    }
    out["satisfaction"] = {
        "count": c["rated"], "mean_rating": round(c["rating_sum"] / c["rated"], 2) if c["rated"] else None,
        "rated_4_or_5": c["rated_high"], "percent_4_or_5": _share(c["rated_high"], c["rated"]),
    }
    out["reopen_rate"] = {"count": resolved, "reopened": c["reopened"], "percent": _share(c["reopened"], resolved)}
    out["received"] = {"count": c["received"], "duplicates": c["duplicates"], "rejected_as_spam": c["spam"]}
    out["resolved"] = {"count": c["resolved"]}
    return out


def _sum(dicts, columns):
    total = dict.fromkeys(columns, 0)
    for d in dicts:
        for c in columns:
            total[c] += d.get(c, 0)
    return total


@contextlib.contextmanager
def snapshot():
    """On PostgreSQL, read every figure in one repeatable-read, read-only transaction (one
    snapshot, so the figures agree with each other even while transitions commit) and
    without parallel workers: these are a dozen small index scans, for which starting
    workers costs more than it saves. Elsewhere (SQLite) plain autocommit reads."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY; "
                           "SET LOCAL max_parallel_workers_per_gather = 0")
        yield


def summary(period, unit=None, now=None, league=True):
    """Every figure for the period and unit filter (the unit and all units below it)."""
    with snapshot():
        return _summary(with_open_end(period), unit, now, league)


def _summary(period, unit, now, league):
    now = now or timezone.now()
    now_day = timezone.localdate(now)
    subtree = unit.descendant_ids() if unit is not None else None
    context = {"period": period.as_dict(),
               "filter": {"unit": unit.code if unit else None, "includes_subunits": True}}

    by_key = counts(period, subtree)
    overdue = open_past_due(period, subtree, now)
    total = _sum(by_key.values(), COUNT_COLUMNS)
    overdue_total = _sum(overdue.values(), ("triage", "response", "resolution"))
    figures = rate_figures(total, overdue_total)

    metrics_read = [f"{d}_{u}" for _n, d in DURATION_FIGURES for u in "hw"]
    # Every duration is recorded under its unit and under "all units", so for the whole
    # tree (no unit outside the subtree) the small "all" rows give the same sums.
    if unit is None or not Unit.objects.exclude(pk__in=subtree).exists():
        hist, unit_blobs = histograms(period, [UNIT_ALL], metrics_read), None
    else:
        # The subtree's per-unit rows serve the headline (summed) and the league (per unit).
        unit_blobs = histogram_blobs(period, subtree, metrics_read)
        hist = histograms(period, subtree, metrics_read, blobs=unit_blobs)
    for name, d in DURATION_FIGURES:
        figures[name] = duration_figure(hist.get((None, f"{d}_h")), hist.get((None, f"{d}_w")))
    open_rows, ages = backlog(subtree, now_day)
    figures["backlog"] = {"count": sum(r[2] for r in open_rows), "as_of": now.isoformat(), "ageing": ages}
    result = dict(context)
    result["figures"] = [_named(name, body, context) for name, body in _ordered(figures)]
    result["categories"] = category_table(by_key, overdue, open_rows)
    if league:
        result["units"] = league_table(period, unit, by_key, overdue, open_rows, unit_blobs, subtree)
    return result


ORDER = ("received", "resolved", "backlog", "time_to_triage", "time_to_first_response_unit",
         "time_to_first_response_citizen", "time_to_resolution", "sla_triage", "sla_response",
         "sla_resolution", "fixed_rate", "satisfaction", "reopen_rate")


def _ordered(figures):
    return [(name, figures[name]) for name in ORDER]


def _named(name, body, context):
    label, definition = DEFINITIONS[name]
    return {"name": name, "label": str(label), "definition": str(definition), **context, **body}


def category_table(by_key, overdue, backlog):
    per_cat, over_cat, open_cat = defaultdict(list), defaultdict(list), Counter()
    for (unit, cat), values in by_key.items():
        per_cat[cat].append(values)
    for (unit, cat), values in overdue.items():
        over_cat[cat].append(values)
    for _unit, cat, n in backlog:
        open_cat[cat] += n
    names = {c.pk: c for c in Category.objects.filter(pk__in=set(per_cat) | set(open_cat)).only(
        "code", "name_id", "name_en")}
    rows = []
    for cat_id, cat in sorted(names.items(), key=lambda kv: kv[1].code):
        figs = rate_figures(_sum(per_cat[cat_id], COUNT_COLUMNS),
                            _sum(over_cat[cat_id], ("triage", "response", "resolution")))
        rows.append({"code": cat.code, "name": cat.name, "backlog": open_cat[cat_id], **{
            k: figs[k] for k in ("received", "resolved", "sla_response", "sla_resolution",
                                 "fixed_rate", "satisfaction")}})
    return rows


LEAGUE_SORTS = ("received", "resolved", "backlog", "median_response_hours", "median_resolution_hours",
                "sla_response", "sla_resolution", "fixed_rate", "satisfaction", "reopen_rate")
# Which direction is better, for ranking.
_HIGHER_IS_BETTER = {"sla_response", "sla_resolution", "fixed_rate", "satisfaction"}
_LOWER_IS_BETTER = {"median_response_hours", "median_resolution_hours", "reopen_rate"}


def league_table(period, unit, by_key, overdue, backlog, blobs=None, subtree=None):
    """One row per unit (the whole tree, or the unit and its sub-units), each with its own
    figures (not its sub-units'). Units below the minimum count are listed, not ranked."""
    units = list(Unit.objects.filter(active=True).order_by("code")) if unit is None else \
        list(Unit.objects.filter(pk__in=subtree if subtree is not None else unit.descendant_ids()).order_by("code"))
    ids = [u.pk for u in units]
    per_unit, over_unit, open_unit = defaultdict(list), defaultdict(list), Counter()
    for (key, _cat), values in by_key.items():
        per_unit[key].append(values)
    for (key, _cat), values in overdue.items():
        over_unit[key].append(values)
    for key, _cat, n in backlog:
        open_unit[key] += n
    hist = histograms(period, ids, [f"{d}_{u}" for d in LEAGUE_DURATIONS for u in "hw"], by_unit=True, blobs=blobs)
    minimum = min_rank_count()
    rows = []
    for u in units:
        figs = rate_figures(_sum(per_unit[u.pk], COUNT_COLUMNS),
                            _sum(over_unit[u.pk], ("triage", "response", "resolution")))
        response = duration_figure(hist.get((u.pk, "response_unit_h")), hist.get((u.pk, "response_unit_w")))
        resolution = duration_figure(hist.get((u.pk, "resolution_h")), hist.get((u.pk, "resolution_w")))
        rows.append({
            "code": u.code, "name": u.name, "parent": None,
            "received": figs["received"], "resolved": figs["resolved"],
            "backlog": {"count": open_unit[u.pk]},
            "time_to_first_response_unit": response, "time_to_resolution": resolution,
            "sla_response": figs["sla_response"], "sla_resolution": figs["sla_resolution"],
            "fixed_rate": figs["fixed_rate"], "satisfaction": figs["satisfaction"],
            "reopen_rate": figs["reopen_rate"],
            "ranked": figs["received"]["count"] >= minimum,
        })
    return rows


def sort_value(row, key):
    return {
        "received": row["received"]["count"], "resolved": row["resolved"]["count"],
        "backlog": row["backlog"]["count"],
        "median_response_hours": row["time_to_first_response_unit"]["median_hours"],
        "median_resolution_hours": row["time_to_resolution"]["median_hours"],
        "sla_response": row["sla_response"]["percent"], "sla_resolution": row["sla_resolution"]["percent"],
        "fixed_rate": row["fixed_rate"]["percent"], "satisfaction": row["satisfaction"]["mean_rating"],
        "reopen_rate": row["reopen_rate"]["percent"],
    }[key]


def sort_league(rows, key, descending=None):
    """Ranked units first, sorted by `key` (best first unless told), with a rank number;
    then the units below the minimum count, unranked, by code."""
    if key not in LEAGUE_SORTS:
        key = "received"
    if descending is None:
        descending = key not in _LOWER_IS_BETTER
    ranked = [r for r in rows if r["ranked"] and sort_value(r, key) is not None]
    rest = [r for r in rows if r not in ranked]
    ranked.sort(key=lambda r: sort_value(r, key), reverse=descending)
    for i, r in enumerate(ranked, 1):
        r["rank"] = i
    for r in rest:
        r["rank"] = None
    return ranked + sorted(rest, key=lambda r: r["code"]), key, descending


def weekly(period, unit=None, weeks_min=12):
    """Weekly received counts and median resolution time (of complaints submitted that
    week), for the ISO weeks covering the period (at least `weeks_min`)."""
    end_week = bucket_of(period.end, "w")
    first = min(bucket_of(period.start, "w"), end_week - dt.timedelta(weeks=weeks_min - 1))
    weeks = []
    cursor = first
    while cursor <= end_week:
        weeks.append(cursor)
        cursor += dt.timedelta(days=7)
    subtree = unit.descendant_ids() if unit is not None else None
    qs = DailyCount.objects.filter(day__gte=first, day__lte=end_week + dt.timedelta(days=6))
    if subtree is not None:
        qs = qs.filter(unit_key__in=subtree)
    volume = Counter()
    for day, n in qs.values("day").annotate(total=Sum("received")).values_list("day", "total").order_by():
        volume[bucket_of(day, "w")] += n or 0
    keys = [UNIT_ALL] if unit is None else subtree
    blobs = defaultdict(list)
    for bucket, data in DurationHistogram.objects.filter(
            unit_key__in=keys, gran="w", bucket__in=weeks, metric="resolution_h").values_list("bucket", "data"):
        blobs[bucket].append(data)
    hist = dict(zip(weeks, histogram.dense_many([blobs[w] for w in weeks])))
    return [{"week": w.isoformat(), "received": volume[w],
             "resolved_count": int(hist[w].sum()),
             "median_resolution_hours": _hours(percentile(hist[w], 0.5))} for w in weeks]
