"""The compact complaint page (issue 14, item 4): one action area where every form is closed
until chosen, each action also on a page of its own (GET /staff/complaints/<code>/act/<action>/,
for browsers without JavaScript) posting to the same endpoint, with the same permission
checks; and the timeline shows the citizen's rating comment and appeal reason, masked for
confidential reports."""

import re

import pytest

from complaints.lifecycle.engine import perform
from complaints.permissions import ActorRef

from ..conftest import CITIZEN
from .helpers import act_url, drive, fingerprint, form, fresh, submit, url

NAME = "Siti Rahayu"


def forms_posting(page):
    """The action URLs of the POST forms on a page (the sign-out form in the header aside)."""
    return [action for action in re.findall(r'<form method="post" action="([^"]+)"', page)
            if action.startswith("/staff/")]


def hidden_fields(page):
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))


# --- the per-action page ------------------------------------------------------------------
def test_the_action_page_shows_only_that_form_and_its_form_performs_it(client, city, people):
    c = drive(submit(city).complaint, people, city, "triaged")
    client.force_login(people["officer_roads"])
    response = client.get(act_url(c, "start"))
    page = response.content.decode()
    assert response.status_code == 200
    assert forms_posting(page) == [act_url(c, "start")]  # that form, no other
    assert 'id="action-start"' in page and 'id="action-assign"' not in page and 'id="action-note"' not in page
    assert c.tracking_code in page and "Jalan berlubang besar" in page  # what it is about
    fields = hidden_fields(page)
    assert (fields["expected_state"], fields["expected_version"]) == ("triaged", str(fresh(c).audit_count))
    response = client.post(act_url(c, "start"), {**fields, "csrfmiddlewaretoken": "x"})
    assert response.status_code == 303
    assert response["Location"] == url("complaint", c.tracking_code)
    assert fresh(c).state == "in_progress"


def test_a_form_with_text_on_its_own_page_works_like_on_the_complaint_page(client, city, people):
    c = drive(submit(city).complaint, people, city, "in_progress")
    client.force_login(people["officer_roads"])
    page = client.get(act_url(c, "reply")).content.decode()
    assert forms_posting(page) == [act_url(c, "reply")]
    assert 'name="body"' in page
    response = client.post(act_url(c, "reply"), form(c, body="Tim kami datang besok pagi."))
    assert response.status_code == 303
    assert "Tim kami datang besok pagi." in client.get(url("complaint", c.tracking_code)).content.decode()


def test_a_dangerous_action_on_its_own_page_still_asks_to_confirm(client, city, people):
    c = submit(city).complaint
    client.force_login(people["triage"])
    page = client.get(act_url(c, "reject")).content.decode()
    assert forms_posting(page) == [act_url(c, "reject")]
    assert 'class="danger"' in page
    fields = {k: v for k, v in form(c, reason="spam", message="Iklan.").items() if k != "confirmed"}
    response = client.post(act_url(c, "reject"), fields)
    assert response.status_code == 200 and 'id="confirm-button"' in response.content.decode()
    assert fresh(c).state == "submitted"


def test_the_action_page_of_another_role_is_403_and_changes_nothing(client, city, people):
    c = drive(submit(city).complaint, people, city, "in_progress")
    before = fingerprint(c)
    client.force_login(people["triage"])  # triage sees the complaint but never resolves
    assert client.get(act_url(c, "resolve")).status_code == 403
    client.force_login(people["officer_roads"])  # a unit officer never reveals identities
    assert client.get(act_url(c, "reveal_identity")).status_code == 403
    client.force_login(people["officer_health"])  # may not even see it: its existence is not disclosed
    assert client.get(act_url(c, "resolve")).status_code == 404
    assert fingerprint(c) == before


def test_an_action_not_possible_in_this_state_says_so_and_offers_no_form(client, city, people):
    c = drive(submit(city).complaint, people, city, "triaged")
    before = fingerprint(c)
    client.force_login(people["officer_roads"])
    response = client.get(act_url(c, "resolve"))  # resolving needs "in progress"
    page = response.content.decode()
    assert response.status_code == 409
    assert "is not possible on this complaint now" in page and "Nothing was changed." in page
    assert forms_posting(page) == []
    assert fingerprint(c) == before


@pytest.mark.parametrize("action", ["confirm", "escalate", "auto_close", "no-such-action"])
def test_citizen_system_and_unknown_actions_have_no_page(client, city, people, action):
    c = drive(submit(city).complaint, people, city, "resolved")
    client.force_login(people["officer_roads"])
    assert client.get(act_url(c, action)).status_code == 404


def test_the_action_page_with_absurd_input_in_the_query_changes_nothing(client, city, people):
    c = drive(submit(city).complaint, people, city, "triaged")
    before = fingerprint(c)
    client.force_login(people["triage"])
    response = client.get(act_url(c, "mark_duplicate"), {"dup": "\x00" + "x" * 5000, "queue": "\x00"})
    assert response.status_code in (200, 400)
    assert fingerprint(c) == before


# --- the action area on the complaint page --------------------------------------------------
def test_the_complaint_page_lists_the_actions_with_every_form_closed(client, city, people):
    c = submit(city).complaint
    client.force_login(people["triage"])
    page = client.get(url("complaint", c.tracking_code)).content.decode()
    choices = re.findall(r'<details class="action-choice( danger)?" id="act-([a-z_]+)"( open)?>', page)
    names = [name for _danger, name, _open in choices]
    assert {"triage", "reject", "mark_duplicate", "note"} <= set(names)
    assert all(not opened for _danger, _name, opened in choices)  # no form open by default
    dangerous = {name for danger, name, _open in choices if danger}
    assert dangerous == {"reject", "mark_duplicate"}
    # Each also has its own page, linked from its panel.
    for name in names:
        assert f'href="{act_url(c, name)}"' in page


def test_a_link_or_a_refusal_opens_that_one_form(client, city, people):
    c = drive(submit(city).complaint, people, city, "in_progress")
    client.force_login(people["officer_roads"])
    page = client.get(url("complaint", c.tracking_code) + "?open=reply").content.decode()
    assert '<details class="action-choice" id="act-reply" open>' in page
    assert page.count("<details class=\"action-choice") - page.count(" open>") >= 1
    response = client.post(act_url(c, "resolve"), form(c, outcome="fixed", summary=""))
    assert response.status_code == 400
    page = response.content.decode()
    assert '<details class="action-choice" id="act-resolve" open>' in page
    assert re.findall(r'id="act-([a-z_]+)" open>', page) == ["resolve"]
    page = client.get(url("complaint", c.tracking_code) + "?open=reveal_identity").content.decode()
    assert " open>" not in page  # not one of this user's actions: nothing opens


def test_a_privacy_officer_who_revealed_is_not_offered_to_reveal_again(client, city, people):
    c = submit(city, identity_mode="confidential").complaint
    client.force_login(people["privacy"])
    assert 'id="act-reveal_identity"' in client.get(url("complaint", c.tracking_code)).content.decode()
    perform(fresh(c), "reveal_identity", ActorRef.staff(people["privacy"]), reason="Saksi untuk pemeriksaan.")
    page = client.get(url("complaint", c.tracking_code)).content.decode()
    assert 'id="act-reveal_identity"' not in page and NAME in page


# --- the citizen's words in the timeline ----------------------------------------------------
def _appealed_and_rated(city, people, **filing):
    c = drive(submit(city, **filing).complaint, people, city, "resolved")
    c = perform(c, "reopen", CITIZEN, reason=f"Belum selesai. Saya {NAME}, lubangnya masih ada.")
    officer = ActorRef.staff(people["officer_roads"])
    c = perform(c, "resolve", officer, outcome="fixed", summary="Ditambal ulang.")
    return perform(c, "confirm", CITIZEN, rating=3, comment=f"Lama sekali. Hormat saya, {NAME}.")


def test_the_timeline_shows_the_appeal_reason_and_the_rating_comment(client, city, people):
    c = _appealed_and_rated(city, people)
    client.force_login(people["officer_roads"])
    page = client.get(url("complaint", c.tracking_code)).content.decode()
    assert f"Belum selesai. Saya {NAME}, lubangnya masih ada." in page
    assert page.count("lubangnya masih ada") == 1  # once, labelled, not again as a bare message
    assert "Appeal reason" in page
    assert "Rating comment" in page and f"Lama sekali. Hormat saya, {NAME}." in page
    assert "3 of 5" in page


def test_the_appeal_reason_and_rating_comment_are_masked_for_a_confidential_report(client, city, people):
    c = _appealed_and_rated(city, people, identity_mode="confidential")
    for who in ("officer_roads", "triage", "oversight"):
        client.force_login(people[who])
        page = client.get(url("complaint", c.tracking_code)).content.decode()
        assert "Rahayu" not in page and "Siti" not in page, who
        assert "lubangnya masih ada" in page and "Lama sekali" in page, who
