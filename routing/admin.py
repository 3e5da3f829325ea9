from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import CalendarDay, Category, Membership, SLAPolicy, Unit


class _KeepsRulesOfItsComplaints(forms.ModelForm):
    """Rules that decide who reads a complaint do not change under the complaints already
    filed: taking complaints out of a sensitive category, one at a time with a reason and the
    unit it is about, is the oversight body's decision (complaints.lifecycle.actions), never an
    administrator's edit of a whole category or unit."""

    def _unchanged_while_it_has_complaints(self, name, message):
        value = self.cleaned_data[name]
        if self.instance.pk is None:
            return value
        stored = type(self.instance).objects.get(pk=self.instance.pk)
        if getattr(stored, name) != value and stored.complaints.exists():
            raise forms.ValidationError(message)
        return value


class UnitForm(_KeepsRulesOfItsComplaints):
    def clean_kind(self):
        kind = self.cleaned_data["kind"]
        stored = Unit.objects.filter(pk=self.instance.pk).first()
        if stored is None or (kind == Unit.Kind.OVERSIGHT) == stored.is_oversight:
            return kind
        return self._unchanged_while_it_has_complaints("kind", _(
            "A unit that holds complaints cannot become or stop being an oversight unit."))


class CategoryForm(_KeepsRulesOfItsComplaints):
    def clean_sensitive(self):
        return self._unchanged_while_it_has_complaints("sensitive", _(
            "This category has complaints: whether it is sensitive cannot change. Oversight "
            "takes a complaint out of a sensitive category one by one, from its page."))


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    form = UnitForm
    list_display = ["code", "name_id", "name_en", "kind", "parent", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["code", "name_id", "name_en"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "role"]
    list_filter = ["role", "unit"]
    search_fields = ["user__username", "unit__code"]
    autocomplete_fields = ["user", "unit"]


@admin.register(SLAPolicy)
class SLAPolicyAdmin(admin.ModelAdmin):
    list_display = ["code", "name_id", "time_unit", "triage_target", "response_target",
                    "resolution_light", "resolution_normative", "resolution_standard",
                    "resolution_investigation"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    form = CategoryForm
    list_display = ["code", "name_id", "name_en", "default_unit", "sla_policy",
                    "resolution_class", "sensitive", "location_required", "retention_months", "active"]
    list_filter = ["sensitive", "location_required", "active", "default_unit"]
    search_fields = ["code", "name_id", "name_en", "keywords"]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "is_working_day", "note"]
