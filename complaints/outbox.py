"""The notification outbox: rows written in the transaction of the change that causes
them, sent by `run_worker` through Django's e-mail backend.

What is guaranteed: every row is delivered AT LEAST ONCE, and normally exactly once.

- Nothing is lost: a row exists exactly when the change that caused it was committed,
  and a failed send is retried with back-off (up to MAX_ATTEMPTS; a recipient the server
  refuses is given up at once) while the mail server is down.
- Workers never send a row at the same time: each row is claimed with a conditional
  UPDATE that only one worker can win, right before its send.
- The one window for a duplicate: between the mail server accepting the message (its
  reply to DATA) and the row being marked sent. A worker killed (or a database lost) in
  that window leaves the row "sending"; after STALE_CLAIM another worker sends it again.
  The window is kept as short as it can be: one SMTP session serves a whole pass, so the
  row is marked right after the server's acceptance, before any QUIT or the next row.
- SMS rows (`to_phone` set: the citizen came by SMS) go through the gateway adapter
  (complaints.sms) under the same claim and retry rules; their window is between the
  gateway's 2xx answer and the row being marked sent, the next statement. Gateways offer
  no deduplication, so a duplicate SMS in that window is not recognisable.
- A duplicate e-mail is recognisable: every attempt at a row carries the same Message-ID
  (`message_id`), so receiving servers and mail clients can tell it is one message.
"""

import datetime as dt
import hashlib
import hmac
import logging
import smtplib
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import F
from django.utils import timezone

from . import sms
from .models import Notification

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 12
# Errors that retrying cannot fix (the server refused the address itself).
PERMANENT_ERRORS = (smtplib.SMTPRecipientsRefused, sms.Refused)
# A row left "sending" this long belongs to a worker that died mid-send: try it again.
STALE_CLAIM = dt.timedelta(minutes=10)


def backoff(attempts):
    """1, 2, 4 … minutes, capped at 6 hours."""
    return dt.timedelta(minutes=min(2 ** (attempts - 1), 360))


def enqueue(*, kind, to_email="", subject, body, complaint=None, language="id", erase_after_send=False,
            to_phone=""):
    """One row: an e-mail to `to_email`, or an SMS (its text is `body`) to `to_phone`."""
    if not to_email and not to_phone:
        return None
    return Notification.objects.create(
        complaint=complaint, kind=kind, to_email="" if to_phone else to_email, to_phone=to_phone,
        subject=subject[:250], body=body, language=language, erase_after_send=erase_after_send,
    )


def claim(pk, now):
    """Take one pending row for this worker; True only for the one worker that wins."""
    return bool(
        Notification.objects.filter(pk=pk, status=Notification.Status.PENDING).update(
            status=Notification.Status.SENDING, claimed_at=now
        )
    )


def message_id(notification):
    """The row's Message-ID, the same for every attempt; keyed, so that it tells nothing
    about how many messages the system sends."""
    digest = hmac.new(settings.SECRET_KEY.encode(),
                      f"notification|{notification.pk}|{notification.created_at.isoformat()}".encode(),
                      hashlib.sha256).hexdigest()[:32]
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "aduan.localhost"
    return f"<{digest}@{domain}>"


# Kinds written to staff or to an account, not to a complaint's citizen: no reply address.
NOT_TO_CITIZEN = ("staff_", "systemic_", "signup")


def headers(notification):
    """The row's headers: its Message-ID; on a citizen's e-mail about a complaint, the signed
    reply address of that complaint (complaints.intake.addresses), so a reply becomes their
    comment or answer; and Auto-Submitted, so that auto-responders do not answer it (a loop)."""
    found = {"Message-ID": message_id(notification), "Auto-Submitted": "auto-generated"}
    if notification.complaint_id and not notification.kind.startswith(NOT_TO_CITIZEN):
        from .intake.addresses import reply_address

        address = reply_address(notification.complaint.tracking_code)
        if address:
            found["Reply-To"] = address
    return found


def _message(notification, connection):
    return EmailMessage(
        subject=notification.subject, body=notification.body, from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.to_email], headers=headers(notification),
        connection=connection,
    )


def _close(connection):
    try:
        connection.close()
    except Exception:  # a session that broke mid-send may not even say goodbye
        log.info("mail connection closed uncleanly", exc_info=True)


def _mark_sent(notification):
    update = {"status": Notification.Status.SENT, "sent_at": timezone.now(),
              "attempts": F("attempts") + 1, "last_error": ""}
    if notification.erase_after_send:
        # Anonymous receipts: the address and the private link are used once, then erased.
        update.update(to_email="", to_phone="", body="")
    Notification.objects.filter(pk=notification.pk).update(**update)


def _without_recipient(text, notification):
    for recipient in (notification.to_email, notification.to_phone):
        if recipient:
            text = text.replace(recipient, "[recipient]")
    return text


def _mark_failed(notification, exc, now):
    attempts = notification.attempts + 1
    # A refused recipient will be refused again: give up at once instead of retrying.
    give_up = attempts >= MAX_ATTEMPTS or isinstance(exc, PERMANENT_ERRORS)
    update = dict(
        status=Notification.Status.FAILED if give_up else Notification.Status.PENDING,
        attempts=F("attempts") + 1, next_attempt_at=now + backoff(attempts),
        # Mail servers quote the recipient in their errors; keep the address out.
        last_error=_without_recipient(f"{type(exc).__name__}: {exc}", notification)[:1000],
        claimed_at=None,
    )
    if give_up and notification.erase_after_send:
        # Never sent, but an anonymous address must not outlive its one use either.
        update.update(to_email="", to_phone="", body="")
    Notification.objects.filter(pk=notification.pk).update(**update)
    log.warning("notification %s (%s) failed, attempt %s", notification.pk, notification.kind, attempts)


def send_pending(now=None, limit=100):
    """Send what is due. Returns (sent, failed) counts for this pass."""
    now = now or timezone.now()
    Notification.objects.filter(
        status=Notification.Status.SENDING, claimed_at__lt=now - STALE_CLAIM
    ).update(status=Notification.Status.PENDING)
    due = list(
        Notification.objects.filter(status=Notification.Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    sent = failed = 0
    # One session for the pass (opened at the first row, reopened after a failure): the
    # row is marked sent as soon as the server has accepted it, not after a QUIT.
    connection = get_connection(fail_silently=False)
    try:
        for pk in due:
            if not claim(pk, now):
                continue  # another worker has it
            notification = Notification.objects.get(pk=pk)
            if notification.to_phone:
                try:
                    sms.send(notification.to_phone, notification.body)
                except Exception as exc:  # the gateway's errors are many; all but a refusal mean "try later"
                    _mark_failed(notification, exc, now)
                    failed += 1
                    continue
                _mark_sent(notification)  # at once: the window for a duplicate SMS
                sent += 1
                continue
            try:
                connection.open()
                _message(notification, connection).send()
            except Exception as exc:  # the mail server's errors are many; all mean "try later"
                _close(connection)
                _mark_failed(notification, exc, now)
                failed += 1
                continue
            _mark_sent(notification)
            sent += 1
    finally:
        _close(connection)
    return sent, failed
