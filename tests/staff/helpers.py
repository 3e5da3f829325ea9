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
    """An action form as a current page would post it (state and version included)."""
    c = fresh(complaint)
    return {"expected_state": c.state, "expected_version": str(c.audit_count), **fields}


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
