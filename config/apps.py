from django.apps import AppConfig


class ProjectConfig(AppConfig):
    """The project package as an app, so that its system checks are registered."""

    name = "config"
    label = "aduan_project"

    def ready(self):
        from . import checks  # noqa: F401
