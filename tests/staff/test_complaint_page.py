"""The complaint page: timeline, SLA clocks, attachments, and the unit's actions."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile

from complaints.models import Attachment, Complaint
from complaints.lifecycle.engine import perform

from .helpers import act_url, as_staff, drive, fingerprint, form, fresh, submit, url


def test_timeline_shows_events_public_replies_and_internal_notes(client, city, people):
    c = drive(submit(city).complaint, people, city, "triaged")
    officer = as_staff(people["officer_roads"])
    c = perform(c, "reply", officer, body="Tim kami meninjau lokasi besok.")
    perform(c, "note", officer, body="Butuh alat berat.")
    client.force_login(people["officer_roads"])
    html = client.get(url("complaint", c.tracking_code)).content.decode()
    assert html.index("event-filed") < html.index("event-triage") < html.index("Tim kami meninjau")
    assert "Butuh alat berat." in html and "Internal note" in html
    assert html.index("Tim kami meninjau") < html.index("Butuh alat berat.")


def test_sla_clocks_show_time_left_or_overdue_in_working_days(client, city, people):
    c = drive(submit(city).complaint, people, city, "triaged")
    client.force_login(people["officer_roads"])
    html = client.get(url("complaint", c.tracking_code)).content.decode()
    assert "working days left" in html and "(on time)" in html  # triage happened in time
    Complaint.objects.filter(pk=c.pk).update(response_due_at=c.triaged_at - dt.timedelta(days=10))
    html = client.get(url("complaint", c.tracking_code)).content.decode()
    assert "overdue by" in html


def test_attachments_are_listed_and_served_only_to_viewers(client, city, people, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    c = drive(submit(city).complaint, people, city, "triaged")
    item = Attachment(complaint=c, content_type="application/pdf", size=8)
    item.file.save("whatever.pdf", ContentFile(b"%PDF-1.4"), save=True)
    client.force_login(people["officer_roads"])
    html = client.get(url("complaint", c.tracking_code)).content.decode()
    link = url("attachment", c.tracking_code, item.pk)
    assert link in html
    response = client.get(link)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    other = drive(submit(city).complaint, people, city, "triaged")
    assert client.get(url("attachment", other.tracking_code, item.pk)).status_code == 404
    client.force_login(people["officer_health"])
    assert client.get(link).status_code == 404


def test_officers_assign_to_themselves_and_supervisors_to_any_officer(client, city, people):
    c = drive(submit(city).complaint, people, city, "triaged")
    client.force_login(people["officer_roads"])
    html = client.get(url("complaint", c.tracking_code)).content.decode()
    assert "Assign to me" in html
    before = fingerprint(c)
    response = client.post(act_url(c, "assign"), form(c, assignee=str(people["officer_roads2"].pk)))
    assert response.status_code == 403 and fingerprint(c) == before
    client.post(act_url(c, "assign"), form(c, assignee=str(people["officer_roads"].pk)))
    assert fresh(c).assignee == people["officer_roads"]
    client.force_login(people["supervisor_works"])
    html = client.get(url("complaint", c.tracking_code)).content.decode()
    assert "roads_officer2" in html
    client.post(act_url(c, "assign"), form(c, assignee=str(people["officer_roads2"].pk)))
    assert fresh(c).assignee == people["officer_roads2"]
    # Someone outside the unit cannot be given the complaint.
    response = client.post(act_url(c, "assign"), form(c, assignee=str(people["officer_health"].pk)))
    assert response.status_code == 400
    client.post(act_url(c, "assign"), form(c, assignee=""))
    assert fresh(c).assignee is None


def test_resolution_needs_a_summary_and_a_referral_for_not_our_authority(client, city, people):
    c = drive(submit(city).complaint, people, city, "in_progress")
    client.force_login(people["officer_roads"])
    before = fingerprint(c)
    response = client.post(act_url(c, "resolve"), form(c, outcome="fixed", summary=""))
    assert response.status_code == 400 and fingerprint(c) == before
    response = client.post(act_url(c, "resolve"), form(c, outcome="not_our_authority", summary="Ini jalan provinsi."))
    html = response.content.decode()
    assert response.status_code == 400 and "Ini jalan provinsi." in html  # the text is kept
    assert "“Resolve” was not done." in html
    assert fingerprint(c) == before
    client.post(act_url(c, "resolve"), form(c, outcome="not_our_authority", summary="Ini jalan provinsi.",
                                            referred_to="Dinas PU Provinsi"))
    c = fresh(c)
    assert (c.state, c.outcome, c.referred_to) == ("resolved", "not_our_authority", "Dinas PU Provinsi")


def test_start_reply_and_request_info(client, city, people):
    c = drive(submit(city).complaint, people, city, "triaged")
    client.force_login(people["officer_roads"])
    assert client.post(act_url(c, "start"), form(c)).status_code == 303
    assert fresh(c).state == "in_progress" and fresh(c).assignee == people["officer_roads"]
    client.post(act_url(c, "reply"), form(c, body="Sedang dikerjakan."))
    client.post(act_url(c, "request_info"), form(c, message="Foto terbaru?"))
    c = fresh(c)
    assert c.state == "needs_info"
    assert list(c.messages.values_list("body", flat=True)) == ["Sedang dikerjakan.", "Foto terbaru?"]


def test_only_available_actions_are_offered(client, city, people):
    c = drive(submit(city).complaint, people, city, "triaged")
    client.force_login(people["officer_roads"])
    html = client.get(url("complaint", c.tracking_code)).content.decode()
    for offered in ("start", "reply", "note", "request_info", "transfer", "assign"):
        assert f'id="action-{offered}"' in html, offered
    for absent in ("resolve", "triage", "reject", "reopen_on_appeal", "reveal_identity", "mark_duplicate"):
        assert f'id="action-{absent}"' not in html, absent


@pytest.mark.parametrize("role", ["triage", "officer_roads"])
def test_a_closed_complaint_offers_nothing_to_units_and_triage(client, city, people, role):
    c = drive(submit(city).complaint, people, city, "closed")
    client.force_login(people[role])
    html = client.get(url("complaint", c.tracking_code)).content.decode()
    assert 'id="action-reopen_on_appeal"' not in html
