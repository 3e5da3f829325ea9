"""In a real browser: the oversight body takes an abuse-of-power report out of its
sensitive category, naming the unit it accuses; the page then refuses to hand it to that
unit, and the accused unit's officer never opens it."""

import pytest

from complaints.models import Complaint

from ..conftest import submit
from .test_staff_flow import choose, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_oversight_declassifies_and_the_accused_unit_never_reads_it(live_server, page, city, people):
    code = submit(city, category="bribe_cat", title="Pungli di bidang jalan").complaint.tracking_code

    sign_in(page, live_server, people["oversight"])
    page.goto(f"{live_server.url}/staff/complaints/{code}/")
    choose(page, "recategorise")
    page.select_option("#recat", "JALAN-RUSAK")
    page.select_option("#recat-subject", "DPU-JALAN")
    page.click("#action-recategorise button[type=submit]")  # no reason yet
    page.wait_for_load_state()
    assert page.locator("#action-error").is_visible()
    assert Complaint.objects.get(tracking_code=code).category.code == "PUNGLI"
    page.select_option("#recat", "JALAN-RUSAK")
    page.select_option("#recat-subject", "DPU-JALAN")
    page.fill("#recat-reason", "Bukan pungli: keluhan layanan biasa.")
    page.click("#action-recategorise button[type=submit]")
    page.wait_for_load_state()
    complaint = Complaint.objects.get(tracking_code=code)
    assert (complaint.category.code, complaint.subject_unit.code) == ("JALAN-RUSAK", "DPU-JALAN")

    choose(page, "transfer")
    page.select_option("#transfer-unit", "DPU-JALAN")
    page.fill("#transfer-reason", "Urusan jalan.")
    page.click("#action-transfer button[type=submit]")
    page.wait_for_load_state()
    page.click("#confirm-button")  # a transfer asks to confirm on a second page
    page.wait_for_load_state()
    assert page.locator("#action-error").is_visible()  # refused, in the page's language
    assert Complaint.objects.get(tracking_code=code).responsible_unit.code == "INSPEKTORAT"
    page.select_option("#transfer-unit", "DINKES")
    page.fill("#transfer-reason", "Urusan layanan kesehatan.")
    page.click("#action-transfer button[type=submit]")
    page.wait_for_load_state()
    page.click("#confirm-button")  # a transfer asks to confirm on a second page
    page.wait_for_load_state()
    assert Complaint.objects.get(tracking_code=code).responsible_unit.code == "DINKES"

    sign_in(page, live_server, people["officer_roads"])
    assert page.goto(f"{live_server.url}/staff/complaints/{code}/").status == 404
    sign_in(page, live_server, people["officer_health"])
    assert page.goto(f"{live_server.url}/staff/complaints/{code}/").status == 200
    assert page.locator("#history-withheld").is_visible()
    assert "Bukan pungli" not in page.locator("main").inner_text()
