"""The oversight inbox: every complaint, in lists of what oversight watches."""

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.http import urlencode

from ...lifecycle.clock import escalated_q
from ...models import NOT_DONE, TERMINAL_STATES, Complaint
from .clocks import row_clock, with_next_due
from .estimates import EstimatedPaginator, bounded_count
from .inbox import PAGE_SIZE
from .masking import with_shown_titles


OVERSIGHT_LISTS = ("sensitive", "escalated", "review", "appeals", "reopened", "all")


def oversight_inbox(user, list_name, search, page_number, now=None):
    now = now or timezone.now()
    list_name = list_name if list_name in OVERSIGHT_LISTS else "sensitive"
    not_done = Q(state__in=NOT_DONE)
    lists = {
        "sensitive": Q(category__sensitive=True) & not_done,
        # The unit's lateness or the verifier's (a resolution nobody verified in time).
        "escalated": escalated_q() & not_done,
        # Closed, rejected and duplicate complaints are where appeals to oversight land.
        # Citizens' pending requests to review a rejection or a duplicate marking.
        "review": Q(review_requested_at__isnull=False),
        "appeals": Q(state__in=TERMINAL_STATES),
        "reopened": Q(reopen_count__gte=1) & not_done,
        "all": Q(),
    }
    scope = Complaint.objects.visible_to(user)
    # The lists of work not done are bounded by the backlog and counted exactly in one
    # pass over it; "review" by the pending requests (an index of them); "appeals" and
    # "all" grow with history: estimated past bounded_count's bound (issue 16).
    counts = scope.filter(not_done).aggregate(
        **{name: Count("pk", filter=lists[name]) for name in ("sensitive", "escalated", "reopened")})
    counts["review"] = scope.filter(lists["review"]).count()
    estimated = set()
    for name in ("appeals", "all"):
        counts[name], guessed = bounded_count(scope.filter(lists[name]))
        if guessed:
            estimated.add(name)
    rows = scope.filter(lists[list_name])
    search = (search or "").strip()
    if search:
        rows = rows.filter(Q(tracking_code__icontains=search) | Q(public_title__icontains=search))
    rows = with_next_due(rows.for_lists())
    if list_name == "appeals":
        rows = rows.order_by("-updated_at", "-pk")
    elif list_name == "review":  # oldest request first
        rows = rows.order_by("review_requested_at", "pk")
    elif list_name == "all":  # newest first, in order from complaint_submitted_new (issue 16)
        rows = rows.order_by("-submitted_at", "-pk")
    else:
        rows = rows.order_by(F("next_due").asc(nulls_last=True), "submitted_at", "pk")
    page = EstimatedPaginator(rows, PAGE_SIZE).get_page(page_number)
    page.object_list = list(page.object_list)
    for c in page.object_list:
        c.days_left = row_clock(c, now)
    with_shown_titles(user, page.object_list)
    querystring = urlencode({"list": list_name, **({"q": search} if search else {})})
    return {"page": page, "list": list_name, "counts": counts, "estimated": estimated, "search": search,
            "lists": OVERSIGHT_LISTS, "querystring": querystring}
