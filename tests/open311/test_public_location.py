"""Where a published request is and what it links to (issue 11, item 3): the API shows
the location text triage approved and the point snapped to the PUBLIC_LOCATION_GRID_M
grid, never the reporter's address or exact point, and the media link only when triage
approved it."""

import math

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from complaints.models import Complaint, grid_cell_centre
from complaints.lifecycle.engine import perform
from complaints.lifecycle.errors import InvalidArguments

from ..conftest import as_staff, submit
from .conftest import BASE, publish, xml_of

HOUSE = "Jl. Melati 7, rumah Bu Sulastri Handayani, HP 0813-2244-6688"
NIK = "3374015507800001"
EMAIL = "sulastri.handayani@pribadi.example"
MEDIA = f"https://foto.example.net/{EMAIL}/lubang.jpg"
# A point to six decimals (about 10 cm): often the reporter's own doorstep.
LAT, LNG = "-6.987654", "110.412345"


def every_answer(client, code):
    """The JSON and XML texts of every read that can show the request."""
    paths = ["requests.{fmt}", f"requests.{{fmt}}?service_request_id={code}", f"requests/{code}.{{fmt}}"]
    texts = []
    for fmt in ("json", "xml"):
        for path in paths:
            response = client.get(BASE + path.format(fmt=fmt))
            assert response.status_code == 200, path
            texts.append(response.content.decode())
    assert all(code in text for text in texts)
    return texts


def assert_absent(texts, *secrets):
    for text in texts:
        for secret in secrets:
            assert secret not in text


def test_a_confidential_reporters_house_address_and_point_are_never_published(client, city, people):
    c = submit(city, identity_mode="confidential", address=HOUSE, latitude=LAT, longitude=LNG).complaint
    publish(c, people, city, public_location="Jl. Melati")
    texts = every_answer(client, c.tracking_code)
    assert_absent(texts, HOUSE, "Melati 7", "Sulastri", "2244-6688", LAT, LNG, LAT[:8], LNG[:9])
    (request,) = client.get(BASE + f"requests/{c.tracking_code}.json").json()
    assert request["address"] == "Jl. Melati"


def test_an_open311_filing_with_a_nik_address_and_an_email_media_link_publishes_neither(
        client, city, people, api_key):
    filed = client.post(BASE + "requests.json", {
        "api_key": api_key, "service_code": "JALAN-RUSAK", "address_string": f"NIK {NIK}, Gang Kenari 3",
        "media_url": MEDIA, "lat": LAT, "long": LNG, "first_name": "Sulastri", "phone": "0813-2244-6688",
        "description": "Lubang besar di gang depan rumah saya sejak bulan lalu.",
    })
    assert filed.status_code == 201
    c = Complaint.objects.get(tracking_code=filed.json()[0]["service_request_id"])
    publish(c, people, city)  # published without location text and without the media link
    texts = every_answer(client, c.tracking_code)
    assert_absent(texts, NIK, EMAIL, MEDIA, "foto.example.net", "Gang Kenari", "Sulastri", "2244-6688", LAT, LNG)
    (request,) = client.get(BASE + f"requests/{c.tracking_code}.json").json()
    assert request["address"] is None and request["media_url"] is None


def test_the_published_point_is_the_centre_of_its_grid_cell(client, city, people):
    c = submit(city, latitude=LAT, longitude=LNG).complaint
    publish(c, people, city)
    (request,) = client.get(BASE + f"requests/{c.tracking_code}.json").json()
    expected = grid_cell_centre(float(LAT), float(LNG), 100)
    assert (request["lat"], request["long"]) == (expected.latitude, expected.longitude)
    assert (request["lat"], request["long"]) != (float(LAT), float(LNG))
    # Within half a cell's diagonal of the real point, and the same for a neighbour's point
    # in the same cell: the answer cannot tell the two houses apart.
    assert metres_between((float(LAT), float(LNG)), (request["lat"], request["long"])) <= 71
    neighbour = submit(city, latitude="-6.987700", longitude="110.412300").complaint
    publish(neighbour, people, city)
    (other,) = client.get(BASE + f"requests/{neighbour.tracking_code}.json").json()
    assert (other["lat"], other["long"]) == (request["lat"], request["long"])
    values = dict((child.tag, child.text) for child in xml_of(
        client.get(BASE + f"requests/{c.tracking_code}.xml"))[0])
    assert (float(values["lat"]), float(values["long"])) == (request["lat"], request["long"])


def test_the_grid_follows_the_setting(client, city, people, settings):
    settings.PUBLIC_LOCATION_GRID_M = 1000
    c = submit(city, latitude=LAT, longitude=LNG).complaint
    publish(c, people, city)
    (request,) = client.get(BASE + f"requests/{c.tracking_code}.json").json()
    expected = grid_cell_centre(float(LAT), float(LNG), 1000)
    assert (request["lat"], request["long"]) == (expected.latitude, expected.longitude)
    assert expected != grid_cell_centre(float(LAT), float(LNG), 100)


def test_the_media_link_is_published_only_when_triage_approved_it(client, city, people):
    link = "https://foto.example.net/lubang-jl-merdeka.jpg"
    c = submit(city, media_url=link).complaint
    c = publish(c, people, city)
    (request,) = client.get(BASE + f"requests/{c.tracking_code}.json").json()
    assert request["media_url"] is None
    perform(c, "approve_summary", as_staff(people["triage"]), publish=True, publish_media=True,
            public_title="Lubang", public_summary="Lubang besar di jalan.")
    (request,) = client.get(BASE + f"requests/{c.tracking_code}.json").json()
    assert request["media_url"] == link


def test_a_media_link_masked_for_the_officer_cannot_be_approved(city, people):
    c = submit(city, identity_mode="confidential", media_url=MEDIA).complaint
    c = perform(c, "triage", as_staff(people["triage"]), unit=city["roads"])
    with pytest.raises(InvalidArguments):
        perform(c, "approve_summary", as_staff(people["triage"]), publish=True, publish_media="on",
                public_title="Lubang", public_summary="Lubang besar di jalan.")
    assert Complaint.objects.get(pk=c.pk).public_summary_approved_at is None


def test_private_and_sensitive_complaints_have_no_public_point(city):
    private = submit(city, visibility="private").complaint
    sensitive = submit(city, category="bribe_cat").complaint
    public = submit(city).complaint
    assert private.public_point() is None
    assert Complaint.objects.get(pk=sensitive.pk).public_point() is None
    assert submit(city, latitude="", longitude="").complaint.public_point() is None
    assert public.public_point() == grid_cell_centre(-7.25, 110.40, 100)


def metres_between(a, b):
    """Equirectangular distance: exact enough over a few hundred metres."""
    lat = math.radians((a[0] + b[0]) / 2)
    dy = (a[0] - b[0]) * 111_320
    dx = (a[1] - b[1]) * 111_320 * math.cos(lat)
    return math.hypot(dx, dy)


@hsettings(max_examples=300, deadline=None)
@given(st.floats(-80, 80), st.floats(-179.99, 179.99), st.sampled_from([50, 100, 250, 1000]),
       st.floats(0, 1), st.floats(0, 1))
def test_every_point_of_a_cell_snaps_to_its_centre_within_half_a_diagonal(lat, lng, grid, fy, fx):
    centre = grid_cell_centre(lat, lng, grid)
    assert metres_between((lat, lng), centre[:2]) <= grid * math.sqrt(2) / 2 + 1
    # Any other point of the same cell gives the same centre.
    step_lat = grid / 111_320.0
    step_lon = step_lat / math.cos(math.radians(centre.latitude))
    other = (centre.latitude + (fy - 0.5) * step_lat * 0.98, centre.longitude + (fx - 0.5) * step_lon * 0.98)
    assert grid_cell_centre(*other, grid)[:2] == centre[:2]


def test_the_public_page_shows_the_same_approved_place_and_snapped_point(client, city, people):
    c = submit(city, address=HOUSE, latitude=LAT, longitude=LNG, media_url=MEDIA).complaint
    publish(c, people, city, public_location="Jl. Melati")
    html = client.get(f"/complaints/{c.tracking_code}/").content.decode()
    centre = grid_cell_centre(float(LAT), float(LNG), 100)
    assert "Jl. Melati" in html and f"{centre.latitude:f}, {centre.longitude:f}" in html
    assert_absent([html], HOUSE, "Melati 7", "Sulastri", LAT, LNG, EMAIL, "foto.example.net")
