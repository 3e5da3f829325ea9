"""The dashboard's staff pages, mounted at /staff/dashboard/ by config.urls (under /staff/,
so they are private pages: never cached, see config.middleware)."""

from django.urls import path

from . import staff_views

app_name = "staff_dashboard"
urlpatterns = [
    path("performance/", staff_views.performance, name="performance"),
]
