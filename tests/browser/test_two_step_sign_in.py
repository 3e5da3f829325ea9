"""The real two-step sign-in in a browser: the privacy officer signs in with the password,
is held on the enrolment page, scans (here: reads) the key, confirms a code, keeps the
recovery codes, and only then reaches the staff pages; the next sign-in asks for a code.
No page of the flow breaks the Content-Security-Policy."""

import base64

import pytest
from django_otp.oath import totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def code_for(secret):
    """What the authenticator app shows now for this key."""
    return f"{totp(base64.b32decode(secret + '=' * (-len(secret) % 8))):06d}"


def test_privacy_officer_enrols_and_signs_in_with_a_code(live_server, page, city, people):
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{live_server.url}/accounts/login/?next=/staff/")
    assert page.locator('a[href="/accounts/password_reset/"]').count() == 1
    page.fill("#id_username", "privacy1")
    page.fill("#id_password", "pw-privacy1")
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    assert "/accounts/two-factor/enrol/" in page.url
    assert page.locator(".qr svg").count() == 1
    # Every staff page leads back here until the second factor is set up.
    page.goto(f"{live_server.url}/staff/oversight/")
    assert "/accounts/two-factor/enrol/" in page.url

    secret = page.locator("#totp-secret").inner_text().strip()
    page.fill("#id_code", code_for(secret))
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    codes = page.locator(".recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    page.click("text=Lanjutkan")
    page.wait_for_load_state()
    assert page.url.endswith("/staff/oversight/")

    # Next time: password, then the second step (here a recovery code: the app's current
    # code was just used and a code works once).
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "privacy1")
    page.fill("#id_password", "pw-privacy1")
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    assert "/accounts/two-factor/" in page.url
    page.fill("#id_code", codes[0])
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    assert page.url.endswith("/staff/oversight/")
    assert violations == []
