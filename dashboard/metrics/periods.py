"""Periods of the public metrics: parsing `?period=`/`?start&end` and `?unit=`, and how a
period is covered by the rollups' day, week, month and quarter buckets."""

import dataclasses
import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from routing.models import Unit

from ..models import DailyCount
from ..rollups import bucket_of

PERIODS = {"7d": 7, "30d": 30, "90d": 90, "365d": 365}
DEFAULT_PERIOD = "30d"
MAX_CUSTOM_DAYS = 3660
# Custom periods lie within these bounds: no complaint is older, and dates near year 1 or
# 9999 would overflow the date arithmetic of the rollup readers.
EARLIEST_DAY = dt.date(2000, 1, 1)
LATEST_DAYS_AHEAD = 366


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


def month_end(day, months=1):
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
        if cursor.day == 1 and cursor.month % 3 == 1 and fits(month_end(cursor, 3)):
            out["q"].append(cursor)
            cursor = month_end(cursor, 3) + dt.timedelta(days=1)
        elif cursor.day == 1 and fits(month_end(cursor)):
            out["m"].append(cursor)
            cursor = month_end(cursor) + dt.timedelta(days=1)
        elif cursor.weekday() == 0 and fits(cursor + dt.timedelta(days=6)) and (
                cursor + dt.timedelta(days=6) <= month_end(cursor)
                or not fits(month_end(cursor + dt.timedelta(days=6)))):
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


def runs(buckets, gran):
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


def day_range(period):
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
