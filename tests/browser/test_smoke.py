"""The site opens in a real browser on a phone-sized screen and switches language."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_opens_and_switches_language(live_server, page, settings):
    settings.LANGUAGE_CODE = "id"  # the real default (tests otherwise read English)
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.locator("h1").inner_text() == "Laporkan masalah layanan publik"
    page.select_option("#language-select", "en")
    page.click("form.lang button")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Report a problem with a public service"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
