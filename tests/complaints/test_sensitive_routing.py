"""Sensitive (abuse of power) complaints only ever reach an oversight unit."""

import pytest

from complaints.models import State
from complaints.permissions import ActorRef
from complaints.lifecycle.engine import perform

from ..conftest import submit
from .helpers import drive, fresh


def test_sensitive_filing_goes_straight_to_oversight_private_and_confidential(city):
    c = fresh(submit(city, category="bribe_cat", visibility="public", identity_mode="named").complaint)
    assert c.state == State.TRIAGED
    assert c.responsible_unit == city["inspectorate"]
    assert c.visibility == "private" and c.identity_mode == "confidential"
    assert c.suggested_units == [["INSPEKTORAT", 1.0]]
    assert c.events.get(action="triage").actor_type == "system"


@pytest.mark.parametrize("path", ["transfer", "reopen_on_appeal"])
def test_no_path_moves_a_sensitive_complaint_to_a_normal_unit(city, people, path):
    c = fresh(submit(city, category="bribe_cat").complaint)
    inspector = ActorRef.staff(people["oversight"])
    if path == "transfer":
        with pytest.raises(Exception):
            # Asking for the health unit lands it at oversight again, which is "the same unit".
            perform(c, "transfer", inspector, unit=city["health"], reason="coba")
    else:
        c = perform(c, "start", inspector)
        c = perform(c, "resolve", inspector, outcome="fixed", summary="Ditindak")
        c = perform(c, "confirm", ActorRef.citizen())
        c = perform(c, "reopen_on_appeal", inspector, reason="banding")
    assert fresh(c).responsible_unit == city["inspectorate"]


def test_triage_asking_for_a_normal_unit_gets_oversight(city, people):
    # A complaint recategorised as sensitive after routing moves to oversight at once.
    c = drive(submit(city).complaint, people, city, "triaged")
    perform(c, "recategorise", ActorRef.staff(people["triage"]), category=city["bribe_cat"])
    c = fresh(c)
    assert c.responsible_unit == city["inspectorate"] and c.visibility == "private"
    assert c.identity_mode == "confidential"


def test_recategorising_a_new_complaint_as_sensitive_routes_it_to_oversight(city, people):
    c = submit(city).complaint
    perform(c, "recategorise", ActorRef.staff(people["triage"]), category=city["bribe_cat"])
    c = fresh(c)
    assert c.state == State.TRIAGED and c.responsible_unit == city["inspectorate"]
    assert [e.action for e in c.events.order_by("seq")] == ["filed", "recategorise", "triage"]


def test_system_triage_of_sensitive_complaint_ignores_the_requested_unit(city, people):
    from routing.models import Category

    # Even if a sensitive category were (mis)configured to a normal unit, oversight gets it.
    cat = city["bribe_cat"]
    Category.objects.filter(pk=cat.pk).update(default_unit=city["health"])
    c = fresh(submit(city, category="bribe_cat").complaint)
    assert c.responsible_unit == city["inspectorate"]
