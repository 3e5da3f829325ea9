"""A link from an e-mail in a real browser with JavaScript off: opening it shows a Continue
page and opens nothing; Continue opens the report at an address without secrets; the
spent link opens nothing in another browser later."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from complaints.citizen import tokens
from complaints.models import AccessLink, Notification
from complaints.lifecycle.engine import perform

from ..conftest import as_staff, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_email_link_opens_the_report_only_through_continue_without_javascript(
        live_server, browser, city, people, settings):
    settings.SITE_URL = live_server.url
    filed = submit(city, title="Lampu jalan mati di Jl. Sudirman")
    perform(filed.complaint, "triage", as_staff(people["triage"]), unit=city["roads"])
    body = Notification.objects.get(kind="routed").body
    link = re.search(re.escape(live_server.url) + r"/track/\S+", body).group(0)
    code = filed.complaint.tracking_code

    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 780})
    page = context.new_page()
    page.goto(link)
    assert page.is_visible("#continue")
    assert "Lampu jalan mati" not in page.inner_text("main")
    assert AccessLink.objects.get(purpose="track").used_at is None  # fetching it spent nothing
    page.click("#continue")
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/track/{code}/"  # no code or key in the address
    assert "Lampu jalan mati" in page.inner_text("main")
    context.close()

    AccessLink.objects.filter(purpose="track").update(
        used_at=timezone.now() - dt.timedelta(seconds=tokens.LINK_REPEAT_SECONDS + 1))
    later = browser.new_context(java_script_enabled=False)
    other = later.new_page()
    other.goto(link)
    other.click("#continue")
    other.wait_for_load_state()
    assert "work once" in other.inner_text("main")
    assert "Lampu jalan mati" not in other.inner_text("main")
    later.close()
