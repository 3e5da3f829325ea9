"""The notification outbox: rows written in the transaction of the change that causes
them, sent by `run_worker` through Django's e-mail backend.

Several workers may run at once: each row is claimed with a conditional UPDATE that
only one of them can win, so nothing is sent twice; a failed send is retried with
back-off, so nothing is lost while the mail server is down.
"""

import datetime as dt
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F
from django.utils import timezone

from .models import Notification

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 12
# Errors that retrying cannot fix (the server refused the address itself).
PERMANENT_ERRORS = (smtplib.SMTPRecipientsRefused,)
# A row left "sending" this long belongs to a worker that died mid-send: try it again.
STALE_CLAIM = dt.timedelta(minutes=10)


def backoff(attempts):
    """1, 2, 4 … minutes, capped at 6 hours."""
    return dt.timedelta(minutes=min(2 ** (attempts - 1), 360))


def enqueue(*, kind, to_email, subject, body, complaint=None, language="id", erase_after_send=False):
    if not to_email:
        return None
    return Notification.objects.create(
        complaint=complaint, kind=kind, to_email=to_email, subject=subject[:250], body=body,
        language=language, erase_after_send=erase_after_send,
    )


def claim(pk, now):
    """Take one pending row for this worker; True only for the one worker that wins."""
    return bool(
        Notification.objects.filter(pk=pk, status=Notification.Status.PENDING).update(
            status=Notification.Status.SENDING, claimed_at=now
        )
    )


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
    for pk in due:
        if not claim(pk, now):
            continue  # another worker has it
        notification = Notification.objects.get(pk=pk)
        try:
            EmailMessage(
                subject=notification.subject, body=notification.body,
                from_email=settings.DEFAULT_FROM_EMAIL, to=[notification.to_email],
            ).send(fail_silently=False)
        except Exception as exc:  # the mail server's errors are many; all mean "try later"
            failed += 1
            attempts = notification.attempts + 1
            # A refused recipient will be refused again: give up at once instead of retrying.
            give_up = attempts >= MAX_ATTEMPTS or isinstance(exc, PERMANENT_ERRORS)
            status = Notification.Status.FAILED if give_up else Notification.Status.PENDING
            update = dict(
                status=status, attempts=F("attempts") + 1, next_attempt_at=now + backoff(attempts),
                # Mail servers quote the recipient in their errors; keep the address out.
                last_error=f"{type(exc).__name__}: {exc}".replace(notification.to_email, "[recipient]")[:1000],
                claimed_at=None,
            )
            if give_up and notification.erase_after_send:
                # Never sent, but an anonymous address must not outlive its one use either.
                update.update(to_email="", body="")
            Notification.objects.filter(pk=pk).update(**update)
            log.warning("notification %s (%s) failed, attempt %s", pk, notification.kind, attempts)
            continue
        sent += 1
        update = {"status": Notification.Status.SENT, "sent_at": timezone.now(),
                  "attempts": F("attempts") + 1, "last_error": ""}
        if notification.erase_after_send:
            # Anonymous receipts: the address and the private link are used once, then erased.
            update.update(to_email="", body="")
        Notification.objects.filter(pk=pk).update(**update)
    return sent, failed
