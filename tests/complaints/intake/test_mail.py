"""E-mail intake (issue 17 item 2): new complaints, replies, automatic mail, forged reply
addresses, MIME bombs, duplicates, floods and hostile bytes; a real SMTP server (aiosmtpd)
carries the citizen's mail and our receipt where it matters."""

import io
import smtplib
from email import message_from_bytes

import pytest
from PIL import Image

from complaints import outbox
from complaints.intake import addresses
from complaints.intake.mail import cut_quotes, detect_language, receive
from complaints.lifecycle.engine import perform
from complaints.models import Attachment, Complaint, Event, InboundMessage, Message, Notification

from ...conftest import as_staff
from .conftest import CITIZEN_ADDRESS, INTAKE, jpeg_with_gps, mail, pipe

Status = InboundMessage.Status


def only_complaint():
    assert Complaint.objects.count() == 1
    return Complaint.objects.get()


# --- a new complaint ---------------------------------------------------------------------
def test_a_message_over_real_smtp_becomes_a_complaint_with_a_clean_photo_and_a_receipt(smtp, people):
    photo = jpeg_with_gps()
    assert Image.open(io.BytesIO(photo)).getexif().get_ifd(0x8825)
    message = mail(body="Lampu jalan di depan puskesmas mati sejak seminggu, warga takut lewat.\n\n"
                        "-- \nBudi Santoso\n0812-0000-1111",
                   attachments=[("foto.jpg", photo, "image", "jpeg")])
    with smtplib.SMTP("127.0.0.1", smtp.port) as client:  # the citizen's mail program
        client.send_message(message, from_addr=CITIZEN_ADDRESS, to_addrs=[INTAKE])
    (sender, rcpts, raw), = smtp.envelopes
    record, out = pipe(raw, sender=sender, recipient=rcpts[0])
    assert record.status == Status.FILED and out.strip().endswith("filed")
    c = only_complaint()
    assert record.complaint == c
    assert (c.channel, c.state, c.title, c.identity_mode, c.visibility) == (
        "email", "submitted", "Lampu mati", "named", "private")
    assert c.reporter_email == CITIZEN_ADDRESS and c.reporter_name == "Budi Santoso"
    assert "0812" not in c.description and "warga takut lewat" in c.description  # signature cut
    assert c.language == "id" and c.category.code == "PUSKESMAS"
    attachment = Attachment.objects.get(complaint=c)
    stored = Image.open(attachment.file.open("rb"))
    assert stored.format == "JPEG" and not stored.getexif()  # no GPS, no camera model
    # The receipt goes through the outbox to the sender, with the signed reply address.
    assert outbox.send_pending() == (1, 0)
    receipt = smtp.messages()[-1]
    assert receipt["To"] == CITIZEN_ADDRESS and c.tracking_code in receipt.get_payload(decode=True).decode()
    assert receipt["Reply-To"] == addresses.reply_address(c.tracking_code)
    assert receipt["Reply-To"].startswith(f"lapor+{c.tracking_code.lower()}.")
    assert receipt["Auto-Submitted"] == "auto-generated" and receipt["Message-ID"]
    # The citizen answers the receipt: their program writes to its Reply-To.
    answer = mail(subject="Re: " + receipt["Subject"], to=receipt["Reply-To"],
                  body="Lampu kedua di ujung gang juga mati sekarang.\n\n> kutipan surel kami\n",
                  headers={"In-Reply-To": receipt["Message-ID"]})
    with smtplib.SMTP("127.0.0.1", smtp.port) as client:
        client.send_message(answer, from_addr=CITIZEN_ADDRESS, to_addrs=[receipt["Reply-To"]])
    sender, rcpts, raw = smtp.envelopes[-1]
    record, _out = pipe(raw, sender=sender, recipient=rcpts[0])
    assert record.status == Status.REPLY and record.complaint == c
    comment = Message.objects.get(complaint=c)
    assert comment.body == "Lampu kedua di ujung gang juga mati sekarang." and comment.author_type == "citizen"


def test_html_only_mail_english_and_a_sensitive_category_is_confidential(city):
    city["bribe_cat"].keywords = "pungli,bribe"
    city["bribe_cat"].save()
    message = mail(subject="Bribe at the office", body=None,
                   html="<html><head><style>p{color:red}</style></head><body><p>The officer asked me for a "
                        "bribe of 500000 for my ID card at the office, this has been going on for weeks."
                        "</p><blockquote>old quoted text</blockquote></body></html>")
    record = receive(bytes(message))
    assert record.status == Status.FILED, record.reason
    c = record.complaint
    assert c.category.code == "PUNGLI" and c.identity_mode == "confidential" and c.visibility == "private"
    assert c.language == "en" and "<p>" not in c.description and "old" not in c.description


def test_quotes_and_signatures_are_cut():
    text = ("Jawaban saya: di depan nomor 12.\n\nPada Sen, 1 Des 2026 pukul 10.00 Aduan\n"
            "<noreply@aduan.example> menulis:\n> Di nomor berapa?\n> \n")
    assert cut_quotes(text) == "Jawaban saya: di depan nomor 12."
    assert cut_quotes("Halo\n> kutipan\nlagi\nSent from my iPhone\nsisa") == "Halo\nlagi"
    assert cut_quotes("Isi\n-----Original Message-----\nFrom: x") == "Isi"
    assert detect_language("Ada lubang di jalan dan sudah lama") == "id"
    assert detect_language("There is a hole in the road and it has been there for weeks") == "en"


# --- replies ------------------------------------------------------------------------------
def filed_by_mail():
    record = receive(bytes(mail()))
    assert record.status == Status.FILED, record.reason
    return record.complaint


def reply(complaint, body, address=None, **kw):
    return mail(subject="Re: Laporan", body=body, to=address or addresses.reply_address(complaint.tracking_code), **kw)


def test_a_reply_answers_the_open_request_for_information(people):
    c = filed_by_mail()
    c = perform(c, "request_info", as_staff(people["triage"]), message="Di nomor berapa tepatnya?")
    assert c.state == "needs_info"
    photo = jpeg_with_gps()
    record, _out = pipe(reply(c, "Di depan rumah nomor 12, dekat masjid.\n\n"
                                 "Pada Sen, 1 Des 2026 Aduan <noreply@aduan.example> menulis:\n"
                                 "> Di nomor berapa tepatnya?\n",
                              attachments=[("lokasi.jpg", photo, "image", "jpeg")]))
    assert record.status == Status.REPLY and record.complaint == c
    c = Complaint.objects.get(pk=c.pk)
    assert c.state == "submitted"  # back where it came from
    event = Event.objects.filter(complaint=c).order_by("-seq").first()
    assert event.action == "provide_info" and event.actor_type == "citizen"
    assert Message.objects.filter(complaint=c).order_by("-pk").first().body == "Di depan rumah nomor 12, dekat masjid."
    assert Attachment.objects.filter(complaint=c).count() == 1


def test_a_reply_becomes_a_comment_and_in_reply_to_alone_also_finds_the_complaint(settings):
    c = filed_by_mail()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    outbox.send_pending()
    receipt = Notification.objects.get(complaint=c, kind="receipt")
    record = receive(bytes(reply(c, "Tambahan: lampu kedua juga mati sekarang.")))
    assert record.status == Status.REPLY
    assert Event.objects.filter(complaint=c, action="comment").count() == 1
    # A client that answers to From: In-Reply-To names the receipt's Message-ID.
    record = receive(bytes(mail(subject="Re: Laporan", body="Satu lagi: tiangnya miring.", to=INTAKE,
                                headers={"In-Reply-To": outbox.message_id(receipt)})))
    assert record.status == Status.REPLY and record.complaint == c
    assert Event.objects.filter(complaint=c, action="comment").count() == 2
    # ... but only from the address it was sent to.
    record = receive(bytes(mail(subject="Re: Laporan", body="Saya orang lain, tapi ini laporan baru ya.",
                                sender="lain@warga.example", to=INTAKE,
                                headers={"In-Reply-To": outbox.message_id(receipt)})))
    assert record.status == Status.FILED and record.complaint != c


def test_a_reply_to_an_anonymous_report_keeps_no_copy_of_the_message(city):
    from ...conftest import submit

    c = submit(city, identity_mode="anonymous").complaint
    record = receive(bytes(reply(c, "Saya tambahkan: lubangnya makin besar.")))
    assert record.status == Status.REPLY and record.complaint == c
    assert bytes(record.raw) == b"" and record.sender_hash == "" and record.subject == ""
    assert Complaint.objects.get(pk=c.pk).reporter_email == ""


@pytest.mark.parametrize("tag", ["{code}.000000000000", "{code}", "{code}.", "ADU-ZZZZ-ZZZZ.{sig}"])
def test_a_forged_reply_address_is_refused_and_never_a_comment(tag):
    c = filed_by_mail()
    forged = f"lapor+{tag.format(code=c.tracking_code.lower(), sig=addresses.signature(c.tracking_code))}@aduan.example"
    record = receive(bytes(reply(c, "Ini komentar palsu dari orang lain.", address=forged)))
    assert record.status == Status.REJECTED and record.complaint is None
    assert not Event.objects.filter(complaint=c, action="comment").exists()
    assert Complaint.objects.count() == 1


# --- automatic mail ------------------------------------------------------------------------
@pytest.mark.parametrize("headers,sender,envelope", [
    ({"Auto-Submitted": "auto-replied"}, None, "budi@warga.example"),
    ({"Precedence": "bulk"}, None, "budi@warga.example"),
    ({"X-Autoreply": "yes"}, None, "budi@warga.example"),
    ({"Return-Path": "<>"}, None, "budi@warga.example"),
    ({}, None, ""),  # Postfix passes an empty ${sender} for a bounce (null_sender=)
    ({}, None, "MAILER-DAEMON"),  # ... or MAILER-DAEMON by default
    ({}, "MAILER-DAEMON@mx.warga.example", "x@warga.example"),
    ({}, "noreply@aduan.example", "noreply@aduan.example"),  # our own mail coming back
    ({}, "bounces+123-budi=warga.example@list.example", "bounces@list.example"),
])
def test_auto_replies_bounces_and_loops_are_recorded_never_filed(headers, sender, envelope):
    message = mail(headers=headers, sender=sender or f"Budi <{CITIZEN_ADDRESS}>")
    record, _out = pipe(message, sender=envelope)
    assert record.status == Status.IGNORED and record.reason
    assert Complaint.objects.count() == 0 and Notification.objects.count() == 0


def test_auto_submitted_no_is_a_person():
    record = receive(bytes(mail(headers={"Auto-Submitted": "no"})))
    assert record.status == Status.FILED


def test_an_auto_reply_to_a_notification_is_no_comment():
    c = filed_by_mail()
    record = receive(bytes(reply(c, "Saya sedang cuti sampai tanggal 10.", headers={"Auto-Submitted": "auto-replied"})))
    assert record.status == Status.IGNORED
    assert not Event.objects.filter(complaint=c, action="comment").exists()


def test_a_bounce_to_a_verp_address_is_ignored():
    record = receive(bytes(mail(to="lapor+bounce-42@aduan.example", sender="Mail System <postmaster@mx.example>")))
    assert record.status == Status.IGNORED and Complaint.objects.count() == 0


# --- bombs, junk, duplicates, floods -----------------------------------------------------------
def nested(depth):
    raw = b"Content-Type: text/plain\r\n\r\nisi laporan yang cukup panjang sekali di sini\r\n"
    for level in range(depth):
        b = f"b{level}".encode()
        raw = (b"Content-Type: multipart/mixed; boundary=" + b + b"\r\n\r\n--" + b + b"\r\n" + raw
               + b"\r\n--" + b + b"--\r\n")
    return (b"From: budi@warga.example\r\nTo: lapor@aduan.example\r\nSubject: bom\r\n"
            b"Message-ID: <bomb-%d@x>\r\nMIME-Version: 1.0\r\n" % depth) + raw


@pytest.mark.parametrize("raw", [
    pytest.param(nested(50), id="deep-nesting"),
    pytest.param(bytes(mail(attachments=[(f"f{i}.txt", b"x", "application", "octet-stream") for i in range(40)])),
                 id="many-parts"),
])
def test_a_mime_bomb_is_kept_for_triage_and_not_filed(raw):
    record, _out = pipe(raw)
    assert record.status == Status.UNPARSED and record.reason
    assert bytes(record.raw) == raw and record.size == len(raw)
    assert Complaint.objects.count() == 0


def test_a_message_over_the_size_limit_is_kept_not_read(settings):
    settings.INTAKE_MAIL_MAX_BYTES = 2000
    raw = bytes(mail(body="panjang " * 1000))
    record = receive(raw)
    assert record.status == Status.UNPARSED and len(bytes(record.raw)) == 2000 and record.size == len(raw)


def test_the_same_message_id_files_once():
    message = mail(message_id="<sekali@warga.example>")
    first = receive(bytes(message))
    second, _out = pipe(message)
    assert first.pk == second.pk and Complaint.objects.count() == 1
    assert InboundMessage.objects.count() == 1 and Notification.objects.count() == 1


def test_a_flood_from_one_sender_is_throttled(settings):
    settings.INTAKE_MAIL_PER_SENDER = 3
    statuses = [receive(bytes(mail(body=f"Laporan nomor {i}: sampah menumpuk di pasar sejak lama."))).status
                for i in range(6)]
    assert statuses == [Status.FILED] * 3 + [Status.THROTTLED] * 3
    assert Complaint.objects.count() == 3
    # Another sender is not held back by the flood.
    assert receive(bytes(mail(sender="siti@warga.example"))).status == Status.FILED


def test_nul_bytes_and_absurd_headers_are_handled():
    raw = (b"From: \x00Budi\x00 <budi@warga.example>\r\nTo: lapor@aduan.example\r\n"
           b"Subject: " + b"A" * 20000 + b"\x00\r\n"
           b"Message-ID: <nul@x>\r\nX-Junk: " + b"\xff\xfe" * 5000 + b"\r\n"
           b"Content-Type: text/plain; charset=x-unknown-charset\r\n\r\n"
           b"Ada sampah\x00 menumpuk di pasar sejak dua minggu, bau sekali.\r\n")
    record = receive(raw)
    assert record.status == Status.FILED, record.reason
    c = record.complaint
    assert "\x00" not in c.title + c.description + c.reporter_name and len(c.title) <= 200
    garbage = receive(b"\x00\x01\x02 not a message at all \xff")
    assert garbage.status == Status.UNPARSED and Complaint.objects.count() == 1
    assert receive(b"").status == Status.UNPARSED


def test_too_short_or_uncategorised_mail_is_kept_as_refused(settings):
    settings.INTAKE_CATEGORY = ""
    record = receive(bytes(mail(body="Tolong dibantu, terima kasih banyak ya pak.")))
    assert record.status == Status.REJECTED and Complaint.objects.count() == 0


def test_erasing_the_complaint_deletes_its_mail(people):
    from complaints.erasure import do_erase_personal_data
    from complaints.permissions import ActorRef

    c = filed_by_mail()
    c = perform(c, "reject", as_staff(people["triage"]), reason="spam", message="Iklan.")
    do_erase_personal_data(c, acting_user=ActorRef.system("retention"), reason="retention")
    assert not InboundMessage.objects.filter(complaint=c).exists()


def test_retention_deletes_old_unfiled_mail(settings):
    import datetime as dt

    from django.utils import timezone

    from complaints.retention import purge_inbound_messages

    old = receive(bytes(mail(headers={"Precedence": "bulk"})), now=timezone.now() - dt.timedelta(days=91))
    new = receive(bytes(mail(headers={"Precedence": "bulk"})))
    assert purge_inbound_messages(timezone.now()) == 1
    assert list(InboundMessage.objects.values_list("pk", flat=True)) == [new.pk] and old.pk != new.pk


def test_staff_notifications_carry_no_reply_address(people):
    c = filed_by_mail()
    n = outbox.enqueue(kind="staff_escalation_1", to_email="x@staff.example", subject="s", body="b", complaint=c)
    assert "Reply-To" not in outbox.headers(n)
    receipt = Notification.objects.get(kind="receipt")
    assert addresses.verified_code(addresses.tagged(outbox.headers(receipt)["Reply-To"])) == c.tracking_code


def test_the_receipt_parsed_back_has_a_valid_tag():
    c = filed_by_mail()
    address = addresses.reply_address(c.tracking_code)
    assert addresses.verified_code(addresses.tagged(address.upper())) == c.tracking_code
    assert message_from_bytes(b"Reply-To: " + address.encode() + b"\r\n\r\n")["Reply-To"] == address


def test_refused_attachments_are_recorded_and_the_complaint_filed_without_them():
    record = receive(bytes(mail(attachments=[("virus.exe", b"MZ\x90\x00" * 50, "application", "octet-stream"),
                                             ("foto.jpg", b"%PDF-1.4 not a jpeg", "image", "jpeg")])))
    assert record.status == Status.FILED
    assert len(record.refused) == 2 and "virus.exe" in record.refused[0]
    assert not Attachment.objects.filter(complaint=record.complaint).exists()


def test_an_auto_reply_about_an_anonymous_report_keeps_nothing_of_the_message(city):
    # An out-of-office answer to an anonymous reporter's receipt: ignored, and neither its
    # sender (the reporter's address) nor its text is kept for triage to read.
    from ...conftest import submit

    c = submit(city, identity_mode="anonymous").complaint
    record = receive(bytes(reply(c, "Saya sedang cuti sampai Senin. Salam, Andi (0812-9999-1111).",
                                 headers={"Auto-Submitted": "auto-replied"})))
    assert record.status == Status.IGNORED
    assert bytes(record.raw) == b"" and record.sender_hash == "" and record.subject == ""
