"""Hostile input that used to end in a 500 (or a hang) instead of a clear 400.

NUL characters: PostgreSQL refuses text containing NUL (DataError), so every path, query
and form that reached a query answered 500 there. One guard (config.middleware) answers 400
with a message in the request's language and nothing changes. These tests run on SQLite
and on PostgreSQL (CI's PostgreSQL stage is where the 500s were).

Dates out of range: the dashboard's pages, JSON and CSV overflowed date arithmetic
(OverflowError) and the complaint CSV never answered; periods are now bounded and checked
before anything is streamed."""

import pytest


from complaints.models import Complaint, Event
from tests.citizen.conftest import form_data
from tests.conftest import SignInClient

NUL = "%00"


@pytest.fixture
def site(city, people, filed):
    code = filed.complaint.tracking_code
    return {"code": code, "complaint": filed.complaint, "people": people, "city": city}


def client_for(user=None, language="en"):
    # Signed in as staff are: password and, for the roles that owe one, the second factor.
    client = SignInClient(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_login(user)
    return client


ANONYMOUS_GETS = [
    "/dashboard/?unit=" + NUL,
    "/dashboard/api/summary.json?unit=" + NUL,
    "/dashboard/api/weekly.json?unit=" + NUL,
    "/dashboard/export/complaints.csv?unit=" + NUL,
    "/dashboard/export/summary.csv?unit=" + NUL,
    "/dashboard/?period=7d" + NUL,
    "/report/done/" + NUL + "/",
    "/report/done/abc" + NUL + "def/",
    "/track/" + NUL + "/",
    "/track/{code}/?t=" + NUL,
    "/track/" + NUL + "/link/track/?s=x",
    "/track/{code}/link/track/?s=" + NUL,
    "/complaints/?q=" + NUL,
    "/complaints/?q=jalan" + NUL + "&category=JALAN-RUSAK",
    "/complaints/?category=" + NUL,
    "/complaints/?unit=" + NUL + "&status=" + NUL,
    "/complaints/" + NUL + "/",
    "/complaints/?page=" + NUL,
    "/accounts/login/?next=/" + NUL,
    "/?x=" + NUL,
    "/?" + NUL + "=1",
]

# (user, path) of staff pages.
STAFF_GETS = [
    ("triage", "/staff/complaints/" + NUL + "/"),
    ("triage", "/staff/complaints/{code}/?dup=" + NUL),
    ("triage", "/staff/triage/?page=" + NUL),
    ("oversight", "/staff/complaints/" + NUL + "/audit/"),
    ("oversight", "/staff/oversight/?q=" + NUL),
    ("oversight", "/staff/oversight/?list=" + NUL),
    ("oversight", "/staff/oversight/?q=budi&page=" + NUL),
    ("officer_roads", "/staff/inbox/?status=" + NUL + "&category=" + NUL),
    ("officer_roads", "/staff/inbox/?page=" + NUL),
    ("supervisor_works", "/staff/performance/?days=" + NUL),
    ("admin", "/admin/complaints/complaint/?q=" + NUL),
]

# (user, path, form) of staff actions: each one a complaint body the issue named.
STAFF_POSTS = [
    ("triage", "/staff/complaints/{code}/act/note/", {"body": "catatan\x00internal"}),
    ("triage", "/staff/complaints/{code}/act/reply/", {"body": "balasan\x00"}),
    ("triage", "/staff/complaints/{code}/act/triage/", {"unit": "DPU-JALAN\x00"}),
    ("triage", "/staff/complaints/{code}/act/transfer/", {"unit": "\x00", "reason": "salah unit"}),
    ("triage", "/staff/complaints/{code}/act/recategorise/", {"category": "PUSKESMAS\x00"}),
    ("triage", "/staff/complaints/{code}/act/set_area/", {"area": "10.1\x00"}),
    ("triage", "/staff/complaints/{code}/act/mark_duplicate/", {"duplicate_of": "ADU-\x00"}),
    ("triage", "/staff/complaints/{code}/act/request_info/", {"message": "di mana\x00?"}),
    ("triage", "/staff/complaints/" + NUL + "/act/note/", {"body": "catatan"}),
    ("triage", "/staff/triage/route/", {"unit": "DPU-JALAN", "selected": ["{code}\x00"]}),
    ("triage", "/staff/triage/route/", {"unit": "\x00", "selected": ["{code}"]}),
    ("triage", "/staff/triage/route/", {"unit": "suggested", "selected": ["{code}"], "version_{code}\x00": "1"}),
]


def assert_refused(response, path):
    assert response.status_code == 400, (path, response.status_code)
    text = response.content.decode()
    assert "NUL character" in text, path


def expand(value, code):
    if isinstance(value, list):
        return [expand(v, code) for v in value]
    return value.replace("{code}", code)


@pytest.mark.parametrize("path", ANONYMOUS_GETS)
def test_nul_in_an_anonymous_address_or_query_is_refused_with_400(site, path):
    path = path.format(code=site["code"])
    assert_refused(client_for().get(path), path)


@pytest.mark.parametrize("role, path", STAFF_GETS)
def test_nul_in_a_staff_address_or_query_is_refused_with_400(site, role, path):
    path = path.format(code=site["code"])
    assert_refused(client_for(site["people"][role]).get(path), path)


@pytest.mark.parametrize("role, path, form", STAFF_POSTS)
def test_nul_in_a_staff_action_changes_nothing_and_is_refused_with_400(site, role, path, form):
    complaint = site["complaint"]
    form = {expand(k, site["code"]): expand(v, site["code"]) for k, v in form.items()}
    form.update(expected_state=complaint.state, expected_version=str(complaint.audit_count))
    path = path.format(code=site["code"])
    events = list(Event.objects.values_list("pk", flat=True))
    response = client_for(site["people"][role]).post(path, form)
    assert_refused(response, path)
    assert list(Event.objects.values_list("pk", flat=True)) == events
    assert Complaint.objects.get(pk=complaint.pk).state == complaint.state


@pytest.mark.parametrize("field, value", [
    ("idempotency_key", "abc\x00def"), ("title", "Jalan\x00 rusak"), ("reporter_name", "\x00"),
    ("description", "Ada lubang besar di jalan depan sekolah sejak dua minggu\x00."),
    ("category", "JALAN-RUSAK\x00"), ("area", "10.1\x00"),
])
def test_nul_in_the_report_form_stores_nothing_and_is_refused_with_400(city, field, value):
    response = client_for().post("/report/", {**form_data(city), field: value})
    assert_refused(response, field)
    assert Complaint.objects.count() == 0


def test_nul_in_an_uploaded_file_name_is_refused(city):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("foto\x00.jpg", b"\xff\xd8\xff", content_type="image/jpeg")
    response = client_for().post("/report/", {**form_data(city), "attachments": upload})
    assert response.status_code == 400
    assert Complaint.objects.count() == 0


@pytest.mark.parametrize("path, form", [
    ("/track/", {"code": "ADU-\x00", "token": "x"}),
    ("/accounts/login/", {"username": "admin\x00", "password": "x"}),
    ("/accounts/signup/", {"username": "budi\x00", "email": "b@example.com", "password1": "x", "password2": "x"}),
])
def test_nul_in_citizen_forms_is_refused_with_400(db, path, form):
    assert_refused(client_for().post(path, form), path)


def test_the_refusal_speaks_the_language_of_the_request(db):
    page = client_for(language="id").get("/complaints/?q=" + NUL)
    assert page.status_code == 400
    assert 'lang="id"' in page.content.decode()
    assert "NUL character" not in page.content.decode()
    data = client_for(language="id").get("/dashboard/api/summary.json?unit=" + NUL)
    assert data.status_code == 400 and "NUL" in data.json()["error"]


def test_open311_keeps_its_own_error_shape_for_nul(db):
    response = client_for().get("/open311/v2/requests.json?service_code=A%00B")
    assert response.status_code == 400
    assert response.json() == [{"code": 400, "description": "Parameters must not contain NUL characters."}]


@pytest.mark.postgres
def test_postgresql_refuses_nul_so_the_guard_is_what_keeps_these_pages_up(site):
    """The hazard the guard stands in front of is real on PostgreSQL: without it the same
    lookup the tracking page makes ends in DataError."""
    from django.db import DataError, transaction

    with pytest.raises(DataError), transaction.atomic():
        list(Complaint.objects.filter(tracking_code="ADU-\x00"))
    assert_refused(client_for().get("/track/ADU-%00/"), "/track/ADU-%00/")


# --- dates out of range -------------------------------------------------------------------
DATA_URLS = ("/dashboard/api/summary.json", "/dashboard/api/weekly.json", "/dashboard/export/summary.csv",
             "/dashboard/export/complaints.csv")


@pytest.mark.parametrize("dates", ["start=0001-01-01&end=0001-01-31", "start=9999-12-30&end=9999-12-31",
                                   "start=0001-01-01&end=2025-01-01", "start=1999-12-31&end=2000-01-30"])
def test_dates_out_of_range_get_a_clear_400_everywhere(city, dates):
    client = client_for()
    for url in DATA_URLS:
        response = client.get(f"{url}?{dates}")
        assert response.status_code == 400, url
        assert "Dates must lie between 2000-01-01 and" in response.json()["error"], url
    for url in ("/dashboard/", "/dashboard/units/DPU/"):
        page = client.get(f"{url}?{dates}")
        assert page.status_code == 400, url
        assert "Dates must lie between" in page.content.decode()


def test_the_complaint_csv_for_a_far_future_period_answers_at_once_with_400(city):
    # This one used to hang under daphne: the error was raised inside the streamed generator.
    response = client_for().get("/dashboard/export/complaints.csv?start=9999-12-30&end=9999-12-31")
    assert response.status_code == 400
    assert not response.streaming


def test_dates_inside_the_range_still_work(city):
    client = client_for()
    for url in DATA_URLS:
        assert client.get(f"{url}?start=2000-01-01&end=2009-12-31").status_code == 200, url
