"""The SLA sweep: escalation of overdue complaints, auto-closing after the appeal window
and rejecting requests for information left unanswered.

Every step goes through the transition entry point with the version the sweep saw, so
two sweeps running at once produce each escalation exactly once: the second one gets a
conflict and moves on. Escalation alerts are outbox e-mails written in the same
transaction by complaints.staff_notifications (a `complaint_changed` receiver), so an
alert exists exactly when its escalation does.
"""

import logging

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from routing import calendar

from .models import Complaint, State
from .permissions import ActorRef
from .transitions import TransitionError, perform

log = logging.getLogger(__name__)

SYSTEM = ActorRef.system("sla-sweep")


ACTIVE_WORK = (State.TRIAGED, State.IN_PROGRESS)


def overdue_q(now):
    """Open complaints whose clock runs and whose current step is past due: the SQL
    counterpart of `overdue_step`. A complaint waiting for the citizen (needs_info) is
    paused, never overdue."""
    return (
        Q(state=State.SUBMITTED, triaged_at__isnull=True, triage_due_at__lt=now)
        | Q(state__in=ACTIVE_WORK, first_response_at__isnull=True, response_due_at__lt=now)
        | Q(state__in=ACTIVE_WORK, resolution_due_at__lt=now)
    )


def overdue_step(c, now):
    """The first SLA step that is overdue now: (name, due, target length) or None."""
    policy = c.category.sla_policy
    steps = []
    if c.state == State.SUBMITTED and c.triaged_at is None:
        steps.append(("triage", c.triage_due_at, policy.triage_target))
    if c.state in (State.TRIAGED, State.IN_PROGRESS):
        if c.first_response_at is None:
            steps.append(("response", c.response_due_at, policy.response_target))
        steps.append(("resolution", c.resolution_due_at,
                      policy.resolution_target(c.category.resolution_class)))
    for name, due, target in steps:
        if due is not None and due < now:
            return name, due, target
    return None


def escalation_level(c, now):
    """0, 1 (a due date passed) or 2 (overdue by the same target length again)."""
    step = overdue_step(c, now)
    if step is None:
        return 0
    _name, due, target = step
    second = calendar.add_target(due, target, c.category.sla_policy.time_unit)
    return 2 if now >= second else 1


def _attempt(c, action, now, **args):
    try:
        # The sweep's `now` is the transition's `now`: the appeal-window check of
        # auto_close and the event timestamps must agree with the moment the sweep judged.
        perform(c.pk, action, SYSTEM, expected_state=c.state, expected_version=c.audit_count,
                now=now, **args)
        return True
    except TransitionError as exc:  # another worker got there first, or the rule changed
        log.info("sweep: %s on %s skipped: %s", action, c.tracking_code, exc.message)
        return False


def sweep(now=None, batch=500):
    """One pass. Returns a dict of counts."""
    now = now or timezone.now()
    counts = {"escalated": 0, "auto_closed": 0, "rejected": 0}
    # Only complaints with a due date already behind them: the sweep runs every minute
    # and must not read every open complaint each time.
    candidates = (
        Complaint.objects.filter(overdue_q(now), escalation_level__lt=2)
        .select_related("category", "category__sla_policy")
        .order_by("pk")
    )
    for c in candidates.iterator(chunk_size=batch):
        level = escalation_level(c, now)
        if level > c.escalation_level:
            step = overdue_step(c, now)
            if _attempt(c, "escalate", now, level=level, due=step[0]):
                counts["escalated"] += 1
    for c in Complaint.objects.filter(state=State.RESOLVED, appeal_due_at__lte=now).order_by("pk"):
        if _attempt(c, "auto_close", now):
            counts["auto_closed"] += 1
    for c in Complaint.objects.filter(state=State.NEEDS_INFO, info_due_at__lte=now).order_by("pk"):
        with override(c.language):
            message = _("We did not receive the information we asked for within %(days)d working days, "
                        "so this report is closed. You are welcome to file it again with more details.") % {
                "days": settings.NEEDS_INFO_TIMEOUT_WORKING_DAYS}
        if _attempt(c, "reject", now, reason="not_enough_information", message=message):
            counts["rejected"] += 1
    return counts
