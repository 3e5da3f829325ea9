"""Response templates in a real browser: with JavaScript, choosing an outcome fills the
resolution with its best template; without JavaScript, "Use template" does the same
through the server (issue 14, item 5)."""

import pytest

from complaints.models import Complaint, ResponseTemplate

from ..complaints.helpers import drive
from ..conftest import submit
from .test_staff_flow import choose, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def templates(city):
    ResponseTemplate.objects.create(name="any", action="resolve", text_id="Selesai: {tracking_code}.", text_en="Done.")
    ResponseTemplate.objects.create(name="cannot", action="resolve", choice="cannot_fix", unit=city["roads"],
                                    text_id="{unit} tidak dapat memperbaiki {tracking_code}.", text_en="Cannot.")


def test_choosing_the_outcome_fills_its_template(live_server, page, city, people):
    c = drive(submit(city).complaint, people, city, "in_progress")
    Complaint.objects.filter(pk=c.pk).update(language="id")
    templates(city)
    sign_in(page, live_server, people["officer_roads"])
    page.goto(f"{live_server.url}/staff/complaints/{c.tracking_code}/")
    choose(page, "resolve")
    assert page.input_value("#resolve-summary") == f"Selesai: {c.tracking_code}."
    page.select_option("#resolve-outcome", "cannot_fix")
    assert page.input_value("#resolve-summary") == f"Bidang Jalan tidak dapat memperbaiki {c.tracking_code}."
    # What the officer wrote is never overwritten.
    page.fill("#resolve-summary", "Kata-kata saya sendiri.")
    page.select_option("#resolve-outcome", "fixed")
    assert page.input_value("#resolve-summary") == "Kata-kata saya sendiri."


def test_use_template_works_without_javascript(live_server, browser, city, people):
    c = drive(submit(city).complaint, people, city, "in_progress")
    Complaint.objects.filter(pk=c.pk).update(language="id")
    templates(city)
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        sign_in(page, live_server, people["officer_roads"])
        page.goto(f"{live_server.url}/staff/complaints/{c.tracking_code}/")
        choose(page, "resolve")  # <details> opens without JavaScript too
        # The officer chooses the outcome and presses "Use template" (the select still holds
        # the template pre-selected for no outcome).
        page.select_option("#resolve-outcome", "cannot_fix")
        page.click("#action-resolve .template-picker button")
        page.wait_for_load_state()
        assert page.input_value("#resolve-summary") == f"Bidang Jalan tidak dapat memperbaiki {c.tracking_code}."
        assert page.input_value("#resolve-outcome") == "cannot_fix"
        page.click("#action-resolve button.primary")
        page.wait_for_load_state()
        c = Complaint.objects.get(pk=c.pk)
        assert (c.state, c.outcome, c.resolution_summary) == (
            "resolved", "cannot_fix", f"Bidang Jalan tidak dapat memperbaiki {c.tracking_code}.")
    finally:
        context.close()
