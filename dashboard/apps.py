from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "dashboard"
    verbose_name = _("Public dashboards")

    def ready(self):
        # The dashboard listens to the complaint's domain events; complaints never imports us.
        from complaints.models import Complaint
        from complaints.signals import complaint_changed, complaint_committed

        from . import live, rollups

        def on_changed(sender, complaint, **kwargs):
            rollups.record_change(complaint, kwargs.get("event"))

        def on_committed(sender, complaint, **kwargs):
            live.broadcast(complaint, kwargs.get("action"), kwargs.get("from_state"),
                           kwargs.get("to_state"), kwargs.get("previous"), kwargs.get("now"))

        complaint_changed.connect(on_changed, sender=Complaint, weak=False,
                                  dispatch_uid="dashboard.rollups")
        complaint_committed.connect(on_committed, sender=Complaint, weak=False,
                                    dispatch_uid="dashboard.live")
