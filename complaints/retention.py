"""Retention (UU 27/2022; issue 18 item 3): once a complaint has ended, its personal data is
kept for its category's `retention_months` (0 keeps it), then erased (complaints.erasure).
`manage.py apply_retention [--dry-run]` runs a pass; the worker runs one a day
(:func:`run_if_due`).

Personal text also lives in derived data, which a pass cleans after erasing:

- the router's model files: a version trained before the erasure of a complaint it learned
  from holds its words in its TF-IDF vocabulary. Such versions are replaced by a version
  trained now (the erased complaints have no text left, so they are not examples) and then
  deleted with their files. When no new version can be trained (too little data), they are
  deleted all the same: no suggestions is better than keeping erased words.
- the similarity of possible duplicates (complaints.similar) is computed from the complaints'
  current text on every request and stores nothing: erased text is gone from it at once.
- full-text search (migration 0011, PostgreSQL) indexes only the approved public title and
  summary, which erasure keeps; the database keeps its expression index current itself.
"""

import calendar
import datetime as dt
import logging

from django.conf import settings
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db.models import F, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from ml import store
from ml.models import RouterVersion
from ml.schedule import LOCK as RETRAIN_LOCK
from routing.models import Category

from .erasure import ErasureReason, do_erase_personal_data
from .lifecycle.errors import TransitionError
from .lifecycle.states import TERMINAL_STATES
from .models import Complaint, Event, InboundMessage
from .permissions import ActorRef

log = logging.getLogger(__name__)

ACTOR = ActorRef.system("retention")
DAY_KEY = "aduan:retention:{date}"


def months_before(moment, months):
    """`moment` minus whole calendar months (the 31st becomes the month's last day)."""
    month = moment.month - 1 - months
    year, month = moment.year + month // 12, month % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def ended_at():
    """When a complaint entered its ended state: closed_at for a closed one, else the time
    of the event that took it there (rejected, duplicate, withdrawn have no field of their own)."""
    entered = (Event.objects.filter(complaint=OuterRef("pk"), to_state=OuterRef("state"))
               .order_by("-seq").values("created_at")[:1])
    return Coalesce(F("closed_at"), Subquery(entered))


def due(now):
    """The complaints whose personal data is due for erasure at `now`: ended (never open:
    a complaint on appeal is open again), not yet erased, ended longer ago than their
    category's retention period (categories with 0 keep theirs)."""
    found = Complaint.objects.none()
    for category in Category.objects.filter(retention_months__gt=0).only("pk", "retention_months"):
        cutoff = months_before(now, category.retention_months)
        found |= (Complaint.objects.filter(category=category, state__in=TERMINAL_STATES,
                                           personal_data_erased_at__isnull=True)
                  .annotate(ended=ended_at()).filter(ended__lte=cutoff))
    return found.order_by("pk")


def learned_from(complaints):
    """Those of `complaints` the router learns from (complaints.training.training_examples'
    filter, on fields erasure keeps)."""
    return (complaints.filter(triaged_at__isnull=False, responsible_unit__isnull=False, category__sensitive=False)
            .exclude(responsible_unit__kind="oversight"))


def training_erased_since():
    """The latest erasure of a complaint the router may have learned from, or None."""
    return (learned_from(Complaint.objects.filter(personal_data_erased_at__isnull=False))
            .aggregate(latest=Max("personal_data_erased_at"))["latest"])


class Retention:
    """One pass:

    1. find the complaints due (:func:`due`): ended, past their category's period;
    2. erase each through the lifecycle (erasure.do_erase_personal_data), one transaction
       per complaint: under the row lock the action's own rules are checked again, so a
       complaint reopened on appeal since step 1, or erased by another worker, is refused
       (counted as skipped, with why in the log) rather than erased;
    3. replace the router versions that learned from an erased complaint: train a new one
       without them, then delete the old ones and their files.

    With `dry_run`, steps 2 and 3 only count what they would do. Counts, never personal values.
    """

    def __init__(self, now=None, dry_run=False):
        self.now = now or timezone.now()
        self.dry_run = dry_run
        self.due_learned_from = False
        self.counts = {"due": 0, "erased": 0, "skipped": 0, "router_versions_deleted": 0,
                       "router_retrained": 0}

    def run(self):
        candidates = self.find_due()
        self.erase(candidates)
        self.replace_router_versions()
        self.counts["inbound_messages_deleted"] = purge_inbound_messages(self.now, self.dry_run)
        return self.counts

    def find_due(self):
        found = due(self.now)
        candidates = list(found.values_list("pk", "tracking_code"))
        self.counts["due"] = len(candidates)
        self.due_learned_from = bool(candidates) and learned_from(found).exists()
        return candidates

    def erase(self, candidates):
        if self.dry_run:
            return
        for pk, code in candidates:
            try:
                do_erase_personal_data(pk, acting_user=ACTOR, reason=ErasureReason.RETENTION)
                self.counts["erased"] += 1
            except TransitionError as exc:
                log.info("retention: %s skipped: %s", code, exc.message)
                self.counts["skipped"] += 1

    def stale_router_versions(self):
        """Versions written before the latest erasure of a complaint the router learns from."""
        erased = training_erased_since()
        if erased is None:
            return RouterVersion.objects.none()
        return RouterVersion.objects.filter(created_at__lte=erased)

    def replace_router_versions(self):
        if self.dry_run:
            # What a real pass would replace: after its own erasures, every version if one of
            # them was an example, else those older than an earlier erasure.
            would = RouterVersion.objects.all() if self.due_learned_from else self.stale_router_versions()
            self.counts["router_versions_deleted"] = would.count()
            return
        stale = list(self.stale_router_versions())
        if not stale:
            return
        # One trainer at a time (the scheduled retraining takes the same lock).
        if not cache.add(RETRAIN_LOCK, "1", timeout=3600):
            log.info("retention: the router is being trained elsewhere; its old versions go on the next pass")
            return
        try:
            try:
                # Activated unconditionally: the versions it would be compared with go now.
                call_command("train_router", "--activate", stdout=_Quiet(), stderr=_Quiet())
                self.counts["router_retrained"] = 1
            except CommandError as exc:
                log.warning("retention: no router version could be trained (%s); "
                            "the old versions are deleted all the same", exc)
            for record in stale:
                store.delete_version(record)
                self.counts["router_versions_deleted"] += 1
        finally:
            cache.delete(RETRAIN_LOCK)


def purge_inbound_messages(now, dry_run=False):
    """Delete the e-mails no complaint took (ignored, refused, unreadable, throttled) once
    INTAKE_MAIL_RETENTION_DAYS have passed since they arrived (the privacy rule
    "inbound_mail"); those a complaint took go with its personal data (erasure)."""
    old = InboundMessage.objects.filter(
        complaint__isnull=True, received_at__lt=now - dt.timedelta(days=settings.INTAKE_MAIL_RETENTION_DAYS))
    if dry_run:
        return old.count()
    return old.delete()[0]


class _Quiet:
    """train_router's progress lines, unneeded in the worker's log."""

    def write(self, *args, **kwargs):
        pass

    def flush(self):
        pass


def apply_retention(now=None, dry_run=False):
    return Retention(now, dry_run).run()


# An erasure on request happens between daily passes: its words leave the router's model
# files at the next check, within minutes (one query when nothing is stale).
ROUTER_CHECK_KEY = "retention:router-check"
ROUTER_CHECK_SECONDS = 300


def replace_stale_router_versions():
    """The worker's frequent job: replace the router versions that learned from a complaint
    erased since they were trained (an approved erasure request), as the daily pass does.
    Runs at most every ROUTER_CHECK_SECONDS across workers; returns the counts or None."""
    if not cache.add(ROUTER_CHECK_KEY, "1", timeout=ROUTER_CHECK_SECONDS):
        return None
    retention = Retention()
    if not retention.stale_router_versions().exists():
        return None
    retention.replace_router_versions()
    return retention.counts


def run_if_due(now=None):
    """The worker's daily job: the first worker to claim today's key on the shared cache runs
    the pass (Redis in production; with a per-process cache each worker runs it, which is
    harmless: a pass does nothing twice)."""
    now = now or timezone.now()
    if not cache.add(DAY_KEY.format(date=timezone.localdate(now).isoformat()), "1",
                     timeout=int(dt.timedelta(days=2).total_seconds())):
        return None
    counts = apply_retention(now)
    if counts["erased"] or counts["skipped"] or counts["router_versions_deleted"]:
        log.info("retention: %s", ", ".join(f"{v} {k}" for k, v in counts.items()))
    return counts
