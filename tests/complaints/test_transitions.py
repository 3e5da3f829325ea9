"""Every legal transition does what the lifecycle says; every illegal one is refused
with a clear error and changes nothing."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from complaints.audit import verify_complaint
from complaints.models import Complaint, Event, Message, State
from complaints.lifecycle.actions import PERFORMABLE as ALL_ACTIONS
from complaints.lifecycle.engine import available_actions, perform
from complaints.lifecycle.errors import Conflict, IllegalTransition, InvalidArguments, NotPermitted
from routing import calendar

from ..conftest import CITIZEN, SYSTEM, as_staff, submit
from .helpers import drive, event_count, fresh


def snapshot_row(c):
    c = fresh(c)
    return {f.attname: getattr(c, f.attname) for f in Complaint._meta.concrete_fields}


def test_filing_stamps_submission_and_triage_due_date(city):
    filed = submit(city)
    c = filed.complaint
    assert c.state == State.SUBMITTED
    assert c.tracking_code.startswith("ADU-") and len(c.tracking_code) == 13
    assert c.check_token(filed.token) and not c.check_token("wrong")
    assert c.triage_due_at == calendar.add_working_days(c.submitted_at, 3)
    assert Event.objects.get(complaint=c).action == "filed"
    assert verify_complaint(c) is None


def test_triage_routes_to_unit_and_sets_due_dates(city, people, filed):
    c = perform(filed.complaint, "triage", as_staff(people["triage"]), unit=city["roads"])
    c = fresh(c)
    assert c.state == State.TRIAGED and c.responsible_unit == city["roads"]
    assert c.response_due_at == calendar.add_working_days(c.triaged_at, 5)
    assert c.resolution_due_at == calendar.add_working_days(c.triaged_at, 14)
    assert c.public_summary_approved_at is None  # routing publishes nothing


def test_full_happy_path_to_closed_with_rating(city, people, filed):
    c = drive(filed.complaint, people, city, "closed")
    c = fresh(c)
    assert c.state == State.CLOSED and c.rating == 5 and c.outcome == "fixed"
    assert c.submitted_at <= c.triaged_at <= c.first_response_at <= c.resolved_at <= c.closed_at
    assert [e.action for e in c.events.order_by("seq")] == ["filed", "triage", "start", "resolve", "confirm"]
    assert verify_complaint(c) is None


@pytest.mark.parametrize("origin", ["submitted", "triaged", "in_progress"])
def test_provide_info_returns_to_the_state_it_came_from(city, people, filed, origin):
    c = drive(filed.complaint, people, city, origin)
    asker = people["triage"] if origin == "submitted" else people["officer_roads"]
    c = perform(c, "request_info", as_staff(asker), message="Foto lubangnya ada?")
    assert c.state == State.NEEDS_INFO
    c = perform(c, "provide_info", CITIZEN, message="Ada, saya kirim.")
    assert fresh(c).state == origin


def test_pause_in_needs_info_shifts_due_dates_by_working_time(city, people):
    friday = dt.datetime(2026, 11, 27, 9, 0, tzinfo=timezone.get_current_timezone())
    c = submit(city, now=friday).complaint
    c = perform(c, "triage", as_staff(people["triage"]), unit=city["roads"], now=friday)
    due_before = fresh(c).resolution_due_at
    c = perform(c, "start", as_staff(people["officer_roads"]), now=friday + dt.timedelta(hours=1))
    asked = friday + dt.timedelta(hours=2)  # Friday 11:00
    c = perform(c, "request_info", as_staff(people["officer_roads"]), message="Alamat?", now=asked)
    answered = dt.datetime(2026, 12, 1, 11, 0, tzinfo=friday.tzinfo)  # Tuesday 11:00: 2 working days
    c = perform(c, "provide_info", CITIZEN, message="Jl. Merdeka 12", now=answered)
    c = fresh(c)
    assert c.paused_seconds == 2 * 86400
    assert c.resolution_due_at == calendar.add_working_days(due_before, 2)


def test_reject_needs_reason_and_message(city, people, filed):
    before = snapshot_row(filed.complaint)
    with pytest.raises(InvalidArguments):
        perform(filed.complaint, "reject", as_staff(people["triage"]), reason="bogus", message="x")
    with pytest.raises(InvalidArguments):
        perform(filed.complaint, "reject", as_staff(people["triage"]), reason="spam", message=" ")
    assert snapshot_row(filed.complaint) == before
    c = perform(filed.complaint, "reject", as_staff(people["triage"]), reason="out_of_scope",
                message="Ini kewenangan pemerintah provinsi.")
    assert fresh(c).state == State.REJECTED and fresh(c).reject_reason == "out_of_scope"


def test_system_rejects_unanswered_needs_info(city, people, filed):
    c = drive(filed.complaint, people, city, "needs_info")
    with pytest.raises(NotPermitted):
        perform(c, "reject", as_staff(people["triage"]), reason="not_enough_information", message="x")
    c = perform(c, "reject", SYSTEM, reason="not_enough_information", message="Tidak ada jawaban.")
    assert fresh(c).state == State.REJECTED


def test_mark_duplicate_points_at_the_original(city, people, filed):
    other = submit(city, title="Lubang lagi", idempotency_key=None).complaint
    c = perform(other, "mark_duplicate", as_staff(people["triage"]), duplicate_of=filed.complaint.tracking_code)
    assert fresh(c).state == State.DUPLICATE and fresh(c).duplicate_of_id == filed.complaint.pk
    third = submit(city, title="Lubang ketiga").complaint
    with pytest.raises(InvalidArguments):
        perform(third, "mark_duplicate", as_staff(people["triage"]), duplicate_of=third.tracking_code)
    with pytest.raises(InvalidArguments):
        perform(third, "mark_duplicate", as_staff(people["triage"]), duplicate_of="ADU-NOPE-NOPE")


def test_transfer_moves_to_another_unit_and_needs_a_reason(city, people, filed):
    c = drive(filed.complaint, people, city, "in_progress")
    with pytest.raises(InvalidArguments):
        perform(c, "transfer", as_staff(people["officer_roads"]), unit=city["health"], reason="")
    with pytest.raises(InvalidArguments):
        perform(c, "transfer", as_staff(people["officer_roads"]), unit=city["roads"], reason="same")
    c = perform(c, "transfer", as_staff(people["officer_roads"]), unit=city["health"], reason="Salah alamat")
    c = fresh(c)
    assert c.state == State.TRIAGED and c.responsible_unit == city["health"] and c.assignee is None


def test_resolution_needs_summary_outcome_and_referral(city, people, filed):
    c = drive(filed.complaint, people, city, "in_progress")
    officer = as_staff(people["officer_roads"])
    for args in ({"outcome": "fixed", "summary": ""}, {"outcome": "nope", "summary": "done"},
                 {"outcome": "not_our_authority", "summary": "Bukan kewenangan kami"}):
        with pytest.raises(InvalidArguments):
            perform(c, "resolve", officer, **args)
    assert fresh(c).state == State.IN_PROGRESS
    c = perform(c, "resolve", officer, outcome="not_our_authority", summary="Jalan provinsi",
                referred_to="Dinas PU Provinsi")
    c = fresh(c)
    assert c.state == State.RESOLVED and c.referred_to == "Dinas PU Provinsi"
    assert c.appeal_due_at == calendar.add_working_days(c.resolved_at, 10)


def test_reopen_only_inside_the_appeal_window_and_keeps_first_resolution(city, people, filed):
    c = drive(filed.complaint, people, city, "resolved")
    first_resolved = fresh(c).resolved_at
    c = perform(c, "reopen", CITIZEN, reason="Masih berlubang")
    c = fresh(c)
    assert c.state == State.IN_PROGRESS and c.reopen_count == 1 and c.resolved_at == first_resolved
    c = perform(c, "resolve", as_staff(people["officer_roads"]), outcome="fixed", summary="Sudah diaspal ulang")
    late = fresh(c).appeal_due_at + dt.timedelta(minutes=1)
    with pytest.raises(InvalidArguments):
        perform(c, "reopen", CITIZEN, reason="Masih", now=late)
    c = fresh(c)
    assert c.resolved_at == first_resolved and c.final_resolved_at > first_resolved


def test_auto_close_only_after_the_appeal_window(city, people, filed):
    c = drive(filed.complaint, people, city, "resolved")
    with pytest.raises(InvalidArguments):
        perform(c, "auto_close", SYSTEM)
    c = perform(c, "auto_close", SYSTEM, now=fresh(c).appeal_due_at + dt.timedelta(seconds=1))
    assert fresh(c).state == State.CLOSED


@pytest.mark.parametrize("terminal", ["closed", "rejected"])
def test_oversight_reopens_terminal_complaints_on_appeal(city, people, filed, terminal):
    c = drive(filed.complaint, people, city, terminal)
    with pytest.raises(InvalidArguments):
        perform(c, "reopen_on_appeal", as_staff(people["oversight"]), reason="")
    c = perform(c, "reopen_on_appeal", as_staff(people["oversight"]), reason="Banding warga diterima")
    assert fresh(c).state == (State.TRIAGED if terminal == "closed" else State.SUBMITTED)


# Every (state, action) pair the lifecycle does not allow is refused and leaves no trace.
LIFECYCLE = {
    "submitted": {"triage", "request_info", "reject", "mark_duplicate"},
    "needs_info": {"provide_info", "reject"},
    "triaged": {"start", "transfer", "request_info"},
    "in_progress": {"resolve", "transfer", "request_info"},
    "resolved": {"confirm", "auto_close", "reopen"},
    "closed": {"reopen_on_appeal"},
    "rejected": {"reopen_on_appeal"},
}
FSM = ["triage", "request_info", "provide_info", "reject", "mark_duplicate", "start", "transfer",
       "resolve", "confirm", "auto_close", "reopen", "reopen_on_appeal"]


@pytest.mark.parametrize("state", list(LIFECYCLE))
def test_illegal_transitions_are_refused_and_change_nothing(city, people, filed, state):
    c = drive(filed.complaint, people, city, state)
    for action in FSM:
        if action in LIFECYCLE[state]:
            continue
        before, events = snapshot_row(c), event_count(c)
        with pytest.raises(IllegalTransition) as excinfo, translation.override("en"):
            perform(c, action, as_staff(people["admin"]), unit=city["health"], reason="x",
                    message="x", summary="x", outcome="fixed")
        assert "is not possible while the complaint is" in str(excinfo.value)
        assert snapshot_row(c) == before and event_count(c) == events


def test_stale_caller_gets_a_conflict_and_nothing_changes(city, people, filed):
    c = filed.complaint
    perform(c, "triage", as_staff(people["triage"]), unit=city["roads"])
    events = event_count(c)
    with pytest.raises(Conflict):
        # This caller still believes the complaint is waiting for triage.
        perform(c.pk, "reject", as_staff(people["triage"]), expected_state="submitted",
                reason="spam", message="x")
    assert fresh(c).state == State.TRIAGED and event_count(c) == events


def test_messages_reply_note_and_comment(city, people, filed):
    c = drive(filed.complaint, people, city, "triaged")
    perform(c, "reply", as_staff(people["officer_roads"]), body="Tim kami akan cek besok.")
    perform(c, "note", as_staff(people["officer_roads"]), body="Koordinasi dengan kecamatan.")
    perform(c, "comment", CITIZEN, body="Terima kasih.")
    kinds = list(Message.objects.filter(complaint=c).values_list("visibility", "author_type"))
    assert kinds == [("public", "user"), ("internal", "user"), ("public", "citizen")]
    assert fresh(c).first_response_at is not None
    with pytest.raises(InvalidArguments):
        perform(c, "reply", as_staff(people["officer_roads"]), body="   ")


def test_assign_rules(city, people, filed):
    c = drive(filed.complaint, people, city, "triaged")
    officer, officer2 = people["officer_roads"], people["officer_roads2"]
    with pytest.raises(NotPermitted):
        perform(c, "assign", as_staff(officer), assignee=officer2.pk)
    perform(c, "assign", as_staff(officer), assignee=officer.pk)
    perform(c, "assign", as_staff(people["supervisor_works"]), assignee=officer2.pk)
    assert fresh(c).assignee == officer2
    with pytest.raises(InvalidArguments):
        perform(c, "assign", as_staff(people["supervisor_works"]), assignee=people["officer_health"].pk)


def test_escalation_levels_only_go_up(city, people, filed):
    c = drive(filed.complaint, people, city, "triaged")
    perform(c, "escalate", SYSTEM, level=1)
    with pytest.raises(InvalidArguments):
        perform(c, "escalate", SYSTEM, level=1)
    perform(c, "escalate", SYSTEM, level=2)
    assert fresh(c).escalation_level == 2


def test_available_actions_lists_only_what_the_actor_may_do(city, people, filed):
    c = filed.complaint
    assert set(available_actions(c, as_staff(people["triage"]))) >= {"triage", "reject", "mark_duplicate", "request_info"}
    assert available_actions(c, as_staff(people["officer_roads"])) == []
    c = drive(c, people, city, "triaged")
    assert "start" in available_actions(fresh(c), as_staff(people["officer_roads"]))
    assert "start" not in available_actions(fresh(c), as_staff(people["officer_health"]))
    assert set(ALL_ACTIONS) >= set(available_actions(fresh(c), as_staff(people["admin"])))


def test_a_change_that_keeps_the_state_still_makes_older_views_stale(city, people, filed):
    # A transfer keeps the state (triaged) but changes the unit a start depends on; a reply
    # changes nothing a start depends on (issue 14: conflicts only where they matter).
    c = drive(filed.complaint, people, city, "triaged")
    seen = fresh(c).audit_count
    perform(c, "transfer", as_staff(people["triage"]), unit=city["health"], reason="Salah unit")
    with pytest.raises(Conflict):
        perform(c.pk, "start", as_staff(people["officer_roads"]), expected_state="triaged",
                expected_version=seen)
    assert fresh(c).state == State.TRIAGED
