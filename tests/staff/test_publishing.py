"""Routing never publishes; publishing is one explicit, ticked step on a form that shows
the exact text (issue 11, item 4)."""

import re

import pytest

from complaints.models import Complaint
from complaints.lifecycle.engine import perform
from complaints.lifecycle.errors import IllegalTransition

from .helpers import act_url, as_staff, fingerprint, form, fresh, submit, url

NAME = "Bambang Sutrisno"
DESCRIPTION = f"Saya {NAME}, rumah saya di Jl. Kenanga 9 tergenang, hubungi 0812-7777-8888."


def suggested(city, **kw):
    c = submit(city, reporter_name=NAME, description=DESCRIPTION, **kw).complaint
    Complaint.objects.filter(pk=c.pk).update(suggested_units=[["DPU-JALAN", 0.91]])
    return fresh(c)


def assert_nothing_published(client, c):
    c = fresh(c)
    assert c.state == "triaged"
    assert c.public_summary_approved_at is None and (c.public_title, c.public_summary) == ("", "")
    for path in ("/complaints/", "/open311/v2/requests.json"):
        assert c.tracking_code not in client.get(path).content.decode()
    for path in (f"/complaints/{c.tracking_code}/", f"/open311/v2/requests/{c.tracking_code}.json"):
        assert client.get(path).status_code == 404


def post_form(client, page_html, form_selector_action, extra=None):
    """Post a form of the page exactly as rendered: its hidden and filled inputs."""
    block = page_html.split(f'action="{form_selector_action}"', 1)[1].split("</form>", 1)[0]
    data = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', block))
    data.update(extra or {})
    return client.post(form_selector_action, data)


def test_accepting_the_suggestion_on_the_complaint_page_does_not_publish(client, city, people):
    c = suggested(city)
    client.force_login(people["triage"])
    html = client.get(url("complaint", c.tracking_code)).content.decode()
    # The one-click form carries only the unit (and the version it was made from).
    first_form = html.split('id="action-triage"', 1)[1].split("</form>", 1)[0]
    assert "public_title" not in first_form and "public_summary" not in first_form
    response = post_form(client, html, act_url(c, "triage"))
    assert response.status_code == 303
    assert_nothing_published(client, c)


def test_the_full_triage_form_has_no_summary_and_ignores_one_posted(client, city, people):
    c = suggested(city)
    client.force_login(people["triage"])
    html = client.get(url("complaint", c.tracking_code)).content.decode()
    triage_section = html.split('id="action-triage"', 1)[1].split("</section>", 1)[0]
    assert 'name="public_summary"' not in triage_section
    response = client.post(act_url(c, "triage"), form(c, unit="DPU-JALAN", public_title="Banjir",
                                                      public_summary=DESCRIPTION))
    assert response.status_code == 303
    assert_nothing_published(client, c)


def test_the_triage_queue_and_bulk_routing_do_not_publish(client, city, people):
    one, two = suggested(city), suggested(city)
    client.force_login(people["triage"])
    client.post(act_url(one, "triage"), {"expected_state": "submitted", "expected_version": one.audit_count,
                                         "unit": "DPU-JALAN"})
    client.post(url("triage_bulk"), {"unit": "suggested", "selected": [two.tracking_code],
                                     f"version_{two.tracking_code}": str(two.audit_count)})
    assert_nothing_published(client, one)
    assert_nothing_published(client, two)


def test_the_publish_form_shows_the_exact_text_and_is_off_by_default(client, city, people):
    c = suggested(city, media_url="https://foto.example.net/banjir.jpg")
    client.force_login(people["triage"])
    client.post(act_url(c, "triage"), form(c, unit="DPU-JALAN"))
    html = client.get(url("complaint", c.tracking_code)).content.decode()
    section = html.split('id="action-approve_summary"', 1)[1].split("</section>", 1)[0]
    # Prefilled from the citizen's words with contact details and the reporter's name masked;
    # the location text starts empty; nothing is ticked.
    assert "Saya [name], rumah saya di Jl. Kenanga 9 tergenang, hubungi [phone]." in section
    assert NAME not in section and "Bambang" not in section
    assert re.search(r'name="public_location"[^>]*value=""', section)
    assert "https://foto.example.net/banjir.jpg" in section
    assert re.search(r'<input type="checkbox" id="sum-publish" name="publish" required>', section)
    assert re.search(r'<input type="checkbox" id="sum-media" name="publish_media">', section)


def test_publishing_needs_the_explicit_tick_and_publishes_exactly_what_was_approved(client, city, people):
    c = suggested(city, media_url="https://foto.example.net/banjir.jpg")
    client.force_login(people["triage"])
    client.post(act_url(c, "triage"), form(c, unit="DPU-JALAN"))
    text = {"public_title": "Genangan di Jl. Kenanga", "public_summary": "Jalan tergenang setelah hujan.",
            "public_location": "Jl. Kenanga"}
    before = fingerprint(c)
    response = client.post(act_url(c, "approve_summary"), form(c, **text))
    assert response.status_code == 400 and "Tick" in response.content.decode()
    assert fingerprint(c) == before and fresh(c).public_summary_approved_at is None
    response = client.post(act_url(c, "approve_summary"), form(c, publish="on", **text))
    assert response.status_code == 303
    c = fresh(c)
    assert (c.public_title, c.public_summary, c.public_location, c.public_media_approved) == (
        "Genangan di Jl. Kenanga", "Jalan tergenang setelah hujan.", "Jl. Kenanga", False)
    (request,) = client.get(f"/open311/v2/requests/{c.tracking_code}.json").json()
    assert (request["description"], request["address"], request["media_url"]) == (
        "Jalan tergenang setelah hujan.", "Jl. Kenanga", None)
    assert "Genangan di Jl. Kenanga" in client.get("/complaints/").content.decode()


@pytest.mark.parametrize("case", ["private", "sensitive", "rejected", "duplicate"])
def test_publishing_is_offered_and_possible_only_where_it_can_happen(client, city, people, case):
    triage = as_staff(people["triage"])
    if case == "private":
        c = submit(city, visibility="private").complaint
    elif case == "sensitive":
        c = submit(city, category="bribe_cat").complaint
    elif case == "rejected":
        c = perform(submit(city).complaint, "reject", triage, reason="spam", message="Iklan.")
    else:
        original = submit(city).complaint
        c = perform(submit(city).complaint, "mark_duplicate", triage, duplicate_of=original.tracking_code)
    user = people["oversight"] if case == "sensitive" else people["triage"]
    client.force_login(user)
    html = client.get(url("complaint", c.tracking_code)).content.decode()
    assert 'id="action-approve_summary"' not in html
    with pytest.raises(IllegalTransition):
        perform(c, "approve_summary", as_staff(people["admin"]), publish=True,
                public_title="Judul", public_summary="Ringkasan.")
    assert fresh(c).public_summary_approved_at is None
