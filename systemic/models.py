"""Early warnings (unusual weeks, clusters of similar complaints) and systemic issues.

A warning is evidence, never personal data: counts, the baseline it was measured
against, category/unit ids and the tracking codes of the complaints behind it.
Oversight reads warnings and either dismisses one (with a reason) or turns it into a
systemic issue: a problem behind many complaints that a unit must analyse and answer,
with its own lifecycle (open -> assigned -> answered -> closed) and its own append-only
event table. Issues are seen by oversight and by the assigned unit only.

State changes of an issue happen only through :func:`systemic.issues.act`; the
django-fsm methods below only describe which transition leaves which state.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from routing.models import Unit


class Scan(models.Model):
    """One unit of detection work for the worker (a series to test, the cluster scan, or
    the refresh of the series list), claimed with a conditional UPDATE on ``due_at``."""

    key = models.CharField(max_length=200, unique=True)
    due_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_run_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return self.key


class WarningKind(models.TextChoices):
    SPIKE = "spike", _("Unusual week")
    CLUSTER = "cluster", _("Cluster of similar complaints")


class WarningStatus(models.TextChoices):
    NEW = "new", _("New")
    DISMISSED = "dismissed", _("Dismissed")
    ESCALATED = "escalated", _("Systemic issue opened")


class EarlyWarning(models.Model):
    kind = models.CharField(_("kind"), max_length=10, choices=WarningKind.choices)
    status = models.CharField(_("status"), max_length=10, choices=WarningStatus.choices, default=WarningStatus.NEW)
    # Spikes: the series, e.g. "category+unit:category=3|unit=5" with dimensions
    # {"category": 3, "unit": 5}, or "category+area:category=3|area=2" (area: a kecamatan).
    series_key = models.CharField(max_length=200, blank=True)
    dimensions = models.JSONField(default=dict, blank=True)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    observed = models.PositiveIntegerField(_("complaints"))
    expected = models.FloatField(_("expected"), null=True, blank=True)
    upper = models.FloatField(_("threshold"), null=True, blank=True)
    p_value = models.FloatField(null=True, blank=True)
    method = models.CharField(max_length=200, blank=True)
    # [{"start": "2026-01-05", "count": 4, "expected": 3.1}, ...]: the chart's data.
    series = models.JSONField(default=list, blank=True)
    complaint_codes = models.JSONField(default=list, blank=True)
    category_ids = models.JSONField(default=list, blank=True)
    unit_ids = models.JSONField(default=list, blank=True)
    # The kecamatan of a category x area series; and, for every warning, how many of its
    # complaints lie in each area ({area id: n}), so oversight sees which kelurahan.
    area_ids = models.JSONField(default=list, blank=True)
    area_counts = models.JSONField(default=dict, blank=True)
    sensitive = models.BooleanField(_("includes sensitive complaints"), default=False)
    detected_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    dismiss_reason = models.TextField(_("reason for dismissing"), blank=True)
    issue = models.ForeignKey(
        "SystemicIssue", null=True, blank=True, on_delete=models.PROTECT, related_name="warnings"
    )

    class Meta:
        ordering = ["-detected_at", "-pk"]
        indexes = [models.Index(fields=["kind", "series_key", "period_end"])]
        verbose_name = _("early warning")
        verbose_name_plural = _("early warnings")

    def __str__(self):
        return f"{self.kind} {self.series_key} {self.period_start}..{self.period_end}"

    @property
    def ratio(self):
        return self.observed / self.expected if self.expected else None


class IssueState(models.TextChoices):
    OPEN = "open", _("Open")
    ASSIGNED = "assigned", _("Assigned to a unit")
    ANSWERED = "answered", _("Answered by the unit")
    CLOSED = "closed", _("Closed")


class SystemicIssue(FSMModelMixin, models.Model):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what oversight found"))
    state = FSMField(_("status"), default=IssueState.OPEN, choices=IssueState.choices, protected=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("assigned unit"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="systemic_issues",
    )
    due_at = models.DateTimeField(_("answer due"), null=True, blank=True)
    analysis = models.TextField(_("the unit's analysis"), blank=True)
    measures = models.TextField(_("measures taken or planned"), blank=True)
    closing_note = models.TextField(_("oversight's closing note"), blank=True)
    complaints = models.ManyToManyField("complaints.Complaint", related_name="+", blank=True)
    # Any linked complaint of a sensitive category: then only an oversight unit may hold it.
    sensitive = models.BooleanField(_("includes sensitive complaints"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    assigned_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("systemic issue")
        verbose_name_plural = _("systemic issues")

    def __str__(self):
        return f"#{self.pk} {self.title}"

    @property
    def reference(self):
        return f"SI-{self.pk}"

    # --- the lifecycle (called only by systemic.issues.act) ---------------------------
    @transition(field=state, source=[IssueState.OPEN, IssueState.ASSIGNED], target=IssueState.ASSIGNED)
    def assign(self):
        pass

    @transition(field=state, source=IssueState.ASSIGNED, target=IssueState.ANSWERED)
    def answer(self):
        pass

    @transition(field=state, source=IssueState.ANSWERED, target=IssueState.CLOSED)
    def close(self):
        pass


class SystemicIssueEvent(models.Model):
    """Append-only record of every step of a systemic issue."""

    issue = models.ForeignKey(SystemicIssue, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=20)  # "opened" or a transition name
    from_state = models.CharField(max_length=10, blank=True)
    to_state = models.CharField(max_length=10, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    actor_label = models.CharField(max_length=150)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["issue_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["issue", "seq"], name="systemic_event_unique_seq")]

    def __str__(self):
        return f"{self.issue_id}#{self.seq} {self.kind}"

    @property
    def label(self):
        from .issues import ACTION_LABELS

        return ACTION_LABELS.get(self.kind, self.kind)

    @property
    def to_state_label(self):
        return IssueState(self.to_state).label if self.to_state in IssueState.values else self.to_state

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("Systemic issue events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("Systemic issue events are append-only.")
