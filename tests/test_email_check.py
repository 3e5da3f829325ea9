"""With DEBUG off, mail that would only be printed (the console fallback when no e-mail is
configured) is a system check error: it would put private tracking links and anonymous
reporters' addresses into the server's log. An explicitly chosen backend is accepted."""

import pytest

from .test_project import run_manage

PRODUCTION = {"SECRET_KEY": "x" * 20 + "a-long-random-production-secret-0123456789",
              "AUDIT_KEY": "another-long-random-key-for-the-audit-chain", "ALLOWED_HOSTS": "aduan.example.go.id"}


def test_the_console_fallback_with_debug_off_is_an_error():
    result = run_manage(["check"], PRODUCTION)
    assert result.returncode != 0
    assert "aduan.E001" in result.stderr and "EMAIL_HOST" in result.stderr


@pytest.mark.parametrize("mail", [
    {"EMAIL_HOST": "smtp.example.go.id"},
    {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"},
    {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend"},
])
def test_configured_mail_with_debug_off_passes(mail):
    result = run_manage(["check"], {**PRODUCTION, **mail})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "aduan.E001" not in result.stdout + result.stderr


def test_the_console_fallback_is_fine_while_developing():
    result = run_manage(["check"], {"DEBUG": "1"})
    assert result.returncode == 0, result.stdout + result.stderr
