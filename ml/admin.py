from django.contrib import admin

from .models import RouterVersion


@admin.register(RouterVersion)
class RouterVersionAdmin(admin.ModelAdmin):
    list_display = ("version", "is_active", "n_samples", "macro_f1", "created_at")
    list_filter = ("is_active",)
    readonly_fields = ("version", "path", "created_at", "n_samples", "labels", "metrics", "is_active")
    actions = ["activate_selected"]

    @admin.display(description="macro-F1")
    def macro_f1(self, obj):
        value = obj.macro_f1
        return f"{value:.3f}" if value is not None else "—"

    @admin.action(description="Activate the selected version")
    def activate_selected(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Select exactly one version to activate.", level="error")
            return
        version = queryset.get()
        version.activate()
        self.message_user(request, f"Activated {version.version}.")
