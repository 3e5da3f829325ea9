"""Reporter identity on staff pages: named reporters are shown to those who handle the
complaint; confidential and anonymous reporters never appear for anyone but a privacy
officer after an audited reveal (and anonymous ones are not stored at all)."""

import pytest

from complaints.models import Event

from .helpers import act_url, as_staff, drive, form, fresh, submit, url
from complaints.lifecycle.engine import perform

NAME, EMAIL, PHONE = "Kartini Wijayakusuma", "kartini.w@example.org", "0813-9988-7766"
IDENTITY = {"reporter_name": NAME, "reporter_email": EMAIL, "reporter_phone": PHONE}
NON_PRIVACY = ["triage", "officer_roads", "officer_roads2", "supervisor_works", "officer_health",
               "oversight", "admin"]


def pages_for(c):
    return [url("triage"), url("inbox"), url("oversight") + "?list=all", "/staff/dashboard/performance/?period=365d",
            url("complaint", c.tracking_code), url("audit", c.tracking_code),
            url("oversight") + f"?list=all&q={c.tracking_code}"]


def assert_no_identity(client, user, complaint):
    client.force_login(user)
    for page in pages_for(complaint):
        response = client.get(page)
        html = response.content.decode()
        for secret in (NAME, EMAIL, PHONE, "Kartini"):
            assert secret not in html, (user.username, page, secret)


@pytest.mark.parametrize("mode", ["confidential", "anonymous"])
@pytest.mark.parametrize("state", ["submitted", "in_progress", "resolved"])
def test_protected_identity_never_appears_for_non_privacy_roles(client, city, people, mode, state):
    c = drive(submit(city, identity_mode=mode, **IDENTITY).complaint, people, city, state)
    perform(c, "note", as_staff(people["oversight"]), body="Catatan pengawasan.")
    for role in NON_PRIVACY:
        assert_no_identity(client, people[role], c)


def test_sensitive_report_never_names_the_reporter_even_if_filed_as_named(client, city, people):
    c = submit(city, category="bribe_cat", identity_mode="named", **IDENTITY).complaint
    for role in NON_PRIVACY:
        assert_no_identity(client, people[role], c)


def test_named_reporter_is_shown_to_handlers_and_triage(client, city, people):
    c = drive(submit(city, **IDENTITY).complaint, people, city, "triaged")
    for role in ("triage", "officer_roads", "supervisor_works", "privacy"):
        client.force_login(people[role])
        html = client.get(url("complaint", c.tracking_code)).content.decode()
        assert NAME in html and EMAIL in html and PHONE in html, role


def test_oversight_reads_named_complaints_with_personal_data_withheld(client, city, people):
    c = drive(submit(city, description=f"Lubang besar, hubungi saya di {EMAIL} atau {PHONE} ya.",
                     **IDENTITY).complaint, people, city, "triaged")
    client.force_login(people["oversight"])
    html = client.get(url("complaint", c.tracking_code)).content.decode()
    assert NAME not in html and EMAIL not in html and PHONE not in html
    assert "withheld from oversight" in html
    assert "[email]" in html and "[phone]" in html


def test_privacy_officer_reveals_a_confidential_identity_with_a_reason(client, city, people):
    c = submit(city, identity_mode="confidential", **IDENTITY).complaint
    client.force_login(people["privacy"])
    page = client.get(url("complaint", c.tracking_code)).content.decode()
    assert NAME not in page and "Identity protected" in page
    # A reveal without a reason is refused and changes nothing.
    response = client.post(act_url(c, "reveal_identity"), form(c, reason=""))
    assert response.status_code == 400
    assert not Event.objects.filter(complaint=c, action="reveal_identity").exists()
    response = client.post(act_url(c, "reveal_identity"), form(c, reason="Saksi kunci; perlu dihubungi."))
    assert response.status_code == 303
    page = client.get(url("complaint", c.tracking_code)).content.decode()
    assert NAME in page and EMAIL in page and PHONE in page
    assert "revealed to you" in page
    event = Event.objects.get(complaint=c, action="reveal_identity")
    assert event.actor_user == people["privacy"] and event.personal["reason"].startswith("Saksi")
    # Oversight sees that the reveal happened (and why), but still not the identity.
    client.force_login(people["oversight"])
    page = client.get(url("complaint", c.tracking_code)).content.decode()
    assert "reveal_identity" in page and "Saksi kunci" in page and NAME not in page
    # The triage desk sees neither the identity nor the reveal.
    client.force_login(people["triage"])
    page = client.get(url("complaint", c.tracking_code)).content.decode()
    assert NAME not in page and "reveal_identity" not in page


def test_a_reveal_by_one_privacy_officer_does_not_show_the_identity_to_another(client, city, people):
    from ..conftest import make_user

    other = make_user("privacy2", groups=["privacy_officer"])
    c = submit(city, identity_mode="confidential", **IDENTITY).complaint
    perform(c, "reveal_identity", as_staff(people["privacy"]), reason="Perlu.")
    client.force_login(other)
    page = client.get(url("complaint", c.tracking_code)).content.decode()
    assert NAME not in page and "Identity protected" in page


def test_anonymous_reporters_have_no_identity_to_reveal(client, city, people):
    c = fresh(submit(city, identity_mode="anonymous", **IDENTITY).complaint)
    assert (c.reporter_name, c.reporter_email, c.reporter_phone) == ("", "", "")
    client.force_login(people["privacy"])
    page = client.get(url("complaint", c.tracking_code)).content.decode()
    assert "Anonymous reporter" in page and 'id="action-reveal_identity"' not in page
    response = client.post(act_url(c, "reveal_identity"), form(c, reason="Coba."))
    assert response.status_code == 409
