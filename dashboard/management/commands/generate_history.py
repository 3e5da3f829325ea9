"""Fill the database with N realistic complaints over several years, for benchmarks.

Generated complaints are benchmark data: their lives are drawn at once with numpy
(dashboard.management.history), then the complaints, their dashboard facts and the rollup sums are
written in one transaction (COPY on PostgreSQL). They bypass the transition entry point and
its audit chain, so they have no audit events. They are marked with an idempotency key
"gen-<seed>-<n>" and carry no personal data or real text. The shape: weekly and yearly
seasonality and growth, unit-dependent response times, a share stuck and overdue, rejected
(some as spam), duplicates, reopened after resolution, ratings.
"""

import time

import numpy as np
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from complaints.models import Complaint
from dashboard import rollups
from dashboard.management import history
from routing.models import Category, Unit


class Command(BaseCommand):
    help = "Generate N realistic benchmark complaints over several years (bulk, no audit events)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--years", type=float, default=4.0)
        parser.add_argument("--batch-size", type=int, default=50000, help="rows per COPY/INSERT batch")

    def handle(self, *args, **options):
        count, seed, years = options["count"], options["seed"], options["years"]
        if count < 1:
            raise CommandError("--count must be at least 1.")
        if not 0.05 <= years <= 20:
            raise CommandError("--years must be between 0.05 and 20.")
        if Complaint.objects.filter(idempotency_key=f"gen-{seed}-0").exists():
            raise CommandError(f"History with seed {seed} is already in this database; use another --seed.")
        started = time.monotonic()
        if not Category.objects.exists():
            from complaints.management.commands.seed_demo import Command as Seed

            with transaction.atomic():
                Seed().load_reference_data()
        categories = list(Category.objects.select_related("sla_policy").filter(active=True).order_by("pk"))
        if not categories:
            raise CommandError("No active categories: run seed_demo or create categories first.")
        units = list(Unit.objects.filter(active=True).exclude(kind=Unit.Kind.OVERSIGHT).order_by("pk"))
        rng = np.random.default_rng(seed)
        now = int(timezone.now().timestamp())

        def step(label):
            self.stdout.write(f"  {label} ({time.monotonic() - started:.1f} s)")

        arrays, clock = history.draw(rng, count, now, years, categories, units, Unit.oversight_default())
        codes = history.tracking_codes(rng, count, Complaint.objects.values_list("tracking_code", flat=True))
        facts = history.facts(arrays, clock)
        step(f"drew {count} complaints")
        daily, opened = history.count_rows(arrays, facts, clock)
        blobs = history.histogram_blobs(arrays, facts, clock)
        step(f"summed {len(daily)} daily counter rows and {len(blobs)} histograms")
        batch = options["batch_size"]
        with transaction.atomic():
            ids = history.reserve_ids(count)
            history.write_complaints(ids, arrays, codes, seed, 0, batch)
            step("wrote complaints")
            history.write_facts(ids, arrays, facts, batch)
            step("wrote facts")
            with connection.cursor() as cursor:
                rollups.write_counts(cursor, daily)
                if opened:
                    rollups.write_open(cursor, opened)
            rollups.write_histogram_blobs(blobs)
            step("wrote rollups")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # fresh statistics for the planner
                cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS(
            f"Generated {count} complaints in {time.monotonic() - started:.1f} s."))
