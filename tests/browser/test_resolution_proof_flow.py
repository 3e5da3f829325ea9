"""End to end in a real browser (beside test_staff_flow): in a category that needs a photo
and a verifier, the unit officer resolves with a photo, the supervisor sends it back, the
officer resolves again, the supervisor verifies, and the citizen and the public see
"resolved with proof"."""

import io

import pytest
from PIL import Image

from complaints.lifecycle.engine import perform
from complaints.models import Attachment, Complaint
from complaints.permissions import ActorRef
from routing.models import Category

from ..conftest import publish, submit
from .test_staff_flow import assert_fits_the_screen, choose, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESOLUTION = "Lubang di Jl. Merdeka sudah ditambal pada hari Kamis."
SENT_BACK = "Foto memperlihatkan ruas jalan lain; kirim foto lokasi yang benar."


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def png():
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (90, 90, 90)).save(out, format="PNG")
    return {"name": "tambalan.png", "mimeType": "image/png", "buffer": out.getvalue()}


def resolve_with_photo(page, live_server, code):
    page.goto(f"{live_server.url}/staff/complaints/{code}/")
    choose(page, "resolve")
    page.select_option("#resolve-outcome", "fixed")
    page.fill("#resolve-summary", RESOLUTION)
    page.set_input_files("#resolve-photo", png())
    page.click("#action-resolve button.primary")
    page.wait_for_load_state()


def test_officer_resolves_with_a_photo_verifier_sends_back_then_verifies_and_the_citizen_sees_it(
        live_server, page, city, people):
    Category.objects.filter(pk=city["roads_cat"].pk).update(resolution_evidence="photo", needs_verification=True)
    filed = submit(city, title="Jalan berlubang di depan SD")
    code = filed.complaint.tracking_code
    c = perform(filed.complaint, "triage", ActorRef.staff(people["triage"]), unit=city["roads"])
    publish(c, people["triage"])
    perform(Complaint.objects.get(pk=c.pk), "start", ActorRef.staff(people["officer_roads"]))

    # Each person in a browser of their own, signed in once (a second sign-in within 30 s would
    # replay the authenticator's code, which is refused).
    officer, supervisor = page, page.context.browser.new_context(viewport=page.viewport_size).new_page()
    citizen = page.context.browser.new_context(viewport=page.viewport_size).new_page()
    # The unit officer: the form asks for the photo; without one the browser does not send it.
    sign_in(page, live_server, people["officer_roads"])
    page.goto(f"{live_server.url}/staff/complaints/{code}/")
    choose(page, "resolve")
    assert page.locator("#resolve-photo").get_attribute("required") is not None
    resolve_with_photo(page, live_server, code)
    assert page.locator(".messages .message.success").count() == 1
    assert Complaint.objects.get(tracking_code=code).state == "verifying"
    assert page.locator("#action-verify").count() == 0  # never their own resolution
    assert_fits_the_screen(page)

    # The supervisor sees the proof and sends it back with a reason.
    page = supervisor
    sign_in(page, live_server, people["supervisor_works"])
    page.goto(f"{live_server.url}/staff/complaints/{code}/")
    assert page.locator("#action-verify a.proof").count() == 1
    choose(page, "send_back")
    page.fill("#send_back-reason", SENT_BACK)
    page.click("#action-send_back button[type=submit]")
    page.wait_for_load_state()
    complaint = Complaint.objects.get(tracking_code=code)
    assert (complaint.state, complaint.sent_back_count) == ("in_progress", 1)
    first_resolved_at = complaint.resolved_at

    # The citizen sees that the verifier sent it back, and no "resolved" yet.
    page = citizen
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/track/")
    page.fill("#id_code", code)
    page.fill("#id_token", filed.token)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".tl-send_back").count() == 1
    assert page.locator("#resolved-with-proof").count() == 0

    # Again with the right photo; this time the supervisor verifies.
    resolve_with_photo(officer, live_server, code)
    page = supervisor
    page.goto(f"{live_server.url}/staff/complaints/{code}/")
    choose(page, "verify")
    page.click("#action-verify button[type=submit]")
    page.wait_for_load_state()
    complaint = Complaint.objects.get(tracking_code=code)
    assert complaint.state == "resolved" and complaint.resolved_at == first_resolved_at
    assert Attachment.objects.filter(complaint=complaint, purpose="resolution").count() == 2

    # The citizen and the public see "resolved with proof".
    page = citizen
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/track/")
    page.fill("#id_code", code)
    page.fill("#id_token", filed.token)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#resolved-with-proof").is_visible()
    assert RESOLUTION in page.locator("main").inner_text()
    page.goto(f"{live_server.url}/complaints/{code}/")
    assert page.locator("#resolved-with-proof").is_visible()
    assert_fits_the_screen(page)
