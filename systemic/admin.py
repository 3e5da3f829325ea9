"""Admin: read-only. Warnings and issues change only through the oversight pages, so every
step of an issue stays in its event table."""

from django.contrib import admin

from .models import EarlyWarning, SystemicIssue, SystemicIssueEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(EarlyWarning)
class EarlyWarningAdmin(ReadOnlyAdmin):
    list_display = ["kind", "status", "series_key", "period_start", "period_end", "observed", "expected", "sensitive"]
    list_filter = ["kind", "status", "sensitive"]


class EventInline(admin.TabularInline):
    model = SystemicIssueEvent
    fields = ["seq", "created_at", "kind", "from_state", "to_state", "actor_label"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SystemicIssue)
class SystemicIssueAdmin(ReadOnlyAdmin):
    list_display = ["pk", "title", "state", "unit", "due_at", "sensitive"]
    list_filter = ["state", "sensitive"]
    exclude = ["complaints"]
    inlines = [EventInline]
