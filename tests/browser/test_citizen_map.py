"""The report form's map on a phone (360 px, real Chromium, Bahasa Indonesia): the pin by
mouse (click, drag) and by keyboard only; "use my location" refused says so; without
JavaScript the area picker still files."""

import pytest

from complaints.models import Complaint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The areas fixture (tests/conftest.py): kecamatan Utara (-7.20..-7.10) holds kelurahan Alpha
# (110.0..110.1) and Beta (110.1..110.2); Selatan (-7.30..-7.20) holds Gamma.
CENTER = (-7.15, 110.05)  # in Alpha
SERVICE_AREA = (-7.30, 110.0, -7.10, 110.2)


@pytest.fixture
def map_settings(settings):
    settings.MAP_CENTER = CENTER
    settings.MAP_ZOOM = 15
    settings.MAP_TILE_URL = ""  # no tiles: the pin on a blank background with the outlines
    settings.SERVICE_AREA_BBOX = SERVICE_AREA
    return settings


def fill_report(page):
    page.select_option("#id_category", "JALAN-RUSAK")
    page.fill("#id_title", "Lubang di depan sekolah")
    page.fill("#id_description", "Lubang besar di depan SD, sudah dua minggu, berbahaya untuk motor.")
    page.check("#id_identity_mode_2")  # anonymous
    page.check("#id_visibility_1")  # private


def send(page):
    page.click("button[type=submit].primary")
    code = page.inner_text("#tracking-code")
    return Complaint.objects.get(tracking_code=code)


def stored(complaint):
    return float(complaint.latitude), float(complaint.longitude)


def point(page):
    return float(page.input_value("#id_latitude")), float(page.input_value("#id_longitude"))


def fits_the_phone(page):
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def test_file_with_the_map_by_mouse(live_server, page, city, areas, map_settings):
    page.goto(live_server.url + "/report/")
    assert page.is_visible("#report-map") and fits_the_phone(page)
    assert page.locator("#report-map path.leaflet-interactive, #report-map svg path").count() >= 1  # outlines
    fill_report(page)
    page.locator("#report-map").scroll_into_view_if_needed()
    box = page.locator("#report-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2 - 40, box["y"] + box["height"] / 2)
    clicked = point(page)
    assert clicked[1] < CENTER[1]  # left of the centre: west
    assert "Penanda di lintang" in page.inner_text("#map-status")

    pin = page.locator("#report-map .leaflet-marker-icon").bounding_box()
    x, y = pin["x"] + pin["width"] / 2, pin["y"] + pin["height"] - 5
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 30, y + 30, steps=8)
    page.mouse.up()
    dragged = point(page)
    assert dragged[0] < clicked[0] and dragged[1] > clicked[1]  # dragged south-east

    complaint = send(page)
    assert stored(complaint) == pytest.approx(dragged, abs=1e-6)
    assert complaint.area == areas["alpha"]  # found from the pin: no area was chosen


def test_file_with_the_map_by_keyboard_only(live_server, page, city, areas, map_settings):
    page.goto(live_server.url + "/report/")
    fill_report(page)
    page.focus("#id_address")
    page.keyboard.press("Tab")  # the map is the next stop after the address
    assert page.evaluate("document.activeElement.id") == "report-map"
    page.keyboard.press("Enter")  # the pin in the middle of the map
    assert point(page) == pytest.approx(CENTER, abs=1e-5)
    for key in ["ArrowUp", "ArrowUp", "ArrowRight"]:
        page.keyboard.press(key)
    lat, lng = point(page)
    assert lat - CENTER[0] == pytest.approx(10 / 111320, abs=2e-6)  # two steps of 5 m north
    assert lng > CENTER[1]
    page.keyboard.press("Shift+ArrowDown")  # 50 m south
    assert point(page)[0] == pytest.approx(lat - 50 / 111320, abs=2e-6)
    page.keyboard.press("Space")
    assert point(page)[0] == pytest.approx(CENTER[0], abs=1e-5)
    for _ in range(4):
        page.keyboard.press("ArrowLeft")
    chosen = point(page)
    assert Complaint.objects.count() == 0  # Enter on the map placed the pin, sent nothing
    page.keyboard.press("Shift+Tab")  # back to the address, still by keyboard
    assert page.evaluate("document.activeElement.id") == "id_address"
    page.keyboard.type("Depan SD Negeri 3")
    page.keyboard.press("Enter")  # sends the form
    code = page.inner_text("#tracking-code")
    complaint = Complaint.objects.get(tracking_code=code)
    assert complaint.address == "Depan SD Negeri 3"
    assert stored(complaint) == pytest.approx(chosen, abs=1e-6)
    assert complaint.area == areas["alpha"]


def test_use_my_location_refused_says_so(live_server, browser, city, map_settings):
    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="id-ID",
                                  permissions=[], geolocation={"latitude": -7.15, "longitude": 110.05})
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto(live_server.url + "/report/")
        page.click("[data-locate]")
        message = page.locator("#locate-message")
        message.filter(has_text="tidak dibagikan").wait_for()
        assert "Lokasi Anda tidak dibagikan" in message.inner_text()
        assert page.input_value("#id_latitude") == ""
    finally:
        context.close()


def test_use_my_location_granted_fills_the_point(live_server, browser, city, map_settings):
    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="id-ID",
                                  permissions=["geolocation"], geolocation={"latitude": -7.16, "longitude": 110.06})
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto(live_server.url + "/report/")
        page.click("[data-locate]")
        page.locator("#locate-message").filter(has_text="sudah diisi").wait_for()
        assert point(page) == pytest.approx((-7.16, 110.06))
        assert page.locator("#report-map .leaflet-marker-icon").count() == 1
    finally:
        context.close()


def test_without_javascript_the_area_picker_still_files(live_server, browser, city, areas, map_settings):
    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="id-ID",
                                  java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto(live_server.url + "/report/")
        assert page.is_hidden("#report-map") and page.is_hidden("[data-locate]")
        assert fits_the_phone(page)
        fill_report(page)
        page.select_option("#id_area", "10.2")
        page.fill("#id_address", "Jl. Merdeka 12")
        complaint = send(page)
        assert complaint.area == areas["beta"] and complaint.latitude is None
    finally:
        context.close()
