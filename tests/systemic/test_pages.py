"""The oversight pages under /staff/systemic/: access on the server, forms, evidence."""

import datetime as dt

import pytest

from systemic import issues
from systemic.models import EarlyWarning, IssueState, SystemicIssue, WarningStatus

from ..conftest import submit
from .conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def warning(city):
    codes = [submit(city, now=NOW - dt.timedelta(hours=h)).complaint.tracking_code for h in range(3)]
    return EarlyWarning.objects.create(
        kind="spike", series_key="x", dimensions={"category": city["roads_cat"].pk, "unit": city["roads"].pk},
        period_start=dt.date(2026, 6, 4), period_end=dt.date(2026, 6, 10), observed=9, expected=2.4, upper=8,
        p_value=0.00002, method="quasi-Poisson regression (level) on 20 weeks", complaint_codes=codes,
        category_ids=[city["roads_cat"].pk], unit_ids=[city["roads"].pk],
        series=[{"start": "2026-05-28", "count": 2, "expected": 2.4}, {"start": "2026-06-04", "count": 9, "expected": 2.4}])


def login(client, user):
    client.force_login(user)
    return client


def test_signed_out_visitors_are_sent_to_login_and_non_staff_get_403(client, people, warning):
    assert client.get("/staff/systemic/").status_code == 302
    login(client, people["nobody"])
    assert client.get("/staff/systemic/").status_code == 403
    assert client.get("/staff/systemic/issues/").status_code == 403


@pytest.mark.parametrize("who", ["triage", "officer_roads", "supervisor_works"])
def test_warnings_are_for_oversight_only(client, people, warning, who):
    login(client, people[who])
    assert client.get("/staff/systemic/").status_code == 403
    assert client.get(f"/staff/systemic/warnings/{warning.pk}/").status_code == 403
    assert client.post(f"/staff/systemic/warnings/{warning.pk}/dismiss/", {"reason": "x"}).status_code == 403
    assert client.post(f"/staff/systemic/warnings/{warning.pk}/issue/", {"title": "t", "description": "d"}).status_code == 403
    assert EarlyWarning.objects.get(pk=warning.pk).status == WarningStatus.NEW


def test_oversight_reads_the_warning_with_its_evidence(client, people, warning):
    login(client, people["oversight"])
    listing = client.get("/staff/systemic/").content.decode()
    assert f"/staff/systemic/warnings/{warning.pk}/" in listing and "Damaged road" in listing
    page = client.get(f"/staff/systemic/warnings/{warning.pk}/").content.decode()
    for code in warning.complaint_codes:
        assert f'href="/staff/complaints/{code}/"' in page
    assert "<svg" in page and "<td>2026-06-04</td><td>9</td><td>2.4</td>" in page
    assert "Siti" not in page and "0812" not in page  # the reporter's data is not on it


def test_dismissing_without_a_reason_is_refused_then_with_one_it_is_recorded(client, people, warning):
    login(client, people["oversight"])
    refused = client.post(f"/staff/systemic/warnings/{warning.pk}/dismiss/", {"reason": " "})
    assert refused.status_code == 400 and "Say why" in refused.content.decode()
    assert EarlyWarning.objects.get(pk=warning.pk).status == WarningStatus.NEW
    done = client.post(f"/staff/systemic/warnings/{warning.pk}/dismiss/", {"reason": "Roadworks detour"})
    assert done.status_code == 303
    assert EarlyWarning.objects.get(pk=warning.pk).dismiss_reason == "Roadworks detour"


def test_a_warning_becomes_an_issue_that_the_unit_answers_and_oversight_closes(client, people, warning):
    login(client, people["oversight"])
    opened = client.post(f"/staff/systemic/warnings/{warning.pk}/issue/",
                         {"title": "Road damage on Jl. Merdeka", "description": "Nine reports in a week."})
    issue = SystemicIssue.objects.get()
    assert opened.status_code == 303 and opened["Location"] == f"/staff/systemic/issues/{issue.pk}/"

    # Not assigned yet: the unit does not know it exists.
    login(client, people["officer_roads"])
    assert client.get(f"/staff/systemic/issues/{issue.pk}/").status_code == 404

    login(client, people["oversight"])
    client.post(f"/staff/systemic/issues/{issue.pk}/act/assign/",
                {"expected_state": "open", "unit": "DPU-JALAN", "days": "10"})
    assert SystemicIssue.objects.get(pk=issue.pk).state == IssueState.ASSIGNED

    login(client, people["officer_health"])
    assert client.get(f"/staff/systemic/issues/{issue.pk}/").status_code == 404
    assert client.post(f"/staff/systemic/issues/{issue.pk}/act/answer/",
                       {"expected_state": "assigned", "analysis": "a", "measures": "m"}).status_code == 404

    login(client, people["officer_roads"])
    page = client.get(f"/staff/systemic/issues/{issue.pk}/").content.decode()
    assert "Road damage on Jl. Merdeka" in page and 'action="/staff/systemic/issues/' in page
    assert "/staff/systemic/warnings/" not in page  # warnings stay with oversight
    answered = client.post(f"/staff/systemic/issues/{issue.pk}/act/answer/",
                           {"expected_state": "assigned", "analysis": "Thin asphalt.", "measures": "Redo it."})
    assert answered.status_code == 303
    refused = client.post(f"/staff/systemic/issues/{issue.pk}/act/close/", {"expected_state": "answered", "note": "n"})
    assert refused.status_code == 403 and SystemicIssue.objects.get(pk=issue.pk).state == IssueState.ANSWERED

    login(client, people["oversight"])
    stale = client.post(f"/staff/systemic/issues/{issue.pk}/act/close/", {"expected_state": "assigned", "note": "n"})
    assert stale.status_code == 409
    client.post(f"/staff/systemic/issues/{issue.pk}/act/close/", {"expected_state": "answered", "note": "Accepted."})
    assert SystemicIssue.objects.get(pk=issue.pk).state == IssueState.CLOSED
    history = client.get(f"/staff/systemic/issues/{issue.pk}/").content.decode()
    assert history.count("<li><time") == 4


def test_the_staff_navigation_shows_systemic_issues_to_oversight_and_to_units_holding_one(
        client, people, warning):
    login(client, people["oversight"])
    assert 'href="/staff/systemic/issues/"' in client.get("/staff/oversight/").content.decode()
    login(client, people["officer_roads"])
    assert 'href="/staff/systemic/issues/"' not in client.get("/staff/inbox/").content.decode()
    issue = issues.open_issue(people["oversight"], [warning], "t", "d")
    issues.act(issue, "assign", people["oversight"], "open", unit="DPU-JALAN", days="5")
    assert 'href="/staff/systemic/issues/"' in client.get("/staff/inbox/").content.decode()
    assert client.get("/staff/systemic/issues/").status_code == 200


def test_the_pages_speak_indonesian(client, people, warning):
    login(client, people["oversight"])
    client.post("/i18n/setlang/", {"language": "id", "next": "/"})
    page = client.get(f"/staff/systemic/warnings/{warning.pk}/").content.decode()
    assert "Pekan tidak biasa" in page and "Buka isu sistemik" in page


def test_privacy_officers_read_warnings_but_do_not_decide(client, people, warning):
    login(client, people["privacy"])
    page = client.get(f"/staff/systemic/warnings/{warning.pk}/")
    assert page.status_code == 200 and "Open a systemic issue" not in page.content.decode()
    refused = client.post(f"/staff/systemic/warnings/{warning.pk}/dismiss/", {"reason": "no"})
    assert refused.status_code == 403
    assert EarlyWarning.objects.get(pk=warning.pk).status == WarningStatus.NEW
