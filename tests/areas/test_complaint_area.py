"""Every complaint gets an area: picked on the web form (a plain <select>, no JavaScript),
sent as Open311 attribute[area], or found from the point; triage corrects it; the public
sees it only where it may see the point."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from complaints.lifecycle.engine import perform
from complaints.lifecycle.errors import InvalidArguments, NotPermitted
from complaints.models import Complaint, Event, Notification

from ..conftest import as_staff, publish, submit
from ..staff.helpers import act_url, form

pytestmark = pytest.mark.django_db
REPORT = "/report/"
OPEN311 = "/open311/v2/"
IN_ALPHA = {"latitude": "-7.15", "longitude": "110.05"}
IN_BETA = {"latitude": "-7.15", "longitude": "110.15"}


def web_form(city, **overrides):
    data = {
        "category": city["roads_cat"].code, "kind": "complaint", "title": "Jalan berlubang besar",
        "description": "Ada lubang besar di Jl. Merdeka depan SD sejak dua minggu, motor sering jatuh.",
        "address": "Jl. Merdeka 12", "latitude": "", "longitude": "", "area": "",
        "identity_mode": "named", "reporter_name": "Siti Rahayu", "reporter_email": "siti@example.com",
        "reporter_phone": "0812-3456-7890", "visibility": "public", "website": "",
        "idempotency_key": uuid.uuid4().hex,
    }
    data.update(overrides)
    return data


# --- the web form ---------------------------------------------------------------------------
def test_the_form_offers_the_areas_grouped_by_kecamatan_without_javascript(client, city, areas):
    client.cookies["django_language"] = "id"
    html = client.get(REPORT).content.decode()
    select = html.split('<select id="id_area" name="area"')[1].split("</select>")[0]
    # Server-rendered options in <optgroup>s: usable with JavaScript off.
    assert '<optgroup label="Kecamatan Utara">' in select and '<optgroup label="Kecamatan Selatan">' in select
    utara = select.split('<optgroup label="Kecamatan Utara">')[1].split("</optgroup>")[0]
    assert 'value="10.1"' in utara and 'value="10.2"' in utara and 'value="20.1"' not in utara
    assert "Di suatu tempat di Kecamatan Utara" in utara  # the kecamatan itself, translated
    assert 'for="id_area"' in html and "Kelurahan / desa" in html


def test_without_areas_the_form_has_no_picker(client, city):
    assert 'name="area"' not in client.get(REPORT).content.decode()


def test_the_picked_area_is_stored(client, city, areas):
    response = client.post(REPORT, web_form(city, area="10.2"))
    assert response.status_code == 302
    assert Complaint.objects.get().area == areas["beta"]


def test_a_point_alone_is_placed_in_its_kelurahan(client, city, areas):
    client.post(REPORT, web_form(city, **IN_ALPHA))
    assert Complaint.objects.get().area == areas["alpha"]


def test_the_citizens_choice_wins_over_a_point_elsewhere(client, city, areas):
    # The point may be where the citizen stands; triage corrects the area when needed.
    client.post(REPORT, web_form(city, area="20.1", **IN_ALPHA))
    assert Complaint.objects.get().area == areas["gamma"]


def test_a_point_outside_every_area_leaves_the_area_empty(client, city, areas):
    client.post(REPORT, web_form(city, latitude="-6.0", longitude="107.0"))
    assert Complaint.objects.get().area is None


@pytest.mark.parametrize("code", ["99.9", "10.1\x00", "x" * 41, "<script>"])
def test_an_unknown_area_is_a_form_error_and_nothing_is_stored(client, city, areas, code):
    client.cookies["django_language"] = "en"
    response = client.post(REPORT, web_form(city, area=code))
    html = response.content.decode()
    assert response.status_code == 400
    if "\x00" not in code:  # a NUL byte is refused before the form (tests/test_hostile_input.py)
        assert 'id="id_area-error"' in html and 'aria-invalid="true"' in html
    assert (Complaint.objects.count(), Notification.objects.count()) == (0, 0)


def test_filing_refuses_an_unknown_area_through_the_domain_too(city, areas):
    with pytest.raises(InvalidArguments) as raised:
        submit(city, area="nope")
    assert "area" in raised.value.errors and not Complaint.objects.exists()


# --- Open311 --------------------------------------------------------------------------------
def open311_form(api_key, **extra):
    data = {"api_key": api_key, "service_code": "JALAN-RUSAK", "lat": "-7.15", "long": "110.15",
            "description": "Lubang besar di Jl. Merdeka depan SD sejak dua minggu, motor sering jatuh di sana."}
    data.update(extra)
    return data


@pytest.fixture
def api_key(db, settings):
    from complaints.models import ApiKey

    settings.OPEN311_RATE_LIMIT_IP = 0
    settings.OPEN311_RATE_LIMIT_KEY = 0
    return ApiKey.issue("client")[1]


def test_open311_takes_attribute_area_and_defaults_to_the_points_area(client, city, areas, api_key):
    definition = client.get(OPEN311 + "services/JALAN-RUSAK.json?locale=en").json()
    [area] = [a for a in definition["attributes"] if a["code"] == "area"]
    assert {"key": "10.1", "name": "Alpha, Utara"} in area["values"] and area["required"] is False

    assert client.post(OPEN311 + "requests.json", open311_form(api_key, **{"attribute[area]": "20.1"})).status_code == 201
    assert client.post(OPEN311 + "requests.json", open311_form(api_key, description="Trotoar rusak parah di depan "
                                                               "pasar sejak sebulan, pejalan kaki turun ke jalan.")
                       ).status_code == 201
    assert [c.area.code for c in Complaint.objects.order_by("pk")] == ["20.1", "10.2"]


def test_open311_refuses_an_unknown_area_and_stores_nothing(client, city, areas, api_key):
    response = client.post(OPEN311 + "requests.json", open311_form(api_key, **{"attribute[area]": "99"}),
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "attribute[area] must be one of" in response.json()[0]["description"]
    assert not Complaint.objects.exists()


def test_open311_get_shows_the_area_of_a_published_complaint(client, city, people, areas):
    c = submit(city, area="10.1").complaint
    c = perform(c, "triage", as_staff(people["triage"]), unit=city["roads"])
    publish(c, people["triage"])
    body = client.get(OPEN311 + f"requests/{c.tracking_code}.json").json()[0]
    assert body["extended_attributes"]["area"] == "10.1"
    assert body["address"] == "Alpha, Utara"  # no approved location text: the area's name


# --- staff ----------------------------------------------------------------------------------
def test_the_staff_page_shows_the_area_and_triage_corrects_it(client, city, people, areas):
    c = submit(city, area="10.1").complaint
    client.force_login(people["triage"])
    page = client.get(f"/staff/complaints/{c.tracking_code}/").content.decode()
    assert "Alpha" in page.split('id="area"')[1].split("</p>")[0]
    assert 'id="action-set_area"' in page and '<optgroup label="' in page.split('id="action-set_area"')[1]

    response = client.post(act_url(c, "set_area"), form(c, area="20.1"))
    assert response.status_code == 303
    c.refresh_from_db()
    assert c.area == areas["gamma"]
    event = Event.objects.get(complaint=c, action="set_area")
    assert event.data == {"from_area": "10.1", "area": "20.1"}


@pytest.mark.parametrize("code, message", [("99", "Choose an area from the list."),
                                           ("10.1", "The complaint already has this area."),
                                           ("10.1\x00", "Choose an area from the list.")])
def test_a_bad_correction_is_refused_and_changes_nothing(city, people, areas, code, message):
    c = submit(city, area="10.1").complaint
    with pytest.raises(InvalidArguments, match=message):
        perform(c, "set_area", as_staff(people["triage"]), area=code)
    c.refresh_from_db()
    assert c.area == areas["alpha"] and not Event.objects.filter(action="set_area").exists()


def test_a_unit_officer_may_not_correct_the_area(client, city, people, areas):
    c = perform(submit(city, area="10.1").complaint, "triage", as_staff(people["triage"]), unit=city["roads"])
    with pytest.raises(NotPermitted):
        perform(c, "set_area", as_staff(people["officer_roads"]), area="20.1")
    client.force_login(people["officer_roads"])
    assert 'id="action-set_area"' not in client.get(f"/staff/complaints/{c.tracking_code}/").content.decode()
    assert client.post(act_url(c, "set_area"), form(c, area="20.1")).status_code == 403
    c.refresh_from_db()
    assert c.area == areas["alpha"]


def test_only_oversight_corrects_the_area_of_a_sensitive_complaint(city, people, areas):
    c = submit(city, category="bribe_cat", area="10.1").complaint
    with pytest.raises(NotPermitted):
        perform(c, "set_area", as_staff(people["triage"]), area="20.1")
    perform(c, "set_area", as_staff(people["oversight"]), area="20.1")
    assert Complaint.objects.get(pk=c.pk).area == areas["gamma"]


# --- privacy --------------------------------------------------------------------------------
def test_the_area_of_a_sensitive_or_private_complaint_is_on_no_public_surface(client, city, people, areas):
    sensitive = submit(city, category="bribe_cat", area="10.2", visibility="public").complaint
    private = submit(city, area="10.2", visibility="private").complaint
    private = perform(private, "triage", as_staff(people["triage"]), unit=city["roads"])
    for c in (Complaint.objects.get(pk=sensitive.pk), Complaint.objects.get(pk=private.pk)):
        assert c.area.code == "10.2"  # staff have it
        assert c.public_area() is None and c.public_place() == ""
        assert client.get(f"/complaints/{c.tracking_code}/").status_code == 404
        assert client.get(OPEN311 + f"requests/{c.tracking_code}.json").status_code == 404
    since = (timezone.now() - dt.timedelta(days=1)).isoformat()
    for page in ("/complaints/", OPEN311 + f"requests.json?start_date={since}", "/dashboard/"):
        text = client.get(page).content.decode()
        assert "Beta" not in text and "10.2" not in text, page
