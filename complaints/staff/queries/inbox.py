"""The unit inbox: a unit's complaints (supervisors: and sub-units') with filters and
counts. The default tab is the work still to do (open: not resolved, not ended), the
nearest running due date first; resolved complaints waiting for the citizen and ended ones
have their own tabs."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.http import urlencode

from routing.models import Category

from ...lifecycle.clock import VERIFICATION_STEP, escalated_q, overdue_q
from ...roles import verifier_q
from ...models import CLOCK_RUNS, NOT_DONE, OPEN_STATES, TERMINAL_STATES, Complaint, State
from .clocks import row_clock, with_next_due
from . import estimates
from .estimates import EstimatedPaginator, bounded_count, planner_rows_many
from .masking import with_shown_titles

PAGE_SIZE = 50


INBOX_STATUSES = ("open", *State.values, "all")
# Tabs that grow with history, without bound.
UNBOUNDED_STATUSES = (*TERMINAL_STATES, "all")


@dataclass
class InboxFilters:
    status: str = "open"
    category: str = ""
    assignee: str = ""  # "", "me", "none" or a user id
    overdue: bool = False
    escalated: bool = False
    page: str = "1"

    @classmethod
    def from_params(cls, params):
        status = params.get("status") or "open"
        assignee = params.get("assignee") or ""
        if assignee not in ("", "me", "none") and not assignee.isdigit():
            assignee = ""
        category = params.get("category") or ""
        return cls(
            status=status if status in INBOX_STATUSES else "open",
            category=category if category.isdigit() else "",
            assignee=assignee,
            overdue=params.get("overdue") == "1",
            escalated=params.get("escalated") == "1",
            page=params.get("page") or "1",
        )

    def querystring(self, **changes):
        """The query string of these filters with some changed (page reset to 1)."""
        values = {"status": self.status, "category": self.category, "assignee": self.assignee,
                  "overdue": "1" if self.overdue else "", "escalated": "1" if self.escalated else ""}
        values.update({k: v for k, v in changes.items()})
        return urlencode({k: v for k, v in values.items() if v not in ("", None, False)})


def history_counts(scope):
    """({state: count} of the ended states, estimated). The history tabs grow without
    bound: on PostgreSQL their counts are the planner's row estimates (an EXPLAIN per
    state, sent in one round trip: table statistics kept by ANALYZE, no scan); elsewhere
    exact. The open tabs are bounded and always counted exactly. (One EXPLAIN of a UNION
    ALL read its branches' estimates, but a parallel plan hides them under a Gather and
    the page fell back to counting every ended complaint: 2 s at 1M.)"""
    if connection.vendor != "postgresql":
        found = dict(scope.filter(state__in=TERMINAL_STATES).values_list("state").annotate(n=Count("pk")).order_by())
        return {state: found.get(state, 0) for state in TERMINAL_STATES}, False
    guesses = planner_rows_many([scope.filter(state=state) for state in TERMINAL_STATES])
    return dict(zip(TERMINAL_STATES, guesses)), True


def _status_q(status):
    if status == "open":  # the work still to do
        return Q(state__in=OPEN_STATES)
    if status == "all":
        return Q()
    return Q(state=status)


def overdue_for_q(user, now):
    """Overdue for this user: a step of the unit's SLA, or a verification they may do (the
    verifier's clock). The unit's own figures (dashboard.staff) count the SLA steps only."""
    return overdue_q(now) | (overdue_q(now, (VERIFICATION_STEP,)) & verifier_q(user))


def inbox(user, filters, now=None):
    now = now or timezone.now()
    overdue = overdue_for_q(user, now)
    scope = Complaint.objects.in_unit_scope(user)
    state_counts = dict(scope.filter(state__in=NOT_DONE).values_list("state").annotate(n=Count("pk")).order_by())
    history, guessed = history_counts(scope)
    state_counts.update(history)
    estimated = set(history) if guessed else set()
    in_status = scope.filter(_status_q(filters.status))
    # The filters' counts (facets) scan the whole tab: the open tabs are bounded by the
    # backlog, a history tab ("all", closed…) by nothing, so there they are counted only
    # while it is small (bounded_count's bound) and left out beyond (issue 16).
    facets = bounded_count(in_status)[0] <= estimates.EXACT_UP_TO if filters.status in UNBOUNDED_STATUSES else True
    totals, category_counts, assignee_counts = None, [], []
    if facets:
        # One pass for every facet: counts per (category, assignee), summed here (three
        # scans of the tab before; each is a unit's whole backlog for a supervisor).
        groups = list(in_status.values_list("category_id", "assignee_id").annotate(
            n=Count("pk"), overdue=Count("pk", filter=overdue), escalated=Count("pk", filter=escalated_q()),
        ).order_by())
        totals = {"all": sum(g[2] for g in groups), "overdue": sum(g[3] for g in groups),
                  "escalated": sum(g[4] for g in groups),
                  "mine": sum(g[2] for g in groups if g[1] == user.pk),
                  "unassigned": sum(g[2] for g in groups if g[1] is None)}
        per_category, per_assignee = {}, {}
        for category_id, assignee_id, n, _overdue, _escalated in groups:
            per_category[category_id] = per_category.get(category_id, 0) + n
            if assignee_id is not None:
                per_assignee[assignee_id] = per_assignee.get(assignee_id, 0) + n
        category_counts, assignee_counts = list(per_category.items()), list(per_assignee.items())
    else:  # the choices without their counts: the categories and assignees of the open work
        open_work = scope.filter(state__in=NOT_DONE)
        category_counts = [(pk, None) for pk in open_work.values_list("category_id", flat=True).distinct().order_by()]
        assignee_counts = [(pk, None) for pk in open_work.exclude(assignee__isnull=True)
                           .values_list("assignee_id", flat=True).distinct().order_by()]
    categories = {c.pk: c for c in Category.objects.filter(pk__in=[k for k, _ in category_counts])}
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=[k for k, _ in assignee_counts])}

    rows = in_status
    if filters.category:
        rows = rows.filter(category_id=filters.category)
    if filters.assignee == "me":
        rows = rows.filter(assignee_id=user.pk)
    elif filters.assignee == "none":
        rows = rows.filter(assignee__isnull=True)
    elif filters.assignee:
        rows = rows.filter(assignee_id=filters.assignee)
    if filters.overdue:
        rows = rows.filter(overdue)
    if filters.escalated:
        rows = rows.filter(escalated_q())
    rows = with_next_due(rows.for_lists()).annotate(
        # Running clocks first (a complaint waiting for the citizen has none running).
        paused=Case(When(state__in=CLOCK_RUNS, then=Value(0)), default=Value(1), output_field=IntegerField()))
    if filters.status in UNBOUNDED_STATUSES:
        # History tabs: newest first, read in order from the index complaint_submitted_new
        # (the due-date order sorted every ended complaint of the scope: 3 s at 1M, 8 s for
        # page 100); an ended complaint's clocks have stopped anyway.
        rows = rows.order_by("-submitted_at", "-pk")
    else:
        rows = rows.order_by("paused", F("next_due").asc(nulls_last=True), "submitted_at", "pk")
    paginator = EstimatedPaginator(rows, PAGE_SIZE)
    if totals is not None and not (filters.category or filters.assignee or filters.overdue or filters.escalated):
        paginator.count = totals["all"]  # the tab's rows, already counted exactly
    page = paginator.get_page(filters.page)
    page.object_list = list(page.object_list)
    for c in page.object_list:
        c.days_left = row_clock(c, now)
    with_shown_titles(user, page.object_list)
    return {
        "page": page,
        "filters": filters,
        "newest_first": filters.status in UNBOUNDED_STATUSES,
        "state_counts": [
            (value, label, state_counts.get(value, 0), value in estimated) for value, label in State.choices
        ],
        "open_count": sum(state_counts.get(s, 0) for s in OPEN_STATES),
        "all_count": sum(state_counts.values()),
        "all_estimated": bool(estimated),
        "totals": totals,
        "category_counts": sorted(
            ((categories[pk], n) for pk, n in category_counts if pk in categories),
            key=lambda item: item[0].name,
        ),
        "assignee_counts": sorted(
            ((users[pk], n) for pk, n in assignee_counts if pk in users),
            key=lambda item: item[0].get_username(),
        ),
    }
