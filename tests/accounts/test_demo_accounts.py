"""The demo accounts keep working in `make run`: those that must use a second factor get
the published demo TOTP secret, and sign in through the real two steps."""

import base64

import pytest
from django.core.management import call_command
from django.test import Client
from django_otp.oath import totp

from complaints.management.demo_data import DEMO_TOTP_SECRET


@pytest.mark.django_db
def test_seeded_demo_accounts_sign_in_with_the_published_code(capsys):
    call_command("seed_demo", complaints=5, allow_production=True)
    out = capsys.readouterr().out
    assert DEMO_TOTP_SECRET in out and "privacy" in out
    code = f"{totp(base64.b32decode(DEMO_TOTP_SECRET)):06d}"
    for username in ("privacy", "oversight", "supervisor", "admin"):
        client = Client()
        response = client.post("/accounts/login/", {"username": username, "password": "aduan-demo"})
        assert response["Location"].startswith("/accounts/two-factor/?"), username
        assert client.post("/accounts/two-factor/", {"code": code}).status_code == 302
        assert client.get("/staff/", follow=True).status_code == 200
    # Other roles need no second factor.
    client = Client()
    assert client.post("/accounts/login/", {"username": "triage", "password": "aduan-demo"})["Location"] == "/staff/"
