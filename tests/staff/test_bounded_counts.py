"""Issue 16: no staff list counts the whole table to show a number. Every COUNT over
complaints on the lists' default views (and their history tabs) is bounded: by a LIMIT
(estimates.bounded_count), or by a WHERE on the work not done / pending review requests.
Counts past the bound are the planner's estimates, and the pages say "about"."""

import re

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from complaints.models import NOT_DONE
from complaints.staff.queries import estimates
from complaints.staff.queries.estimates import EstimatedPaginator, bounded_count

from .helpers import many

BOUNDED_STATES = {str(s) for s in NOT_DONE}


def unbounded_counts(queries):
    """The COUNT queries over complaints with no LIMIT and no bounding WHERE."""
    found = []
    for query in queries:
        sql = query["sql"]
        if "COUNT(" not in sql.upper() or '"complaints_complaint"' not in sql or sql.startswith("EXPLAIN"):
            continue
        if " LIMIT " in sql.upper():  # bounded_count: COUNT(*) over at most a bound of rows
            continue
        if '"review_requested_at" IS NOT NULL' in sql:
            continue
        states = set()
        for listed in re.findall(r'"complaints_complaint"\."state" IN \(([^)]*)\)', sql):
            states |= set(re.findall(r"'([a-z_]+)'", listed))
        states |= set(re.findall(r'"complaints_complaint"\."state" = \'([a-z_]+)\'', sql))
        if states and states <= BOUNDED_STATES:
            continue
        found.append(sql)
    return found


PAGES = [
    ("triage", "/staff/triage/"),
    ("triage", "/staff/triage/summaries/"),
    ("officer_roads", "/staff/inbox/"),
    ("supervisor_works", "/staff/inbox/"),
    ("supervisor_works", "/staff/inbox/?status=all"),
    ("supervisor_works", "/staff/inbox/?status=closed"),
    ("oversight", "/staff/oversight/"),
    ("oversight", "/staff/oversight/?list=all"),
    ("oversight", "/staff/oversight/?list=appeals&q=ADU"),
]


@pytest.mark.parametrize("role,path", PAGES)
def test_no_list_counts_the_whole_table(client, city, people, role, path, monkeypatch):
    many(city, 3)
    many(city, 3, state="closed")
    many(city, 3, state="resolved", visibility="public")
    # Lists "large" from 3 rows: every count past it must be an estimate, not a count.
    monkeypatch.setattr(estimates, "EXACT_UP_TO", 2)
    if connection.vendor != "postgresql":  # no planner: an estimate stands in
        monkeypatch.setattr(estimates, "planner_rows", lambda queryset: 1000)
    client.force_login(people[role])
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    found = unbounded_counts(captured.captured_queries)
    if connection.vendor != "postgresql":
        # SQLite has no planner to ask: the ended tabs' counts are exact there.
        found = [sql for sql in found if "'closed'" not in sql]
    assert found == []


def test_the_admin_changelist_counts_no_whole_table(client, city, people, monkeypatch):
    many(city, 3, state="closed")
    monkeypatch.setattr(estimates, "EXACT_UP_TO", 2)
    if connection.vendor != "postgresql":
        monkeypatch.setattr(estimates, "planner_rows", lambda queryset: 1000)
    client.force_login(User.objects.create_superuser("root", "root@aduan.example", "pw"))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("admin:complaints_complaint_changelist"))
    assert response.status_code == 200
    assert unbounded_counts(captured.captured_queries) == []


def test_the_check_itself_catches_a_whole_table_count():
    sql = 'SELECT COUNT(*) AS "__count" FROM "complaints_complaint"'
    closed = sql + ' WHERE "complaints_complaint"."state" IN (\'closed\', \'rejected\')'
    bounded = sql + ' WHERE "complaints_complaint"."state" IN (\'submitted\', \'triaged\')'
    limited = 'SELECT COUNT(*) FROM (SELECT 1 FROM "complaints_complaint" LIMIT 2001) subquery'
    assert unbounded_counts([{"sql": s} for s in (sql, closed, bounded, limited)]) == [sql, closed]


def test_bounded_count_is_exact_up_to_the_bound_then_estimated(city, monkeypatch):
    from complaints.models import Complaint

    many(city, 5)
    assert bounded_count(Complaint.objects.all()) == (5, False)
    monkeypatch.setattr(estimates, "planner_rows", lambda queryset: 4321)
    assert bounded_count(Complaint.objects.all(), exact_up_to=3) == (4321, True)
    paginator = EstimatedPaginator(Complaint.objects.order_by("pk"), 2)
    monkeypatch.setattr(estimates, "bounded_count", lambda queryset: (4321, True))
    assert (paginator.count, paginator.estimated, paginator.num_pages) == (4321, True, 2161)


def test_bounded_count_without_a_planner_counts_exactly(city, monkeypatch):
    from complaints.models import Complaint

    many(city, 5)
    monkeypatch.setattr(estimates, "planner_rows", lambda queryset: None)
    assert bounded_count(Complaint.objects.all(), exact_up_to=3) == (5, False)


@pytest.mark.django_db
def test_planner_rows_estimates_on_postgresql_only(city):
    from complaints.models import Complaint

    many(city, 3)
    guess = estimates.planner_rows(Complaint.objects.filter(state="triaged"))
    assert guess is None if connection.vendor != "postgresql" else guess >= 0


class FakePaginator:
    def __init__(self, count, estimated):
        self.count, self.estimated, self.num_pages = count, estimated, 1


class FakePage:
    def __init__(self, count, estimated):
        self.paginator, self.object_list, self.number = FakePaginator(count, estimated), [], 1

    has_other_pages = has_previous = has_next = False


def test_estimated_counts_are_worded_about(rf, people):
    request = rf.get("/")
    request.user = people["triage"]
    for estimated, wording in ((True, "About 163589 routed public complaints"), (False, "163589 routed public complaints")):
        html = render_to_string("complaints/staff/summaries.html", {"page": FakePage(163589, estimated), "complaints": []},
                                request=request)
        assert wording in html and (estimated or "About" not in html)


def test_large_history_lists_say_about(client, city, people, monkeypatch):
    many(city, 3, state="closed")
    monkeypatch.setattr(estimates, "EXACT_UP_TO", 2)
    monkeypatch.setattr(estimates, "planner_rows", lambda queryset: 1000)
    client.force_login(people["supervisor_works"])
    html = client.get("/staff/inbox/?status=all").content.decode()
    assert "About 1000 complaints, newest first." in html
    assert "Page 1 of about 20" in html  # the page count is an estimate too
    client.force_login(people["oversight"])
    html = client.get("/staff/oversight/?list=all").content.decode()
    assert "About 1000 complaints in this list." in html and 'id="estimated-note"' in html
    client.cookies["django_language"] = "id"
    assert "Sekitar 1000 aduan dalam daftar ini." in client.get("/staff/oversight/?list=all").content.decode()


def test_the_admin_changelist_says_about_when_estimated(client, city, monkeypatch):
    many(city, 3, state="closed")
    monkeypatch.setattr(estimates, "EXACT_UP_TO", 2)
    monkeypatch.setattr(estimates, "planner_rows", lambda queryset: 1000)
    client.force_login(User.objects.create_superuser("root", "root@aduan.example", "pw"))
    html = client.get(reverse("admin:complaints_complaint_changelist")).content.decode()
    assert "about 1000 complaints" in html
    monkeypatch.setattr(estimates, "EXACT_UP_TO", 2000)
    assert "about " not in client.get(reverse("admin:complaints_complaint_changelist")).content.decode()
