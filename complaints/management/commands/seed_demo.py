"""Load the demo city: units, categories, SLA policies, one user per role, and a few
hundred complaints over the last 120 days, driven through the real transitions so that
every timestamp, audit event and figure is what the product itself would have produced.

Idempotent: running it again updates the reference data and adds nothing twice.
"""

import datetime as dt
import random
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from areas import loading as areas_loading
from areas.models import Area, Level
from complaints.management import demo_data as D
from complaints.lifecycle.filing import file_complaint
from complaints.models import Complaint, Notification, ResponseTemplate, State
from complaints.permissions import ActorRef
from complaints.lifecycle.engine import perform
from complaints.lifecycle.errors import TransitionError
from ml.text import mask_personal_data
from routing import calendar
from routing.models import Category, Membership, SLAPolicy, Unit

DEMO_PASSWORD = "aduan-demo"
DEMO_TOTP_SECRET = D.DEMO_TOTP_SECRET
# (username, global groups, unit memberships, superuser)
ROLE_USERS = [
    ("admin", ["admin"], [], True),
    ("triage", ["triage"], [], False),
    ("officer", [], [("DPU-JALAN", "officer")], False),
    ("supervisor", [], [("DPU", "supervisor")], False),
    ("oversight", ["oversight"], [("INSPEKTORAT", "supervisor")], False),
    ("privacy", ["privacy_officer"], [], False),
    ("citizen", [], [], False),
]
# How quickly each unit answers, as a multiplier of the typical delay (1 = typical).
UNIT_SPEED = {
    "DUKCAPIL": 0.5, "PDAM": 0.7, "DLH-KEBERSIHAN": 0.8, "DISHUB": 1.0, "SATPOLPP": 0.9,
    "DPU-JALAN": 1.8, "DPU-DRAINASE": 1.5, "DPU": 1.4, "DINKES": 1.1, "RSUD": 1.2,
    "DISDIK": 1.3, "DLH": 1.2, "DINSOS": 2.0, "PEMKOT": 0.6, "INSPEKTORAT": 2.5,
}


class Command(BaseCommand):
    help = "Load demo units, categories, users and complaints (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--complaints", type=int, default=len(D.COMPLAINTS),
                            help="How many demo complaints to file (default: all).")
        parser.add_argument("--days", type=int, default=120)
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--allow-production", action="store_true",
                            help="Create the demo accounts even with DEBUG off.")

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError("seed_demo creates accounts with a published password; "
                               "run it with DEBUG=1 or pass --allow-production.")
        with transaction.atomic():
            units = self.load_reference_data()
            self.areas = self.load_areas()
            users = self.load_users(units)
            enrolled = self.load_demo_devices(users)
        added = self.load_complaints(users, options)
        # The history "happened" in the past: its e-mails (receipts, replies) are not sent
        # now to made-up addresses, they would only flood the console of a first `make run`.
        Notification.objects.filter(complaint__idempotency_key__startswith="demo-",
                                    status=Notification.Status.PENDING).delete()
        self.stdout.write(self.style.SUCCESS(
            f"Demo data ready: {Unit.objects.count()} units, {Category.objects.count()} categories, "
            f"{Complaint.objects.count()} complaints ({added} new). Demo password: {DEMO_PASSWORD}"
        ))
        self.stdout.write(
            f"Two-step sign-in for {', '.join(enrolled)}: TOTP secret {DEMO_TOTP_SECRET} "
            f"(add it to an authenticator app, or run `make otp` for the current code)."
        )

    # --- reference data -------------------------------------------------------------
    def load_reference_data(self):
        units = {}
        for row in D.UNITS:
            units[row["code"]], _ = Unit.objects.update_or_create(
                code=row["code"],
                defaults={"name_id": row["name_id"], "name_en": row["name_en"], "kind": row["kind"],
                          "parent": units.get(row["parent"]), "active": True},
            )
        policies = {}
        for row in D.SLA_POLICIES:
            policies[row["code"]], _ = SLAPolicy.objects.update_or_create(
                code=row["code"],
                defaults={"name_id": row["name_id"], "name_en": row["name_en"],
                          "triage_target": row["triage_days"], "response_target": row["response_days"],
                          **{f"resolution_{k}": v for k, v in D.RESOLUTION_CLASSES.items()}},
            )
        for row in D.CATEGORIES:
            Category.objects.update_or_create(
                code=row["code"],
                defaults={"name_id": row["name_id"], "name_en": row["name_en"],
                          "description_id": row["description_id"], "description_en": row["description_en"],
                          "keywords": ", ".join(row["keywords"]), "default_unit": units[row["unit"]],
                          "sla_policy": policies[row["sla"]], "resolution_class": row["resolution_class"],
                          "sensitive": row["sensitive"], "location_required": row["location_required"]},
            )
        if not ResponseTemplate.objects.exists():
            labels = dict(ResponseTemplate.choices_for("reject"))
            rows = [{"name": str(labels[row["reason"]]), "action": "reject", "choice": row["reason"],
                     "text_id": row["text_id"], "text_en": row["text_en"]} for row in D.REJECT_TEMPLATES]
            for row in rows + D.RESPONSE_TEMPLATES:
                template = ResponseTemplate(**row)
                template.full_clean()
                template.save()
        return units

    def load_users(self, units):
        users = {}
        for username, groups, memberships, superuser in ROLE_USERS:
            user, created = User.objects.get_or_create(
                username=username, defaults={"email": f"{username}@aduan.localhost",
                                             "is_staff": superuser, "is_superuser": superuser})
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            for name in groups:
                user.groups.add(Group.objects.get_or_create(name=name)[0])
            for code, role in memberships:
                Membership.objects.update_or_create(user=user, unit=units[code], defaults={"role": role})
            users[username] = user
        # One officer for every other unit, so that every inbox has someone to work it.
        for code, unit in units.items():
            if code in ("PEMKOT",):
                continue
            username = f"petugas.{code.lower()}"
            user, created = User.objects.get_or_create(
                username=username, defaults={"email": f"{username}@aduan.localhost"})
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            Membership.objects.get_or_create(user=user, unit=unit, defaults={"role": "officer"})
            users[f"unit:{code}"] = user
        users["unit:DPU-JALAN"] = users["officer"]
        users["unit:INSPEKTORAT"] = users["oversight"]
        users["unit:PEMKOT"] = users["supervisor"]  # supervisors of the city see everything below
        Membership.objects.get_or_create(user=users["supervisor"], unit=units["PEMKOT"],
                                         defaults={"role": "supervisor"})
        return users

    def load_demo_devices(self, users):
        """A confirmed TOTP device with the published demo secret for every demo account
        that must use a second factor (accounts.second_factor.required)."""
        import base64

        from django_otp.plugins.otp_totp.models import TOTPDevice

        from accounts import second_factor

        key = base64.b32decode(DEMO_TOTP_SECRET).hex()
        enrolled = []
        for username in sorted({user.username for user in users.values()}):
            user = User.objects.get(username=username)
            if second_factor.required(user):
                TOTPDevice.objects.update_or_create(user=user, name="demo", defaults={"key": key, "confirmed": True})
                enrolled.append(username)
        return enrolled

    # --- history --------------------------------------------------------------------
    def load_areas(self):
        """The demo city's kecamatan and kelurahan with their boundaries (areas/data, made by
        areas/data/make_sukamaju.py); {(kecamatan, kelurahan): code}."""
        data = Path(areas_loading.__file__).resolve().parent / "data"
        areas_loading.load((data / "sukamaju.csv").read_text(encoding="utf-8"),
                           (data / "sukamaju.geojson").read_text(encoding="utf-8"))
        return {(a.parent.name, a.name): a.code
                for a in Area.objects.filter(level=Level.KELURAHAN).select_related("parent")}

    def load_complaints(self, users, options):
        rng = random.Random(options["seed"])
        now = timezone.now()
        rows = D.COMPLAINTS[: options["complaints"]]
        starts = sorted(now - dt.timedelta(days=options["days"]) * rng.random() ** 0.8 for _ in rows)
        added = 0
        for index, (row, start) in enumerate(zip(rows, starts)):
            key = f"demo-{index}"
            if Complaint.objects.filter(idempotency_key=key).exists():
                continue
            with transaction.atomic():
                self.one_complaint(rng, row, start, now, key, users)
            added += 1
        return added

    def one_complaint(self, rng, row, start, now, key, users):
        category = Category.objects.select_related("default_unit").get(code=row["category"])
        mode = rng.choices(["named", "confidential", "anonymous"], [60, 25, 15])[0]
        public = rng.random() < 0.65
        data = {
            "category": category, "title": row["title"], "description": row["description"],
            "kind": row["kind"], "identity_mode": mode,
            "visibility": "public" if public else "private",
            "reporter_name": rng.choice(["Siti Rahayu", "Budi Santoso", "Dewi Lestari", "Agus Salim",
                                         "Rina Wulandari", "John Miller", "Maria Chen"]),
            "reporter_email": f"warga{rng.randint(100, 999)}@example.com",
            "reporter_phone": f"0812-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
            "address": row.get("address") or "", "latitude": row.get("lat"), "longitude": row.get("lng"),
            "area": self.areas.get((row.get("kecamatan"), row.get("kelurahan"))), "channel": "web",
        }
        filed = file_complaint(data, language=row["language"], idempotency_key=key, now=start)
        c = filed.complaint
        speed = UNIT_SPEED.get(category.default_unit.code, 1.0)
        clock = {"t": start}
        triage = ActorRef.staff(users["triage"])
        lang = row["language"]

        def later(hours):
            clock["t"] = calendar.add_working_time(clock["t"], dt.timedelta(hours=max(0.2, hours)))
            return clock["t"] < now

        def act(action, actor, **args):
            nonlocal c
            c = perform(c, action, actor, now=clock["t"], **args)

        def handler():
            unit = c.responsible_unit.code if c.responsible_unit else category.default_unit.code
            return ActorRef.staff(users.get(f"unit:{unit}", users["supervisor"]))

        try:
            if c.state == State.SUBMITTED:
                if not later(rng.lognormvariate(3.2, 0.9)):  # median ~1 working day
                    return
                roll = rng.random()
                if roll < 0.05:
                    template = rng.choice(D.REJECT_TEMPLATES[:2])
                    act("reject", triage, reason=template["reason"], message=template[f"text_{lang}"])
                    return
                if roll < 0.08:
                    original = (Complaint.objects.filter(category=category, submitted_at__lt=start)
                                .exclude(pk=c.pk).exclude(state=State.DUPLICATE).first())
                    if original:
                        act("mark_duplicate", triage, duplicate_of=original)
                        return
                if roll < 0.14:
                    act("request_info", triage, message="Mohon lengkapi lokasi persisnya (nama jalan, RT/RW)."
                        if lang == "id" else "Please tell us the exact location (street, RT/RW).")
                    if rng.random() < 0.2 or not later(rng.uniform(4, 40)):
                        if clock["t"] >= now or calendar.add_working_days(clock["t"], 10) > now:
                            return
                        clock["t"] = calendar.add_working_days(clock["t"], 10)
                        act("reject", ActorRef.system(), reason="not_enough_information",
                            message=D.REJECT_TEMPLATES[2][f"text_{lang}"])
                        return
                    act("provide_info", ActorRef.citizen(), message="Di depan warung Bu Sri, RT 03/RW 05."
                        if lang == "id" else "In front of the corner shop, RT 03/RW 05.")
                    if not later(rng.uniform(1, 10)):
                        return
                unit = category.default_unit
                misrouted = rng.random() < 0.08
                if misrouted:
                    unit = Unit.objects.exclude(kind="oversight").exclude(pk=unit.pk).order_by("?").first()
                act("triage", triage, unit=unit)
                if public and not category.sensitive:  # publishing is its own, explicit step
                    act("approve_summary", triage, publish=True, public_title=row["title"],
                        public_summary=mask_personal_data(row["description"]))
                if misrouted:
                    if not later(rng.uniform(3, 30)):
                        return
                    act("transfer", handler(), unit=category.default_unit,
                        reason="Bukan kewenangan kami." if lang == "id" else "Not our remit.")
            slow = 1
            if c.state == State.TRIAGED:
                # Some complaints get stuck in a unit: those are the overdue ones dashboards show.
                slow = 6 if rng.random() < 0.12 else 1
                if not later(rng.lognormvariate(3.6, 0.9) * speed * slow):
                    return
                act("start", handler())
                if rng.random() < 0.08 and later(rng.uniform(2, 12)):
                    act("request_info", handler(), message="Boleh kirim foto kondisi terbaru?"
                        if lang == "id" else "Could you send a photo of how it looks now?")
                    if (now - clock["t"]).days < 12 or not later(rng.uniform(3, 30)):
                        return  # still waiting for the citizen
                    act("provide_info", ActorRef.citizen(), message="Sudah saya lampirkan, kondisinya makin parah."
                        if lang == "id" else "Attached; it is getting worse.")
                if rng.random() < 0.5 and later(rng.uniform(2, 20) * speed):
                    act("reply", handler(), body=rng.choice(D.PUBLIC_REPLIES[c.responsible_unit.code][lang]))
            if c.state == State.IN_PROGRESS:
                self.resolve(rng, lambda: c, row, speed * slow, later, act, handler, lang, now, clock)
        except TransitionError as exc:  # a demo path the rules refuse is skipped, not faked
            self.stderr.write(f"{c.tracking_code}: {exc.message}")

    def resolve(self, rng, current, row, speed, later, act, handler, lang, now, clock):
        for _round in range(2):
            if not later(rng.lognormvariate(4.4, 1.0) * speed):
                return
            if row["kind"] in ("feedback", "information_request"):
                outcome = "answered"
            else:
                outcome = rng.choices(["fixed", "partly_fixed", "cannot_fix", "not_our_authority"],
                                      [62, 16, 12, 10])[0]
            texts = D.RESOLUTION_SUMMARIES[current().responsible_unit.code][outcome][lang]
            act("resolve", handler(), outcome=outcome, summary=rng.choice(texts),
                referred_to="Pemerintah Provinsi Jawa Tengah" if outcome == "not_our_authority" else "")
            fate = rng.random()
            if fate < 0.08 and later(rng.uniform(2, 30)):
                act("reopen", ActorRef.citizen(), reason="Masalahnya belum selesai, masih sama seperti kemarin."
                    if lang == "id" else "The problem is still there.")
                continue
            if fate < 0.6:
                if later(rng.uniform(2, 40)):
                    rating = rng.choices([1, 2, 3, 4, 5], [8, 8, 14, 35, 35])[0]
                    act("confirm", ActorRef.citizen(), rating=rating)
                return
            due = current().appeal_due_at
            if due and due <= now:
                clock["t"] = due
                act("auto_close", ActorRef.system())
            return

