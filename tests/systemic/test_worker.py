"""The early-warning worker step on the database: spikes, quiet weeks, clusters, claims."""

import datetime as dt
import json

import pytest
from django.forms.models import model_to_dict

from complaints.models import Complaint
from systemic import worker
from systemic.models import EarlyWarning, Scan, WarningKind, WarningStatus

from ..conftest import submit
from .conftest import NOW

pytestmark = pytest.mark.django_db


def spikes():
    return list(EarlyWarning.objects.filter(kind=WarningKind.SPIKE))


def test_the_worker_finds_an_injected_spike_with_its_evidence(city, history):
    recent = history(weeks=20, weekly=2, recent=12)

    worker.run_due(now=NOW)

    [warning] = spikes()
    assert warning.observed == 12
    assert 1.0 < warning.expected < 3.5
    assert warning.upper <= 12
    assert warning.dimensions == {"category": city["roads_cat"].pk, "unit": city["roads"].pk}
    assert sorted(warning.complaint_codes) == sorted(c.tracking_code for c in recent)
    assert warning.category_ids == [city["roads_cat"].pk] and warning.unit_ids == [city["roads"].pk]
    assert warning.period_end == dt.date(2026, 6, 10) and warning.period_start == dt.date(2026, 6, 4)
    assert warning.series[-1]["count"] == 12 and len(warning.series) == 13
    assert not warning.sensitive and warning.status == WarningStatus.NEW


def test_a_flat_history_raises_no_warning(city, history):
    history(weeks=20, weekly=3, recent=3)
    worker.run_due(now=NOW)
    assert spikes() == []
    assert EarlyWarning.objects.count() == 0  # varied texts: no cluster either


def test_warnings_never_contain_personal_data(city, history):
    history(weeks=10, weekly=1, recent=8, reporter_name="Bambang Sutrisno", reporter_email="bambang@example.com",
            reporter_phone="0813-9999-1234")
    same = ("Pak Bambang Sutrisno di RT 3 minta pungutan", "Petugas Bambang Sutrisno meminta uang 50 ribu, "
            "hubungi saya 0813-9999-1234 atau bambang@example.com")
    for hours in range(6):
        submit(city, category="bribe_cat", title=same[0], description=same[1], now=NOW - dt.timedelta(hours=hours),
               reporter_name="Bambang Sutrisno", reporter_email="bambang@example.com", reporter_phone="0813-9999-1234")

    worker.run_due(now=NOW)

    warnings = list(EarlyWarning.objects.all())
    assert {w.kind for w in warnings} == {WarningKind.SPIKE, WarningKind.CLUSTER}
    stored = json.dumps([model_to_dict(w) for w in warnings], default=str).lower()
    for personal in ("bambang", "sutrisno", "example.com", "0813", "9999", "pungutan", "petugas", "uang"):
        assert personal not in stored
    cluster = EarlyWarning.objects.get(kind=WarningKind.CLUSTER)
    assert cluster.sensitive and cluster.observed == 6


def test_similar_complaints_across_categories_become_one_cluster_warning(city, history):
    history(weeks=6, weekly=1)
    codes = []
    for i, category in enumerate(["roads_cat", "clinic_cat"] * 3):
        filed = submit(city, category=category, title="Lampu jalan Jl. Kenanga padam",
                       description=f"Lampu penerangan jalan di Jl. Kenanga padam sejak seminggu, gelap malam hari {i}",
                       now=NOW - dt.timedelta(days=i))
        codes.append(filed.complaint.tracking_code)

    worker.run_due(now=NOW)

    cluster = EarlyWarning.objects.get(kind=WarningKind.CLUSTER)
    assert sorted(cluster.complaint_codes) == sorted(codes)
    assert sorted(cluster.category_ids) == sorted([city["roads_cat"].pk, city["clinic_cat"].pk])
    assert not cluster.sensitive

    # The next scan sees the same cluster: no second warning.
    Scan.objects.update(due_at=NOW)
    worker.run_due(now=NOW + dt.timedelta(hours=1))
    assert EarlyWarning.objects.filter(kind=WarningKind.CLUSTER).count() == 1


def test_a_dismissed_episode_is_not_raised_again_but_updates_while_new(city, history):
    history(weeks=20, weekly=2, recent=10)
    worker.run_due(now=NOW)
    [warning] = spikes()
    submit(city, title="Aspal mengelupas di Jl. Kenari", description="Sudah tiga hari rusak.",
           now=NOW + dt.timedelta(hours=2))
    Scan.objects.update(due_at=NOW)
    worker.run_due(now=NOW + dt.timedelta(hours=3))
    warning = EarlyWarning.objects.get(pk=warning.pk)
    assert warning.observed == 11 and len(spikes()) == 1

    EarlyWarning.objects.filter(pk=warning.pk).update(status=WarningStatus.DISMISSED, dismiss_reason="known roadworks")
    Scan.objects.update(due_at=NOW)
    worker.run_due(now=NOW + dt.timedelta(hours=4))
    assert len(spikes()) == 1 and EarlyWarning.objects.get(pk=warning.pk).observed == 11


def test_spam_is_not_counted(city, history):
    history(weeks=20, weekly=2)
    for k in range(12):
        filed = submit(city, title=f"Promo pinjaman online {k}", description="Klik tautan ini untuk pinjaman cepat tanpa jaminan, bunga sangat rendah.", now=NOW - dt.timedelta(hours=k))
        Complaint.objects.filter(pk=filed.complaint.pk).update(state="rejected", reject_reason="spam")
    worker.run_due(now=NOW)
    assert spikes() == []


def test_a_unit_of_work_is_claimed_by_one_worker_only(city):
    worker.run_due(now=NOW)  # creates the refresh and cluster scans
    scan = Scan.objects.get(key=worker.CLUSTER_KEY)
    Scan.objects.filter(pk=scan.pk).update(due_at=NOW)
    scan = Scan.objects.get(pk=scan.pk)
    assert worker.claim(scan, NOW) is True
    assert worker.claim(scan, NOW) is False  # the second worker saw the same due_at: it loses
    assert Scan.objects.get(pk=scan.pk).due_at == NOW + worker.interval()


def test_nothing_due_means_no_work(city, history):
    history(weeks=3, weekly=1)
    assert worker.run_due(now=NOW) >= 3  # refresh, clusters, one series
    assert worker.run_due(now=NOW + dt.timedelta(minutes=1)) == 0


def test_the_worker_step_runs_from_run_worker(city, history):
    # The loop itself closes stale connections, which a test transaction on PostgreSQL does
    # not survive; its scheduled jobs are what it runs after the outbox and the sweep.
    from complaints.management.commands.run_worker import Command

    history(weeks=20, weekly=2, recent=12)
    jobs = Command().extra_jobs()
    assert worker.run_due in jobs
    for job in jobs:
        job()
    assert Scan.objects.filter(key=worker.REFRESH_KEY).exists()
