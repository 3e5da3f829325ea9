"""The staff performance page: open load, overdue, medians and suggestion acceptance,
per unit and per officer."""

import datetime as dt
import zoneinfo

from complaints.models import Complaint, Event
from complaints.staff.queries import performance as queries
from complaints.lifecycle.engine import perform

from .helpers import as_staff, fresh, submit, url

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")


def at(*args):
    return dt.datetime(*args, tzinfo=WIB)


def history(city, people):
    triage, officer = as_staff(people["triage"]), as_staff(people["officer_roads"])

    def one(suggested, started, resolved):
        c = submit(city, now=at(2026, 8, 3, 9)).complaint  # Monday
        Complaint.objects.filter(pk=c.pk).update(suggested_units=suggested)
        c = perform(fresh(c), "triage", triage, unit=city["roads"], now=at(2026, 8, 3, 10))
        if started:
            c = perform(c, "start", officer, now=started)
        if resolved:
            c = perform(c, "resolve", officer, outcome="fixed", summary="Selesai.", now=resolved)
        return c

    one([["DPU-JALAN", 0.9]], at(2026, 8, 3, 14), at(2026, 8, 4, 10))   # 4 h, 25 h
    one([["DINKES", 0.6]], at(2026, 8, 4, 10), at(2026, 8, 6, 9))        # 24 h, 72 h
    one([], None, None)                                                  # open, overdue by September


def test_figures_per_unit_and_officer_are_exact(city, people):
    history(city, people)
    figures = queries.performance(days=365, now=at(2026, 9, 1, 9))
    roads = next(row for row in figures["units"] if row.label.startswith("DPU-JALAN"))
    assert (roads.open, roads.overdue, roads.resolved) == (1, 1, 2)
    assert roads.median_response_hours == 14
    assert roads.median_resolution_hours == 48.5
    # Mon 10:00 -> Mon 14:00 and Mon 10:00 -> Tue 10:00 in working time.
    assert roads.median_response_days == (4 / 24 + 1) / 2
    officer = next(row for row in figures["officers"] if row.label == "roads_officer")
    assert (officer.open, officer.resolved, officer.median_resolution_hours) == (0, 2, 48.5)
    # Two triage decisions had a suggestion; one accepted it. The third had none.
    assert (figures["acceptance"].decided, figures["acceptance"].accepted) == (2, 1)
    assert figures["acceptance"].percent == 50
    assert [(row.label, row.decided, row.accepted) for row in figures["acceptance_by_officer"]] == [("triage1", 2, 1)]


def test_the_page_renders_the_figures(client, city, people):
    history(city, people)
    client.force_login(people["officer_health"])
    html = client.get(url("performance") + "?days=365").content.decode()
    assert "50% (1 of 2 triage decisions with a suggestion)" in html
    assert "DPU-JALAN" in html and "roads_officer" in html
    assert client.get(url("performance") + "?days=nonsense").status_code == 200


def test_without_suggestions_the_page_says_so(client, city, people):
    client.force_login(people["triage"])
    html = client.get(url("performance")).content.decode()
    assert "No triage decision had a suggestion in this period." in html


def _weekly_history(city, people):
    """Officers' triage decisions over three weeks before this one (relative to now, as the
    page is): week 1 one accepted, one overruled, one without a suggestion; week 2 none;
    week 3 one accepted. Plus an automatic routing (a sensitive complaint, by rule)."""

    from django.utils import timezone

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


def test_acceptance_per_week_counts_officers_decisions(city, people):
    weeks = _weekly_history(city, people)
    figures = queries.performance(days=30)
    by_week = {w.week: (w.accepted, w.decided, w.percent) for w in figures["acceptance_weeks"]}
    assert by_week[weeks[0]] == (1, 2, 50.0)
    assert by_week[weeks[1]] == (0, 0, None)
    assert by_week[weeks[2]] == (1, 1, 100.0)
    assert by_week[weeks[3]] == (0, 0, None)
    assert sorted(by_week) == [w.week for w in figures["acceptance_weeks"]]  # in order, no gaps
    assert all(b - a == dt.timedelta(weeks=1) for a, b in zip(sorted(by_week), sorted(by_week)[1:]))


def test_the_page_shows_the_weekly_acceptance_as_a_chart_and_a_table(client, city, people):
    import json
    import re

    weeks = _weekly_history(city, people)
    client.force_login(people["officer_health"])
    html = client.get(url("performance") + "?days=30").content.decode()
    rows = dict(re.findall(r'<tr><th scope="row"><time datetime="([\d-]+)">[\d-]+</time></th>(.*?)</tr>', html))
    assert rows[weeks[0].isoformat()] == "<td>1</td><td>2</td><td>50%</td>"
    assert rows[weeks[1].isoformat()] == "<td>0</td><td>0</td><td>–</td>"
    assert rows[weeks[2].isoformat()] == "<td>1</td><td>1</td><td>100%</td>"
    # The chart's data: the same weeks and figures as the table.
    data = json.loads(re.search(r'<script id="acceptance-weekly" type="application/json">(.*?)</script>', html).group(1))
    assert [d["week"] for d in data] == list(rows)
    assert {d["week"]: (d["accepted"], d["decided"], d["percent"]) for d in data if d["decided"]} == {
        weeks[0].isoformat(): (1, 2, 50.0), weeks[2].isoformat(): (1, 1, 100.0)}
    assert all(d["percent"] is None for d in data if not d["decided"])
    # No inline code (CSP): the chart is drawn by static files; without them the table stands.
    assert "staff/performance.js" in html and "vendor/chartjs/chart.umd.min.js" in html
    assert re.search(r'<figure id="acceptance-chart" hidden>', html)
    scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert scripts and all('type="application/json"' in attributes for attributes in scripts)


def test_the_weekly_table_is_translated(client, city, people):
    _weekly_history(city, people)
    client.force_login(people["officer_health"])
    html = client.get(url("performance") + "?days=30", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Tingkat penerimaan per minggu" in html
    assert "Acceptance rate per week" not in html


def test_automatic_routings_count_in_no_acceptance_figure(city, people):
    """The system taking its own suggestion is no officer's judgement of it: neither the
    headline, nor the per-officer table, nor the weekly chart counts it."""
    from django.utils import timezone

    from complaints.permissions import ActorRef

    weeks = _weekly_history(city, people)
    when = timezone.now() - dt.timedelta(days=1)
    c = submit(city, now=when).complaint
    Complaint.objects.filter(pk=c.pk).update(suggested_units=[["DPU-JALAN", 0.97]])
    perform(fresh(c), "triage", ActorRef.system("router"), unit=city["roads"], auto=True, now=when)
    assert Event.objects.filter(complaint=c, action="triage", data__auto=True, data__accepted_suggestion=True).exists()
    figures = queries.performance(days=30)
    assert (figures["acceptance"].decided, figures["acceptance"].accepted) == (3, 2)
    assert [row.label for row in figures["acceptance_by_officer"]] == ["triage1"]
    assert sum(w.decided for w in figures["acceptance_weeks"]) == 3
    assert sum(w.decided for w in figures["acceptance_weeks"] if w.week > weeks[2]) == 0
