"""Reads of confidential and abuse-of-power complaints leave a trace oversight can see, in
their own append-only log: never an audit event, so a colleague's read never makes an
open form stale."""

import pytest
from django.core.files.base import ContentFile

from complaints.models import Attachment, Event, ReadRecord

from .helpers import act_url, drive, form, fresh, submit, url


@pytest.fixture
def confidential(city, people):
    return drive(submit(city, identity_mode="confidential").complaint, people, city, "triaged")


def test_reads_of_a_confidential_complaint_are_recorded(client, city, people, confidential, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    c = confidential
    item = Attachment(complaint=c, content_type="application/pdf", size=8)
    item.file.save("bukti.pdf", ContentFile(b"%PDF-1.4"), save=True)
    client.force_login(people["officer_roads"])
    assert client.get(url("complaint", c.tracking_code)).status_code == 200
    assert client.get(url("attachment", c.tracking_code, item.pk)).status_code == 200
    client.force_login(people["oversight"])
    assert client.get(url("audit", c.tracking_code)).status_code == 200
    reads = [(r.user.username, r.page, r.attachment_pk) for r in ReadRecord.objects.filter(complaint=c)]
    assert reads == [("roads_officer", "complaint", None), ("roads_officer", "attachment", item.pk),
                     ("inspector", "audit", None)]


def test_reads_of_a_sensitive_complaint_are_recorded(client, city, people):
    c = submit(city, category="bribe_cat").complaint
    client.force_login(people["admin"])
    client.get(url("complaint", c.tracking_code))
    assert ReadRecord.objects.get(complaint=c).user == people["admin"]


def test_reads_of_ordinary_complaints_are_not_recorded(client, city, people):
    c = drive(submit(city).complaint, people, city, "triaged")
    client.force_login(people["officer_roads"])
    client.get(url("complaint", c.tracking_code))
    assert not ReadRecord.objects.exists()


def test_a_read_leaves_the_audit_chain_and_an_open_form_alone(client, city, people, confidential):
    c = confidential
    open_form = form(c, body="Sudah kami cek ke lokasi.")  # officer 1 has the page open
    events = Event.objects.filter(complaint=c).count()
    client.force_login(people["officer_roads2"])  # a colleague reads it meanwhile
    client.get(url("complaint", c.tracking_code))
    assert ReadRecord.objects.filter(complaint=c).count() == 1
    assert fresh(c).audit_count == c.audit_count and Event.objects.filter(complaint=c).count() == events
    client.force_login(people["officer_roads"])
    response = client.post(act_url(c, "note"), open_form)
    assert response.status_code == 303  # the form is still current
    assert fresh(c).messages.get().body == "Sudah kami cek ke lokasi."


def test_oversight_sees_the_reads_and_a_unit_officer_does_not(client, city, people, confidential):
    c = confidential
    client.force_login(people["officer_roads2"])
    client.get(url("complaint", c.tracking_code))
    client.force_login(people["oversight"])
    html = client.get(url("audit", c.tracking_code)).content.decode()
    assert "Who read this complaint" in html
    assert "roads_officer2" in html and "complaint page" in html
    assert "inspector" in html  # this very read is on the page too
    client.force_login(people["officer_roads"])
    assert client.get(url("audit", c.tracking_code)).status_code == 403
    html = client.get(url("complaint", c.tracking_code)).content.decode()
    assert "Who read this complaint" not in html and "roads_officer2" not in html


def test_the_read_log_cannot_be_changed_or_deleted(client, city, people, confidential):
    client.force_login(people["officer_roads"])
    client.get(url("complaint", confidential.tracking_code))
    record = ReadRecord.objects.get()
    record.page = "audit"
    with pytest.raises(RuntimeError):
        record.save()
    with pytest.raises(RuntimeError):
        record.delete()
    assert ReadRecord.objects.get().page == "complaint"
