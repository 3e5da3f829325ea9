"""The complaint export on PostgreSQL goes through COPY: the same bytes as the Python path
(SQLite's), whatever the times (microseconds or none, holidays, weekends, sensitive
complaints with dates only), and the same privacy rules; bounded by chunks."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.utils import timezone

from complaints.lifecycle.engine import perform
from complaints.models import Complaint
from dashboard import copy_export, exports, metrics
from routing.models import CalendarDay

from ..conftest import as_staff, submit

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")


@pytest.fixture
def varied(city, people):
    """Complaints whose times hit the rounding and calendar edges."""
    t, officer = as_staff(people["triage"]), as_staff(people["officer_roads"])
    made = []
    for i in range(6):
        c = submit(city, visibility="private" if i == 1 else "public").complaint
        c = perform(c, "triage", t, unit=city["roads"])
        if i % 2 == 0:
            c = perform(c, "start", officer)
            c = perform(c, "resolve", officer, outcome="fixed", summary="Sudah ditambal.")
        made.append(c)
    made.append(submit(city, "bribe_cat").complaint)  # sensitive: after the others, dates only
    made.append(submit(city, "clinic_cat").complaint)  # untriaged: no code, no durations
    base = timezone.make_aware(dt.datetime(2026, 3, 27, 16, 0, 0))  # a Friday before a weekend
    shifts = [  # (submitted, triaged after, first response after, resolved after)
        (base, dt.timedelta(minutes=15), dt.timedelta(minutes=9), dt.timedelta(hours=2, minutes=15)),
        (base + dt.timedelta(microseconds=120000), dt.timedelta(seconds=540), dt.timedelta(seconds=1),
         dt.timedelta(days=3, microseconds=500000)),
        (base + dt.timedelta(hours=7, minutes=59, seconds=59, microseconds=999999), dt.timedelta(days=2),
         dt.timedelta(hours=1, seconds=30), dt.timedelta(days=12, seconds=432)),
        (base - dt.timedelta(days=400), dt.timedelta(seconds=0), dt.timedelta(days=1), dt.timedelta(days=90)),
    ]
    for c, (at, tri, resp, res) in zip(made, shifts * 2):
        Complaint.objects.filter(pk=c.pk).update(
            submitted_at=at, triaged_at=at + tri if c.triaged_at else None,
            first_response_at=at + tri + resp if c.first_response_at else None,
            resolved_at=at + res if c.resolved_at else None)
    CalendarDay.objects.create(date=dt.date(2026, 3, 30), is_working_day=False, note="test holiday")
    return made


def _python_lines(period=None, unit_ids=None):
    export = exports.ComplaintExport(period, unit_ids)
    return export.writer.writerow(exports.COMPLAINT_COLUMNS) + "".join(export.python_chunks())


@postgres_only
@pytest.mark.parametrize("narrowed", [False, True])
def test_copy_writes_the_same_bytes_as_python(varied, city, narrowed):
    unit_ids = city["roads"].descendant_ids() if narrowed else None
    by_copy = "".join(exports.ComplaintExport(None, unit_ids).chunks())
    assert by_copy == _python_lines(None, unit_ids)
    rows = list(csv.DictReader(io.StringIO(by_copy)))
    assert len(rows) == (6 if narrowed else 8)
    if not narrowed:
        assert rows[-1]["submitted_at"] and "T" not in rows[-1]["submitted_at"]  # sensitive: a date
        assert rows[-1]["tracking_code"] == ""
    private = varied[1]
    assert private.tracking_code not in by_copy


@postgres_only
def test_copy_honours_the_period(varied, client):
    response = client.get("/dashboard/export/complaints.csv?start=2026-03-01&end=2026-04-30")
    body = b"".join(response.streaming_content).decode()
    period = metrics.parse_period({"start": "2026-03-01", "end": "2026-04-30"})
    assert body == _python_lines(period)
    rows = list(csv.DictReader(io.StringIO(body)))
    assert rows and all(r["submitted_at"].startswith("2026-03") for r in rows if "T" in r["submitted_at"])
    assert not any(r["submitted_at"].startswith("2025") for r in rows)


@postgres_only
def test_copy_streams_in_bounded_chunks(varied, monkeypatch):
    monkeypatch.setattr(copy_export, "CHUNK_BYTES", 200)
    parts = list(exports.ComplaintExport().chunks())
    assert len(parts) > 3
    assert all(len(p) < 200 + 400 for p in parts[1:])  # a chunk ends at the first row past the size
    assert all(p.endswith("\r\n") for p in parts)


def test_durations_round_half_up_on_exact_values():
    at = timezone.now()
    hours, _days = exports._durations(at, at + dt.timedelta(seconds=540))  # 0.15 h exactly
    assert hours == 0.2
    hours, _days = exports._durations(at, at + dt.timedelta(seconds=900))  # 0.25 h
    assert hours == 0.3
    assert exports._durations(at, at - dt.timedelta(hours=1))[0] == 0.0
    assert exports._durations(None, at) == ("", "")


@postgres_only
def test_a_download_abandoned_mid_copy_leaves_the_connection_usable(varied, monkeypatch):
    monkeypatch.setattr(copy_export, "CHUNK_BYTES", 100)
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        before = cursor.fetchone()[0]
    parts = exports.ComplaintExport().chunks()
    next(parts), next(parts)
    parts.close()  # the client went away: the COPY is cancelled, the settings reset
    assert Complaint.objects.count() == len(varied)
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == before
