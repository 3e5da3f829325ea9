"""/metrics (who may read it, what the gauges say), the headers every page carries, and
the masking of personal data in logs."""

import datetime as dt
import json
import logging

import pytest
from django.test import Client
from django.utils import timezone

from complaints.models import Notification
from config.headers import content_security_policy, tile_source
from config.logs import JsonFormatter, PersonalDataFilter, mask

from ..conftest import submit


def gauge(text, name, labels=""):
    for line in text.splitlines():
        if line.startswith(name + labels + " "):
            return float(line.split()[-1])
    raise AssertionError(f"{name}{labels} missing")


@pytest.mark.django_db
def test_metrics_are_served_to_configured_addresses_only(city, settings):
    settings.METRICS_ALLOWED_IPS = ["10.1.0.0/16"]
    assert Client(REMOTE_ADDR="10.1.2.3").get("/metrics").status_code == 200
    assert Client(REMOTE_ADDR="10.2.0.1").get("/metrics").status_code == 404
    assert Client(REMOTE_ADDR="127.0.0.1").get("/metrics").status_code == 404
    # A forged X-Forwarded-For from an untrusted peer does not help.
    assert Client(REMOTE_ADDR="192.0.2.1").get("/metrics", HTTP_X_FORWARDED_FOR="10.1.2.3").status_code == 404
    settings.TRUSTED_PROXIES = ["192.0.2.1"]
    assert Client(REMOTE_ADDR="192.0.2.1").get("/metrics", HTTP_X_FORWARDED_FOR="10.1.2.3").status_code == 200


@pytest.mark.django_db
def test_metrics_report_the_outbox_backlog_and_the_sla_sweep_lag(city):
    filed = submit(city)
    Notification.objects.all().delete()
    old = timezone.now() - dt.timedelta(hours=2)
    Notification.objects.create(complaint=filed.complaint, kind="receipt", to_email="a@example.com",
                                subject="s", body="b", created_at=old)
    Notification.objects.create(complaint=filed.complaint, kind="receipt", to_email="b@example.com",
                                subject="s", body="b", status=Notification.Status.SENT)
    type(filed.complaint).objects.filter(pk=filed.complaint.pk).update(
        triage_due_at=timezone.now() - dt.timedelta(minutes=30))
    text = Client().get("/metrics").content.decode()
    assert gauge(text, "aduan_outbox_backlog", '{status="pending"}') == 1
    assert 7100 < gauge(text, "aduan_outbox_oldest_unsent_age_seconds") < 7300
    assert 1700 < gauge(text, "aduan_sla_sweep_lag_seconds") < 1900
    # Once the sweep has escalated it, nothing is owed any more.
    type(filed.complaint).objects.filter(pk=filed.complaint.pk).update(escalation_level=1)
    assert gauge(Client().get("/metrics").content.decode(), "aduan_sla_sweep_lag_seconds") == 0
    assert "django_http_requests_total_by_method_total" in text


@pytest.mark.django_db
def test_every_page_carries_the_security_headers(city, client):
    response = client.get("/report/")
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives["script-src"] == "'self'" and "unsafe-inline" not in csp
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert response["Permissions-Policy"].startswith("geolocation=(self)")
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert len(response["X-Request-ID"]) >= 8


def test_a_tile_host_and_a_worker_are_allowed_by_configuration_only():
    policy = content_security_policy(map_tile_url="https://{s}.tile.example.org/{z}/{x}/{y}.png",
                                     worker_sources=["blob:"])["DIRECTIVES"]
    assert policy["img-src"] == ["'self'", "data:", "https://*.tile.example.org"]
    assert policy["worker-src"] == ["'self'", "blob:"]
    assert policy["script-src"] == ["'self'"] and policy["connect-src"] == ["'self'"]
    assert tile_source("") is None


SECRETS = ["siti.rahayu@example.com", "0812-3456-7890", "+62 812 3456 7890",
           "t=4f0c2b9d7e6a5f4c3b2a1908f7e6d5c4", "/accounts/reset/MQ/c9xk2-8b6f1e0c4d2a9b7e5f3c1a0d/",
           "/report/done/4b2d9f0e-77aa-4f3b-9c1e-2b8e6d4a0f13/"]


@pytest.mark.parametrize("secret", SECRETS)
def test_log_lines_mask_personal_data_and_secrets(secret):
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1,
                               "Not Found: %s while handling %s", (f"/track/ADU-7K2Q/?{secret}", secret), None)
    PersonalDataFilter().filter(record)
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert entry["level"] == "WARNING" and "request_id" in entry
    for part in (secret, secret.split("=")[-1]):
        assert part not in line
    assert "/track/ADU-7K2Q/" in entry["message"]  # the route stays readable


def test_masking_keeps_ordinary_numbers():
    assert mask("escalated 42 complaints in 1500 ms on 2026-12-03") == "escalated 42 complaints in 1500 ms on 2026-12-03"
