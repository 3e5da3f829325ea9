"""Fill the database with N realistic complaints over several years, for benchmarks.

Generated complaints are benchmark data: they are written in bulk (complaints, dashboard
facts and rollups together, batch by batch, in time order) and bypass the transition
entry point and its audit chain, so they have no audit events. They are marked with an
idempotency key "gen-<seed>-<n>" and carry no personal data or real text. The shape:
weekly and yearly seasonality, unit-dependent response times, a share stuck and overdue,
rejected (some as spam), duplicates, reopened after resolution, ratings.
"""

import datetime as dt
import math
import random
import time
from collections import Counter

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from complaints.models import Complaint, Kind, Outcome, State
from dashboard import rollups
from dashboard.models import ComplaintFact
from dashboard.worktime import add_working_seconds
from routing.models import Category, Unit

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
DAY = 86400


class Command(BaseCommand):
    help = "Generate N realistic benchmark complaints over several years (bulk, no audit events)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--years", type=float, default=4.0)
        parser.add_argument("--batch-size", type=int, default=10000)

    def handle(self, *args, **options):
        started = time.monotonic()
        if not Category.objects.exists():
            from complaints.management.commands.seed_demo import Command as Seed

            with transaction.atomic():
                Seed().load_reference_data()
        rng = random.Random(options["seed"])
        count, seed = options["count"], options["seed"]
        categories = list(Category.objects.select_related("sla_policy", "default_unit").filter(active=True))
        oversight = Unit.oversight_default()
        units = list(Unit.objects.filter(active=True).exclude(kind="oversight"))
        # Each unit has its own pace (a multiplier of the typical delay), fixed by the seed.
        speed = {u.pk: rng.choice([0.5, 0.7, 0.9, 1.0, 1.2, 1.5, 2.0, 2.5]) for u in units}
        if oversight:
            speed[oversight.pk] = 2.5
        weights = [0.3 if c.sensitive else 1.0 + rng.random() * 3 for c in categories]
        now = timezone.now()
        span = options["years"] * 365.25 * DAY
        times = sorted(self.submission_moment(rng, now, span) for _ in range(count))
        codes = set(Complaint.objects.values_list("tracking_code", flat=True))
        done = 0
        for offset in range(0, count, options["batch_size"]):
            chunk = times[offset:offset + options["batch_size"]]
            rows = [self.complaint(rng, seed, offset + i, at, now, categories, weights, units, oversight, speed, codes)
                    for i, at in enumerate(chunk)]
            with transaction.atomic():
                Complaint.objects.bulk_create(rows, batch_size=2000)
                facts = [rollups.build_fact(c, {"triage": c.responsible_unit_id, "response": c.responsible_unit_id,
                                                "resolution": c.responsible_unit_id}) for c in rows]
                ComplaintFact.objects.bulk_create(facts, batch_size=5000)
                counts, bins = Counter(), Counter()
                rollups.add_contributions(facts, counts, bins)
                rollups.write_sums(counts, bins)
            done += len(rows)
            self.stdout.write(f"  {done}/{count} complaints ({time.monotonic() - started:.0f} s)")
        self.stdout.write(self.style.SUCCESS(
            f"Generated {done} complaints in {time.monotonic() - started:.1f} s."))

    @staticmethod
    def submission_moment(rng, now, span):
        # Rejection sampling: busier in the rainy season (Nov–Mar), quieter on weekends,
        # and growing over the years as the service becomes known.
        while True:
            back = rng.random() * span
            moment = now - dt.timedelta(seconds=back)
            yearly = 1 + 0.35 * math.cos(2 * math.pi * (moment.timetuple().tm_yday - 15) / 365.25)
            weekly = 0.45 if moment.weekday() >= 5 else 1.0
            growth = 0.5 + 0.5 * (1 - back / span)
            if rng.random() * 1.35 < yearly * weekly * growth:
                return moment.replace(hour=rng.choice([7, 8, 9, 10, 11, 13, 14, 15, 16, 19, 21]),
                                      minute=rng.randrange(60))

    def complaint(self, rng, seed, n, at, now, categories, weights, units, oversight, speed, codes):
        if at > now:
            at = now - dt.timedelta(minutes=1)
        category = rng.choices(categories, weights)[0]
        policy = category.sla_policy
        unit = oversight if (category.sensitive and oversight) else category.default_unit
        while True:
            code = "ADU-" + "".join(rng.choice(CODE_ALPHABET) for _ in range(4)) + "-" + \
                   "".join(rng.choice(CODE_ALPHABET) for _ in range(4))
            if code not in codes:
                codes.add(code)
                break
        kind = rng.choices([Kind.COMPLAINT, Kind.FEEDBACK, Kind.INFORMATION_REQUEST], [80, 12, 8])[0]

        def due(start, amount):
            if policy.time_unit == "hours":
                return start + dt.timedelta(hours=amount)
            return add_working_seconds(start, amount * DAY)

        def after(start, median_hours, sigma=0.9):
            return start + dt.timedelta(hours=rng.lognormvariate(math.log(median_hours), sigma))

        c = dict(
            tracking_code=code, access_token_hash="", kind=kind, language=rng.choice(["id", "id", "en"]),
            idempotency_key=f"gen-{seed}-{n}", title=f"[generated] {category.code}",
            description="Generated benchmark complaint: no real text.", category=category,
            identity_mode="anonymous", visibility="public" if rng.random() < 0.6 else "private",
            created_at=at, submitted_at=at, updated_at=at, triage_due_at=due(at, policy.triage_target),
            state=State.SUBMITTED,
        )
        pace = speed.get(unit.pk, 1.0) * (6 if rng.random() < 0.1 else 1)  # 10 % get stuck
        roll = rng.random()
        triaged = after(at, 20)
        if roll < 0.05:  # rejected at triage, a fifth of them as spam
            if triaged <= now:
                c.update(state=State.REJECTED, updated_at=triaged, reject_reason="spam" if roll < 0.01 else "out_of_scope")
            return Complaint(**c)
        if roll < 0.08:
            if triaged <= now:
                c.update(state=State.DUPLICATE, updated_at=triaged)
            return Complaint(**c)
        if triaged > now:
            return Complaint(**c)
        resolution_target = policy.resolution_target(category.resolution_class)
        c.update(state=State.TRIAGED, responsible_unit=unit, triaged_at=triaged, updated_at=triaged,
                 response_due_at=due(triaged, policy.response_target),
                 resolution_due_at=due(triaged, resolution_target))
        responded = after(triaged, 30 * pace)
        if responded > now:
            return Complaint(**c)
        c.update(state=State.IN_PROGRESS, first_response_at=responded, updated_at=responded)
        resolved = after(responded, 24 * resolution_target * 0.5 * pace, 1.0)
        if resolved > now:
            return Complaint(**c)
        outcome = Outcome.ANSWERED if kind != Kind.COMPLAINT else rng.choices(
            [Outcome.FIXED, Outcome.PARTLY_FIXED, Outcome.CANNOT_FIX, Outcome.NOT_OUR_AUTHORITY], [62, 16, 12, 10])[0]
        c.update(state=State.RESOLVED, resolved_at=resolved, final_resolved_at=resolved, updated_at=resolved,
                 outcome=outcome, appeal_due_at=add_working_seconds(resolved, 10 * DAY))
        if rng.random() < 0.06:  # reopened on appeal, resolved again later
            again = after(resolved, 24 * 7 * pace)
            c.update(reopen_count=1, state=State.IN_PROGRESS, updated_at=again)
            if again > now:
                return Complaint(**c)
            c.update(state=State.RESOLVED, final_resolved_at=again, updated_at=again,
                     appeal_due_at=add_working_seconds(again, 10 * DAY))
        closing = c["appeal_due_at"]
        if rng.random() < 0.55:
            closing = after(c["final_resolved_at"], 48)
            if closing <= now:
                c["rating"] = rng.choices([1, 2, 3, 4, 5], [8, 8, 14, 35, 35])[0]
        if closing <= now:
            c.update(state=State.CLOSED, closed_at=closing, updated_at=closing)
        return Complaint(**c)
