"""Dangerous actions (reject, mark duplicate, transfer out) look dangerous and ask to
confirm on a second page that works without JavaScript (issue 14, item 2); messages name
what was done."""

import re

import pytest

from complaints.lifecycle.actions import ACTIONS

from .helpers import act_url, drive, fingerprint, form, fresh, submit, url

pytestmark = pytest.mark.django_db


def unconfirmed(c, **fields):
    data = form(c, **fields)
    del data["confirmed"]
    return data


def test_exactly_reject_duplicate_and_transfer_are_dangerous():
    assert {name for name, a in ACTIONS.items() if a.dangerous} == {"reject", "mark_duplicate", "transfer"}


def test_reject_asks_to_confirm_then_the_confirm_form_alone_does_it(client, city, people):
    c = submit(city).complaint
    client.force_login(people["triage"])
    before = fingerprint(c)
    page = client.post(act_url(c, "reject"), unconfirmed(c, reason="spam", message="Ini iklan."))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="confirm-button"' in html and 'class="danger"' in html and "Ini iklan." in html
    assert fingerprint(c) == before  # nothing happened yet
    # The confirm page is a plain form: post what it holds, as a browser without JS would.
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    hidden.pop("csrfmiddlewaretoken", None)
    assert hidden["confirmed"] == "yes" and hidden["reason"] == "spam"
    done = client.post(act_url(c, "reject"), hidden, follow=True)
    assert fresh(c).state == "rejected"
    assert done.status_code == 200


def test_transfer_asks_to_confirm_and_the_message_names_the_unit(client, city, people):
    c = drive(submit(city).complaint, people, city, "in_progress")
    client.force_login(people["officer_roads"])
    before = fingerprint(c)
    assert client.post(act_url(c, "transfer"), unconfirmed(c, unit="DINKES", reason="Salah unit")).status_code == 200
    assert fingerprint(c) == before
    response = client.post(act_url(c, "transfer"), form(c, unit="DINKES", reason="Salah unit"), follow=True)
    assert fresh(c).responsible_unit.code == "DINKES"
    assert "Transferred to DINKES." in response.content.decode()


def test_routing_names_the_unit(client, city, people):
    c = submit(city).complaint
    client.force_login(people["triage"])
    response = client.post(act_url(c, "triage"), form(c, unit="DPU-JALAN"), follow=True)
    assert "Routed to DPU-JALAN." in response.content.decode()


def test_a_dangerous_action_the_user_may_not_do_gets_no_confirm_page(client, city, people):
    c = submit(city).complaint
    client.force_login(people["officer_roads"])  # not the triage desk: may not even see it
    before = fingerprint(c)
    response = client.post(act_url(c, "reject"), unconfirmed(c, reason="spam", message="x"))
    assert response.status_code in (403, 404)
    assert fingerprint(c) == before


def test_a_wrong_state_is_refused_not_confirmed(client, city, people):
    c = drive(submit(city).complaint, people, city, "triaged")
    client.force_login(people["triage"])
    before = fingerprint(c)
    response = client.post(act_url(c, "reject"), unconfirmed(c, reason="spam", message="x"))
    assert response.status_code in (400, 409)
    assert 'id="confirm-button"' not in response.content.decode()
    assert fingerprint(c) == before


def test_the_action_forms_look_dangerous(client, city, people):
    c = submit(city).complaint
    client.force_login(people["triage"])
    html = client.get(url("complaint", c.tracking_code)).content.decode()
    assert 'class="action card danger" id="action-reject"' in html
    assert 'class="action card danger" id="action-mark_duplicate"' in html
    assert 'class="action card" id="action-note"' in html
