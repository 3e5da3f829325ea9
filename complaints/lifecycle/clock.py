"""The SLA clock: which due date a complaint waits on, and when it is overdue.

One declaration (SLA_STEPS) serves the SLA sweep and the staff lists (as a query filter,
`overdue_q`), the complaint page (`overdue_steps`, in Python) and the public dashboard (as
SQL, `overdue_sql`): a step is overdue when its clock runs (the complaint is in one of the
step's running states: never while it waits for the citizen in needs_info), its due date
has passed, and the step has not happened yet (its timestamp is empty). A complaint that
was resolved and reopened has had its resolution: the time it took counts in the figures,
and it is not overdue again.
"""

from dataclasses import dataclass

from django.db.models import Q

from .states import ACTIVE_WORK, CLOCK_RUNS, State


@dataclass(frozen=True)
class Step:
    name: str
    due: str  # the complaint's field holding the due date
    done: str  # the field stamped when the step happens
    runs_in: tuple  # states in which this step's clock runs

    def target(self, policy, category):
        """The step's target length under an SLA policy (working days or hours)."""
        if self.name == "triage":
            return policy.triage_target
        if self.name == "verification":
            return category.verification_target_days  # always working days
        if self.name == "response":
            return policy.response_target
        return policy.resolution_target(category.resolution_class)


SLA_STEPS = (
    Step("triage", "triage_due_at", "triaged_at", (State.SUBMITTED,)),
    Step("response", "response_due_at", "first_response_at", ACTIVE_WORK),
    Step("resolution", "resolution_due_at", "resolved_at", ACTIVE_WORK),
)
assert all(set(step.runs_in) <= set(CLOCK_RUNS) for step in SLA_STEPS)
# The verifier's own clock (categories that need verification): it runs from the unit's
# resolve (whose SLA stopped there) until the verifier confirms or sends it back, against
# the category's verification target in working days. Not a step of the unit's SLA, so
# not in SLA_STEPS: the dashboard's breaches and the unit's overdue counts are the unit's.
# The sweep escalates it on its own level (Complaint.verification_escalation_level), and
# the inbox counts it overdue only for those who may verify (complaints.roles.verifier_q).
VERIFICATION_STEP = Step("verification", "verification_due_at", "verified_at", (State.VERIFYING,))


def escalated_q():
    """Complaints escalated by the sweep: the unit's lateness or the verifier's (the
    oversight list and the inbox filter "escalated")."""
    return Q(escalation_level__gte=1) | Q(verification_escalation_level__gte=1)


def overdue_q(now, steps=SLA_STEPS):
    """Complaints with at least one overdue step (a query filter)."""
    q = Q(pk__in=[])
    for step in steps:
        q |= Q(state__in=step.runs_in, **{f"{step.done}__isnull": True, f"{step.due}__lt": now})
    return q


def is_overdue(complaint, step, now):
    due = getattr(complaint, step.due)
    return (complaint.state in step.runs_in and getattr(complaint, step.done) is None
            and due is not None and due < now)


def overdue_steps(complaint, now):
    """The complaint's overdue steps, in lifecycle order."""
    return [step for step in SLA_STEPS if is_overdue(complaint, step, now)]


def overdue_sql(step):
    """The SQL condition of `is_overdue` for one step (one parameter: now). State names are
    constants of the code, never input."""
    states = ", ".join(f"'{s.value}'" for s in step.runs_in)
    return f"(state IN ({states}) AND {step.done} IS NULL AND {step.due} < %s)"
