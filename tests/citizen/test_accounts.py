"""Optional citizen accounts: sign-up with e-mail and password, and "my reports"."""

import pytest
from django.contrib.auth.models import User

from complaints.models import Complaint

from .conftest import form_data


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"


def test_signup_creates_an_account_and_signs_in(client, db):
    response = client.post("/accounts/signup/", {
        "email": "Rina@Example.com", "password1": "kopi-susu-2024!", "password2": "kopi-susu-2024!"})
    assert response.status_code == 302 and response["Location"] == "/my/complaints/"
    user = User.objects.get()
    assert user.username == user.email == "rina@example.com"
    assert client.get("/my/complaints/").status_code == 200


@pytest.mark.parametrize("data, field", [
    ({"email": "not-an-email", "password1": "kopi-susu-2024!", "password2": "kopi-susu-2024!"}, "email"),
    ({"email": "a@example.com", "password1": "kopi-susu-2024!", "password2": "other-pass-2024"}, "password2"),
    ({"email": "a@example.com", "password1": "12345678", "password2": "12345678"}, "password1"),
])
def test_signup_bad_input_is_refused(client, db, data, field):
    response = client.post("/accounts/signup/", data)
    assert response.status_code == 400
    assert f'id="id_{field}-error"' in response.content.decode()
    assert not User.objects.exists()


def test_signup_with_an_existing_email_is_refused(client, people):
    User.objects.create_user("rina@example.com", "rina@example.com", "x")
    response = client.post("/accounts/signup/", {
        "email": "rina@example.com", "password1": "kopi-susu-2024!", "password2": "kopi-susu-2024!"})
    assert response.status_code == 400 and User.objects.filter(email="rina@example.com").count() == 1


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
