"""GET requests, GET requests/{id} and GET tokens/{token}: only public complaints after
triage with an approved summary exist; filters, windows and pages as the specification
and its pagination extension say."""

import datetime as dt
from urllib.parse import quote

import pytest
from django.utils import timezone

from complaints.models import Complaint
from complaints.lifecycle.engine import perform

from ..complaints.helpers import CITIZEN, SYSTEM, as_staff, fresh
from ..conftest import publish as approve
from ..conftest import submit
from .conftest import BASE, children, json_errors, publish, xml_errors, xml_of

REQUEST_FIELDS = [
    "service_request_id", "status", "status_notes", "service_name", "service_code", "description",
    "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
    "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url",
    "extended_attributes",
]


def ids(response):
    return [r["service_request_id"] for r in response.json()]


def test_a_published_request_in_json_shows_the_approved_summary_only(client, published):
    response = client.get(BASE + f"requests/{published.tracking_code}.json?locale=en")
    assert response.status_code == 200
    (request,) = response.json()
    assert list(request) == REQUEST_FIELDS
    c = fresh(published)
    assert request == {
        "service_request_id": c.tracking_code,
        "status": "open",
        "status_notes": "Routed to a unit",
        "service_name": "Damaged road",
        "service_code": "JALAN-RUSAK",
        "description": "Ada lubang besar di ruas jalan kota.",
        "agency_responsible": "Roads",
        "service_notice": "Triage within 3 working days; resolution target 14 working days after triage.",
        "requested_datetime": timezone.localtime(c.submitted_at).isoformat(timespec="seconds"),
        "updated_datetime": timezone.localtime(c.updated_at).isoformat(timespec="seconds"),
        "expected_datetime": timezone.localtime(c.resolution_due_at).isoformat(timespec="seconds"),
        "address": "Jl. Merdeka",  # the approved location text, not the reporter's address
        "address_id": None,
        "zipcode": None,
        # The centre of the 100 m grid cell holding the reported point (-7.25, 110.40).
        "lat": -7.24982,
        "long": 110.399709,
        "media_url": None,
        "extended_attributes": {"state": "triaged", "kind": "complaint", "outcome": None,
                                "title": "Lubang di jalan", "area": None, "channel": "web"},
    }
    assert request["requested_datetime"].endswith("+07:00")


def test_a_published_request_in_xml_has_every_element_in_order(client, published):
    root = xml_of(client.get(BASE + f"requests/{published.tracking_code}.xml?locale=en"))
    assert root.tag == "service_requests"
    (request,) = root
    assert request.tag == "request"
    elements = children(request)
    assert [tag for tag, _ in elements] == REQUEST_FIELDS
    values = dict(elements)
    assert values["service_request_id"] == published.tracking_code
    assert values["status"] == "open"
    assert values["description"] == "Ada lubang besar di ruas jalan kota."
    assert values["agency_responsible"] == "Roads"
    assert values["lat"] == "-7.24982" and values["long"] == "110.399709"
    assert values["address"] == "Jl. Merdeka"
    assert values["address_id"] is None and values["zipcode"] is None and values["media_url"] is None
    assert values["requested_datetime"].endswith("+07:00")
    assert children(request.find("extended_attributes")) == [
        ("state", "triaged"), ("kind", "complaint"), ("outcome", None), ("title", "Lubang di jalan"),
        ("area", None), ("channel", "web")]


def test_xml_stays_well_formed_with_characters_xml_forbids(client, city, people):
    c = publish(submit(city).complaint, people, city, summary="Lubang\x0b besar & <dalam> di jalan kota.")
    root = xml_of(client.get(BASE + f"requests/{c.tracking_code}.xml"))
    assert root[0].find("description").text == "Lubang\ufffd besar & <dalam> di jalan kota."


def unpublished(city, people):
    """Complaints that do not exist for Open311, with why."""
    triage = as_staff(people["triage"])
    # A private complaint cannot be published (the publish form refuses); even if its row
    # somehow had an approved summary, visibility alone keeps it out.
    private = perform(submit(city, visibility="private").complaint, "triage", triage, unit=city["roads"])
    Complaint.objects.filter(pk=private.pk).update(
        public_title="x", public_summary="y", public_summary_approved_at=timezone.now())
    # Filing routes a sensitive complaint to oversight at once. Even if its row somehow said
    # public with an approved summary, the category alone keeps it out.
    sensitive = submit(city, category="bribe_cat", address="", latitude="", longitude="").complaint
    Complaint.objects.filter(pk=sensitive.pk).update(
        visibility="public", public_title="x", public_summary="y", public_summary_approved_at=timezone.now())
    assert fresh(sensitive).triaged_at is not None
    not_triaged = submit(city).complaint
    perform(not_triaged, "approve_summary", triage, public_title="Lubang", public_summary="Lubang di jalan.",
            publish=True)
    no_summary = perform(submit(city).complaint, "triage", triage, unit=city["roads"])
    return {"private": private, "sensitive": sensitive, "not_triaged": not_triaged, "no_summary": no_summary}


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_private_sensitive_untriaged_and_unapproved_complaints_do_not_exist(client, city, people, published, fmt):
    hidden = unpublished(city, people)
    listed = client.get(BASE + f"requests.{fmt}")
    if fmt == "json":
        assert ids(listed) == [published.tracking_code]
    else:
        assert [r.find("service_request_id").text for r in xml_of(listed)] == [published.tracking_code]
    for complaint in hidden.values():
        for resource in ("requests", "tokens"):
            response = client.get(BASE + f"{resource}/{complaint.tracking_code}.{fmt}")
            assert response.status_code == 404
            errors = json_errors(response) if fmt == "json" else xml_errors(response)
            assert errors[0][0] == 404
        by_id = client.get(BASE + f"requests.json?service_request_id={complaint.tracking_code}")
        assert by_id.json() == []


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_ids_and_tokens_are_404(client, city, fmt):
    response = client.get(BASE + f"requests/ADU-ZZZZ-ZZZZ.{fmt}?locale=en")
    assert response.status_code == 404
    errors = json_errors(response) if fmt == "json" else xml_errors(response)
    assert errors == [(404, "service_request_id ADU-ZZZZ-ZZZZ was not found.")]
    response = client.get(BASE + f"tokens/ADU-ZZZZ-ZZZZ.{fmt}?locale=en")
    assert response.status_code == 404
    errors = json_errors(response) if fmt == "json" else xml_errors(response)
    assert errors == [(404, "token ADU-ZZZZ-ZZZZ was not found.")]


def test_a_token_resolves_to_the_service_request_id_in_both_formats(client, published):
    code = published.tracking_code
    assert client.get(BASE + f"tokens/{code}.json").json() == [{"service_request_id": code, "token": code}]
    root = xml_of(client.get(BASE + f"tokens/{code}.xml"))
    assert root.tag == "service_requests"
    assert [(r.tag, children(r)) for r in root] == [
        ("request", [("service_request_id", code), ("token", code)])]


def test_round_trip_file_then_triage_with_a_summary_then_read(client, city, people, api_key):
    filed = client.post(BASE + "requests.json", {
        "api_key": api_key, "service_code": "JALAN-RUSAK", "address_string": "Jl. Diponegoro 5",
        "description": "Saya Budi, rumah saya di sebelah lubang besar ini, sudah tiga minggu.",
        "first_name": "Budi", "email": "budi@example.com",
    })
    code = filed.json()[0]["service_request_id"]
    assert client.get(BASE + f"requests/{code}.json").status_code == 404  # not triaged yet
    complaint = Complaint.objects.get(tracking_code=code)
    publish(complaint, people, city, "Lubang di Jl. Diponegoro", "Lubang besar di Jl. Diponegoro.",
            public_location="Jl. Diponegoro")
    (request,) = client.get(BASE + f"requests/{code}.json").json()
    assert request["service_request_id"] == code
    assert request["description"] == "Lubang besar di Jl. Diponegoro."
    assert request["address"] == "Jl. Diponegoro"  # the approved location text, not the reporter's
    assert request["status"] == "open"
    assert "Budi" not in str(request)
    assert client.get(BASE + f"tokens/{code}.json").json() == [{"service_request_id": code, "token": code}]


def _triaged(city, people):
    return publish(submit(city).complaint, people, city)


def _in_progress(city, people):
    return perform(_triaged(city, people), "start", as_staff(people["officer_roads"]))


def _needs_info(city, people):
    return perform(_triaged(city, people), "request_info", as_staff(people["officer_roads"]),
                   message="Nomor rumah berapa?")


def _resolved(city, people):
    return perform(_in_progress(city, people), "resolve", as_staff(people["officer_roads"]),
                   outcome="fixed", summary="Sudah ditambal.")


def _closed(city, people):
    return perform(_resolved(city, people), "confirm", CITIZEN, rating=5)


def _rejected(city, people):
    return perform(_needs_info(city, people), "reject", SYSTEM, reason="not_enough_information",
                   message="Tidak ada jawaban.")


@pytest.mark.parametrize("make,status,state,notes", [
    (_triaged, "open", "triaged", "Routed to a unit"),
    (_in_progress, "open", "in_progress", "In progress"),
    (_needs_info, "open", "needs_info", "Waiting for your information"),
    (_resolved, "closed", "resolved", "Resolved: Fixed. The reporter may appeal until "),
    (_closed, "closed", "closed", "Closed: Fixed"),
    (_rejected, "closed", "rejected", "Rejected: Not enough information"),
])
def test_states_map_to_open_or_closed_with_the_detail_in_notes_and_extension(
        client, city, people, make, status, state, notes):
    complaint = make(city, people)
    (request,) = client.get(BASE + f"requests/{complaint.tracking_code}.json?locale=en").json()
    assert request["status"] == status
    assert request["status_notes"].startswith(notes)
    assert request["extended_attributes"]["state"] == state
    assert client.get(BASE + f"requests.json?status={status}").json()[0]["service_request_id"] == complaint.tracking_code
    other = "closed" if status == "open" else "open"
    assert client.get(BASE + f"requests.json?status={other}").json() == []
    assert len(client.get(BASE + "requests.json?status=open,closed").json()) == 1


def test_service_code_filters_and_service_request_id_overrides_everything(client, city, people):
    road = publish(submit(city).complaint, people, city)
    clinic = perform(submit(city, category="clinic_cat").complaint, "triage", as_staff(people["triage"]),
                     unit=city["health"])
    clinic = approve(clinic, people["triage"], "Antrean", "Antrean panjang di puskesmas.")
    assert ids(client.get(BASE + "requests.json?service_code=PUSKESMAS")) == [clinic.tracking_code]
    assert ids(client.get(BASE + "requests.json?service_code=PUSKESMAS,JALAN-RUSAK")) == [
        clinic.tracking_code, road.tracking_code]
    assert ids(client.get(BASE + "requests.json?service_code=NOPE")) == []
    both = f"{road.tracking_code},{clinic.tracking_code},ADU-ZZZZ-ZZZZ"
    # service_request_id wins over service_code, status and dates (even an otherwise bad window).
    url = f"requests.json?service_request_id={both}&service_code=NOPE&status=closed&start_date=2001-01-01"
    assert set(ids(client.get(BASE + url))) == {road.tracking_code, clinic.tracking_code}


def _published_at(city, people, when):
    complaint = submit(city, now=when).complaint
    return publish(complaint, people, city, now=when + dt.timedelta(hours=1))


def test_the_default_window_is_the_last_90_days_and_dates_select_others(client, city, people):
    now = timezone.now()
    recent = _published_at(city, people, now - dt.timedelta(days=10))
    old = _published_at(city, people, now - dt.timedelta(days=120))
    assert ids(client.get(BASE + "requests.json")) == [recent.tracking_code]
    start = timezone.localtime(now - dt.timedelta(days=150)).isoformat(timespec="seconds")
    end = timezone.localtime(now - dt.timedelta(days=100)).isoformat(timespec="seconds")
    url = f"requests.json?start_date={quote(start)}&end_date={quote(end)}"
    assert ids(client.get(BASE + url)) == [old.tracking_code]
    # start_date alone spans 90 days from it; end_date alone 90 days up to it.
    assert ids(client.get(BASE + f"requests.json?start_date={quote(start)}")) == [old.tracking_code]
    assert ids(client.get(BASE + f"requests.json?end_date={quote(end)}")) == [old.tracking_code]
    # A '+' of the offset sent unescaped arrives as a space and is still understood.
    assert ids(client.get(BASE + f"requests.json?start_date={start}&end_date={end}")) == [old.tracking_code]
    day = (now - dt.timedelta(days=120)).astimezone(timezone.get_current_timezone()).date().isoformat()
    assert ids(client.get(BASE + f"requests.json?start_date={day}&end_date={day}")) == [old.tracking_code]


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("query,message", [
    ("start_date=yesterday", "start_date must be a date-time in W3C format, e.g. 2026-01-31T08:00:00+07:00."),
    ("end_date=2026-13-45", "end_date must be a date-time in W3C format, e.g. 2026-01-31T08:00:00+07:00."),
    ("start_date=2026-03-01&end_date=2026-02-01", "start_date must not be after end_date."),
    ("start_date=2026-01-01&end_date=2026-06-01", "start_date and end_date may not span more than 90 days."),
    ("end_date=0001-01-02", "The date range is outside the calendar."),
    ("status=pending", "status must be open, closed or both, comma separated."),
    ("page=0", "page must be a whole number from 1 to 100000."),
    ("page=two", "page must be a whole number from 1 to 100000."),
    ("page_size=1001", "page_size must be a whole number from 1 to 1000."),
    ("page_size=-5", "page_size must be a whole number from 1 to 1000."),
])
def test_bad_query_parameters_are_400(client, city, fmt, query, message):
    response = client.get(BASE + f"requests.{fmt}?{query}&locale=en")
    assert response.status_code == 400
    errors = json_errors(response) if fmt == "json" else xml_errors(response)
    assert errors == [(400, message)]


def test_pages_split_the_list_newest_first(client, city, people):
    now = timezone.now()
    made = [_published_at(city, people, now - dt.timedelta(days=d)) for d in (5, 4, 3, 2, 1)]
    newest_first = [c.tracking_code for c in reversed(made)]
    assert ids(client.get(BASE + "requests.json")) == newest_first
    assert ids(client.get(BASE + "requests.json?page_size=2")) == newest_first[:2]
    assert ids(client.get(BASE + "requests.json?page_size=2&page=2")) == newest_first[2:4]
    assert ids(client.get(BASE + "requests.json?page_size=2&page=3")) == newest_first[4:]
    assert ids(client.get(BASE + "requests.json?page_size=2&page=4")) == []
    assert ids(client.get(BASE + "requests.json?page=2")) == []


def test_without_paging_the_limit_is_the_specifications_1000(client, city, people, settings):
    settings.OPEN311_MAX_PAGE_SIZE = 3
    settings.OPEN311_PAGE_SIZE = 3  # stands in for 1000 here
    now = timezone.now()
    for d in (4, 3, 2, 1):
        _published_at(city, people, now - dt.timedelta(days=d))
    assert len(client.get(BASE + "requests.json").json()) == 3
