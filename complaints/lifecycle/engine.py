"""The one commit path: every change to a complaint, filing included, goes through here.

`perform` re-reads and locks the row, refuses a caller who saw a stale state, checks
that the state allows the action and that the actor may do it (complaints.permissions),
calls the action's handler (which validates its arguments before it changes anything),
runs the django-fsm edge, and `commit`s: the audit event is appended, the complaint
saved, and `complaint_changed` sent inside the transaction (outbox and dashboard rollups
write their rows there); `complaint_committed` follows after commit (the live broadcast).
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from .. import audit, permissions
from ..models import Complaint, Event
from ..signals import complaint_changed, complaint_committed
from .actions import ACTIONS, PERFORMABLE, STATE
from .errors import Conflict, IllegalTransition, InvalidArguments, NotPermitted


@dataclass
class Change:
    """What a handler did besides setting fields: the audit event's data, messages (and
    other rows of the complaint, such as a resolution's photo) to store with the change,
    and actions the system performs right after it."""

    data: dict = field(default_factory=dict)
    messages: list = field(default_factory=list)
    rows: list = field(default_factory=list)  # saved after the complaint, in its transaction
    follow_ups: list = field(default_factory=list)  # [(action name, arguments)]


# The complaint's fields whose previous values receivers of complaint_changed get (the
# dashboard moves figures between rollups with them).
TRACKED_FIELDS = (
    "state", "responsible_unit_id", "category_id", "kind", "visibility", "submitted_at",
    "triaged_at", "first_response_at", "resolved_at", "final_resolved_at", "closed_at",
    "triage_due_at", "response_due_at", "resolution_due_at", "outcome", "rating",
    "reopen_count", "escalation_level", "paused_seconds", "reject_reason",
    "resolution_evidence", "verification_due_at", "verified_at", "sent_back_count",
    "verification_escalation_level",
)


def tracked_values(complaint):
    return {name: getattr(complaint, name) for name in TRACKED_FIELDS}


def state_allows(complaint, name):
    action = ACTIONS[name]
    if action.changes_state:
        return can_proceed(getattr(complaint, name))
    return complaint.state in action.states


def applies(complaint, name, now):
    rule = ACTIONS[name].applies
    return rule is None or bool(rule(complaint, now))


def available_actions(complaint, actor, now=None):
    """The actions this actor may perform now (what pages offer; perform checks again)."""
    now = now or timezone.now()
    return [name for name in PERFORMABLE
            if state_allows(complaint, name) and permissions.can_perform(actor, complaint, name)
            and applies(complaint, name, now)]


def perform(complaint, action, actor, *, expected_state=None, expected_version=None, now=None,
            **args):
    """Perform `action` on `complaint` (instance or pk) as `actor`; return the updated
    complaint. Raises a TransitionError subclass, changing nothing, when refused.

    `expected_state` is the state the caller saw and `expected_version` the complaint's
    audit_count as the caller saw it. Pages send both. Only what the action depends on is
    compared (its registry entry's `conflicts_on`): a transition is stale when the state or
    the responsible unit changed since, a note or a reply never is. `args` are the action's
    arguments (see its registry entry); others are ignored."""
    if action not in PERFORMABLE:
        raise IllegalTransition(_("Unknown action."))
    pk = complaint.pk if isinstance(complaint, Complaint) else complaint
    if expected_state is None and isinstance(complaint, Complaint):
        expected_state = complaint.state
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            Complaint.objects.select_for_update(of=("self",))
            .select_related("category", "category__sla_policy", "responsible_unit")
            .get(pk=pk)
        )
        if stale(locked, action, expected_state, expected_version):
            raise Conflict(
                _("This complaint changed while you were looking at it (it is now “%(state)s”). Reload and try again.")
                % {"state": locked.get_state_display()}
            )
        _run(locked, action, actor, now, args)
    return locked


def stale(locked, name, expected_state, expected_version):
    """Whether something `name` depends on changed since the caller saw the complaint at
    `expected_state` / `expected_version`. The audit chain says what happened since: each
    event's action declares what it changes (Action.changes)."""
    depends = set(ACTIONS[name].conflicts_on)
    if not depends:
        return False
    if STATE in depends and expected_state is not None and locked.state != expected_state:
        return True
    if expected_version is None:
        return False
    try:
        seen = int(str(expected_version))
    except ValueError:
        return True
    if seen == locked.audit_count:
        return False
    if not 0 <= seen < locked.audit_count:
        return True
    since = Event.objects.filter(complaint=locked, seq__gt=seen).values_list("action", flat=True)
    # An action no longer in the registry counts as having changed everything.
    return any(depends & (ACTIONS[other].changes if other in ACTIONS else depends) for other in since)


def _run(c, name, actor, now, args):
    action = ACTIONS[name]
    if not state_allows(c, name):
        raise IllegalTransition(
            _("“%(action)s” is not possible while the complaint is “%(state)s”.")
            % {"action": action.label, "state": c.get_state_display()})
    if not applies(c, name, now):
        if action.lapsed:
            # A text, or lapsed(complaint, now) -> text when the reason depends on it.
            raise InvalidArguments(str(action.lapsed(c, now) if callable(action.lapsed) else action.lapsed))
        raise IllegalTransition(
            _("“%(action)s” is not possible while the complaint is “%(state)s”.")
            % {"action": action.label, "state": c.get_state_display()})
    if not permissions.can_perform(actor, c, name):
        raise NotPermitted(_("You are not allowed to do this."))
    before, from_state = tracked_values(c), c.state
    handler = import_string(action.handler)
    # Handlers validate everything before they change anything.
    change = handler(c, acting_user=actor, now=now,
                     **{key: args[key] for key in action.arguments if key in args}) or Change()
    if action.changes_state:
        getattr(c, name)()
    commit(c, name, actor, now, change, from_state=from_state, before=before)
    for follow_up, follow_args in change.follow_ups:
        _run(c, follow_up, permissions.ActorRef.system("auto-routing"), now, follow_args)


def commit(c, name, actor, now, change, *, from_state, before, touch=True, **private):
    """Record a change already made to `c` (locked, or just inserted): append the audit
    event, save, send complaint_changed in the transaction and complaint_committed after
    commit. `private` values (a receipt's token and address) reach only the in-transaction
    receivers. `touch=False` keeps updated_at (a record that changes none of the complaint's
    facts, such as an erasure, must not look like an update in Open311)."""
    action = ACTIONS[name]
    if touch:
        c.updated_at = now
    event = audit.append_event(
        c, action=name, actor=actor, from_state=from_state,
        to_state=c.state if action.changes_state or not from_state else "",
        public=action.public, data=change.data, now=now)
    c.save()
    for message in change.messages:
        message.save()
    for row in change.rows:
        row.save()
    payload = dict(complaint=c, event=event, action=name, from_state=from_state, to_state=c.state,
                   previous=before, now=now)
    complaint_changed.send(sender=Complaint, **payload, **private)
    transaction.on_commit(lambda: complaint_committed.send(sender=Complaint, **payload))
    return event
