"""The staff performance page (a staff page of the dashboard app): unit figures are the
public dashboard's, per-officer figures come from their own rollup kept in the transition's
transaction, and who sees which figures is decided server-side."""

import datetime as dt
import json
import re

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from complaints.lifecycle.engine import perform
from complaints.models import Complaint, Event
from complaints.permissions import ActorRef
from dashboard import metrics, rollups, staff
from dashboard.models import AcceptanceCount, ComplaintFact, OfficerCount, OfficerHistogram

from ..conftest import as_staff, submit
from .oracle import nearest_rank

PAGE = "/staff/dashboard/performance/"


def fresh(c):
    return Complaint.objects.get(pk=c.pk)


def _monday(weeks_ago):
    today = timezone.localdate()
    day = today - dt.timedelta(days=today.weekday() + 7 * weeks_ago)
    return dt.datetime.combine(day, dt.time(9), tzinfo=timezone.get_current_timezone())


def history(city, people):
    """Three roads complaints three weeks ago, worked by roads_officer (two resolved: 25 h and
    72 h after submission; one left open and overdue), one health complaint answered by
    health_officer, and one roads complaint started by roads_officer2 then transferred to
    health and resolved there by health_officer."""
    triage = as_staff(people["triage"])
    roads, health = as_staff(people["officer_roads"]), as_staff(people["officer_health"])
    monday = _monday(3)

    def one(unit, worker, started, resolved, category="roads_cat"):
        c = submit(city, category=category, now=monday).complaint
        c = perform(fresh(c), "triage", triage, unit=city[unit], now=monday + dt.timedelta(hours=1))
        if started is not None:
            c = perform(c, "start", worker, now=monday + dt.timedelta(hours=started))
        if resolved is not None:
            c = perform(c, "resolve", worker, outcome="fixed", summary="Selesai.",
                        now=monday + dt.timedelta(hours=resolved))
        return c

    one("roads", roads, 5, 25)
    one("roads", roads, 25, 72)
    one("roads", roads, None, None)
    one("health", health, 3, 30, category="clinic_cat")
    moved = one("roads", as_staff(people["officer_roads2"]), 2, None)
    moved = perform(moved, "transfer", as_staff(people["supervisor_works"]), unit=city["health"],
                    reason="Bukan wewenang jalan.", now=monday + dt.timedelta(hours=4))
    moved = perform(moved, "start", health, now=monday + dt.timedelta(hours=6))
    perform(moved, "resolve", health, outcome="fixed", summary="Selesai.", now=monday + dt.timedelta(hours=50))


def period(label="90d"):
    return metrics.parse_period({"period": label})


def by_label(rows):
    return {r.label: r for r in rows}


def test_a_unit_shows_the_public_dashboards_median(client, city, people):
    history(city, people)
    public = {r["code"]: r for r in metrics.summary(period())["units"]}
    rows = {r.code: r for r in staff.unit_figures(period(), [city["roads"], city["health"]])}
    for code in ("DPU-JALAN", "DINKES"):
        assert rows[code].resolution == public[code]["time_to_resolution"]
        assert rows[code].response == public[code]["time_to_first_response_unit"]
        assert rows[code].resolved == public[code]["resolved"]["count"]
        assert rows[code].open == public[code]["backlog"]["count"]
        assert rows[code].sla_resolution == public[code]["sla_resolution"]["percent"]
    assert rows["DPU-JALAN"].resolution["count"] == 2 and rows["DINKES"].resolution["count"] == 2
    # And on the page, the same digits as the public league table shows.
    client.force_login(people["oversight"])
    html = client.get(PAGE + "?period=90d").content.decode()
    roads_row = re.search(r'<tr data-unit="DPU-JALAN">(.*?)</tr>', html, re.S).group(1)
    median = public["DPU-JALAN"]["time_to_resolution"]["median_hours"]
    assert f"{median} h / " in roads_row.replace(",", ".")
    public_html = client.get("/dashboard/?period=90d").content.decode()
    assert str(median) in public_html.replace(",", ".")


def test_per_officer_figures_follow_the_officer_who_made_each_step(city, people):
    history(city, people)
    scope = staff.scope_for(people["oversight"])
    units = staff.units_in(scope)
    officers = by_label(staff.officer_figures(period(), scope, units))
    roads = officers["roads_officer"]
    assert (roads.open, roads.overdue, roads.resolved) == (0, 0, 2)
    # Only roads_officer resolved in roads: their figures are the unit's, to the digit.
    unit = {r.code: r for r in staff.unit_figures(period(), units)}["DPU-JALAN"]
    assert roads.resolution == unit.resolution
    hours = [25, 71]  # submitted Monday 09:00; resolved 25 h and 72 h later
    assert roads.resolution["median_hours"] == pytest.approx(nearest_rank([h * 3600 for h in hours], 0.5) / 3600,
                                                             rel=0.01)
    # The transferred complaint: its first response was roads_officer2's, in roads; its
    # resolution health_officer's, in health.
    assert officers["roads_officer2"].response["count"] == 1
    assert officers["roads_officer2"].resolved == 0
    health = officers["health_officer"]
    assert (health.resolved, health.resolution["count"], health.response["count"]) == (2, 2, 1)
    fact = ComplaintFact.objects.get(response_officer_id=people["officer_roads2"].pk)
    assert fact.resolution_officer_id == people["officer_health"].pk
    assert fact.response_unit_id == city["roads"].pk and fact.resolution_unit_id == city["health"].pk


def test_open_load_and_overdue_are_the_assignees_now(city, people):
    history(city, people)
    c = Complaint.objects.filter(state="triaged", responsible_unit=city["roads"]).get()
    later = timezone.now()
    perform(fresh(c), "start", as_staff(people["officer_roads"]), now=later)
    scope = staff.scope_for(people["supervisor_works"])
    officers = by_label(staff.officer_figures(period(), scope, staff.units_in(scope)))
    from complaints.lifecycle.clock import overdue_steps

    late = int(bool(overdue_steps(fresh(c), timezone.now())))
    assert (officers["roads_officer"].open, officers["roads_officer"].overdue) == (1, late)


def rollup_rows():
    counts = sorted(OfficerCount.objects.values_list("officer_id", "unit_key", "gran", "bucket", "response_done",
                                                     "response_met", "resolution_done", "resolution_met", "resolved"))
    hists = sorted((o, u, g, b, m, bytes(d)) for o, u, g, b, m, d in OfficerHistogram.objects.values_list(
        "officer_id", "unit_key", "gran", "bucket", "metric", "data"))
    return counts, [h for h in hists if h[-1]]


def test_the_officer_rollup_is_written_in_the_transitions_transaction(city, people):
    triage, roads = as_staff(people["triage"]), as_staff(people["officer_roads"])
    c = perform(fresh(submit(city).complaint), "triage", triage, unit=city["roads"])
    c = perform(c, "start", roads)
    before = rollup_rows()

    class Abandon(Exception):
        pass

    with pytest.raises(Abandon):
        with transaction.atomic():
            perform(fresh(c), "resolve", roads, outcome="fixed", summary="Selesai.")
            # Inside the transaction, before any commit: the rollup already holds it.
            assert OfficerCount.objects.filter(officer_id=people["officer_roads"].pk, resolved=1).exists()
            raise Abandon
    assert rollup_rows() == before
    assert fresh(c).state == "in_progress"


def test_a_failing_officer_rollup_write_refuses_the_transition(city, people, monkeypatch):
    triage, roads = as_staff(people["triage"]), as_staff(people["officer_roads"])
    c = perform(perform(fresh(submit(city).complaint), "triage", triage, unit=city["roads"]), "start", roads)
    events = Event.objects.count()

    def broken(*args, **kwargs):
        raise RuntimeError("rollup table unavailable")

    monkeypatch.setattr(rollups, "apply_officers", broken)
    with pytest.raises(RuntimeError):
        perform(fresh(c), "resolve", roads, outcome="fixed", summary="Selesai.")
    assert fresh(c).state == "in_progress" and Event.objects.count() == events


def test_rebuild_and_backfill_give_the_live_officer_rollups(city, people):
    history(city, people)
    _weekly_history(city, people)  # triage decisions on suggestions
    live = rollup_rows()
    assert live[0] and live[1]
    decisions = sorted(AcceptanceCount.objects.values_list("day", "officer_id", "decided", "accepted"))
    assert sum(d[2] for d in decisions) == 3 and sum(d[3] for d in decisions) == 2
    call_command("rebuild_rollups", verbosity=0)
    assert rollup_rows() == live
    assert sorted(AcceptanceCount.objects.values_list("day", "officer_id", "decided", "accepted")) == decisions
    # Existing history before the migration: no officer attributed, no officer rows.
    ComplaintFact.objects.update(response_officer_id=None, resolution_officer_id=None)
    OfficerCount.objects.all().delete()
    OfficerHistogram.objects.all().delete()
    call_command("backfill_officer_rollups", verbosity=0)
    assert rollup_rows() == live
    AcceptanceCount.objects.all().delete()
    call_command("backfill_officer_rollups", verbosity=0)  # again: the same, not doubled
    assert rollup_rows() == live
    assert sorted(AcceptanceCount.objects.values_list("day", "officer_id", "decided", "accepted")) == decisions


def test_a_system_step_counts_for_the_assignee(city, people):
    """A step made by the system (no staff actor) is the assignee's, as the backfill does."""
    triage, roads = as_staff(people["triage"]), as_staff(people["officer_roads"])
    c = perform(perform(fresh(submit(city).complaint), "triage", triage, unit=city["roads"]), "start", roads)
    fact = rollups.next_fact(fresh(c), ComplaintFact.objects.get(pk=c.pk))
    assert fact.response_officer_id == people["officer_roads"].pk
    c = fresh(c)
    c.resolved_at = timezone.now()
    fact = rollups.next_fact(c, ComplaintFact.objects.get(pk=c.pk), officer_id=None)
    assert fact.resolution_officer_id == people["officer_roads"].pk


# --- who sees what ------------------------------------------------------------------------------
def page(client, user, query="?period=90d"):
    client.force_login(user)
    return client.get(PAGE + query)


def units_on(html):
    return set(re.findall(r'<tr data-unit="([^"]+)">', html))


def officers_on(html):
    table = re.search(r'<table class="figures" id="officer-figures">(.*?)</table>', html, re.S)
    return None if table is None else set(re.findall(r'<th scope="row">([^<]+)</th>', table.group(1)))


@pytest.mark.parametrize("role, units, officers", [
    ("oversight", {"PEMKOT", "DPU", "DPU-JALAN", "DINKES", "INSPEKTORAT"},
     {"roads_officer", "roads_officer2", "health_officer"}),
    ("admin", {"PEMKOT", "DPU", "DPU-JALAN", "DINKES", "INSPEKTORAT"},
     {"roads_officer", "roads_officer2", "health_officer"}),
    # A supervisor: their units and those below; the officers of those units only.
    ("supervisor_works", {"DPU", "DPU-JALAN"}, {"roads_officer", "roads_officer2", "works_supervisor"}),
    # Officers and privacy officers: unit figures only (their own units; privacy officers all).
    ("officer_roads", {"DPU-JALAN"}, None),
    ("officer_health", {"DINKES"}, None),
    ("privacy", {"PEMKOT", "DPU", "DPU-JALAN", "DINKES", "INSPEKTORAT"}, None),
    ("triage", set(), None),
])
def test_each_role_sees_its_units_and_only_allowed_officers(client, city, people, role, units, officers):
    history(city, people)
    response = page(client, people[role])
    assert response.status_code == 200
    html = response.content.decode()
    assert units_on(html) == units
    assert officers_on(html) == officers
    if officers is None:
        assert "health_officer" not in html and "roads_officer2" not in html


def test_a_supervisor_sees_no_work_done_outside_their_units(client, city, people):
    history(city, people)
    html = page(client, people["supervisor_works"]).content.decode()
    table = re.search(r'<table class="figures" id="officer-figures">(.*?)</table>', html, re.S).group(1)
    # health_officer resolved the transferred complaint in health: not this supervisor's.
    assert "health_officer" not in table


@pytest.mark.parametrize("role, unit, status", [
    ("officer_health", "DPU-JALAN", 403),
    ("officer_roads", "DINKES", 403),
    ("supervisor_works", "DINKES", 403),
    ("supervisor_works", "PEMKOT", 403),
    ("triage", "DINKES", 403),
    ("supervisor_works", "DPU-JALAN", 200),
    ("oversight", "DINKES", 200),
    ("oversight", "NO-SUCH-UNIT", 404),
    ("oversight", "DPU\x00", 400),  # NUL bytes: refused by the request filter (config)
    ("oversight", "X" * 5000, 404),
])
def test_the_unit_filter_is_checked_on_the_server(client, city, people, role, unit, status):
    from urllib.parse import quote

    response = page(client, people[role], f"?period=90d&unit={quote(unit)}")
    assert response.status_code == status
    if status == 200:
        assert units_on(response.content.decode()) <= {"DPU-JALAN", "DINKES"}


def test_citizens_get_403_and_visitors_the_login_page(client, city, people):
    assert client.get(PAGE).status_code == 302 and "/accounts/login/" in client.get(PAGE)["Location"]
    client.force_login(people["nobody"])
    assert client.get(PAGE).status_code == 403


@pytest.mark.parametrize("query", ["?period=nonsense", "?period=" + "9" * 3000, "?days=abc"])
def test_bad_periods_fall_back_to_the_default(client, city, people, query):
    response = page(client, people["oversight"], query)
    assert response.status_code == 200
    assert 'aria-current="true">90d<' in response.content.decode()


def test_the_old_address_redirects(client, city, people):
    client.force_login(people["officer_roads"])
    response = client.get("/staff/performance/?days=365")
    assert response.status_code == 302 and response["Location"] == PAGE + "?period=365d"
    assert client.get("/staff/performance/")["Location"] == PAGE
    assert client.get("/staff/performance/?days=7")["Location"] == PAGE
    html = client.get("/staff/dashboard/performance/").content.decode()
    assert f'href="{PAGE}"' in html  # the staff menu links the new page


def test_the_page_is_never_stored(client, city, people):
    response = page(client, people["supervisor_works"])
    assert {"no-store", "private"} <= {d.strip() for d in response["Cache-Control"].split(",")}


# --- the router's acceptance chart (kept from the old page) -------------------------------------
def _weekly_history(city, people):
    """Officers' triage decisions over three weeks before this one: week 1 one accepted, one
    overruled, one without a suggestion; week 2 none; week 3 one accepted. Plus an automatic
    routing (a sensitive complaint, by rule)."""
    triage = as_staff(people["triage"])
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday() + 21)

    def decided(day, suggested, unit):
        when = dt.datetime.combine(monday + dt.timedelta(days=day), dt.time(9), tzinfo=timezone.get_current_timezone())
        c = submit(city, now=when).complaint
        if suggested is not None:
            Complaint.objects.filter(pk=c.pk).update(suggested_units=[[suggested, 0.7]])
        perform(fresh(c), "triage", triage, unit=city[unit], now=when + dt.timedelta(hours=1))

    decided(0, "DPU-JALAN", "roads")   # accepted
    decided(1, "DINKES", "roads")      # overruled
    decided(2, None, "roads")          # no suggestion: not a decision about one
    decided(16, "DPU-JALAN", "roads")  # week 3: accepted
    submit(city, category="bribe_cat")  # routed automatically by rule: left out
    return [monday + dt.timedelta(weeks=k) for k in range(4)]


def test_the_weekly_acceptance_chart_and_table_stay(client, city, people):
    weeks = _weekly_history(city, people)
    html = page(client, people["officer_health"], "?period=30d").content.decode()
    rows = dict(re.findall(r'<tr><th scope="row"><time datetime="([\d-]+)">[\d-]+</time></th>(.*?)</tr>', html))
    assert rows[weeks[0].isoformat()] == "<td>1</td><td>2</td><td>50%</td>"
    assert rows[weeks[1].isoformat()] == "<td>0</td><td>0</td><td>–</td>"
    assert rows[weeks[2].isoformat()] == "<td>1</td><td>1</td><td>100%</td>"
    data = json.loads(re.search(r'<script id="acceptance-weekly" type="application/json">(.*?)</script>', html).group(1))
    assert [d["week"] for d in data] == list(rows)
    # No inline code (CSP): the chart is drawn by static files; without them the table stands.
    assert "staff/performance.js" in html and "vendor/chartjs/chart.umd.min.js" in html
    scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert scripts and all('type="application/json"' in attributes for attributes in scripts)


def test_acceptance_per_triage_officer_is_for_oversight_only(client, city, people):
    _weekly_history(city, people)
    when = timezone.now() - dt.timedelta(days=1)
    c = submit(city, now=when).complaint
    Complaint.objects.filter(pk=c.pk).update(suggested_units=[["DPU-JALAN", 0.97]])
    perform(fresh(c), "triage", ActorRef.system("router"), unit=city["roads"], auto=True, now=when)
    today = timezone.localdate()
    figures = staff.acceptance(today - dt.timedelta(days=29), today, per_officer=True)
    # The system taking its own suggestion is no officer's judgement of it.
    assert (figures["acceptance"].decided, figures["acceptance"].accepted) == (3, 2)
    assert [(r.label, r.decided, r.accepted) for r in figures["acceptance_by_officer"]] == [("triage1", 3, 2)]
    assert "Acceptance per triage officer" in page(client, people["oversight"], "?period=30d").content.decode()
    for role in ("supervisor_works", "officer_roads", "triage"):
        html = page(client, people[role], "?period=30d").content.decode()
        assert "Acceptance per triage officer" not in html and "<td>triage1</td>" not in html


def test_the_page_is_translated(client, city, people):
    _weekly_history(city, people)
    client.force_login(people["officer_health"])
    html = client.get(PAGE + "?period=30d", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Tingkat penerimaan per minggu" in html and "Acceptance rate per week" not in html
    assert "Angka yang sama dengan tabel peringkat unit di dasbor publik" in html


def test_one_scan_of_the_open_complaints_gives_the_public_past_due_and_the_overdue_now(city, people):
    # The page reads the open complaints once (metrics.reads.open_now) for the league
    # table's open-and-past-due and for "overdue now" per unit and officer: the same figures
    # as the public dashboard's query and the lifecycle's overdue rule.
    from complaints.lifecycle.clock import overdue_q
    from complaints.models import OPEN_STATES
    from dashboard.metrics.periods import with_open_end
    from dashboard.metrics.reads import open_now, open_past_due

    history(city, people)
    old = submit(city, category="roads_cat", now=_monday(30)).complaint  # before the period, still open
    perform(fresh(old), "triage", as_staff(people["triage"]), unit=city["roads"], now=_monday(30))
    units = [city["roads"], city["health"]]
    ids = [u.pk for u in units]
    for now in (timezone.now(), timezone.now() + dt.timedelta(days=60)):
        p = with_open_end(period())
        past_due, load = open_now(p, ids, now)
        public = open_past_due(p, ids, now)
        assert {k: v for k, v in past_due.items() if any(v.values())} == \
            {k: v for k, v in public.items() if any(v.values())}
        assert any(any(v.values()) for v in public.values())
        for unit in units:
            expected = Complaint.objects.filter(state__in=OPEN_STATES, responsible_unit=unit).filter(overdue_q(now))
            assert sum(late for (u, _a), (_n, late) in load.items() if u == unit.pk) == expected.count()
            assert sum(n for (u, _a), (n, _l) in load.items() if u == unit.pk) == \
                Complaint.objects.filter(state__in=OPEN_STATES, responsible_unit=unit).count()
        rows = {r.code: r for r in staff.unit_figures(period(), units, now=now)}
        assert rows["DPU-JALAN"].overdue == Complaint.objects.filter(
            state__in=OPEN_STATES, responsible_unit=city["roads"]).filter(overdue_q(now)).count() > 0
        league = {r["code"]: r for r in metrics.unit_rows(period(), units, now)}
        assert rows["DPU-JALAN"].sla_resolution == league["DPU-JALAN"]["sla_resolution"]["percent"]
