"""Who reads a complaint's text masked, and that everything of its text is masked then
(issue 11, item 10 and "Also"): oversight reads the address and media link masked like
the title and description; the handlers of confidential and anonymous reports read
phone numbers, NIK, e-mail addresses, links and the reporter's stored name masked in the
title, description, address, the citizen's messages and event texts."""

import pytest

from complaints.lifecycle.engine import perform

from ..conftest import CITIZEN
from .helpers import as_staff, drive, submit, url

NAME = "Wulandari Prasetyaningsih"
EMAIL = "wulan.pras@pribadi.example"
PHONE = "0813-5566-7788"
NIK = "3374015507800002"
MEDIA = "https://drive.example.net/u/wulan.pras/lubang.jpg"
CONTACTS = (EMAIL, PHONE, "5566-7788", NIK, MEDIA, "drive.example.net")


def report(city, mode, **kw):
    return submit(
        city, identity_mode=mode, reporter_name=NAME, reporter_email=EMAIL, reporter_phone=PHONE,
        title=f"Lubang depan rumah, hubungi {PHONE}",
        description=f"Saya {NAME} (NIK {NIK}), e-mail {EMAIL}. Lubang besar di depan rumah saya.",
        address=f"Jl. Kenari 4, rumah {NAME}, HP {PHONE}", media_url=MEDIA, **kw).complaint


def page(client, user, c, path="complaint"):
    client.force_login(user)
    response = client.get(url(path, c.tracking_code) if path else c)
    assert response.status_code == 200
    return response.content.decode()


def test_oversight_reads_the_address_and_media_link_masked(client, city, people):
    c = drive(report(city, "named"), people, city, "triaged")
    html = page(client, people["oversight"], c)
    for secret in CONTACTS + (NAME, "Wulandari"):
        assert secret not in html, secret
    assert "Jl. Kenari 4, rumah [name], HP [phone]" in html
    assert "[url]" in html.split('id="media-link"', 1)[1].split("</p>", 1)[0]
    # Handlers of a named report read it as written (they need to call the reporter back).
    html = page(client, people["officer_roads"], c)
    assert f"Jl. Kenari 4, rumah {NAME}, HP {PHONE}" in html and MEDIA in html


@pytest.mark.parametrize("mode", ["confidential", "anonymous"])
def test_handlers_of_protected_reports_read_contact_details_masked(client, city, people, mode):
    c = report(city, mode)
    triage_html = page(client, people["triage"], c) + page(client, people["triage"], url("triage"), path=None)
    c = perform(c, "triage", as_staff(people["triage"]), unit=city["roads"])
    officer = as_staff(people["officer_roads"])
    c = perform(c, "request_info", officer, message="Nomor rumah berapa?")
    c = perform(c, "provide_info", CITIZEN, message=f"Nomor 4. Telepon saja {PHONE} atau {EMAIL}, saya {NAME}.")
    c = perform(c, "reply", officer, body=f"Terima kasih Ibu {NAME.split()[0]}, tim datang besok.")
    c = perform(c, "start", officer)
    c = perform(c, "resolve", officer, outcome="fixed", summary=f"Sudah ditambal di depan rumah {NAME}.")
    # A name is masked where it is stored (confidential). An anonymous reporter's name is
    # stored nowhere, so a name typed into the text cannot be recognised: the report
    # form's warning asks them not to.
    names = (NAME, "Wulandari", "Prasetyaningsih") if mode == "confidential" else ()
    for role in ("officer_roads", "supervisor_works", "oversight"):
        html = page(client, people[role], c)
        inbox = page(client, people[role], url("inbox") + "?status=all", path=None) if role != "oversight" else ""
        for text in (html, inbox, triage_html):
            for secret in CONTACTS + names:
                assert secret not in text, (role, secret)
        assert "[phone]" in html and "[email]" in html and "[NIK]" in html and "[url]" in html
        assert ("[name]" in html) == (mode == "confidential")
        assert "masked for you" in html
    # The oversight body's audit page masks the event texts by the same rule.
    audit = page(client, people["oversight"], c, path="audit")
    for secret in CONTACTS + names:
        assert secret not in audit


def test_a_privacy_officer_reads_a_confidential_report_unmasked_only_after_the_audited_reveal(client, city, people):
    c = report(city, "confidential")
    html = page(client, people["privacy"], c)
    assert PHONE not in html and NIK not in html
    perform(c, "reveal_identity", as_staff(people["privacy"]), reason="Saksi kunci.")
    html = page(client, people["privacy"], c)
    assert PHONE in html and NIK in html and NAME in html


def test_list_titles_follow_the_same_rule(client, city, people):
    protected = report(city, "confidential")
    named = report(city, "named")
    html = page(client, people["triage"], url("triage"), path=None)
    assert f"Lubang depan rumah, hubungi {PHONE}" in html  # the named report, read by triage
    assert html.count("Lubang depan rumah, hubungi [phone]") >= 1  # the confidential one
    assert protected.tracking_code in html and named.tracking_code in html
    # The duplicate search on another complaint's page shows titles by the same rule.
    other = submit(city).complaint
    html = page(client, people["triage"], url("complaint", other.tracking_code) + "?dup=Lubang depan", path=None)
    assert "Lubang depan rumah, hubungi [phone]" in html and f"hubungi {PHONE}" in html
