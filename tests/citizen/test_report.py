"""Filing a report through the web form: every field rule, attachments, honeypot, rate
limit and double submission, with the message shown and nothing stored on bad input."""

import datetime as dt
import io
import threading
import uuid

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from complaints.citizen import views
from complaints.models import Attachment, Complaint, IdentityMode, Notification, Visibility

from .conftest import form_data, jpeg_with_gps, pdf_with_metadata, png_bytes, upload

REPORT = "/report/"


def post(client, data, files=None, follow=False):
    payload = dict(data)
    if files:
        payload["attachments"] = files
    return client.post(REPORT, payload, follow=follow)


def nothing_stored():
    return (Complaint.objects.count(), Attachment.objects.count(), Notification.objects.count()) == (0, 0, 0)


def test_home_leads_to_the_form_in_one_click(client, city):
    response = client.get("/")
    assert f'href="{REPORT}"' in response.content.decode()


def test_form_groups_categories_by_unit_and_explains_identity_modes(client, city):
    client.cookies["django_language"] = "en"
    response = client.get(REPORT)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<optgroup label="Roads">' in html and 'value="JALAN-RUSAK"' in html
    assert 'data-sensitive="1"' in html  # the illegal-levies category
    assert "privacy officer" in html and "used once to send you the link" in html
    assert 'name="idempotency_key"' in html and 'name="website"' in html
    assert 'for="id_title"' in html and 'aria-describedby="id_title-help"' in html


def shown_key(html):
    return html.split('id="secret-key"')[1].split('value="')[1].split('"')[0]


def test_named_report_is_filed_and_confirmation_shows_code_and_secret_key(client, city):
    client.cookies["django_language"] = "id"  # the filing language is the page's language
    response = post(client, form_data(city), follow=True)
    complaint = Complaint.objects.get()
    html = response.content.decode()
    assert response.status_code == 200
    assert complaint.tracking_code in html
    token = shown_key(html)
    assert complaint.check_token(token)
    assert "?t=" not in html  # no link with the key: it would reach logs and history
    assert complaint.identity_mode == "named" and complaint.reporter_name == "Siti Rahayu"
    assert complaint.language == "id"
    assert Notification.objects.get().kind == "receipt"


def test_report_filed_in_english_remembers_its_language(client, city):
    client.cookies["django_language"] = "en"
    post(client, form_data(city))
    assert Complaint.objects.get().language == "en"


def test_short_description_is_explained_and_nothing_stored(client, city):
    response = post(client, form_data(city, description="rusak"))
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_description-error"' in html and "20" in html
    assert 'aria-describedby="id_description-help id_description-error"' in html
    assert "Jalan berlubang besar" in html  # the rest of the form is kept
    assert nothing_stored()


def test_named_report_without_contact_is_refused(client, city):
    response = post(client, form_data(city, reporter_email="", reporter_phone=""))
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_reporter_email-error"' in html
    assert nothing_stored()


def test_named_report_without_name_is_refused(client, city):
    response = post(client, form_data(city, reporter_name=""))
    assert response.status_code == 400
    assert 'id="id_reporter_name-error"' in response.content.decode()
    assert nothing_stored()


def test_missing_category_is_refused(client, city):
    data = form_data(city)
    data["category"] = ""
    response = post(client, data)
    assert response.status_code == 400
    assert 'id="id_category-error"' in response.content.decode()
    assert nothing_stored()


def test_unknown_category_is_refused(client, city):
    data = form_data(city)
    data["category"] = "NO-SUCH"
    response = post(client, data)
    assert response.status_code == 400
    assert 'id="id_category-error"' in response.content.decode()
    assert nothing_stored()


def test_half_a_map_point_is_refused(client, city):
    response = post(client, form_data(city, longitude=""))
    assert response.status_code == 400
    assert 'id="id_latitude-error"' in response.content.decode()
    assert nothing_stored()


def test_anonymous_report_stores_no_identity_and_no_address(client, city):
    data = form_data(city, identity_mode="anonymous", reporter_name="Siti", reporter_phone="0812",
                     reporter_email="anon@example.com")
    post(client, data)
    complaint = Complaint.objects.get()
    assert (complaint.reporter_name, complaint.reporter_email, complaint.reporter_phone) == ("", "", "")
    receipt = Notification.objects.get()
    assert receipt.to_email == "anon@example.com" and receipt.erase_after_send


def test_anonymous_report_while_signed_in_is_not_linked_to_the_account(client, city, people):
    client.force_login(people["nobody"])
    post(client, form_data(city, identity_mode="anonymous"))
    assert Complaint.objects.get().reporter_user is None


def test_named_report_while_signed_in_is_linked_to_the_account(client, city, people):
    client.force_login(people["nobody"])
    post(client, form_data(city))
    assert Complaint.objects.get().reporter_user == people["nobody"]


def test_sensitive_category_forces_private_and_confidential_and_says_why(client, city):
    client.cookies["django_language"] = "en"
    response = post(client, form_data(city, category="bribe_cat", visibility="public"), follow=True)
    complaint = Complaint.objects.get()
    assert complaint.visibility == Visibility.PRIVATE
    assert complaint.identity_mode == IdentityMode.CONFIDENTIAL
    assert "handled by the inspectorate" in response.content.decode()


def test_honeypot_filled_stores_nothing(client, city):
    response = post(client, form_data(city, website="http://spam.example"))
    assert response.status_code == 400
    assert nothing_stored()


def test_double_submit_creates_one_complaint_and_both_show_the_confirmation(client, city):
    data = form_data(city)
    first = post(client, data, follow=True)
    second = post(client, data, follow=True)
    complaint = Complaint.objects.get()
    for response in (first, second):
        assert response.status_code == 200
        assert complaint.tracking_code in response.content.decode()
        assert complaint.check_token(shown_key(response.content.decode()))
    assert Notification.objects.count() == 1


def test_rate_limit_shows_a_wait_page_and_stores_nothing(client, city, settings):
    settings.CITIZEN_REPORTS_PER_WINDOW = 2
    settings.CITIZEN_REPORT_WINDOW_SECONDS = 600
    client.cookies["django_language"] = "en"
    for _ in range(2):
        assert post(client, form_data(city)).status_code == 302
    response = post(client, form_data(city))
    html = response.content.decode()
    assert response.status_code == 429
    wait = int(response["Retry-After"])
    assert 0 < wait <= 600
    minutes = -(-wait // 60)
    assert f"try again in {minutes} minute" in html
    assert Complaint.objects.count() == 2
    assert Complaint.objects.count() == 2


def test_confirmation_page_needs_the_session_that_filed(client, city):
    token = shown_key(post(client, form_data(city), follow=True).content.decode())
    complaint = Complaint.objects.get()
    client.cookies.clear()
    response = client.get(reverse("complaints:report_done", args=[complaint.tracking_code]))
    assert response.status_code == 404
    assert token not in response.content.decode() and 'id="secret-key"' not in response.content.decode()


# --- attachments ---------------------------------------------------------------------------
def test_photo_with_gps_is_stored_without_any_exif(client, city, media):
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the test file has GPS
    post(client, form_data(city), [upload("IMG_2024.jpg", original, "image/jpeg")])
    attachment = Attachment.objects.get()
    stored = attachment.file.read()
    image = Image.open(io.BytesIO(stored))
    assert image.format == "JPEG" and image.size == (64, 48)
    assert not image.getexif()  # no GPS, no camera model, nothing
    assert b"SecretPhone" not in stored and b"Exif" not in stored
    assert attachment.content_type == "image/jpeg" and attachment.size == len(stored)
    assert attachment.file.name.endswith(".jpg") and "IMG_2024" not in attachment.file.name


def test_png_and_pdf_are_accepted_and_the_pdf_loses_its_metadata(client, city):
    files = [upload("plan.png", png_bytes()), upload("letter.pdf", pdf_with_metadata())]
    post(client, form_data(city), files)
    stored = {a.content_type: a.file.read() for a in Attachment.objects.all()}
    assert set(stored) == {"image/png", "application/pdf"}
    assert b"Budi Santoso" not in stored["application/pdf"]
    assert b"Secret Office Suite" not in stored["application/pdf"]
    from pypdf import PdfReader

    assert len(PdfReader(io.BytesIO(stored["application/pdf"])).pages) == 1


def test_oversized_file_is_refused_by_name_and_nothing_stored(client, city):
    big = b"\xff\xd8\xff\xe0" + b"\0" * (10 * 1024 * 1024)
    response = post(client, form_data(city), [upload("huge.jpg", big)])
    html = response.content.decode()
    assert response.status_code == 400
    assert "huge.jpg" in html and "10 MB" in html
    assert "Jalan berlubang besar" in html
    assert nothing_stored()


def test_pdf_renamed_to_jpg_is_refused(client, city):
    response = post(client, form_data(city), [upload("photo.jpg", pdf_with_metadata(), "image/jpeg")])
    html = response.content.decode()
    assert response.status_code == 400
    assert "photo.jpg" in html and "PDF" in html
    assert nothing_stored()


def test_executable_renamed_to_png_is_refused(client, city):
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\0" * 200
    response = post(client, form_data(city), [upload("cute.png", exe, "image/png")])
    html = response.content.decode()
    assert response.status_code == 400
    assert "cute.png" in html
    assert 'id="id_attachments-error"' in html
    assert nothing_stored()


def test_damaged_image_is_refused(client, city):
    response = post(client, form_data(city), [upload("broken.jpg", b"\xff\xd8\xff\xe0garbage")])
    assert response.status_code == 400
    assert "broken.jpg" in response.content.decode()
    assert nothing_stored()


def test_a_rejected_file_among_good_ones_stores_none_of_them(client, city):
    files = [upload("ok.png", png_bytes()), upload("bad.png", b"#!/bin/sh\nrm -rf /\n")]
    response = post(client, form_data(city), files)
    html = response.content.decode()
    assert response.status_code == 400 and "bad.png" in html and "ok.png" not in html
    assert nothing_stored()


@pytest.mark.parametrize("count", [6])
def test_more_than_five_files_is_refused(client, city, count):
    files = [upload(f"p{i}.png", png_bytes()) for i in range(count)]
    response = post(client, form_data(city), files)
    assert response.status_code == 400
    assert nothing_stored()


def test_the_key_is_shown_only_in_the_confirmation_period_and_never_kept_on_the_server(client, city):
    from django.contrib.sessions.models import Session

    data = form_data(city)
    response = post(client, data)
    complaint = Complaint.objects.get()
    assert complaint.idempotency_key != data["idempotency_key"]  # the form's own key is not kept
    cookie = response.cookies[f"aduan_receipt_{complaint.tracking_code}"]
    # The browser sends the key only to this report's confirmation page, for 30 minutes.
    assert cookie["path"] == response["Location"] == f"/report/done/{complaint.tracking_code}/"
    assert cookie["httponly"] and int(cookie["max-age"]) == views.CONFIRMATION_SECONDS
    token = shown_key(client.get(response["Location"]).content.decode())
    assert all(token not in str(s.get_decoded()) for s in Session.objects.all())
    assert token not in str(Complaint.objects.values().get())
    Complaint.objects.update(submitted_at=timezone.now() - dt.timedelta(seconds=views.CONFIRMATION_SECONDS + 1))
    expired = client.get(response["Location"])
    assert expired.status_code == 404 and token not in expired.content.decode()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_identical_submissions_at_the_same_moment_create_one_complaint(city):
    data = form_data(city)
    barrier = threading.Barrier(3)
    statuses = []

    def send(n):
        try:
            client = Client(REMOTE_ADDR=f"10.99.0.{n}")
            barrier.wait()
            statuses.append(client.post(REPORT, data).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [302, 302, 302]
    assert Complaint.objects.count() == 1 and Notification.objects.count() == 1


# --- a reused form; double clicks and the rate limit ----------------------------------------
def test_a_different_report_sent_from_a_reused_form_is_filed_not_dropped(client, city):
    data = form_data(city)
    first = post(client, data, follow=True)
    # Back to the form (or a restored tab): the same idempotency key, another report.
    changed = dict(data, title="Lampu jalan mati",
                   description="Lampu jalan di Jl. Sudirman mati sejak minggu lalu, gelap sekali.")
    second = post(client, changed, follow=True)
    assert Complaint.objects.count() == 2
    earlier, new = Complaint.objects.get(title=data["title"]), Complaint.objects.get(title="Lampu jalan mati")
    html = second.content.decode()
    assert second.status_code == 200
    assert new.tracking_code in html and earlier.tracking_code not in html
    assert new.check_token(shown_key(html))
    assert earlier.tracking_code in first.content.decode()
    # Each of the two forms sent once more is still its own one report.
    assert new.tracking_code in post(client, changed, follow=True).content.decode()
    assert earlier.tracking_code in post(client, data, follow=True).content.decode()
    assert Complaint.objects.count() == 2 and Notification.objects.count() == 2


def test_a_reused_form_with_another_photo_is_a_new_report(client, city):
    data = form_data(city)
    post(client, data, [upload("a.png", png_bytes())])
    post(client, data, [upload("a.png", png_bytes()), upload("b.jpg", jpeg_with_gps())])
    assert Complaint.objects.count() == 2
    assert sorted(c.attachments.count() for c in Complaint.objects.all()) == [1, 2]
    post(client, data, [upload("a.png", png_bytes())])  # the first form, files and all, again
    assert Complaint.objects.count() == 2


def test_double_submissions_within_the_limit_never_show_429(client, city, settings):
    settings.CITIZEN_REPORTS_PER_WINDOW = 3
    settings.CITIZEN_REPORT_WINDOW_SECONDS = 600
    for n in range(3):
        data = form_data(city, title=f"Laporan {n}")
        for _click in range(2):
            assert post(client, data).status_code == 302
    assert Complaint.objects.count() == 3
    # Resends of filed reports still answer after the limit is reached; a new one does not.
    assert post(client, data).status_code == 302
    assert post(client, form_data(city, title="Laporan 4")).status_code == 429


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_double_clicks_within_the_limit_never_show_429(city, settings, monkeypatch):
    """Both requests of a double click arrive before either has stored the report (held
    together inside filing), as the adversarial test saw; only one complaint is created,
    so only one counts against the limit."""
    from complaints import suggestions

    settings.CITIZEN_REPORTS_PER_WINDOW = 3
    settings.CITIZEN_REPORT_WINDOW_SECONDS = 600
    real = suggestions.suggest_for
    together = threading.Barrier(2, timeout=5)

    def both_inside(complaint):
        try:
            together.wait()
        except threading.BrokenBarrierError:
            pass  # the other request never got this far
        return real(complaint)

    monkeypatch.setattr(suggestions, "suggest_for", both_inside)
    statuses = []
    # One address for all clicks, unused by earlier runs (the limit may live in a shared Redis).
    address = f"10.98.{uuid.uuid4().int % 256}.{uuid.uuid4().int % 256}"

    def click(data):
        try:
            statuses.append(Client(REMOTE_ADDR=address).post(REPORT, data).status_code)
        finally:
            connections.close_all()

    for n in range(3):
        data = form_data(city, title=f"Laporan {n}")
        pair = [threading.Thread(target=click, args=(data,)) for _ in range(2)]
        for t in pair:
            t.start()
        for t in pair:
            t.join()
    assert statuses == [302] * 6
    assert Complaint.objects.count() == 3 and Notification.objects.count() == 3
