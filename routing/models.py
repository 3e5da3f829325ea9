"""Units, memberships, categories, SLA policies and the working-day calendar's exceptions.

This app is the ground floor: it imports nothing from the other Aduan apps.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class BilingualNameMixin:
    """Pick the Indonesian or English text for the active language."""

    def _pick(self, base):
        lang = (get_language() or "id")[:2]
        value = getattr(self, f"{base}_{lang}", "") if lang in ("id", "en") else ""
        return value or getattr(self, f"{base}_id", "") or getattr(self, f"{base}_en", "")

    @property
    def name(self):
        return self._pick("name")


class Unit(BilingualNameMixin, models.Model):
    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Government")
        AGENCY = "agency", _("Agency")
        SUBUNIT = "subunit", _("Sub-unit")
        UTILITY = "utility", _("Public utility")
        OVERSIGHT = "oversight", _("Oversight body")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.AGENCY)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self):
        return f"{self.code} — {self.name}"

    @property
    def is_oversight(self):
        return self.kind == self.Kind.OVERSIGHT

    def clean(self):
        # A unit may not become its own ancestor.
        node = self.parent
        while node is not None:
            if node.pk == self.pk:
                raise ValidationError({"parent": _("A unit cannot be placed under itself.")})
            node = node.parent

    def ancestors(self):
        result, node = [], self.parent
        while node is not None:
            result.append(node)
            node = node.parent
        return result

    def descendant_ids(self):
        """Ids of this unit and every unit below it (one query: a government's unit tree
        is hundreds of rows at most, cheaper to walk in memory than level by level)."""
        children = {}
        for pk, parent in Unit.objects.values_list("pk", "parent_id"):
            children.setdefault(parent, []).append(pk)
        ids, frontier = [self.pk], [self.pk]
        while frontier:
            frontier = [child for pk in frontier for child in children.get(pk, ())]
            ids.extend(frontier)
        return ids

    @classmethod
    def oversight_default(cls):
        return cls.objects.filter(kind=cls.Kind.OVERSIGHT, active=True).order_by("pk").first()


class Membership(models.Model):
    class Role(models.TextChoices):
        OFFICER = "officer", _("Officer")
        SUPERVISOR = "supervisor", _("Supervisor")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.OFFICER)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], name="membership_unique_user_unit")
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.user} @ {self.unit.code} ({self.role})"


class SLAPolicy(BilingualNameMixin, models.Model):
    """Targets for triage, first response and resolution (by resolution class)."""

    class TimeUnit(models.TextChoices):
        WORKING_DAYS = "working_days", _("working days")
        HOURS = "hours", _("hours")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    time_unit = models.CharField(
        _("time unit"), max_length=20, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )
    # Defaults follow LAPOR!/SP4N practice (Perpres 76/2013, PermenPANRB 62/2018).
    triage_target = models.PositiveIntegerField(_("triage target"), default=3)
    response_target = models.PositiveIntegerField(_("first response target"), default=5)
    resolution_light = models.PositiveIntegerField(_("resolution target: light"), default=2)
    resolution_normative = models.PositiveIntegerField(_("resolution target: normative"), default=5)
    resolution_standard = models.PositiveIntegerField(
        _("resolution target: not needing investigation"), default=14
    )
    resolution_investigation = models.PositiveIntegerField(
        _("resolution target: needing investigation"), default=60
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")

    def __str__(self):
        return self.code

    def resolution_target(self, resolution_class):
        return getattr(self, f"resolution_{resolution_class}")


class Category(BilingualNameMixin, models.Model):
    class ResolutionClass(models.TextChoices):
        LIGHT = "light", _("light")
        NORMATIVE = "normative", _("normative")
        STANDARD = "standard", _("not needing investigation")
        INVESTIGATION = "investigation", _("needing investigation")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_id = models.TextField(_("description (Indonesian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    keywords = models.CharField(
        _("keywords"), max_length=500, blank=True, help_text=_("Comma-separated search words.")
    )
    default_unit = models.ForeignKey(
        Unit, verbose_name=_("default unit"), on_delete=models.PROTECT, related_name="categories"
    )
    sla_policy = models.ForeignKey(
        SLAPolicy, verbose_name=_("SLA policy"), on_delete=models.PROTECT, related_name="categories"
    )
    resolution_class = models.CharField(
        _("resolution class"), max_length=20, choices=ResolutionClass.choices,
        default=ResolutionClass.STANDARD,
    )
    sensitive = models.BooleanField(
        _("sensitive"), default=False,
        help_text=_("Abuse of power, corruption, misconduct: handled by oversight only, always private."),
    )
    location_required = models.BooleanField(_("location required"), default=False)
    active = models.BooleanField(_("active"), default=True)
    # UU 27/2022: processing ends when its purpose ends; apply_retention erases the personal
    # data of a complaint this long after it ended (complaints.erasure).
    retention_months = models.PositiveSmallIntegerField(
        _("retention after closing (months)"), default=24,
        help_text=_("Personal data of a complaint is erased this many months after it ended; 0 keeps it."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return f"{self.code} — {self.name}"

    @property
    def description(self):
        return self._pick("description")

    def clean(self):
        if self.sensitive and self.default_unit_id and not self.default_unit.is_oversight:
            raise ValidationError(
                {"default_unit": _("A sensitive category must go to an oversight unit.")}
            )

    @property
    def keyword_list(self):
        return [k.strip() for k in self.keywords.split(",") if k.strip()]


class CalendarDay(models.Model):
    """An exception to the holidays package: an extra day off or a cancelled holiday."""

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(
        _("is a working day"),
        help_text=_("Tick to make a holiday or weekend day a working day; untick for an extra day off."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")

    def __str__(self):
        return f"{self.date} ({'working' if self.is_working_day else 'day off'})"
