"""Working time between two moments, fast enough for a million complaints.

Same rule as routing.calendar.working_time_between (every moment of a working day counts,
nothing of a weekend or holiday does; days are local; wall-clock differences), answered
from a cumulative table of working days anchored at a fixed epoch instead of walking the
calendar day by day.
"""

import datetime as dt
import threading
import time

from django.utils import timezone

from routing import calendar

DAY_SECONDS = 86400
EPOCH = dt.date(2000, 1, 1)
_TTL = 60.0  # as routing.calendar: admin edits of the calendar show within a minute
_lock = threading.Lock()
_table = {"cum": [], "built_at": 0.0}


def _cumulative(day):
    """(working seconds from EPOCH to the start of `day`, whether `day` is a working day)."""
    index = (day - EPOCH).days
    with _lock:
        cum = _table["cum"]
        if time.monotonic() - _table["built_at"] > _TTL or index + 1 >= len(cum):
            last = max(dt.date(timezone.now().year + 2, 12, 31), day + dt.timedelta(days=2))
            cum, total, cursor = [], 0, EPOCH
            while cursor <= last:
                cum.append(total)
                total += DAY_SECONDS if calendar.is_working_day(cursor) else 0
                cursor += dt.timedelta(days=1)
            cum.append(total)
            _table.update(cum=cum, built_at=time.monotonic())
        return cum[index], cum[index + 1] - cum[index] > 0


def cumulative_table(last_day):
    """The table behind the arithmetic, reaching at least `last_day`: entry i is the working
    seconds from EPOCH to the start of day EPOCH + i (for vectorised callers)."""
    _cumulative(last_day)
    with _lock:
        return list(_table["cum"])


def _point(moment):
    local = timezone.localtime(moment)
    start, working = _cumulative(local.date())
    if not working:
        return start
    wall = local.replace(tzinfo=None) - dt.datetime.combine(local.date(), dt.time.min)
    return start + wall.total_seconds()


def working_seconds_between(start, end):
    """Whole working seconds from start to end (0 when end is not after start)."""
    if start is None or end is None:
        return None
    if end <= start:
        return 0
    if timezone.localtime(start).date() < EPOCH:
        return int(calendar.working_time_between(start, end).total_seconds())
    return int(round(_point(end) - _point(start)))


def add_working_seconds(start, seconds):
    """The moment `seconds` of working time after `start` (fast inverse of the above)."""
    import bisect

    target = _point(start) + seconds
    cum = _table["cum"]
    if target >= cum[-1]:
        return calendar.add_working_time(start, dt.timedelta(seconds=seconds))
    index = bisect.bisect_right(cum, target) - 1
    # cum is flat across days off: land on the first working day holding the target.
    while index + 1 < len(cum) and cum[index + 1] == cum[index]:
        index += 1
    day = EPOCH + dt.timedelta(days=index)
    wall = dt.timedelta(seconds=target - cum[index])
    naive = dt.datetime.combine(day, dt.time.min) + wall
    return timezone.make_aware(naive, timezone.get_current_timezone())
