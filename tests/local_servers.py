"""Servers the tests start on 127.0.0.1 (never any other address): a real SMTP server for
Django's SMTP backend, and a helper running a function in several threads at once."""

import contextlib
import socket
import threading

from aiosmtpd.controller import Controller
from django.db import connections


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def smtp_server(settings, handler):
    """An aiosmtpd server with `handler` on a free port, Django's SMTP backend pointed at it
    (no TLS, no login); yields the port."""
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield controller.port
    finally:
        controller.stop()


def at_once(work, threads=2, timeout=60):
    """Run `work()` in `threads` threads released together (each with its own database
    connection); (results, errors as repr)."""
    barrier = threading.Barrier(threads)
    results, errors = [], []

    def worker():
        try:
            barrier.wait()
            results.append(work())
        except Exception as exc:  # pragma: no cover - reported by the caller's assertion
            errors.append(repr(exc))
        finally:
            connections.close_all()

    started = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in started:
        thread.start()
    for thread in started:
        thread.join(timeout=timeout)
    return results, errors
