"""The working-day calendar: weekends, Indonesian public holidays and government
collective-leave days (the `holidays` package), plus the admin table of exceptions.

Working time is counted in whole local days: every moment of a working day counts,
nothing of a weekend or holiday does. So "N working days after t" is the same local
time of day N working days later, and a pause measured in working time can be added
back onto a due date exactly.
"""

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
_OVERRIDES_TTL = 60.0  # seconds; other processes see admin edits within a minute
_lock = threading.Lock()
_overrides = {"loaded_at": 0.0, "days": {}}


@lru_cache(maxsize=64)
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
        if now - _overrides["loaded_at"] > _OVERRIDES_TTL:
            _overrides["days"] = dict(CalendarDay.objects.values_list("date", "is_working_day"))
            _overrides["loaded_at"] = now
        return _overrides["days"]


def clear_cache():
    with _lock:
        _overrides["loaded_at"] = 0.0


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


def _local(moment):
    return timezone.localtime(moment)


def _next_midnight(local_moment):
    next_day = local_moment.date() + DAY
    return dt.datetime.combine(next_day, dt.time.min, tzinfo=local_moment.tzinfo)


def add_working_time(start, duration):
    """The moment `duration` of working time after `start`."""
    if duration < dt.timedelta(0):
        raise ValueError("duration must not be negative")
    cursor = _local(start)
    remaining = duration
    while True:
        midnight = _next_midnight(cursor)
        if is_working_day(cursor.date()):
            available = midnight - cursor
            if remaining <= available:
                return cursor + remaining
            remaining -= available
        cursor = midnight


def add_working_days(start, days):
    return add_working_time(start, dt.timedelta(days=days))


def add_target(start, amount, time_unit):
    """Add an SLA target: working days on the calendar, or plain clock hours."""
    if time_unit == "hours":
        return start + dt.timedelta(hours=amount)
    return add_working_days(start, amount)


def working_time_between(start, end):
    """Working time elapsed from `start` to `end` (zero when end is not after start)."""
    if end <= start:
        return dt.timedelta(0)
    cursor = _local(start)
    end = _local(end)
    total = dt.timedelta(0)
    while cursor < end:
        midnight = min(_next_midnight(cursor), end)
        if is_working_day(cursor.date()):
            total += midnight - cursor
        cursor = midnight
    return total


def working_days_between(start, end):
    return working_time_between(start, end) / DAY
