"""The action registry: one declaration per thing that can happen to a complaint.

Each `Action` names who may do it and in which states (for a state change: from which
states to which), the arguments its handler takes (which are the fields of its forms),
whether the citizen's timeline and the public ticker show it, its labels for staff,
citizens and the public, the e-mail it sends the citizen, what the dashboard's rebuild
needs to know about it, and its handler: a plain `do_<verb>_<noun>` function in
complaints.lifecycle.handlers. Everything else is derived from this table: the django-fsm
edges of the model, permissions, the staff and citizen forms, the notifications, the
ticker, the dashboard's rebuild. Adding an action is one entry here, its handler, the
staff template `complaints/staff/actions/<name>.html` if staff perform it, and its tests.

This module imports nothing of Aduan except the leaf module of states, so the model can
use it without an import cycle.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .states import ACTIVE_WORK, NOT_DONE, OPEN_STATES, TERMINAL_STATES, State

# --- who ---------------------------------------------------------------------------------
# Roles an actor plays towards one complaint (complaints.permissions.plays decides them).
SYSTEM = "system"  # the worker, auto-routing
CITIZEN = "citizen"  # whoever holds the complaint's access (token, signed link, account)
TRIAGE = "triage"  # the central verification desk (and administrators)
HANDLER = "handler"  # a member of the responsible unit (supervisors: and of units above)
OVERSIGHT = "oversight"  # the oversight body (and administrators)
OVERSIGHT_OFFICER = "oversight_officer"  # the oversight body itself (administrators not)
PRIVACY_OFFICER = "privacy_officer"
STAFF_ROLES = (TRIAGE, HANDLER, OVERSIGHT, OVERSIGHT_OFFICER, PRIVACY_OFFICER)

# --- what an action depends on (the version check of engine.perform) ------------------
STATE = "state"
UNIT = "unit"  # the responsible unit
ASSIGNEE = "assignee"
SUMMARY = "summary"  # the public title, summary and publication


def _sensitive(c):
    return c.category.sensitive


def _not_sensitive(c):
    return not c.category.sensitive


@dataclass(frozen=True)
class May:
    """`role` may perform the action (only in `states` when given, and only when `when`,
    a rule about the complaint, holds)."""

    role: str
    states: tuple = ()
    when: object = None


# --- what it takes -------------------------------------------------------------------------
@dataclass(frozen=True)
class Field:
    """An argument of the handler, and the form field citizens and staff fill in for it.
    kind: "text" (a line), "textarea", "checkbox", "choice" (value from `choices`: a
    TextChoices class path or "rating"), "files" (attachments, stored by the caller, never
    passed to the handler)."""

    name: str
    label: object = ""
    kind: str = "text"
    required: bool = True
    max_length: int | None = None
    choices: str = ""


@dataclass(frozen=True)
class CitizenForm:
    """How the tracking page offers the action: a titled form with a button; `intro` may
    use %(due)s (the appeal deadline). `after_timeline`: shown below the timeline."""

    title: object
    button: object
    done: object  # the message after it worked
    intro: object = ""
    after_timeline: bool = False


@dataclass(frozen=True)
class Edge:
    """A state change: from `source` to `target`. When the target depends on the complaint,
    `targets` lists the possible ones and `choose(complaint)` picks one."""

    source: tuple
    target: str = ""
    targets: tuple = ()
    choose: object = None


@dataclass(frozen=True)
class Action:
    name: str
    label: object  # what staff pages call it
    handler: str  # dotted path of its do_<verb>_<noun> function
    who: tuple  # May rules; the first that matches allows it
    edge: Edge | None = None  # a state change, or None
    states: tuple = ()  # for actions without a state change: where they make sense
    fields: tuple = ()  # arguments from forms
    internal: tuple = ()  # arguments only the system passes (never read from a form)
    public: bool = False  # shown on the citizen's timeline (its event is public)
    timeline: object = ""  # the citizen's timeline label ("" = not shown there as an event)
    ticker: object = ""  # the public dashboard ticker's label ("" = not broadcast)
    notify: str = ""  # the citizen's e-mail template (templates/emails/<notify>.txt)
    citizen_form: CitizenForm | None = None
    applies: object = None  # applies(complaint, now): a rule beyond the state
    lapsed: object = ""  # when `applies` fails: refuse as bad input with this message
    sets_unit: bool = False  # its event data names the unit it routes to ("unit")
    measured_step: bool = False  # a dashboard step (triage, response, resolution) may happen at it
    performable: bool = True  # False only for filing, which creates the complaint
    # What a caller's view of the complaint must still hold for the action to go ahead
    # (engine.perform compares only these with what happened since the caller looked):
    # None means STATE and UNIT; () means nothing, so a concurrent change never refuses it.
    depends_on: tuple | None = None
    touches: tuple = ()  # what it changes besides STATE (an edge) and UNIT (sets_unit)
    # Hard to undo and out of the officer's hands afterwards: staff pages style it as
    # dangerous and ask to confirm it on a second page (no JavaScript needed).
    dangerous: bool = False
    # What staff are told once it is done: a text that may name the complaint's %(unit)s, or
    # done(complaint) -> text; "" means "Done: <label>."
    done: object = ""

    def done_message(self, complaint):
        if callable(self.done):
            return self.done(complaint)
        if self.done:
            unit = complaint.responsible_unit.code if complaint.responsible_unit_id else ""
            return self.done % {"unit": unit}
        return _("Done: %(action)s.") % {"action": self.label}

    @property
    def changes_state(self):
        return self.edge is not None

    @property
    def source_states(self):
        return self.edge.source if self.edge else self.states

    @property
    def target_states(self):
        if self.edge is None:
            return ()
        return self.edge.targets or (self.edge.target,)

    @property
    def changes(self):
        """The aspects of a complaint this action changes (what others may depend on)."""
        return ({STATE} if self.changes_state else set()) | ({UNIT} if self.sets_unit else set()) | set(self.touches)

    @property
    def conflicts_on(self):
        """The aspects whose change since the caller looked makes this action stale."""
        return (STATE, UNIT) if self.depends_on is None else self.depends_on

    @property
    def arguments(self):
        return tuple(f.name for f in self.fields if f.kind != "files") + self.internal

    @property
    def roles(self):
        return {rule.role for rule in self.who}

    @property
    def for_staff(self):
        return bool(self.roles & set(STAFF_ROLES))

    @property
    def for_citizen(self):
        return CITIZEN in self.roles


def _info_return_state(c):
    return c.info_return_state


def _reopened_state(c):
    return State.TRIAGED if c.responsible_unit_id else State.SUBMITTED


# Ended without anything the public should see (the publish rule; the summary queue too).
UNPUBLISHABLE_STATES = (State.REJECTED, State.DUPLICATE, State.WITHDRAWN)


def publishable(c):
    """Whether anything of the complaint may be published (the publish form's rule):
    public, not rejected, a duplicate or withdrawn, never of a sensitive category."""
    return (c.visibility == "public" and not c.category.sensitive
            and c.state not in UNPUBLISHABLE_STATES)


def _appeal_window_open(c, now):
    return c.appeal_due_at is not None and now <= c.appeal_due_at


H = "complaints.lifecycle.handlers."
REASON = Field("reason", _("Reason"), "textarea", max_length=10000)
UNIT = Field("unit", _("Unit"))

ACTIONS = {a.name: a for a in (
    # Filing creates the complaint (complaints.lifecycle.filing); it is declared here for its
    # labels and notification, and cannot be performed on an existing complaint.
    Action("filed", _("Filed"), H + "do_file_complaint", who=(), performable=False, public=True,
           internal=("channel", "intake"),
           timeline=_("Report received"), ticker=_("filed"), notify="receipt"),
    Action(
        "triage", _("Route to a unit"), H + "do_triage_complaint",
        who=(May(SYSTEM), May(TRIAGE)), edge=Edge((State.SUBMITTED,), State.TRIAGED),
        fields=(UNIT,), internal=("auto",), public=True,
        timeline=_("Checked and sent to the responsible unit"), ticker=_("routed to a unit"),
        notify="routed", sets_unit=True, measured_step=True, done=_("Routed to %(unit)s.")),
    Action(
        "request_info", _("Ask the citizen for information"), H + "do_request_info",
        who=(May(TRIAGE, (State.SUBMITTED,)), May(HANDLER, ACTIVE_WORK)),
        edge=Edge((State.SUBMITTED, *ACTIVE_WORK), State.NEEDS_INFO),
        fields=(Field("message", _("The question to the citizen"), "textarea", max_length=10000),),
        public=True, timeline=_("More information requested"), ticker=_("information requested"),
        notify="request_info", measured_step=True),
    Action(
        "provide_info", _("Answer the question"), H + "do_provide_info", who=(May(CITIZEN),),
        edge=Edge((State.NEEDS_INFO,), targets=(State.SUBMITTED, *ACTIVE_WORK), choose=_info_return_state),
        fields=(Field("message", _("Your answer"), "textarea", max_length=10000),
                Field("attachments", _("Photos or documents (optional)"), "files", required=False)),
        public=True, timeline=_("You answered"), ticker=_("information provided"),
        citizen_form=CitizenForm(_("Answer the officer's question"), _("Send answer"),
                                 _("Thank you. Your answer was sent to the officer."),
                                 intro=_("The deadline is paused until you answer."))),
    Action(
        "reject", _("Reject"), H + "do_reject_complaint",
        who=(May(SYSTEM, (State.NEEDS_INFO,)), May(TRIAGE, (State.SUBMITTED,))),
        edge=Edge((State.SUBMITTED, State.NEEDS_INFO), State.REJECTED),
        fields=(Field("reason", _("Reason"), "choice", choices="RejectReason"),
                Field("message", _("The explanation to the citizen"), "textarea", max_length=10000)),
        public=True, timeline=_("Rejected"), ticker=_("rejected"), notify="rejected", dangerous=True),
    Action(
        "mark_duplicate", _("Mark as duplicate"), H + "do_mark_duplicate", who=(May(TRIAGE),),
        edge=Edge((State.SUBMITTED,), State.DUPLICATE),
        fields=(Field("duplicate_of", _("Tracking code of the original"), max_length=20),),
        public=True, timeline=_("Marked as a duplicate"), ticker=_("marked duplicate"), dangerous=True),
    Action(
        "withdraw", _("Withdraw the report"), H + "do_withdraw_complaint", who=(May(CITIZEN),),
        edge=Edge((State.SUBMITTED, State.NEEDS_INFO), State.WITHDRAWN),
        # Only before any unit handled it: a request for information by the triage desk
        # (needs_info that returns to submitted) still counts as "before".
        applies=lambda c, now: c.responsible_unit_id is None,
        fields=(Field("reason", _("Why do you withdraw it? (optional)"), "textarea", required=False,
                      max_length=2000),),
        public=True, timeline=_("You withdrew the report"), ticker=_("withdrawn by the citizen"),
        citizen_form=CitizenForm(_("Withdraw the report"), _("Withdraw"),
                                 _("Your report was withdrawn. It will not be handled."),
                                 intro=_("No unit has handled it yet. Once withdrawn, it is closed "
                                         "and only the oversight body can reopen it."),
                                 after_timeline=True)),
    Action(
        "start", _("Start work"), H + "do_start_work", who=(May(HANDLER),),
        edge=Edge((State.TRIAGED,), State.IN_PROGRESS), public=True,
        timeline=_("Work started"), ticker=_("work started"), measured_step=True),
    Action(
        "transfer", _("Transfer to another unit"), H + "do_transfer_complaint",
        who=(May(HANDLER), May(TRIAGE)), edge=Edge(ACTIVE_WORK, State.TRIAGED),
        fields=(UNIT, Field("reason", _("The reason for the transfer"), "textarea", max_length=10000)),
        public=True, timeline=_("Moved to another unit"), ticker=_("transferred"), notify="routed",
        sets_unit=True, measured_step=True, dangerous=True, done=_("Transferred to %(unit)s.")),
    Action(
        "resolve", _("Resolve"), H + "do_resolve_complaint", who=(May(HANDLER),),
        edge=Edge((State.IN_PROGRESS,), State.RESOLVED),
        fields=(Field("outcome", _("Outcome"), "choice", choices="Outcome"),
                Field("summary", _("The resolution summary"), "textarea", max_length=10000),
                Field("referred_to", _("Referred to"), required=False, max_length=200)),
        public=True, timeline=_("Resolved"), ticker=_("resolved"), notify="resolved",
        measured_step=True),
    Action(
        "confirm", _("Confirm the resolution"), H + "do_confirm_resolution", who=(May(CITIZEN),),
        edge=Edge((State.RESOLVED,), State.CLOSED),
        fields=(Field("rating", _("Your rating (5 is best)"), "choice", choices="rating"),
                Field("comment", _("Comment (optional)"), "textarea", required=False, max_length=2000)),
        public=True, timeline=_("You confirmed the resolution"), ticker=_("confirmed by the citizen"),
        notify="closed",
        citizen_form=CitizenForm(_("Confirm the resolution and rate it"), _("Confirm and rate"),
                                 _("Thank you for confirming and rating the result."))),
    Action(
        "auto_close", _("Close automatically"), H + "do_auto_close", who=(May(SYSTEM),),
        edge=Edge((State.RESOLVED,), State.CLOSED), public=True,
        timeline=_("Closed after the appeal period"), ticker=_("closed"), notify="closed"),
    Action(
        "reopen", _("Appeal the resolution"), H + "do_reopen_complaint", who=(May(CITIZEN),),
        edge=Edge((State.RESOLVED,), State.IN_PROGRESS),
        applies=_appeal_window_open,
        lapsed=_("The appeal window has passed; ask the oversight body instead."),
        fields=(Field("reason", _("Why is the problem not solved?"), "textarea", max_length=10000),),
        public=True, timeline=_("You appealed; the unit works on it again"), ticker=_("reopened on appeal"),
        citizen_form=CitizenForm(_("Appeal: the problem is not solved"), _("Send appeal"),
                                 _("Your appeal was received; the unit will work on your report again."),
                                 intro=_("You can appeal until %(due)s. The unit will work on your report again."))),
    Action(
        "reopen_on_appeal", _("Reopen on appeal"), H + "do_reopen_on_appeal", who=(May(OVERSIGHT),),
        edge=Edge(TERMINAL_STATES, targets=(State.TRIAGED, State.SUBMITTED), choose=_reopened_state),
        fields=(Field("reason", _("The reason for reopening"), "textarea", max_length=10000),),
        public=True, timeline=_("Reopened by the oversight body"), ticker=_("reopened by oversight"),
        sets_unit=True),
    # --- actions that keep the state -------------------------------------------------
    Action(
        # The category of an abuse-of-power complaint (above all, taking it out of a sensitive
        # category: declassifying it) is the oversight body's decision alone, never triage's
        # or an administrator's.
        "recategorise", _("Change the category"), H + "do_recategorise_complaint",
        who=(May(TRIAGE, when=_not_sensitive), May(OVERSIGHT_OFFICER, when=_sensitive)), states=OPEN_STATES,
        fields=(Field("category", _("New category")),
                Field("reason", _("The reason for the change"), "textarea", required=False, max_length=10000),
                Field("subject_unit", _("The unit the complaint is about"), required=False)),
        ticker=_("recategorised"), sets_unit=True),
    Action(
        # Whoever may change the category may correct the area the citizen chose or the
        # point gave (the same split between triage and oversight).
        "set_area", _("Correct the area"), H + "do_set_area",
        who=(May(TRIAGE, when=_not_sensitive), May(OVERSIGHT_OFFICER, when=_sensitive)), states=OPEN_STATES,
        fields=(Field("area", _("Kelurahan, desa or kecamatan"), max_length=40),)),
    Action(
        "approve_summary", _("Approve the public summary"), H + "do_approve_summary",
        who=(May(TRIAGE),), states=tuple(State.values), applies=lambda c, now: publishable(c),
        fields=(Field("public_title", _("Public title"), max_length=200),
                Field("public_summary", _("Public summary"), "textarea", max_length=5000),
                Field("public_location", _("Public location"), required=False, max_length=300),
                Field("publish_media", _("Publish the media link"), "checkbox", required=False),
                Field("publish", _("Publish"), "checkbox", required=False)),
        depends_on=(STATE, SUMMARY), touches=(SUMMARY,),
        done=lambda c: (_("Public summary approved and published.") if c.triaged_at
                        else _("Public summary approved; it is published once the complaint is routed."))),
    Action(
        "assign", _("Assign"), H + "do_assign_complaint", who=(May(HANDLER),),
        states=(State.TRIAGED, State.IN_PROGRESS, State.NEEDS_INFO),
        fields=(Field("assignee", _("Officer"), required=False),),
        depends_on=(STATE, UNIT, ASSIGNEE), touches=(ASSIGNEE,)),
    Action(
        "reply", _("Reply publicly"), H + "do_reply_publicly",
        who=(May(HANDLER), May(TRIAGE, (State.SUBMITTED,))), states=NOT_DONE,
        fields=(Field("body", _("The reply"), "textarea", max_length=10000),),
        # A reply adds to the conversation: whether the replier may still reply is the
        # permission check's question, not the version's.
        public=True, ticker=_("unit replied"), measured_step=True, depends_on=()),
    Action(
        "note", _("Add an internal note"), H + "do_add_note",
        who=(May(HANDLER), May(TRIAGE), May(OVERSIGHT)), states=tuple(State.values),
        fields=(Field("body", _("The note"), "textarea", max_length=10000),), depends_on=()),
    Action(
        "comment", _("Comment"), H + "do_add_comment", who=(May(CITIZEN),), states=NOT_DONE,
        fields=(Field("body", _("Your comment"), "textarea", max_length=5000),), public=True, depends_on=(),
        citizen_form=CitizenForm(_("Add a comment"), _("Send comment"), _("Your comment was added."),
                                 after_timeline=True)),
    Action(
        "rate", _("Rate the result"), H + "do_rate_result", who=(May(CITIZEN),),
        states=(State.CLOSED,), applies=lambda c, now: c.rating is None,
        fields=(Field("rating", _("Your rating (5 is best)"), "choice", choices="rating"),
                Field("comment", _("Comment (optional)"), "textarea", required=False, max_length=2000)),
        public=True, timeline=_("You rated the result"), ticker=_("rated"),
        citizen_form=CitizenForm(_("Rate the result"), _("Send rating"), _("Thank you for your rating."))),
    Action(
        "escalate", _("Escalate"), H + "do_escalate_complaint", who=(May(SYSTEM),),
        states=OPEN_STATES, internal=("level", "due"), ticker=_("escalated")),
    Action(
        "reveal_identity", _("Reveal the reporter's identity"), H + "do_reveal_identity",
        who=(May(PRIVACY_OFFICER),), states=tuple(State.values),
        applies=lambda c, now: c.identity_mode == "confidential",
        fields=(Field("reason", _("The reason for revealing the identity"), "textarea", max_length=10000),)),
)}

PERFORMABLE = tuple(name for name, action in ACTIONS.items() if action.performable)
STAFF_ACTIONS = tuple(name for name in PERFORMABLE if ACTIONS[name].for_staff)
CITIZEN_ACTIONS = tuple(name for name in PERFORMABLE if ACTIONS[name].for_citizen)


def label(name):
    """What an event of this action is called on staff pages (unknown names as they are)."""
    action = ACTIONS.get(name)
    return action.label if action else name
