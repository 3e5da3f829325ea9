"""Optional citizen accounts: sign-up by a link sent by e-mail (the same answer whether
or not the address has an account), and "my reports"."""

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail

from complaints import outbox
from complaints.citizen import accounts
from complaints.models import Complaint

from .conftest import form_data

PASSWORD = "kopi-susu-2024!"


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"


def sign_up(client, email):
    response = client.post("/accounts/signup/", {"email": email})
    outbox.send_pending()
    return response


def last_mail_to(address):
    (message,) = [m for m in mail.outbox if m.to == [address]]
    return message


def confirm_link(message):
    return re.search(r"https://aduan\.example(/accounts/signup/confirm/\?s=\S+)", message.body).group(1)


def choose_password(client, link, password=PASSWORD, again=None):
    return client.post("/accounts/signup/confirm/", {
        "s": link.split("?s=")[1], "password1": password, "password2": again or password})


def test_signup_creates_the_account_when_the_emailed_link_is_used_and_signs_in(client, db):
    response = sign_up(client, "Rina@Example.com")
    assert response.status_code == 302 and response["Location"] == "/accounts/signup/sent/"
    assert "Check your e-mail" in client.get(response["Location"]).content.decode()
    assert not User.objects.exists()  # nothing exists before the link is used
    link = confirm_link(last_mail_to("rina@example.com"))
    form = client.get(link)
    assert form.status_code == 200 and "rina@example.com" in form.content.decode()
    assert not User.objects.exists()  # opening the link changes nothing
    response = choose_password(client, link)
    assert response.status_code == 302 and response["Location"] == "/my/complaints/"
    user = User.objects.get()
    assert user.username == user.email == "rina@example.com" and user.is_active
    assert user.check_password(PASSWORD)
    assert client.get("/my/complaints/").status_code == 200


def test_signup_with_a_bad_address_is_refused(client, db):
    response = client.post("/accounts/signup/", {"email": "not-an-email"})
    assert response.status_code == 400
    assert 'id="id_email-error"' in response.content.decode()
    assert not User.objects.exists() and not mail.outbox and not outbox.Notification.objects.exists()


@pytest.mark.parametrize("password, again, field", [
    (PASSWORD, "other-pass-2024", "password2"),
    ("12345678", "12345678", "password1"),
])
def test_a_bad_password_on_the_link_page_is_refused(client, db, password, again, field):
    sign_up(client, "a@example.com")
    link = confirm_link(last_mail_to("a@example.com"))
    response = choose_password(client, link, password, again)
    assert response.status_code == 400
    assert f'id="id_{field}-error"' in response.content.decode()
    assert not User.objects.exists()
    assert choose_password(client, link).status_code == 302  # the link still works


def answer(client, email):
    """The status, redirect and page a visitor sees, without the CSRF token."""
    response = client.post("/accounts/signup/", {"email": email})
    page = client.get(response["Location"])
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page.content.decode())
    return response.status_code, response["Location"], page.status_code, html


def test_signup_answers_the_same_for_new_registered_and_staff_addresses(client, people):
    User.objects.create_user("rina@example.com", "rina@example.com", "x")
    new = answer(client, "new@example.com")
    assert new[0] == 302
    assert answer(client, "rina@example.com") == new
    assert answer(client, "RINA@example.com") == new
    assert answer(client, people["triage"].email) == new  # a staff member's address
    assert User.objects.filter(email__iexact="rina@example.com").count() == 1
    assert User.objects.get(username="rina@example.com").check_password("x")  # unchanged


def test_the_mail_tells_a_new_address_how_to_create_and_a_registered_one_how_to_sign_in(client, people):
    User.objects.create_user("rina@example.com", "rina@example.com", "x")
    for address in ("new@example.com", "rina@example.com", people["triage"].email):
        sign_up(client, address)
    created = last_mail_to("new@example.com")
    assert "/accounts/signup/confirm/?s=" in created.body and "choose your password" in created.body
    assert "already has an account" not in created.body
    for address in ("rina@example.com", people["triage"].email):
        told = last_mail_to(address)
        assert "already has an account" in told.body
        assert "https://aduan.example/accounts/login/" in told.body
        assert "https://aduan.example/accounts/password_reset/" in told.body
        assert "/accounts/signup/confirm/" not in told.body
        assert told.subject == created.subject
    # The outbox keeps no link once sent.
    assert all(n.body == "" for n in outbox.Notification.objects.all())


def test_a_used_link_is_refused_and_changes_nothing(client, db):
    sign_up(client, "rina@example.com")
    link = confirm_link(last_mail_to("rina@example.com"))
    assert choose_password(client, link).status_code == 302
    other = type(client)()
    assert other.get(link).status_code == 404
    response = choose_password(other, link, "another-pass-2024")
    assert response.status_code == 404 and "does not work" in response.content.decode()
    user = User.objects.get()
    assert user.check_password(PASSWORD) and not user.check_password("another-pass-2024")


def test_a_tampered_or_expired_link_is_refused(client, db, monkeypatch):
    sign_up(client, "rina@example.com")
    link = confirm_link(last_mail_to("rina@example.com"))
    signed = link.split("?s=")[1]
    tampered = "/accounts/signup/confirm/?s=" + signed.replace(signed[2], "A" if signed[2] != "A" else "B", 1)
    assert client.get(tampered).status_code == 404
    assert choose_password(client, tampered).status_code == 404
    forged = "/accounts/signup/confirm/?s=" + accounts.signing.dumps("mallory@example.com", salt="other")
    assert choose_password(client, forged).status_code == 404
    import time

    later = time.time() + accounts.SIGNUP_LINK_HOURS * 3600 + 1
    monkeypatch.setattr(time, "time", lambda: later)
    assert choose_password(client, link).status_code == 404
    assert not User.objects.exists()


def test_signup_mails_per_connection_are_limited(client, db):
    for n in range(accounts.SIGNUP_MAILS_PER_HOUR):
        assert client.post("/accounts/signup/", {"email": f"p{n}@example.com"}).status_code == 302
    response = client.post("/accounts/signup/", {"email": "one-more@example.com"})
    assert response.status_code == 429 and "No e-mail was sent" in response.content.decode()
    assert outbox.Notification.objects.count() == accounts.SIGNUP_MAILS_PER_HOUR


def test_my_complaints_lists_own_named_and_confidential_reports_never_anonymous(client, city, people):
    me = people["nobody"]
    client.force_login(me)
    client.post("/report/", form_data(city, title="Mine named"))
    client.post("/report/", form_data(city, title="Mine confidential", identity_mode="confidential"))
    client.post("/report/", form_data(city, title="Mine anonymous", identity_mode="anonymous"))
    client.force_login(people["triage"])
    client.post("/report/", form_data(city, title="Someone else"))
    client.force_login(me)
    html = client.get("/my/complaints/").content.decode()
    assert "Mine named" in html and "Mine confidential" in html
    assert "Mine anonymous" not in html and "Someone else" not in html
    assert Complaint.objects.count() == 4


def test_my_complaints_needs_sign_in(client, db):
    response = client.get("/my/complaints/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
