"""Admin: complaints, their events, the outbox and the read log are read-only here; they
change only through transitions (staff pages), so the audit trail stays complete.

Nothing in the admin reveals what the staff pages hide. An administrator reads a
complaint as the staff pages let them (complaints.permissions.reads_unmasked: ordinary
complaints like triage, abuse-of-power ones masked); reporter identity, the access token
and the idempotency key never appear; searches match tracking codes only (a search over
the citizen's words would answer "which sensitive complaint mentions this phone number");
outbox recipients are masked. User accounts: see .admin_accounts."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import admin_accounts  # noqa: F401  (registers the staff-account admin)
from . import permissions as perms
from .models import ApiKey, Complaint, Event, Notification, ReadRecord, ResponseTemplate
from .staff.queries import masking
from .staff.queries.estimates import EstimatedPaginator


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EventInline(admin.TabularInline):
    model = Event
    # No data: its free text follows the complaint's masking on the audit page instead.
    fields = ["seq", "created_at", "action", "from_state", "to_state", "actor_type", "actor_label"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


# Free text written by citizens (and staff about them): shown through `_shown`.
FREE_TEXT = ["title", "description", "address", "media_url", "public_title", "public_summary",
             "reject_message", "resolution_summary", "referred_to", "rating_comment"]


def _shown(name, label):
    def shown(self, obj):
        value = getattr(obj, name)
        # Masked unless this page was opened by someone who reads it unmasked (get_object).
        # The staff pages' masking rule (the reporter's stored name too), not a copy of it.
        return value if getattr(obj, "admin_reads_unmasked", False) else masking.mask(obj, value)

    shown.short_description = label
    shown.__name__ = f"shown_{name}"
    return shown


class ComplaintAdmin(ReadOnlyAdmin):
    list_display = ["tracking_code", "state", "kind", "channel", "category", "identity_mode", "visibility",
                    "responsible_unit", "submitted_at", "escalation_level"]
    list_filter = ["state", "kind", "channel", "identity_mode", "category__sensitive", "responsible_unit"]
    search_fields = ["tracking_code"]
    # At a million complaints (issue 16): no whole-table COUNT(*) for "N total" nor for the
    # page count (an estimate past a bound), the row's foreign keys in the same query, and
    # filters whose choices are the units' and states' lists, not counts of complaints.
    show_full_result_count = False
    paginator = EstimatedPaginator
    list_select_related = ["category", "responsible_unit"]
    readonly_fields = [f"shown_{name}" for name in FREE_TEXT]
    fields = ["tracking_code", "kind", "language", "channel", "category", "identity_mode", "visibility",
              *readonly_fields, "latitude", "longitude", "state", "responsible_unit", "subject_unit",
              "declassified_at", "assignee", "duplicate_of", "reject_reason", "outcome", "rating",
              "reopen_count", "escalation_level", "suggested_units", "public_summary_approved_at",
              "submitted_at", "triaged_at", "first_response_at", "resolved_at", "final_resolved_at",
              "closed_at", "updated_at", "triage_due_at", "response_due_at", "resolution_due_at",
              "appeal_due_at", "info_requested_at", "info_due_at", "paused_seconds"]
    inlines = [EventInline]

    def get_object(self, request, object_id, from_field=None):
        complaint = super().get_object(request, object_id, from_field)
        if complaint is not None:
            complaint.admin_reads_unmasked = perms.reads_unmasked(request.user, complaint)
        return complaint

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            ReadRecord.record(request.user, obj, ReadRecord.Page.ADMIN)
        return super().render_change_form(request, context, add, change, form_url, obj)


for _name in FREE_TEXT:
    setattr(ComplaintAdmin, f"shown_{_name}", _shown(_name, Complaint._meta.get_field(_name).verbose_name))
admin.site.register(Complaint, ComplaintAdmin)


def masked_address(address):
    """'s•••@•••.id': whether a row has a recipient and roughly where, never who."""
    if not address:
        return _("(erased)")
    local, _at, domain = address.rpartition("@")
    return f"{local[:1]}•••@•••.{domain.rsplit('.', 1)[-1]}"


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["kind", "complaint", "recipient", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "kind"]
    readonly_fields = ["recipient"]
    fields = ["complaint", "kind", "recipient", "language", "subject", "status", "attempts",
              "next_attempt_at", "claimed_at", "last_error", "created_at", "sent_at", "erase_after_send"]

    @admin.display(description=_("recipient"))
    def recipient(self, obj):
        if obj.to_phone:
            return _("SMS •••")  # a number says who; not even its digits are shown
        return masked_address(obj.to_email)


@admin.register(ReadRecord)
class ReadRecordAdmin(ReadOnlyAdmin):
    list_display = ["at", "complaint", "user", "page", "attachment_pk"]
    list_filter = ["page"]
    search_fields = ["complaint__tracking_code"]


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


@admin.register(ResponseTemplate)
class ResponseTemplateAdmin(admin.ModelAdmin):
    """Texts only (placeholders are checked by the model's clean): no complaint data here."""

    list_display = ["name", "action", "choice", "category", "unit", "active"]
    list_filter = ["action", "active", "category", "unit"]
    search_fields = ["name"]
