"""Signing in the way a person does: the login form, then the code from the phone."""

from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

LOGIN = "/accounts/login/"


def password_step(client, user, password=None, ip="127.0.0.1", next_url=""):
    data = {"username": user.username if hasattr(user, "username") else user,
            "password": password or "pw-" + user.username}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN, data, REMOTE_ADDR=ip)


def current_code(device, offset_steps=0):
    """The code an authenticator app shows now (or `offset_steps` periods later)."""
    device = TOTPDevice.objects.get(pk=device.pk)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + offset_steps * device.step
    return f"{totp.token():06d}"


def enrol(client, user):
    """Enrol through the page: read the pending device, confirm with its code. Returns
    (device, recovery codes shown)."""
    response = client.get(reverse("accounts:enrol"))
    assert response.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("accounts:enrol"), {"code": current_code(device)})
    assert response.status_code == 200
    return TOTPDevice.objects.get(pk=device.pk), list(response.context["codes"])
