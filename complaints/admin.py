"""Admin: complaints and their events are read-only here; they change only through
transitions (staff pages), so the audit trail stays complete."""

from django.contrib import admin

from .models import ApiKey, Complaint, Event, Notification, RejectTemplate


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EventInline(admin.TabularInline):
    model = Event
    fields = ["seq", "created_at", "action", "from_state", "to_state", "actor_type", "actor_label"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    list_display = ["tracking_code", "state", "kind", "category", "responsible_unit",
                    "submitted_at", "escalation_level"]
    list_filter = ["state", "kind", "category__sensitive", "responsible_unit"]
    search_fields = ["tracking_code"]
    # Reporter identity stays out of the admin: confidential reporters are revealed only
    # through the audited privacy-officer action.
    exclude = ["reporter_name", "reporter_email", "reporter_phone", "reporter_user",
               "access_token_hash", "idempotency_key"]
    inlines = [EventInline]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["kind", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "kind"]
    exclude = ["body", "to_email"]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "created_at", "revoked_at"]
    readonly_fields = ["prefix", "created_at"]
    fields = ["name", "prefix", "created_at", "revoked_at"]
    actions = ["revoke"]

    def save_model(self, request, obj, form, change):
        if not change:
            key, raw = ApiKey.issue(obj.name)
            obj.pk, obj.prefix, obj.key_hash = key.pk, key.prefix, key.key_hash
            self.message_user(request, f"New key for {obj.name} (shown once): {raw}")
            return
        super().save_model(request, obj, form, change)

    @admin.action(description="Revoke the selected keys")
    def revoke(self, request, queryset):
        from django.utils import timezone

        queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


@admin.register(RejectTemplate)
class RejectTemplateAdmin(admin.ModelAdmin):
    list_display = ["reason", "active", "text_id"]
    list_filter = ["reason", "active"]
