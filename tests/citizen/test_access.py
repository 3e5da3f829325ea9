"""Who gets into a private tracking page, and how: every grant comes with a new session id
(a planted one gains nothing), a double click still shows the confirmation, no GET URL
grants anything, and links from e-mails are one-time codes that a Continue page POSTs."""

import datetime as dt
import re
import uuid


from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.core import mail
from django.test import Client
from django.utils import timezone

from complaints import outbox
from complaints.citizen import tokens
from complaints.models import AccessLink, Complaint, Notification
from complaints.permissions import ActorRef
from complaints.lifecycle.engine import perform

from ..complaints.helpers import drive, fresh
from ..conftest import as_staff, submit
from .conftest import form_data, open_mail_link
from .test_report import shown_key

COOKIE = settings.SESSION_COOKIE_NAME


def page_of(complaint):
    return f"/track/{complaint.tracking_code}/"


def planted_session():
    """A session id an attacker owns (made by visiting the site) and plants in the
    victim's browser."""
    store = SessionStore()
    store["visited"] = True
    store.create()
    return store.session_key


def visitor_with(session_key=None, ip=None):
    # A fresh address unless given: the report limit may live in a shared Redis.
    client = Client(REMOTE_ADDR=ip or f"10.77.{uuid.uuid4().int % 256}.{uuid.uuid4().int % 256}")
    client.cookies["django_language"] = "en"
    if session_key:
        client.cookies[COOKIE] = session_key
    return client


def main_html(response):
    html = response.content.decode().split('<main id="main">')[1].split("</main>")[0]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


# --- session fixation through filing (item 7) ----------------------------------------------------
def test_a_planted_session_id_gains_nothing_from_the_victims_filing(city):
    planted = planted_session()
    victim, attacker = visitor_with(planted), visitor_with(planted)
    filed = victim.post("/report/", form_data(city))
    assert filed.status_code == 302
    assert victim.cookies[COOKIE].value != planted  # the grant came with a new session id
    complaint = Complaint.objects.get()
    confirmation = victim.get(filed["Location"])
    token = shown_key(confirmation.content.decode())
    assert complaint.check_token(token)
    # The attacker still holds the planted id: neither the page nor the key is theirs.
    assert attacker.get(page_of(complaint)).status_code == 404
    done = attacker.get(filed["Location"])
    assert done.status_code == 404 and token not in done.content.decode()
    assert victim.get(page_of(complaint)).status_code == 200


def test_a_double_click_shows_the_confirmation_in_the_answer_the_browser_keeps(city):
    # Both requests leave with the same cookie; the browser shows the second answer and
    # may never have received the first one's new session id.
    planted = planted_session()
    first, second = visitor_with(planted), visitor_with(planted)
    data = form_data(city)
    assert first.post("/report/", data).status_code == 302
    answer = second.post("/report/", data)
    assert answer.status_code == 302
    shown = second.get(answer["Location"])
    complaint = Complaint.objects.get()
    assert shown.status_code == 200 and complaint.tracking_code in shown.content.decode()
    assert complaint.check_token(shown_key(shown.content.decode()))
    assert second.get(page_of(complaint)).status_code == 200
    assert second.cookies[COOKIE].value not in (planted, first.cookies[COOKIE].value)
    assert Complaint.objects.count() == 1 and Notification.objects.count() == 1
    # The planted id itself was deleted with the first grant.
    assert visitor_with(planted).get(page_of(complaint)).status_code == 404


def test_the_same_form_sent_again_after_the_confirmation_period_shows_no_key(city, monkeypatch):
    data = form_data(city)
    visitor_with().post("/report/", data)
    complaint = Complaint.objects.get()
    Complaint.objects.filter(pk=complaint.pk).update(
        submitted_at=timezone.now() - dt.timedelta(hours=1))
    late = visitor_with()
    answer = late.post("/report/", data)
    shown = late.get(answer["Location"])
    assert shown.status_code == 404 and "already received" in shown.content.decode()
    assert late.get(page_of(complaint)).status_code == 404
    assert Complaint.objects.count() == 1


def test_signing_in_by_code_and_key_gives_a_new_session_id(city):
    filed = submit(city)
    planted = planted_session()
    visitor = visitor_with(planted)
    response = visitor.post("/track/", {"code": filed.complaint.tracking_code, "token": filed.token})
    assert response.status_code == 302 and visitor.cookies[COOKIE].value != planted
    assert visitor_with(planted).get(page_of(filed.complaint)).status_code == 404


# --- no GET grants; one-time link codes (item 8) -------------------------------------------------
def link_parts(path):
    url, code = path.split("?k=")
    return url, code


def test_a_get_on_a_mail_link_grants_and_spends_nothing(city):
    filed = submit(city)
    path = tokens.issue_link(filed.complaint, "track")
    scanner = visitor_with()
    for _ in range(3):  # a mail provider's link checker fetching it, more than once
        page = scanner.get(path)
        assert page.status_code == 200 and 'id="continue"' in page.content.decode()
        assert scanner.get(page_of(filed.complaint)).status_code == 404
    assert AccessLink.objects.get(purpose="track").used_at is None
    citizen = visitor_with()
    assert open_mail_link(citizen, path).status_code == 302
    assert citizen.get(page_of(filed.complaint)).status_code == 200


def test_posting_a_mail_link_grants_under_a_new_session_id(city):
    filed = submit(city)
    url, code = link_parts(tokens.issue_link(filed.complaint, "track"))
    planted = planted_session()
    citizen = visitor_with(planted)
    response = citizen.post(url, {"k": code})
    assert response.status_code == 302 and response["Location"] == page_of(filed.complaint)
    assert citizen.cookies[COOKIE].value != planted
    assert visitor_with(planted).get(page_of(filed.complaint)).status_code == 404


def refused_like_a_wrong_code(url, code, complaint):
    wrong = visitor_with().post(url, {"k": "x" * 32})
    refused = visitor_with().post(url, {"k": code})
    assert refused.status_code == wrong.status_code == 404
    assert main_html(refused) == main_html(wrong)
    assert "work once" in refused.content.decode()


def test_a_spent_link_is_refused_like_a_wrong_code(city):
    filed = submit(city)
    url, code = link_parts(tokens.issue_link(filed.complaint, "track"))
    assert visitor_with().post(url, {"k": code}).status_code == 302
    AccessLink.objects.filter(purpose="track").update(
        used_at=timezone.now() - dt.timedelta(seconds=tokens.LINK_REPEAT_SECONDS + 1))
    refused_like_a_wrong_code(url, code, filed.complaint)


def test_a_link_repeated_at_once_still_works_for_a_double_click(city):
    filed = submit(city)
    url, code = link_parts(tokens.issue_link(filed.complaint, "track"))
    planted = planted_session()
    first, second = visitor_with(planted), visitor_with(planted)
    assert first.post(url, {"k": code}).status_code == 302
    assert second.post(url, {"k": code}).status_code == 302
    assert second.get(page_of(filed.complaint)).status_code == 200


def test_an_expired_link_is_refused_like_a_wrong_code(city):
    filed = submit(city)
    url, code = link_parts(tokens.issue_link(filed.complaint, "rate"))
    AccessLink.objects.filter(purpose="rate").update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    refused_like_a_wrong_code(url, code, filed.complaint)
    assert AccessLink.objects.get(purpose="rate").used_at is None


def test_a_tampered_link_is_refused_like_a_wrong_code(city):
    filed = submit(city)
    url, code = link_parts(tokens.issue_link(filed.complaint, "track"))
    tampered = code[:-1] + ("A" if code[-1] != "A" else "B")
    refused_like_a_wrong_code(url, tampered, filed.complaint)
    # A link of another purpose under this purpose's address is tampered too.
    _url, rate_code = link_parts(tokens.issue_link(filed.complaint, "rate"))
    refused_like_a_wrong_code(url, rate_code, filed.complaint)


def test_a_signed_link_of_the_old_kind_opens_nothing(city):
    filed = submit(city)
    from django.core import signing

    old = signing.TimestampSigner(salt="aduan.citizen.link.track").sign(
        f"{filed.complaint.tracking_code}:{filed.complaint.access_token_hash[:12]}")
    url = f"/track/{filed.complaint.tracking_code}/link/track/"
    visitor = visitor_with()
    assert visitor.get(url + "?s=" + old).status_code == 200  # the Continue page
    assert visitor.post(url, {"s": old, "k": ""}).status_code == 404
    assert visitor.get(page_of(filed.complaint)).status_code == 404


def mail_urls(body):
    return re.findall(r"https?://\S+", body)


def test_no_citizen_email_has_a_url_that_grants_on_get(city, people):
    filed = submit(city)
    c = perform(filed.complaint, "request_info", as_staff(people["triage"]), message="Nomor rumah?")
    c = perform(c, "provide_info", ActorRef.citizen(), message="Nomor 12")
    c = drive(c, people, city, "resolved")
    c = perform(c, "confirm", ActorRef.citizen(), rating=5)
    rejected = drive(submit(city).complaint, people, city, "rejected")
    outbox.send_pending()
    bodies = [m.body for m in mail.outbox]
    assert {n.kind for n in Notification.objects.all()} >= {
        "receipt", "request_info", "routed", "resolved", "closed", "rejected"}
    urls = [url for body in bodies for url in mail_urls(body)]
    assert len(urls) >= 8
    for url in urls:
        assert filed.token not in url and "?t=" not in url and "?s=" not in url
        path = url.replace(settings.SITE_URL, "")
        visitor = visitor_with()
        assert visitor.get(path).status_code == 200
        for complaint in (c, rejected):
            assert visitor.get(page_of(complaint)).status_code == 404, url
    assert all(link.used_at is None for link in AccessLink.objects.all())
    assert fresh(c).state == "closed"
