"""E-mail backends for outbox tests: one that fails a set number of times (a mail server
that is down, then recovers) and records what it delivered; thread-safe."""

import threading
from smtplib import SMTPRecipientsRefused, SMTPServerDisconnected

from django.core.mail.backends.base import BaseEmailBackend


class RecordingBackend(BaseEmailBackend):
    lock = threading.Lock()
    delivered = []
    failures_left = 0

    @classmethod
    def reset(cls, failures=0):
        with cls.lock:
            cls.delivered = []
            cls.failures_left = failures

    def send_messages(self, messages):
        with self.lock:
            if RecordingBackend.failures_left > 0:
                RecordingBackend.failures_left -= 1
                raise SMTPServerDisconnected("Connection unexpectedly closed")
            RecordingBackend.delivered.extend(messages)
        return len(messages)


class RefusingBackend(BaseEmailBackend):
    """A server that refuses the recipient address."""

    def send_messages(self, messages):
        raise SMTPRecipientsRefused({messages[0].to[0]: (550, b"No such user")})
