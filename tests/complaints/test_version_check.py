"""The version check compares only what an action depends on (issue 14, item 3): notes,
replies and comments never go stale; transitions go stale when the state or the
responsible unit changed since the caller looked; an absurd version is stale."""

import pytest

from complaints.lifecycle.actions import ACTIONS, STATE, UNIT
from complaints.lifecycle.errors import Conflict
from complaints.models import Event, State

from ..conftest import CITIZEN, submit
from .helpers import as_staff, drive, fresh, perform

pytestmark = pytest.mark.django_db


def test_every_transition_depends_on_state_and_unit_and_notes_and_replies_on_nothing():
    for action in ACTIONS.values():
        if action.changes_state:
            assert {STATE, UNIT} <= set(action.conflicts_on), action.name
    for name in ("note", "reply", "comment"):
        assert ACTIONS[name].conflicts_on == ()


def test_a_reply_after_a_colleagues_note_goes_ahead(city, people):
    c = drive(submit(city).complaint, people, city, "in_progress")
    officer = as_staff(people["officer_roads"])
    seen = fresh(c).audit_count
    perform(c.pk, "note", as_staff(people["triage"]), expected_state="in_progress", expected_version=seen,
            body="Sudah dicek lapangan")
    perform(c.pk, "reply", officer, expected_state="in_progress", expected_version=seen, body="Kami tangani.")
    assert Event.objects.filter(complaint=c, action="reply").count() == 1


def test_a_note_goes_ahead_even_after_the_state_changed(city, people):
    c = drive(submit(city).complaint, people, city, "triaged")
    officer = as_staff(people["officer_roads"])
    seen = fresh(c).audit_count
    perform(c.pk, "start", officer, expected_state="triaged", expected_version=seen)
    perform(c.pk, "note", officer, expected_state="triaged", expected_version=seen, body="Catatan")
    assert fresh(c).audit_count == seen + 2


def test_a_transition_after_a_note_goes_ahead(city, people):
    c = drive(submit(city).complaint, people, city, "triaged")
    officer = as_staff(people["officer_roads"])
    seen = fresh(c).audit_count
    perform(c.pk, "note", officer, expected_state="triaged", expected_version=seen, body="Catatan")
    perform(c.pk, "start", officer, expected_state="triaged", expected_version=seen)
    assert fresh(c).state == State.IN_PROGRESS


def test_a_transition_after_a_transfer_that_kept_the_state_is_refused(city, people):
    c = drive(submit(city).complaint, people, city, "triaged")
    seen = fresh(c).audit_count
    perform(c.pk, "transfer", as_staff(people["triage"]), expected_state="triaged", expected_version=seen,
            unit=city["health"], reason="Salah unit")
    before = fresh(c)
    with pytest.raises(Conflict):
        perform(c.pk, "request_info", as_staff(people["triage"]), expected_state="triaged",
                expected_version=seen, message="Alamat?")
    after = fresh(c)
    assert (after.state, after.audit_count, after.responsible_unit_id) == (
        before.state, before.audit_count, before.responsible_unit_id)


@pytest.mark.parametrize("version", ["-1", "999", "abc", "1\x00", "", "1e3"])
def test_an_absurd_version_is_stale_for_a_transition_but_not_for_a_note(city, people, version):
    c = drive(submit(city).complaint, people, city, "triaged")
    officer = as_staff(people["officer_roads"])
    before = fresh(c)
    with pytest.raises(Conflict):
        perform(c.pk, "start", officer, expected_state="triaged", expected_version=version)
    assert fresh(c).audit_count == before.audit_count
    perform(c.pk, "note", officer, expected_state="triaged", expected_version=version, body="Catatan")
    assert fresh(c).audit_count == before.audit_count + 1


def test_a_citizen_comment_after_a_staff_reply_goes_ahead(city, people):
    c = drive(submit(city).complaint, people, city, "in_progress")
    seen = fresh(c).audit_count
    perform(c.pk, "reply", as_staff(people["officer_roads"]), expected_state="in_progress",
            expected_version=seen, body="Kami tangani.")
    perform(c.pk, "comment", CITIZEN, expected_state="in_progress", expected_version=seen, body="Terima kasih")
    assert fresh(c).audit_count == seen + 2


def test_two_summary_approvals_from_the_same_view_conflict(city, people):
    c = drive(submit(city).complaint, people, city, "triaged")
    triage = as_staff(people["triage"])
    seen = fresh(c).audit_count
    args = dict(public_title="Jalan berlubang", public_summary="Lubang di jalan.", publish="on")
    perform(c.pk, "approve_summary", triage, expected_state="triaged", expected_version=seen, **args)
    with pytest.raises(Conflict):
        perform(c.pk, "approve_summary", triage, expected_state="triaged", expected_version=seen, **args)
