"""Rollups: how each complaint contributes to the dashboard's sums, and keeping them.

A complaint's contributions are a pure function of its fact row (`contributions`). On
every change, inside the transition's transaction, the receiver subtracts the old
contributions and adds the new ones with `INSERT … ON CONFLICT DO UPDATE SET n = n + …`
(the same SQL on SQLite and PostgreSQL, and safe when two transactions add to one row).
`rebuild` recomputes every sum from the complaints table and the audit events.
"""

import datetime as dt
import math
from collections import Counter, defaultdict

from django.db import connection
from django.utils import timezone

from complaints.lifecycle.actions import ACTIONS
from complaints.models import OPEN_STATES, Complaint, Event, Outcome, RejectReason, State
from complaints.training import judged_suggestion

from . import histogram, sql
from .models import (COUNT_COLUMNS, OFFICER_COUNT_COLUMNS, UNIT_ALL, UNIT_NONE, AcceptanceCount, ComplaintFact,
                     DailyCount, DurationHistogram, MonthlyCount, OfficerCount, OfficerHistogram, OpenCount)
from routing.calendar import working_seconds_between

# Histogram bins: bin 0 holds [0, 60 s); bin b ≥ 1 holds [60·1.01^(b-1), 60·1.01^b).
# Every bin is 1 % wide, so a percentile read from it is within 1 % of the exact value.
BIN_FLOOR = 60.0
BIN_RATIO = 1.01
_LOG_RATIO = math.log(BIN_RATIO)
# Duration metrics (wall-clock seconds, and working seconds with the _w suffix).
DURATIONS = ("triage", "response_unit", "response_citizen", "resolution")
METRICS = tuple(f"{d}_{u}" for d in DURATIONS for u in ("h", "w"))
GRANULARITIES = ("d", "w", "m", "q")  # day, ISO week, month, quarter of submission


def bin_of(seconds):
    if seconds < BIN_FLOOR:
        return 0
    return int(math.log(seconds / BIN_FLOOR) / _LOG_RATIO) + 1


def bin_bounds(index):
    if index == 0:
        return 0.0, BIN_FLOOR
    return BIN_FLOOR * BIN_RATIO ** (index - 1), BIN_FLOOR * BIN_RATIO ** index


def bin_value(index):
    """The value a bin stands for: its geometric middle (its arithmetic middle for bin 0)."""
    low, high = bin_bounds(index)
    return (low + high) / 2 if index == 0 else math.sqrt(low * high)


def local_day(moment):
    return timezone.localtime(moment).date()


def bucket_of(day, gran):
    if gran == "d":
        return day
    if gran == "w":
        return day - dt.timedelta(days=day.weekday())
    if gran == "q":
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    return day.replace(day=1)


# --- facts -------------------------------------------------------------------------------
FACT_FIELDS = (
    "state", "kind", "category_id", "channel", "unit_id", "submitted_at", "triaged_at", "first_response_at",
    "resolved_at", "triage_due_at", "response_due_at", "resolution_due_at", "triage_unit_id",
    "response_unit_id", "resolution_unit_id", "response_officer_id", "resolution_officer_id", "outcome", "rating", "reopen_count", "reject_reason",
    "triage_wsec", "response_unit_wsec", "response_citizen_wsec", "resolution_wsec",
    "with_proof", "verification_needed", "verified", "sent_back_count",
)


def _seconds(start, end):
    if start is None or end is None:
        return None
    return max(0, int((end - start).total_seconds()))


def build_fact(c, step_units, step_officers=None):
    """The fact row of complaint `c`; `step_units` maps triage/response/resolution to the
    unit that was responsible when that step happened, `step_officers` response/resolution
    to the staff user who made it."""
    step_officers = step_officers or {}
    return ComplaintFact(
        complaint_id=c.pk, state=c.state, kind=c.kind, category_id=c.category_id, channel=c.channel,
        unit_id=c.responsible_unit_id, submitted_at=c.submitted_at, triaged_at=c.triaged_at,
        first_response_at=c.first_response_at, resolved_at=c.resolved_at,
        triage_due_at=c.triage_due_at, response_due_at=c.response_due_at,
        resolution_due_at=c.resolution_due_at,
        triage_unit_id=step_units.get("triage") if c.triaged_at else None,
        response_unit_id=step_units.get("response") if c.first_response_at else None,
        resolution_unit_id=step_units.get("resolution") if c.resolved_at else None,
        response_officer_id=step_officers.get("response") if c.first_response_at else None,
        resolution_officer_id=step_officers.get("resolution") if c.resolved_at else None,
        outcome=c.outcome or "", rating=c.rating, reopen_count=c.reopen_count,
        reject_reason=c.reject_reason or "",
        triage_wsec=working_seconds_between(c.submitted_at, c.triaged_at),
        response_unit_wsec=working_seconds_between(c.triaged_at, c.first_response_at),
        response_citizen_wsec=working_seconds_between(c.submitted_at, c.first_response_at),
        resolution_wsec=working_seconds_between(c.submitted_at, c.resolved_at),
        with_proof=c.resolved_at is not None and bool(c.resolution_evidence),
        verification_needed=c.verification_due_at is not None,
        verified=c.verified_at is not None, sent_back_count=c.sent_back_count,
    )


def next_fact(c, old, officer_id=None):
    """The fact after a change: a step that already happened keeps the unit (and officer) it
    was attributed to; a step that happens now is attributed to the unit responsible now and
    to `officer_id`, the staff user acting (or, for the system's actions, the assignee)."""
    units, officers = {}, {}
    for step, field in (("triage", "triaged_at"), ("response", "first_response_at"),
                        ("resolution", "resolved_at")):
        kept = getattr(old, f"{step}_unit_id") if old is not None else None
        same_moment = old is not None and getattr(old, field) == getattr(c, field)
        units[step] = kept if (same_moment and kept is not None) else c.responsible_unit_id
        if step != "triage":
            officers[step] = getattr(old, f"{step}_officer_id") if same_moment else (officer_id or c.assignee_id)
    return build_fact(c, units, officers)


def contributions(f):
    """(counts, durations) this fact adds to the rollups.

    counts: Counter {(table, day, unit_key, category_id, channel, column): n} (the backlog
    table is not kept per channel: its channel is "")
    durations: list of (metric, day of submission, unit_key, bin)
    Cohorts as docs/architecture.md ("Public metrics"): everything is keyed by the day of submission except `resolved`
    (the day of the first resolution) and the backlog (open now)."""
    counts, durations = Counter(), []
    if f is None:
        return counts, durations
    day, cat, channel = local_day(f.submitted_at), f.category_id, f.channel or "web"

    def add(column, unit, n=1, on=day, table="daily"):
        counts[(table, on, unit if unit is not None else UNIT_NONE, cat,
                channel if table == "daily" else "", column)] += n

    def duration(name, unit, seconds, wseconds):
        if seconds is None:
            return
        durations.append((f"{name}_h", day, unit, bin_of(seconds)))
        durations.append((f"{name}_w", day, unit, bin_of(wseconds or 0)))

    received_unit = f.triage_unit_id
    if f.state == State.DUPLICATE:
        add("duplicates", received_unit)
    elif f.state == State.REJECTED and f.reject_reason == RejectReason.SPAM:
        add("spam", received_unit)
    elif f.state == State.WITHDRAWN:
        add("withdrawn", received_unit)
    else:
        add("received", received_unit)
    if f.triaged_at is not None:
        duration("triage", f.triage_unit_id, _seconds(f.submitted_at, f.triaged_at), f.triage_wsec)
        if f.triage_due_at is not None:
            add("triage_done", f.triage_unit_id)
            add("triage_met", f.triage_unit_id, int(f.triaged_at <= f.triage_due_at))
    if f.first_response_at is not None:
        duration("response_unit", f.response_unit_id,
                 _seconds(f.triaged_at, f.first_response_at), f.response_unit_wsec)
        duration("response_citizen", f.response_unit_id,
                 _seconds(f.submitted_at, f.first_response_at), f.response_citizen_wsec)
        if f.response_due_at is not None:
            add("response_done", f.response_unit_id)
            add("response_met", f.response_unit_id, int(f.first_response_at <= f.response_due_at))
    if f.resolved_at is not None:
        unit = f.resolution_unit_id
        duration("resolution", unit, _seconds(f.submitted_at, f.resolved_at), f.resolution_wsec)
        if f.resolution_due_at is not None:
            add("resolution_done", unit)
            add("resolution_met", unit, int(f.resolved_at <= f.resolution_due_at))
        add("cohort_resolved", unit)
        if f.outcome in (Outcome.FIXED, Outcome.PARTLY_FIXED, Outcome.CANNOT_FIX,
                         Outcome.NOT_OUR_AUTHORITY, Outcome.ANSWERED):
            add(f.outcome, unit)
        if f.reopen_count:
            add("reopened", unit)
        if f.rating:
            add("rated", unit)
            add("rating_sum", unit, f.rating)
            add("rated_high", unit, int(f.rating >= 4))
        add("resolved", unit, on=local_day(f.resolved_at))
        # Resolution with proof and the verifier step (docs/dashboard.md): by the unit that
        # resolved, in the cohort of submission, like the fixed rate beside them.
        if f.with_proof:
            add("with_proof", unit)
        if f.verification_needed:
            add("verification_needed", unit)
            add("verified", unit, int(f.verified))
            add("sent_back", unit, int(f.sent_back_count > 0))
    if f.state in OPEN_STATES:
        add("open", f.unit_id, table="open")
    return counts, durations


def officer_contributions(f):
    """(counts, durations) this fact adds to the per-officer rollups: the same steps, times
    and due-date checks as `contributions` gives the unit of the step, keyed by the officer
    who made the step (steps without one, e.g. generated history, add nothing).

    counts: Counter {(officer, unit_key, day, column): n}
    durations: list of ((officer, unit_key), metric, day of submission, bin)"""
    counts, durations = Counter(), []
    if f is None:
        return counts, durations
    day = local_day(f.submitted_at)
    if f.first_response_at is not None and f.response_officer_id is not None:
        key = (f.response_officer_id, f.response_unit_id if f.response_unit_id is not None else UNIT_NONE)
        durations.append((key, "response_unit_h", day, bin_of(_seconds(f.triaged_at, f.first_response_at) or 0)))
        durations.append((key, "response_unit_w", day, bin_of(f.response_unit_wsec or 0)))
        if f.response_due_at is not None:
            counts[(*key, day, "response_done")] += 1
            counts[(*key, day, "response_met")] += int(f.first_response_at <= f.response_due_at)
    if f.resolved_at is not None and f.resolution_officer_id is not None:
        key = (f.resolution_officer_id, f.resolution_unit_id if f.resolution_unit_id is not None else UNIT_NONE)
        durations.append((key, "resolution_h", day, bin_of(_seconds(f.submitted_at, f.resolved_at))))
        durations.append((key, "resolution_w", day, bin_of(f.resolution_wsec or 0)))
        if f.resolution_due_at is not None:
            counts[(*key, day, "resolution_done")] += 1
            counts[(*key, day, "resolution_met")] += int(f.resolved_at <= f.resolution_due_at)
        counts[(*key, local_day(f.resolved_at), "resolved")] += 1
    return counts, durations


def expand_officers(counts, durations, sign, count_into, bin_into):
    """Spread officer contributions over the four granularities (day, week, month, quarter)."""
    for (officer, unit, day, column), n in counts.items():
        for gran in GRANULARITIES:
            count_into[(officer, unit, gran, bucket_of(day, gran), column)] += sign * n
    for (officer, unit), metric, day, index in durations:
        for gran in GRANULARITIES:
            bin_into[(officer, unit, gran, bucket_of(day, gran), metric, index)] += sign


def officer_delta(old, new):
    counts, bins = Counter(), Counter()
    for fact, sign in ((old, -1), (new, +1)):
        expand_officers(*officer_contributions(fact), sign, counts, bins)
    return {k: v for k, v in counts.items() if v}, {k: v for k, v in bins.items() if v}


def _expand(durations, sign, into):
    for metric, day, unit, index in durations:
        for gran in GRANULARITIES:
            bucket = bucket_of(day, gran)
            into[(unit, gran, bucket, metric, index)] += sign
            into[(UNIT_ALL, gran, bucket, metric, index)] += sign


def delta(old, new):
    old_counts, old_durations = contributions(old)
    new_counts, new_durations = contributions(new)
    counts = Counter(new_counts)
    counts.subtract(old_counts)
    bins = Counter()
    _expand(old_durations, -1, bins)
    _expand(new_durations, +1, bins)
    return ({k: v for k, v in counts.items() if v}, {k: v for k, v in bins.items() if v})


# --- writing -----------------------------------------------------------------------------
def _add_to_histograms(cursor, bins, chunk=200, model=DurationHistogram,
                       key_columns=("unit_key", "gran", "bucket", "metric")):
    """Read-modify-write of the histogram rows: make sure they exist, lock them (in key
    order, so concurrent transitions cannot deadlock), add the deltas, write them back.
    `bins` {(*key, bin index): n}, the key as `key_columns` (whose third from last is the bucket)."""
    grouped = defaultdict(dict)
    for (*key, index), n in bins.items():
        key = tuple(key)
        grouped[key][index] = grouped[key].get(index, 0) + n
    t = sql.table(model)
    keys = sorted(grouped)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    names = ", ".join(key_columns)
    at = key_columns.index("bucket")
    for i in range(0, len(keys), chunk):
        part = keys[i:i + chunk]
        sql.bulk_write(cursor, t, (*key_columns, "data"), [(*k, b"") for k in part], keys=key_columns)
        marks = ", ".join(["(" + ", ".join(["%s"] * len(key_columns)) + ")"] * len(part))
        cursor.execute(f"SELECT id, {names}, data FROM {t} "
                       f"WHERE ({names}) IN ({marks}) ORDER BY id{lock}",
                       [v for k in part for v in k])
        updates = []
        for pk, *key, data in cursor.fetchall():
            if isinstance(key[at], str):  # SQLite returns dates as text
                key[at] = dt.date.fromisoformat(key[at])
            updates.append((histogram.add(data, grouped[tuple(key)]), pk))
        cursor.executemany(f"UPDATE {t} SET data = %s WHERE id = %s", updates)


def write_counts(cursor, daily):
    """Add counter rows [(day, unit_key, category_id, channel, *COUNT_COLUMNS)] to DailyCount
    and their month sums to MonthlyCount (upserts, in key order)."""
    monthly = defaultdict(lambda: [0] * len(COUNT_COLUMNS))
    for day, unit, cat, channel, *values in daily:
        row = monthly[(bucket_of(day, "m"), unit, cat, channel)]
        for i, n in enumerate(values):
            row[i] += n
    for model, rows in ((DailyCount, sorted(daily)),
                        (MonthlyCount, [(*key, *values) for key, values in sorted(monthly.items())])):
        t = sql.table(model)
        sql.bulk_write(cursor, t, ("day", "unit_key", "category_id", "channel", *COUNT_COLUMNS), rows,
                   keys=("day", "unit_key", "category_id", "channel"),
                   update=", ".join(f"{c} = {t}.{c} + excluded.{c}" for c in COUNT_COLUMNS))


def write_open(cursor, opened):
    """Add rows [(day, unit_key, category_id, n)] to the backlog; rows reaching zero go."""
    t = sql.table(OpenCount)
    sql.bulk_write(cursor, t, ("day", "unit_key", "category_id", "n"), sorted(opened),
               keys=("day", "unit_key", "category_id"), update=f"n = {t}.n + excluded.n")
    if any(row[3] < 0 for row in opened):
        cursor.execute(f"DELETE FROM {t} WHERE n = 0")


def apply(counts, bins):
    """Add the deltas to the rollup tables (upserts; zero rows of the backlog are removed)."""
    daily, opened = defaultdict(Counter), Counter()
    for (table, day, unit, cat, channel, column), n in counts.items():
        if table == "open":
            opened[(day, unit, cat)] += n
        else:
            daily[(day, unit, cat, channel)][column] += n
    with connection.cursor() as cursor:
        if daily:
            write_counts(cursor, [(*key, *[values.get(c, 0) for c in COUNT_COLUMNS])
                                  for key, values in daily.items()])
        if bins:
            _add_to_histograms(cursor, bins)
        if opened:
            write_open(cursor, [(*key, n) for key, n in opened.items()])


def apply_officers(counts, bins):
    """Add per-officer deltas {(officer, unit, gran, bucket, column): n} and
    {(officer, unit, gran, bucket, metric, bin): n} (upserts in key order, as `apply`)."""
    rows = defaultdict(Counter)
    for (*key, column), n in counts.items():
        rows[tuple(key)][column] += n
    with connection.cursor() as cursor:
        if rows:
            write_officer_counts(cursor, [(*key, *[values.get(c, 0) for c in OFFICER_COUNT_COLUMNS])
                                          for key, values in rows.items()])
        if bins:
            _add_to_histograms(cursor, bins, model=OfficerHistogram,
                               key_columns=("officer_id", "unit_key", "gran", "bucket", "metric"))


def write_officer_counts(cursor, rows):
    """Add rows [(officer_id, unit_key, gran, bucket, *OFFICER_COUNT_COLUMNS)] (upserts)."""
    t = sql.table(OfficerCount)
    sql.bulk_write(cursor, t, ("officer_id", "unit_key", "gran", "bucket", *OFFICER_COUNT_COLUMNS), sorted(rows),
                   keys=("officer_id", "unit_key", "gran", "bucket"),
                   update=", ".join(f"{c} = {t}.{c} + excluded.{c}" for c in OFFICER_COUNT_COLUMNS))


def officer_of(event):
    """The staff user who made the change (None for citizens, API keys and the system)."""
    if event is None or event.actor_type != "user":
        return None
    return event.actor_user_id


def decision_of(action, created_at, actor_type, actor_user_id, data):
    """((day, officer_id), accepted) of a triage event that judged a suggestion, else None."""
    if action != "triage":
        return None
    accepted = judged_suggestion(data)
    if accepted is None:
        return None
    return (local_day(created_at), actor_user_id if actor_type == "user" and actor_user_id else 0), bool(accepted)


def write_decisions(rows):
    """Add rows [(day, officer_id, decided, accepted)] to AcceptanceCount (upserts)."""
    t = sql.table(AcceptanceCount)
    with connection.cursor() as cursor:
        sql.bulk_write(cursor, t, ("day", "officer_id", "decided", "accepted"), sorted(rows),
                       keys=("day", "officer_id"),
                       update=f"decided = {t}.decided + excluded.decided, accepted = {t}.accepted + excluded.accepted")


def record_decision(event):
    decision = decision_of(event.action, event.created_at, event.actor_type, event.actor_user_id, event.data)
    if decision is not None:
        (day, officer), accepted = decision
        write_decisions([(day, officer, 1, int(accepted))])


def rebuild_decisions():
    """AcceptanceCount recomputed from the audit log's triage events (rebuild, backfill)."""
    AcceptanceCount.objects.all()._raw_delete(AcceptanceCount.objects.db)
    sums = defaultdict(lambda: [0, 0])
    for row in Event.objects.filter(action="triage").values_list(
            "action", "created_at", "actor_type", "actor_user_id", "data").iterator(chunk_size=5000):
        decision = decision_of(*row)
        if decision is not None:
            key, accepted = decision
            sums[key][0] += 1
            sums[key][1] += int(accepted)
    if sums:
        write_decisions([(*key, n, k) for key, (n, k) in sums.items()])


def record_change(complaint, event=None):
    """Move one complaint's contributions from its old fact to its new one, for the units
    and for the officers (called inside the transition's transaction; the complaint row is
    locked, so its fact row is too). A step made now is the officer's of `event`'s actor."""
    if event is not None and event.action == "triage":
        record_decision(event)
    old = ComplaintFact.objects.filter(pk=complaint.pk).first()
    new = next_fact(complaint, old, officer_id=officer_of(event))
    if old is not None and all(getattr(old, n) == getattr(new, n) for n in FACT_FIELDS):
        return None
    counts, bins = delta(old, new)
    apply(counts, bins)
    apply_officers(*officer_delta(old, new))
    new.save(force_insert=old is None)
    return new


# --- rebuilding from scratch -------------------------------------------------------------
# Events that set the responsible unit, naming it in data["unit"] (recategorisation into a
# sensitive category and oversight reopening name it only when they move the complaint).
UNIT_EVENTS = tuple(name for name, a in ACTIONS.items() if a.sets_unit)
# Events at which a measured step can happen (a unit-only event may share their timestamp,
# e.g. a recategorisation and the automatic triage that follows it).
STEP_EVENTS = tuple(name for name, a in ACTIONS.items() if a.measured_step)


def step_officers_from_events(c, events):
    """Which staff user made the first response and the resolution, replayed from the audit
    events (the actor of the step's event); without one (generated history, a system
    action), the complaint's assignee, as record_change does."""
    officers = {}
    for e in events or ():
        if e.action not in STEP_EVENTS:
            continue
        for step, moment in (("response", c.first_response_at), ("resolution", c.resolved_at)):
            if step not in officers and moment is not None and e.created_at == moment:
                officers[step] = officer_of(e) or c.assignee_id
    for step in ("response", "resolution"):
        officers.setdefault(step, c.assignee_id)
    return officers


def step_units_from_events(c, events):
    """Which unit was responsible at each step, replayed from the audit events (UNIT_EVENTS
    record the unit they set). Complaints without events (generated benchmark history) are
    attributed to their current unit."""
    if not events:
        return {"triage": c.responsible_unit_id, "response": c.responsible_unit_id,
                "resolution": c.responsible_unit_id}
    units, unit, codes = {}, None, _unit_ids()
    for e in events:
        if e.action in UNIT_EVENTS and (e.data or {}).get("unit"):
            unit = codes.get(e.data["unit"], unit)
        if e.action not in STEP_EVENTS:
            continue
        for step, moment in (("triage", c.triaged_at), ("response", c.first_response_at),
                             ("resolution", c.resolved_at)):
            if step not in units and moment is not None and e.created_at == moment:
                units[step] = unit
    for step in ("triage", "response", "resolution"):
        units.setdefault(step, c.responsible_unit_id)
    return units


def _unit_ids():
    from routing.models import Unit

    return dict(Unit.objects.values_list("code", "pk"))


def rebuild(batch_size=5000, stdout=None):
    """Recompute every fact and rollup from the complaints table and the audit events."""
    from django.db import transaction

    with transaction.atomic():
        for model in (DailyCount, MonthlyCount, DurationHistogram, OpenCount, ComplaintFact,
                      OfficerCount, OfficerHistogram):
            model.objects.all()._raw_delete(model.objects.db)
        counts, bins, total = Counter(), Counter(), 0
        officer_counts, officer_bins = Counter(), Counter()
        for batch, events in _complaint_batches(batch_size):
            facts = [build_fact(c, step_units_from_events(c, events.get(c.pk)),
                                step_officers_from_events(c, events.get(c.pk))) for c in batch]
            ComplaintFact.objects.bulk_create(facts)
            add_contributions(facts, counts, bins)
            for f in facts:
                expand_officers(*officer_contributions(f), +1, officer_counts, officer_bins)
            total += len(batch)
            if stdout:
                stdout.write(f"  {total} complaints")
        write_sums(counts, bins)
        write_officer_sums(officer_counts, officer_bins)
        rebuild_decisions()
    return total


_REBUILD_FIELDS = ["id", "state", "kind", "category_id", "channel", "responsible_unit_id", "assignee_id", "submitted_at",
                   "triaged_at", "first_response_at", "resolved_at", "triage_due_at",
                   "response_due_at", "resolution_due_at", "outcome", "rating", "reopen_count",
                   "reject_reason", "resolution_evidence", "verification_due_at", "verified_at",
                   "sent_back_count"]


def _complaint_batches(batch_size, queryset=None):
    """(complaints, {complaint id: [their unit and step events]}) in batches by id."""
    queryset = queryset if queryset is not None else Complaint.objects.all()
    last_pk = 0
    while True:
        batch = list(queryset.filter(pk__gt=last_pk).order_by("pk").only(*_REBUILD_FIELDS)[:batch_size])
        if not batch:
            return
        last_pk = batch[-1].pk
        events = defaultdict(list)
        for e in (Event.objects.filter(complaint_id__in=[c.pk for c in batch])
                  .filter(action__in=set(UNIT_EVENTS) | set(STEP_EVENTS))
                  .only("complaint_id", "seq", "action", "created_at", "data", "actor_type", "actor_user_id")
                  .order_by("complaint_id", "seq")):
            events[e.complaint_id].append(e)
        yield batch, events


def write_officer_sums(counts, bins):
    """Write summed per-officer contributions in bulk (empty tables: rebuild, backfill)."""
    rows = defaultdict(Counter)
    for (*key, column), n in counts.items():
        if n:
            rows[tuple(key)][column] += n
    grouped = defaultdict(dict)
    for (*key, index), n in bins.items():
        if n:
            grouped[tuple(key)][index] = n
    with connection.cursor() as cursor:
        if rows:
            write_officer_counts(cursor, [(*key, *[values.get(c, 0) for c in OFFICER_COUNT_COLUMNS])
                                          for key, values in rows.items()])
        if grouped:
            sql.bulk_write(cursor, sql.table(OfficerHistogram),
                           ("officer_id", "unit_key", "gran", "bucket", "metric", "data"),
                           [(*key, histogram.encode(pairs)) for key, pairs in sorted(grouped.items())])


def backfill_officers(batch_size=5000, stdout=None):
    """Attribute the existing history's first responses and resolutions to officers (as
    `rebuild` does: the actor of the step's audit event, else the assignee), store it in the
    facts and recompute the per-officer rollups from them, and the triage officers'
    decisions on suggestions (AcceptanceCount) from the audit log. The unit rollups are untouched.
    Takes the officer tables' lock: transitions made meanwhile wait until it commits."""
    from django.db import transaction
    from django.db.models import Q

    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {sql.table(ComplaintFact)}, {sql.table(OfficerCount)}, "
                               f"{sql.table(OfficerHistogram)}, {sql.table(AcceptanceCount)} IN SHARE ROW EXCLUSIVE MODE")
        for model in (OfficerCount, OfficerHistogram):
            model.objects.all()._raw_delete(model.objects.db)
        steps = Q(first_response_at__isnull=False) | Q(resolved_at__isnull=False)
        changed, seen = 0, 0
        for batch, events in _complaint_batches(batch_size, Complaint.objects.filter(steps)):
            facts = {f.pk: f for f in ComplaintFact.objects.filter(pk__in=[c.pk for c in batch])}
            updates = []
            for c in batch:
                f = facts.get(c.pk)
                if f is None:
                    continue
                officers = step_officers_from_events(c, events.get(c.pk))
                response = officers["response"] if f.first_response_at else None
                resolution = officers["resolution"] if f.resolved_at else None
                if (f.response_officer_id, f.resolution_officer_id) != (response, resolution):
                    f.response_officer_id, f.resolution_officer_id = response, resolution
                    updates.append(f)
            ComplaintFact.objects.bulk_update(updates, ["response_officer_id", "resolution_officer_id"],
                                              batch_size=1000)
            changed += len(updates)
            seen += len(batch)
            if stdout:
                stdout.write(f"  {seen} complaints, {changed} attributed")
        sum_officer_rollups(batch_size)
        rebuild_decisions()
    return seen, changed


def sum_officer_rollups(batch_size=5000):
    """Fill the (emptied) per-officer rollups from the facts' officer attribution. The
    caller holds the officer tables' lock inside its transaction."""
    from django.db.models import Q

    counts, bins = Counter(), Counter()
    officer_facts = ComplaintFact.objects.filter(
        Q(response_officer_id__isnull=False) | Q(resolution_officer_id__isnull=False))
    for f in officer_facts.iterator(chunk_size=batch_size):
        expand_officers(*officer_contributions(f), +1, counts, bins)
    write_officer_sums(counts, bins)


def add_contributions(facts, counts, bins):
    for f in facts:
        c, d = contributions(f)
        counts.update(c)
        _expand(d, +1, bins)


def write_sums(counts, bins):
    """Write summed contributions in bulk (rebuild: a maintenance run, not meant to race
    with live transitions on the same histogram rows)."""
    apply({k: v for k, v in counts.items() if v}, {})
    grouped = defaultdict(dict)
    for (unit, gran, bucket, metric, index), n in bins.items():
        if n:
            grouped[(unit, gran, bucket, metric)][index] = n
    write_histogram_blobs({key: histogram.encode(pairs) for key, pairs in grouped.items()})


def write_histogram_blobs(blobs):
    """Add encoded histograms {(unit_key, gran, bucket, metric): bytes} in bulk: rows that
    exist are merged and rewritten, new ones inserted (COPY on PostgreSQL)."""
    if not blobs:
        return
    t = sql.table(DurationHistogram)
    existing = {}
    units = sorted({k[0] for k in blobs})
    if connection.vendor == "postgresql":
        # A live transition touching these rows between our read and our rewrite would be
        # lost: make them wait until this (maintenance) transaction commits. SQLite's
        # IMMEDIATE transactions already hold the write lock.
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {t} IN SHARE ROW EXCLUSIVE MODE")
    first, last = min(k[2] for k in blobs), max(k[2] for k in blobs)
    with connection.cursor() as cursor:
        # One range read instead of a lookup per key: a bulk load touches most of its range.
        cursor.execute(f"SELECT id, unit_key, gran, bucket, metric, data FROM {t} "
                       f"WHERE bucket >= %s AND bucket <= %s AND unit_key IN ({', '.join(['%s'] * len(units))})",
                       [first, last, *units])
        for pk, unit, gran, bucket, metric, data in cursor.fetchall():
            if isinstance(bucket, str):  # SQLite returns dates as text
                bucket = dt.date.fromisoformat(bucket)
            if (unit, gran, bucket, metric) in blobs:
                existing[(unit, gran, bucket, metric)] = (pk, bytes(data))
        ids = [pk for pk, _data in existing.values()]
        for i in range(0, len(ids), 500):
            part = ids[i:i + 500]
            cursor.execute(f"DELETE FROM {t} WHERE id IN ({', '.join(['%s'] * len(part))})", part)
        rows = []
        for key in sorted(blobs):
            data = blobs[key]
            if key in existing:
                data = histogram.add(existing[key][1], histogram.as_dict(data))
            rows.append((*key, data))
        sql.bulk_write(cursor, t, ("unit_key", "gran", "bucket", "metric", "data"), rows)
