"""The outbox against a real SMTP server (aiosmtpd on a local port): at-least-once
delivery with a stable Message-ID per row, one SMTP session per pass, and a worker killed
between the server's acceptance and the row being marked sent re-sending the same message
(same Message-ID) once its claim goes stale."""

import datetime as dt
import email
import threading
from unittest import mock

import pytest
from django.core.mail import EmailMessage
from django.utils import timezone

from complaints import outbox
from complaints.models import Notification
from ..local_servers import smtp_server


class Mailbox:
    """An aiosmtpd handler: keeps every message it accepts; can refuse the next DATA."""

    def __init__(self):
        self.lock = threading.Lock()
        self.accepted = []  # (session id, parsed message)
        self.refused = []
        self.refuse_next = 0

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content)
        with self.lock:
            if self.refuse_next:
                self.refuse_next -= 1
                self.refused.append(message)
                return "451 4.3.0 Try again later"
            self.accepted.append((id(session), message))
        return "250 2.0.0 Message accepted for delivery"

    def ids(self):
        return [m["Message-ID"] for _s, m in self.accepted]


@pytest.fixture
def smtp(settings):
    mailbox = Mailbox()
    with smtp_server(settings, mailbox):
        yield mailbox


def queue(n):
    return [outbox.enqueue(kind="routed", to_email=f"warga{i}@contoh.id", subject=f"Laporan {i}",
                           body=f"Isi pesan {i}") for i in range(n)]


def test_a_real_smtp_server_receives_each_row_once_in_one_session(db, smtp):
    rows = queue(3)
    assert outbox.send_pending() == (3, 0)
    assert sorted(m["To"] for _s, m in smtp.accepted) == ["warga0@contoh.id", "warga1@contoh.id", "warga2@contoh.id"]
    # One SMTP session served the whole pass (no QUIT between a message and its row), and
    # each message carries its row's Message-ID.
    assert len({session for session, _m in smtp.accepted}) == 1
    assert sorted(smtp.ids()) == sorted(outbox.message_id(r) for r in rows)
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}
    assert outbox.send_pending() == (0, 0)


def test_message_ids_are_stable_per_row_and_differ_between_rows(db):
    a, b = queue(2)
    assert outbox.message_id(a) == outbox.message_id(Notification.objects.get(pk=a.pk))
    assert outbox.message_id(a) != outbox.message_id(b)
    assert outbox.message_id(a).startswith("<") and outbox.message_id(a).endswith("@aduan.localhost>")


def test_a_retry_after_a_refusal_carries_the_same_message_id(db, smtp):
    [row] = queue(1)
    smtp.refuse_next = 1
    now = timezone.now()
    assert outbox.send_pending(now=now) == (0, 1)
    assert Notification.objects.get(pk=row.pk).status == "pending"
    assert outbox.send_pending(now=now + dt.timedelta(minutes=2)) == (1, 0)
    assert [m["Message-ID"] for m in smtp.refused] == smtp.ids()
    assert smtp.ids() == [outbox.message_id(row)]


class WorkerKilled(BaseException):
    """Stands for kill -9: nothing after it runs, no handler catches it."""


def test_a_worker_killed_after_the_server_accepted_resends_with_the_same_message_id(db, smtp):
    first, second = queue(2)
    now = timezone.now()
    real_send = EmailMessage.send

    def send_then_die(message, *args, **kwargs):
        real_send(message, *args, **kwargs)
        raise WorkerKilled

    with mock.patch.object(EmailMessage, "send", send_then_die), pytest.raises(WorkerKilled):
        outbox.send_pending(now=now)
    # The server has the first message; the row could not be marked: it stays "sending".
    assert len(smtp.accepted) == 1
    assert Notification.objects.get(pk=first.pk).status == "sending"
    assert Notification.objects.get(pk=second.pk).status == "pending"
    # Another worker leaves a fresh claim alone (it may still be in flight) ...
    assert outbox.send_pending(now=now + dt.timedelta(minutes=1)) == (1, 0)  # only the second
    # ... and takes the row over once the claim is stale: sent again, as the same message.
    later = now + outbox.STALE_CLAIM + dt.timedelta(seconds=1)
    assert outbox.send_pending(now=later) == (1, 0)
    [again] = [m for _s, m in smtp.accepted[2:]]
    assert again["To"] == "warga0@contoh.id"
    assert again["Message-ID"] == smtp.accepted[0][1]["Message-ID"]  # a recipient can de-duplicate
    assert smtp.ids().count(outbox.message_id(first)) == 2
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}


def test_a_failure_mid_pass_reopens_the_session_for_the_next_row(db, smtp):
    queue(3)
    smtp.refuse_next = 1  # the first row is refused; the others still go out
    assert outbox.send_pending() == (2, 1)
    assert len(smtp.accepted) == 2
