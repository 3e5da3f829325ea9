"""End to end in a real browser on a phone-sized screen: a triage officer routes a new
complaint, an officer of the unit resolves it, and the citizen sees the resolution."""

import pytest

from complaints.models import Complaint
from complaints.permissions import ActorRef
from complaints.lifecycle.engine import perform

from ..conftest import submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESOLUTION = "Lubang di Jl. Merdeka sudah ditambal pada hari Kamis."


def sign_in(page, live_server, user):
    """The real sign-in: the password, then, for the roles that owe a second factor, the
    code of their authenticator app (a device enrolled beforehand with a key the test knows;
    the enrolment itself is tested in test_two_step_sign_in)."""
    from accounts import second_factor

    device = enrolled_device(user) if second_factor.required(user) else None
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/?next=/staff/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "pw-" + user.username)
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    if device is not None:
        from django_otp.oath import totp

        page.fill("#id_code", f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}")
        page.click("form.form button[type=submit]")
        page.wait_for_load_state()


def enrolled_device(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="test phone", confirmed=True)


def choose(page, action):
    """Open an action's form in the complaint page's action area (every form starts closed)."""
    page.click(f"#act-{action} > summary")


def assert_fits_the_screen(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_triage_routes_and_the_unit_resolves(live_server, page, city, people):
    filed = submit(city, title="Jalan berlubang di depan SD")
    code = filed.complaint.tracking_code

    sign_in(page, live_server, people["triage"])
    assert page.url.endswith("/staff/triage/")
    assert page.locator(f"#q-{code}").is_visible()
    assert_fits_the_screen(page)
    page.click(f"#q-{code} label a")
    page.wait_for_load_state()
    choose(page, "triage")
    page.select_option("#triage-unit", "DPU-JALAN")
    page.click("#action-triage form.form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".messages .message.success").count() == 1  # in whatever language
    complaint = Complaint.objects.get(tracking_code=code)
    assert (complaint.state, complaint.responsible_unit.code) == ("triaged", "DPU-JALAN")

    sign_in(page, live_server, people["officer_roads"])
    assert page.url.endswith("/staff/inbox/")
    assert_fits_the_screen(page)
    page.click(f"text={code}")
    page.wait_for_load_state()
    choose(page, "start")
    page.click("#action-start button[type=submit]")
    page.wait_for_load_state()
    choose(page, "resolve")
    page.select_option("#resolve-outcome", "fixed")
    page.fill("#resolve-summary", RESOLUTION)
    page.click("#action-resolve button.primary")
    page.wait_for_load_state()
    assert page.locator("h1 .badge").inner_text() in ("Resolved", "Selesai ditangani", "Diselesaikan")
    assert RESOLUTION in page.locator("main").inner_text()
    assert_fits_the_screen(page)
    complaint = Complaint.objects.get(tracking_code=code)
    assert (complaint.state, complaint.outcome, complaint.resolution_summary) == ("resolved", "fixed", RESOLUTION)


def test_citizen_sees_resolution(live_server, page, city, people):
    filed = submit(city)
    c = perform(filed.complaint, "triage", ActorRef.staff(people["triage"]), unit=city["roads"])
    officer = ActorRef.staff(people["officer_roads"])
    c = perform(c, "start", officer)
    perform(c, "resolve", officer, outcome="fixed", summary=RESOLUTION)
    page.goto(f"{live_server.url}/track/")
    page.fill("#id_code", filed.complaint.tracking_code)
    page.fill("#id_token", filed.token)
    with page.expect_navigation() as opened:
        page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert opened.value.status == 200  # fail fast while the page does not exist
    assert RESOLUTION in page.locator("main").inner_text()


def test_the_performance_page_draws_the_weekly_acceptance_chart(live_server, page, city, people):
    """The chart script runs under the page's CSP (no inline code) and draws the weekly
    acceptance rate; the table with the same figures is there in any case."""
    import datetime as dt

    from django.utils import timezone

    when = timezone.now() - dt.timedelta(days=8)
    for suggested in ("DPU-JALAN", "DINKES"):
        c = submit(city, now=when).complaint
        Complaint.objects.filter(pk=c.pk).update(suggested_units=[[suggested, 0.7]])
        perform(Complaint.objects.get(pk=c.pk), "triage", ActorRef.staff(people["triage"]), unit=city["roads"],
                now=when + dt.timedelta(hours=1))
    problems = []
    page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    sign_in(page, live_server, people["officer_roads"])
    page.goto(f"{live_server.url}/staff/dashboard/performance/?period=30d")
    page.locator("#acceptance-chart").wait_for(state="visible")
    assert page.locator("#chart-acceptance").bounding_box()["height"] > 50
    assert page.locator("#acceptance-weekly-table td", has_text="50%").count() == 1
    assert problems == []
