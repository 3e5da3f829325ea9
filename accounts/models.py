"""Staff sign-in security: the append-only security log and the sign-in throttle."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove a security log entry."""


class SecurityEventQuerySet(models.QuerySet):
    # Bulk changes would bypass the model's own refusal; refuse them here too.
    def update(self, **kwargs):
        raise AppendOnlyError("the security log is append-only")

    def delete(self):
        raise AppendOnlyError("the security log is append-only")


class SecurityEvent(models.Model):
    """One sign-in related fact: who, when, from where, with what browser. Never changed."""

    class Kind(models.TextChoices):
        SIGNED_IN = "signed_in", _("Password accepted")
        SIGN_IN_FAILED = "sign_in_failed", _("Wrong password")
        THROTTLED = "throttled", _("Refused: too many attempts")
        SECOND_FACTOR_OK = "second_factor_ok", _("Second factor accepted")
        SECOND_FACTOR_FAILED = "second_factor_failed", _("Wrong second-factor code")
        RECOVERY_CODE_USED = "recovery_code_used", _("Recovery code used")
        ENROLLED = "enrolled", _("Second factor enrolled")
        SESSION_EXPIRED = "session_expired", _("Session expired after inactivity")
        SIGNED_OUT = "signed_out", _("Signed out")
        BLOCK_LIFTED = "block_lifted", _("Sign-in block lifted by an administrator")

    at = models.DateTimeField(default=timezone.now, db_index=True)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    # The name as typed: a failed attempt may name an account that does not exist.
    username = models.CharField(max_length=150, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    detail = models.CharField(max_length=200, blank=True)

    objects = SecurityEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("security log entry")
        verbose_name_plural = _("security log")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.kind} {self.username}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("the security log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("the security log is append-only")


class SignInThrottle(models.Model):
    """Failed sign-ins counted for one key: an (account, client IP) pair or a client IP.

    Never a key of the account alone: a stranger could then lock the privacy officer out.
    """

    class Scope(models.TextChoices):
        ACCOUNT_IP = "account_ip", _("Account from one IP address")
        IP = "ip", _("IP address")

    scope = models.CharField(max_length=16, choices=Scope.choices)
    username = models.CharField(max_length=150, blank=True)
    # Text, not an IP field: "" (unknown) must be a value in the unique key, not NULL.
    ip = models.CharField(max_length=45, blank=True)
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    blocked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "username", "ip"], name="signin_throttle_key")]
        verbose_name = _("sign-in block")
        verbose_name_plural = _("sign-in blocks")

    def __str__(self):
        return f"{self.scope} {self.username} {self.ip}"
