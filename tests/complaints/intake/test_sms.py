"""SMS intake (POST /intake/sms/, complaints.intake.sms) and outbound SMS through the outbox
(complaints.sms), against a fake gateway HTTP server on 127.0.0.1."""

import datetime as dt
import hashlib
import hmac
import json
import logging
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from complaints import outbox
from complaints.models import Channel, Complaint, Event, IdentityMode, InboundMessage, Notification

from ...conftest import SignInClient
from ...test_privacy_surfaces import public_surfaces

SECRET = "test-sms-webhook-secret"
NUMBER = "0812-3344-5566"
NORMALISED = "+6281233445566"
DIGITS = "81233445566"  # what must never show, however the number is written
OTHER = "+6285799887766"
URL = "/intake/sms/"
POTHOLE = "LAPOR lubang Ada lubang besar di depan SD Negeri 3 sejak dua minggu LOKASI Jl. Merdeka 10"

_ids = iter(range(1, 10 ** 6))


class _Gateway(BaseHTTPRequestHandler):
    refuse = False  # answer 400, as a gateway does for a number it cannot send to

    def do_POST(self):  # noqa: N802 (http.server's name)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode()
        if self.server.down or self.refuse:
            self.send_response(400 if self.refuse else 503)
            self.end_headers()
            return
        with self.server.lock:
            self.server.received.append({"key": self.headers.get("X-Api-Key"),
                                         **dict(urllib.parse.parse_qsl(body))})
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"status":"queued"}')

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Gateway)
    server.received, server.down, server.lock = [], False, threading.Lock()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{server.server_address[1]}/api/send"
    settings.SMS_GATEWAY_KEY, settings.SMS_GATEWAY_KEY_HEADER = "gateway-key-1", "X-Api-Key"
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def sms_settings(settings):
    settings.SMS_WEBHOOK_SECRET = SECRET
    settings.INTAKE_SMS_PER_SENDER = 20
    return settings


def signed(body, secret=SECRET):
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def sms(text, sender=NUMBER, message_id=None, client=None, **extra):
    body = urllib.parse.urlencode({"from": sender, "text": text,
                                   "id": message_id or f"gw-{next(_ids)}"}).encode()
    return post(body, client=client, **extra)


def post(body, signature=None, client=None, content_type="application/x-www-form-urlencoded", **extra):
    headers = {} if signature is False else {"HTTP_X_SIGNATURE": signature or signed(body)}
    return (client or Client()).post(URL, data=body, content_type=content_type, **headers, **extra)


def replies():
    return list(Notification.objects.filter(kind="sms_reply").order_by("pk").values_list("body", flat=True))


def test_keyword_filing_files_a_complaint_and_the_receipt_reaches_the_gateway(city, gateway):
    assert sms(POTHOLE).status_code == 200
    complaint = Complaint.objects.get()
    assert complaint.channel == Channel.SMS and complaint.category == city["roads_cat"]
    assert complaint.reporter_phone == NORMALISED and complaint.reporter_email == ""
    assert complaint.address == "Jl. Merdeka 10" and complaint.language == "id"
    assert complaint.description.startswith("Ada lubang besar")
    assert InboundMessage.objects.get().status == "filed"
    assert replies() == []  # the receipt is the only answer
    assert outbox.send_pending() == (1, 0)
    [delivered] = gateway.received
    assert delivered["to"] == NORMALISED and delivered["key"] == "gateway-key-1"
    assert complaint.tracking_code in delivered["text"] and "https://aduan.example/" in delivered["text"]
    row = Notification.objects.get()
    # The receipt holds the key: its body and number go once sent.
    assert row.status == "sent" and row.to_phone == "" and row.body == ""


def test_status_changes_go_by_sms_with_the_tracking_link(city, gateway, people):
    from complaints.lifecycle.engine import perform
    from tests.conftest import as_staff

    sms("LAPOR puskesmas Antrean di puskesmas sangat lama, petugas datang terlambat setiap pagi.")
    complaint = Complaint.objects.get()
    perform(complaint, "request_info", as_staff(people["triage"]), message="Puskesmas yang mana, dan jam berapa?")
    outbox.send_pending()
    texts = [r["text"] for r in gateway.received]
    assert len(texts) == 2 and "Puskesmas yang mana" in texts[1] and "https://aduan.example/" in texts[1]
    assert all(r["to"] == NORMALISED for r in gateway.received)
    assert "kirim CEK" in texts[0] and "bertanya" in texts[1]  # Indonesian, as the report


@pytest.mark.parametrize("text, expected", [
    ("LAPOR", "masalah jenis apa? Kirim LAPOR <kata kunci kategori>"),
    ("lapor lubang rusak", "minimal 20 karakter: LAPOR JALAN"),
    ("LAPOR jalan Ada lubang besar di depan sekolah sejak dua minggu", "akhiri dengan LOKASI"),
    ("HALO apa kabar", "untuk melapor, kirim LAPOR"),
    ("", "untuk melapor, kirim LAPOR"),
])
def test_what_is_missing_is_asked_for_in_indonesian_and_nothing_is_filed(city, text, expected):
    assert sms(text).status_code == 200
    assert Complaint.objects.count() == 0
    [answer] = replies()
    assert expected in answer
    assert "JALAN, PUNGLI, PUSKESMAS" in answer or "LOKASI" in answer or "karakter" in answer
    row = Notification.objects.get()
    assert row.language == "id" and row.to_phone == NORMALISED and row.erase_after_send
    assert InboundMessage.objects.get().status == "rejected"


def test_english_keywords_get_english_replies(city):
    sms("REPORT road")
    [answer] = replies()
    assert "in at least 20 characters: REPORT JALAN" in answer
    assert Notification.objects.get().language == "en"
    sms("report road There is a deep pothole in front of the school for two weeks now LOCATION Jl. Merdeka 4")
    complaint = Complaint.objects.get()
    assert complaint.language == "en" and complaint.address == "Jl. Merdeka 4"
    assert "send STATUS" in Notification.objects.get(kind="receipt").body


def test_a_sensitive_category_makes_it_confidential(city):
    sms("LAPOR pungli Petugas di kantor kelurahan meminta uang untuk surat pengantar KTP.")
    complaint = Complaint.objects.get()
    assert complaint.identity_mode == IdentityMode.CONFIDENTIAL and complaint.visibility == "private"


@pytest.mark.parametrize("signature", [False, "0" * 64, signed(b"something else"), "zz\u00e9", signed(b"x", "other")])
def test_a_wrong_or_missing_signature_is_refused_and_nothing_is_stored(city, signature):
    body = urllib.parse.urlencode({"from": NUMBER, "text": POTHOLE, "id": "gw-x"}).encode()
    assert post(body, signature=signature).status_code == 403
    assert InboundMessage.objects.count() == Complaint.objects.count() == Notification.objects.count() == 0


def test_without_a_secret_every_request_is_refused(city, settings):
    settings.SMS_WEBHOOK_SECRET = ""
    body = urllib.parse.urlencode({"from": NUMBER, "text": POTHOLE}).encode()
    assert post(body, signature=hmac.new(b"", body, hashlib.sha256).hexdigest()).status_code == 403
    assert InboundMessage.objects.count() == 0


def test_a_replayed_gateway_message_id_is_handled_once(city):
    for _ in range(3):
        assert sms(POTHOLE, message_id="gw-replayed-1").status_code == 200
    assert InboundMessage.objects.count() == Complaint.objects.count() == 1
    assert Notification.objects.count() == 1


def test_configured_field_names_and_json_bodies(city, settings):
    settings.SMS_FIELD_FROM, settings.SMS_FIELD_TEXT, settings.SMS_FIELD_ID = "msisdn", "message", "trx_id"
    body = json.dumps({"msisdn": NUMBER, "message": POTHOLE, "trx_id": 77}).encode()
    assert post(body, content_type="application/json").status_code == 200
    assert Complaint.objects.get().reporter_phone == NORMALISED


def test_status_is_told_only_to_the_filing_number(city):
    sms(POTHOLE)
    code = Complaint.objects.get().tracking_code
    sms(f"CEK {code.lower()}", sender=NORMALISED)  # the same number, written otherwise
    sms(f"CEK {code}", sender=OTHER)
    sms("CEK ADU-ZZZZ-ZZZZ", sender=OTHER)
    own, other, unknown = replies()
    assert code in own and other == unknown and code not in other
    from django.utils.translation import gettext, override
    with override("id"):
        assert other == gettext("No report matches this tracking code and key. Check both and try again.")
    sms(f"STATUS {code}", sender=OTHER)
    sms("STATUS ADU-ZZZZ-ZZZZ", sender=OTHER)
    assert replies()[-1] == replies()[-2] == "No report matches this tracking code and key. Check both and try again."


def test_a_flood_from_one_number_is_throttled_recorded_and_not_answered(city, settings):
    settings.INTAKE_SMS_PER_SENDER = 3
    for i in range(6):
        sms(f"LAPOR puskesmas Antrean di puskesmas sangat lama sekali, laporan ke-{i} dari saya.")
    assert Complaint.objects.count() == 3
    assert InboundMessage.objects.filter(status="throttled").count() == 3
    assert Notification.objects.count() == 3  # the receipts; nothing answers the flood
    sms("LAPOR puskesmas Antrean di puskesmas sangat lama sekali, dari nomor lain.", sender=OTHER)
    assert Complaint.objects.count() == 4


def test_gateway_down_then_up_delivers_once_the_worker_retries(city, gateway):
    gateway.down = True
    sms(POTHOLE)
    assert outbox.send_pending() == (0, 1)
    row = Notification.objects.get()
    assert row.status == "pending" and row.attempts == 1 and DIGITS not in row.last_error
    assert gateway.received == []
    gateway.down = False
    later = timezone.now() + dt.timedelta(minutes=5)
    assert outbox.send_pending(now=later) == (1, 0)
    assert outbox.send_pending(now=later + dt.timedelta(hours=1)) == (0, 0)
    assert len(gateway.received) == 1


def test_nul_bytes_huge_bodies_and_non_utf8_are_handled(city, settings):
    assert sms("LAPOR puskesmas Antrean\x00 di puskesmas sangat lama\x00 sekali setiap pagi.").status_code == 200
    assert "\x00" not in Complaint.objects.get().description
    huge = urllib.parse.urlencode({"from": NUMBER, "text": "x" * 20000}).encode()
    assert post(huge).status_code == 413
    assert post(b"", signature=signed(b""), CONTENT_LENGTH="999999").status_code == 413
    raw = b"from=081233445566&text=LAPOR+puskesmas+\xff\xfe\xfa+antrean+lama+sekali+di+puskesmas+pagi&id=gw-bin"
    assert post(raw).status_code == 200
    assert post(b"\xff\xfe\x00\x01").status_code == 400  # signed, but no sender: nothing to do
    assert post(b"{not json", content_type="application/json").status_code == 400
    assert InboundMessage.objects.count() == 2


def test_the_phone_never_shows_on_pages_exports_or_in_the_log(city, people, caplog):
    caplog.set_level(logging.DEBUG)
    sms("LAPOR pungli Petugas di kantor kelurahan meminta uang untuk surat pengantar KTP.")
    sms(POTHOLE)
    confidential, public = Complaint.objects.order_by("pk")
    texts = public_surfaces(Client(), [confidential, public])
    staff = SignInClient()
    staff.force_login(people["oversight"])
    for path in (reverse("staff:complaint", args=[confidential.tracking_code]),
                 reverse("staff:audit", args=[confidential.tracking_code])):
        response = staff.get(path)
        assert response.status_code == 200, path
        texts.append((path, response.content.decode()))
    texts.append(("log", caplog.text))
    texts.append(("audit events", json.dumps(list(Event.objects.values_list("data", "personal")), default=str)))
    for label, text in texts:
        assert DIGITS not in text.replace("-", "").replace(" ", ""), label


def test_the_phone_goes_with_the_complaints_personal_data(city, gateway):
    from complaints.erasure import ErasureReason, do_erase_personal_fields

    sms(POTHOLE)
    complaint = Complaint.objects.get()
    from complaints import notifications
    notifications.outbox.enqueue(kind="routed", to_phone=NORMALISED, subject="s", body="b", complaint=complaint)
    # The erasure action's handler (the engine's state check aside: this complaint is open).
    do_erase_personal_fields(complaint, acting_user=None, now=timezone.now(), reason=ErasureReason.values[0])
    complaint.save()
    complaint.refresh_from_db()
    assert complaint.reporter_phone == ""
    assert not Notification.objects.filter(to_phone__contains=DIGITS).exists()
    assert not InboundMessage.objects.exists()


def test_a_row_another_worker_holds_is_not_sent_twice(city, gateway):
    sms(POTHOLE)
    row = Notification.objects.get()
    assert outbox.claim(row.pk, timezone.now())  # another worker's claim, mid-send
    assert outbox.send_pending() == (0, 0) and gateway.received == []


def test_a_worker_killed_mid_send_leaves_the_documented_window(city, gateway):
    """Killed between the gateway's acceptance and marking the row sent: after STALE_CLAIM
    the row is sent again (the one duplicate docs/channels.md names), then never again."""
    sms(POTHOLE)
    row = Notification.objects.get()
    claimed = timezone.now() - outbox.STALE_CLAIM - dt.timedelta(seconds=1)
    Notification.objects.filter(pk=row.pk).update(status="sending", claimed_at=claimed)
    assert outbox.send_pending() == (1, 0)
    assert outbox.send_pending() == (0, 0)
    assert len(gateway.received) == 1


def test_a_refused_number_is_given_up_at_once(city, gateway, settings):
    _Gateway.refuse = True
    try:
        sms(POTHOLE)
        assert outbox.send_pending() == (0, 1)
    finally:
        _Gateway.refuse = False
    row = Notification.objects.get()
    assert row.status == "failed" and row.to_phone == "" and row.body == ""  # a receipt: erased
    assert row.last_error == "Refused: gateway answered HTTP 400"


def test_an_email_cannot_take_the_key_of_a_later_sms(city):
    # E-mail and SMS share InboundMessage's unique key column: a Message-ID written like the
    # SMS key of a gateway id must not make that SMS look handled already.
    from complaints.intake.mail import receive

    from .conftest import mail

    receive(bytes(mail(message_id="sms|id|gw-collide-1")))
    assert sms(POTHOLE, message_id="gw-collide-1").status_code == 200
    assert Complaint.objects.filter(channel=Channel.SMS).count() == 1
