"""URL map of the complaints app: the citizen side, the staff side and Open311 each keep
their own module."""

from django.urls import include, path

from . import views
from .intake import sms

app_name = "complaints"
urlpatterns = [
    path("", views.home, name="home"),
    # The SMS gateway's webhook (signed, no session): complaints.intake.sms.
    path("intake/sms/", sms.webhook, name="intake_sms"),
    path("", include("complaints.citizen.urls")),
    path("", include("complaints.transparency.urls")),
]
