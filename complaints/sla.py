"""The SLA sweep: escalation of overdue complaints, auto-closing after the appeal window
and rejecting requests for information left unanswered.

Every step goes through the lifecycle's entry point with the state and version the sweep
saw, so two sweeps running at once produce each escalation exactly once: the second one
gets a conflict and moves on. Escalation alerts are outbox e-mails written in the same
transaction by complaints.staff_notifications (a `complaint_changed` receiver), so an
alert exists exactly when its escalation does. What "overdue" means is declared once, in
complaints.lifecycle.clock.
"""

import logging

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from routing import calendar

from .lifecycle.clock import VERIFICATION_STEP, overdue_q, overdue_steps
from .lifecycle.engine import perform
from .lifecycle.errors import TransitionError
from .lifecycle.states import State
from .models import Complaint
from .permissions import ActorRef

log = logging.getLogger(__name__)

SYSTEM = ActorRef.system("sla-sweep")


def escalation_level(c, now):
    """0, 1 (a due date passed) or 2 (overdue by the same target length again), judged on
    the first overdue step."""
    steps = overdue_steps(c, now)
    if not steps:
        return 0
    step = steps[0]
    policy = c.category.sla_policy
    second = calendar.add_target(getattr(c, step.due), step.target(policy, c.category), policy.time_unit)
    return 2 if now >= second else 1


def verification_escalation_level(c, now):
    """The same levels for the verifier's clock (VERIFICATION_STEP): 1 once
    verification_due_at passed, 2 when late by the category's verification target again
    (always working days, whatever the unit's SLA policy counts in)."""
    if c.state != State.VERIFYING or c.verified_at is not None or c.verification_due_at is None \
            or now <= c.verification_due_at:
        return 0
    second = calendar.add_working_days(c.verification_due_at, c.category.verification_target_days)
    return 2 if now >= second else 1


class Sweep:
    """One pass over the complaints whose clocks need the system:

    1. escalate complaints whose first overdue step reached a higher level,
       and verifications (the verifier's clock, not the unit's) that did,
    2. close resolved complaints whose appeal window has passed,
    3. reject requests for information left unanswered past their deadline.

    Each step is a transition with the version the sweep read (perform's conditional
    check under the row lock), so concurrent sweeps never do one twice."""

    def __init__(self, now=None, batch=500):
        self.now = now or timezone.now()
        self.batch = batch
        self.counts = {"escalated": 0, "auto_closed": 0, "rejected": 0}

    def run(self):
        self.escalate_overdue()
        self.escalate_overdue_verification()
        self.close_after_appeal_window()
        self.reject_unanswered()
        return self.counts

    def escalate_overdue(self):
        # Only complaints with a due date already behind them: the sweep runs every minute
        # and must not read every open complaint each time.
        candidates = (Complaint.objects.filter(overdue_q(self.now), escalation_level__lt=2)
                      .select_related("category", "category__sla_policy").order_by("pk"))
        for c in candidates.iterator(chunk_size=self.batch):
            level = escalation_level(c, self.now)
            if level > c.escalation_level and self._attempt(
                    c, "escalate", level=level, due=overdue_steps(c, self.now)[0].name):
                self.counts["escalated"] += 1

    def escalate_overdue_verification(self):
        # A resolution no verifier confirmed in time: the alert goes to those who may
        # verify it (supervisors above the unit when its own is the resolver), then to
        # oversight. Bounded by the complaints in `verifying` (index state, submitted_at).
        candidates = (Complaint.objects.filter(overdue_q(self.now, (VERIFICATION_STEP,)),
                                               verification_escalation_level__lt=2)
                      .select_related("category").order_by("pk"))
        for c in candidates.iterator(chunk_size=self.batch):
            level = verification_escalation_level(c, self.now)
            # Only a higher level: the handler checks it again under the row lock, so a
            # second sweep that read the same level is refused there and alerts nobody.
            if level > c.verification_escalation_level and self._attempt(
                    c, "escalate", level=level, due=VERIFICATION_STEP.name):
                self.counts["escalated"] += 1

    def close_after_appeal_window(self):
        for c in Complaint.objects.filter(state=State.RESOLVED, appeal_due_at__lte=self.now).order_by("pk"):
            if self._attempt(c, "auto_close"):
                self.counts["auto_closed"] += 1

    def reject_unanswered(self):
        for c in Complaint.objects.filter(state=State.NEEDS_INFO, info_due_at__lte=self.now).order_by("pk"):
            with override(c.language):
                message = _("We did not receive the information we asked for within %(days)d working days, "
                            "so this report is closed. You are welcome to file it again with more details.") % {
                    "days": settings.NEEDS_INFO_TIMEOUT_WORKING_DAYS}
            if self._attempt(c, "reject", reason="not_enough_information", message=message):
                self.counts["rejected"] += 1

    def _attempt(self, c, action, **args):
        try:
            # The version the sweep read: a complaint that changed since (another worker got
            # there first, or a person acted) is a Conflict, and the sweep moves on. The
            # sweep's `now` is the transition's `now`, so the appeal-window check and the
            # event timestamps agree with the moment the sweep judged.
            perform(c.pk, action, SYSTEM, expected_state=c.state, expected_version=c.audit_count,
                    now=self.now, **args)
            return True
        except TransitionError as exc:
            log.info("sweep: %s on %s skipped: %s", action, c.tracking_code, exc.message)
            return False


def sweep(now=None, batch=500):
    """One pass. Returns a dict of counts."""
    return Sweep(now, batch).run()
