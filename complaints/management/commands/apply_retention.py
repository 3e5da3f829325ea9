"""Erase the personal data of complaints past their category's retention period
(complaints.retention); the worker runs it daily."""

from django.core.management.base import BaseCommand

from complaints.retention import apply_retention


class Command(BaseCommand):
    help = ("Erase the personal data of ended complaints past their category's retention period, "
            "then retrain the router without them and delete its older versions.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what would be erased; change nothing.")

    def handle(self, *args, dry_run=False, **options):
        counts = apply_retention(dry_run=dry_run)
        if dry_run:
            self.stdout.write(f"Dry run: {counts['due']} complaints would have their personal data erased; "
                              f"{counts['router_versions_deleted']} router versions would be replaced.")
            return
        self.stdout.write(f"{counts['erased']} of {counts['due']} complaints due had their personal data erased"
                          f" ({counts['skipped']} skipped: changed since, see the log); router: "
                          f"{counts['router_retrained']} version trained, "
                          f"{counts['router_versions_deleted']} older versions deleted.")
