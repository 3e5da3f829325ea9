"""The complaint CSV under daphne is really streamed: its first bytes reach the client while
the server cannot possibly have finished (the test holds an exclusive lock on the database,
so not one complaint can be read until it lets go). And complaints of sensitive categories
are exported with dates only."""

import csv
import datetime as dt
import io
import socket
import sqlite3

import pytest
from django.utils import timezone

from complaints.lifecycle.engine import perform

from ..conftest import as_staff, submit
from .live_site import LiveSite


@pytest.fixture
def site(tmp_path):
    live = LiveSite(tmp_path)
    yield live
    live.close()


def read_until(sock, marker, received=b""):
    while marker not in received:
        data = sock.recv(65536)
        if not data:
            break
        received += data
    return received


def test_the_first_chunk_reaches_the_client_before_any_complaint_is_read(site):
    lock = sqlite3.connect(site.db, isolation_level=None, timeout=30)
    lock.execute("BEGIN EXCLUSIVE")  # from now on no reader gets at the database
    try:
        sock = socket.create_connection(("127.0.0.1", site.ports[0]), timeout=15)
        sock.sendall(b"GET /dashboard/export/complaints.csv HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"Connection: close\r\n\r\n")
        # A generous bound only so that a broken stream fails instead of hanging; the
        # header line arrives while the lock is still held.
        first = read_until(sock, b"working_days_to_resolution")
    finally:
        lock.execute("ROLLBACK")
        lock.close()
    assert first.startswith(b"HTTP/1.1 200")
    assert b"tracking_code,kind,category" in first
    rest = read_until(sock, b"\r\n0\r\n\r\n", first)  # the end of the chunked body
    sock.close()
    body = rest.split(b"\r\n\r\n", 1)[1]
    text = b"".join(_dechunk(body)).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["category"], r["status"]) for r in rows] == [("JALAN-RUSAK", "submitted")]


def _dechunk(body):
    while body:
        size, _sep, body = body.partition(b"\r\n")
        size = int(size, 16)
        if size == 0:
            return
        yield body[:size]
        body = body[size + 2:]


def test_sensitive_complaints_are_exported_with_dates_only_after_the_others(client, city, people):
    moment = timezone.make_aware(dt.datetime(2026, 3, 4, 9, 41, 17))
    sensitive = submit(city, "bribe_cat", identity_mode="confidential", visibility="private",
                       now=moment).complaint
    road = submit(city, now=moment + dt.timedelta(minutes=5)).complaint
    perform(sensitive, "start", as_staff(people["oversight"]), now=moment + dt.timedelta(hours=3, minutes=12))
    perform(road, "triage", as_staff(people["triage"]), unit=city["roads"], now=moment + dt.timedelta(hours=4))
    response = client.get("/dashboard/export/complaints.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [r["category"] for r in rows] == ["JALAN-RUSAK", "PUNGLI"]
    road_row, sensitive_row = rows
    assert road_row["submitted_at"].startswith("2026-03-04T")  # others keep their exact times
    assert sensitive_row["submitted_at"] == "2026-03-04"
    assert sensitive_row["first_response_at"] == "2026-03-04"
    for column in ("submitted_at", "triaged_at", "first_response_at", "triage_due_at", "response_due_at",
                   "resolution_due_at"):
        assert len(sensitive_row[column]) == 10, column  # YYYY-MM-DD, no time of day
    assert sensitive_row["tracking_code"] == ""
