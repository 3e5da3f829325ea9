"""The project as a newcomer and an operator meet it: health check, deploy settings,
demo data, the worker."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from complaints.audit import verify_complaint
from complaints.models import Complaint, State

ROOT = Path(__file__).resolve().parent.parent


def test_healthz_answers_200_when_database_and_channel_layer_answer(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "channel_layer": "ok"}}


def test_healthz_answers_503_when_the_channel_layer_is_down(client, db, settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer",
                                           "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]}}}
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    try:
        response = client.get("/healthz")
    finally:
        channel_layers.backends.clear()
    assert response.status_code == 503
    assert response.json()["checks"]["channel_layer"] == "error"


def run_manage(args, extra_env):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DEBUG", "ADUAN_ALLOW_DEV_KEYS", "ADUAN_PLAIN_STATIC", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE",
                        "DATABASE_URL", "REDIS_URL")}
    env.update(extra_env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage(["check", "--deploy", "--fail-level", "WARNING"], {
        "SECRET_KEY": "x" * 20 + "a-long-random-production-secret-0123456789",
        "AUDIT_KEY": "another-long-random-key-for-the-audit-chain",
        "TRANSPARENCY_SIGNING_KEY": "A" * 43 + "=",
        "ALLOWED_HOSTS": "aduan.example.go.id", "SECURE_SSL_REDIRECT": "1", "EMAIL_HOST": "smtp.example.go.id",
    })
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_with_development_keys():
    result = run_manage(["check"], {"ALLOWED_HOSTS": "aduan.example.go.id"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_realistic(settings):
    call_command("seed_demo", complaints=120, allow_production=True)
    call_command("seed_demo", complaints=120, allow_production=True)
    assert Complaint.objects.count() == 120
    from complaints.models import Notification

    assert not Notification.objects.filter(status="pending").exists()  # history is not mailed now
    states = set(Complaint.objects.values_list("state", flat=True))
    assert {State.CLOSED, State.IN_PROGRESS, State.RESOLVED, State.REJECTED} <= states
    assert Complaint.objects.filter(category__sensitive=True, responsible_unit__kind="oversight").exists() or \
        not Complaint.objects.filter(category__sensitive=True).exists()
    for c in Complaint.objects.all()[:50]:
        assert verify_complaint(c) is None
    # The demo city's areas are loaded once, and every demo complaint with a street is in
    # that street's kelurahan (its point may stray across a boundary; the street decides).
    from areas.models import Area
    from complaints.management.demo_data import COMPLAINTS

    assert Area.objects.filter(level="kecamatan").count() == 5 and Area.objects.count() == 19
    for index, row in enumerate(COMPLAINTS[:120]):
        c = Complaint.objects.select_related("area__parent").get(idempotency_key=f"demo-{index}")
        if row.get("kelurahan"):
            assert (c.area.name, c.area.parent.name) == (row["kelurahan"], row["kecamatan"])
    from django.contrib.auth.models import User

    assert set(User.objects.filter(username__in=["admin", "triage", "officer", "supervisor", "oversight",
                                                 "privacy", "citizen"]).values_list("username", flat=True)) == {
        "admin", "triage", "officer", "supervisor", "oversight", "privacy", "citizen"}


def test_translation_catalogues_are_complete_and_compiled():
    # Every user-facing string has its Indonesian text, and the shipped .mo matches the .po
    # (`make run` needs no system gettext).
    call_command("compile_translations", check=True)


def test_pages_are_indonesian_by_default_and_english_on_request(client, db, settings):
    from config import settings as real_settings

    settings.LANGUAGE_CODE = real_settings.LANGUAGE_CODE
    assert settings.LANGUAGE_CODE == "id"
    response = client.get("/")
    assert response["Content-Language"] == "id"
    assert "Laporkan masalah layanan publik" in response.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Report a problem with a public service" in client.get("/").content.decode()
