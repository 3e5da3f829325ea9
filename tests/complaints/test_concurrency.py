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
    officer, triage = ActorRef.staff(people["officer_roads"]), ActorRef.staff(people["triage"])
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
