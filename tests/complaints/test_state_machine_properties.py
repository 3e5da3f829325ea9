"""Random sequences of actions by random actors keep the lifecycle's invariants."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from complaints.audit import verify_complaint
from complaints.models import TERMINAL_STATES, Event, State
from complaints.lifecycle.actions import PERFORMABLE as ALL_ACTIONS
from complaints.lifecycle.engine import perform
from complaints.lifecycle.errors import TransitionError

from ..conftest import submit
from .helpers import actor_for, fresh

STAMPS = ["submitted_at", "triaged_at", "first_response_at", "resolved_at", "final_resolved_at", "closed_at"]
ROLES = ["triage", "officer_roads", "supervisor_works", "officer_health", "oversight", "privacy",
         "admin", "citizen", "system"]

step = st.tuples(
    st.sampled_from(ALL_ACTIONS),
    st.sampled_from(ROLES),
    st.sampled_from(["roads", "health", "inspectorate"]),
    st.sampled_from(["fixed", "cannot_fix", "answered", "bogus"]),
    st.sampled_from(["spam", "other", "", "bogus"]),
    st.integers(min_value=0, max_value=400),  # hours that pass before the step
)


class Rollback(Exception):
    pass


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=1, max_size=25), sensitive=st.booleans())
def test_random_action_sequences_keep_the_invariants(city, people, steps, sensitive):
    try:
        with transaction.atomic():
            _run_sequence(city, people, steps, sensitive)
            raise Rollback
    except Rollback:
        pass


def _run_sequence(city, people, steps, sensitive):
    now = timezone.now() - dt.timedelta(days=200)
    category = "bribe_cat" if sensitive else "roads_cat"
    c = fresh(submit(city, category=category, now=now).complaint)
    other = submit(city, now=now).complaint
    for action, role, unit, outcome, reason_code, hours in steps:
        now += dt.timedelta(hours=hours)
        before = fresh(c)
        events_before = Event.objects.filter(complaint=c).count()
        args = {
            "unit": city[unit], "outcome": outcome, "summary": "ringkasan" if outcome != "bogus" else "",
            "reason": reason_code if action == "reject" else (reason_code or "alasan"),
            "message": "pesan", "body": "isi", "rating": 3, "level": before.escalation_level + 1,
            "category": city["clinic_cat"], "duplicate_of": other.tracking_code,
            "assignee": people["officer_roads"].pk, "public_title": "t", "public_summary": "s", "publish": True,
        }
        try:
            perform(c.pk, action, actor_for(role, people), expected_state=before.state, now=now, **args)
        except TransitionError:
            after = fresh(c)
            # An illegal or refused step leaves no trace.
            assert Event.objects.filter(complaint=c).count() == events_before
            assert after.state == before.state and after.updated_at == before.updated_at
            assert after.audit_head == before.audit_head
            continue
        after = fresh(c)
        assert after.state in State.values
        if before.state in TERMINAL_STATES and after.state != before.state:
            assert action == "reopen_on_appeal"
        for name in STAMPS:
            old, new = getattr(before, name), getattr(after, name)
            if old is not None:
                assert new is not None and new >= old, name
        if after.category.sensitive and after.responsible_unit is not None:
            assert after.responsible_unit.is_oversight
        assert verify_complaint(after) is None
        c = after
