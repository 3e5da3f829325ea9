"""API keys from the command line, and rate limits per client IP and per key."""

import uuid

import pytest
from django.core.management import CommandError, call_command

from complaints.models import ApiKey, Complaint

from .conftest import BASE, json_errors, xml_errors

DESCRIPTION = "Lubang besar di Jl. Merdeka depan SD sejak dua minggu, motor sering jatuh."


def test_create_api_key_prints_the_key_once_and_stores_only_its_hash(db, capsys):
    call_command("create_api_key", "fixmystreet")
    out, err = capsys.readouterr()
    raw = out.strip()
    assert raw.startswith("adu_") and len(raw) > 30
    assert "shown only now" in err
    key = ApiKey.objects.get(name="fixmystreet")
    assert key.key_hash == ApiKey.hash_key(raw) and raw not in (key.key_hash, key.prefix)
    assert ApiKey.lookup(raw) == key
    with pytest.raises(CommandError, match="already exists"):
        call_command("create_api_key", "fixmystreet")
    assert capsys.readouterr().out == ""  # the key is never printed again


def test_revoke_stops_the_key_from_filing(client, city, capsys):
    call_command("create_api_key", "old-app")
    raw = capsys.readouterr().out.strip()
    data = {"api_key": raw, "service_code": "PUSKESMAS", "description": DESCRIPTION}
    assert client.post(BASE + "requests.json", data).status_code == 201
    call_command("create_api_key", "old-app", "--revoke")
    assert "Revoked" in capsys.readouterr().out
    assert ApiKey.objects.get(name="old-app").revoked_at is not None
    data["description"] += " Lagi."
    assert client.post(BASE + "requests.json", data).status_code == 403
    assert Complaint.objects.count() == 1
    with pytest.raises(CommandError, match="No active API key"):
        call_command("create_api_key", "old-app", "--revoke")


def fresh_ip():
    # The shared cache (Redis) may remember counters of earlier runs; a new address starts at zero.
    return f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250 + 1}"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_too_many_requests_from_one_address_get_429_with_retry_after(client, city, settings, fmt):
    settings.OPEN311_RATE_LIMIT_IP = 3
    ip = fresh_ip()
    statuses = [client.get(BASE + f"services.{fmt}", REMOTE_ADDR=ip).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get(BASE + f"services.{fmt}?locale=en", REMOTE_ADDR=ip)
    assert response.status_code == 429
    wait = int(response["Retry-After"])
    assert 1 <= wait <= 60
    errors = json_errors(response) if fmt == "json" else xml_errors(response)
    assert errors == [(429, f"Too many requests: try again in {wait} seconds.")]
    assert client.get(BASE + f"services.{fmt}", REMOTE_ADDR=fresh_ip()).status_code == 200


def test_too_many_filings_with_one_key_get_429_from_any_address(client, city, settings, api_key):
    settings.OPEN311_RATE_LIMIT_KEY = 2
    answers = [
        client.post(BASE + "requests.json", {"api_key": api_key, "service_code": "PUSKESMAS",
                                             "description": f"{DESCRIPTION} Nomor {n}."},
                    REMOTE_ADDR=fresh_ip())
        for n in range(3)
    ]
    assert [a.status_code for a in answers] == [201, 201, 429]
    assert int(answers[2]["Retry-After"]) >= 1
    assert json_errors(answers[2])[0][0] == 429
    assert Complaint.objects.count() == 2
    # Another key has its own budget.
    _key, other = ApiKey.issue("other-app")
    response = client.post(BASE + "requests.json", {"api_key": other, "service_code": "PUSKESMAS",
                                                     "description": DESCRIPTION})
    assert response.status_code == 201
