"""The "public summary awaiting approval" queue and working through queues (issue 14,
item 2): bulk routing routes, this queue publishes; approving is offered and done only
where publishing can happen; after an action the officer goes to the queue's next one."""

import pytest

from complaints.models import Complaint

from ..conftest import publish
from .helpers import act_url, drive, fingerprint, form, fresh, many, submit, url

pytestmark = pytest.mark.django_db

SUMMARY = dict(public_title="Lubang di jalan", public_summary="Ada lubang besar.", publish="on")


def codes(response):
    return [c.tracking_code for c in response.context["complaints"]]


def test_routed_public_complaints_wait_in_the_queue_until_approved(client, city, people):
    routed = drive(submit(city).complaint, people, city, "triaged")
    waiting = submit(city).complaint  # not routed yet: the triage queue's, not this one's
    private = drive(submit(city, visibility="private").complaint, people, city, "triaged")
    rejected = drive(submit(city).complaint, people, city, "rejected")
    approved = drive(submit(city).complaint, people, city, "triaged")
    publish(approved, people["triage"])
    client.force_login(people["triage"])
    page = client.get(url("summaries"))
    assert page.status_code == 200
    assert codes(page) == [routed.tracking_code]
    for other in (waiting, private, rejected, approved):
        assert other.tracking_code not in page.content.decode()
    client.post(act_url(routed, "approve_summary"), form(routed, **SUMMARY))
    assert Complaint.objects.published().filter(pk=routed.pk).exists()
    assert codes(client.get(url("summaries"))) == []


@pytest.mark.parametrize("role", ["officer_roads", "oversight", "nobody"])
def test_only_the_triage_desk_sees_the_queue(client, city, people, role):
    drive(submit(city).complaint, people, city, "triaged")
    client.force_login(people[role])
    response = client.get(url("summaries"))
    assert response.status_code in (302, 403, 404)
    assert b"Lubang" not in response.content


def test_page_2_of_the_queue_is_reachable(client, city, people):
    many(city, 53, state="triaged", visibility="public")
    client.force_login(people["triage"])
    first = client.get(url("summaries"))
    assert len(codes(first)) == 50 and 'href="?page=2"' in first.content.decode()
    second = client.get(url("summaries") + "?page=2")
    assert len(codes(second)) == 3 and not set(codes(second)) & set(codes(first))


def test_publishing_a_rejected_complaint_is_refused_and_changes_nothing(client, city, people):
    c = drive(submit(city).complaint, people, city, "rejected")
    client.force_login(people["triage"])
    html = client.get(url("complaint", c.tracking_code)).content.decode()
    assert 'id="action-approve_summary"' not in html  # not offered
    before = fingerprint(c)
    response = client.post(act_url(c, "approve_summary"), form(c, **SUMMARY))
    assert response.status_code in (400, 409)
    assert "is not possible while the complaint is" in response.content.decode()
    assert fingerprint(c) == before
    assert fresh(c).public_summary_approved_at is None
    assert not Complaint.objects.published().filter(pk=c.pk).exists()


def test_after_approving_from_the_queue_the_officer_gets_the_next_one(client, city, people):
    first = drive(submit(city).complaint, people, city, "triaged")
    second = drive(submit(city).complaint, people, city, "triaged")
    client.force_login(people["triage"])
    page = client.get(url("complaint", first.tracking_code) + "?queue=summaries").content.decode()
    assert 'name="queue" value="summaries"' in page
    response = client.post(act_url(first, "approve_summary"), form(first, queue="summaries", **SUMMARY))
    assert response.status_code == 303
    assert response["Location"] == url("complaint", second.tracking_code) + "?queue=summaries&open=approve_summary"
    response = client.post(act_url(second, "approve_summary"), form(second, queue="summaries", **SUMMARY),
                           follow=True)
    assert response.redirect_chain[-1][0] == url("summaries")
    assert "Public summary approved and published." in response.content.decode()


def test_after_routing_from_the_triage_queue_the_officer_gets_the_next_one(client, city, people):
    first, second = submit(city).complaint, submit(city).complaint
    client.force_login(people["triage"])
    response = client.post(act_url(first, "triage"), form(first, unit="DPU-JALAN", queue="triage"))
    assert response["Location"] == url("complaint", second.tracking_code) + "?queue=triage"
    assert fresh(first).responsible_unit.code == "DPU-JALAN"


def test_accepting_a_suggestion_on_the_queue_page_leads_to_the_next_one(client, city, people):
    import re

    first, second = submit(city).complaint, submit(city).complaint
    Complaint.objects.filter(pk=first.pk).update(suggested_units=[["DPU-JALAN", 0.8]])
    client.force_login(people["triage"])
    html = client.get(url("triage")).content.decode()
    accept = re.search(r'<form method="post" action="%s"[^>]*>(.*?)</form>' % re.escape(act_url(first, "triage")),
                       html, re.S).group(1)
    posted = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', accept))
    response = client.post(act_url(first, "triage"), posted)  # as the browser posts that form
    assert response.status_code == 303
    assert response["Location"] == url("complaint", second.tracking_code) + "?queue=triage"
    assert fresh(first).responsible_unit.code == "DPU-JALAN"


def test_an_unknown_queue_is_ignored(client, city, people):
    c = submit(city).complaint
    client.force_login(people["triage"])
    response = client.post(act_url(c, "triage"), form(c, unit="DPU-JALAN", queue="../../admin\x00"))
    assert response.status_code in (303, 400)
    if response.status_code == 303:
        assert response["Location"] == url("complaint", c.tracking_code)


def test_bulk_routing_names_the_unit(client, city, people):
    one, two = submit(city).complaint, submit(city).complaint
    client.force_login(people["triage"])
    response = client.post(url("triage_bulk"), {
        "unit": "DPU-JALAN", "selected": [one.tracking_code, two.tracking_code],
        f"version_{one.tracking_code}": str(fresh(one).audit_count),
        f"version_{two.tracking_code}": str(fresh(two).audit_count)}, follow=True)
    assert f"Routed to DPU-JALAN: {one.tracking_code}, {two.tracking_code}." in response.content.decode()


def test_the_summary_queue_queries_do_not_grow_with_the_number_of_complaints(client, city, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def measure():
        client.get(url("summaries"))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("summaries")).status_code == 200
        return len(captured)

    many(city, 3, state="triaged", visibility="public")
    client.force_login(people["triage"])
    few = measure()
    many(city, 120, state="triaged", visibility="public")
    assert measure() == few, few
