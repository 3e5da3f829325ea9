"""The complaint export on PostgreSQL: one `COPY (SELECT …) TO STDOUT WITH CSV` per part,
streamed through psycopg 3's cursor.copy in chunks of about CHUNK_BYTES, so a million
complaints leave at the database's pace and never sit in memory.

The database writes the very lines dashboard.exports.ComplaintExport writes in Python
(SQLite's path; tests/dashboard/test_export_copy.py compares the two): the same columns,
the tracking code only for public complaints past triage and never for a sensitive
category, sensitive complaints after the others with dates only, durations in hours and in
working days. Working time comes from the calendar's own cumulative table
(routing.calendar.cumulative_table), sent with the statement as an array, so holidays and
the admin's exceptions count exactly as in Python. Arithmetic is in whole microseconds and
rounds half away from zero, as the Python path does."""

import datetime as dt

from django.db import connection
from django.db.models import Min
from django.utils import timezone

from complaints.models import Complaint, Visibility
from routing import calendar
from routing.models import Category, Unit

from . import sql

CHUNK_BYTES = 1 << 18
EPOCH = dt.date(1970, 1, 1)

_TIMES = ("submitted_at", "triaged_at", "first_response_at", "resolved_at", "final_resolved_at", "closed_at",
          "triage_due_at", "response_due_at", "resolution_due_at")


def _iso(column):
    # Python's datetime.isoformat() of a UTC moment: microseconds only when there are some
    # (".000000" can only be the fraction). One to_char per value: it is most of the cost.
    return (f"replace(to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US'), '.000000', '')"
            " || '+00:00'")


def _day(column):
    return f"to_char({column} AT TIME ZONE %(tz)s, 'YYYY-MM-DD')"


# Moments as whole microseconds of local time since 1970 (a fixed offset: Asia/Jakarta
# and Indonesia's other zones keep no daylight saving, as routing.calendar assumes; another
# zone falls back to the Python path, see fixed_offset). Computed once per row (LATERAL).
def _local(name):
    return f"round(date_part('epoch', c.{name}) * 1000000)::bigint + %(offset)s AS {name}"


def _day_index(name):
    # 1-based index into the cumulative table, and the time of day.
    return f"l.{name} / 86400000000 - %(first)s + 1 AS {name}, l.{name} %% 86400000000 AS tod_{name}"


def _point(name):
    """Working microseconds from the calendar table's first day to the moment (as
    routing.calendar._point): whole working days from the table, plus the time of day on a
    working day."""
    return (f"k.cum[d.{name}] * 1000000 + CASE WHEN k.cum[d.{name} + 1] = k.cum[d.{name}]"
            f" THEN 0 ELSE d.tod_{name} END AS {name}")


DURATIONS = (("triage", "submitted_at", "triaged_at"), ("response", "triaged_at", "first_response_at"),
             ("resolution", "submitted_at", "resolved_at"))


def _rounded(name, start, end):
    """Hours in tenths and working days in hundredths, both rounded half up from whole
    microseconds (working time first to whole seconds, as working_seconds_between)."""
    missing = f"c.{start} IS NULL OR c.{end} IS NULL"
    micro = f"greatest(0, l.{end} - l.{start})"
    seconds = f"CASE WHEN c.{end} <= c.{start} THEN 0 ELSE (w.{end} - w.{start} + 500000) / 1000000 END"
    return (f"CASE WHEN {missing} THEN NULL ELSE ({micro} * 10 + 1800000000) / 3600000000 END AS h_{name},"
            f" CASE WHEN {missing} THEN NULL ELSE ({seconds} * 100 + 43200) / 86400 END AS d_{name}")


def _formatted(name):
    """Written as Python writes a float rounded to one or two places (12.0, 1.5, 0.25)."""
    tenths, hundredths = f"r.h_{name}", f"r.d_{name}"
    hours = f"({tenths} / 10)::text || '.' || ({tenths} %% 10)::text"
    days = (f"({hundredths} / 100)::text || '.' || CASE WHEN {hundredths} %% 10 <> 0"
            f" THEN lpad(({hundredths} %% 100)::text, 2, '0') ELSE (({hundredths} %% 100) / 10)::text END")
    return [hours, days]


def statement(sensitive, period, unit_ids):
    """The COPY statement of one part (sensitive categories or the others) and its parameters."""
    complaints, categories, units = sql.table(Complaint), sql.table(Category), sql.table(Unit)
    when = _day if sensitive else _iso
    points = ("submitted_at", "triaged_at", "first_response_at", "resolved_at")
    columns = [
        # Published only for public complaints past triage, never for a sensitive category.
        "CASE WHEN c.visibility = %(public)s AND c.triaged_at IS NOT NULL AND NOT cat.sensitive"
        " THEN c.tracking_code END",
        "c.kind", "cat.code", "u.code", "c.state",
        *(when(f"c.{name}") for name in _TIMES),
        "NULLIF(c.outcome, '')", "c.rating", "c.reopen_count", "c.escalation_level",
        *(text for name, _start, _end in DURATIONS for text in _formatted(name)),
        "c.channel",
    ]
    where = ["cat.sensitive = %(sensitive)s"]
    if period is not None:
        where.append("c.submitted_at >= %(start)s AND c.submitted_at < %(end)s")
    if unit_ids is not None:
        where.append("c.responsible_unit_id = ANY(%(units)s)")
    query = (f"COPY (SELECT {', '.join(columns)} FROM {complaints} c"
             f" JOIN {categories} cat ON cat.id = c.category_id"
             f" LEFT JOIN {units} u ON u.id = c.responsible_unit_id"
             f" CROSS JOIN (SELECT %(cum)s::bigint[] AS cum) k"
             # Each step once per row: OFFSET 0 keeps the planner from copying a step's
             # expressions into every reference to it (measured: 40 µs a row without).
             f" CROSS JOIN LATERAL (SELECT {', '.join(_local(n) for n in points)} OFFSET 0) l"
             f" CROSS JOIN LATERAL (SELECT {', '.join(_day_index(n) for n in points)} OFFSET 0) d"
             f" CROSS JOIN LATERAL (SELECT {', '.join(_point(n) for n in points)} OFFSET 0) w"
             f" CROSS JOIN LATERAL (SELECT {', '.join(_rounded(*step) for step in DURATIONS)} OFFSET 0) r"
             f" WHERE {' AND '.join(where)} ORDER BY c.id) TO STDOUT WITH (FORMAT csv)")
    return query, {"public": Visibility.PUBLIC.value, "sensitive": sensitive,
                   "start": period[0] if period else None, "end": period[1] if period else None,
                   "units": list(unit_ids) if unit_ids is not None else None}


def _calendar(period, unit_ids):
    """The cumulative working-time table from the earliest submission exported to today."""
    qs = Complaint.objects.all()
    if period is not None:
        qs = qs.filter(submitted_at__gte=period[0], submitted_at__lt=period[1])
    if unit_ids is not None:
        qs = qs.filter(responsible_unit_id__in=unit_ids)
    earliest = qs.aggregate(first=Min("submitted_at"))["first"]
    today = timezone.localdate()
    first_day = timezone.localtime(earliest).date() if earliest else today
    return calendar.cumulative_table(min(first_day, today), today)


def fixed_offset():
    """The current time zone's offset from UTC in seconds if it never changes (no daylight
    saving in the years around now), else None (then the export takes the Python path)."""
    zone = timezone.get_current_timezone()
    year = timezone.now().year
    offsets = {zone.utcoffset(dt.datetime(y, m, 1, 12)) for y in range(year - 30, year + 3) for m in (1, 7)}
    return int(offsets.pop().total_seconds()) if len(offsets) == 1 else None


def chunks(period, unit_ids):
    """Yield the CSV lines (after the header) as text, about CHUNK_BYTES at a time."""
    first, cum = _calendar(period, unit_ids)
    shared = {"tz": timezone.get_current_timezone_name(), "first": (first - EPOCH).days,
              "cum": cum, "offset": fixed_offset() * 1_000_000}
    connection.ensure_connection()
    with connection.wrap_database_errors, connection.connection.cursor() as cursor:
        # JIT compiling this long projection costs seconds (measured: 3 s of a 5 s export
        # of 100,000 rows) and gains nothing; off for this session's statements only.
        cursor.execute("SET jit = off")
        cursor.execute("SET enable_memoize = off")  # the per-row steps below never repeat
        try:
            for sensitive in (False, True):
                query, params = statement(sensitive, period, unit_ids)
                buffer, size = [], 0
                with cursor.copy(query, {**params, **shared}) as copy:
                    for data in copy:
                        buffer.append(bytes(data))
                        size += len(data)
                        if size >= CHUNK_BYTES:
                            yield _text(buffer)
                            buffer, size = [], 0
                if buffer:
                    yield _text(buffer)
        finally:
            if not cursor.closed and not connection.connection.closed:
                cursor.execute("RESET jit")
                cursor.execute("RESET enable_memoize")


def _text(buffer):
    # csv.writer ends lines with \r\n, COPY with \n. No field can hold a line break (codes
    # are slugs, the rest choices, numbers and dates), so every \n ends a line.
    return b"".join(buffer).replace(b"\n", b"\r\n").decode()
