"""Every complaint carries the channel it came by (issue 17, item 1): set by each filing
path, refused when unknown, counted on the dashboard's rollups (received per channel, equal
to a direct count and to a rebuild), exported in the CSV and in Open311's
extended_attributes, and shown to staff."""

import csv
import io
import uuid

import pytest
from django.urls import reverse

from complaints.lifecycle.engine import perform
from complaints.lifecycle.errors import InvalidArguments
from complaints.lifecycle.filing import file_complaint
from complaints.models import Channel, Complaint, Event, State
from dashboard import exports, metrics, rollups
from dashboard.models import COUNT_COLUMNS, DailyCount, MonthlyCount

from ..conftest import as_staff, publish, submit

OPEN311 = "/open311/v2/"


@pytest.fixture(autouse=True)
def _mail_and_limits(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.OPEN311_RATE_LIMIT_IP = 0
    settings.OPEN311_RATE_LIMIT_KEY = 0


def web_form(city, **overrides):
    data = {
        "category": city["roads_cat"].code, "kind": "complaint", "title": "Jalan berlubang besar",
        "description": "Ada lubang besar di Jl. Merdeka depan SD sejak dua minggu, motor sering jatuh.",
        "address": "Jl. Merdeka 12", "latitude": "-7.25", "longitude": "110.40",
        "identity_mode": "named", "reporter_name": "Siti Rahayu", "reporter_email": "siti@example.com",
        "reporter_phone": "0812-3456-7890", "visibility": "public", "website": "",
        "idempotency_key": uuid.uuid4().hex,
    }
    data.update(overrides)
    return data


def open311_key():
    from complaints.models import ApiKey

    return ApiKey.issue(f"app-{uuid.uuid4().hex[:6]}")[1]


def file_by_open311(client, key, **extra):
    data = {"api_key": key, "service_code": "JALAN-RUSAK", "lat": "-7.25", "long": "110.40",
            "description": "Lubang besar di Jl. Merdeka depan SD sejak dua minggu, motor jatuh. " + uuid.uuid4().hex,
            **extra}
    response = client.post(OPEN311 + "requests.json", data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 201, response.content
    return Complaint.objects.get(tracking_code=response.json()[0]["service_request_id"])


def test_the_web_form_files_web_and_open311_files_open311(client, city):
    client.defaults["REMOTE_ADDR"] = "10.77.0.1"
    response = client.post("/report/", web_form(city))
    assert response.status_code == 302
    web = Complaint.objects.get()
    assert web.channel == Channel.WEB
    api = file_by_open311(client, open311_key())
    assert api.channel == Channel.OPEN311
    # The filing event says so too (what the migration's backfill reads).
    assert Event.objects.get(complaint=api, seq=1).data["channel"] == "open311"


def test_filing_without_a_channel_is_web_and_an_unknown_channel_is_refused(city):
    assert submit(city).complaint.channel == Channel.WEB
    with pytest.raises(InvalidArguments) as refused:
        submit(city, channel="pigeon")
    assert "channel" in refused.value.errors
    assert Complaint.objects.count() == 1


@pytest.mark.parametrize("channel", [c.value for c in Channel])
def test_every_channel_is_stored_as_given(city, channel):
    assert submit(city, channel=channel).complaint.channel == channel


def _direct_counts(start=None):
    """Received per channel counted from the complaints table: the definition of "received"
    (duplicates, spam and withdrawn apart)."""
    counted = {}
    for c in Complaint.objects.all():
        if c.state in (State.DUPLICATE, State.WITHDRAWN) or (c.state == State.REJECTED and c.reject_reason == "spam"):
            continue
        counted[c.channel] = counted.get(c.channel, 0) + 1
    return counted


def _by_channel(data):
    return {row["code"]: row["received"] for row in data["by_channel"] if row["received"]}


def test_received_per_channel_equals_a_direct_count_and_a_rebuild(client, city, people):
    t = as_staff(people["triage"])
    made = [submit(city, channel=ch).complaint for ch in ("web", "web", "phone", "letter", "walk_in", "sms")]
    made.append(submit(city, channel="open311").complaint)
    perform(made[0], "triage", t, unit=city["roads"])
    perform(made[1], "reject", t, reason="spam", message="Iklan, bukan keluhan.")  # counted apart
    perform(made[2], "triage", t, unit=city["roads"])
    expected = _direct_counts()
    assert expected == {"web": 1, "phone": 1, "letter": 1, "walk_in": 1, "sms": 1, "open311": 1}

    period = metrics.parse_period({"period": "30d"})
    assert _by_channel(metrics.summary(period)) == expected
    response = client.get(reverse("dashboard:summary_json") + "?period=30d")
    assert response.status_code == 200
    data = response.json()
    assert _by_channel(data) == expected
    # Every channel is listed (zero included), and the split adds up to the headline figure.
    assert [row["code"] for row in data["by_channel"]] == list(Channel.values)
    received = next(f for f in data["figures"] if f["name"] == "received")
    assert sum(row["received"] for row in data["by_channel"]) == received["count"]

    stored = rollup_rows()
    rollups.rebuild()
    assert rollup_rows() == stored
    assert _by_channel(metrics.summary(period)) == expected


def rollup_rows():
    """The non-zero counter rows (live changes leave rows at zero where a rebuild writes none)."""
    return [sorted(r for r in model.objects.values_list("day", "unit_key", "category_id", "channel", *COUNT_COLUMNS)
                   if any(r[4:])) for model in (DailyCount, MonthlyCount)]


def test_a_unit_filter_splits_its_own_received_by_channel(city, people):
    t = as_staff(people["triage"])
    perform(submit(city, channel="phone").complaint, "triage", t, unit=city["roads"])
    perform(submit(city, "clinic_cat", channel="letter").complaint, "triage", t, unit=city["health"])
    period = metrics.parse_period({"period": "30d"})
    assert _by_channel(metrics.summary(period, city["roads"])) == {"phone": 1}
    assert _by_channel(metrics.summary(period, city["health"])) == {"letter": 1}


def _csv_rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_the_complaint_csv_carries_the_channel(client, city, people):
    phone = submit(city, channel="phone").complaint
    publish(perform(phone, "triage", as_staff(people["triage"]), unit=city["roads"]), people["triage"])
    submit(city, channel="letter")
    response = client.get("/dashboard/export/complaints.csv")
    rows = _csv_rows(b"".join(response.streaming_content).decode())
    assert exports.COMPLAINT_COLUMNS[-1] == "channel"
    assert sorted(r["channel"] for r in rows) == ["letter", "phone"]
    # The Python path (SQLite) and the COPY path (PostgreSQL) share the header; the COPY
    # path's lines are compared with the Python path's in tests/dashboard/test_export_copy.py.
    python_lines = _csv_rows(exports.ComplaintExport().writer.writerow(exports.COMPLAINT_COLUMNS)
                             + "".join(exports.ComplaintExport().python_chunks()))
    assert sorted(r["channel"] for r in python_lines) == ["letter", "phone"]


def test_open311_extended_attributes_carry_the_channel(client, city, people):
    c = submit(city, channel="walk_in").complaint
    publish(perform(c, "triage", as_staff(people["triage"]), unit=city["roads"]), people["triage"])
    response = client.get(OPEN311 + f"requests/{c.tracking_code}.json")
    assert response.status_code == 200
    assert response.json()[0]["extended_attributes"]["channel"] == "walk_in"
    xml = client.get(OPEN311 + f"requests/{c.tracking_code}.xml").content.decode()
    assert "<channel>walk_in</channel>" in xml


def test_staff_see_the_channel_on_the_complaint_page_and_the_triage_desk(client, city, people):
    c = submit(city, channel="letter").complaint
    client.force_login(people["triage"])
    client.cookies["django_language"] = "en"
    assert "Letter" in client.get(reverse("staff:triage")).content.decode()
    page = client.get(reverse("staff:complaint", args=[c.tracking_code])).content.decode()
    assert "Channel" in page and "Letter" in page


def test_the_migration_backfills_open311_from_the_filing_event(city):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("complaints.migrations.0019_complaint_channel")
    api = file_complaint({**_submit_data(city), "channel": "open311"})
    web = file_complaint(_submit_data(city))
    Complaint.objects.update(channel="web")  # as the column's default left them
    migration.backfill_open311(apps, None)
    assert Complaint.objects.get(pk=api.complaint.pk).channel == "open311"
    assert Complaint.objects.get(pk=web.complaint.pk).channel == "web"


def _submit_data(city):
    return {"category": city["roads_cat"], "title": "Jalan berlubang besar",
            "description": "Ada lubang besar di Jl. Merdeka depan SD sejak dua minggu. " + uuid.uuid4().hex,
            "identity_mode": "anonymous", "visibility": "private", "address": "Jl. Merdeka 12"}
