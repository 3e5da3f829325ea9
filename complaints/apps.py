from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    default_auto_field = 'django.db.models.BigAutoField'
    name = 'complaints'

    def ready(self):
        from . import notifications  # noqa: F401  (connects the citizen e-mail receiver)
        from . import staff_notifications  # noqa: F401  (staff: escalation alerts to supervisors and oversight)
