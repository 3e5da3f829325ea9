"""Working-day arithmetic across weekends, Indonesian holidays, collective leave and the
admin's exceptions."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from routing import calendar
from routing.models import CalendarDay

JKT = ZoneInfo("Asia/Jakarta")


def at(y, m, d, h=10, mi=0):
    return dt.datetime(y, m, d, h, mi, tzinfo=JKT)


@pytest.fixture(autouse=True)
def fresh_calendar(db):
    calendar.clear_cache()
    yield
    calendar.clear_cache()


def test_weekend_is_skipped():
    # Friday 10:00 + 1 working day = Monday 10:00.
    assert calendar.add_working_days(at(2026, 11, 27), 1) == at(2026, 11, 30)


def test_starting_on_a_weekend_counts_from_monday_morning():
    assert calendar.add_working_days(at(2026, 11, 28, 15), 1) == at(2026, 12, 1, 0)


def test_independence_day_and_its_joint_leave_are_skipped():
    # 2025-08-15 is a Friday; Aug 17 (Sunday) is Independence Day, Aug 18 is collective leave.
    assert not calendar.is_working_day(dt.date(2025, 8, 18))
    assert calendar.add_working_days(at(2025, 8, 15), 1) == at(2025, 8, 19)


def test_eid_collective_leave_is_not_a_working_day():
    # Eid al-Fitr 2025: 31 March and 1 April, with collective leave 2-4 and 7 April.
    for day in (31,):
        assert not calendar.is_working_day(dt.date(2025, 3, day))
    for day in (1, 2, 3, 4, 7):
        assert not calendar.is_working_day(dt.date(2025, 4, day))
    assert calendar.is_working_day(dt.date(2025, 4, 8))
    # Three working days from Thursday 27 March: Fri 28 is a joint holiday too, so 8, 9, 10 April.
    assert calendar.add_working_days(at(2025, 3, 27), 3) == at(2025, 4, 10)


def test_admin_exception_adds_a_day_off_and_cancels_a_holiday():
    monday = dt.date(2026, 11, 30)
    assert calendar.is_working_day(monday)
    CalendarDay.objects.create(date=monday, is_working_day=False, note="Pilkada")
    assert not calendar.is_working_day(monday)
    assert calendar.add_working_days(at(2026, 11, 27), 1) == at(2026, 12, 1)
    CalendarDay.objects.create(date=dt.date(2026, 11, 28), is_working_day=True, note="Make-up day")
    assert calendar.add_working_days(at(2026, 11, 27), 1) == at(2026, 11, 28)


def test_elapsed_working_time_ignores_weekends():
    # Friday 10:00 to Monday 10:00 is one working day.
    assert calendar.working_days_between(at(2026, 11, 27), at(2026, 11, 30)) == 1
    assert calendar.working_time_between(at(2026, 11, 30), at(2026, 11, 27)) == dt.timedelta(0)


def test_adding_elapsed_working_time_back_is_exact():
    start, end = at(2026, 11, 26, 9, 30), at(2026, 12, 3, 16, 45)
    elapsed = calendar.working_time_between(start, end)
    assert calendar.add_working_time(start, elapsed) == end


def test_hours_targets_are_clock_hours():
    assert calendar.add_target(at(2026, 11, 27, 20), 24, "hours") == at(2026, 11, 28, 20)
