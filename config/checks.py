"""System checks of the deployment (registered by config.apps)."""

from django.conf import settings
from django.core.checks import Error, register

# Backends that keep or print messages instead of sending them.
NON_DELIVERING_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}


@register()
def email_is_delivered(app_configs, **kwargs):
    """With DEBUG off, the console fallback (no EMAIL_HOST, no EMAIL_BACKEND) would print
    every private tracking link and anonymous reporter's address into the server's log
    instead of mailing it. An explicitly chosen backend is the operator's decision."""
    if settings.DEBUG or not getattr(settings, "EMAIL_BACKEND_IS_FALLBACK", False):
        return []
    if settings.EMAIL_BACKEND not in NON_DELIVERING_BACKENDS:
        return []
    return [Error(
        f"E-mail would not be delivered: {settings.EMAIL_BACKEND} is in effect because neither "
        "EMAIL_HOST nor EMAIL_BACKEND is set, and it writes private tracking links and "
        "reporters' addresses to the console.",
        hint="Set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER, ...) for SMTP, or set EMAIL_BACKEND explicitly.",
        id="aduan.E001",
    )]
