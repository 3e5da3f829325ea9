"""The lifecycle's states and the named sets of them that rules refer to.

A leaf module (it imports nothing of Aduan), so that the model, the action registry and
every reader can share one declaration. `docs/architecture.md` ("Lifecycle") shows the graph.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    NEEDS_INFO = "needs_info", _("Waiting for your information")
    TRIAGED = "triaged", _("Routed to a unit")
    IN_PROGRESS = "in_progress", _("In progress")
    # The unit resolved it in a category whose resolutions a verifier confirms first
    # (routing.Category.needs_verification); the citizen is told "resolved" at verification.
    VERIFYING = "verifying", _("Resolved, being verified")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")
    DUPLICATE = "duplicate", _("Duplicate")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Open: the backlog (not yet resolved and not ended).
OPEN_STATES = (State.SUBMITTED, State.NEEDS_INFO, State.TRIAGED, State.IN_PROGRESS)
# Not done: open, or resolved and waiting for the verifier or the citizen (the staff
# lists' "to do"). Verifying is not open: the unit's resolution happened (resolved_at).
NOT_DONE = (*OPEN_STATES, State.VERIFYING, State.RESOLVED)
# Ended: only oversight's reopening leaves them.
TERMINAL_STATES = (State.CLOSED, State.REJECTED, State.DUPLICATE, State.WITHDRAWN)
# A unit works on it.
ACTIVE_WORK = (State.TRIAGED, State.IN_PROGRESS)
# The SLA clock runs: open, except while waiting for the citizen (needs_info pauses it),
# so a complaint waiting for the citizen is never overdue and never a unit's breach.
CLOCK_RUNS = (State.SUBMITTED, *ACTIVE_WORK)
