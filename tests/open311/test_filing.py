"""POST requests: filing through the API goes through the web form's validation,
idempotency and state machine, records the key, and answers in the specification's shape."""

import pytest

from complaints.models import ApiKey, Complaint, Event, IdentityMode, Kind, State, Visibility

from .conftest import BASE, children, json_errors, xml_errors, xml_of

DESCRIPTION = "Lubang besar di Jl. Merdeka depan SD sejak dua minggu, motor sering jatuh di sana."


def form(api_key, **overrides):
    data = {"api_key": api_key, "service_code": "JALAN-RUSAK", "lat": "-7.250000", "long": "110.400000",
            "description": DESCRIPTION}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def post(client, data, fmt="json", **headers):
    # Texts are compared in English, whatever the default language is.
    headers.setdefault("HTTP_ACCEPT_LANGUAGE", "en")
    return client.post(BASE + f"requests.{fmt}", data, **headers)


def errors_of(response, fmt):
    return json_errors(response) if fmt == "json" else xml_errors(response)


def test_filing_in_json_answers_the_tracking_code_and_a_notice(client, city, api_key):
    response = post(client, form(api_key, email="budi@example.com", first_name="Budi",
                                 last_name="Santoso", phone="0812 1111 2222"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 201
    (answer,) = response.json()
    assert list(answer) == ["service_request_id", "service_notice", "account_id"]
    complaint = Complaint.objects.get()
    assert answer["service_request_id"] == complaint.tracking_code
    assert answer["service_notice"] == (
        "Triage within 3 working days; resolution target 14 working days after triage.")
    assert answer["account_id"] is None
    assert complaint.state == State.SUBMITTED
    assert complaint.category == city["roads_cat"]
    assert complaint.description == DESCRIPTION
    assert complaint.title == "Lubang besar di Jl. Merdeka depan SD sejak dua minggu,…"
    assert (complaint.reporter_name, complaint.reporter_email, complaint.reporter_phone) == (
        "Budi Santoso", "budi@example.com", "0812 1111 2222")
    assert complaint.identity_mode == IdentityMode.NAMED
    assert complaint.visibility == Visibility.PUBLIC
    assert complaint.kind == Kind.COMPLAINT
    assert str(complaint.latitude) == "-7.250000" and str(complaint.longitude) == "110.400000"
    assert complaint.language == "en"


def test_filing_in_xml_answers_request_elements(client, city, api_key):
    response = post(client, form(api_key), fmt="xml", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 201
    root = xml_of(response)
    assert root.tag == "service_requests"
    (request,) = root
    assert request.tag == "request"
    code = Complaint.objects.get().tracking_code
    assert children(request) == [
        ("service_request_id", code),
        ("service_notice", "Triage within 3 working days; resolution target 14 working days after triage."),
        ("account_id", None),
    ]


def test_the_audit_event_records_the_api_key_that_filed(client, city, api_key):
    post(client, form(api_key))
    event = Event.objects.get(complaint=Complaint.objects.get(), action="filed")
    assert event.actor_type == "api_key"
    assert event.actor_api_key == ApiKey.objects.get(name="fixmystreet")
    assert event.actor_label == "fixmystreet"
    assert event.data["channel"] == "open311"


def test_attributes_set_kind_identity_visibility_and_title(client, city, api_key):
    response = post(client, form(api_key, **{
        "attribute[kind]": "feedback", "attribute[identity_mode]": "confidential",
        "attribute[visibility]": "private", "attribute[title]": "Jalan Merdeka berlubang",
        "first_name": "Budi", "email": "budi@example.com",
    }))
    assert response.status_code == 201
    complaint = Complaint.objects.get()
    assert complaint.kind == Kind.FEEDBACK
    assert complaint.identity_mode == IdentityMode.CONFIDENTIAL
    assert complaint.visibility == Visibility.PRIVATE
    assert complaint.title == "Jalan Merdeka berlubang"
    assert complaint.reporter_name == "Budi"


def test_without_a_name_the_report_is_anonymous_and_keeps_no_contact(client, city, api_key):
    response = post(client, form(api_key, email="anon@example.com", phone="0812 9999 0000"))
    assert response.status_code == 201
    complaint = Complaint.objects.get()
    assert complaint.identity_mode == IdentityMode.ANONYMOUS
    assert (complaint.reporter_name, complaint.reporter_email, complaint.reporter_phone) == ("", "", "")


def test_a_named_report_needs_a_way_to_reach_the_reporter(client, city, api_key):
    response = post(client, form(api_key, first_name="Budi"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert json_errors(response) == [(400, "email: Give an e-mail address or a phone number so the unit can reach you.")]
    assert not Complaint.objects.exists()


def test_media_url_is_stored_as_a_link(client, city, api_key):
    response = post(client, form(api_key, media_url="https://photos.example.org/pothole.jpg"))
    assert response.status_code == 201
    assert Complaint.objects.get().media_url == "https://photos.example.org/pothole.jpg"


def test_address_string_or_address_id_is_a_location(client, city, api_key):
    assert post(client, form(api_key, lat=None, long=None, address_string="Jl. Merdeka 12")).status_code == 201
    assert Complaint.objects.get().address == "Jl. Merdeka 12"
    response = post(client, form(api_key, lat=None, long=None, address_id="PERSIL-0042",
                                 description=DESCRIPTION + " Lagi."))
    assert response.status_code == 201
    assert Complaint.objects.order_by("pk").last().address == "PERSIL-0042"


def test_a_category_without_location_required_needs_none(client, city, api_key):
    response = post(client, form(api_key, service_code="PUSKESMAS", lat=None, long=None))
    assert response.status_code == 201
    assert Complaint.objects.get().category == city["clinic_cat"]


def test_a_sensitive_report_is_private_and_never_named(client, city, api_key):
    response = post(client, form(api_key, service_code="PUNGLI", lat=None, long=None, first_name="Budi",
                                 email="budi@example.com", **{"attribute[identity_mode]": "confidential"}),
                    HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 201
    assert "Confidential" in response.json()[0]["service_notice"]
    complaint = Complaint.objects.get()
    assert complaint.visibility == Visibility.PRIVATE
    assert complaint.identity_mode == IdentityMode.CONFIDENTIAL
    # A name without a mode would be "named": a sensitive category turns it confidential.
    post(client, form(api_key, service_code="PUNGLI", lat=None, long=None, first_name="Budi",
                      email="budi@example.com", description=DESCRIPTION + " Dua."))
    assert Complaint.objects.order_by("pk").last().identity_mode == IdentityMode.CONFIDENTIAL


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("key", [None, "", "adu_not-a-real-key"])
def test_a_missing_or_unknown_api_key_is_403(client, city, fmt, key):
    response = post(client, form(key), fmt=fmt)
    assert response.status_code == 403
    assert errors_of(response, fmt) == [(403, "api_key is missing, unknown or revoked.")]
    assert not Complaint.objects.exists()


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_revoked_api_key_is_403(client, city, fmt):
    from django.utils import timezone

    key, raw = ApiKey.issue("old-app")
    ApiKey.objects.filter(pk=key.pk).update(revoked_at=timezone.now())
    response = post(client, form(raw), fmt=fmt)
    assert response.status_code == 403
    assert errors_of(response, fmt)[0][0] == 403


BAD_FORMS = [
    ({"service_code": None}, ["service_code is required."]),
    ({"service_code": "NOPE"}, ["service_code NOPE is not a service."]),
    ({"lat": None}, ["Give both lat and long, or neither."]),
    ({"lat": "north", "long": "east"},
     ["lat: Give both latitude and longitude as numbers, or leave both empty.",
      "address_string: This service needs a location: lat and long, address_string or address_id."]),
    ({"lat": None, "long": None},
     ["address_string: This service needs a location: lat and long, address_string or address_id."]),
    ({"description": "Rusak."},
     ["description: Describe the problem in at least 20 characters: what happened, where and since when."]),
    ({"email": "not-an-address"}, ["email: Enter a valid e-mail address."]),
    ({"phone": "call me maybe", "first_name": "Budi"},
     ["phone: Enter a phone number using digits, spaces, + and -."]),
    ({"media_url": "file:///etc/passwd"}, ["media_url must be an http or https address."]),
    ({"attribute[colour]": "red"}, ["attribute[colour] is not an attribute of this service."]),
    ({"attribute[kind]": "praise"},
     ["attribute[kind] must be one of: complaint, feedback, information_request."]),
    ({"attribute[kind][]": "feedback"}, ["attribute[kind] takes one value."]),
    ({"attribute[title]": "x" * 201}, ["attribute[title]: Keep the title under 200 characters."]),
]


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("overrides,expected", BAD_FORMS)
def test_bad_parameters_are_400_and_file_nothing(client, city, api_key, fmt, overrides, expected):
    response = post(client, form(api_key, **overrides), fmt=fmt, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert errors_of(response, fmt) == [(400, text) for text in expected]
    assert not Complaint.objects.exists()


def test_a_sensitive_service_refuses_public_visibility(client, city, api_key):
    response = post(client, form(api_key, service_code="PUNGLI", **{"attribute[visibility]": "public"}))
    assert response.status_code == 400
    assert json_errors(response) == [(400, "attribute[visibility] must be one of: private.")]


def test_the_same_submission_again_returns_the_first_answer(client, city, api_key):
    first = post(client, form(api_key, email="a@example.com"))
    again = post(client, form(api_key, email="a@example.com"))
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()[0]["service_request_id"] == first.json()[0]["service_request_id"]
    assert Complaint.objects.count() == 1
    # Another text, or another key, is another complaint.
    post(client, form(api_key, email="a@example.com", description=DESCRIPTION + " Tolong."))
    _key, other = ApiKey.issue("another-app")
    post(client, form(other, email="a@example.com"))
    assert Complaint.objects.count() == 3


def test_an_identical_submission_after_the_window_is_a_new_complaint(client, city, api_key, monkeypatch, settings):
    import time

    settings.OPEN311_IDEMPOTENCY_WINDOW = 600
    start = 1_800_000_000.0  # the start of a window
    monkeypatch.setattr(time, "time", lambda: start + 10)
    first = post(client, form(api_key)).json()[0]["service_request_id"]
    monkeypatch.setattr(time, "time", lambda: start + 610)  # the next window still finds it
    assert post(client, form(api_key)).json()[0]["service_request_id"] == first
    monkeypatch.setattr(time, "time", lambda: start + 1300)  # two windows later: a new report
    assert post(client, form(api_key)).json()[0]["service_request_id"] != first
    assert Complaint.objects.count() == 2


def test_an_idempotency_key_header_returns_the_first_answer_for_that_device(client, city, api_key):
    first = post(client, form(api_key, device_id="phone-1"), HTTP_IDEMPOTENCY_KEY="abc-1")
    again = post(client, form(api_key, device_id="phone-1"), HTTP_IDEMPOTENCY_KEY="abc-1")
    assert again.status_code == 200
    assert again.json() == first.json()
    # The same key with other content is not a retry: refused with a message, never
    # answered with the first report as if the edit had been filed (issue 11, item 17).
    edited = post(client, form(api_key, device_id="phone-1", description=DESCRIPTION + " Edit."),
                  HTTP_IDEMPOTENCY_KEY="abc-1")
    assert edited.status_code == 400
    assert "already used for a report with other content" in json_errors(edited)[0][1]
    assert Complaint.objects.count() == 1
    other_device = post(client, form(api_key, device_id="phone-2"), HTTP_IDEMPOTENCY_KEY="abc-1")
    assert other_device.status_code == 201
    assert Complaint.objects.count() == 2
    too_long = post(client, form(api_key), HTTP_IDEMPOTENCY_KEY="x" * 201)
    assert too_long.status_code == 400


def test_filing_does_not_need_a_csrf_token(city, api_key):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert post(strict, form(api_key)).status_code == 201


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_body_that_cannot_be_parsed_is_400_in_the_open311_shape(client, city, fmt):
    response = client.generic("POST", BASE + f"requests.{fmt}?locale=en", b"--x\r\nbroken",
                              content_type="multipart/form-data; boundary=")
    assert response.status_code == 400
    assert errors_of(response, fmt) == [(400, "The request body could not be read.")]


def test_a_json_body_is_not_the_specifications_form_and_has_no_key(client, city, api_key):
    response = client.post(BASE + "requests.json", {"api_key": api_key}, content_type="application/json")
    assert response.status_code == 403


def test_a_submission_that_differs_only_outside_the_retry_key_is_a_new_report(client, city, api_key):
    # Without an Idempotency-Key header a retry is recognised by service, text, place and
    # e-mail; another name, title or media link within the window is another report.
    first = post(client, form(api_key, first_name="Budi", email="a@example.com"))
    other = post(client, form(api_key, first_name="Sari", email="a@example.com"))
    titled = post(client, form(api_key, first_name="Budi", email="a@example.com", **{"attribute[title]": "Lubang"}))
    assert first.status_code == other.status_code == titled.status_code == 201
    ids = {r.json()[0]["service_request_id"] for r in (first, other, titled)}
    assert len(ids) == 3 and Complaint.objects.count() == 3
    again = post(client, form(api_key, first_name="Sari", email="a@example.com"))
    assert again.status_code == 200 and again.json() == other.json()
