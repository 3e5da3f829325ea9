"""The working-day calendar: weekends, Indonesian public holidays and government
collective-leave days (the `holidays` package), plus the admin table of exceptions, and
all working-time arithmetic.

Working time is counted in whole local days: every moment of a working day counts,
nothing of a weekend or holiday does. So "N working days after t" is the same local
time of day N working days later, and a pause measured in working time can be added
back onto a due date exactly.

One implementation answers every question: a cumulative table of working seconds per
local day (entry i = working seconds from the table's first day to the start of day
first + i). Due dates, pauses, the dashboard's durations of a million complaints and the
benchmark generator's vectorised arithmetic (which reads `cumulative_table`) all use it.
Local days assume no daylight saving (true for Indonesia).
"""

import bisect
import datetime as dt
import threading
import time
from functools import lru_cache

import holidays
from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from .models import CalendarDay

DAY = dt.timedelta(days=1)
DAY_SECONDS = 86400
EPOCH = dt.date(2000, 1, 1)  # the table starts here unless an earlier day is asked for
HORIZON_YEARS = 100  # days further than this from today are refused, not tabulated
_TTL = 60.0  # seconds; other processes see admin edits of the calendar within a minute
_lock = threading.RLock()
_overrides = {"loaded_at": 0.0, "days": {}}
_table = {"first": EPOCH, "cum": [], "built_at": 0.0}


@lru_cache(maxsize=256)
def _holidays_for_year(year):
    return holidays.country_holidays(
        settings.HOLIDAYS_COUNTRY,
        subdiv=settings.HOLIDAYS_SUBDIVISION,
        years=[year],
        categories=settings.HOLIDAYS_CATEGORIES,
    )


def _exceptions():
    now = time.monotonic()
    with _lock:
        if now - _overrides["loaded_at"] > _TTL:
            _overrides["days"] = dict(CalendarDay.objects.values_list("date", "is_working_day"))
            _overrides["loaded_at"] = now
        return _overrides["days"]


def clear_cache():
    with _lock:
        _overrides["loaded_at"] = 0.0
        _table["built_at"] = 0.0


@receiver([post_save, post_delete], sender=CalendarDay)
def _calendar_changed(**kwargs):
    clear_cache()


def is_working_day(day):
    exception = _exceptions().get(day)
    if exception is not None:
        return exception
    if day.weekday() >= 5:
        return False
    return day not in _holidays_for_year(day.year)


# --- the cumulative table ----------------------------------------------------------------
def _ensure(first_day, last_day):
    """The table, covering at least first_day .. last_day (+1); rebuilt when stale."""
    today = timezone.localdate()
    if abs(first_day.year - today.year) > HORIZON_YEARS or abs(last_day.year - today.year) > HORIZON_YEARS:
        raise ValueError("date outside the working-day calendar's range")
    with _lock:
        fresh = time.monotonic() - _table["built_at"] <= _TTL
        start, cum = _table["first"], _table["cum"]
        if fresh and start <= first_day and (last_day - start).days + 1 < len(cum):
            return start, cum
        start = min(start, first_day, EPOCH)
        end = max(dt.date(today.year + 2, 12, 31), last_day + 2 * DAY)
        cum, total, cursor = [], 0, start
        while cursor <= end:
            cum.append(total)
            total += DAY_SECONDS if is_working_day(cursor) else 0
            cursor += DAY
        cum.append(total)
        _table.update(first=start, cum=cum, built_at=time.monotonic())
        return start, cum


def cumulative_table(first_day, last_day):
    """(first day, [working seconds from the first day to the start of each day]) reaching at
    least from first_day to last_day, for vectorised callers."""
    start, cum = _ensure(first_day, last_day)
    return start, list(cum)


US = 1_000_000


def _point(moment):
    """Working time from the table's first day to `moment`, in whole microseconds (exact:
    a pause measured here and added back onto a due date lands on the microsecond)."""
    local = timezone.localtime(moment)
    start, cum = _ensure(local.date(), local.date())
    index = (local.date() - start).days
    if cum[index + 1] == cum[index]:  # a day off: no working time passes inside it
        return cum[index] * US
    wall = local.replace(tzinfo=None) - dt.datetime.combine(local.date(), dt.time.min)
    return cum[index] * US + (wall.days * DAY_SECONDS + wall.seconds) * US + wall.microseconds


def working_seconds_between(start, end):
    """Whole working seconds from start to end (None when either is None, 0 when end is
    not after start)."""
    if start is None or end is None:
        return None
    if end <= start:
        return 0
    return int(round((_point(end) - _point(start)) / US))


def working_time_between(start, end):
    """Working time elapsed from `start` to `end` (zero when end is not after start)."""
    if end <= start:
        return dt.timedelta(0)
    return dt.timedelta(microseconds=_point(end) - _point(start))


def working_days_between(start, end):
    return working_time_between(start, end) / DAY


def add_working_time(start, duration):
    """The moment `duration` of working time after `start`. A due date that falls exactly
    at the end of a working day is that day's midnight (not the next working morning)."""
    if duration < dt.timedelta(0):
        raise ValueError("duration must not be negative")
    target = _point(start) + duration // dt.timedelta(microseconds=1)
    first, cum = _ensure(timezone.localtime(start).date(),
                         timezone.localtime(start).date() + dt.timedelta(days=int(duration / DAY) * 3 + 30))
    while target > cum[-1] * US:  # a very long duration: reach further
        first, cum = _ensure(first, first + dt.timedelta(days=len(cum) * 2))
    whole, rest = divmod(target, US)
    index = bisect.bisect_left(cum, whole + (1 if rest else 0))
    if cum[index] * US == target:
        day, wall = first + dt.timedelta(days=index), dt.timedelta(0)
    else:
        day = first + dt.timedelta(days=index - 1)
        wall = dt.timedelta(microseconds=target - cum[index - 1] * US)
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min) + wall, timezone.get_current_timezone())


def add_working_days(start, days):
    return add_working_time(start, dt.timedelta(days=days))


def add_target(start, amount, time_unit):
    """Add an SLA target: working days on the calendar, or plain clock hours."""
    if time_unit == "hours":
        return start + dt.timedelta(hours=amount)
    return add_working_days(start, amount)


def working_days_left(due, now=None):
    """Working days from now to `due`; negative when overdue; None without a due date."""
    now = now or timezone.now()
    if due is None:
        return None
    if due >= now:
        return working_days_between(now, due)
    return -working_days_between(due, now)
