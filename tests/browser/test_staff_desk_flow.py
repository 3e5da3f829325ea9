"""The staff desk end to end in a real browser at 1366 px, in Indonesian and in English
(issue 14): the triage officer routes a new public complaint from the triage queue; it then
waits in the summary queue until the officer publishes it there; the unit officer resolves
with a photo of the finished work; the supervisor (the verifier) sends it back with a reason
and verifies the second resolution; the citizen's tracking page and the public page show
"resolved with proof"."""

import io

import pytest
from PIL import Image

from complaints.models import Complaint
from routing.models import Category

from ..conftest import submit
from .test_staff_flow import choose, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESOLUTION = "Lubang di Jl. Merdeka sudah ditambal pada hari Kamis."
SENT_BACK = "Foto memperlihatkan ruas jalan lain; kirim foto lokasi yang benar."
# What the page says in each language (a heading of the complaint page's action area and
# the state badge after verification), so the test knows it really ran in that language.
WORDS = {
    "id": {"routed": "Diteruskan ke DPU-JALAN", "verifying": "sedang diverifikasi"},
    "en": {"routed": "Routed to DPU-JALAN", "verifying": "being verified"},
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def png():
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (90, 90, 90)).save(out, format="PNG")
    return {"name": "tambalan.png", "mimeType": "image/png", "buffer": out.getvalue()}


def as_staff(page, live_server, user, lang):
    """A browser of this person's own (each person signs in once: a second sign-in within
    the same 30 s would replay the authenticator's code, which is refused), signed in, with
    the language chosen by the header's switch, as a person would."""
    page = page.context.browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    page.set_default_timeout(15000)
    sign_in(page, live_server, user)
    page.select_option("#language-select", lang)
    page.click("form.lang button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == lang
    return page


def open_tracking_page(page, live_server, code, token):
    page = page.context.browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    page.goto(f"{live_server.url}/track/")
    page.fill("#id_code", code)
    page.fill("#id_token", token)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    return page


def resolve_with_photo(page, live_server, code):
    page.goto(f"{live_server.url}/staff/complaints/{code}/")
    choose(page, "resolve")
    page.select_option("#resolve-outcome", "fixed")
    page.fill("#resolve-summary", RESOLUTION)
    page.set_input_files("#resolve-photo", png())
    page.click("#action-resolve button.primary")
    page.wait_for_load_state()


@pytest.mark.parametrize("lang", ["id", "en"])
def test_triage_summary_queue_resolution_with_proof_and_verification(live_server, page, city, people, lang):
    Category.objects.filter(pk=city["roads_cat"].pk).update(resolution_evidence="photo", needs_verification=True)
    filed = submit(city, title="Jalan berlubang di depan SD")
    code = filed.complaint.tracking_code

    # Triage: from the queue to the complaint, route it; the message names the unit.
    page = triage = as_staff(page, live_server, people["triage"], lang)
    page.goto(f"{live_server.url}/staff/triage/")
    page.click(f"#q-{code} label a")
    page.wait_for_load_state()
    choose(page, "triage")
    page.select_option("#triage-unit", "DPU-JALAN")
    page.click("#action-triage form.form button[type=submit]")
    page.wait_for_load_state()
    assert WORDS[lang]["routed"] in page.locator(".messages").inner_text()
    c = Complaint.objects.get(tracking_code=code)
    assert (c.state, c.public_summary_approved_at) == ("triaged", None)  # routing never publishes

    # The summary queue lists it until it is published from there.
    page.goto(f"{live_server.url}/staff/triage/summaries/")
    page.click(f"#s-{code} a")
    page.wait_for_load_state()
    form = page.locator("#action-approve_summary form")
    assert form.is_visible()  # the queue's link opens the publish form
    form.locator("#sum-title").fill("Jalan berlubang di Jl. Merdeka")
    form.locator("#sum-text").fill("Lubang besar di ruas Jl. Merdeka dekat sekolah.")
    form.locator("#sum-publish").check()
    form.locator("button[type=submit]").last.click()
    page.wait_for_load_state()
    assert Complaint.objects.get(tracking_code=code).public_summary_approved_at is not None
    page.goto(f"{live_server.url}/staff/triage/summaries/")
    assert page.locator(f"#s-{code}").count() == 0

    # The unit officer starts and resolves with a photo: it waits for a verifier.
    page = officer = as_staff(triage, live_server, people["officer_roads"], lang)
    page.goto(f"{live_server.url}/staff/complaints/{code}/")
    choose(page, "start")
    page.click("#action-start button[type=submit]")
    page.wait_for_load_state()
    resolve_with_photo(page, live_server, code)
    assert Complaint.objects.get(tracking_code=code).state == "verifying"
    assert page.locator("#act-verify").count() == 0  # never their own resolution

    # The supervisor sends it back with a reason, then verifies the second resolution.
    page = supervisor = as_staff(triage, live_server, people["supervisor_works"], lang)
    page.goto(f"{live_server.url}/staff/complaints/{code}/")
    choose(page, "send_back")
    page.fill("#send_back-reason", SENT_BACK)
    page.click("#action-send_back button[type=submit]")
    page.wait_for_load_state()
    assert Complaint.objects.get(tracking_code=code).state == "in_progress"

    resolve_with_photo(officer, live_server, code)
    page = supervisor
    page.goto(f"{live_server.url}/staff/complaints/{code}/")
    assert WORDS[lang]["verifying"] in page.locator("main").inner_text().lower()
    choose(page, "verify")
    page.click("#action-verify button[type=submit]")
    page.wait_for_load_state()
    c = Complaint.objects.get(tracking_code=code)
    assert (c.state, c.sent_back_count) == ("resolved", 1)

    # The citizen and the public see "resolved with proof".
    page = open_tracking_page(triage, live_server, code, filed.token)
    assert page.locator("#resolved-with-proof").is_visible()
    assert RESOLUTION in page.locator("main").inner_text()
    page.goto(f"{live_server.url}/complaints/{code}/")
    assert page.locator("#resolved-with-proof").is_visible()
