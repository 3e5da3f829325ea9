"""The dashboard open in a real browser updates its ticker and figures without a reload
when another client makes a transition on the live server."""

import pytest
from playwright.sync_api import expect

from tests.dashboard.live_site import LiveSite

pytestmark = pytest.mark.browser


@pytest.fixture
def site(tmp_path):
    live = LiveSite(tmp_path, servers=1)
    yield live
    live.close()


def test_dashboard_updates_live_when_a_complaint_moves(site, page):
    page.goto(site.url() + "/dashboard/")
    page.wait_for_selector("#live-status[data-state='live']")
    assert page.locator("[data-fig='received.count']").first.inner_text() == "1"
    assert page.locator("[data-fig='time_to_triage.count']").first.inner_text() == "0"
    assert page.locator(".dash-ticker-item").count() == 0

    site.transition("triage", unit="DPU-JALAN")  # another client, over HTTP

    item = page.locator(".dash-ticker-item").first
    item.wait_for()
    text = item.inner_text()
    # Category and unit, in the page's language.
    assert ("Jalan rusak" in text and "Bidang Jalan" in text) or ("Damaged road" in text and "Roads" in text)
    assert "Siti" not in text and "Merdeka" not in text
    # (A locator wait, not wait_for_function: the page's CSP forbids evaluating strings.)
    expect(page.locator("[data-fig='time_to_triage.count']").first).to_have_text("1")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_dashboard_is_complete_without_javascript(site, browser):
    context = browser.new_context(java_script_enabled=False, locale="id-ID",
                                  viewport={"width": 360, "height": 780})
    page = context.new_page()
    page.goto(site.url() + "/dashboard/?period=7d")
    assert page.locator("[data-fig='received.count']").first.inner_text() == "1"
    assert page.locator("#weekly-table tbody tr").count() >= 12
    assert page.locator(".dash-league tbody tr").count() == 3
    page.goto(site.url() + "/dashboard/units/PEMKOT/?sort=median_resolution_hours")
    assert page.locator("h1").inner_text().startswith("Pemerintah Kota")
    context.close()
