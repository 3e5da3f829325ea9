"""The oversight inbox: sensitive complaints, escalations, appeals; handled with the same
tools; reopening on appeal."""

from complaints.models import Complaint
from complaints.lifecycle.engine import perform

from .helpers import act_url, as_staff, drive, form, fresh, submit, url


def codes(response):
    return [c.tracking_code for c in response.context["page"].object_list]


def test_sensitive_complaints_land_in_oversight_and_are_handled_there(client, city, people):
    bribe = submit(city, category="bribe_cat").complaint
    ordinary = drive(submit(city).complaint, people, city, "triaged")
    client.force_login(people["oversight"])
    response = client.get(url("oversight"))
    assert codes(response) == [bribe.tracking_code]
    assert response.context["counts"]["sensitive"] == 1
    assert set(codes(client.get(url("oversight") + "?list=all"))) == {bribe.tracking_code, ordinary.tracking_code}
    # The inspector is a member of the inspectorate: the same unit tools work here.
    client.post(act_url(bribe, "start"), form(bribe))
    client.post(act_url(bribe, "resolve"), form(bribe, outcome="fixed", summary="Pelaku diberi sanksi."))
    assert fresh(bribe).state == "resolved"
    # Triage never sees it.
    client.force_login(people["triage"])
    assert client.get(url("complaint", bribe.tracking_code)).status_code == 404


def test_escalated_and_appeal_lists_and_search(client, city, people):
    escalated = drive(submit(city).complaint, people, city, "triaged")
    Complaint.objects.filter(pk=escalated.pk).update(escalation_level=1)
    closed = drive(submit(city).complaint, people, city, "closed")
    rejected = drive(submit(city).complaint, people, city, "rejected")
    client.force_login(people["privacy"])
    assert codes(client.get(url("oversight") + "?list=escalated")) == [escalated.tracking_code]
    assert set(codes(client.get(url("oversight") + "?list=appeals"))) == {closed.tracking_code, rejected.tracking_code}
    assert codes(client.get(url("oversight") + f"?list=all&q={closed.tracking_code.lower()}")) == [closed.tracking_code]


def test_oversight_reopens_a_closed_or_rejected_complaint_on_appeal(client, city, people):
    closed = drive(submit(city).complaint, people, city, "closed")
    rejected = drive(submit(city).complaint, people, city, "rejected")
    client.force_login(people["oversight"])
    html = client.get(url("complaint", closed.tracking_code)).content.decode()
    assert 'id="action-reopen_on_appeal"' in html
    assert client.post(act_url(closed, "reopen_on_appeal"), form(closed, reason="")).status_code == 400
    client.post(act_url(closed, "reopen_on_appeal"), form(closed, reason="Warga membuktikan lubang masih ada."))
    client.post(act_url(rejected, "reopen_on_appeal"), form(rejected, reason="Bukan spam."))
    closed, rejected = fresh(closed), fresh(rejected)
    assert (closed.state, closed.responsible_unit.code, closed.reopen_count) == ("triaged", "DPU-JALAN", 1)
    assert rejected.state == "submitted"
    # Back on the desks: the unit's inbox and the triage queue.
    client.force_login(people["officer_roads"])
    assert closed.tracking_code in [c.tracking_code for c in client.get(url("inbox")).context["page"].object_list]
    client.force_login(people["triage"])
    assert rejected.tracking_code in [c.tracking_code for c in client.get(url("triage")).context["complaints"]]


def test_oversight_adds_internal_notes_but_cannot_work_unit_complaints(client, city, people):
    c = drive(submit(city).complaint, people, city, "triaged")
    client.force_login(people["oversight"])
    html = client.get(url("complaint", c.tracking_code)).content.decode()
    assert 'id="action-note"' in html and 'id="action-start"' not in html
    perform(c, "note", as_staff(people["oversight"]), body="Dipantau.")
    assert fresh(c).messages.get().visibility == "internal"


def test_oversight_lists_page_and_keep_the_search(client, city, people):
    from .helpers import many

    many(city, 55, state="closed")
    client.force_login(people["oversight"])
    response = client.get(url("oversight") + "?list=appeals&q=ADU")
    assert len(codes(response)) == 50
    assert "?list=appeals&amp;q=ADU&amp;page=2" in response.content.decode()
    assert len(codes(client.get(url("oversight") + "?list=appeals&q=ADU&page=2"))) == 5
