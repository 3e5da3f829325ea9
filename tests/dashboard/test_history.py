"""generate_history: its vectorised rollup sums equal what rebuild_rollups computes complaint
by complaint (dashboard.rollups.contributions), and the complaints it writes are coherent."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from complaints.models import OPEN_STATES, Complaint, State
from dashboard import rollups
from dashboard.models import ComplaintFact, DailyCount, DurationHistogram
from dashboard.rollups import FACT_FIELDS
from routing.calendar import add_working_time, working_seconds_between

from .test_rollups import rollup_snapshot


def facts():
    return sorted(ComplaintFact.objects.values_list("complaint_id", *FACT_FIELDS))


@pytest.fixture
def generated(city):
    out = io.StringIO()
    call_command("generate_history", count=3000, seed=7, years=1.5, batch_size=700, stdout=out)
    return out.getvalue()


def test_rollups_equal_a_rebuild_from_the_complaints(generated):
    assert Complaint.objects.count() == 3000
    before_facts, before = facts(), rollup_snapshot()
    assert len(before_facts) == 3000 and before[0] and before[1] and before[2]
    rollups.rebuild()
    assert facts() == before_facts
    assert rollup_snapshot() == before


def test_every_state_occurs_and_stamps_are_coherent(generated):
    states = set(Complaint.objects.values_list("state", flat=True))
    # (Still "submitted" needs a filing in the last hours: a few of 3,000 at best, so not
    # asserted; the million-complaint run has hundreds.)
    assert {State.TRIAGED, State.IN_PROGRESS, State.RESOLVED, State.CLOSED,
            State.REJECTED, State.DUPLICATE} <= states
    now = dt.datetime.now(dt.timezone.utc)
    for c in Complaint.objects.all():
        assert c.submitted_at <= now and c.tracking_code.startswith("ADU-")
        stamps = [s for s in (c.submitted_at, c.triaged_at, c.first_response_at, c.resolved_at) if s]
        assert stamps == sorted(stamps)
        if c.state in OPEN_STATES or c.state in (State.REJECTED, State.DUPLICATE):
            assert c.closed_at is None
        if c.state in (State.RESOLVED, State.CLOSED):
            assert c.resolved_at and c.final_resolved_at >= c.resolved_at and c.outcome
        if c.state == State.CLOSED:
            assert c.closed_at >= c.final_resolved_at
        if c.rating is not None:
            assert c.state == State.CLOSED and 1 <= c.rating <= 5
        # No personal data, no real text.
        assert not (c.reporter_name or c.reporter_email or c.reporter_phone or c.reporter_user_id)
    assert Complaint.objects.filter(state__in=OPEN_STATES, resolution_due_at__lt=now).exists()
    assert Complaint.objects.filter(reopen_count=1).exists()


def test_due_dates_follow_the_working_day_calendar(generated):
    """The vectorised due-date arithmetic gives what routing.calendar gives."""
    checked = 0
    for c in Complaint.objects.select_related("category__sla_policy").exclude(triaged_at=None)[:300]:
        policy = c.category.sla_policy
        if policy.time_unit == "hours":
            expected = c.triaged_at + dt.timedelta(hours=policy.response_target)
        else:
            expected = add_working_time(c.triaged_at, dt.timedelta(days=policy.response_target))
            checked += 1
        assert c.response_due_at == expected
        assert ComplaintFact.objects.get(pk=c.pk).triage_wsec == working_seconds_between(c.submitted_at, c.triaged_at)
    assert checked > 100


def test_tracking_codes_are_unique_and_keys_name_the_seed(generated):
    codes = list(Complaint.objects.values_list("tracking_code", flat=True))
    assert len(set(codes)) == len(codes)
    assert Complaint.objects.filter(idempotency_key="gen-7-2999").exists()


def test_a_second_seed_adds_to_the_rollups(generated):
    call_command("generate_history", count=500, seed=8, years=1, stdout=io.StringIO())
    assert Complaint.objects.count() == 3500
    snapshot = rollup_snapshot()
    rollups.rebuild()
    assert rollup_snapshot() == snapshot


def test_a_used_seed_is_refused_and_changes_nothing(generated):
    rows = (Complaint.objects.count(), DailyCount.objects.count(), DurationHistogram.objects.count())
    with pytest.raises(CommandError, match="seed 7"):
        call_command("generate_history", count=10, seed=7, stdout=io.StringIO())
    with pytest.raises(CommandError, match="count"):
        call_command("generate_history", count=0, seed=9, stdout=io.StringIO())
    assert (Complaint.objects.count(), DailyCount.objects.count(), DurationHistogram.objects.count()) == rows


def periods_around(today):
    """Periods inside the generated year and a half: month-aligned, straddling months,
    a single day, a whole year."""
    first = (today - dt.timedelta(days=200)).replace(day=1)
    next_month = (first + dt.timedelta(days=32)).replace(day=1)
    month_after = (next_month + dt.timedelta(days=32)).replace(day=1)
    return [
        (first, next_month - dt.timedelta(days=1)),  # exactly one month
        (first, next_month - dt.timedelta(days=2)),  # one day short of it
        (first + dt.timedelta(days=1), next_month),  # straddling, no whole month
        (first + dt.timedelta(days=14), month_after + dt.timedelta(days=9)),  # days + month + days
        (next_month - dt.timedelta(days=1), next_month),
        (first, first),
        (today - dt.timedelta(days=364), today),
        (first - dt.timedelta(days=90), month_after - dt.timedelta(days=1)),
    ]


def test_counts_read_from_months_and_days_equal_the_daily_sums(generated):
    from django.db.models import Sum

    from dashboard import metrics
    from dashboard.models import COUNT_COLUMNS

    for start, end in periods_around(metrics.today()):
        period = metrics.with_open_end(metrics.parse_period({"start": start.isoformat(), "end": end.isoformat()}))
        rows = (DailyCount.objects.filter(day__gte=start, day__lte=end).values("unit_key", "category_id")
                .annotate(**{f"s_{c}": Sum(c) for c in COUNT_COLUMNS}).order_by())
        expected = {(r["unit_key"], r["category_id"]): {c: r[f"s_{c}"] for c in COUNT_COLUMNS} for r in rows}
        assert expected, (start, end)
        assert metrics.counts(period) == expected, (start, end)
        unit_ids = sorted({k[0] for k in expected})[:2]
        assert metrics.counts(period, unit_ids) == {k: v for k, v in expected.items() if k[0] in unit_ids}


def test_migrations_fill_months_and_quarters_from_existing_rows(generated):
    """Databases that had rollups before MonthlyCount and quarter histograms existed get
    them from their daily and monthly rows, equal to what the rollups maintain now."""
    import importlib

    from django.apps import apps

    from dashboard.models import MonthlyCount

    before = rollup_snapshot()
    MonthlyCount.objects.all().delete()
    DurationHistogram.objects.filter(gran="q").delete()
    importlib.import_module("dashboard.migrations.0002_monthly_counts").fill_months(apps, None)
    importlib.import_module("dashboard.migrations.0003_quarter_histograms").fill_quarters(apps, None)
    assert rollup_snapshot() == before


def test_a_period_ending_today_reads_whole_buckets_with_the_same_result(generated):
    """Nothing lies after today, so the current quarter, month and week are read whole:
    fewer rows, same sums as reading the period day by day where needed."""
    import dataclasses

    from dashboard import metrics
    from dashboard.models import UNIT_ALL

    today = metrics.today()
    metric_names = list(rollups.METRICS)
    for days in (7, 30, 90, 365, 500):
        exact = metrics.Period(today - dt.timedelta(days=days - 1), today, "custom")
        opened = metrics.with_open_end(exact)
        assert opened.open_end and not exact.open_end
        assert sum(map(len, metrics.period_buckets(opened).values())) <= sum(map(len, metrics.period_buckets(exact).values()))
        assert metrics.counts(opened) == metrics.counts(exact)
        units = [UNIT_ALL, *sorted({k[0] for k in metrics.counts(exact)})]
        got = metrics.histograms(opened, units, metric_names, by_unit=True)
        want = metrics.histograms(exact, units, metric_names, by_unit=True)
        assert got.keys() == want.keys() and got
        assert all((got[k] == want[k]).all() for k in want)
        # summary() marks the period itself; _summary reads it as given.
        now = timezone.now()
        assert metrics.figures._summary(exact, None, now, True) == metrics.summary(exact, now=now)
        assert metrics.figures._summary(dataclasses.replace(exact, open_end=True), None, now, True) == metrics.summary(exact, now=now)
    # Rows after the end (a period in the past) keep the exact reading.
    past = metrics.Period(today - dt.timedelta(days=60), today - dt.timedelta(days=20), "custom")
    assert not metrics.with_open_end(past).open_end


def test_period_buckets_cover_every_day_once_and_stay_few():
    """Quarters, months, weeks and days tile the period exactly (past the end only when it
    is open-ended), for thousands of periods; a year needs few buckets."""
    import dataclasses
    import random

    from dashboard import metrics

    span = {"d": lambda b: 1, "w": lambda b: 7,
            "m": lambda b: (metrics.month_end(b) - b).days + 1,
            "q": lambda b: (metrics.month_end(b, 3) - b).days + 1}
    rng = random.Random(3)
    year_counts = []
    for _ in range(3000):
        start = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(2500))
        days = rng.choice([1, 6, 7, 30, 31, 90, 92, 365, 366, 800, 3000])
        exact = metrics.Period(start, start + dt.timedelta(days=days - 1), "custom")
        for period in (exact, dataclasses.replace(exact, open_end=True)):
            covered = []
            for gran, buckets in metrics.period_buckets(period).items():
                for b in buckets:
                    assert rollups.bucket_of(b, gran) == b
                    covered += [b + dt.timedelta(days=i) for i in range(span[gran](b))]
            covered.sort()
            inside = [d for d in covered if d <= period.end]
            assert inside == [period.start + dt.timedelta(days=i) for i in range(period.days)]
            assert len(covered) == len(inside) or period.open_end
            months, ranges = metrics.month_split(period)
            month_days = []
            if months:
                cursor = months[0]
                while cursor <= months[1]:
                    month_days += [cursor + dt.timedelta(days=i) for i in range(span["m"](cursor))]
                    cursor = metrics.month_end(cursor) + dt.timedelta(days=1)
            range_days = [a + dt.timedelta(days=i) for a, b in ranges for i in range((b - a).days + 1)]
            got = sorted(month_days + range_days)
            assert [d for d in got if d <= period.end] == inside
            assert len(got) == len(inside) or period.open_end
            if days == 365:
                year_counts.append(sum(map(len, metrics.period_buckets(period).values())))
    assert max(year_counts) <= 24 and sum(year_counts) / len(year_counts) <= 20


def test_generated_sensitive_complaints_are_private_and_never_in_the_open_data(generated):
    from dashboard.exports import complaint_rows

    sensitive = Complaint.objects.filter(category__sensitive=True)
    assert sensitive.exists() and not sensitive.filter(visibility="public").exists()
    # Even if one were made public behind the rules' back, the export keeps its code out.
    sensitive.filter(pk=sensitive.exclude(triaged_at=None).first().pk).update(visibility="public")
    codes = set(sensitive.values_list("tracking_code", flat=True))
    assert not any(code in line for line in complaint_rows() for code in codes)
