"""Admin: the security log is read-only; sign-in blocks can be lifted (deleted), which is
itself recorded."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import SecurityEvent, SignInThrottle
from .signals import record


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    list_display = ["at", "kind", "username", "ip", "user_agent"]
    list_filter = ["kind"]
    search_fields = ["username", "ip"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SignInThrottle)
class SignInThrottleAdmin(admin.ModelAdmin):
    list_display = ["scope", "username", "ip", "failures", "last_failure_at", "blocked_until"]
    list_filter = ["scope"]
    search_fields = ["username", "ip"]
    readonly_fields = list_display
    actions = ["lift"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Lift the selected sign-in blocks"), permissions=["delete"])
    def lift(self, request, queryset):
        rows = list(queryset)
        for row in rows:
            self._record(request, row)
        queryset.delete()
        self.message_user(request, _("Blocks lifted: %(n)d") % {"n": len(rows)})

    @staticmethod
    def _record(request, row):
        # The administrator who lifted it is the event's user; the blocked name is the detail.
        record(request, SecurityEvent.Kind.BLOCK_LIFTED, user=request.user,
               detail=f"{row.scope} {row.username} {row.ip}")

    def delete_model(self, request, obj):
        self._record(request, obj)
        super().delete_model(request, obj)

    def get_actions(self, request):
        # Deleting through the generic action would skip the security log.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions
