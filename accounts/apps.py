from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Staff sign-in security"

    def ready(self):
        from . import signals  # noqa: F401  (records sign-ins in the security log)
