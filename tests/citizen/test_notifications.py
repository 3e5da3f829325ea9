"""Citizen e-mails through the outbox: written with the change, in the filing language,
with signed links after the receipt; delivered exactly once even when the mail server
fails for a while or two workers run at once."""

import datetime as dt
import re
import threading

import pytest
from django.core import mail
from django.db import connections
from django.utils import timezone

from complaints import outbox
from complaints.models import Complaint, Notification
from complaints.permissions import ActorRef
from complaints.lifecycle.engine import perform
from complaints.lifecycle.errors import InvalidArguments

from ..complaints.helpers import fresh
from ..conftest import as_staff, submit
from .conftest import open_mail_link
from .mail_backends import RecordingBackend

MONDAY = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.timezone.utc)


def kinds(complaint):
    return list(Notification.objects.filter(complaint=complaint).order_by("pk").values_list("kind", flat=True))


def to_resolved(complaint, city, people, now=None):
    c = perform(complaint, "triage", as_staff(people["triage"]), unit=city["roads"], now=now)
    c = perform(c, "start", as_staff(people["officer_roads"]), now=now)
    return perform(c, "resolve", as_staff(people["officer_roads"]), outcome="fixed",
                   summary="Lubang sudah ditambal.", now=now)


def test_receipt_carries_the_code_the_key_and_a_link_that_opens_the_report(client, city):
    filed = submit(city)
    receipt = Notification.objects.get(complaint=filed.complaint)
    assert receipt.kind == "receipt" and receipt.to_email == "siti.rahayu@example.com"
    assert filed.complaint.tracking_code in receipt.subject
    assert filed.complaint.tracking_code in receipt.body and filed.token in receipt.body
    assert re.search(r"https://aduan\.example/track/\s", receipt.body)  # where to enter code and key later
    link = re.search(r"https://aduan\.example(/track/\S+/link/\S+)", receipt.body).group(1)
    assert filed.token not in link  # the key is never part of a URL
    response = open_mail_link(client, link)
    assert response.status_code == 302 and response["Location"] == f"/track/{filed.complaint.tracking_code}/"


def test_receipt_body_with_the_token_is_erased_after_sending(city):
    filed = submit(city)
    outbox.send_pending()
    receipt = Notification.objects.get(complaint=filed.complaint)
    assert receipt.status == "sent" and receipt.body == ""
    assert filed.token in mail.outbox[0].body


def test_anonymous_receipt_address_is_used_once_then_erased(city):
    filed = submit(city, identity_mode="anonymous", reporter_email="anon@example.org")
    assert fresh(filed.complaint).reporter_email == ""
    assert outbox.send_pending() == (1, 0)
    assert mail.outbox[0].to == ["anon@example.org"]
    receipt = Notification.objects.get()
    assert (receipt.to_email, receipt.body, receipt.status) == ("", "", "sent")
    assert not Complaint.objects.filter(reporter_email="anon@example.org").exists()
    assert not Notification.objects.filter(to_email="anon@example.org").exists()


def test_anonymous_reporter_gets_no_later_mail(city, people):
    filed = submit(city, identity_mode="anonymous", reporter_email="anon@example.org")
    to_resolved(filed.complaint, city, people)
    assert kinds(filed.complaint) == ["receipt"]


def test_each_step_the_citizen_cares_about_sends_one_mail(client, city, people):
    filed = submit(city)
    c = perform(filed.complaint, "request_info", as_staff(people["triage"]), message="Nomor rumah berapa?")
    c = perform(c, "provide_info", ActorRef.citizen(), message="Nomor 12")
    c = to_resolved(c, city, people)
    perform(c, "confirm", ActorRef.citizen(), rating=5)
    assert kinds(c) == ["receipt", "request_info", "routed", "resolved", "closed"]
    request_info = Notification.objects.get(complaint=c, kind="request_info")
    assert "Nomor rumah berapa?" in request_info.body
    path = re.search(r"https://aduan\.example(/track/\S+)", request_info.body).group(1)
    assert "?t=" not in path  # later mails never carry the token
    assert open_mail_link(client, path).status_code == 302


def test_resolved_mail_has_working_rate_and_appeal_links(client, city, people):
    c = to_resolved(submit(city).complaint, city, people)
    body = Notification.objects.get(complaint=c, kind="resolved").body
    links = re.findall(r"https://aduan\.example(/track/\S+)", body)
    assert [("/link/rate/" in p, "/link/appeal/" in p) for p in links] == [(True, False), (False, True)]
    response = open_mail_link(client, links[1])
    assert response.status_code == 302 and response["Location"].endswith("#act-reopen")


def test_mails_are_written_in_the_language_the_complaint_was_filed_in(city, people):
    from complaints.lifecycle.filing import file_complaint

    def filed_in(language):
        data = {"category": city["roads_cat"], "title": "Lubang", "identity_mode": "named",
                "description": "Ada lubang besar di Jl. Merdeka sejak dua minggu.",
                "reporter_name": "Siti", "reporter_email": f"{language}@example.com",
                "address": "Jl. Merdeka", "visibility": "public"}
        c = file_complaint(data, language=language, now=MONDAY).complaint
        return to_resolved(c, city, people, now=MONDAY)

    english = Notification.objects.get(complaint=filed_in("en"), kind="resolved").body
    indonesian = Notification.objects.get(complaint=filed_in("id"), kind="resolved").body
    # The appeal deadline's month name comes from Django's own catalogues.
    assert "January 2026" in english and "Januari 2026" in indonesian


def test_nothing_is_written_when_the_change_is_refused(city, people):
    filed = submit(city)
    with pytest.raises(InvalidArguments):
        perform(filed.complaint, "request_info", as_staff(people["triage"]), message="")
    assert kinds(filed.complaint) == ["receipt"]


# --- the outbox worker ------------------------------------------------------------------------
@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = "tests.citizen.mail_backends.RecordingBackend"
    return RecordingBackend


def test_mail_server_down_then_back_delivers_exactly_once(city, flaky):
    flaky.reset(failures=2)
    filed = submit(city)
    now = timezone.now()
    assert outbox.send_pending(now=now) == (0, 1)
    row = Notification.objects.get()
    assert (row.status, row.attempts) == ("pending", 1) and "SMTPServerDisconnected" in row.last_error
    assert outbox.send_pending(now=now) == (0, 0)  # backing off: not due yet
    assert outbox.send_pending(now=now + dt.timedelta(minutes=1)) == (0, 1)
    assert outbox.send_pending(now=now + dt.timedelta(minutes=4)) == (1, 0)
    assert outbox.send_pending(now=now + dt.timedelta(days=1)) == (0, 0)
    assert len(flaky.delivered) == 1 and filed.token in flaky.delivered[0].body
    row = Notification.objects.get()
    assert (row.status, row.attempts, row.last_error) == ("sent", 3, "")


def test_second_worker_cannot_claim_a_row_the_first_holds(city, flaky):
    flaky.reset()
    submit(city)
    row = Notification.objects.get()
    now = timezone.now()
    assert outbox.claim(row.pk, now) is True
    assert outbox.claim(row.pk, now) is False  # the other worker's conditional UPDATE wins nothing
    assert outbox.send_pending(now=now) == (0, 0)
    assert flaky.delivered == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_never_double_send(city, flaky):
    flaky.reset()
    for i in range(30):
        outbox.enqueue(kind="test", to_email=f"c{i}@example.com", subject=f"s{i}", body="b")
    barrier = threading.Barrier(4)
    errors = []

    def worker():
        try:
            barrier.wait()
            outbox.send_pending()
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    recipients = [m.to[0] for m in flaky.delivered]
    assert sorted(recipients) == sorted(f"c{i}@example.com" for i in range(30))
    assert Notification.objects.filter(status="sent").count() == 30


def test_refused_address_is_not_retried_and_an_anonymous_one_is_erased(city, settings):
    settings.EMAIL_BACKEND = "tests.citizen.mail_backends.RefusingBackend"
    submit(city, identity_mode="anonymous", reporter_email="typo@example.org")
    assert outbox.send_pending() == (0, 1)
    row = Notification.objects.get()
    assert (row.status, row.attempts, row.to_email, row.body) == ("failed", 1, "", "")
    assert "SMTPRecipientsRefused" in row.last_error
    assert "typo@example.org" not in row.last_error  # the server quoted it; we do not keep it


def test_anonymous_receipt_that_never_goes_through_is_erased_when_giving_up(city, flaky):
    flaky.reset(failures=outbox.MAX_ATTEMPTS)
    submit(city, identity_mode="anonymous", reporter_email="anon@example.org")
    later = timezone.now()
    for _ in range(outbox.MAX_ATTEMPTS):
        outbox.send_pending(now=later)
        later += dt.timedelta(hours=7)  # past the longest back-off
    row = Notification.objects.get()
    assert (row.status, row.attempts, row.to_email, row.body) == ("failed", outbox.MAX_ATTEMPTS, "", "")
    assert flaky.delivered == []
