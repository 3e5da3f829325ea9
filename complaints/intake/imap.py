"""IMAP polling for e-mail intake: fetch each unseen message, hand it to mail.receive, then
mark it seen (and move it to INTAKE_IMAP_DONE_FOLDER when set). A message is marked only
after it is stored, so a crash in between means it is fetched again, and the Message-ID
check in mail.receive handles it once."""

import imaplib
import logging
from collections import Counter

from django.conf import settings

from .mail import receive

log = logging.getLogger(__name__)


def connect():
    """A logged-in IMAP connection from the settings (tests replace this)."""
    cls = imaplib.IMAP4_SSL if settings.INTAKE_IMAP_SSL else imaplib.IMAP4
    connection = cls(settings.INTAKE_IMAP_HOST, settings.INTAKE_IMAP_PORT)
    connection.login(settings.INTAKE_IMAP_USER, settings.INTAKE_IMAP_PASSWORD)
    return connection


def _quoted(folder):
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def poll(connection=None, limit=200):
    """One pass over the unseen messages; returns {status: count}."""
    if not settings.INTAKE_IMAP_HOST and connection is None:
        raise OSError("INTAKE_IMAP_HOST is not set")
    connection = connection or connect()
    counts = Counter()
    try:
        typ, _data = connection.select(_quoted(settings.INTAKE_IMAP_FOLDER))
        if typ != "OK":
            raise OSError(f"cannot select {settings.INTAKE_IMAP_FOLDER}")
        typ, data = connection.uid("SEARCH", None, "UNSEEN")
        uids = (data[0] or b"").split()[:limit] if typ == "OK" else []
        moved = False
        for uid in uids:
            typ, fetched = connection.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = next((item[1] for item in fetched or [] if isinstance(item, tuple)), None)
            if typ != "OK" or raw is None:
                log.warning("e-mail intake: IMAP message could not be fetched")
                continue
            record = receive(raw)
            counts[record.status] += 1
            connection.uid("STORE", uid, "+FLAGS", "(\\Seen)")
            if settings.INTAKE_IMAP_DONE_FOLDER:
                typ, _data = connection.uid("COPY", uid, _quoted(settings.INTAKE_IMAP_DONE_FOLDER))
                if typ == "OK":
                    connection.uid("STORE", uid, "+FLAGS", "(\\Deleted)")
                    moved = True
        if moved:
            connection.expunge()
    finally:
        try:
            connection.logout()
        except Exception:  # a broken connection may not even say goodbye
            pass
    return dict(counts)
