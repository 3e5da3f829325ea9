"""URL map of the complaints app: the citizen side, the staff side and Open311 each keep
their own module."""

from django.urls import include, path

from . import views

app_name = "complaints"
urlpatterns = [
    path("", views.home, name="home"),
    path("", include("complaints.citizen.urls")),
    path("", include("complaints.transparency.urls")),
]
