"""Enrolment and verification of the second factor (django-otp devices): a TOTP device per
user and one static device holding the one-time recovery codes."""

import segno
from django.db import transaction
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODES = 10
RECOVERY_NAME = "recovery"


def pending_totp(user):
    """The unconfirmed TOTP device being enrolled (created on first call, kept until used)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def qr_svg(device):
    """The otpauth:// URL as an inline SVG QR code (no image request, no data: URL)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, border=2, dark="#111")


def base32_secret(device):
    import base64

    return base64.b32encode(device.bin_key).decode().rstrip("=")


@transaction.atomic
def confirm_totp(device, code):
    """Confirm the device being enrolled when `code` is right; returns fresh recovery codes,
    or None for a wrong code (nothing changes then)."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if device.confirmed or not device.verify_token(code):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    return new_recovery_codes(device.user)


@transaction.atomic
def new_recovery_codes(user):
    """Replace the user's recovery codes; each works once. Returns them to show once."""
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
    return codes


def verify(user, code):
    """The confirmed device that accepts `code` (a recovery code is used up), else None.
    A code already used is refused: TOTP devices remember the last time step they accepted."""
    # A six-digit code is for the authenticator, anything else a recovery code: trying a code
    # on the wrong kind of device would count a failure against it.
    kind = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    for device in devices_for_user(user, confirmed=True):
        if not isinstance(device, kind):
            continue
        allowed, _info = device.verify_is_allowed()
        if allowed and device.verify_token(code):
            return device
    return None


def is_recovery(device):
    return isinstance(device, StaticDevice)
