"""Staff file a complaint on a citizen's behalf (issue 17, item 6): a call, a visit or a
letter becomes a complaint through the web form's filing, with the channel, the citizen's
identity mode and contact; the staff member is the filing event's actor (with role); the
citizen's receipt goes to the e-mail given through the outbox. Other roles get 403, bad
input is a form error and stores nothing."""

import datetime as dt
import uuid

import pytest
from django.core import mail
from django.utils import timezone

from complaints import audit, outbox
from complaints.lifecycle.engine import perform
from complaints.models import Channel, Complaint, Event, IdentityMode, Notification
from complaints.staff.forms import FileOnBehalfForm

from .helpers import as_staff, url

NAME = "Wulandari Prasetyaningsih"
EMAIL = "wulan.pras@pribadi.example"
PHONE = "0813-5566-7788"


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://aduan.example"


def form(city, **overrides):
    data = {
        "channel": "phone", "received_on": "", "language": "id", "identity_mode": "named",
        "reporter_name": NAME, "reporter_email": EMAIL, "reporter_phone": PHONE,
        "category": city["roads_cat"].code, "title": "Jalan berlubang di depan pasar",
        "description": "Warga menelepon: lubang besar di Jl. Pasar Baru sejak seminggu, dua motor jatuh.",
        "address": "Jl. Pasar Baru 3", "area": "", "idempotency_key": uuid.uuid4().hex,
    }
    data.update(overrides)
    return data


def post(client, user, data):
    client.force_login(user)
    return client.post(url("file"), data)


def nothing_stored():
    return (Complaint.objects.count(), Event.objects.count(), Notification.objects.count()) == (0, 0, 0)


@pytest.mark.parametrize("who, role", [("triage", "triage"), ("officer_roads", "unit_officer"),
                                       ("supervisor_works", "unit_supervisor")])
def test_triage_and_unit_staff_file_and_are_the_filing_events_actor(client, city, people, who, role):
    client.force_login(people[who])
    page = client.get(url("file"))
    assert page.status_code == 200 and 'name="channel"' in page.content.decode()
    response = post(client, people[who], form(city, channel="walk_in"))
    assert response.status_code == 200, response.content.decode()[:2000]
    c = Complaint.objects.get()
    assert c.tracking_code in response.content.decode()
    assert (c.channel, c.identity_mode, c.reporter_name, c.reporter_email, c.state) == (
        Channel.WALK_IN, IdentityMode.NAMED, NAME, EMAIL, "submitted")
    first = Event.objects.get(complaint=c, seq=1)
    assert first.action == "filed"
    assert (first.actor_type, first.actor_user_id, first.actor_label) == ("user", people[who].pk, people[who].username)
    assert first.data["channel"] == "walk_in" and first.data["intake"]["role"] == role
    assert audit.verify_complaint(c) is None


def test_the_citizen_gets_the_receipt_on_the_email_given_through_the_outbox(client, city, people):
    post(client, people["triage"], form(city, channel="letter", received_on=str(timezone.localdate() - dt.timedelta(days=3))))
    c = Complaint.objects.get()
    receipt = Notification.objects.get(complaint=c)
    assert (receipt.kind, receipt.to_email) == ("receipt", EMAIL)
    assert len(mail.outbox) == 0  # nothing leaves before the worker runs
    outbox.send_pending()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [EMAIL]
    assert c.tracking_code in mail.outbox[0].body
    first = Event.objects.get(complaint=c, seq=1)
    assert first.data["intake"]["received_on"] == str(timezone.localdate() - dt.timedelta(days=3))


def test_without_an_email_the_page_shows_the_key_to_pass_on_and_no_mail_is_sent(client, city, people):
    client.cookies["django_language"] = "en"
    response = post(client, people["officer_roads"], form(city, reporter_email=""))
    c = Complaint.objects.get()
    html = response.content.decode()
    assert c.tracking_code in html and "Secret key" in html
    assert not Notification.objects.filter(complaint=c, kind="receipt").exists()
    outbox.send_pending()
    assert mail.outbox == []


def test_anonymous_on_behalf_keeps_no_contact_but_sends_the_receipt_once(client, city, people):
    post(client, people["triage"], form(city, identity_mode="anonymous"))
    c = Complaint.objects.get()
    assert (c.reporter_name, c.reporter_email, c.reporter_phone) == ("", "", "")
    outbox.send_pending()
    assert mail.outbox[0].to == [EMAIL]
    assert not Notification.objects.filter(to_email=EMAIL).exists()


@pytest.mark.parametrize("who", ["privacy", "nobody"])
def test_other_roles_are_refused_with_403_and_nothing_is_stored(client, city, people, who):
    client.force_login(people[who])
    assert client.get(url("file")).status_code == 403
    assert post(client, people[who], form(city)).status_code == 403
    assert nothing_stored()


def test_an_oversight_member_without_a_unit_is_refused(client, city, people):
    from ..conftest import make_user

    inspector = make_user("overseer_only", groups=["oversight"])
    assert post(client, inspector, form(city)).status_code == 403
    assert nothing_stored()


def test_anonymous_visitors_are_sent_to_sign_in(client, city):
    response = client.post(url("file"), form(city))
    assert response.status_code == 302 and "login" in response["Location"]
    assert nothing_stored()


@pytest.mark.parametrize("field, value", [
    ("channel", "web"),           # the citizen's own channels are not filed by staff
    ("channel", "open311"),
    ("channel", "carrier_pigeon"),
    ("description", "x" * 10001),
    ("title", "t" * 201),
    ("received_on", "1890-01-01"),
    ("received_on", "2999-12-31"),
    ("received_on", "31/31/2026"),
    ("category", "NO-SUCH"),
    ("identity_mode", "secret"),
    ("reporter_email", "not-an-address"),
    ("description", "terlalu pendek"),
])
def test_bad_input_is_a_form_error_and_stores_nothing(client, city, people, field, value):
    response = post(client, people["triage"], form(city, **{field: value}))
    assert response.status_code == 400
    assert 'class="errorlist"' in response.content.decode()
    assert nothing_stored()


def test_a_named_report_without_name_or_contact_is_refused(client, city, people):
    response = post(client, people["triage"], form(city, reporter_name="", reporter_email="", reporter_phone=""))
    assert response.status_code == 400 and nothing_stored()


def test_a_nul_byte_is_refused_and_stores_nothing(client, city, people):
    # The request filter answers 400 before any view reads it (config.middleware) ...
    response = post(client, people["triage"], form(city, description="Lubang besar\x00 di Jl. Pasar Baru sejak lama."))
    assert response.status_code == 400
    assert nothing_stored()
    # ... and the form refuses it on its own too.
    bound = FileOnBehalfForm(form(city, title="Jalan\x00rusak"))
    assert not bound.is_valid() and "title" in bound.errors


def test_huge_input_is_refused_and_stores_nothing(client, city, people):
    response = post(client, people["triage"], form(city, description="lubang " * 200_000))
    assert response.status_code in (400, 413)
    assert nothing_stored()


def test_the_same_form_sent_twice_files_once(client, city, people):
    data = form(city)
    post(client, people["triage"], data)
    post(client, people["triage"], data)
    assert Complaint.objects.count() == 1


def test_a_confidential_reporters_name_stays_out_of_staff_lists(client, city, people):
    post(client, people["triage"], form(city, identity_mode="confidential"))
    c = Complaint.objects.get()
    assert c.identity_mode == IdentityMode.CONFIDENTIAL and c.reporter_name == NAME
    client.force_login(people["triage"])
    triage_desk = client.get(url("triage")).content.decode()
    assert c.tracking_code in triage_desk
    perform(c, "triage", as_staff(people["triage"]), unit=city["roads"])
    for who in ("officer_roads", "supervisor_works"):
        client.force_login(people[who])
        inbox = client.get(url("inbox") + "?status=all").content.decode()
        assert c.tracking_code in inbox
        for text in (triage_desk, inbox):
            for secret in (NAME, "Wulandari", "Prasetyaningsih", EMAIL, PHONE):
                assert secret not in text, (who, secret)


def test_a_sensitive_category_filed_named_becomes_confidential_as_on_the_web(client, city, people):
    post(client, people["triage"], form(city, category=city["bribe_cat"].code))
    c = Complaint.objects.get()
    assert (c.identity_mode, c.visibility, c.channel) == (IdentityMode.CONFIDENTIAL, "private", Channel.PHONE)


def test_the_staff_menu_offers_the_page_only_to_those_who_may_file(client, city, people):
    client.force_login(people["triage"])
    assert url("file") in client.get(url("triage")).content.decode()
    client.force_login(people["oversight"])  # a member of the inspectorate unit: unit staff
    assert client.get(url("file")).status_code == 200
