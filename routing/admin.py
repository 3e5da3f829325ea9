from django.contrib import admin

from .models import CalendarDay, Category, Membership, SLAPolicy, Unit


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
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
    list_display = ["code", "name_id", "name_en", "default_unit", "sla_policy",
                    "resolution_class", "sensitive", "location_required", "active"]
    list_filter = ["sensitive", "location_required", "active", "default_unit"]
    search_fields = ["code", "name_id", "name_en", "keywords"]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "is_working_day", "note"]
