"""The outbox's duplicate window: the time between the SMTP server accepting a message
(its reply to DATA) and the row being marked sent. A worker killed inside it sends that
message again later (at-least-once; see complaints/outbox.py).

    python bench/outbox.py [--messages 50] [--latency-ms 40]

Runs the real `outbox.send_pending` against a local aiosmtpd server on a fresh SQLite
file. `--latency-ms` delays the server's reply to QUIT, standing in for the round trip to
a remote mail server (a client that QUITs before marking the row pays it inside the
window). Prints the window's median and maximum in milliseconds.
"""

import argparse
import asyncio
import logging
import os
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
DB = Path(tempfile.mkdtemp()) / "outbox.sqlite3"
os.environ.update(DJANGO_SETTINGS_MODULE="config.settings", ADUAN_ALLOW_DEV_KEYS="1",
                  DATABASE_URL=f"sqlite:///{DB}")

import django  # noqa: E402

django.setup()

from aiosmtpd.controller import Controller  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from complaints import outbox  # noqa: E402
from complaints.models import Notification  # noqa: E402


class Server:
    def __init__(self, latency):
        self.latency = latency
        self.accepted = {}  # recipient -> time the server accepted the message

    async def handle_DATA(self, server, session, envelope):
        self.accepted[envelope.rcpt_tos[0]] = time.time()
        return "250 2.0.0 Message accepted for delivery"

    async def handle_QUIT(self, server, session, envelope):
        await asyncio.sleep(self.latency)
        return "221 Bye"


def main():
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=50)
    parser.add_argument("--latency-ms", type=float, default=40.0)
    options = parser.parse_args()
    call_command("migrate", verbosity=0)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    handler = Server(options.latency_ms / 1000)
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    try:
        for i in range(options.messages):
            outbox.enqueue(kind="bench", to_email=f"warga{i}@contoh.id", subject="x", body="y")
        started = time.perf_counter()
        sent, failed = outbox.send_pending(limit=options.messages)
        elapsed = time.perf_counter() - started
    finally:
        controller.stop()
    windows = [(row.sent_at.timestamp() - handler.accepted[row.to_email]) * 1000
               for row in Notification.objects.filter(status="sent")]
    print(f"{sent} sent, {failed} failed in {elapsed:.2f} s; QUIT round trip {options.latency_ms:.0f} ms")
    print(f"window between acceptance and 'sent': median {statistics.median(windows):.1f} ms, "
          f"max {max(windows):.1f} ms")


if __name__ == "__main__":
    main()
