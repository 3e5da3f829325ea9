"""SLA clocks of the staff pages: a complaint's clocks, a list row's time left, and the
due date a list sorts by. What "overdue" means is complaints.lifecycle.clock's."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, F, Q, When
from django.utils import timezone
from django.utils.translation import gettext as _

from routing.calendar import working_days_left

from ...models import CLOCK_RUNS, State


def with_next_due(queryset):
    """Annotate `next_due`: the due date of the step the complaint waits for now."""
    return queryset.annotate(next_due=Case(
        When(state=State.SUBMITTED, then=F("triage_due_at")),
        # The unit's clocks stopped at its resolve; the verifier's runs.
        When(state=State.VERIFYING, then=F("verification_due_at")),
        When(Q(first_response_at__isnull=True, response_due_at__isnull=False)
             & (Q(resolution_due_at__isnull=True) | Q(response_due_at__lt=F("resolution_due_at"))),
             then=F("response_due_at")),
        default=F("resolution_due_at"),
    ))


@dataclass
class Clock:
    label: str
    due: dt.datetime
    days_left: float | None  # working days; negative when overdue
    done_at: dt.datetime | None = None
    paused: bool = False

    @property
    def overdue(self):
        if self.done_at is not None:
            return self.done_at > self.due
        return not self.paused and self.days_left is not None and self.days_left < 0

    @property
    def days_late(self):
        """Working days between the due date and when the step was done (0 when on time)."""
        if self.done_at is None or self.done_at <= self.due:
            return 0
        return -working_days_left(self.due, self.done_at)

    @property
    def days_overdue(self):
        return -self.days_left if self.days_left is not None else None


def clocks(c, now=None):
    """The complaint's SLA clocks for the complaint page: a step done shows when it
    finished; an ended complaint (rejected, a duplicate, withdrawn, closed) has no clock
    running for the steps it never reached."""
    now = now or timezone.now()
    paused = c.state == State.NEEDS_INFO
    ended = c.has_ended
    result = []

    def add(label, due, done_at):
        if due is None or (ended and done_at is None):
            return
        left = None if done_at else working_days_left(due, now)
        result.append(Clock(label, due, left, done_at, paused=paused and done_at is None))

    add(_("Triage"), c.triage_due_at, c.triaged_at)
    add(_("First response"), c.response_due_at, c.first_response_at)
    add(_("Resolution"), c.resolution_due_at, c.resolved_at)
    if c.verification_due_at is not None and (c.state == State.VERIFYING or c.verified_at):
        add(_("Verification"), c.verification_due_at, c.verified_at)
    if c.state == State.NEEDS_INFO and c.info_due_at:
        result.append(Clock(_("Citizen's answer (then rejected)"), c.info_due_at,
                            working_days_left(c.info_due_at, now)))
    if c.state == State.RESOLVED and c.appeal_due_at:
        result.append(Clock(_("Appeal window (then closed)"), c.appeal_due_at,
                            working_days_left(c.appeal_due_at, now)))
    return result


def row_clock(c, now):
    """Working days left (negative: overdue) for a list row; None when paused or done. In
    `verifying`: the verifier's clock (with_next_due), shown to whoever lists it."""
    if c.state not in (*CLOCK_RUNS, State.VERIFYING) or c.next_due is None:
        return None
    return working_days_left(c.next_due, now)
