"""Permission matrix: each role against each action, in a state where the lifecycle
allows the action. Refusals raise NotPermitted and change nothing."""

import datetime as dt

import pytest
from django.db import transaction

from areas.models import Area

from complaints.models import Complaint, Event
from complaints.permissions import ActorRef, can_view
from complaints.lifecycle.engine import perform
from complaints.lifecycle.errors import NotPermitted

from ..conftest import submit
from .helpers import actor_for, drive, fresh

ROLES = ["triage", "officer_roads", "supervisor_works", "officer_health", "oversight",
         "privacy", "admin", "nobody", "citizen", "system"]

# action: (state to reach, roles allowed)
MATRIX = {
    "triage": ("submitted", {"triage", "admin", "system"}),
    "request_info@submitted": ("submitted", {"triage", "admin"}),
    "request_info@triaged": ("triaged", {"officer_roads", "supervisor_works"}),
    "reject@submitted": ("submitted", {"triage", "admin"}),
    "reject@needs_info": ("needs_info", {"system"}),
    "mark_duplicate": ("submitted", {"triage", "admin"}),
    "withdraw": ("submitted", {"citizen"}),
    "provide_info": ("needs_info", {"citizen"}),
    "start": ("triaged", {"officer_roads", "supervisor_works"}),
    "transfer": ("in_progress", {"officer_roads", "supervisor_works", "triage", "admin"}),
    "resolve": ("in_progress", {"officer_roads", "supervisor_works"}),
    "confirm": ("resolved", {"citizen"}),
    "reopen": ("resolved", {"citizen"}),
    "auto_close": ("resolved", {"system"}),
    # A supervisor of the unit who did not resolve it (officer_roads resolved it).
    "verify": ("verifying", {"supervisor_works"}),
    "send_back": ("verifying", {"supervisor_works"}),
    "reopen_on_appeal": ("closed", {"oversight", "admin"}),
    "request_review": ("rejected", {"citizen"}),
    "uphold_review": ("review_requested", {"oversight", "admin"}),
    "overturn_review": ("review_requested", {"oversight", "admin"}),
    "recategorise": ("submitted", {"triage", "admin"}),
    "recategorise@sensitive": ("sensitive", {"oversight"}),
    "set_area": ("submitted", {"triage", "admin"}),
    "set_area@sensitive": ("sensitive", {"oversight"}),
    "approve_summary": ("submitted", {"triage", "admin"}),
    "assign": ("triaged", {"officer_roads", "supervisor_works"}),
    "reply": ("triaged", {"officer_roads", "supervisor_works"}),
    "note": ("triaged", {"officer_roads", "supervisor_works", "triage", "admin", "oversight"}),
    "comment": ("triaged", {"citizen"}),
    "rate": ("closed_unrated", {"citizen"}),
    "escalate": ("triaged", {"system"}),
    "reveal_identity": ("confidential", {"privacy"}),
    "download_data": ("triaged", {"citizen"}),
    "subject_request": ("triaged", {"citizen"}),
    "approve_subject_request": ("subject_request", {"privacy"}),
    "refuse_subject_request": ("subject_request", {"privacy"}),
    "erase_personal_data": ("closed", {"system"}),
}


def reach(state, city, people):
    if state == "confidential":
        return submit(city, identity_mode="confidential").complaint
    if state == "sensitive":  # filed in a sensitive category: routed to oversight at once
        return submit(city, category="bribe_cat").complaint
    c = submit(city).complaint
    if state == "subject_request":  # an erasure request waits for the privacy officer
        c = drive(submit(city).complaint, people, city, "triaged")
        return perform(c, "subject_request", ActorRef.citizen(), kind="erase")
    if state == "review_requested":  # rejected, and the citizen asked oversight to review it
        c = drive(c, people, city, "rejected")
        return perform(c, "request_review", ActorRef.citizen(), reason="Ini bukan iklan.")
    if state == "closed_unrated":
        c = drive(c, people, city, "resolved")
        return perform(c, "confirm", ActorRef.citizen())
    return drive(c, people, city, state)


def args_for(action, city, people, complaint):
    other = Complaint.objects.exclude(pk=complaint.pk).first() or submit(city).complaint
    area = Area.objects.get_or_create(code="99.01", defaults={"name": "Kota", "level": "kecamatan"})[0]
    return {
        "area": area.code,
        "unit": city["health"], "reason": {"reject": "spam", "erase_personal_data": "retention"}.get(action, "alasan"), "message": "pesan", "summary": "ringkasan",
        "outcome": "fixed", "body": "isi", "rating": 4, "level": 1,
        "category": city["clinic_cat"], "public_title": "Judul", "public_summary": "Ringkasan", "publish": True,
        "kind": "stop", "request": complaint.subject_requests.filter(state="pending").first(),
        "duplicate_of": other.tracking_code, "subject_unit": "none", "assignee": people["officer_roads"].pk,
        "now": fresh(complaint).appeal_due_at + dt.timedelta(seconds=1)
        if action == "auto_close" else None,
    }


class Rollback(Exception):
    pass


@pytest.mark.parametrize("key", list(MATRIX))
def test_permission_matrix(city, people, key):
    action = key.split("@")[0]
    state, allowed = MATRIX[key]
    complaint = reach(state, city, people)
    args = args_for(action, city, people, complaint)
    for role in ROLES:
        before = fresh(complaint)
        events = Event.objects.filter(complaint=complaint).count()
        actor = actor_for(role, people)
        if role in allowed:
            try:
                with transaction.atomic():
                    perform(complaint.pk, action, actor, expected_state=before.state, **args)
                    raise Rollback
            except Rollback:
                pass
        else:
            with pytest.raises(NotPermitted):
                perform(complaint.pk, action, actor, expected_state=before.state, **args)
            after = fresh(complaint)
            assert (after.state, after.updated_at, after.audit_count) == (
                before.state, before.updated_at, before.audit_count), role
            assert Event.objects.filter(complaint=complaint).count() == events


def test_visibility_follows_responsibility(city, people):
    c = drive(submit(city).complaint, people, city, "triaged")
    sensitive = submit(city, category="bribe_cat").complaint
    assert can_view(people["officer_roads"], c) and can_view(people["supervisor_works"], c)
    assert not can_view(people["officer_health"], c)
    assert can_view(people["triage"], c) and not can_view(people["triage"], fresh(sensitive))
    assert can_view(people["oversight"], fresh(sensitive))
    assert not can_view(people["officer_roads"], fresh(sensitive))
    # The query used by lists agrees with the per-object rule.
    for user in people.values():
        listed = set(Complaint.objects.visible_to(user).values_list("pk", flat=True))
        expected = {x.pk for x in Complaint.objects.all() if can_view(user, x)}
        assert listed == expected, user.username


def test_transferred_complaint_leaves_the_old_units_view(city, people):
    c = drive(submit(city).complaint, people, city, "triaged")
    perform(c, "transfer", ActorRef.staff(people["officer_roads"]), unit=city["health"], reason="Salah")
    assert not can_view(people["officer_roads"], fresh(c))
    assert can_view(people["officer_health"], fresh(c))


def test_level_two_escalation_shows_the_complaint_to_the_parent_unit(city, people):
    from routing.models import Membership

    c = drive(submit(city).complaint, people, city, "triaged")
    parent_officer = people["nobody"]
    Membership.objects.create(user=parent_officer, unit=city["works"], role="officer")
    parent_officer = type(parent_officer).objects.get(pk=parent_officer.pk)
    assert not can_view(parent_officer, fresh(c))
    perform(c, "escalate", ActorRef.system(), level=1)
    perform(c, "escalate", ActorRef.system(), level=2)
    assert can_view(parent_officer, fresh(c))
