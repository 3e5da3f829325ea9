from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RouterVersion(models.Model):
    """One trained routing model on disk (``path`` is relative to ``settings.ML_MODEL_DIR``).

    At most one version is active at a time (a partial unique constraint guarantees it);
    :meth:`activate` switches in one transaction.
    """

    version = models.CharField(_("version"), max_length=64, unique=True)
    path = models.CharField(_("file path"), max_length=255, help_text=_("Relative to ML_MODEL_DIR."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    n_samples = models.PositiveIntegerField(_("training examples"), default=0)
    labels = models.JSONField(_("labels"), default=list, blank=True)
    metrics = models.JSONField(_("metrics"), default=dict, blank=True)
    is_active = models.BooleanField(_("active"), default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("router version")
        verbose_name_plural = _("router versions")
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="ml_single_active_router_version"
            )
        ]

    def __str__(self):
        return f"{self.version}{' (active)' if self.is_active else ''}"

    @property
    def macro_f1(self):
        value = (self.metrics or {}).get("macro_f1")
        return float(value) if isinstance(value, (int, float)) else None

    def activate(self):
        """Make this the only active version (other processes notice within the re-check interval)."""
        with transaction.atomic():
            # Lock the rows involved so two concurrent activations serialise (PostgreSQL).
            list(RouterVersion.objects.select_for_update().filter(Q(is_active=True) | Q(pk=self.pk)))
            RouterVersion.objects.filter(is_active=True).exclude(pk=self.pk).update(is_active=False)
            RouterVersion.objects.filter(pk=self.pk).update(is_active=True)
        self.is_active = True
        from . import store

        # After commit (at once outside a transaction): never serve a version rolled back.
        transaction.on_commit(store.clear_cache)
