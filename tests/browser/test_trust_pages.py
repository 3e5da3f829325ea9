"""Browser regression tests of the adversarial test's page defects 10, 17, 18, 20 and 22
(issue "Trust first"), each checking what a person sees in a real browser: oversight reads
a confidential report's address and media link masked (10); a report form sent twice
files one report and shows its confirmation, never "too many reports" (17), while the
same form changed and sent again files a second report (18); sign-up answers the same
for a new and a registered address (20); a decompression-bomb image is refused as too
large with the limit, not as damaged, and nothing is stored (22)."""

import pytest
from django.contrib.auth.models import User

from complaints.models import Attachment, Complaint

from ..citizen.test_uploads import png_declaring
from ..complaints.helpers import drive
from ..conftest import submit
from .test_staff_flow import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "Wulandari Prasetyaningsih"
EMAIL = "wulan.pras@pribadi.example"
PHONE = "0813-5566-7788"
MEDIA = "https://drive.example.net/u/wulan.pras/lubang.jpg"


def test_oversight_reads_a_confidential_reports_address_and_media_link_masked(live_server, page, city, people):
    filed = submit(city, identity_mode="confidential", reporter_name=NAME, reporter_email=EMAIL,
                   reporter_phone=PHONE, address=f"Jl. Kenari 4, rumah {NAME}, HP {PHONE}, {EMAIL}",
                   media_url=MEDIA)
    code = drive(filed.complaint, people, city, "triaged").tracking_code

    sign_in(page, live_server, people["oversight"])
    response = page.goto(f"{live_server.url}/staff/complaints/{code}/")
    assert response.status == 200
    location = page.locator("#location").inner_text()
    media = page.locator("#media-link").inner_text()
    assert "Jl. Kenari 4" in location
    assert "[phone]" in location and "[email]" in location and "[name]" in location
    assert "[url]" in media
    text = page.locator("main").inner_text()
    for secret in (PHONE, "5566-7788", EMAIL, NAME, "Wulandari", MEDIA, "drive.example.net"):
        assert secret not in text, secret
    assert page.locator("#masked-note").is_visible()


def fill_report(page, live_server, title, description):
    page.goto(f"{live_server.url}/report/")
    page.select_option("#id_category", "JALAN-RUSAK")
    page.fill("#id_title", title)
    page.fill("#id_description", description)
    page.fill("#id_address", "Jl. Merdeka 12")
    page.check("#id_identity_mode_2")  # anonymous
    page.check("#id_visibility_1")  # private


def send(page):
    with page.expect_navigation(url="**/report/done/**"):
        page.click("button[type=submit].primary")
    page.wait_for_load_state()
    page.locator("#tracking-code").wait_for(state="visible")
    return page.inner_text("#tracking-code")


def swallow_the_next_answer(page):
    """The next sending of the report form reaches the server, which files the report, but
    its answer never reaches the page (it gets "204 No Content", so the browser stays on the
    form as it was): what a person sees when a first click seems to do nothing, so the same
    form (same idempotency key) is sent again in turn. Not the back button: the form page is
    never cached, so going back fetches a new form with a new key. Not a literal double
    click either: its two requests could race on the test's SQLite database (the concurrent case
    is tests/citizen/test_report.py's PostgreSQL test)."""
    sent = []

    def handler(route):
        if route.request.method != "POST" or sent:
            route.continue_()
            return
        sent.append(route.fetch(max_redirects=0).status)
        route.fulfill(status=204)

    page.route("**/report/", handler)
    page.click("button[type=submit].primary")
    for _tick in range(150):  # up to 15 s for the server's answer (a busy CI machine)
        if sent:
            break
        page.wait_for_timeout(100)
    page.wait_for_load_state()
    page.unroute("**/report/")
    assert sent == [302]  # filed (the answer was a redirect to the confirmation)


def test_the_same_form_sent_twice_files_once_and_never_shows_too_many_reports(live_server, page, city,
                                                                               settings):
    settings.CITIZEN_REPORTS_PER_WINDOW = 2
    fill_report(page, live_server, "Lampu jalan mati",
                "Lampu jalan di Jl. Sudirman mati sejak minggu lalu, gelap sekali.")
    earlier = send(page)  # one of the two allowed is used

    fill_report(page, live_server, "Jalan berlubang besar",
                "Ada lubang besar di Jl. Merdeka depan SD sejak dua minggu, motor sering jatuh.")
    swallow_the_next_answer(page)  # the second of two: the limit is reached now
    assert Complaint.objects.count() == 2
    assert page.url == f"{live_server.url}/report/"
    code = send(page)  # the same form, clicked again
    assert code != earlier
    assert page.locator("#secret-key").is_visible()
    assert Complaint.objects.count() == 2
    assert Complaint.objects.get(tracking_code=code).title == "Jalan berlubang besar"


def test_a_changed_report_sent_from_a_reused_form_is_filed_not_dropped(live_server, page, city, settings):
    settings.CITIZEN_REPORTS_PER_WINDOW = 2
    fill_report(page, live_server, "Jalan berlubang besar",
                "Ada lubang besar di Jl. Merdeka depan SD sejak dua minggu, motor sering jatuh.")
    swallow_the_next_answer(page)
    assert Complaint.objects.count() == 1
    first = Complaint.objects.get()
    # The same form (its key already used), another description: a second report.
    page.fill("#id_description", "Lampu jalan di Jl. Sudirman mati sejak minggu lalu, gelap sekali.")
    code = send(page)
    assert code != first.tracking_code
    assert first.tracking_code not in page.locator("main").inner_text()
    assert Complaint.objects.count() == 2
    assert Complaint.objects.get(tracking_code=code).description.startswith("Lampu jalan")
    assert Complaint.objects.get(pk=first.pk).description.startswith("Ada lubang besar")


def signup_answer(page, live_server, email):
    page.goto(f"{live_server.url}/accounts/signup/")
    page.fill("#id_email", email)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    page.wait_for_load_state()
    return page.url, page.locator("main").inner_text()


def test_signup_answers_the_same_for_a_new_and_a_registered_address(live_server, page, people):
    User.objects.create_user("rina@example.com", "rina@example.com", "x")
    new = signup_answer(page, live_server, "new@example.com")
    assert new[0] == f"{live_server.url}/accounts/signup/sent/"
    assert "@" not in new[1]  # the page names no address
    assert signup_answer(page, live_server, "rina@example.com") == new
    assert signup_answer(page, live_server, people["triage"].email) == new
    assert User.objects.get(username="rina@example.com").check_password("x")


def test_a_decompression_bomb_image_is_refused_as_too_large_with_the_limit(live_server, page, city, settings,
                                                                           tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    fill_report(page, live_server, "Jalan berlubang besar",
                "Ada lubang besar di Jl. Merdeka depan SD sejak dua minggu, motor sering jatuh.")
    page.set_input_files("#id_attachments", files=[
        {"name": "bom.png", "mimeType": "image/png", "buffer": png_declaring(20_000, 20_000)}])
    with page.expect_navigation() as sent:
        page.click("button[type=submit].primary")
    page.wait_for_load_state()
    assert sent.value.status == 400
    assert page.locator("#form-errors").is_visible()
    text = page.locator("main").inner_text()
    assert "bom.png" in text and "too large" in text and "40 megapixels" in text
    assert "damaged" not in text
    assert not Complaint.objects.exists() and not Attachment.objects.exists()
