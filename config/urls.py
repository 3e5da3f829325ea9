from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from accounts import urls as accounts_urls
from accounts import views as accounts_views

from . import metrics, views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    # The admin signs in through the same page as staff: throttled, then the second factor.
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True), name="admin_login"),
    path("admin/", admin.site.urls),
    path("accounts/", include(accounts_urls.auth_urlpatterns)),
    path("accounts/", include("accounts.urls")),
    path("open311/v2/", include("complaints.open311.urls")),
    path("staff/security-log/", accounts_views.security_log, name="security_log"),

    path("staff/systemic/", include("systemic.urls")),
    path("staff/dashboard/", include("dashboard.staff_urls")),
    path("staff/", include("complaints.staff.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("", include("complaints.urls")),
]
