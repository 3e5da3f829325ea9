"""Every password check and sign-out of a staff account goes to the security log, and every
failed password check counts towards the throttle. Signals, so that no sign-in path
(login page, admin, a future API) can skip them."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from complaints.permissions import is_staff_member
from complaints.ratelimit import client_ip

from . import throttle
from .models import SecurityEvent

Kind = SecurityEvent.Kind


def is_staff_account(user):
    return user is not None and (user.is_staff or user.is_superuser or is_staff_member(user))


def record(request, kind, user=None, username="", detail=""):
    meta = getattr(request, "META", {}) if request is not None else {}
    SecurityEvent.objects.create(
        kind=kind, user=user, username=(username or (user.get_username() if user else ""))[:150],
        ip=(client_ip(request) or None) if request is not None and meta.get("REMOTE_ADDR") else None,
        user_agent=meta.get("HTTP_USER_AGENT", "")[:300], detail=detail[:200],
    )


@receiver(user_login_failed)
def _failed(sender, credentials, request=None, **kwargs):
    username = throttle.normalise(credentials.get("username", ""))
    ip = client_ip(request) if request is not None else ""
    throttle.record_failure(username, ip)
    user = get_user_model().objects.filter(username__iexact=username).first()
    # Citizens' failed sign-ins are not staff security facts; unknown names are (probing).
    if user is None or is_staff_account(user):
        record(request, Kind.SIGN_IN_FAILED, user=user, username=username)


@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs):
    if request is None or not getattr(request, "META", {}).get("REMOTE_ADDR"):
        return  # force_login in tests and shells: no sign-in happened
    throttle.record_success(user.get_username(), client_ip(request))
    if is_staff_account(user):
        record(request, Kind.SIGNED_IN, user=user)


@receiver(user_logged_out)
def _signed_out(sender, request, user, **kwargs):
    if user is not None and is_staff_account(user):
        record(request, Kind.SIGNED_OUT, user=user)
