"""The private tracking page: the token is exchanged for a session, a wrong token looks
like a wrong code, the timeline hides what is internal, and the citizen's actions go
through the one transition entry point."""

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from complaints.citizen import tokens
from complaints.models import Attachment, Complaint, Message, State
from complaints.permissions import ActorRef
from complaints.lifecycle.engine import perform

from ..complaints.helpers import drive, fresh
from ..conftest import as_staff, submit
from .conftest import form_data, jpeg_with_gps, open_mail_link, upload


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"


def page_of(complaint):
    return f"/track/{complaint.tracking_code}/"


def open_with_token(client, filed):
    response = client.post("/track/", {"code": filed.complaint.tracking_code, "token": filed.token})
    assert response.status_code == 302
    return response


def test_token_in_the_url_grants_nothing_until_continue_posts_it(client, filed):
    # Links of the old kind (/track/<code>/?t=<key>) still arrive from old e-mails.
    shown = client.get(page_of(filed.complaint) + "?t=" + filed.token)
    assert shown.status_code == 200 and 'id="continue"' in shown.content.decode()
    assert client.get(page_of(filed.complaint)).status_code == 404  # the GET granted nothing
    response = client.post("/track/", {"code": filed.complaint.tracking_code, "token": filed.token})
    assert response["Location"] == page_of(filed.complaint)  # no key left in the address
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert filed.complaint.title in page.content.decode()
    assert filed.token not in page.content.decode()


def test_wrong_token_gets_the_same_answer_as_a_wrong_code(client, filed):
    wrong_token = client.post("/track/", {"code": filed.complaint.tracking_code, "token": "nope"})
    wrong_code = client.post("/track/", {"code": "ADU-ZZZZ-ZZZZ", "token": filed.token})
    assert wrong_token.status_code == wrong_code.status_code == 404
    def main(response):
        html = response.content.decode().split('<main id="main">')[1].split("</main>")[0]
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
        return re.sub(r'name="(code|token)"[^>]*value="[^"]*"', "", html)  # what was typed

    assert main(wrong_token) == main(wrong_code)
    assert "No report matches" in wrong_token.content.decode()
    assert client.get(page_of(filed.complaint)).status_code == 404  # no access was granted


def test_code_alone_shows_nothing_private(client, filed):
    response = client.get(page_of(filed.complaint))
    html = response.content.decode()
    assert response.status_code == 404
    assert filed.complaint.title not in html and "Siti" not in html


def test_track_form_with_code_and_key_opens_the_page(client, filed):
    response = client.post("/track/", {"code": filed.complaint.tracking_code.lower(), "token": filed.token})
    assert response.status_code == 302 and response["Location"] == page_of(filed.complaint)


def test_track_form_with_wrong_key_is_refused(client, filed):
    response = client.post("/track/", {"code": filed.complaint.tracking_code, "token": "guess"})
    assert response.status_code == 404
    assert "No report matches" in response.content.decode()


def test_page_shows_status_unit_due_date_and_public_timeline_only(client, city, people, filed):
    c = drive(filed.complaint, people, city, "in_progress")
    perform(c, "note", as_staff(people["officer_roads"]), body="Internal: the contractor is Pak Joko")
    c = fresh(c)
    perform(c, "reply", as_staff(people["officer_roads"]), body="We sent a crew to measure the hole.")
    open_with_token(client, filed)
    html = client.get(page_of(filed.complaint)).content.decode()
    assert "In progress" in html and "Roads" in html
    assert "aims to resolve it by" in html
    assert "Officer of Roads" in html and "We sent a crew" in html
    assert "contractor" not in html and "Pak Joko" not in html
    for username in ("roads_officer", "triage1"):
        assert username not in html
    assert "Checked and sent to the responsible unit" in html


def answer_form(complaint, prefix, **fields):
    c = fresh(complaint)
    data = {f"{prefix}-expected_state": c.state, f"{prefix}-expected_version": c.audit_count}
    data.update({f"{prefix}-{k}": v for k, v in fields.items()})
    return data


def act(client, complaint, action, **fields):
    url = reverse("complaints:track_action", args=[complaint.tracking_code, action])
    return client.post(url, answer_form(complaint, action, **fields))


def test_citizen_answers_a_request_for_information(client, city, people, filed):
    c = drive(filed.complaint, people, city, "triaged")
    perform(c, "request_info", as_staff(people["officer_roads"]), message="Which house number exactly?")
    open_with_token(client, filed)
    html = client.get(page_of(c)).content.decode()
    assert "Which house number exactly?" in html and 'id="act-provide_info"' in html
    response = act(client, c, "provide_info", message="Number 12, next to the school.")
    assert response.status_code == 302
    c = fresh(c)
    assert c.state == State.TRIAGED
    assert Message.objects.filter(complaint=c, author_type="citizen", body__startswith="Number 12").exists()


def test_empty_answer_is_refused_and_changes_nothing(client, city, people, filed):
    c = perform(filed.complaint, "request_info", as_staff(people["triage"]), message="Foto?")
    open_with_token(client, filed)
    response = act(client, c, "provide_info", message="")
    assert response.status_code == 400
    assert 'id="id_provide_info-message-error"' in response.content.decode()
    assert fresh(c).state == State.NEEDS_INFO


def test_stale_page_gets_a_friendly_conflict_and_changes_nothing(client, city, people, filed):
    c = perform(filed.complaint, "request_info", as_staff(people["triage"]), message="Foto?")
    open_with_token(client, filed)
    data = answer_form(c, "provide_info", message="Here it is")
    perform(fresh(c), "provide_info", ActorRef.citizen(), message="Answered in another tab")
    response = client.post(reverse("complaints:track_action", args=[c.tracking_code, "provide_info"]), data)
    html = response.content.decode()
    assert response.status_code == 409
    assert "changed while you were looking" in html and "Here it is" in html
    assert Message.objects.filter(body="Here it is").count() == 0


def test_citizen_comments(client, filed):
    open_with_token(client, filed)
    assert act(client, filed.complaint, "comment", body="It got worse after the rain.").status_code == 302
    assert "It got worse after the rain." in client.get(page_of(filed.complaint)).content.decode()


def test_citizen_confirms_and_rates_the_resolution(client, city, people, filed):
    c = drive(filed.complaint, people, city, "resolved")
    open_with_token(client, filed)
    html = client.get(page_of(c)).content.decode()
    assert 'id="act-confirm"' in html and 'id="act-reopen"' in html and "Lubang sudah ditambal" in html
    assert act(client, c, "confirm", rating="4", comment="Quick, thanks").status_code == 302
    c = fresh(c)
    assert (c.state, c.rating, c.rating_comment) == (State.CLOSED, 4, "Quick, thanks")


def test_rating_out_of_range_is_refused(client, city, people, filed):
    c = drive(filed.complaint, people, city, "resolved")
    open_with_token(client, filed)
    response = act(client, c, "confirm", rating="9")
    assert response.status_code == 400
    assert fresh(c).state == State.RESOLVED


def test_citizen_appeals_inside_the_window(client, city, people, filed):
    c = drive(filed.complaint, people, city, "resolved")
    open_with_token(client, filed)
    assert act(client, c, "reopen", reason="The hole is back.").status_code == 302
    c = fresh(c)
    assert c.state == State.IN_PROGRESS and c.reopen_count == 1


def test_appeal_after_the_window_is_not_offered_and_refused(client, city, people, filed):
    c = drive(filed.complaint, people, city, "resolved")
    Complaint.objects.filter(pk=c.pk).update(appeal_due_at=timezone.now() - dt.timedelta(hours=1))
    open_with_token(client, filed)
    assert 'id="act-reopen"' not in client.get(page_of(c)).content.decode()
    response = act(client, c, "reopen", reason="Too late?")
    assert response.status_code == 400
    assert "appeal window has passed" in response.content.decode()
    assert fresh(c).state == State.RESOLVED


def test_closed_without_rating_can_be_rated(client, city, people, filed):
    c = drive(filed.complaint, people, city, "resolved")
    c = perform(c, "confirm", ActorRef.citizen())
    open_with_token(client, filed)
    assert act(client, c, "rate", rating="2", comment="Slow").status_code == 302
    assert fresh(c).rating == 2


def test_actions_need_access(client, filed):
    response = act(client, filed.complaint, "comment", body="sneaky")
    assert response.status_code == 404
    assert not Message.objects.filter(body="sneaky").exists()


# --- links from e-mails ------------------------------------------------------------------
def test_mail_link_opens_the_page_for_its_purpose_only(client, city, people, filed):
    c = drive(filed.complaint, people, city, "resolved")
    response = open_mail_link(client, tokens.issue_link(c, "rate"))
    assert response.status_code == 302 and response["Location"] == page_of(c) + "#act-confirm"
    html = client.get(page_of(c)).content.decode()
    assert 'id="act-confirm"' in html and 'id="act-reopen"' not in html
    assert act(client, c, "reopen", reason="Not allowed by a rating link").status_code == 302
    assert fresh(c).state == State.RESOLVED
    assert act(client, c, "confirm", rating="5").status_code == 302
    assert fresh(c).state == State.CLOSED


def test_mail_link_for_another_purpose_or_complaint_is_refused(client, city, filed):
    other = submit(city).complaint
    rate_code = tokens.issue_link(filed.complaint, "rate").split("?k=")[1]
    url = reverse("complaints:track_link", args=[filed.complaint.tracking_code, "appeal"])
    assert client.post(url, {"k": rate_code}).status_code == 404
    url = reverse("complaints:track_link", args=[other.tracking_code, "rate"])
    assert client.post(url, {"k": rate_code}).status_code == 404
    assert client.get(page_of(filed.complaint)).status_code == 404


def test_mail_link_expires(client, filed, settings):
    settings.CITIZEN_LINK_MAX_AGE_DAYS = -1
    path = tokens.issue_link(filed.complaint, "track")
    assert client.post(path.split("?")[0], {"k": path.split("?k=")[1]}).status_code == 404


def test_replacing_the_token_invalidates_old_links(client, filed):
    path = tokens.issue_link(filed.complaint, "track")
    c = fresh(filed.complaint)
    c.set_new_token()
    Complaint.objects.filter(pk=c.pk).update(access_token_hash=c.access_token_hash)
    assert client.post(path.split("?")[0], {"k": path.split("?k=")[1]}).status_code == 404


def test_signed_in_reporter_opens_own_complaint_without_token(client, city, people):
    client.force_login(people["nobody"])
    client.post("/report/", form_data(city))
    complaint = Complaint.objects.get()
    client.logout()
    client.force_login(people["nobody"])
    assert client.get(page_of(complaint)).status_code == 200
    client.force_login(people["triage"])
    assert client.get(page_of(complaint)).status_code == 404


def test_open_question_is_shown_with_the_answer_form(client, city, people, filed):
    c = perform(filed.complaint, "request_info", as_staff(people["triage"]), message="Ada fotonya?")
    open_with_token(client, filed)
    html = client.get(page_of(c)).content.decode()
    question = html.split('id="open-question"')[1].split("</blockquote>")[0]
    assert "Ada fotonya?" in question


def test_desk_messages_stay_the_desk_after_routing(client, city, people, filed):
    c = perform(filed.complaint, "reply", as_staff(people["triage"]), body="Kami cek dulu.")
    perform(c, "triage", as_staff(people["triage"]), unit=city["roads"])
    open_with_token(client, filed)
    html = client.get(page_of(c)).content.decode()
    assert "Verification desk" in html and "Officer of Roads" not in html


def test_answer_can_bring_a_photo_cleaned_like_any_attachment(client, city, people, filed):
    c = perform(filed.complaint, "request_info", as_staff(people["triage"]), message="Ada fotonya?")
    open_with_token(client, filed)
    data = answer_form(c, "provide_info", message="Ini fotonya.")
    data["provide_info-attachments"] = [upload("lubang.jpg", jpeg_with_gps())]
    response = client.post(reverse("complaints:track_action", args=[c.tracking_code, "provide_info"]), data)
    assert response.status_code == 302
    stored = Attachment.objects.get(complaint=c)
    assert not Image.open(io.BytesIO(stored.file.read())).getexif()
    assert fresh(c).state == State.SUBMITTED


def test_answer_with_a_bad_file_is_refused_whole(client, city, people, filed):
    c = perform(filed.complaint, "request_info", as_staff(people["triage"]), message="Ada fotonya?")
    open_with_token(client, filed)
    data = answer_form(c, "provide_info", message="Ini fotonya.")
    data["provide_info-attachments"] = [upload("virus.jpg", b"MZ\x90\x00" + b"\0" * 64)]
    response = client.post(reverse("complaints:track_action", args=[c.tracking_code, "provide_info"]), data)
    assert response.status_code == 400 and "virus.jpg" in response.content.decode()
    assert fresh(c).state == State.NEEDS_INFO
    assert not Attachment.objects.exists() and not Message.objects.filter(body="Ini fotonya.").exists()


def test_private_pages_are_never_cached(client, city):
    response = client.post("/report/", form_data(city))
    done = client.get(response["Location"])
    page = client.get(page_of(Complaint.objects.get()))
    for private in (done, page):
        assert private.status_code == 200
        assert "no-store" in private["Cache-Control"] and "private" in private["Cache-Control"]
