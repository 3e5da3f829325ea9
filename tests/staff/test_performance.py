"""The staff performance page: open load, overdue, medians and suggestion acceptance,
per unit and per officer."""

import datetime as dt
import zoneinfo

from complaints.models import Complaint
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
