"""Attribute existing history to officers and fill the per-officer rollups (once, after the
migration that added them; safe to run again: it recomputes them from the facts)."""

import time

from django.core.management.base import BaseCommand

from dashboard import rollups


class Command(BaseCommand):
    help = ("Attribute existing first responses and resolutions to the officers who made them (audit "
            "events, else the assignee) and recompute the per-officer rollups. Unit rollups are untouched.")

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=5000)

    def handle(self, *args, **options):
        started = time.monotonic()
        seen, changed = rollups.backfill_officers(
            batch_size=options["batch_size"], stdout=self.stdout if options["verbosity"] > 1 else None)
        self.stdout.write(self.style.SUCCESS(
            f"Per-officer rollups from {seen} complaints with a response or resolution "
            f"({changed} facts newly attributed) in {time.monotonic() - started:.1f} s."))
