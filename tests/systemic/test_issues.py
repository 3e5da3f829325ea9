"""Systemic issues: who may see and do what, the lifecycle, the event table, e-mails."""

import datetime as dt

import pytest

from complaints.models import Notification
from systemic import issues
from systemic.issues import IssueError
from systemic.models import EarlyWarning, IssueState, SystemicIssue, SystemicIssueEvent, WarningStatus

from ..conftest import submit
from .conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def warning(city):
    codes = [submit(city, now=NOW - dt.timedelta(hours=h)).complaint.tracking_code for h in range(3)]
    return EarlyWarning.objects.create(
        kind="spike", series_key="category+unit:category=1|unit=2", period_start=dt.date(2026, 6, 4),
        period_end=dt.date(2026, 6, 10), observed=3, expected=0.5, upper=3, complaint_codes=codes,
        category_ids=[city["roads_cat"].pk], unit_ids=[city["roads"].pk])


@pytest.fixture
def issue(people, warning):
    return issues.open_issue(people["oversight"], [warning], "Roads keep breaking on Jl. Merdeka",
                             "Three reports in a week after the resurfacing.", now=NOW)


def mails(kind):
    return list(Notification.objects.filter(kind=f"systemic_{kind}").values_list("to_email", flat=True))


def test_oversight_turns_a_warning_into_an_issue_linked_to_its_complaints(issue, warning):
    warning = EarlyWarning.objects.get(pk=warning.pk)
    assert warning.status == WarningStatus.ESCALATED and warning.issue == issue
    assert sorted(issue.complaints.values_list("tracking_code", flat=True)) == sorted(warning.complaint_codes)
    assert issue.state == IssueState.OPEN
    assert [(e.seq, e.kind, e.to_state) for e in issue.events.all()] == [(1, "opened", "open")]


def test_the_full_lifecycle_with_due_date_events_and_emails(issue, people, city):
    issue = issues.act(issue, "assign", people["oversight"], "open", now=NOW, unit="DPU-JALAN", days="10")
    assert issue.state == IssueState.ASSIGNED and issue.unit == city["roads"]
    # 10 working days from Wed 10 June 2026: weekends and the Islamic New Year (16 June) skipped.
    assert issue.due_at.date() == dt.date(2026, 6, 25)
    assert set(mails("assigned")) == {"works_supervisor@staff.example", "inspector@staff.example"}

    issue = issues.act(issue, "answer", people["officer_roads"], "assigned", now=NOW,
                       analysis="The contractor used thin asphalt.", measures="Resurfacing again under warranty.")
    assert issue.state == IssueState.ANSWERED and issue.measures.startswith("Resurfacing")
    assert set(mails("answered")) == {"works_supervisor@staff.example", "inspector@staff.example"}

    issue = issues.act(issue, "close", people["oversight"], "answered", now=NOW, note="Measures accepted.")
    assert issue.state == IssueState.CLOSED and issue.closed_at == NOW
    assert len(mails("closed")) == 2
    events = list(SystemicIssueEvent.objects.filter(issue=issue).order_by("seq"))
    assert [(e.kind, e.from_state, e.to_state, e.actor_label) for e in events] == [
        ("opened", "", "open", "inspector"),
        ("assign", "open", "assigned", "inspector"),
        ("answer", "assigned", "answered", "roads_officer"),
        ("close", "answered", "closed", "inspector"),
    ]
    body = Notification.objects.filter(kind="systemic_assigned").first().body
    assert "Siti" not in body and "0812" not in body and issue.reference in body


@pytest.mark.parametrize("action, state, args", [
    ("answer", "open", {"analysis": "a", "measures": "m"}),
    ("close", "open", {"note": "n"}),
])
def test_illegal_transitions_are_refused_and_change_nothing(issue, people, action, state, args):
    user = people["oversight"] if action == "close" else people["officer_roads"]
    with pytest.raises(IssueError) as refused:
        issues.act(issue, action, user, state, **args)
    assert refused.value.status in (403, 409)
    fresh = SystemicIssue.objects.get(pk=issue.pk)
    assert fresh.state == IssueState.OPEN and fresh.events.count() == 1
    assert not Notification.objects.filter(kind__startswith="systemic_").exists()


def test_closing_an_assigned_issue_before_the_answer_is_refused(issue, people):
    issue = issues.act(issue, "assign", people["oversight"], "open", unit="DPU-JALAN", days="5")
    with pytest.raises(IssueError) as refused:
        issues.act(issue, "close", people["oversight"], "assigned", note="done")
    assert refused.value.status == 409
    assert SystemicIssue.objects.get(pk=issue.pk).state == IssueState.ASSIGNED


def test_a_stale_form_gets_a_conflict(issue, people):
    issues.act(issue, "assign", people["oversight"], "open", unit="DPU-JALAN", days="5")
    with pytest.raises(IssueError) as refused:
        issues.act(issue, "assign", people["oversight"], "open", unit="DINKES", days="5")
    assert refused.value.status == 409
    assert SystemicIssue.objects.get(pk=issue.pk).unit.code == "DPU-JALAN"


@pytest.mark.parametrize("who, action, args", [
    ("officer_roads", "assign", {"unit": "DPU-JALAN", "days": "5"}),
    ("triage", "assign", {"unit": "DPU-JALAN", "days": "5"}),
    ("officer_health", "answer", {"analysis": "a", "measures": "m"}),
    ("oversight", "answer", {"analysis": "a", "measures": "m"}),
    ("officer_roads", "close", {"note": "n"}),
])
def test_only_oversight_assigns_and_closes_and_only_the_unit_answers(issue, people, who, action, args):
    issue = issues.act(issue, "assign", people["oversight"], "open", unit="DPU-JALAN", days="5")
    if action == "close":
        issue = issues.act(issue, "answer", people["officer_roads"], "assigned", analysis="a", measures="m")
    with pytest.raises(IssueError) as refused:
        issues.act(issue, action, people[who], issue.state, **args)
    assert refused.value.status == 403


@pytest.mark.parametrize("args, message", [
    ({"unit": "NOPE", "days": "5"}, "active unit"),
    ({"unit": "DPU-JALAN", "days": "0"}, "working days"),
    ({"unit": "DPU-JALAN", "days": "abc"}, "working days"),
])
def test_bad_assignment_input_is_refused_with_a_clear_message(issue, people, args, message):
    with pytest.raises(IssueError, match=message):
        issues.act(issue, "assign", people["oversight"], "open", **args)
    assert SystemicIssue.objects.get(pk=issue.pk).state == IssueState.OPEN


def test_an_answer_needs_analysis_and_measures(issue, people):
    issue = issues.act(issue, "assign", people["oversight"], "open", unit="DPU-JALAN", days="5")
    with pytest.raises(IssueError, match="analysis"):
        issues.act(issue, "answer", people["officer_roads"], "assigned", analysis="  ", measures="m")


def test_visibility_oversight_all_the_assigned_unit_its_own_others_nothing(issue, people):
    everyone = {name: list(issues.visible_issues(user)) for name, user in people.items()}
    assert everyone["oversight"] == [issue] and everyone["admin"] == [issue] and everyone["privacy"] == [issue]
    assert everyone["officer_roads"] == [] and everyone["triage"] == [] and everyone["nobody"] == []

    issues.act(issue, "assign", people["oversight"], "open", unit="DPU-JALAN", days="5")
    assert list(issues.visible_issues(people["officer_roads"])) == [issue]
    assert list(issues.visible_issues(people["supervisor_works"])) == [issue]  # supervises the sub-unit
    assert list(issues.visible_issues(people["officer_health"])) == []
    assert list(issues.visible_issues(people["triage"])) == []


def test_sensitive_complaints_only_reach_oversight(people, city):
    bribe = submit(city, category="bribe_cat", now=NOW).complaint
    road = submit(city, now=NOW).complaint
    warning = EarlyWarning.objects.create(kind="cluster", period_start=NOW.date(), period_end=NOW.date(),
                                          observed=2, complaint_codes=[bribe.tracking_code, road.tracking_code],
                                          sensitive=True)
    issue = issues.open_issue(people["oversight"], [warning], "Levies at the roads office", "Two reports.")
    assert issue.sensitive
    with pytest.raises(IssueError, match="oversight unit"):
        issues.act(issue, "assign", people["oversight"], "open", unit="DPU-JALAN", days="5")
    issue = issues.act(issue, "assign", people["oversight"], "open", unit="INSPEKTORAT", days="5")
    assert list(issues.visible_complaints(people["oversight"], issue)) == [bribe, road] or \
        set(issues.visible_complaints(people["oversight"], issue)) == {bribe, road}
    # Anyone but oversight reads the issue without the sensitive complaint.
    assert bribe not in set(issues.visible_complaints(people["officer_roads"], issue))


def test_dismissing_needs_a_reason_and_happens_once(warning, people):
    with pytest.raises(IssueError, match="why"):
        issues.dismiss(people["oversight"], warning, "  ")
    issues.dismiss(people["oversight"], warning, "Known roadworks detour")
    fresh = EarlyWarning.objects.get(pk=warning.pk)
    assert fresh.status == WarningStatus.DISMISSED and fresh.decided_by == people["oversight"]
    with pytest.raises(IssueError) as again:
        issues.dismiss(people["oversight"], warning, "again")
    assert again.value.status == 409
    with pytest.raises(IssueError) as late:
        issues.open_issue(people["oversight"], [warning], "t", "d")
    assert late.value.status == 409


def test_only_oversight_opens_issues_and_dismisses(warning, people):
    for name in ("triage", "officer_roads", "privacy"):
        with pytest.raises(IssueError) as refused:
            issues.open_issue(people[name], [warning], "t", "d")
        assert refused.value.status == 403
        with pytest.raises(IssueError):
            issues.dismiss(people[name], warning, "no")
    assert EarlyWarning.objects.get(pk=warning.pk).status == WarningStatus.NEW


def test_events_are_append_only(issue):
    event = issue.events.get()
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()
