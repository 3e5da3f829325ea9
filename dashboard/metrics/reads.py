"""Reading the rollups (and, for "open and past due", the open complaints) in as few
queries as possible; one read snapshot for all figures of a request."""

import contextlib
import datetime as dt
from collections import defaultdict

from django.db import connection, transaction
from django.utils import timezone

from complaints.lifecycle.clock import SLA_STEPS, overdue_sql
from complaints.models import OPEN_STATES, Complaint

from .. import histogram, sql
from ..models import COUNT_COLUMNS, DailyCount, DurationHistogram, MonthlyCount, OpenCount, UNIT_NONE
from .periods import day_range, month_split, period_buckets, runs

AGE_BUCKETS = ((0, 3, "0–3"), (4, 7, "4–7"), (8, 14, "8–14"), (15, 30, "15–30"), (31, None, ">30"))


def histogram_blobs(period, unit_keys, metrics):
    """{(unit_key, metric): [encoded histograms]} covering the period, in one query: one
    index range scan on (unit_key, gran, bucket, metric) per granularity, joined with
    UNION ALL (an OR across granularities makes PostgreSQL scan every bucket of the units)."""
    blobs = defaultdict(list)
    if not unit_keys:
        return blobs
    table = sql.table(DurationHistogram)
    parts, params = [], []
    for gran, buckets in period_buckets(period).items():
        if buckets:
            # Runs of consecutive buckets as ranges: a range scan per unit instead of one
            # index probe per (unit, bucket, metric).
            spans = runs(buckets, gran)
            ranges = " OR ".join(["bucket BETWEEN %s AND %s"] * len(spans))
            parts.append(f"SELECT unit_key, metric, data FROM {table} WHERE gran = %s AND unit_key IN "
                         f"({sql.marks(unit_keys)}) AND ({ranges}) AND metric IN ({sql.marks(metrics)})")
            params += [gran, *unit_keys, *[d for span in spans for d in span], *metrics]
    for unit, metric, data in sql.fetch(" UNION ALL ".join(parts), params):
        blobs[(unit, metric)].append(data)
    return blobs


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


def open_past_due(period, unit_ids=None, now=None):
    """Open complaints submitted in the period whose due date has passed before the step
    happened, by (current unit, category). Bounded by the backlog, never by history: the
    query reads only columns of the partial covering index complaint_open_submitted, so
    PostgreSQL answers it from that index alone."""
    now = now or timezone.now()
    start, end = day_range(period)
    if unit_ids is not None and not unit_ids:
        return {}
    unit_filter = f" AND responsible_unit_id IN ({sql.marks(unit_ids)})" if unit_ids else ""
    # The states are written into the SQL (constants of the code, not input) so that the
    # planner can match the partial index's condition.
    states = ", ".join(f"'{s.value}'" for s in OPEN_STATES)
    # "Overdue" is the lifecycle's one rule (complaints.lifecycle.clock): a complaint waiting
    # for the citizen (needs_info) is paused, never a unit's breach.
    sums = ", ".join(f"SUM(CASE WHEN {overdue_sql(step)} THEN 1 ELSE 0 END)" for step in SLA_STEPS)
    rows = sql.fetch(
        f"SELECT responsible_unit_id, category_id, {sums} "
        f"FROM {sql.table(Complaint)} WHERE state IN ({states}) AND submitted_at >= %s "
        f"AND submitted_at < %s{unit_filter} GROUP BY responsible_unit_id, category_id",
        [*([now] * len(SLA_STEPS)), start, end, *(unit_ids or ())])
    return {(unit or UNIT_NONE, cat): {step.name: int(n) for step, n in zip(SLA_STEPS, overdue)}
            for unit, cat, *overdue in rows}


def open_now(period, unit_ids, now):
    """One scan of the units' open complaints for the staff performance page, giving
    (open_past_due's {(unit, category): {step: n}} for the period, and {(unit, assignee or
    None): (open, overdue now)} whatever the submission date). The same index-only read of
    complaint_open_submitted as open_past_due, done once instead of twice."""
    if not unit_ids:
        return {}, {}
    start, end = day_range(period)
    states = ", ".join(f"'{s.value}'" for s in OPEN_STATES)
    in_period = "submitted_at >= %s AND submitted_at < %s"
    any_overdue = " OR ".join(overdue_sql(step) for step in SLA_STEPS)
    sums = ", ".join(f"SUM(CASE WHEN {in_period} AND {overdue_sql(step)} THEN 1 ELSE 0 END)" for step in SLA_STEPS)
    rows = sql.fetch(
        f"SELECT responsible_unit_id, category_id, assignee_id, COUNT(*), "
        f"SUM(CASE WHEN {any_overdue} THEN 1 ELSE 0 END), {sums} "
        f"FROM {sql.table(Complaint)} WHERE state IN ({states}) AND responsible_unit_id IN ({sql.marks(unit_ids)}) "
        f"GROUP BY responsible_unit_id, category_id, assignee_id",
        [*([now] * len(SLA_STEPS)), *[p for _ in SLA_STEPS for p in (start, end, now)], *unit_ids])
    past_due, load = defaultdict(lambda: {step.name: 0 for step in SLA_STEPS}), defaultdict(lambda: [0, 0])
    for unit, cat, assignee, n, late, *overdue in rows:
        for step, k in zip(SLA_STEPS, overdue):
            past_due[(unit or UNIT_NONE, cat)][step.name] += int(k)
        load[(unit, assignee)][0] += int(n)
        load[(unit, assignee)][1] += int(late)
    return dict(past_due), {key: tuple(v) for key, v in load.items()}


def counts(period, unit_ids=None):
    """{(unit_key, category_id): {column: n}}, read as whole months from MonthlyCount and
    the remaining days from DailyCount (a year: ~12 month rows per key, not 365), summed
    in one query."""
    months, day_ranges = month_split(period)
    columns = ", ".join(COUNT_COLUMNS)
    unit_filter = f" AND unit_key IN ({sql.marks(unit_ids)})" if unit_ids else ""
    if unit_ids is not None and not unit_ids:
        return {}
    parts, params = [], []
    if months:
        parts.append(f"SELECT unit_key, category_id, {columns} FROM {sql.table(MonthlyCount)} "
                     f"WHERE day >= %s AND day <= %s{unit_filter}")
        params += [*months, *(unit_ids or ())]
    for first, last in day_ranges:
        parts.append(f"SELECT unit_key, category_id, {columns} FROM {sql.table(DailyCount)} "
                     f"WHERE day >= %s AND day <= %s{unit_filter}")
        params += [first, last, *(unit_ids or ())]
    sums = ", ".join(f"SUM({c})" for c in COUNT_COLUMNS)
    rows = sql.fetch(f"SELECT unit_key, category_id, {sums} FROM ({' UNION ALL '.join(parts)}) AS parts "
                  f"GROUP BY unit_key, category_id", params)
    return {(unit, cat): {c: int(n or 0) for c, n in zip(COUNT_COLUMNS, values)} for unit, cat, *values in rows}


def channel_counts(period, unit_ids=None):
    """{channel: received} over the period, read like `counts` (whole months from
    MonthlyCount, the rest from DailyCount), in one query."""
    months, day_ranges = month_split(period)
    if unit_ids is not None and not unit_ids:
        return {}
    unit_filter = f" AND unit_key IN ({sql.marks(unit_ids)})" if unit_ids else ""
    parts, params = [], []
    if months:
        parts.append(f"SELECT channel, received FROM {sql.table(MonthlyCount)} "
                     f"WHERE day >= %s AND day <= %s{unit_filter}")
        params += [*months, *(unit_ids or ())]
    for first, last in day_ranges:
        parts.append(f"SELECT channel, received FROM {sql.table(DailyCount)} "
                     f"WHERE day >= %s AND day <= %s{unit_filter}")
        params += [first, last, *(unit_ids or ())]
    if not parts:
        return {}
    rows = sql.fetch(f"SELECT channel, SUM(received) FROM ({' UNION ALL '.join(parts)}) AS parts "
                     f"GROUP BY channel", params)
    return {channel: int(n or 0) for channel, n in rows}


def backlog(unit_ids, now_day):
    """Open complaints now: ([(unit_key, category_id, n)], ageing buckets), in one query."""
    if unit_ids is not None and not unit_ids:
        return [], [{"days": label, "count": 0} for _l, _h, label in AGE_BUCKETS]
    cases, params = [], []
    for low, high, _label in AGE_BUCKETS:
        oldest = now_day - dt.timedelta(days=high) if high is not None else dt.date.min
        cases.append("SUM(CASE WHEN day <= %s AND day >= %s THEN n ELSE 0 END)")
        params += [now_day - dt.timedelta(days=low), oldest]
    unit_filter = f" AND unit_key IN ({sql.marks(unit_ids)})" if unit_ids else ""
    rows = sql.fetch(f"SELECT unit_key, category_id, SUM(n), {', '.join(cases)} FROM {sql.table(OpenCount)} "
                  f"WHERE n > 0{unit_filter} GROUP BY unit_key, category_id", [*params, *(unit_ids or ())])
    ages = [sum(int(r[3 + i]) for r in rows) for i in range(len(AGE_BUCKETS))]
    return ([(unit, cat, int(n)) for unit, cat, n, *_ages in rows],
            [{"days": label, "count": n} for (_l, _h, label), n in zip(AGE_BUCKETS, ages)])


# --- figures ------------------------------------------------------------------------------


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
