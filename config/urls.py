from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("open311/v2/", include("complaints.open311.urls")),
    path("staff/systemic/", include("systemic.urls")),
    path("staff/", include("complaints.staff.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("", include("complaints.urls")),
]
