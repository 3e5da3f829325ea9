"""Staff sessions (rotation, browser-close and idle expiry), the password pages in the
site's own style, and the append-only security log that oversight reads."""

import time

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from accounts.middleware import STAFF_SEEN
from accounts.models import AppendOnlyError, SecurityEvent

from .helpers import enrol, password_step

Kind = SecurityEvent.Kind


@pytest.mark.django_db
def test_signing_in_rotates_the_session_and_it_ends_with_the_browser(city, people, settings):
    client = Client()
    client.get("/accounts/login/")
    client.session.save()
    planted = client.cookies[settings.SESSION_COOKIE_NAME].value
    response = password_step(client, people["triage"])
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie.value != planted
    assert not cookie["expires"] and not cookie["max-age"]  # a browser-session cookie
    assert SecurityEvent.objects.filter(kind=Kind.SIGNED_IN, user=people["triage"]).count() == 1


@pytest.mark.django_db
def test_an_idle_staff_session_ends(city, people, settings):
    client = Client()
    password_step(client, people["triage"])
    assert client.get("/staff/triage/").status_code == 200
    session = client.session
    session[STAFF_SEEN] = time.time() - settings.STAFF_SESSION_IDLE_MINUTES * 60 - 5
    session.save()
    response = client.get("/staff/triage/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get("/staff/triage/")["Location"].startswith("/accounts/login/")
    assert SecurityEvent.objects.filter(kind=Kind.SESSION_EXPIRED, user=people["triage"]).count() == 1


@pytest.mark.django_db
def test_an_active_staff_session_lasts(city, people, settings):
    client = Client()
    password_step(client, people["triage"])
    session = client.session
    session[STAFF_SEEN] = time.time() - settings.STAFF_SESSION_IDLE_MINUTES * 60 + 60
    session.save()
    assert client.get("/staff/triage/").status_code == 200
    assert client.session[STAFF_SEEN] > time.time() - 5  # the clock restarted


@pytest.mark.django_db
@pytest.mark.parametrize("language,title", [("en", "Reset your password"), ("id", "Atur ulang kata sandi")])
def test_password_pages_use_the_site_layout_in_both_languages(city, language, title):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    html = client.get("/accounts/password_reset/").content.decode()
    assert title in html and "Django" not in html and 'class="site-header"' in html
    login = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/password_reset/"' in login


@pytest.mark.django_db
def test_password_change_uses_the_site_layout(city, people):
    client = Client()
    client.force_login(people["nobody"])
    html = client.get("/accounts/password_change/").content.decode()
    assert "Change your password" in html and "Django" not in html


@pytest.mark.django_db
def test_the_security_log_is_append_only(city, people):
    client = Client()
    password_step(client, people["triage"], password="wrong")
    event = SecurityEvent.objects.get()
    event.detail = "edited"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        SecurityEvent.objects.all().update(detail="x")
    with pytest.raises(AppendOnlyError):
        SecurityEvent.objects.all().delete()
    assert SecurityEvent.objects.get().detail == ""


@pytest.mark.django_db
def test_oversight_reads_the_security_log_and_others_may_not(city, people, client):
    Client(HTTP_USER_AGENT="Curl/8 attacker").post("/accounts/login/", {"username": "privacy1", "password": "no"})
    client.force_login(people["oversight"])
    html = client.get("/staff/security-log/").content.decode()
    assert "privacy1" in html and "Curl/8 attacker" in html and "Wrong password" in html
    for role in ("triage", "officer_roads"):
        client.force_login(people[role])
        assert client.get("/staff/security-log/").status_code == 403


@pytest.mark.django_db
def test_the_admin_cannot_change_the_security_log(city, people, client):
    Client().post("/accounts/login/", {"username": "privacy1", "password": "no"})
    admin = people["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    event = SecurityEvent.objects.get()
    assert client.get("/admin/accounts/securityevent/").status_code == 200
    page = client.get(f"/admin/accounts/securityevent/{event.pk}/change/")
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert client.post(f"/admin/accounts/securityevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert SecurityEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db
def test_signing_out_is_recorded_and_ends_the_session(city, people):
    client = Client()
    password_step(client, people["triage"])
    client.post(reverse("logout"))
    assert Session.objects.count() == 0
    assert SecurityEvent.objects.filter(kind=Kind.SIGNED_OUT).count() == 1
