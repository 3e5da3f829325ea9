"""In a real browser (issue 11, item 4): the one-click "Accept suggestion" on the staff
complaint page routes without publishing; publishing happens only on the publish form,
after the officer edits the text and ticks "Publish"."""

import pytest

from complaints.models import Complaint

from ..conftest import submit
from .test_staff_flow import choose, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "Bambang Sutrisno"


def test_accepting_a_suggestion_routes_and_only_the_ticked_publish_form_publishes(live_server, page, city, people):
    filed = submit(city, reporter_name=NAME, title=f"Genangan depan rumah {NAME}",
                   description=f"Saya {NAME}, rumah saya tergenang, hubungi 0812-7777-8888.")
    code = filed.complaint.tracking_code
    Complaint.objects.filter(pk=filed.complaint.pk).update(suggested_units=[["DPU-JALAN", 0.9]])

    sign_in(page, live_server, people["triage"])
    page.goto(f"{live_server.url}/staff/complaints/{code}/")
    choose(page, "triage")
    page.click("#action-triage form.inline-form button[type=submit]")
    page.wait_for_load_state()
    c = Complaint.objects.get(tracking_code=code)
    assert c.state == "triaged" and c.public_summary_approved_at is None
    page.goto(f"{live_server.url}/complaints/")
    assert code not in page.content() and NAME not in page.content()

    page.goto(f"{live_server.url}/staff/complaints/{code}/")
    choose(page, "approve_summary")
    form = page.locator("#action-approve_summary form")
    # The officer sees the exact text: the citizen's words with the name and phone masked.
    assert "[name]" in form.locator("#sum-text").input_value()
    assert NAME not in form.locator("#sum-text").input_value()
    assert not form.locator("#sum-publish").is_checked()
    form.locator("#sum-title").fill("Genangan di Jl. Kenanga")
    form.locator("#sum-text").fill("Jalan tergenang setelah hujan deras.")
    form.locator("#sum-location").fill("Jl. Kenanga")
    form.locator("button[type=submit]").click()  # not ticked: the browser refuses to send it
    assert Complaint.objects.get(tracking_code=code).public_summary_approved_at is None
    form.locator("#sum-publish").check()
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".messages .message.success").count() == 1
    c = Complaint.objects.get(tracking_code=code)
    assert c.public_summary_approved_at is not None and c.public_location == "Jl. Kenanga"

    page.goto(f"{live_server.url}/complaints/{code}/")
    main = page.locator("main").inner_text()
    assert "Jalan tergenang setelah hujan deras." in main and "Jl. Kenanga" in main
    assert NAME not in main and "0812" not in main
