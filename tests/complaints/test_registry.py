"""The action registry is complete and consistent: what it declares is what the model,
the handlers, the templates and the hand-written permission oracle say.

Adding an action without its handler, its staff template, its citizen form or its row in
the permission oracle (tests/complaints/test_permissions.py MATRIX) fails here."""

import inspect
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings
from django.utils.module_loading import import_string

from complaints.lifecycle import actions as registry
from complaints.lifecycle.actions import ACTIONS, CITIZEN_ACTIONS, PERFORMABLE, STAFF_ACTIONS
from complaints.models import Complaint, State

from .test_permissions import MATRIX

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# The oracle's people, by the registry role they play towards a complaint of the roads unit.
ORACLE_ROLES = {
    registry.SYSTEM: {"system"},
    registry.CITIZEN: {"citizen"},
    registry.TRIAGE: {"triage", "admin"},
    registry.HANDLER: {"officer_roads", "supervisor_works"},
    registry.OVERSIGHT: {"oversight", "admin"},
    registry.OVERSIGHT_OFFICER: {"oversight"},
    registry.PRIVACY_OFFICER: {"privacy"},
    # Supervisors of the unit, except whoever resolved it (officer_roads in the oracle).
    registry.VERIFIER: {"supervisor_works"},
}


def test_every_handler_is_an_importable_function_taking_exactly_the_declared_arguments():
    for name, action in ACTIONS.items():
        handler = import_string(action.handler)
        assert handler.__name__.startswith("do_"), name
        parameters = inspect.signature(handler).parameters
        keywords = {p for p, v in parameters.items() if v.kind == v.KEYWORD_ONLY}
        assert keywords == {"acting_user", "now", *action.arguments}, name
        assert list(parameters)[0] == "c", name


def test_the_models_state_machine_is_the_registrys():
    for name, action in ACTIONS.items():
        method = getattr(Complaint, name, None)
        if not action.changes_state:
            assert method is None, name
            assert set(action.states) <= set(State.values), name
            continue
        edges = method._django_fsm.transitions
        assert set(edges) == set(action.edge.source), name
        for transition in edges.values():
            targets = getattr(transition.target, "allowed_states", None) or [transition.target]
            assert set(targets) == set(action.target_states), name


def test_every_staff_action_has_its_form_template_and_every_citizen_action_its_form():
    for name in STAFF_ACTIONS:
        assert (TEMPLATES / "complaints" / "staff" / "actions" / f"{name}.html").exists(), name
    for name in CITIZEN_ACTIONS:
        assert ACTIONS[name].citizen_form is not None, name
    for path in (TEMPLATES / "complaints" / "staff" / "actions").glob("*.html"):
        assert path.stem in STAFF_ACTIONS, f"{path.name} belongs to no staff action"


def test_the_registry_agrees_with_the_hand_written_permission_oracle():
    covered = {key.split("@")[0] for key in MATRIX}
    assert covered == set(PERFORMABLE), "every action needs its row(s) in the oracle"
    for key, (state, allowed) in MATRIX.items():
        action = ACTIONS[key.split("@")[0]]
        at = {"closed_unrated": State.CLOSED, "confidential": State.SUBMITTED,
              "sensitive": State.TRIAGED, "subject_request": State.TRIAGED,
              "review_requested": State.REJECTED}.get(state, state)
        complaint = SimpleNamespace(state=at, category=SimpleNamespace(sensitive=state == "sensitive"))
        declared = set()
        for rule in action.who:
            if (not rule.states or at in rule.states) and (rule.when is None or rule.when(complaint)):
                declared |= ORACLE_ROLES[rule.role]
        assert declared == allowed, key


def test_labels_notifications_and_ticker_are_declared_where_they_are_shown():
    for name, action in ACTIONS.items():
        assert str(action.label), name
        if action.notify:
            assert (TEMPLATES / "emails" / f"{action.notify}.txt").exists(), name
            assert (TEMPLATES / "emails" / f"{action.notify}_subject.txt").exists(), name
        if action.timeline:
            assert action.public, f"{name}: the citizen's timeline shows only public events"
