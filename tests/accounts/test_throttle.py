"""Sign-in throttling: per (account, client IP) and per client IP, a doubling back-off, a
clear message, never a lock-out of the account itself; an administrator lifts blocks."""

import datetime as dt
import secrets

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from accounts import throttle
from accounts.models import SecurityEvent, SignInThrottle

from ..conftest import make_user
from .helpers import password_step

Kind = SecurityEvent.Kind


def wrong(client_or_ip, username, ip):
    client = Client(REMOTE_ADDR=ip)
    return client.post("/accounts/login/", {"username": username, "password": "not-the-password"})


def state_of(user):
    fresh = User.objects.get(pk=user.pk)
    return (fresh.password, fresh.is_active, fresh.last_login)


@pytest.mark.django_db
def test_one_account_from_many_addresses_blocks_those_addresses_never_the_owner(city, people, settings):
    privacy = people["privacy"]
    before = state_of(privacy)
    limit = settings.SIGNIN_FAILURES_PER_ACCOUNT_IP
    for n in range(8):
        ip = f"203.0.113.{n}"
        for _ in range(limit):
            assert wrong(None, privacy.username, ip).status_code == 200  # the form again, with an error
        # The next try from that address is refused before the password is even checked,
        # the right password included.
        response = password_step(Client(REMOTE_ADDR=ip), privacy, ip=ip)
        assert response.status_code == 429
        assert "Try again in" in response.content.decode()
    assert state_of(privacy) == before
    # The officer, from their own address, signs in as usual.
    response = password_step(Client(), privacy)
    assert response.status_code == 302 and "/accounts/two-factor/" in response["Location"]
    assert SecurityEvent.objects.filter(kind=Kind.SIGN_IN_FAILED, user=privacy).count() == 8 * limit
    assert SecurityEvent.objects.filter(kind=Kind.THROTTLED, username=privacy.username).count() == 8


@pytest.mark.django_db
def test_many_accounts_from_one_address_block_the_address(city, people, settings):
    ip = "198.51.100.7"
    victims = [make_user(f"staff{n}", groups=["triage"]) for n in range(settings.SIGNIN_FAILURES_PER_IP)]
    before = [state_of(user) for user in victims]
    for user in victims:
        wrong(None, user.username, ip)
    # Blocked from that address for every account, even with a right password...
    response = password_step(Client(REMOTE_ADDR=ip), people["triage"], ip=ip)
    assert response.status_code == 429 and "Try again in" in response.content.decode()
    assert SecurityEvent.objects.filter(kind=Kind.SIGN_IN_FAILED, ip=ip).count() == len(victims)
    assert [state_of(user) for user in victims] == before
    # ...while the same accounts sign in from anywhere else.
    assert password_step(Client(), victims[0]).status_code == 302


@pytest.mark.django_db
def test_unknown_names_are_throttled_and_recorded_too(city):
    ip = "192.0.2.50"
    for n in range(5):
        wrong(None, "no-such-user", ip)
    assert wrong(None, "no-such-user", ip).status_code == 429
    assert SecurityEvent.objects.filter(kind=Kind.SIGN_IN_FAILED, username="no-such-user").count() == 5


@pytest.mark.django_db
def test_the_back_off_doubles_with_every_further_failure(settings):
    settings.SIGNIN_BACKOFF_SECONDS = 60
    limit = settings.SIGNIN_FAILURES_PER_ACCOUNT_IP
    now = timezone.now()
    waits = []
    for n in range(limit + 3):
        started = throttle.record_failure("someone", "192.0.2.1", now=now)
        waits.append(started)
        now = now + dt.timedelta(seconds=started + 1)  # each try right after the block ends
    assert waits[: limit - 1] == [0] * (limit - 1)
    assert waits[limit - 1:] == [60, 120, 240, 480]
    assert throttle.backoff(limit + 40, limit) == settings.SIGNIN_BACKOFF_MAX_SECONDS


@pytest.mark.django_db
def test_a_successful_sign_in_clears_the_pair_but_not_the_address(city, people):
    ip = "192.0.2.9"
    for _ in range(3):
        wrong(None, people["triage"].username, ip)
    wrong(None, "someone-else", ip)
    assert password_step(Client(REMOTE_ADDR=ip), people["triage"], ip=ip).status_code == 302
    assert not SignInThrottle.objects.filter(scope="account_ip", username="triage1").exists()
    assert SignInThrottle.objects.get(scope="ip", ip=ip).failures == 4


@pytest.mark.django_db
def test_an_admin_lifts_a_block_and_it_is_recorded(city, people, client):
    ip = "203.0.113.99"
    for _ in range(5):
        wrong(None, people["privacy"].username, ip)
    assert password_step(Client(REMOTE_ADDR=ip), people["privacy"], ip=ip).status_code == 429
    admin = people["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    rows = SignInThrottle.objects.filter(ip=ip)
    response = client.post("/admin/accounts/signinthrottle/", {
        "action": "lift", "_selected_action": [str(row.pk) for row in rows]})
    assert response.status_code == 302
    assert not SignInThrottle.objects.filter(ip=ip).exists()
    assert SecurityEvent.objects.filter(kind=Kind.BLOCK_LIFTED, user=admin).count() == 2
    assert password_step(Client(REMOTE_ADDR=ip), people["privacy"], ip=ip).status_code == 302


@pytest.mark.django_db
def test_the_client_address_comes_through_trusted_proxies_only(city, people, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    for _ in range(5):
        Client(REMOTE_ADDR="10.0.0.2").post("/accounts/login/", {"username": "triage1", "password": "x"},
                                            HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert SignInThrottle.objects.filter(ip="198.51.100.1", scope="account_ip").get().failures == 5
    # Another client behind the same proxy is not blocked by the first one's failures.
    response = Client(REMOTE_ADDR="10.0.0.2").post(
        "/accounts/login/", {"username": "triage1", "password": "pw-triage1"}, HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert response.status_code == 302
    # A forged header from an untrusted peer is ignored: the peer's own address counts.
    for _ in range(5):
        Client(REMOTE_ADDR="192.0.2.77").post("/accounts/login/", {"username": "triage1", "password": "x"},
                                              HTTP_X_FORWARDED_FOR="198.51.100.3")
    assert SignInThrottle.objects.filter(ip="192.0.2.77").exists()
    assert not SignInThrottle.objects.filter(ip="198.51.100.3").exists()


@pytest.mark.django_db
def test_password_reset_is_limited_per_address(city, people):
    # The shared cache (Redis) may remember counters of earlier runs; a new address starts at zero.
    client = Client(REMOTE_ADDR=f"2001:db8::{secrets.token_hex(2)}")
    for _ in range(5):
        assert client.post("/accounts/password_reset/", {"email": "x@example.com"}).status_code == 302
    response = client.post("/accounts/password_reset/", {"email": "x@example.com"})
    assert response.status_code == 429 and "Try again in" in response.content.decode()
