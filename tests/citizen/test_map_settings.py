"""The report form's map settings: the tile host reaches the Content-Security-Policy only when
MAP_TILE_URL is set; the map's data block carries centre, tiles and outlines (no inline
script); a point outside the configured service area is refused on every channel with a
clear message, and nothing is stored."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings

from complaints.lifecycle.errors import InvalidArguments
from complaints.models import ApiKey, Complaint, Notification

from ..conftest import submit
from ..open311.conftest import BASE, json_errors
from .conftest import form_data

pytestmark = pytest.mark.django_db
REPORT = "/report/"
OSM = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
# The demo city's box, as in deploy/aduan.env.example.
DEMO_BOX = (-7.3021, 110.3524, -7.2049, 110.4668)
SETTINGS_PROBE = (
    "import json, config.settings as s; "
    "print(json.dumps({'img': s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'], "
    "'box': s.SERVICE_AREA_BBOX, 'center': s.MAP_CENTER}))"
)


def settings_with(**env):
    """config.settings as a fresh process reads them from this environment."""
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith(("MAP_", "SERVICE_AREA", "CSP_", "DJANGO_SETTINGS"))}
    environment.update(ADUAN_ALLOW_DEV_KEYS="1", **env)
    done = subprocess.run([sys.executable, "-c", SETTINGS_PROBE], capture_output=True, text=True,
                          env=environment, cwd=django_settings.BASE_DIR, timeout=60)
    return done.returncode, (json.loads(done.stdout) if done.returncode == 0 else done.stderr)


def csp_of(response):
    return dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";") if part.strip())


# --- tiles and the Content-Security-Policy -------------------------------------------------
def test_without_a_tile_url_no_tile_host_is_allowed():
    code, read = settings_with()
    assert code == 0, read
    assert read["img"] == ["'self'", "data:"]
    assert read["center"] == [-7.2571, 110.4021] and read["box"] is None  # demo centre, no limit


def test_a_tile_url_allows_its_host_in_img_src_only():
    code, read = settings_with(MAP_TILE_URL=OSM)
    assert code == 0, read
    assert read["img"] == ["'self'", "data:", "https://tile.openstreetmap.org"]


def test_the_report_page_header_follows_the_configuration(client, city, settings):
    from config.headers import content_security_policy

    directives = csp_of(client.get(REPORT))
    assert directives["img-src"] == "'self' data:" and "openstreetmap" not in str(directives)
    settings.CONTENT_SECURITY_POLICY = content_security_policy(map_tile_url=OSM)
    directives = csp_of(client.get(REPORT))
    assert directives["img-src"] == "'self' data: https://tile.openstreetmap.org"
    assert directives["script-src"] == "'self'" and directives["connect-src"] == "'self'"


@pytest.mark.parametrize("env, problem", [
    ({"SERVICE_AREA_BBOX": "-7.3,110.3"}, "south,west,north,east"),
    ({"SERVICE_AREA_BBOX": "-7.2,110.3,-7.3,110.4"}, "south must be below north"),
    ({"SERVICE_AREA_BBOX": "a,b,c,d"}, "latitude,longitude"),
    ({"MAP_CENTER": "-95,110"}, "outside the earth"),
    ({"MAP_ZOOM": "25"}, "MAP_ZOOM must be"),
])
def test_a_malformed_map_setting_stops_the_start(env, problem):
    code, read = settings_with(**env)
    assert code != 0 and problem in read


def test_the_map_reads_its_configuration_from_a_data_block(client, city, areas, settings):
    settings.MAP_TILE_URL, settings.MAP_TILE_ATTRIBUTION = OSM, "&copy; OpenStreetMap contributors"
    settings.SERVICE_AREA_BBOX = (-7.3, 110.0, -7.1, 110.2)
    html = client.get(REPORT).content.decode()
    block = html.split('<script id="map-config" type="application/json">')[1].split("</script>")[0]
    config = json.loads(block)
    assert config["tiles"] == OSM and config["center"] == [-7.2571, 110.4021]
    assert config["bounds"] == [[-7.3, 110.0], [-7.1, 110.2]]
    assert len(config["outlines"]) == 2  # the two kecamatan
    assert "<script>" not in html and 'src="/static/citizen/map.js"' in html
    # Without JavaScript the map stays hidden; the raw fields are still there.
    assert 'id="map-picker" hidden' in html and 'name="latitude"' in html


# --- the service area ----------------------------------------------------------------------
@pytest.mark.parametrize("lat, lng", [("-6.2", "106.8"), ("-7.3022", "110.40"), ("-7.25", "110.4669"),
                                      ("7.25", "110.40"), ("-7.25", "-110.40")])
def test_a_point_outside_the_service_area_is_refused(client, city, settings, lat, lng):
    settings.SERVICE_AREA_BBOX = DEMO_BOX
    client.cookies["django_language"] = "id"
    response = client.post(REPORT, form_data(city, latitude=lat, longitude=lng))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Titik ini berada di luar wilayah layanan ini" in html
    assert 'id="id_latitude-error"' in html
    assert (Complaint.objects.count(), Notification.objects.count()) == (0, 0)


def test_a_point_inside_and_on_the_edge_is_accepted(client, city, settings):
    settings.SERVICE_AREA_BBOX = DEMO_BOX
    for lat, lng in [("-7.25", "110.40"), ("-7.3021", "110.4668")]:
        response = client.post(REPORT, form_data(city, latitude=lat, longitude=lng))
        assert response.status_code == 302, response.content.decode()[:2000]
    assert Complaint.objects.count() == 2


def test_without_a_service_area_any_point_on_earth_is_accepted(client, city, settings):
    settings.SERVICE_AREA_BBOX = None
    assert client.post(REPORT, form_data(city, latitude="-6.2", longitude="106.8")).status_code == 302


@pytest.fixture
def api_key(db):
    return ApiKey.issue("map-test")[1]


def test_the_domain_refuses_it_for_every_channel(city, settings, api_key, client):
    settings.SERVICE_AREA_BBOX = DEMO_BOX
    with pytest.raises(InvalidArguments) as raised:
        submit(city, latitude="-6.2", longitude="106.8")
    assert "latitude" in raised.value.errors
    response = client.post(f"{BASE}requests.json", {
        "api_key": api_key, "service_code": "JALAN-RUSAK", "lat": "-6.2", "long": "106.8",
        "description": "Lubang besar di Jl. Merdeka depan SD sejak dua minggu, motor sering jatuh."})
    assert response.status_code == 400
    assert "outside the area this service covers" in json_errors(response)[0][1]
    assert not Complaint.objects.exists()
