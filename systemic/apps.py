from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SystemicConfig(AppConfig):
    """Early warning for oversight and the systemic issues it opens.

    Depends on routing and complaints (and the ml library's text similarity); complaints
    never imports it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "systemic"
    verbose_name = _("Early warning and systemic issues")
