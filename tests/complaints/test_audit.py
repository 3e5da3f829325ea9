"""Tampering with the audit trail, even with direct database access, is detected."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from complaints.audit import verify_complaint
from complaints.models import Complaint, Event

from .helpers import drive, fresh


@pytest.fixture
def chain(city, people, filed):
    c = drive(filed.complaint, people, city, "closed")
    assert verify_complaint(fresh(c)) is None
    return fresh(c)


def run_verify():
    call_command("verify_audit")


def test_verify_audit_passes_on_an_untouched_chain(chain, capsys):
    run_verify()
    assert "verify" in capsys.readouterr().out


def test_editing_an_event_is_detected(chain):
    Event.objects.filter(complaint=chain, seq=3).update(data={"summary": "rewritten history"})
    with pytest.raises(CommandError):
        run_verify()
    assert "event #3" in verify_complaint(fresh(chain))


def test_editing_the_actor_is_detected(chain):
    Event.objects.filter(complaint=chain, seq=2).update(actor_label="someone-else")
    assert "event #2" in verify_complaint(fresh(chain))


def test_deleting_an_event_in_the_middle_is_detected(chain):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM complaints_event WHERE complaint_id = %s AND seq = 2", [chain.pk])
    assert "#3" in verify_complaint(fresh(chain))


def test_deleting_the_last_event_is_detected_even_with_the_head_rewound(chain):
    last = Event.objects.get(complaint=chain, seq=chain.audit_count)
    previous = Event.objects.get(complaint=chain, seq=chain.audit_count - 1)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM complaints_event WHERE id = %s", [last.pk])
    Complaint.objects.filter(pk=chain.pk).update(audit_head=previous.mac, audit_count=previous.seq)
    problem = verify_complaint(fresh(chain))
    assert problem is not None and "seal" in problem


def test_reordering_events_is_detected(chain):
    a = Event.objects.get(complaint=chain, seq=2)
    b = Event.objects.get(complaint=chain, seq=3)
    Event.objects.filter(pk=a.pk).update(seq=999)
    Event.objects.filter(pk=b.pk).update(seq=2)
    Event.objects.filter(pk=a.pk).update(seq=3)
    assert verify_complaint(fresh(chain)) is not None
    with pytest.raises(CommandError):
        run_verify()


def test_changing_the_state_behind_the_chain_is_detected(chain):
    Complaint.objects.filter(pk=chain.pk).update(state="in_progress")
    assert "seal" in verify_complaint(fresh(chain))


def test_events_refuse_to_be_changed_through_the_orm(chain):
    event = Event.objects.filter(complaint=chain).first()
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()


def test_the_chain_does_not_verify_with_another_key(chain, settings):
    settings.AUDIT_KEY = "a-different-key"
    assert verify_complaint(fresh(chain)) is not None
