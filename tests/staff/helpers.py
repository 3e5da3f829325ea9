"""Shared helpers for the staff page tests."""

from django.urls import reverse

from complaints.models import Complaint, Event, Message, Notification

from ..complaints.helpers import drive, fresh  # noqa: F401  (re-exported for the tests)
from ..conftest import as_staff, submit  # noqa: F401


def url(name, *args):
    return reverse(f"staff:{name}", args=args)


def act_url(complaint, action):
    return reverse("staff:act", args=[complaint.tracking_code, action])


def form(complaint, **fields):
    """An action form as a current page would post it (state and version included), with
    the second step of a dangerous action already confirmed (tests/staff/test_confirm.py
    tests that step)."""
    c = fresh(complaint)
    return {"expected_state": c.state, "expected_version": str(c.audit_count), "confirmed": "yes", **fields}


def fingerprint(complaint):
    """Everything a refused request must leave untouched."""
    c = fresh(complaint)
    return (c.state, c.updated_at, c.audit_count, c.responsible_unit_id, c.assignee_id,
            c.category_id, Event.objects.filter(complaint=c).count(),
            Message.objects.filter(complaint=c).count(),
            Notification.objects.filter(complaint=c).count())


def logged_in(client, user):
    client.force_login(user)
    return client


__all__ = ["url", "act_url", "form", "fingerprint", "logged_in", "drive", "fresh", "submit",
           "as_staff", "Complaint"]


def many(city, n, *, state="triaged", unit="roads", category="roads_cat", start=None, **extra):
    """`n` complaints created directly (bulk), for list and query-count tests: they need
    rows, not histories."""
    import datetime as dt
    import secrets

    from django.utils import timezone

    start = start or timezone.now() - dt.timedelta(days=20)
    rows = []
    for i in range(n):
        submitted = start + dt.timedelta(minutes=7 * i)
        rows.append(Complaint(
            tracking_code=f"ADU-{secrets.token_hex(2).upper()}-{i:04d}"[:13],
            access_token_hash=secrets.token_hex(32), title=f"Keluhan nomor {i}",
            description="Deskripsi yang cukup panjang untuk sebuah keluhan.",
            category=city[category], state=state,
            responsible_unit=city[unit] if unit and state != "submitted" else None,
            submitted_at=submitted, triaged_at=submitted if state != "submitted" else None,
            triage_due_at=submitted + dt.timedelta(days=3),
            response_due_at=submitted + dt.timedelta(days=5 + i % 30) if state != "submitted" else None,
            resolution_due_at=submitted + dt.timedelta(days=14 + i % 30) if state != "submitted" else None,
            suggested_units=[["DPU-JALAN", 0.8], ["DINKES", 0.1]] if i % 2 else [],
            latitude="-7.250000", longitude="110.400000",
            **extra,
        ))
    return Complaint.objects.bulk_create(rows)
