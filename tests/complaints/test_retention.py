"""Erasure of a complaint's personal data and retention (issue 18 items 3 and 6): what the
privacy inventory declares personal under the rule "complaint" is erased from the complaint
and everything linked to it, every dashboard figure stays the same, open complaints and
appeals in progress are never erased, and derived data (router model files) loses the text."""

import pytest
from django.core.files.base import ContentFile

from complaints.erasure import do_erase_personal_data, erasure_plan
from complaints.lifecycle.errors import IllegalTransition, InvalidArguments
from complaints.models import Attachment
from complaints.permissions import ActorRef

from ..conftest import submit
from .helpers import drive, fresh

RETENTION = ActorRef.system("retention")


def attach(complaint, data=b"%PDF-1.4 secret scan of KTP"):
    attachment = Attachment(complaint=complaint, content_type="application/pdf", size=len(data),
                            original_name="KTP Siti Rahayu.pdf")
    attachment.file.save("upload.pdf", ContentFile(data), save=False)
    attachment.save()
    return attachment


def test_the_plan_comes_from_the_inventory():
    plan = {model._meta.label: (link, fields, delete) for model, link, fields, delete in erasure_plan()}
    link, fields, _delete = plan["complaints.Complaint"]
    assert link is None and {"title", "description", "reporter_name", "reporter_email", "reporter_phone",
                             "reporter_user", "rating_comment", "media_url"} <= set(fields)
    assert "public_summary" not in fields and "rating" not in fields and "assignee" not in fields
    assert plan["complaints.Message"] == ("complaint", ("author_user", "body"), False)
    assert plan["complaints.Attachment"][2] and plan["complaints.AccessLink"][2]
    assert "complaints.ReadRecord" not in plan  # staff accounts (rule "account") stay


def test_erasing_an_ended_complaint(city, people, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = str(tmp_path)
    c = drive(submit(city, rating_comment="x").complaint, people, city, "closed")
    attachment = attach(c)
    path = tmp_path / attachment.file.name
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):  # files go once the erasure commits
        counts = do_erase_personal_data(c, acting_user=RETENTION, reason="retention")
    c = fresh(c)
    assert c.personal_data_erased_at is not None
    assert (c.title, c.description, c.reporter_name, c.reporter_email, c.reporter_phone) == ("", "", "", "", "")
    assert c.latitude is None and c.rating == 5 and c.state == "closed" and c.outcome == "fixed"
    assert not Attachment.objects.filter(complaint=c).exists() and not path.exists()
    assert counts["attachment"] == 1 and counts["files"] == 1
    event = c.events.order_by("-seq").first()
    assert event.action == "erase_personal_data" and event.data["reason"] == "retention"
    assert "Siti" not in str(event.data)


def test_open_complaints_and_bad_reasons_are_refused(city, people):
    c = drive(submit(city).complaint, people, city, "in_progress")
    with pytest.raises(IllegalTransition):
        do_erase_personal_data(c, acting_user=RETENTION, reason="retention")
    closed = drive(submit(city).complaint, people, city, "closed")
    with pytest.raises(InvalidArguments):
        do_erase_personal_data(closed, acting_user=RETENTION, reason="Siti asked by phone")
    do_erase_personal_data(closed, acting_user=RETENTION, reason="retention")
    with pytest.raises(InvalidArguments):
        do_erase_personal_data(closed, acting_user=RETENTION, reason="retention")
    assert fresh(c).title and fresh(c).personal_data_erased_at is None
