"""Every role against every staff page and every staff action, with exact status codes.

Roles: an anonymous visitor, a signed-in citizen, triage, an officer of the unit holding
the complaint (roads), an officer of another unit (health), the supervisor above roads,
oversight and a privacy officer. A refusal must change nothing at all."""

import pytest
from django.db import transaction

from areas.models import Area
from complaints.models import Attachment

from .helpers import act_url, drive, fingerprint, form, fresh, submit, url

ROLES = ["anonymous", "citizen", "triage", "officer_roads", "officer_health",
         "supervisor_works", "oversight", "privacy"]
STAFF = ROLES[2:]


def client_for(client, people, role):
    if role == "anonymous":
        return client
    client.force_login(people["nobody" if role == "citizen" else role])
    return client


def expected_status(table, role):
    if role == "anonymous":
        return 302
    if role == "citizen":
        return 403
    return table.get(role, table.get("*"))


# page -> {role: status} ("*" = every other staff role)
PAGES = {
    "home": {"*": 302},
    "triage": {"triage": 200, "*": 403},
    "inbox": {"officer_roads": 200, "officer_health": 200, "supervisor_works": 200,
              "oversight": 200, "*": 403},
    "oversight": {"oversight": 200, "privacy": 200, "*": 403},
    "performance": {"*": 302},  # moved: dashboard.staff_views (tests/dashboard/test_staff_performance.py)
    "complaint": {"officer_health": 404, "*": 200},
    "audit": {"oversight": 200, "privacy": 200, "officer_health": 404, "*": 403},
    "attachment": {"officer_health": 404, "*": 200},
}


@pytest.fixture
def routed(city, people, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    c = drive(submit(city).complaint, people, city, "triaged")
    from django.core.files.base import ContentFile

    item = Attachment(complaint=c, content_type="image/png", size=4)
    item.file.save("x.png", ContentFile(b"\x89PNG"), save=True)
    c.attachment = item
    return c


@pytest.mark.parametrize("page", list(PAGES))
def test_every_role_gets_the_exact_status_on_every_page(client, people, routed, page):
    args = {"complaint": [routed.tracking_code], "audit": [routed.tracking_code],
            "attachment": [routed.tracking_code, routed.attachment.pk]}.get(page, [])
    for role in ROLES:
        client.logout()
        response = client_for(client, people, role).get(url(page, *args))
        assert response.status_code == expected_status(PAGES[page], role), (page, role)
        if role == "anonymous":
            assert response["Location"].startswith("/accounts/login/")


# action key -> (state to reach, roles allowed, status for the others that can view)
ACTIONS = {
    "triage": ("submitted", {"triage"}),
    "request_info@submitted": ("submitted", {"triage"}),
    "reject": ("submitted", {"triage"}),
    "mark_duplicate": ("submitted", {"triage"}),
    "recategorise": ("submitted", {"triage"}),
    "set_area": ("submitted", {"triage"}),
    "approve_summary": ("submitted", {"triage"}),
    "start": ("triaged", {"officer_roads", "supervisor_works"}),
    "request_info@triaged": ("triaged", {"officer_roads", "supervisor_works"}),
    "assign": ("triaged", {"officer_roads", "supervisor_works"}),
    "reply": ("triaged", {"officer_roads", "supervisor_works"}),
    "note": ("triaged", {"officer_roads", "supervisor_works", "triage", "oversight"}),
    "transfer": ("in_progress", {"officer_roads", "supervisor_works", "triage"}),
    "resolve": ("in_progress", {"officer_roads", "supervisor_works"}),
    "reopen_on_appeal": ("closed", {"oversight"}),
    "reveal_identity": ("confidential", {"privacy"}),
}
# Who may open the complaint at all in each of those states (the others get 404).
CAN_VIEW = {
    "submitted": {"triage", "oversight", "privacy"},
    "confidential": {"triage", "oversight", "privacy"},
    "triaged": {"triage", "officer_roads", "supervisor_works", "oversight", "privacy"},
    "in_progress": {"triage", "officer_roads", "supervisor_works", "oversight", "privacy"},
    "closed": {"triage", "officer_roads", "supervisor_works", "oversight", "privacy"},
}


def reach(state, city, people):
    if state == "confidential":
        return submit(city, identity_mode="confidential").complaint
    return drive(submit(city).complaint, people, city, state)


def fields_for(action, role, city, people, other):
    acting = people.get(role)
    return {
        "triage": {"unit": "DPU-JALAN"},
        "request_info": {"message": "Di mana tepatnya?"},
        "reject": {"reason": "spam", "message": "Iklan."},
        "mark_duplicate": {"duplicate_of": other.tracking_code},
        "recategorise": {"category": "PUSKESMAS"},
        "set_area": {"area": Area.objects.get_or_create(code="99.01", defaults={"name": "Kota", "level": "kecamatan"})[0].code},
        "approve_summary": {"public_title": "Jalan berlubang", "public_summary": "Lubang besar.", "publish": "on"},
        "assign": {"assignee": str((acting if role == "officer_roads" else people["officer_roads"]).pk)},
        "start": {},
        "reply": {"body": "Kami cek besok."},
        "note": {"body": "Catatan internal."},
        "transfer": {"unit": "DINKES", "reason": "Salah unit."},
        "resolve": {"outcome": "fixed", "summary": "Sudah ditambal."},
        "reopen_on_appeal": {"reason": "Banding warga diterima."},
        "reveal_identity": {"reason": "Perlu konfirmasi saksi."},
    }[action]


class Rollback(Exception):
    pass


@pytest.mark.parametrize("key", list(ACTIONS))
def test_every_role_gets_the_exact_status_on_every_action(client, city, people, key):
    action = key.split("@")[0]
    state, allowed = ACTIONS[key]
    complaint = reach(state, city, people)
    other = submit(city).complaint
    for role in ROLES:
        client.logout()
        client = client_for(client, people, role)
        data = form(complaint, **fields_for(action, role, city, people, other))
        before = fingerprint(complaint)
        if role in allowed:
            try:
                with transaction.atomic():
                    response = client.post(act_url(complaint, action), data)
                    assert response.status_code == 303, (key, role, response.content[:2000])
                    assert fresh(complaint).audit_count == before[2] + 1, (key, role)
                    raise Rollback
            except Rollback:
                pass
            continue
        response = client.post(act_url(complaint, action), data)
        if role in ("anonymous", "citizen"):
            expected = 302 if role == "anonymous" else 403
        else:
            expected = 403 if role in CAN_VIEW[state] else 404
        assert response.status_code == expected, (key, role)
        assert fingerprint(complaint) == before, (key, role)


@pytest.mark.parametrize("action", ["escalate", "auto_close", "confirm", "provide_info", "rate", "nonsense"])
def test_system_and_citizen_actions_do_not_exist_on_staff_pages(client, city, people, action):
    complaint = drive(submit(city).complaint, people, city, "triaged")
    before = fingerprint(complaint)
    for role in STAFF:
        client.force_login(people[role])
        response = client.post(act_url(complaint, action), form(complaint, level="1", message="x"))
        assert response.status_code == 404, (action, role)
    assert fingerprint(complaint) == before


def test_actions_answer_405_to_other_methods_and_get_changes_nothing(client, city, people):
    """GET shows the action's own page (tests/staff/test_action_pages.py); it never performs it."""
    complaint = drive(submit(city).complaint, people, city, "triaged")
    client.force_login(people["officer_roads"])
    before = fingerprint(complaint)
    assert client.put(act_url(complaint, "start")).status_code == 405
    assert client.delete(act_url(complaint, "start")).status_code == 405
    assert client.get(act_url(complaint, "start")).status_code == 200
    assert fingerprint(complaint) == before


def test_bulk_routing_is_for_triage_only(client, city, people):
    complaint = submit(city).complaint
    data = {"unit": "DPU-JALAN", "selected": [complaint.tracking_code],
            f"version_{complaint.tracking_code}": str(complaint.audit_count)}
    before = fingerprint(complaint)
    for role in ROLES:
        client.logout()
        if role == "triage":
            continue
        response = client_for(client, people, role).post(url("triage_bulk"), data)
        assert response.status_code == (302 if role == "anonymous" else 403), role
        assert fingerprint(complaint) == before
