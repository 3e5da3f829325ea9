"""Acceptance of the classifier's suggestions over time (for the performance page's chart)."""

import datetime as dt

import pytest
from django.utils import timezone

from complaints.models import Complaint
from complaints.permissions import ActorRef
from complaints.training import acceptance_by_week
from complaints.lifecycle.engine import perform

from ..conftest import submit

pytestmark = pytest.mark.django_db

MONDAY = timezone.make_aware(dt.datetime(2026, 6, 1, 10, 0))


def triaged(city, people, when, suggested, unit, category="roads_cat"):
    complaint = submit(city, category=category, now=when).complaint
    if suggested is not None:
        Complaint.objects.filter(pk=complaint.pk).update(suggested_units=[[suggested, 0.7]])
    return perform(Complaint.objects.get(pk=complaint.pk), "triage", ActorRef.staff(people["triage"]),
                   unit=city[unit], now=when + dt.timedelta(hours=1))


def test_weekly_acceptance_from_officers_triage_decisions(city, people):
    triaged(city, people, MONDAY, "DPU-JALAN", "roads")                      # week 1: accepted
    triaged(city, people, MONDAY + dt.timedelta(days=2), "DINKES", "roads")  # week 1: overruled
    triaged(city, people, MONDAY + dt.timedelta(days=3), None, "roads")     # no suggestion: not counted
    triaged(city, people, MONDAY + dt.timedelta(days=15), "DPU-JALAN", "roads")  # week 3: accepted
    submit(city, category="bribe_cat", now=MONDAY + dt.timedelta(days=1))   # routed by rule, automatically

    weeks = acceptance_by_week(MONDAY - dt.timedelta(days=3), until=MONDAY + dt.timedelta(days=20))

    assert [w["week"] for w in weeks] == [dt.date(2026, 5, 25), dt.date(2026, 6, 1), dt.date(2026, 6, 8),
                                          dt.date(2026, 6, 15)]
    assert [(w["decided"], w["accepted"]) for w in weeks] == [(0, 0), (2, 1), (0, 0), (1, 1)]
    assert [w["rate"] for w in weeks] == [None, 0.5, None, 1.0]
