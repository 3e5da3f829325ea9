"""System checks of the deployment (registered by config.apps)."""

from django.conf import settings
from django.core.checks import Error, Warning, register

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


@register()
def transparency_key(app_configs, **kwargs):
    """Without a signing key the worker publishes no root, and a rollback of the database
    (an older consistent copy of a complaint and its events) goes unnoticed."""
    from complaints.transparency.anchor import signing_key

    try:
        key = signing_key()
    except ValueError as problem:
        return [Error(str(problem), hint="Generate one with: python -c \"import base64, os; "
                      "print(base64.b64encode(os.urandom(32)).decode())\"", id="aduan.E002")]
    if key is None and not settings.DEBUG:
        return [Warning(
            "TRANSPARENCY_SIGNING_KEY is not set: no transparency root is published, so a "
            "rollback of the database to an older consistent state cannot be detected.",
            hint="Set it to base64 of 32 random bytes (see docs/privacy.md).", id="aduan.W001")]
    return []
