"""A citizen on a phone (360 px wide, real Chromium): files an anonymous report with a
photo, comes back with the tracking code and secret key, answers the officer's question,
switches language."""

import io

import pytest
from PIL import Image

from complaints.models import Attachment, Complaint, State
from complaints.lifecycle.engine import perform

from ..citizen.conftest import jpeg_with_gps
from ..conftest import as_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_the_phone(page):
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def test_anonymous_report_with_photo_then_answer_a_question(live_server, page, city, people,
                                                            settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    page.goto(live_server.url + "/")
    page.click("#start-report")
    assert page.url.endswith("/report/") and fits_the_phone(page)

    page.fill("#category-filter", "jalan")  # the JS filter narrows the list
    page.select_option("#id_category", "JALAN-RUSAK")
    page.fill("#id_title", "Lubang di depan sekolah")
    page.fill("#id_description", "Lubang besar di Jl. Merdeka depan SD, sudah dua minggu, berbahaya.")
    page.fill("#id_address", "Jl. Merdeka 12")
    page.set_input_files("#id_attachments", files=[
        {"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps()}])
    page.check("#id_identity_mode_2")  # anonymous
    page.fill("#id_reporter_email", "saksi@example.org")
    page.check("#id_visibility_1")  # private
    page.click("button[type=submit].primary")

    code = page.inner_text("#tracking-code")
    key = page.input_value("#secret-key")
    assert key and fits_the_phone(page)
    complaint = Complaint.objects.get(tracking_code=code)
    assert complaint.identity_mode == "anonymous" and complaint.reporter_email == ""
    stored = Attachment.objects.get(complaint=complaint).file.read()
    assert not Image.open(io.BytesIO(stored)).getexif()

    perform(complaint, "request_info", as_staff(people["triage"]), message="Di sisi kiri atau kanan jalan?")

    # Back later, in a new visit: code and key on the tracking form (no key in any address).
    page.context.clear_cookies()
    page.goto(live_server.url + "/track/")
    page.fill("#id_code", code)
    page.fill("#id_token", key)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/track/{code}/"
    assert "Di sisi kiri atau kanan jalan?" in page.inner_text("main")
    assert fits_the_phone(page)
    page.fill("#id_provide_info-message", "Sisi kiri, dekat gerbang sekolah.")
    page.click("#act-provide_info button[type=submit]")
    page.wait_for_selector(".message.success")
    assert "Sisi kiri, dekat gerbang sekolah." in page.inner_text(".timeline")
    assert Complaint.objects.get(pk=complaint.pk).state == State.SUBMITTED

    page.select_option("#language-select", "en")
    page.click("form.lang button")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.url == f"{live_server.url}/track/{code}/"
    assert "Timeline" in page.inner_text("main")


def test_choosing_a_sensitive_category_explains_and_applies_the_protection(live_server, page, city):
    page.goto(live_server.url + "/report/")
    assert page.is_hidden("#sensitive-note")
    page.fill("#category-filter", "pungutan")
    assert page.locator("#id_category option:not([hidden])[value]:not([value=''])").count() == 1
    page.select_option("#id_category", "PUNGLI")
    assert page.is_visible("#sensitive-note")
    assert page.is_disabled("#id_identity_mode_0") and page.is_checked("#id_identity_mode_1")
    assert page.is_disabled("#id_visibility_0") and page.is_checked("#id_visibility_1")
