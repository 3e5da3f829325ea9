"""The data subject's rights (UU 27/2022, issue 18 item 4): a citizen downloads everything
held about their report through a signed, short-lived link, asks for erasure or for
processing to stop; a privacy officer decides within 3 x 24 hours (counted in hours); every
step is an audited event without personal values."""

import datetime as dt
import io
import json
import zipfile

import pytest
from django.core import signing
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from complaints import subject_rights
from complaints.audit import verify_complaint
from complaints.lifecycle.engine import perform
from complaints.lifecycle.errors import IllegalTransition, InvalidArguments, NotPermitted, TransitionError
from complaints.models import Attachment, DataSubjectRequest, Event, Notification, State

from ..conftest import CITIZEN, as_staff, submit
from .helpers import drive, fresh

PHOTO = b"\x89PNG\r\n\x1a\n-the-citizen's-photo-bytes-"
RIGHTS_ACTIONS = ("download_data", "subject_request", "approve_subject_request", "refuse_subject_request")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://aduan.example"
    return settings.MEDIA_ROOT


def signed_in(client, filed):
    """The citizen's browser after entering the tracking code and the secret key."""
    c = filed.complaint
    response = client.post(reverse("complaints:track"), {"code": c.tracking_code, "token": filed.token})
    assert response.status_code == 302
    return c


def ask(client, c, kind="erase", reason="Saya tidak ingin nama saya disimpan lagi."):
    c = fresh(c)
    return client.post(reverse("complaints:track_action", args=[c.tracking_code, "subject_request"]), {
        "subject_request-expected_state": c.state, "subject_request-expected_version": str(c.audit_count),
        "subject_request-kind": kind, "subject_request-reason": reason})


def download(client, c):
    """Press "Download my data": the audited POST, then the signed link it leads to."""
    c = fresh(c)
    response = client.post(reverse("complaints:track_action", args=[c.tracking_code, "download_data"]), {
        "download_data-expected_state": c.state, "download_data-expected_version": str(c.audit_count)})
    assert response.status_code == 302, response.content[:500]
    return response["Location"]


def attach(c):
    return Attachment.objects.create(complaint=c, file=ContentFile(PHOTO, name="x.png"), content_type="image/png",
                                     size=len(PHOTO), original_name="foto-rumah-siti.png")


def pending(c):
    return DataSubjectRequest.objects.get(complaint=c, state="pending")


# --- the copy ------------------------------------------------------------------------------
def test_the_download_holds_the_complaints_data_its_history_e_mails_and_the_citizens_file(client, city, people):
    filed = submit(city)
    c = signed_in(client, filed)
    item = attach(c)
    c = drive(fresh(c), people, city, "triaged")
    perform(c, "note", as_staff(people["officer_roads"]), body="Catatan internal petugas.")
    link = download(client, c)
    response = client.get(link)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    data = json.loads(archive.read("data.json"))
    report = data["reports"][0]
    fields = report["complaint"]
    assert fields["tracking_code"] == c.tracking_code
    assert fields["title"] == "Jalan berlubang besar" and "Jl. Merdeka" in fields["description"]
    assert (fields["reporter_name"], fields["reporter_email"], fields["reporter_phone"]) == (
        "Siti Rahayu", "siti.rahayu@example.com", "0812-3456-7890")
    assert fields["state"] == "triaged" and fields["category"] == str(city["roads_cat"].name)
    assert [entry["kind"] for entry in report["timeline"]][:2] == ["filed", "triage"]
    assert report["notifications"] and report["notifications"][0]["to"] == "siti.rahayu@example.com"
    assert [r["kind"] for r in report["requests"]] == ["access"]
    # The citizen's own file, byte for byte, named in the JSON.
    (listed,) = report["attachments"]
    assert listed["original_name"] == "foto-rumah-siti.png"
    assert archive.read(listed["file"]) == PHOTO and listed["file"].endswith(f"{item.pk}.png")
    # Not theirs: staff notes, staff names, the chain's MACs.
    text = archive.read("data.json").decode()
    assert "Catatan internal" not in text and "triage1" not in text and fresh(c).audit_head not in text


def test_the_download_is_an_audited_access_request(client, city):
    c = signed_in(client, submit(city))
    client.get(download(client, c))
    event = Event.objects.get(complaint=c, action="download_data")
    assert (event.actor_type, event.public) == ("citizen", False)
    request = DataSubjectRequest.objects.get(complaint=c)
    assert (request.kind, request.state) == ("access", "approved")
    assert event.data == {"request": request.pk, "kind": "access"}
    assert verify_complaint(fresh(c)) is None


def test_a_tampered_expired_or_foreign_link_is_refused_and_shows_nothing(client, city, monkeypatch):
    filed = submit(city, title="Rahasia judul warga")
    c = signed_in(client, filed)
    link = download(client, c)
    path, signed = link.split("?s=")
    refused = []
    tampered = signed[:-2] + ("AA" if not signed.endswith("AA") else "BB")
    refused.append(client.get(f"{path}?s={tampered}"))
    refused.append(client.get(path))  # no signature at all
    hostile = client.get(f"{path}?s=%00" + "x" * 5000)  # NUL bytes: refused before any view
    assert hostile.status_code in (400, 404) and b"Rahasia judul" not in hostile.content
    # Signed for another report, whose page this browser may not open either.
    other = submit(city)
    other_link = subject_rights.download_path(other.complaint)
    refused.append(client.get(other_link))
    refused.append(client.get(reverse("complaints:track_data", args=[c.tracking_code]) + "?" + other_link.split("?")[1]))
    # Expired: signed longer ago than the link's life.
    real_time = signing.time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() - 11 * 60)
    old = subject_rights.download_path(c)
    monkeypatch.setattr(signing.time, "time", real_time)
    refused.append(client.get(old))
    for response in refused:
        assert response.status_code == 404
        assert response["Content-Type"].startswith("text/html")
        assert b"Rahasia judul" not in response.content and b"Siti" not in response.content
    assert b"not valid" in refused[0].content
    # The good link still works, and only in a browser that holds the report's access.
    assert client.get(link).status_code == 200
    from django.test import Client

    assert Client().get(link).status_code == 404


def test_a_new_key_voids_the_download_links_made_before(client, city):
    c = signed_in(client, submit(city))
    link = download(client, c)
    type(c).objects.filter(pk=c.pk).update(access_token_hash="0" * 64)
    assert client.get(link).status_code == 404


def test_a_signed_in_citizen_downloads_every_report_of_their_account(client, city, people):
    user = people["nobody"]
    mine = [submit(city, title=f"Laporan saya {n}").complaint for n in range(2)]
    type(mine[0]).objects.filter(pk__in=[m.pk for m in mine]).update(reporter_user=user)
    attach(mine[1])
    client.force_login(user)
    response = client.post(reverse("complaints:my_data"))
    assert response.status_code == 302
    zipped = client.get(response["Location"])
    archive = zipfile.ZipFile(io.BytesIO(zipped.content))
    data = json.loads(archive.read("data.json"))
    assert sorted(r["complaint"]["title"] for r in data["reports"]) == ["Laporan saya 0", "Laporan saya 1"]
    assert data["account"]["username"] == user.username
    assert any(name.startswith("files/") for name in archive.namelist())
    assert Event.objects.filter(action="download_data", complaint__in=mine).count() == 2
    # Another account's link, a tampered one, or none: refused.
    client.force_login(people["officer_roads"])
    assert client.get(response["Location"]).status_code == 404
    client.force_login(user)
    assert client.get(reverse("complaints:my_data") + "?s=x").status_code == 404


# --- requests ------------------------------------------------------------------------------
def test_a_wrong_key_or_no_access_cannot_ask_for_erasure(client, city):
    filed = submit(city)
    c = filed.complaint
    response = client.post(reverse("complaints:track"), {"code": c.tracking_code, "token": "wrong-key"})
    assert response.status_code == 404
    assert ask(client, c).status_code == 404
    # A link from an update e-mail opens the page but does not allow the request.
    session = client.session
    session["citizen_access"] = {c.tracking_code: ["comment", "view"]}
    session.save()
    response = ask(client, c)
    assert response.status_code == 302
    assert not DataSubjectRequest.objects.filter(complaint=c).exists()
    assert not Event.objects.filter(complaint=c, action="subject_request").exists()


def test_a_second_request_while_one_waits_is_refused_with_a_clear_message(client, city):
    c = signed_in(client, submit(city))
    assert ask(client, c).status_code == 302
    response = ask(client, c, kind="stop")
    assert response.status_code == 400
    assert "already have a request waiting" in response.content.decode()
    assert DataSubjectRequest.objects.filter(complaint=c).count() == 1
    assert Event.objects.filter(complaint=c, action="subject_request").count() == 1
    # The tracking page shows the waiting request with its deadline.
    page = client.get(reverse("complaints:track_page", args=[c.tracking_code])).content.decode()
    assert 'id="subject-requests"' in page and "Erase my personal data" in page


def test_bad_input_to_a_request_is_a_form_error(client, city):
    c = signed_in(client, submit(city))
    assert ask(client, c, kind="everything").status_code == 400
    assert ask(client, c, reason="x" * 2001).status_code == 400
    assert ask(client, c, reason="ada\x00nul").status_code == 400
    assert not DataSubjectRequest.objects.filter(complaint=c).exists()
    with pytest.raises(InvalidArguments):
        perform(c, "subject_request", CITIZEN, kind="access")


def test_the_clock_is_72_hours_not_working_days(client, city, people, monkeypatch):
    # Friday 17:00 in Jakarta: three working days would end on Wednesday; the law's 72
    # hours end on Monday 17:00.
    friday = dt.datetime(2026, 12, 4, 10, 0, tzinfo=dt.timezone.utc)
    c = submit(city).complaint
    perform(c, "subject_request", CITIZEN, kind="erase", now=friday)
    request = pending(c)
    assert request.due_at == friday + dt.timedelta(hours=72)
    rows = subject_rights.queue(friday + dt.timedelta(hours=71, minutes=30))
    assert (rows[0]["overdue"], rows[0]["hours_left"]) == (False, 0)
    rows = subject_rights.queue(friday + dt.timedelta(hours=1))
    assert (rows[0]["overdue"], rows[0]["hours_left"]) == (False, 71)
    rows = subject_rights.queue(friday + dt.timedelta(hours=75, minutes=10))
    assert (rows[0]["overdue"], rows[0]["overdue_hours"]) == (True, 3)
    # The queue page, with the clock frozen after the deadline, marks it overdue.
    client.force_login(people["privacy"])
    monkeypatch.setattr(timezone, "now", lambda: friday + dt.timedelta(hours=75, minutes=10))
    page = client.get(reverse("staff:privacy")).content.decode()
    assert f'id="request-{request.pk}" class="overdue"' in page and "Overdue by 3 hours" in page
    monkeypatch.setattr(timezone, "now", lambda: friday + dt.timedelta(hours=2))
    page = client.get(reverse("staff:privacy")).content.decode()
    assert 'class="overdue"' not in page and "70 hours left" in page


# --- the privacy officer ---------------------------------------------------------------------
@pytest.mark.parametrize("role", ["triage", "officer_roads", "supervisor_works", "oversight", "admin", "nobody"])
def test_other_roles_cannot_see_the_queue_or_decide(client, city, people, role):
    c = submit(city).complaint
    perform(c, "subject_request", CITIZEN, kind="stop")
    request = pending(c)
    client.force_login(people[role])
    assert client.get(reverse("staff:privacy")).status_code == 403
    for decision in ("approve", "refuse"):
        response = client.post(reverse("staff:privacy_decide", args=[request.pk, decision]), {"reason": "Tidak."})
        assert response.status_code == 403
    for action in ("approve_subject_request", "refuse_subject_request"):
        with pytest.raises(NotPermitted):
            perform(c, action, as_staff(people[role]), request=request, reason="Tidak.")
    assert pending(c).state == "pending" and fresh(c).state == State.SUBMITTED
    # Not even through the complaint page's generic action endpoint.
    response = client.post(reverse("staff:act", args=[c.tracking_code, "approve_subject_request"]), {
        "expected_state": "submitted", "expected_version": str(fresh(c).audit_count), "confirmed": "yes"})
    assert response.status_code in (403, 404)
    assert pending(c).state == "pending"


def test_the_generic_action_endpoint_cannot_approve_without_the_queue(client, city, people):
    c = submit(city).complaint
    perform(c, "subject_request", CITIZEN, kind="erase")
    client.force_login(people["privacy"])
    response = client.post(reverse("staff:act", args=[c.tracking_code, "approve_subject_request"]), {
        "expected_state": "submitted", "expected_version": str(fresh(c).audit_count), "confirmed": "yes"})
    assert response.status_code == 400
    assert pending(c).state == "pending" and fresh(c).state == State.SUBMITTED


def test_a_refusal_without_a_reason_is_a_form_error(client, city, people):
    c = submit(city).complaint
    perform(c, "subject_request", CITIZEN, kind="erase")
    request = pending(c)
    client.force_login(people["privacy"])
    for reason in ("", "   "):
        response = client.post(reverse("staff:privacy_decide", args=[request.pk, "refuse"]), {"reason": reason})
        assert response.status_code == 400
        assert f'id="refuse-{request.pk}-error"' in response.content.decode()
    assert pending(c).state == "pending"
    assert not Event.objects.filter(complaint=c, action="refuse_subject_request").exists()


def test_erasure_of_a_complaint_on_appeal_is_refused_with_the_reason_the_citizen_reads(client, city, people):
    filed = submit(city)
    c = signed_in(client, filed)
    c = drive(fresh(c), people, city, "resolved")
    perform(c, "reopen", CITIZEN, reason="Lubangnya muncul lagi.")
    assert ask(client, c).status_code == 302
    request = pending(c)
    client.force_login(people["privacy"])
    queue = client.get(reverse("staff:privacy")).content.decode()
    assert "on appeal" in queue and "72 hours" in queue
    reason = "Banding Anda sedang diperiksa; data dihapus setelah banding selesai."
    response = client.post(reverse("staff:privacy_decide", args=[request.pk, "refuse"]), {"reason": reason})
    assert response.status_code == 303
    request.refresh_from_db()
    assert (request.state, request.refusal_reason, request.decided_by) == ("refused", reason, people["privacy"])
    c = fresh(c)
    assert c.state == State.IN_PROGRESS and c.reporter_name == "Siti Rahayu"
    # The citizen reads the reason on the tracking page (their access, not the officer's).
    client.logout()
    signed_in(client, filed)
    page = client.get(reverse("complaints:track_page", args=[c.tracking_code])).content.decode()
    assert reason in page and "refused" in page
    # Deciding again is refused: the request is no longer pending.
    client.force_login(people["privacy"])
    again = client.post(reverse("staff:privacy_decide", args=[request.pk, "approve"]))
    assert again.status_code == 400 and fresh(c).state == State.IN_PROGRESS


def test_a_sensitive_complaint_under_investigation_is_flagged_in_the_queue(client, city, people):
    c = submit(city, category="bribe_cat").complaint
    perform(c, "subject_request", CITIZEN, kind="erase")
    client.force_login(people["privacy"])
    assert "under investigation" in client.get(reverse("staff:privacy")).content.decode()


def test_an_open_complaint_is_withdrawn_by_the_privacy_officer_then_erased(client, city, people):
    filed = submit(city)
    c = signed_in(client, filed)
    c = drive(fresh(c), people, city, "in_progress")
    attach(c)
    assert ask(client, c).status_code == 302
    request = pending(c)
    client.force_login(people["privacy"])
    response = client.post(reverse("staff:privacy_decide", args=[request.pk, "approve"]))
    assert response.status_code == 303
    c = fresh(c)
    assert c.state == State.WITHDRAWN and c.processing_restricted_at is not None
    actions = list(Event.objects.filter(complaint=c).order_by("seq").values_list("action", "actor_label"))
    tail = [a for a, _label in actions[-4:]]
    # complaints.erasure's own audited event follows, then the redaction of the events'
    # personal parts (complaints.redaction).
    assert tail == ["approve_subject_request", "withdraw", "erase_personal_data", "personal_data_erased"]
    assert dict(actions)["withdraw"] == people["privacy"].username
    assert c.reporter_name == "" and c.reporter_email == "" and c.reporter_phone == ""
    assert "Jl. Merdeka" not in c.description
    request.refresh_from_db()
    assert (request.state, request.reason) == ("approved", "")
    assert verify_complaint(c) is None
    assert subject_rights.queue(timezone.now()) == []


def test_stop_withdraws_and_restricts_processing_without_erasing(city, people):
    c = drive(submit(city).complaint, people, city, "triaged")
    perform(c, "subject_request", CITIZEN, kind="stop")
    subject_rights.approve(pending(c).pk, officer=people["privacy"])
    c = fresh(c)
    assert c.state == State.WITHDRAWN and c.processing_restricted_at is not None
    assert c.reporter_name == "Siti Rahayu"
    assert not Event.objects.filter(complaint=c, action__icontains="eras").exists()
    # Processing stopped: not even oversight reopens it (and so no further e-mail).
    sent = Notification.objects.filter(complaint=c).count()
    with pytest.raises(TransitionError):
        perform(c, "reopen_on_appeal", as_staff(people["oversight"]), reason="Ditinjau ulang.")
    assert Notification.objects.filter(complaint=c).count() == sent and fresh(c).state == State.WITHDRAWN
    # A further request is pointless: processing has stopped already.
    with pytest.raises(InvalidArguments):
        perform(c, "subject_request", CITIZEN, kind="stop")


def test_the_citizen_alone_cannot_withdraw_a_handled_complaint_by_asking(city, people):
    c = drive(submit(city).complaint, people, city, "triaged")
    perform(c, "subject_request", CITIZEN, kind="stop")
    # Pending is not approved: neither the citizen nor the officer withdraws it yet.
    with pytest.raises(IllegalTransition):
        perform(fresh(c), "withdraw", CITIZEN)
    with pytest.raises(IllegalTransition):
        perform(fresh(c), "withdraw", as_staff(people["privacy"]))
    assert fresh(c).state == State.TRIAGED


def test_every_step_is_an_audited_event_without_personal_values(client, city, people):
    filed = submit(city)
    c = signed_in(client, filed)
    client.get(download(client, c))
    reason = "Nama saya Siti Rahayu, tolong hapus."
    assert ask(client, c, reason=reason).status_code == 302
    refusal = "Siti Rahayu: laporan masih diperiksa."
    subject_rights.refuse(pending(c).pk, officer=people["privacy"], reason=refusal)
    assert ask(client, c, kind="stop", reason=reason).status_code == 302
    subject_rights.approve(pending(c).pk, officer=people["privacy"])
    events = list(Event.objects.filter(complaint=c, action__in=RIGHTS_ACTIONS).order_by("seq"))
    assert [e.action for e in events] == ["download_data", "subject_request", "refuse_subject_request",
                                          "subject_request", "approve_subject_request"]
    for event in events:
        assert set(event.data) == {"request", "kind"}
        text = json.dumps(event.data) + event.actor_label
        for value in ("Siti", "Rahayu", "siti.rahayu", "0812", "hapus", "diperiksa", "Merdeka"):
            assert value not in text, (event.action, value)
    assert {e.actor_type for e in events[:2]} == {"citizen"}
    assert events[2].actor_user == people["privacy"]
    assert verify_complaint(fresh(c)) is None


def test_the_complaint_page_offers_the_pending_request_to_the_privacy_officer_only(client, city, people):
    c = submit(city).complaint
    perform(c, "subject_request", CITIZEN, kind="erase", reason="Hapus saja.")
    request = pending(c)
    client.force_login(people["privacy"])
    page = client.get(reverse("staff:complaint", args=[c.tracking_code])).content.decode()
    assert 'id="action-approve_subject_request"' in page and 'id="action-refuse_subject_request"' in page
    assert reverse("staff:privacy_decide", args=[request.pk, "refuse"]) in page
    assert "Privacy requests" in page  # the queue in the staff navigation
    client.force_login(people["triage"])
    page = client.get(reverse("staff:complaint", args=[c.tracking_code])).content.decode()
    assert "action-approve_subject_request" not in page and "Privacy requests" not in page


def test_once_processing_stopped_the_tracking_page_no_longer_offers_a_request(client, city, people):
    filed = submit(city)
    c = signed_in(client, filed)
    page = client.get(reverse("complaints:track_page", args=[c.tracking_code])).content.decode()
    assert 'id="act-subject_request"' in page and 'id="act-download_data"' in page
    assert ask(client, c, kind="stop").status_code == 302
    subject_rights.approve(pending(c).pk, officer=people["privacy"])
    page = client.get(reverse("complaints:track_page", args=[c.tracking_code])).content.decode()
    assert 'id="act-subject_request"' not in page and 'id="act-download_data"' in page
    assert "approved" in page and "Stop processing my report" in page
    assert ask(client, c, kind="erase").status_code == 400
    assert DataSubjectRequest.objects.filter(complaint=c).count() == 1


def test_a_confidential_reporters_words_in_the_request_are_masked_for_the_privacy_officer(client, city, people):
    """Until the privacy officer's own audited reveal, a confidential report reads masked:
    the request's reason (where citizens write their name and number) too."""
    filed = submit(city, identity_mode="confidential", reporter_name="Rahmat Hidayat",
                   reporter_phone="0813-5555-1212")
    c = signed_in(client, filed)
    assert ask(client, c, reason="Saya Rahmat Hidayat, hubungi 0813-5555-1212, hapus data saya.").status_code == 302
    client.force_login(people["privacy"])
    for url in (reverse("staff:privacy"), reverse("staff:complaint", args=[c.tracking_code])):
        page = client.get(url).content.decode()
        assert "hapus data saya" in page and "Rahmat" not in page and "5555" not in page, url
