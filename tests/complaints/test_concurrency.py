"""Two officers acting on one complaint at the same moment: exactly one wins."""

import threading

import pytest
from django.db import connections

from complaints.models import Event, State
from complaints.permissions import ActorRef
from complaints.lifecycle.engine import perform
from complaints.lifecycle.errors import Conflict

from ..conftest import submit
from .helpers import drive, fresh

pytestmark = pytest.mark.postgres


def race(calls):
    """Run the calls in threads released together; return their outcomes."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def worker(i, call):
        try:
            barrier.wait()
            call()
            outcomes[i] = "ok"
        except Conflict:
            outcomes[i] = "conflict"
        except Exception as exc:  # pragma: no cover - reported by the assertion below
            outcomes[i] = repr(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("repeat", range(5))
def test_conflicting_transitions_one_wins_one_conflicts(city, people, repeat):
    c = drive(submit(city).complaint, people, city, "triaged")
    events = Event.objects.filter(complaint=c).count()
    officer = ActorRef.staff(people["officer_roads"])
    outcomes = race([
        lambda: perform(c.pk, "start", officer, expected_state="triaged"),
        lambda: perform(c.pk, "request_info", officer, expected_state="triaged", message="Alamat?"),
    ])
    assert sorted(outcomes) == ["conflict", "ok"], outcomes
    after = fresh(c)
    assert after.state in (State.IN_PROGRESS, State.NEEDS_INFO)
    assert Event.objects.filter(complaint=c).count() == events + 1
    assert after.audit_count == events + 1


@pytest.mark.django_db(transaction=True)
def test_a_transfer_racing_a_start_is_caught_by_the_version(city, people):
    c = drive(submit(city).complaint, people, city, "triaged")
    seen = fresh(c).audit_count
    officer, triage = ActorRef.staff(people["officer_roads"]), ActorRef.staff(people["triage"])
    outcomes = race([
        lambda: perform(c.pk, "start", officer, expected_state="triaged", expected_version=seen),
        lambda: perform(c.pk, "transfer", triage, expected_state="triaged", expected_version=seen,
                        unit=city["health"], reason="Salah unit"),
    ])
    assert sorted(outcomes) == ["conflict", "ok"], outcomes
    assert fresh(c).audit_count == seen + 1


@pytest.mark.django_db(transaction=True)
def test_the_same_transition_twice_at_once_happens_once(city, people):
    c = drive(submit(city).complaint, people, city, "in_progress")
    officer = ActorRef.staff(people["officer_roads"])
    outcomes = race([
        lambda: perform(c.pk, "resolve", officer, expected_state="in_progress",
                        outcome="fixed", summary="Selesai"),
    ] * 2)
    assert sorted(outcomes) == ["conflict", "ok"], outcomes
    assert Event.objects.filter(complaint=c, action="resolve").count() == 1


@pytest.mark.django_db(transaction=True)
def test_notes_and_replies_by_two_officers_at_once_all_succeed(city, people):
    # Issue 14: a colleague's note must not make a public reply fail with 409.
    c = drive(submit(city).complaint, people, city, "in_progress")
    seen, events = fresh(c).audit_count, Event.objects.filter(complaint=c).count()
    one, two = ActorRef.staff(people["officer_roads"]), ActorRef.staff(people["triage"])
    calls = []
    for i in range(3):
        calls.append(lambda i=i: perform(c.pk, "note", one, expected_state="in_progress",
                                         expected_version=seen, body=f"Catatan {i}"))
        calls.append(lambda i=i: perform(c.pk, "reply", one, expected_state="in_progress",
                                         expected_version=seen, body=f"Balasan {i}"))
        calls.append(lambda i=i: perform(c.pk, "note", two, expected_state="in_progress",
                                         expected_version=seen, body=f"Catatan triase {i}"))
    outcomes = race(calls)
    assert outcomes == ["ok"] * len(calls), outcomes
    after = fresh(c)
    assert after.state == State.IN_PROGRESS
    assert Event.objects.filter(complaint=c).count() == events + len(calls) == after.audit_count
    assert Event.objects.filter(complaint=c, action="reply").count() == 3


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("repeat", range(3))
def test_a_transfer_and_a_resolve_still_conflict(city, people, repeat):
    c = drive(submit(city).complaint, people, city, "in_progress")
    seen = fresh(c).audit_count
    officer, triage = ActorRef.staff(people["officer_roads"]), ActorRef.staff(people["triage"])
    outcomes = race([
        lambda: perform(c.pk, "resolve", officer, expected_state="in_progress", expected_version=seen,
                        outcome="fixed", summary="Selesai"),
        lambda: perform(c.pk, "transfer", triage, expected_state="in_progress", expected_version=seen,
                        unit=city["health"], reason="Salah unit"),
        lambda: perform(c.pk, "note", triage, expected_state="in_progress", expected_version=seen,
                        body="Sedang dicek"),
    ])
    assert sorted(outcomes[:2]) == ["conflict", "ok"], outcomes
    assert outcomes[2] == "ok", outcomes  # the note never conflicts
    after = fresh(c)
    resolved = Event.objects.filter(complaint=c, action="resolve").count()
    transferred = Event.objects.filter(complaint=c, action="transfer").count()
    assert resolved + transferred == 1
    assert after.state == (State.RESOLVED if resolved else State.TRIAGED)
    assert after.audit_count == seen + 2
