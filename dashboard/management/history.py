"""Generated benchmark history, vectorised (numpy): a million complaints in minutes.

`generate_history` draws every complaint's life at once as arrays (moments are whole UTC
epoch seconds, -1 for "never"), writes the complaints and their dashboard facts in bulk
(COPY on PostgreSQL) and adds their rollup contributions, summed with numpy. The sums
follow `dashboard.rollups.contributions` rule for rule; tests/dashboard/test_history.py
checks that `rebuild_rollups` (which applies that function complaint by complaint) finds
exactly the same rows, so the two cannot drift apart unnoticed.
"""

import datetime as dt
import math

import numpy as np
from django.db import connection
from django.utils import timezone

from complaints.models import CODE_ALPHABET, OPEN_STATES, Complaint, Kind, Outcome, RejectReason, State

from routing import calendar

from .. import histogram, rollups, sql
from ..models import COUNT_COLUMNS, UNIT_ALL, UNIT_NONE, ComplaintFact

DAY = 86400
NA = -1  # a moment that never happened
UNIX_EPOCH = dt.date(1970, 1, 1)


class Clock:
    """Local days and working time on arrays of UTC epoch seconds: routing.calendar's
    arithmetic, element-wise, on routing.calendar's own cumulative table."""

    def __init__(self, first, last):
        tz = timezone.get_current_timezone()
        self.base = int(first // DAY) - 2
        days = range(self.base, int(last // DAY) + 3)
        # The offset of each UTC day at noon (no daylight saving in Indonesia; a zone with
        # it would be off by the shift on the changeover days only).
        self.offsets = np.array([dt.datetime.fromtimestamp(d * DAY + DAY // 2, tz).utcoffset().total_seconds()
                                 for d in days], dtype=np.int64)
        self.anchor = int(first) + 3 * DAY  # stands in for NA inside arithmetic that is masked
        first_day = UNIX_EPOCH + dt.timedelta(days=int(first // DAY) - 2)
        last_day = UNIX_EPOCH + dt.timedelta(days=int(last // DAY) + 60)
        table_start, cum = calendar.cumulative_table(first_day, last_day)
        self.epoch_day = (table_start - UNIX_EPOCH).days
        self.cum = np.array(cum, dtype=np.int64)

    def local(self, ts):
        return ts + self.offsets[ts // DAY - self.base]

    def utc(self, local):
        return local - self.offsets[local // DAY - self.base]

    def day(self, ts):
        """Local day as days since 1970-01-01."""
        return self.local(ts) // DAY

    def _point(self, ts):
        local = self.local(ts)
        index = local // DAY - self.epoch_day
        start = self.cum[index]
        working = self.cum[index + 1] > start
        return np.where(working, start + local % DAY, start)

    def working_between(self, start, end):
        """calendar.working_seconds_between, element-wise (NA where either is NA)."""
        missing = (start == NA) | (end == NA)
        s, e = np.where(missing, self.anchor, start), np.where(missing, self.anchor, end)
        out = np.where(e <= s, 0, self._point(e) - self._point(s))
        return np.where(missing, NA, out)

    def add_working(self, start, seconds):
        """calendar.add_working_time, element-wise (whole seconds): a target exactly at the
        end of a working day is that day's midnight."""
        target = self._point(start) + seconds
        index = np.searchsorted(self.cum, target, side="left")
        exact = self.cum[index] == target
        day = np.where(exact, index, index - 1)
        local = (day + self.epoch_day) * DAY + np.where(exact, 0, target - self.cum[day])
        return self.utc(local)


def _lognormal_seconds(rng, median_hours, sigma):
    """Whole seconds, log-normally spread around the median (hours, scalar or array)."""
    return np.rint(np.exp(rng.normal(np.log(np.asarray(median_hours, dtype=float) * 3600), sigma))).astype(np.int64)


def submission_moments(rng, count, now, span, clock):
    """Busier in the rainy season (Nov–Mar), quieter at weekends, growing over the years;
    at office-ish hours. Sorted UTC epoch seconds, all before now."""
    days = []
    need = count
    while need > 0:
        size = int(need * 1.8) + 100
        back = rng.random(size) * span
        day = clock.day((now - back).astype(np.int64))
        date = day.astype("datetime64[D]")
        yday = (date - date.astype("datetime64[Y]")).astype(np.int64) + 1
        weekday = (day + 3) % 7  # 1970-01-01 was a Thursday
        yearly = 1 + 0.35 * np.cos(2 * math.pi * (yday - 15) / 365.25)
        weekly = np.where(weekday >= 5, 0.45, 1.0)
        growth = 0.5 + 0.5 * (1 - back / span)
        kept = day[rng.random(size) * 1.35 < yearly * weekly * growth][:need]
        days.append(kept)
        need -= len(kept)
    day = np.concatenate(days)
    hour = rng.choice(np.array([7, 8, 9, 10, 11, 13, 14, 15, 16, 19, 21]), count)
    local = day * DAY + hour * 3600 + rng.integers(0, 60, count) * 60
    return np.sort(np.minimum(clock.utc(local), now - 60))


def tracking_codes(rng, count, taken):
    """Unique ADU-XXXX-XXXX codes, none of them in `taken`."""
    space = len(CODE_ALPHABET) ** 8
    taken_ints = {_code_int(c) for c in taken}
    while True:
        numbers = rng.choice(space, size=count + len(taken_ints), replace=False)
        if taken_ints:
            numbers = numbers[~np.isin(numbers, np.fromiter(taken_ints, dtype=np.int64))]
        numbers = numbers[:count]
        if len(numbers) == count:
            break
    powers = len(CODE_ALPHABET) ** np.arange(7, -1, -1, dtype=np.int64)
    digits = (numbers[:, None] // powers) % len(CODE_ALPHABET)
    letters = np.array(list(CODE_ALPHABET))[digits]
    joined = np.ascontiguousarray(letters).view("<U8").ravel().tolist()
    return [f"ADU-{s[:4]}-{s[4:]}" for s in joined]


def _code_int(code):
    digits = code.replace("ADU-", "").replace("-", "")
    value = 0
    for ch in digits:
        index = CODE_ALPHABET.find(ch)
        if index < 0 or len(digits) != 8:
            return -1
        value = value * len(CODE_ALPHABET) + index
    return value


def draw(rng, count, now, years, categories, units, oversight):
    """Every complaint's life as arrays. `categories`: active Category rows with their SLA
    policy and default unit; `units`: active non-oversight units."""
    span = years * 365.25 * DAY
    # Due dates reach at most the longest target (in working days, so up to ~1.6 calendar
    # days each, holidays included) past now.
    longest = max(max(c.sla_policy.triage_target, c.sla_policy.response_target,
                      c.sla_policy.resolution_target(c.resolution_class), 10) for c in categories)
    clock = Clock(now - span - 2 * DAY, now + (400 + 2 * longest) * DAY)
    # Each unit has its own pace (a multiplier of the typical delay), fixed by the seed.
    speed = {u.pk: float(rng.choice([0.5, 0.7, 0.9, 1.0, 1.2, 1.5, 2.0, 2.5])) for u in units}
    if oversight is not None:
        speed[oversight.pk] = 2.5
    weights = np.array([0.3 if c.sensitive else 1.0 + rng.random() * 3 for c in categories])
    at = submission_moments(rng, count, now, span, clock)

    cat_index = rng.choice(len(categories), size=count, p=weights / weights.sum())
    per_cat = {
        "id": [c.pk for c in categories],
        "unit": [(oversight.pk if (c.sensitive and oversight) else c.default_unit_id) for c in categories],
        "hours": [c.sla_policy.time_unit == "hours" for c in categories],
        "triage": [c.sla_policy.triage_target for c in categories],
        "response": [c.sla_policy.response_target for c in categories],
        "resolution": [c.sla_policy.resolution_target(c.resolution_class) for c in categories],
        "code": [c.code for c in categories],
        "sensitive": [c.sensitive for c in categories],
    }
    pc = {k: np.array(v) for k, v in per_cat.items()}
    category = pc["id"][cat_index]
    unit = pc["unit"][cat_index].astype(np.int64)
    hours_policy = pc["hours"][cat_index]

    def due(start, amount):
        by_hours = start + amount * 3600
        by_days = clock.add_working(np.where(start == NA, at, start), amount * DAY)
        return np.where(start == NA, NA, np.where(hours_policy, by_hours, by_days))

    a = {
        "submitted_at": at, "category_id": category, "category_code": pc["code"][cat_index],
        "kind": rng.choice(np.array([Kind.COMPLAINT.value, Kind.FEEDBACK.value, Kind.INFORMATION_REQUEST.value]),
                           size=count, p=[0.8, 0.12, 0.08]),
        "language": rng.choice(np.array(["id", "id", "en"]), size=count),
        # Sensitive categories are private by rule, as filing enforces.
        "visibility": np.where((rng.random(count) < 0.6) & ~pc["sensitive"][cat_index], "public", "private"),
    }
    a["triage_due_at"] = due(at, pc["triage"][cat_index])
    pace = np.array([speed.get(int(u), 1.0) for u in pc["unit"]])[cat_index]
    pace = pace * np.where(rng.random(count) < 0.1, 6, 1)  # 10 % get stuck
    roll = rng.random(count)
    # Draw every delay up front (simple, and the same draws whatever the branch).
    triaged = at + _lognormal_seconds(rng, 20, 0.9)
    responded = triaged + _lognormal_seconds(rng, 30 * pace, 0.9)
    resolved = responded + _lognormal_seconds(rng, 24 * pc["resolution"][cat_index] * 0.5 * pace, 1.0)
    reopened_draw = rng.random(count) < 0.06
    again = resolved + _lognormal_seconds(rng, 24 * 7 * pace, 0.9)
    rated_draw = rng.random(count) < 0.55
    closing_rated = _lognormal_seconds(rng, 48, 0.9)
    rating = rng.choice(np.arange(1, 6), size=count, p=[0.08, 0.08, 0.14, 0.35, 0.35])
    complaint_outcome = rng.choice(
        np.array([Outcome.FIXED.value, Outcome.PARTLY_FIXED.value, Outcome.CANNOT_FIX.value,
                  Outcome.NOT_OUR_AUTHORITY.value]), size=count, p=[0.62, 0.16, 0.12, 0.10])

    state = np.full(count, State.SUBMITTED.value, dtype=object)
    updated = at.copy()
    on_time_triage = triaged <= now
    rejected = (roll < 0.05) & on_time_triage
    duplicate = (roll >= 0.05) & (roll < 0.08) & on_time_triage
    state[rejected] = State.REJECTED.value
    state[duplicate] = State.DUPLICATE.value
    updated = np.where(rejected | duplicate, triaged, updated)
    a["reject_reason"] = np.where(rejected, np.where(roll < 0.01, RejectReason.SPAM.value, "out_of_scope"), "")

    routed = (roll >= 0.08) & on_time_triage
    state[routed] = State.TRIAGED.value
    a["responsible_unit_id"] = np.where(routed, unit, NA)
    a["triaged_at"] = np.where(routed, triaged, NA)
    a["response_due_at"] = due(a["triaged_at"], pc["response"][cat_index])
    a["resolution_due_at"] = due(a["triaged_at"], pc["resolution"][cat_index])
    updated = np.where(routed, triaged, updated)

    answered = routed & (responded <= now)
    state[answered] = State.IN_PROGRESS.value
    a["first_response_at"] = np.where(answered, responded, NA)
    updated = np.where(answered, responded, updated)

    done = answered & (resolved <= now)
    a["resolved_at"] = np.where(done, resolved, NA)
    a["outcome"] = np.where(done, np.where(a["kind"] == Kind.COMPLAINT.value, complaint_outcome,
                                           Outcome.ANSWERED.value), "")
    reopen = done & reopened_draw
    final = done & (~reopen | (again <= now))
    state[done] = State.RESOLVED.value
    state[reopen & ~final] = State.IN_PROGRESS.value
    a["reopen_count"] = reopen.astype(np.int64)
    final_at = np.where(reopen, again, resolved)
    a["final_resolved_at"] = np.where(done, np.where(final, final_at, resolved), NA)
    updated = np.where(done, np.where(reopen, again, resolved), updated)
    appeal_from = np.where(final, final_at, np.where(done, resolved, at))
    appeal_due = clock.add_working(appeal_from, 10 * DAY)
    a["appeal_due_at"] = np.where(done, appeal_due, NA)

    closing = np.where(rated_draw, final_at + closing_rated, appeal_due)
    closed = final & (closing <= now)
    state[closed] = State.CLOSED.value
    a["closed_at"] = np.where(closed, closing, NA)
    a["rating"] = np.where(closed & rated_draw, rating, NA)
    a["updated_at"] = np.where(closed, closing, updated)
    a["state"] = state.astype(str)
    published_summaries(a)
    return a, clock


# Made-up public titles and summaries (no personal data): the words a real city's reports
# use, so the public list and its full-text search read realistic rows. "jalan" is common.
_PROBLEMS = np.array(["Jalan berlubang", "Lampu jalan mati", "Sampah menumpuk", "Saluran air tersumbat",
                      "Banjir setelah hujan", "Trotoar rusak", "Pohon tumbang", "Antrean panjang di puskesmas",
                      "Air PDAM tidak mengalir", "Parkir liar", "Rambu lalu lintas hilang", "Jembatan retak"])
_PLACES = np.array(["Jl. Merdeka", "Jl. Sudirman", "Jl. Diponegoro", "Pasar Baru", "Kelurahan Sukamaju",
                    "Jl. Gatot Subroto", "Perumahan Griya Asri", "Terminal Kota", "Jl. Ahmad Yani",
                    "Kampung Melayu", "Alun-alun", "Jl. Pahlawan", "Simpang Lima", "Kecamatan Timur"])
_DETAILS = np.array(["sudah dua minggu belum ditangani", "membahayakan pengendara motor",
                     "warga mohon segera diperbaiki", "terjadi setiap malam", "mengganggu aktivitas sekolah",
                     "sudah dilaporkan ke RT", "terutama saat jam sibuk", "anak-anak sering lewat di sini"])


def published_summaries(a):
    """Give 70 % of the public complaints past triage (not rejected or duplicates) an
    approved public title and summary, approved when triaged. Drawn from their own
    generator (seeded by the data) so the other draws stay what they were."""
    count = len(a["state"])
    rng = np.random.default_rng(int(a["submitted_at"].sum() % (2 ** 32)))
    problem = rng.integers(0, len(_PROBLEMS), count)
    place = rng.integers(0, len(_PLACES), count)
    detail = rng.integers(0, len(_DETAILS), count)
    shown = ((a["visibility"] == "public") & (a["triaged_at"] != NA) & (rng.random(count) < 0.7)
             & ~np.isin(a["state"], [State.REJECTED.value, State.DUPLICATE.value]))
    title = np.char.add(np.char.add(_PROBLEMS[problem], " di "), _PLACES[place])
    summary = np.char.add(np.char.add(title, ", "), _DETAILS[detail])
    a["public_title"] = np.where(shown, title, "")
    a["public_summary"] = np.where(shown, np.char.add(summary, "."), "")
    a["public_summary_approved_at"] = np.where(shown, a["triaged_at"], NA)


# --- facts and their contributions ---------------------------------------------------------
def facts(a, clock):
    """The ComplaintFact columns: the responsible unit at every step is the unit now (the
    generated history has no transfers), and the working time of each step."""
    unit = a["responsible_unit_id"]

    def if_happened(moment):
        return np.where(moment != NA, unit, NA)

    return {
        "triage_unit_id": if_happened(a["triaged_at"]),
        "response_unit_id": if_happened(a["first_response_at"]),
        "resolution_unit_id": if_happened(a["resolved_at"]),
        "triage_wsec": clock.working_between(a["submitted_at"], a["triaged_at"]),
        "response_unit_wsec": clock.working_between(a["triaged_at"], a["first_response_at"]),
        "response_citizen_wsec": clock.working_between(a["submitted_at"], a["first_response_at"]),
        "resolution_wsec": clock.working_between(a["submitted_at"], a["resolved_at"]),
    }


def _unit_key(units):
    return np.where(units == NA, UNIT_NONE, units)


def count_rows(a, f, clock):
    """DailyCount rows [(day, unit_key, category_id, channel, *COUNT_COLUMNS)] and OpenCount rows
    [(day, unit_key, category_id, n)], as rollups.contributions sums them."""
    day = clock.day(a["submitted_at"])
    cat = a["category_id"].astype(np.int64)
    parts = []  # (column index, mask, unit key array, day array, weight array)
    column = {c: i for i, c in enumerate(COUNT_COLUMNS)}

    def add(name, mask, units, weight=None, on=None):
        parts.append((column[name], mask, _unit_key(units), day if on is None else on,
                      np.ones(len(day), dtype=np.int64) if weight is None else weight))

    state, received_unit = a["state"], f["triage_unit_id"]
    dup = state == State.DUPLICATE.value
    spam = (state == State.REJECTED.value) & (a["reject_reason"] == RejectReason.SPAM.value)
    withdrawn = state == State.WITHDRAWN.value
    add("duplicates", dup, received_unit)
    add("spam", spam, received_unit)
    add("withdrawn", withdrawn, received_unit)
    add("received", ~dup & ~spam & ~withdrawn, received_unit)
    for step, moment, due, units in (("triage", a["triaged_at"], a["triage_due_at"], f["triage_unit_id"]),
                                     ("response", a["first_response_at"], a["response_due_at"], f["response_unit_id"]),
                                     ("resolution", a["resolved_at"], a["resolution_due_at"], f["resolution_unit_id"])):
        has = (moment != NA) & (due != NA)
        add(f"{step}_done", has, units)
        add(f"{step}_met", has, units, weight=(moment <= due).astype(np.int64))
    res, runit = a["resolved_at"] != NA, f["resolution_unit_id"]
    add("cohort_resolved", res, runit)
    for outcome in (Outcome.FIXED, Outcome.PARTLY_FIXED, Outcome.CANNOT_FIX, Outcome.NOT_OUR_AUTHORITY, Outcome.ANSWERED):
        add(outcome.value, res & (a["outcome"] == outcome.value), runit)
    add("reopened", res & (a["reopen_count"] > 0), runit)
    rated = res & (a["rating"] != NA) & (a["rating"] > 0)
    add("rated", rated, runit)
    add("rating_sum", rated, runit, weight=a["rating"])
    add("rated_high", rated, runit, weight=(a["rating"] >= 4).astype(np.int64))
    add("resolved", res, runit, on=clock.day(np.where(res, a["resolved_at"], a["submitted_at"])))

    cols, days, units, cats, weights = [], [], [], [], []
    for index, mask, unit_keys, on, weight in parts:
        cols.append(np.full(int(mask.sum()), index))
        days.append(on[mask])
        units.append(unit_keys[mask])
        cats.append(cat[mask])
        weights.append(weight[mask])
    keys, inverse = _group(np.concatenate(days), np.concatenate(units), np.concatenate(cats))
    width = len(COUNT_COLUMNS)
    matrix = np.bincount(inverse * width + np.concatenate(cols), weights=np.concatenate(weights),
                         minlength=len(keys) * width).astype(np.int64).reshape(len(keys), width)
    # Generated complaints are all web reports (the Complaint and fact columns' default).
    daily = [(_date(d), int(u), int(c), "web", *map(int, row)) for (d, u, c), row in zip(keys, matrix.tolist())]

    is_open = np.isin(state, [s.value for s in OPEN_STATES])
    okeys, oinverse = _group(day[is_open], _unit_key(a["responsible_unit_id"])[is_open], cat[is_open])
    counts = np.bincount(oinverse, minlength=len(okeys)) if len(okeys) else []
    opened = [(_date(d), int(u), int(c), int(n)) for (d, u, c), n in zip(okeys, counts)]
    return daily, opened


def _group(days, units, cats):
    """Unique (day, unit, category) keys and each element's index into them."""
    if not len(days):
        return [], np.zeros(0, dtype=np.int64)
    units = units.astype(np.int64) + 1  # UNIT_NONE (0) and real ids, all ≥ 0 now
    if units.max() >= 1 << 23 or cats.max() >= 1 << 23:
        raise ValueError("unit or category ids too large for generated history")
    packed = (days.astype(np.int64) << 46) | (units << 23) | cats.astype(np.int64)
    keys, inverse = np.unique(packed, return_inverse=True)
    return [(k >> 46, ((k >> 23) & 0x7FFFFF) - 1, k & 0x7FFFFF) for k in keys.tolist()], inverse.ravel()


def _date(day_index):
    return UNIX_EPOCH + dt.timedelta(days=int(day_index))


def _bins(seconds):
    # rollups.bin_of itself, so a bin is decided by exactly the same arithmetic.
    return np.fromiter(map(rollups.bin_of, seconds.tolist()), dtype=np.int64, count=len(seconds))


def histogram_blobs(a, f, clock):
    """{(unit_key, gran, bucket, metric): encoded sparse histogram} of every duration."""
    day = clock.day(a["submitted_at"])
    steps = (
        ("triage", a["submitted_at"], a["triaged_at"], f["triage_wsec"], f["triage_unit_id"]),
        ("response_unit", a["triaged_at"], a["first_response_at"], f["response_unit_wsec"], f["response_unit_id"]),
        ("response_citizen", a["submitted_at"], a["first_response_at"], f["response_citizen_wsec"], f["response_unit_id"]),
        ("resolution", a["submitted_at"], a["resolved_at"], f["resolution_wsec"], f["resolution_unit_id"]),
    )
    metrics = list(rollups.METRICS)
    unit_ids = sorted({int(u) for u in _unit_key(a["responsible_unit_id"]).tolist()} | {UNIT_NONE, UNIT_ALL})
    unit_index = {u: i for i, u in enumerate(unit_ids)}
    to_index = np.vectorize(unit_index.__getitem__, otypes=[np.int64])
    dates = day.astype("datetime64[D]")
    buckets = {
        "d": day,
        "w": day - (day + 3) % 7,  # Monday of the ISO week
        "m": dates.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64),
    }
    months = dates.astype("datetime64[M]").astype(np.int64)  # months since 1970-01
    buckets["q"] = (months - months % 3).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    flats, tallies = [], []
    for name, start, end, wsec, units in steps:
        happened = (start != NA) & (end != NA)
        seconds = np.maximum(0, end[happened] - start[happened])
        working = np.maximum(0, wsec[happened])
        uidx = to_index(_unit_key(units[happened])) if happened.any() else np.zeros(0, dtype=np.int64)
        for suffix, values in (("h", seconds), ("w", working)):
            bins = _bins(values)
            metric = metrics.index(f"{name}_{suffix}")
            keys = []
            for g, gran in enumerate(rollups.GRANULARITIES):
                bucket = buckets[gran][happened]
                for u in (uidx, np.full(len(uidx), unit_index[UNIT_ALL])):
                    # unit 8 bits | gran 2 | metric 3 | bucket (day) 17 | bin 12
                    keys.append((((((u << 2) | g) << 3 | metric) << 17 | bucket) << 12) | bins)
            # Counted metric by metric (keys of different metrics never collide), so the
            # peak is one metric's keys, not all of them.
            flat, counts = np.unique(np.concatenate(keys), return_counts=True)
            flats.append(flat)
            tallies.append(counts)
    if not flats:
        return {}
    order = np.argsort(np.concatenate(flats), kind="stable")
    flat, counts = np.concatenate(flats)[order], np.concatenate(tallies)[order]
    group = flat >> 12
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    ends = np.r_[starts[1:], len(flat)]
    pairs = np.zeros(len(flat), dtype=histogram.PAIR)
    pairs["bin"] = flat & 0xFFF
    pairs["n"] = counts
    out = {}
    for s, e, g in zip(starts.tolist(), ends.tolist(), group[starts].tolist()):
        bucket, metric = g & 0x1FFFF, (g >> 17) & 0x7
        gran, unit = (g >> 20) & 0x3, g >> 22
        out[(unit_ids[unit], rollups.GRANULARITIES[gran], _date(bucket), metrics[metric])] = pairs[s:e].tobytes()
    return out


# --- writing -------------------------------------------------------------------------------
def _moments(values, postgres):
    """Epoch seconds → the text each backend stores for a datetime (None for NA)."""
    text = np.datetime_as_string(np.where(values == NA, 0, values).astype("datetime64[s]"))
    text = np.char.replace(text, "T", " ")
    if postgres:
        text = np.char.add(text, "+00:00")
    return np.where(values == NA, None, text.astype(object)).tolist()


def _nullable(values):
    return np.where(values == NA, None, values.astype(object)).tolist()


def reserve_ids(count):
    """Primary keys for `count` new complaints (facts refer to them)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                           [Complaint._meta.db_table, count])
            return np.array([r[0] for r in cursor.fetchall()], dtype=np.int64)
    last = Complaint.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return np.arange(last + 1, last + 1 + count, dtype=np.int64)


class _Column:
    """A column produced batch by batch (so a million rows never sit in Python lists)."""

    def __init__(self, make):
        self.make = make


def _insert_in_batches(model, columns, values, count, batch):
    for start in range(0, count, batch):
        stop = min(count, start + batch)
        cols = [v.make(start, stop) if isinstance(v, _Column) else [v] * (stop - start) for v in values]
        with connection.cursor() as cursor:
            sql.bulk_write(cursor, sql.table(model), columns, zip(*cols))


def _getters(a, postgres):
    def moments(name):
        return _Column(lambda i, j: _moments(a[name][i:j], postgres))

    def plain(name):
        return _Column(lambda i, j: a[name][i:j].tolist())

    def nullable(name):
        return _Column(lambda i, j: _nullable(a[name][i:j]))

    return moments, plain, nullable


def write_complaints(ids, a, codes, seed, first_n, batch):
    moments, plain, nullable = _getters(a, connection.vendor == "postgresql")
    given = {
        "id": _Column(lambda i, j: ids[i:j].tolist()), "tracking_code": _Column(lambda i, j: codes[i:j]),
        "idempotency_key": _Column(lambda i, j: [f"gen-{seed}-{first_n + k}" for k in range(i, j)]),
        "title": _Column(lambda i, j: [f"[generated] {c}" for c in a["category_code"][i:j].tolist()]),
        "description": "Generated benchmark complaint: no real text.",
        "identity_mode": "anonymous", "access_token_hash": "",
        "created_at": moments("submitted_at"),
        "responsible_unit_id": nullable("responsible_unit_id"), "rating": nullable("rating"),
    }
    for name in ("kind", "language", "visibility", "state", "reject_reason", "outcome", "category_id",
                 "reopen_count", "public_title", "public_summary"):
        given[name] = plain(name)
    for name in ("submitted_at", "triaged_at", "first_response_at", "resolved_at", "final_resolved_at",
                 "closed_at", "updated_at", "triage_due_at", "response_due_at", "resolution_due_at",
                 "appeal_due_at", "public_summary_approved_at"):
        given[name] = moments(name)
    columns, values = [], []
    template = Complaint()
    for field in Complaint._meta.concrete_fields:
        columns.append(field.column)
        key = field.name if field.name in given else field.attname
        if key in given:
            values.append(given[key])
        else:  # the model's default, the same for every row
            values.append(field.get_db_prep_save(field.pre_save(template, add=True), connection))
    _insert_in_batches(Complaint, columns, values, len(ids), batch)


def write_facts(ids, a, f, batch):
    moments, plain, nullable = _getters({**a, **f}, connection.vendor == "postgresql")
    cols = {"complaint_id": _Column(lambda i, j: ids[i:j].tolist()), "unit_id": nullable("responsible_unit_id"),
            "rating": nullable("rating")}
    for name in ("state", "kind", "category_id", "outcome", "reopen_count", "reject_reason"):
        cols[name] = plain(name)
    for name in ("submitted_at", "triaged_at", "first_response_at", "resolved_at", "triage_due_at",
                 "response_due_at", "resolution_due_at"):
        cols[name] = moments(name)
    for name in f:
        cols[name] = nullable(name)
    # The generated history has no proof and no verifier step.
    for name, value in (("with_proof", False), ("verification_needed", False), ("verified", False),
                        ("sent_back_count", 0)):
        cols[name] = value
    cols["channel"] = _Column(lambda i, j: ["web"] * (j - i))
    columns = [field.column for field in ComplaintFact._meta.concrete_fields]
    # Generated complaints have no assignee and no audit events: no step is any officer's.
    _insert_in_batches(ComplaintFact, columns, [cols.get(c) for c in columns], len(ids), batch)
