"""Create an Open311 API key (printed once: only its hash is stored), or revoke one."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from complaints.models import ApiKey


class Command(BaseCommand):
    help = "Create an Open311 API key named NAME and print it once, or revoke it with --revoke."

    def add_arguments(self, parser):
        parser.add_argument("name", help="Who the key is for, e.g. the client application.")
        parser.add_argument("--revoke", action="store_true", help="Revoke the key with this name.")

    def handle(self, name, revoke=False, **options):
        if revoke:
            updated = ApiKey.objects.filter(name=name, revoked_at__isnull=True).update(
                revoked_at=timezone.now())
            if not updated:
                raise CommandError(f"No active API key named {name!r}.")
            self.stdout.write(f"Revoked the API key {name!r}.")
            return
        if ApiKey.objects.filter(name=name).exists():
            raise CommandError(f"An API key named {name!r} already exists; choose another name.")
        _key, raw = ApiKey.issue(name)
        self.stderr.write(f"API key for {name!r} (shown only now; store it safely):")
        self.stdout.write(raw)
