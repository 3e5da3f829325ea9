"""Rollup figures agree with a brute-force recomputation from the complaints table, for
random histories driven through the real transitions (reopen, transfer, waiting for
information, escalation, appeals included): counts exactly, percentiles within one bin."""

import datetime as dt
import zoneinfo

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from complaints.models import Complaint
from complaints.lifecycle.engine import perform
from complaints.lifecycle.errors import TransitionError
from dashboard import metrics, rollups
from dashboard import histogram
from dashboard.models import COUNT_COLUMNS, DailyCount, DurationHistogram, MonthlyCount, OpenCount

from ..conftest import CITIZEN, SYSTEM, as_staff, make_user, submit
from .oracle import figures as expected_figures
from .oracle import nearest_rank

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
START = dt.datetime(2025, 3, 3, 9, 0, tzinfo=JAKARTA)
ACTIONS = ("file", "triage", "request_info", "provide_info", "reject", "mark_duplicate", "start",
           "transfer", "reply", "resolve", "confirm", "reopen", "auto_close", "reopen_on_appeal",
           "escalate", "rate", "recategorise", "withdraw")
OUTCOMES = ("fixed", "partly_fixed", "cannot_fix", "not_our_authority", "answered")
REASONS = ("spam", "out_of_scope", "other")

# What each state may lead to; a history step picks one of them (or files a new complaint).
NEXT = {
    "submitted": ("triage", "triage", "request_info", "reject", "mark_duplicate", "recategorise", "escalate",
                  "withdraw"),
    "needs_info": ("provide_info", "provide_info", "reject", "withdraw"),
    "triaged": ("start", "start", "transfer", "request_info", "reply", "escalate"),
    "in_progress": ("resolve", "resolve", "resolve", "transfer", "request_info", "reply", "escalate"),
    "resolved": ("confirm", "reopen", "auto_close"),
    "closed": ("rate", "reopen_on_appeal", "rate"),
    "rejected": ("reopen_on_appeal",),
    "duplicate": ("reopen_on_appeal",),
    "withdrawn": ("reopen_on_appeal",),
}
step = st.tuples(st.integers(0, 5), st.integers(0, 7), st.integers(0, 11),
                 st.floats(min_value=0.05, max_value=400.0, allow_nan=False))


@pytest.fixture
def actors(city, people):
    return {
        "triage": as_staff(people["triage"]),
        "handler": as_staff(make_user("city_supervisor", units=[(city["root"], "supervisor")])),
        "oversight": as_staff(people["oversight"]),
    }


def run_history(city, actors, steps):
    now = START
    complaints = []
    units = [city["roads"], city["health"], city["works"]]
    categories = ["roads_cat", "clinic_cat", "roads_cat", "bribe_cat"]
    for kind, index, pick, hours in steps:
        now += dt.timedelta(hours=hours)
        if kind == 0 or not complaints:
            complaints.append(submit(city, categories[pick % 4], now=now,
                                     visibility="public" if pick % 2 else "private").complaint.pk)
            continue
        c = Complaint.objects.select_related("category", "responsible_unit").get(pk=complaints[index % len(complaints)])
        action = NEXT[c.state][(pick + kind) % len(NEXT[c.state])]
        actor, args, moment = actors["handler"], {}, None
        if action == "triage":
            actor, args = actors["triage"], {"unit": units[pick % 3]}
        elif action == "request_info":
            actor = actors["triage"] if c.state == "submitted" else actors["handler"]
            args = {"message": "Mohon detail lokasi."}
        elif action == "provide_info":
            actor, args = CITIZEN, {"message": "Di depan pasar."}
        elif action == "reject":
            actor = SYSTEM if c.state == "needs_info" else actors["triage"]
            args = {"reason": REASONS[pick % 3], "message": "Maaf."}
        elif action == "mark_duplicate":
            others = [pk for pk in complaints if pk != c.pk]
            if not others:
                continue
            actor, args = actors["triage"], {"duplicate_of": Complaint.objects.get(pk=others[pick % len(others)])}
        elif action == "transfer":
            others = [u for u in units if u.pk != c.responsible_unit_id]
            args = {"unit": others[pick % len(others)], "reason": "Bukan kewenangan kami."}
        elif action == "reply":
            args = {"body": "Sedang kami periksa."}
        elif action == "resolve":
            args = {"outcome": OUTCOMES[pick % 5], "summary": "Sudah ditangani.", "referred_to": "Provinsi"}
        elif action == "confirm":
            actor, args = CITIZEN, {"rating": (pick % 6) or None}
        elif action == "reopen":
            actor, args = CITIZEN, {"reason": "Belum beres."}
            if c.appeal_due_at and now > c.appeal_due_at:
                # Appeal within the window: this complaint's step happens earlier than the
                # clock (still after its own last change), other complaints are unaffected.
                moment = c.updated_at + (c.appeal_due_at - c.updated_at) / 2
        elif action == "auto_close":
            actor = SYSTEM
            if c.appeal_due_at and now < c.appeal_due_at:
                now = c.appeal_due_at
        elif action == "reopen_on_appeal":
            actor, args = actors["oversight"], {"reason": "Banding diterima."}
        elif action == "escalate":
            actor, args = SYSTEM, {"level": c.escalation_level + 1}
        elif action == "rate":
            if c.rating is not None:
                continue
            actor, args = CITIZEN, {"rating": pick % 5 + 1}
        elif action == "recategorise":
            actor, args = actors["triage"], {"category": city[categories[pick % 4]]}
        elif action == "withdraw":
            actor, args = CITIZEN, {"reason": "Sudah beres sendiri."}
        try:
            perform(c, action, actor, now=moment or now, **args)
        except TransitionError:
            continue  # refused actions change nothing; the history goes on
    return now


def rollup_snapshot():
    daily = sorted(r for r in DailyCount.objects.values_list("day", "unit_key", "category_id", *COUNT_COLUMNS) if any(r[3:]))
    months = {}
    for day, unit, cat, *values in daily:
        key = (day.replace(day=1), unit, cat)
        months[key] = [a + b for a, b in zip(months.get(key, [0] * len(values)), values)]
    stored_months = sorted(r for r in MonthlyCount.objects.values_list("day", "unit_key", "category_id", *COUNT_COLUMNS)
                           if any(r[3:]))
    # The monthly rows are always exactly the month sums of the daily ones.
    assert stored_months == sorted((*k, *v) for k, v in months.items() if any(v))
    return (
        daily,
        sorted((*key, b, n) for *key, data in DurationHistogram.objects.values_list("unit_key", "gran", "bucket", "metric", "data")
               for b, n in histogram.as_dict(data).items()),
        sorted(OpenCount.objects.filter(n__gt=0).values_list("day", "unit_key", "category_id", "n")),
    )


def assert_close(approx, exact_seconds, scale):
    """`approx` (rounded to hours or working days) lies within one histogram bin (plus the
    display rounding) of the exact nearest-rank value."""
    if exact_seconds is None:
        assert approx is None
        return
    low, high = rollups.bin_bounds(rollups.bin_of(exact_seconds))
    rounding = 0.05 * 3600 if scale == 3600 else 0.005 * 86400
    assert abs(approx * scale - exact_seconds) <= (high - low) + rounding + 1e-6, (approx, exact_seconds)


def check_filter(period, unit, now):
    got = metrics.summary(period, unit, now=now, league=False)
    fig = {f["name"]: f for f in got["figures"]}
    exp = expected_figures(period.start, period.end, unit.descendant_ids() if unit else None, now)
    assert fig["received"]["count"] == exp["received"]
    assert fig["received"]["duplicates"] == exp["duplicates"]
    assert fig["received"]["rejected_as_spam"] == exp["spam"]
    assert fig["received"]["withdrawn"] == exp["withdrawn"]
    assert fig["resolved"]["count"] == exp["resolved"]
    assert fig["backlog"]["count"] == exp["backlog"]
    assert [b["count"] for b in fig["backlog"]["ageing"]] == exp["ageing"]
    for step in ("triage", "response", "resolution"):
        f = fig[f"sla_{step}"]
        assert (f["count"], f["met"], f["open_past_due"]) == (
            exp[f"{step}_count"], exp[f"{step}_met"], exp[f"{step}_open_past_due"]), step
    fixed = fig["fixed_rate"]
    assert fixed["count"] == exp["cohort_resolved"]
    for outcome in OUTCOMES:
        assert fixed[outcome] == exp[outcome]
    assert fig["reopen_rate"]["reopened"] == exp["reopened"]
    assert fig["satisfaction"]["count"] == exp["rated"]
    assert fig["satisfaction"]["rated_4_or_5"] == exp["rated_high"]
    for name, metric in metrics.DURATION_FIGURES:
        f = fig[name]
        hours, working = exp["durations"][f"{metric}_h"], exp["durations"][f"{metric}_w"]
        assert f["count"] == len(hours)
        assert_close(f["median_hours"], nearest_rank(hours, 0.5), 3600)
        assert_close(f["p90_hours"], nearest_rank(hours, 0.9), 3600)
        assert_close(f["median_working_days"], nearest_rank(working, 0.5), 86400)
        assert_close(f["p90_working_days"], nearest_rank(working, 0.9), 86400)


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=12, max_size=45), cut=st.integers(0, 40))
def test_rollups_agree_with_brute_force_for_random_histories(city, actors, steps, cut):
    with transaction.atomic():
        end = run_history(city, actors, steps)
        now = end + dt.timedelta(days=3)
        first = START.date()
        last = end.astimezone(JAKARTA).date()
        periods = [
            metrics.Period(first, last, "custom"),
            metrics.Period(first + dt.timedelta(days=cut), max(last, first + dt.timedelta(days=cut)), "custom"),
        ]
        for period in periods:
            for unit in (None, city["root"], city["works"], city["roads"], city["health"], city["inspectorate"]):
                check_filter(period, unit, now)
        # Rebuilding from scratch gives the very same rollups as the incremental updates.
        incremental = rollup_snapshot()
        rollups.rebuild()
        assert rollup_snapshot() == incremental
        transaction.set_rollback(True)


def test_histogram_bins_are_one_percent_wide():
    for index in (1, 10, 500, 1500):
        low, high = rollups.bin_bounds(index)
        assert high / low == pytest.approx(1.01)
        assert rollups.bin_of((low + high) / 2) == index
    assert rollups.bin_of(0) == 0 and rollups.bin_of(59.9) == 0 and rollups.bin_of(60) == 1



@pytest.mark.django_db
def test_rebuild_replays_a_move_to_oversight_by_recategorisation(city, actors):
    """Recategorising into a sensitive category moves the complaint to oversight; its
    event names the unit, so a rebuild attributes the later steps as the live rollups did."""
    from dashboard.models import ComplaintFact

    c = submit(city).complaint
    perform(c, "triage", actors["triage"], now=START + dt.timedelta(hours=2), unit=city["roads"])
    c.refresh_from_db()
    perform(c, "recategorise", actors["triage"], now=START + dt.timedelta(hours=3), category=city["bribe_cat"])
    c.refresh_from_db()
    assert c.responsible_unit == city["inspectorate"]
    event = c.events.get(action="recategorise")
    assert event.data["unit"] == "INSPEKTORAT" and event.data["from_unit"] == "DPU-JALAN"
    perform(c, "start", actors["oversight"], now=START + dt.timedelta(hours=5))
    c.refresh_from_db()
    perform(c, "resolve", actors["oversight"], now=START + dt.timedelta(days=2), outcome="fixed",
            summary="Ditindaklanjuti oleh Inspektorat.")
    fact = ComplaintFact.objects.get(pk=c.pk)
    assert (fact.triage_unit_id, fact.response_unit_id, fact.resolution_unit_id) == (
        city["roads"].pk, city["inspectorate"].pk, city["inspectorate"].pk)
    incremental = rollup_snapshot()
    rollups.rebuild()
    fact = ComplaintFact.objects.get(pk=c.pk)
    assert (fact.triage_unit_id, fact.response_unit_id, fact.resolution_unit_id) == (
        city["roads"].pk, city["inspectorate"].pk, city["inspectorate"].pk)
    assert rollup_snapshot() == incremental
