from django.contrib import admin

from .models import Area


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
    exclude = ("boundary",)  # loaded with the list (manage.py load_areas), too large to edit here
    readonly_fields = ("min_lat", "max_lat", "min_lng", "max_lng")
