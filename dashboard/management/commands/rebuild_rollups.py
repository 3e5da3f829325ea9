"""Recompute the dashboard's facts and rollups from scratch (complaints + audit events)."""

import time

from django.core.management.base import BaseCommand

from dashboard import rollups


class Command(BaseCommand):
    help = "Recompute every dashboard rollup from the complaints table and the audit events."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=5000)

    def handle(self, *args, **options):
        started = time.monotonic()
        total = rollups.rebuild(batch_size=options["batch_size"],
                                stdout=self.stdout if options["verbosity"] > 1 else None)
        self.stdout.write(self.style.SUCCESS(
            f"Rebuilt dashboard rollups from {total} complaints in {time.monotonic() - started:.1f} s."))
