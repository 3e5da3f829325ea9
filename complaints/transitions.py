"""The one entry point that changes a complaint: `perform`.

It re-reads and locks the row, refuses a caller who saw a stale state, checks the
actor's permission and the arguments, enforces the sensitive-routing rule, runs the
django-fsm transition, stamps timestamps and due dates, and writes the audit event in
the same transaction as the change. Receivers of `complaint_changed` add their rows
(outbox, rollups) to that transaction; `complaint_committed` fires after commit.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import can_proceed

from routing import calendar
from routing.models import Category, Unit

from . import audit, permissions
from .models import Complaint, IdentityMode, Message, Outcome, RejectReason, State, Visibility, private_by_rule
from .signals import complaint_changed, complaint_committed


class TransitionError(Exception):
    """Base class: the action did not happen and nothing changed."""

    status = 400

    def __init__(self, message, errors=None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


class Conflict(TransitionError):
    status = 409


class NotPermitted(TransitionError):
    status = 403


class IllegalTransition(TransitionError):
    status = 409


class InvalidArguments(TransitionError):
    status = 400


FSM_ACTIONS = (
    "triage", "request_info", "provide_info", "reject", "mark_duplicate", "start", "transfer",
    "resolve", "confirm", "auto_close", "reopen", "reopen_on_appeal",
)
_NOT_TERMINAL = (
    State.SUBMITTED, State.NEEDS_INFO, State.TRIAGED, State.IN_PROGRESS, State.RESOLVED,
)
# Actions that change no state, and the states in which they make sense.
OTHER_ACTIONS = {
    "recategorise": (State.SUBMITTED, State.NEEDS_INFO, State.TRIAGED, State.IN_PROGRESS),
    "approve_summary": tuple(State.values),
    "assign": (State.TRIAGED, State.IN_PROGRESS, State.NEEDS_INFO),
    "reply": _NOT_TERMINAL,
    "note": tuple(State.values),
    "comment": _NOT_TERMINAL,
    "rate": (State.CLOSED,),
    "escalate": (State.SUBMITTED, State.NEEDS_INFO, State.TRIAGED, State.IN_PROGRESS),
    "reveal_identity": tuple(State.values),
}
ALL_ACTIONS = FSM_ACTIONS + tuple(OTHER_ACTIONS)

# What each action is called on pages and in messages.
ACTION_LABELS = {
    "triage": gettext_lazy("Route to a unit"),
    "request_info": gettext_lazy("Ask the citizen for information"),
    "provide_info": gettext_lazy("Answer the question"),
    "reject": gettext_lazy("Reject"),
    "mark_duplicate": gettext_lazy("Mark as duplicate"),
    "start": gettext_lazy("Start work"),
    "transfer": gettext_lazy("Transfer to another unit"),
    "resolve": gettext_lazy("Resolve"),
    "confirm": gettext_lazy("Confirm the resolution"),
    "auto_close": gettext_lazy("Close automatically"),
    "reopen": gettext_lazy("Appeal the resolution"),
    "reopen_on_appeal": gettext_lazy("Reopen on appeal"),
    "recategorise": gettext_lazy("Change the category"),
    "approve_summary": gettext_lazy("Approve the public summary"),
    "assign": gettext_lazy("Assign"),
    "reply": gettext_lazy("Reply publicly"),
    "note": gettext_lazy("Add an internal note"),
    "comment": gettext_lazy("Comment"),
    "rate": gettext_lazy("Rate the result"),
    "escalate": gettext_lazy("Escalate"),
    "reveal_identity": gettext_lazy("Reveal the reporter's identity"),
}

# Fields whose previous values the dashboard needs to move figures between rollups.
SNAPSHOT_FIELDS = (
    "state", "responsible_unit_id", "category_id", "kind", "visibility", "submitted_at",
    "triaged_at", "first_response_at", "resolved_at", "final_resolved_at", "closed_at",
    "triage_due_at", "response_due_at", "resolution_due_at", "outcome", "rating",
    "reopen_count", "escalation_level", "paused_seconds", "reject_reason",
)


def snapshot(complaint):
    return {name: getattr(complaint, name) for name in SNAPSHOT_FIELDS}


def state_allows(complaint, action):
    if action in FSM_ACTIONS:
        return can_proceed(getattr(complaint, action))
    return complaint.state in OTHER_ACTIONS.get(action, ())


def available_actions(complaint, actor, now=None):
    """The actions this actor may perform now (what pages offer; the server checks again)."""
    now = now or timezone.now()
    return [
        name for name in ALL_ACTIONS
        if state_allows(complaint, name) and permissions.can_perform(actor, complaint, name)
        and _applies(complaint, name, now)
    ]


def _applies(complaint, action, now):
    """Rules beyond the state: the one place pages and perform() both ask."""
    if action == "approve_summary":
        return publishable(complaint)
    if action == "reveal_identity":
        return complaint.identity_mode == IdentityMode.CONFIDENTIAL
    if action == "rate":
        return complaint.rating is None
    if action == "reopen":
        return complaint.appeal_due_at is not None and now <= complaint.appeal_due_at
    return True


def publishable(complaint):
    """Whether anything of the complaint may be published (the publish form's rule):
    public, not rejected or a duplicate, never of a sensitive category."""
    return (complaint.visibility == Visibility.PUBLIC and not complaint.category.sensitive
            and complaint.state not in (State.REJECTED, State.DUPLICATE))


# Actions that stop applying when a deadline lapses: refused as bad input (400) with this
# message rather than as an impossible transition.
LAPSED = {"reopen": gettext_lazy("The appeal window has passed; ask the oversight body instead.")}


def perform(complaint, action, actor, *, expected_state=None, expected_version=None, now=None,
            **args):
    """Perform `action` on `complaint` (instance or pk) as `actor`; return the updated
    complaint. Raises a TransitionError subclass, changing nothing, when refused.

    `expected_state` is the state the caller saw; `expected_version` (the complaint's
    audit_count as the caller saw it) also catches changes that keep the state, such as
    a transfer or a reply. Pages send both."""
    if action not in ALL_ACTIONS:
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
        stale_version = expected_version is not None and str(locked.audit_count) != str(expected_version)
        if (expected_state is not None and locked.state != expected_state) or stale_version:
            raise Conflict(
                _("This complaint changed while you were looking at it (it is now “%(state)s”). Reload and try again.")
                % {"state": locked.get_state_display()}
            )
        _run(locked, action, actor, now, args)
    return locked


def _run(c, action, actor, now, args):
    applies = state_allows(c, action) and _applies(c, action, now)
    if not applies and action in LAPSED and state_allows(c, action):
        raise InvalidArguments(str(LAPSED[action]))
    if not applies:
        raise IllegalTransition(
            _("“%(action)s” is not possible while the complaint is “%(state)s”.")
            % {"action": ACTION_LABELS[action], "state": c.get_state_display()}
        )
    if not permissions.can_perform(actor, c, action):
        raise NotPermitted(_("You are not allowed to do this."))
    before = snapshot(c)
    from_state = c.state
    handler = globals()[f"_do_{action}"]
    # Handlers validate everything before they change anything.
    result = handler(c, actor, now, args) or {}
    if action in FSM_ACTIONS:
        getattr(c, action)()
    c.updated_at = now
    event = audit.append_event(
        c, kind=action, actor=actor, from_state=from_state,
        to_state=c.state if action in FSM_ACTIONS else "",
        public=result.get("public", False), data=result.get("data"), now=now,
    )
    c.save()
    for message in result.get("messages", ()):
        message.save()
    payload = dict(complaint=c, event=event, action=action, from_state=from_state,
                   to_state=c.state, previous=before, now=now)
    complaint_changed.send(sender=Complaint, **payload)
    transaction.on_commit(lambda: complaint_committed.send(sender=Complaint, **payload))
    for follow_up, follow_args in result.get("follow_ups", ()):
        _run(c, follow_up, permissions.ActorRef.system("auto-routing"), now, follow_args)
    return event


# --- helpers -----------------------------------------------------------------------
def _text(args, name, label, required=True, max_length=10000):
    value = (args.get(name) or "").strip()
    if required and not value:
        raise InvalidArguments(_("%(field)s is required.") % {"field": label}, {name: label})
    if len(value) > max_length:
        raise InvalidArguments(_("%(field)s is too long.") % {"field": label}, {name: label})
    return value


def _unit(value):
    if isinstance(value, Unit):
        unit = value
    elif value:
        unit = Unit.objects.filter(code=value).first() or (
            Unit.objects.filter(pk=value).first() if str(value).isdigit() else None
        )
    else:
        unit = None
    if unit is None or not unit.active:
        raise InvalidArguments(_("Choose an active unit."), {"unit": _("Choose an active unit.")})
    return unit


def routed_unit(complaint, unit):
    """The sensitive-routing rule, for every way a unit is set (triage, transfer, appeal,
    auto-routing, recategorisation): a sensitive complaint only ever goes to an oversight
    unit, whatever was asked; and no complaint ever goes to the unit it is about (named
    when oversight declassified it) or a unit below it."""
    if complaint.category.sensitive and not unit.is_oversight:
        default = complaint.category.default_unit
        if default.is_oversight and default.active:
            unit = default
        else:
            unit = Unit.oversight_default()
            if unit is None:
                raise InvalidArguments(_("No oversight unit is configured for sensitive complaints."))
    if complaint.subject_unit_id and unit.pk in complaint.subject_unit.descendant_ids():
        # Not naming the unit: whoever handles it now need not learn whom it accuses.
        message = _("Oversight has ruled out this unit for this complaint: it cannot go to that unit "
                    "or a unit below it.")
        raise InvalidArguments(message, {"unit": message})
    return unit


def _policy(c):
    return c.category.sla_policy


def _stamp_first_response(c, now):
    if c.triaged_at is not None and c.first_response_at is None:
        c.first_response_at = now


def _unit_message(c, actor, body, visibility=Message.Visibility.PUBLIC, now=None):
    return Message(
        complaint=c, visibility=visibility, author_type=actor.type,
        author_user=actor.user if actor.type == "user" else None,
        author_unit=c.responsible_unit if actor.type != "citizen" else None,
        body=body, created_at=now,
    )


def set_routing_due_dates(c, now):
    policy = _policy(c)
    c.response_due_at = calendar.add_target(now, policy.response_target, policy.time_unit)
    c.resolution_due_at = calendar.add_target(
        now, policy.resolution_target(c.category.resolution_class), policy.time_unit
    )


# --- transitions ---------------------------------------------------------------------
def _do_triage(c, actor, now, args):
    # Routing never publishes anything: that is approve_summary's explicit step, whatever
    # else a form may carry.
    unit = routed_unit(c, _unit(args.get("unit")))
    c.responsible_unit = unit
    c.triaged_at = now
    set_routing_due_dates(c, now)
    suggested = c.suggested_units[0][0] if c.suggested_units else None
    return {
        "public": True,
        "data": {
            "unit": unit.code,
            "suggested_unit": suggested,
            "accepted_suggestion": suggested == unit.code if suggested else None,
            "auto": bool(args.get("auto")),
        },
    }


def _do_request_info(c, actor, now, args):
    message = _text(args, "message", _("The question to the citizen"))
    c.info_return_state = c.state
    c.info_requested_at = now
    c.info_due_at = calendar.add_working_days(now, settings.NEEDS_INFO_TIMEOUT_WORKING_DAYS)
    if c.state != State.SUBMITTED:
        _stamp_first_response(c, now)
    msg = _unit_message(c, actor, message, now=now)
    return {"public": True, "data": {"message": message}, "messages": [msg]}


def _do_provide_info(c, actor, now, args):
    message = _text(args, "message", _("Your answer"))
    paused = calendar.working_time_between(c.info_requested_at, now)
    c.paused_seconds += int(paused.total_seconds())
    # The clock stood still while we waited for the citizen: move the open due dates.
    if c.triaged_at is None and c.triage_due_at:
        c.triage_due_at = calendar.add_working_time(c.triage_due_at, paused)
    if c.first_response_at is None and c.response_due_at:
        c.response_due_at = calendar.add_working_time(c.response_due_at, paused)
    if c.resolved_at is None and c.resolution_due_at:
        c.resolution_due_at = calendar.add_working_time(c.resolution_due_at, paused)
    c.info_requested_at = None
    c.info_due_at = None
    msg = Message(complaint=c, visibility=Message.Visibility.PUBLIC, author_type="citizen",
                  body=message, created_at=now)
    return {
        "public": True,
        "data": {"paused_seconds": int(paused.total_seconds()), "message": message},
        "messages": [msg],
    }


def _do_reject(c, actor, now, args):
    reason = args.get("reason")
    if reason not in RejectReason.values:
        raise InvalidArguments(_("Choose a reason for the rejection."), {"reason": _("Choose a reason.")})
    message = _text(args, "message", _("The explanation to the citizen"))
    c.reject_reason = reason
    c.reject_message = message
    c.info_requested_at = None
    c.info_due_at = None
    return {"public": True, "data": {"reason": reason, "message": message}}


def _do_mark_duplicate(c, actor, now, args):
    original = args.get("duplicate_of")
    code = original.tracking_code if isinstance(original, Complaint) else str(original or "").strip().upper()
    # Only complaints the actor may open, of the same sensitivity, can be the original; any
    # other code (unknown, invisible, or whose root is) gets one answer, so that triage
    # cannot learn whether an abuse-of-power complaint's code exists.
    candidates = Complaint.objects.filter(permissions.duplicate_originals_q(actor.user, c))
    original = candidates.filter(tracking_code=code).first() if code else None
    while original is not None and original.duplicate_of_id:  # the root, never another duplicate
        original = candidates.filter(pk=original.duplicate_of_id).first()
    if original is None:
        raise InvalidArguments(
            _("Name the complaint this one duplicates."),
            {"duplicate_of": _("No complaint that this one can duplicate has this tracking code.")})
    if original.pk == c.pk:
        raise InvalidArguments(_("A complaint cannot duplicate itself."), {"duplicate_of": _("A complaint cannot duplicate itself.")})
    c.duplicate_of = original
    return {"public": True, "data": {"duplicate_of": original.tracking_code}}


def _do_start(c, actor, now, args):
    _stamp_first_response(c, now)
    if c.assignee_id is None and actor.type == "user":
        c.assignee = actor.user
    return {"public": True, "data": {}}


def _do_transfer(c, actor, now, args):
    reason = _text(args, "reason", _("The reason for the transfer"))
    unit = routed_unit(c, _unit(args.get("unit")))
    if unit.pk == c.responsible_unit_id:
        raise InvalidArguments(_("The complaint is already with this unit."), {"unit": _("Choose another unit.")})
    old = c.responsible_unit.code if c.responsible_unit else None
    c.responsible_unit = unit
    c.assignee = None
    return {"public": True, "data": {"from_unit": old, "unit": unit.code, "reason": reason}}


def _do_resolve(c, actor, now, args):
    summary = _text(args, "summary", _("The resolution summary"))
    outcome = args.get("outcome")
    if outcome not in Outcome.values:
        raise InvalidArguments(_("Choose the outcome."), {"outcome": _("Choose the outcome.")})
    referred_to = (args.get("referred_to") or "").strip()
    if outcome == Outcome.NOT_OUR_AUTHORITY and not referred_to:
        raise InvalidArguments(
            _("Say where the complaint was referred to."), {"referred_to": _("Required for this outcome.")}
        )
    _stamp_first_response(c, now)
    c.outcome, c.resolution_summary, c.referred_to = outcome, summary, referred_to
    if c.resolved_at is None:
        c.resolved_at = now
    c.final_resolved_at = now
    c.appeal_due_at = calendar.add_working_days(now, settings.APPEAL_WINDOW_WORKING_DAYS)
    return {"public": True, "data": {"outcome": outcome, "summary": summary, "referred_to": referred_to}}


def _rating(args, required=False):
    raw = args.get("rating")
    if raw in (None, ""):
        if required:
            raise InvalidArguments(_("Give a rating from 1 to 5."), {"rating": _("Give a rating from 1 to 5.")})
        return None
    try:
        value = int(raw)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 5:
        raise InvalidArguments(_("Give a rating from 1 to 5."), {"rating": _("Give a rating from 1 to 5.")})
    return value


def _do_confirm(c, actor, now, args):
    rating = _rating(args)
    comment = _text(args, "comment", _("Comment"), required=False, max_length=2000)
    c.closed_at = now
    if rating is not None:
        c.rating, c.rating_comment = rating, comment
    return {"public": True, "data": {"rating": rating}}


def _do_auto_close(c, actor, now, args):
    if c.appeal_due_at is None or now < c.appeal_due_at:
        raise InvalidArguments(_("The appeal window is still open."))
    c.closed_at = now
    return {"public": True, "data": {}}


def _do_reopen(c, actor, now, args):
    reason = _text(args, "reason", _("The reason for your appeal"))
    c.reopen_count += 1
    c.appeal_due_at = None
    msg = Message(complaint=c, visibility=Message.Visibility.PUBLIC, author_type="citizen",
                  body=reason, created_at=now)
    return {"public": True, "data": {"reason": reason}, "messages": [msg]}


def _do_reopen_on_appeal(c, actor, now, args):
    reason = _text(args, "reason", _("The reason for reopening"))
    data = {"reason": reason}
    _reroute(c, data)
    c.duplicate_of = None
    c.reject_reason = ""
    c.appeal_due_at = None
    if c.resolved_at is not None:
        c.reopen_count += 1
    return {"public": True, "data": data}


def _reroute(c, data):
    """Move the complaint where routed_unit() says it must be (oversight for a sensitive
    category); a move unassigns the handler and names both units in the event's data, so
    a rebuild of the dashboard can replay it."""
    if c.responsible_unit is None:
        return
    moved_from = c.responsible_unit
    c.responsible_unit = routed_unit(c, moved_from)
    if c.responsible_unit != moved_from:
        c.assignee = None
        data.update(from_unit=moved_from.code, unit=c.responsible_unit.code)


# --- actions without a state change ----------------------------------------------------
def _do_recategorise(c, actor, now, args):
    category = args.get("category")
    if not isinstance(category, Category):
        category = Category.objects.filter(code=category or "", active=True).first()
    if category is None or not category.active:
        raise InvalidArguments(_("Choose an active category."), {"category": _("Choose an active category.")})
    if category.pk == c.category_id:
        raise InvalidArguments(_("The complaint already has this category."), {"category": _("Choose another category.")})
    old = c.category.code
    data = {"from_category": old, "category": category.code}
    reason = _text(args, "reason", _("The reason for the change"), required=False)
    if c.category.sensitive and not category.sensitive:
        data.update(_declassify(c, args, now))
    elif reason:
        data["reason"] = reason
    c.category = category
    follow_ups = []
    if category.sensitive:
        c.visibility, c.identity_mode = private_by_rule(category, c.visibility, c.identity_mode)
        c.public_summary_approved_at = None
        if c.responsible_unit is not None:
            _reroute(c, data)
        elif c.state == State.SUBMITTED:
            follow_ups.append(("triage", {"unit": routed_unit(c, category.default_unit), "auto": True}))
    return {"data": data, "follow_ups": follow_ups}


NO_SUBJECT_UNIT = "none"


def _declassify(c, args, now):
    """Taking a complaint out of a sensitive category (oversight only: permissions): the
    reason is recorded, and oversight names the unit the complaint is about (or says it is
    about none), which routing refuses from then on. Its history so far stays with the
    readers of sensitive complaints (permissions.sensitive_history_reading)."""
    reason = _text(args, "reason", _("The reason for taking the complaint out of its sensitive category"))
    value = (args.get("subject_unit") or "").strip()
    if value == NO_SUBJECT_UNIT:
        subject = None
    else:
        subject = value and Unit.objects.filter(code=value).first()
        if not subject:
            message = _("Name the unit this complaint is about, or say that it is about none.")
            raise InvalidArguments(message, {"subject_unit": message})
    if subject is not None and c.responsible_unit_id in subject.descendant_ids():
        message = _("The complaint is with the unit it is about: transfer it first.")
        raise InvalidArguments(message, {"subject_unit": message})
    c.subject_unit = subject
    c.declassified_at = now
    return {"reason": reason, "subject_unit": subject.code if subject else None, "declassified": True}


def _checked(value):
    """A ticked checkbox (or True from code); anything else, including absence, is no."""
    return value is True or str(value or "").strip().lower() in ("on", "1", "true", "yes")


def _do_approve_summary(c, actor, now, args):
    """Publish: the officer's title, summary and location text, and the citizen's media
    link only if asked. Nothing happens without the explicit `publish` tick."""
    if not _checked(args.get("publish")):
        raise InvalidArguments(
            _("Tick “Publish” to confirm that this text may appear on the public site and in Open311."),
            {"publish": _("Tick to publish.")})
    title = _text(args, "public_title", _("Public title"), max_length=200)
    summary = _text(args, "public_summary", _("Public summary"), max_length=5000)
    location = _text(args, "public_location", _("Public location"), required=False, max_length=300)
    media = _checked(args.get("publish_media")) and bool(c.media_url)
    if media and not (actor.is_staff_user and permissions.reads_unmasked(actor.user, c)):
        # The link may identify the reporter; only an officer who can read it may publish it.
        raise InvalidArguments(_("You cannot publish a media link that is masked for you."),
                               {"publish_media": _("Not available for this report.")})
    c.public_title, c.public_summary, c.public_location = title, summary, location
    c.public_media_approved = media
    c.public_summary_approved_at = now
    return {"data": {"location": bool(location), "media_url": media}}


def _do_assign(c, actor, now, args):
    User = get_user_model()
    assignee = args.get("assignee")
    if assignee is not None and not isinstance(assignee, User):
        assignee = User.objects.filter(pk=assignee).first() if str(assignee).isdigit() else None
        if assignee is None:
            raise InvalidArguments(_("Choose an officer of the unit."), {"assignee": _("Unknown officer.")})
    if not permissions.supervises(actor.user, c):
        if assignee is None or assignee.pk != actor.user.pk:
            raise NotPermitted(_("Officers can only assign complaints to themselves."))
    if assignee is not None and not permissions.handles(assignee, c):
        raise InvalidArguments(_("Choose an officer of the unit."), {"assignee": _("Not an officer of this unit.")})
    c.assignee = assignee
    return {"data": {"assignee": assignee.get_username() if assignee else None}}


def _do_reply(c, actor, now, args):
    body = _text(args, "body", _("The reply"))
    _stamp_first_response(c, now)
    return {"public": True, "data": {}, "messages": [_unit_message(c, actor, body, now=now)]}


def _do_note(c, actor, now, args):
    body = _text(args, "body", _("The note"))
    msg = _unit_message(c, actor, body, visibility=Message.Visibility.INTERNAL, now=now)
    return {"data": {}, "messages": [msg]}


def _do_comment(c, actor, now, args):
    body = _text(args, "body", _("Your comment"), max_length=5000)
    msg = Message(complaint=c, visibility=Message.Visibility.PUBLIC, author_type="citizen",
                  body=body, created_at=now)
    return {"public": True, "data": {}, "messages": [msg]}


def _do_rate(c, actor, now, args):
    c.rating = _rating(args, required=True)
    c.rating_comment = _text(args, "comment", _("Comment"), required=False, max_length=2000)
    return {"public": True, "data": {"rating": c.rating}}


def _do_escalate(c, actor, now, args):
    try:
        level = int(args.get("level"))
    except (TypeError, ValueError):
        level = 0
    if level not in (1, 2) or level <= c.escalation_level:
        raise InvalidArguments(_("The escalation level must go up, to 1 or 2."))
    c.escalation_level = level
    return {"data": {"level": level, "due": args.get("due", "")}}


def _do_reveal_identity(c, actor, now, args):
    reason = _text(args, "reason", _("The reason for revealing the identity"))
    return {"data": {"reason": reason}}


def working_days_left(due, now=None):
    """Working days from now to `due`; negative when overdue."""
    now = now or timezone.now()
    if due is None:
        return None
    if due >= now:
        return calendar.working_days_between(now, due)
    return -calendar.working_days_between(due, now)


