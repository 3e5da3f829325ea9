"""Lists that tell the truth (issue 14, item 1): the inbox's default tab is the work still
to do, nearest running due date first; resolved complaints have their own tab; rows show
the citizen's own title, masked for confidential and anonymous reports; done steps show
when they finished; ended complaints show no running clock."""

import datetime as dt

import pytest
from django.utils import timezone

from complaints.models import Complaint

from .helpers import drive, many, submit, url

pytestmark = pytest.mark.django_db


def codes(response):
    return [c.tracking_code for c in response.context["page"].object_list]


def test_the_default_tab_is_work_to_do_ordered_by_the_nearest_running_due_date(client, city, people):
    now = timezone.now()
    later, sooner, waiting, resolved = many(city, 4, state="in_progress")
    Complaint.objects.filter(pk=later.pk).update(response_due_at=now + dt.timedelta(days=9),
                                                 resolution_due_at=now + dt.timedelta(days=20))
    Complaint.objects.filter(pk=sooner.pk).update(response_due_at=now - dt.timedelta(days=1),
                                                  resolution_due_at=now + dt.timedelta(days=20))
    # Waiting for the citizen: its clock is paused, even if its due date is the nearest.
    Complaint.objects.filter(pk=waiting.pk).update(state="needs_info", response_due_at=now - dt.timedelta(days=5))
    Complaint.objects.filter(pk=resolved.pk).update(state="resolved", resolution_due_at=None,
                                                    response_due_at=None)
    client.force_login(people["officer_roads"])
    page = client.get(url("inbox"))
    assert codes(page) == [sooner.tracking_code, later.tracking_code, waiting.tracking_code]
    assert "To do" in page.content.decode()
    assert codes(client.get(url("inbox") + "?status=resolved")) == [resolved.tracking_code]


def test_rows_show_the_citizens_title_masked_for_confidential_reports(client, city, people):
    named = drive(submit(city, title="Lubang di depan rumah Bu Siti").complaint, people, city, "triaged")
    secret = drive(submit(city, identity_mode="confidential", reporter_name="Budi Santoso",
                          title="Budi Santoso melapor: hubungi 0812-3456-7890").complaint,
                   people, city, "triaged")
    client.force_login(people["officer_roads"])
    html = client.get(url("inbox")).content.decode()
    assert "Lubang di depan rumah Bu Siti" in html
    assert secret.tracking_code in html
    assert "0812-3456-7890" not in html and "Budi Santoso" not in html
    assert named.tracking_code in html


def test_a_done_step_says_when_it_finished_and_whether_on_time(client, city, people):
    c = drive(submit(city).complaint, people, city, "triaged")
    client.force_login(people["officer_roads"])
    html = client.get(url("complaint", c.tracking_code)).content.decode()
    assert f"finished on {timezone.localtime(c.triaged_at):%Y-%m-%d} (on time)" in html or \
        f"finished on {c.triaged_at:%Y-%m-%d} (on time)" in html
    late = drive(submit(city).complaint, people, city, "triaged")
    Complaint.objects.filter(pk=late.pk).update(triage_due_at=late.triaged_at - dt.timedelta(days=10))
    html = client.get(url("complaint", late.tracking_code)).content.decode()
    assert "working days late)" in html


@pytest.mark.parametrize("state", ["rejected"])
def test_an_ended_complaint_shows_no_running_clock(client, city, people, state):
    c = drive(submit(city).complaint, people, city, state)
    client.force_login(people["triage"])
    html = client.get(url("complaint", c.tracking_code)).content.decode()
    section = html.split('id="h-sla"', 1)[1].split("</section>", 1)[0]
    assert "working days left" not in section and "overdue by" not in section
    assert "Ended: no clock runs." in section


def test_page_2_of_the_inbox_is_reachable_by_its_link(client, city, people):
    many(city, 55)
    client.force_login(people["officer_roads"])
    first = client.get(url("inbox"))
    assert 'page=2" rel="next"' in first.content.decode()
    assert len(codes(client.get(url("inbox") + "?status=open&page=2"))) == 5


@pytest.mark.parametrize("page", ["0", "-1", "999", "abc", "1e9"])
def test_absurd_page_numbers_give_a_page_not_an_error(client, city, people, page):
    many(city, 3)
    client.force_login(people["officer_roads"])
    assert client.get(url("inbox") + f"?page={page}").status_code == 200
    assert client.get(url("summaries") + f"?page={page}").status_code in (302, 403, 404)  # not triage


def test_the_inbox_is_for_unit_members_only(client, city, people):
    client.force_login(people["nobody"])
    assert client.get(url("inbox")).status_code in (302, 403, 404)


def test_open_tab_counts_are_exact(client, city, people):
    many(city, 3, state="in_progress")
    many(city, 2, state="resolved")
    client.force_login(people["officer_roads"])
    context = client.get(url("inbox")).context
    counts = {value: (n, estimated) for value, _label, n, estimated in context["state_counts"]}
    assert counts["in_progress"] == (3, False) and counts["resolved"] == (2, False)
    assert context["open_count"] == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_history_tab_counts_are_estimated_on_postgresql(client, city, people):
    many(city, 4, state="closed")
    many(city, 2, state="in_progress")
    client.force_login(people["officer_roads"])
    response = client.get(url("inbox"))
    counts = {value: (n, estimated) for value, _label, n, estimated in response.context["state_counts"]}
    assert counts["in_progress"] == (2, False)
    assert counts["closed"][1] is True and counts["closed"][0] >= 0
    html = response.content.decode()
    assert 'id="estimated-note"' in html and "≈" in html


def test_page_2_of_the_triage_queue_is_reachable_by_its_link(client, city, people):
    many(city, 52, state="submitted")
    client.force_login(people["triage"])
    first = client.get(url("triage"))
    assert len(first.context["complaints"]) == 50 and 'href="?page=2"' in first.content.decode()
    second = client.get(url("triage") + "?page=2")
    assert len(second.context["complaints"]) == 2


def test_page_2_of_an_oversight_list_keeps_its_list(client, city, people):
    many(city, 53, state="closed")
    client.force_login(people["oversight"])
    html = client.get(url("oversight") + "?list=appeals").content.decode()
    assert "list=appeals&amp;page=2" in html
    assert len(codes(client.get(url("oversight") + "?list=appeals&page=2"))) == 3
