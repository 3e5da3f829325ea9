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

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
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
# A supervisor of the responsible unit or of a unit above it (supervisors handle every unit
# below theirs, complaints.roles.unit_roles) who is not the resolver.
VERIFIER = "verifier"
STAFF_ROLES = (TRIAGE, HANDLER, OVERSIGHT, OVERSIGHT_OFFICER, PRIVACY_OFFICER, VERIFIER)

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
    passed to the handler), "photo" (one uploaded file, passed to the handler, which checks
    and stores it)."""

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
    notify_states: tuple = ()  # when given: send it only when the action lands in one of these
    # The citizen's timeline label by the state the action reached, where it differs.
    timeline_by_state: tuple = ()  # ((state, label), ...)
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
    # The keys of its audit event's data that are personal (free text typed by the citizen
    # or staff about the person). They are stored apart from the facts, under a salted
    # commitment, so that complaints.redaction can erase them while the chain still verifies
    # (complaints.audit). Every other key is a fact, kept for ever: keep names, contacts and
    # free text out of the facts.
    personal: tuple = ()

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

    def notifies(self, to_state):
        """The citizen's e-mail template for a change that reached `to_state`, or ""."""
        if self.notify_states and to_state not in self.notify_states:
            return ""
        return self.notify

    def timeline_label(self, to_state):
        return dict(self.timeline_by_state).get(to_state, self.timeline)

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


def _resolved_state(c):
    """A resolution waits for its verifier in categories that need one."""
    return State.VERIFYING if c.category.needs_verification else State.RESOLVED


def _reopened_state(c):
    return State.TRIAGED if c.responsible_unit_id else State.SUBMITTED


# Ended without anything the public should see (the publish rule; the summary queue too).
UNPUBLISHABLE_STATES = (State.REJECTED, State.DUPLICATE, State.WITHDRAWN)


def publishable(c):
    """Whether anything of the complaint may be published (the publish form's rule):
    public, not rejected, a duplicate or withdrawn, never of a sensitive category."""
    return (c.visibility == "public" and not c.category.sensitive
            and c.state not in UNPUBLISHABLE_STATES)


def _processing_restricted(c):
    return getattr(c, "processing_restricted_at", None) is not None


def _subject_request_pending(c, now):
    return c.subject_requests.filter(state="pending").exists()


def _appeal_window_open(c, now):
    return c.appeal_due_at is not None and now <= c.appeal_due_at


# A rejection or a duplicate marking the citizen may ask oversight to review.
REVIEWABLE_STATES = (State.REJECTED, State.DUPLICATE)
REVIEW = "review"  # whether a review request is pending (request_review and its decisions)


def _review_may_be_requested(c, now):
    """No request pending, and within REVIEW_REQUEST_DAYS of the rejection or marking."""
    if c.review_requested_at is not None:
        return False
    decided = c.decided_at()
    return decided is not None and now <= decided + dt.timedelta(days=settings.REVIEW_REQUEST_DAYS)


def _review_refused(c, now):
    if c.review_requested_at is not None:
        return _("You already asked for a review of this decision; the oversight body has not decided yet.")
    return _("The time to ask for a review of this decision has passed.")


def _review_pending(c, now):
    return c.review_requested_at is not None


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
        notify="request_info", measured_step=True, personal=("message",)),
    Action(
        "provide_info", _("Answer the question"), H + "do_provide_info", who=(May(CITIZEN),),
        edge=Edge((State.NEEDS_INFO,), targets=(State.SUBMITTED, *ACTIVE_WORK), choose=_info_return_state),
        fields=(Field("message", _("Your answer"), "textarea", max_length=10000),
                Field("attachments", _("Photos or documents (optional)"), "files", required=False)),
        public=True, timeline=_("You answered"), ticker=_("information provided"), personal=("message",),
        citizen_form=CitizenForm(_("Answer the officer's question"), _("Send answer"),
                                 _("Thank you. Your answer was sent to the officer."),
                                 intro=_("The deadline is paused until you answer."))),
    Action(
        "reject", _("Reject"), H + "do_reject_complaint",
        who=(May(SYSTEM, (State.NEEDS_INFO,)), May(TRIAGE, (State.SUBMITTED,))),
        edge=Edge((State.SUBMITTED, State.NEEDS_INFO), State.REJECTED),
        fields=(Field("reason", _("Reason"), "choice", choices="RejectReason"),
                Field("message", _("The explanation to the citizen"), "textarea", max_length=10000)),
        public=True, timeline=_("Rejected"), ticker=_("rejected"), notify="rejected", dangerous=True,
        personal=("message",)),
    Action(
        "mark_duplicate", _("Mark as duplicate"), H + "do_mark_duplicate", who=(May(TRIAGE),),
        edge=Edge((State.SUBMITTED,), State.DUPLICATE),
        fields=(Field("duplicate_of", _("Tracking code of the original"), max_length=20),),
        public=True, timeline=_("Marked as a duplicate"), ticker=_("marked duplicate"), dangerous=True),
    Action(
        "withdraw", _("Withdraw the report"), H + "do_withdraw_complaint",
        # The privacy officer withdraws on the citizen's behalf when approving their request
        # to erase or to stop processing (complaints.subject_rights.approve).
        who=(May(CITIZEN), May(PRIVACY_OFFICER, when=_processing_restricted)),
        edge=Edge((*NOT_DONE,), State.WITHDRAWN),
        # Only before any unit handled it: a request for information by the triage desk
        # (needs_info that returns to submitted) still counts as "before". Once processing
        # is restricted on the citizen's request, at any point before it ended.
        applies=lambda c, now: c.responsible_unit_id is None or _processing_restricted(c),
        fields=(Field("reason", _("Why do you withdraw it? (optional)"), "textarea", required=False,
                      max_length=2000),),
        public=True, timeline=_("You withdrew the report"), ticker=_("withdrawn by the citizen"),
        personal=("reason",),
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
        sets_unit=True, measured_step=True, dangerous=True, done=_("Transferred to %(unit)s."),
        personal=("reason",)),
    Action(
        # The unit's resolution: its SLA stops here and resolved_at is stamped (the first
        # time). The proof its category asks for (Category.resolution_evidence) is checked
        # by the handler; where the category needs verification it waits in `verifying`
        # and the citizen is told only when a verifier confirms it (verify).
        "resolve", _("Resolve"), H + "do_resolve_complaint", who=(May(HANDLER),),
        edge=Edge((State.IN_PROGRESS,), targets=(State.VERIFYING, State.RESOLVED), choose=_resolved_state),
        fields=(Field("outcome", _("Outcome"), "choice", choices="Outcome"),
                Field("summary", _("The resolution summary"), "textarea", max_length=10000),
                Field("referred_to", _("Referred to"), required=False, max_length=200),
                Field("photo", _("Photo of the finished work"), "photo", required=False),
                Field("document_reference", _("Document reference (such as a letter number)"),
                      required=False, max_length=200)),
        public=True, timeline=_("Resolved"), ticker=_("resolved"), notify="resolved",
        notify_states=(State.RESOLVED,),
        timeline_by_state=((State.VERIFYING, _("The unit reported it resolved; a verifier checks it")),),
        measured_step=True, personal=("summary", "referred_to", "document_reference")),
    Action(
        # The verifier's confirmation: from now on it counts as resolved for the citizen
        # (the "resolved" e-mail, the appeal window and auto-close start here).
        "verify", _("Verify the resolution"), H + "do_verify_resolution", who=(May(VERIFIER),),
        edge=Edge((State.VERIFYING,), State.RESOLVED),
        public=True, timeline=_("Resolved (verified)"), ticker=_("resolution verified"), notify="resolved",
        done=_("Resolution verified; the citizen is told it is resolved.")),
    Action(
        "send_back", _("Send back to the unit"), H + "do_send_back_resolution", who=(May(VERIFIER),),
        edge=Edge((State.VERIFYING,), State.IN_PROGRESS),
        fields=(Field("reason", _("Why is the resolution sent back?"), "textarea", max_length=10000),),
        public=True, timeline=_("The verifier sent it back; the unit works on it again"),
        ticker=_("resolution sent back"), personal=("reason",),
        done=_("Sent back to %(unit)s.")),
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
        personal=("reason",),
        citizen_form=CitizenForm(_("Appeal: the problem is not solved"), _("Send appeal"),
                                 _("Your appeal was received; the unit will work on your report again."),
                                 intro=_("You can appeal until %(due)s. The unit will work on your report again."))),
    Action(
        "reopen_on_appeal", _("Reopen on appeal"), H + "do_reopen_on_appeal", who=(May(OVERSIGHT),),
        edge=Edge(TERMINAL_STATES, targets=(State.TRIAGED, State.SUBMITTED), choose=_reopened_state),
        # UU 27/2022: once its personal data is erased, or processing stopped at the citizen's
        # request, the complaint is not worked on again (nothing new would ever be erased).
        applies=lambda c, now: c.personal_data_erased_at is None and c.processing_restricted_at is None,
        lapsed=_("Its personal data was erased or processing stopped at the citizen's request: "
                 "it cannot be reopened."),
        fields=(Field("reason", _("The reason for reopening"), "textarea", max_length=10000),),
        public=True, timeline=_("Reopened by the oversight body"), ticker=_("reopened by oversight"),
        sets_unit=True, personal=("reason",)),
    # A citizen asks the oversight body to review a rejection or a duplicate marking; the
    # request waits in oversight's "review requested" list until oversight upholds the
    # decision (with a reason the citizen reads) or overturns it (back to triage).
    Action(
        "request_review", _("Ask for a review of the decision"), H + "do_request_review",
        who=(May(CITIZEN),), states=REVIEWABLE_STATES,
        applies=_review_may_be_requested, lapsed=_review_refused,
        fields=(Field("reason", _("Why should the decision be reviewed?"), "textarea", max_length=2000),),
        public=True, timeline=_("You asked the oversight body to review the decision"),
        depends_on=(STATE, REVIEW), touches=(REVIEW,), personal=("reason",),
        citizen_form=CitizenForm(_("Ask the oversight body to review this decision"), _("Ask for a review"),
                                 _("Your request was sent to the oversight body. You will be told its decision."),
                                 intro=_("If you think the decision is wrong, explain why. The oversight body, "
                                         "which is independent of the verification desk, will review it."))),
    Action(
        "uphold_review", _("Uphold the decision"), H + "do_uphold_review",
        who=(May(OVERSIGHT),), states=REVIEWABLE_STATES, applies=lambda c, now: _review_pending(c, now),
        fields=(Field("reason", _("The reason, shown to the citizen"), "textarea", max_length=10000),),
        public=True, timeline=_("The oversight body reviewed the decision and upheld it"),
        notify="review_upheld", depends_on=(STATE, REVIEW), touches=(REVIEW,), personal=("reason",),
        done=_("Decision upheld; the citizen is told the reason.")),
    Action(
        "overturn_review", _("Overturn the decision"), H + "do_overturn_review",
        who=(May(OVERSIGHT),),
        edge=Edge(REVIEWABLE_STATES, targets=(State.TRIAGED, State.SUBMITTED), choose=_reopened_state),
        applies=lambda c, now: _review_pending(c, now),
        fields=(Field("reason", _("The reason, shown to the citizen"), "textarea", max_length=10000),),
        public=True, timeline=_("The oversight body reviewed the decision and reopened your report"),
        ticker=_("reopened by oversight"), notify="review_overturned", sets_unit=True,
        depends_on=(STATE, UNIT, REVIEW), touches=(REVIEW,), personal=("reason",)),
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
        ticker=_("recategorised"), sets_unit=True, personal=("reason",)),
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
        # `due` names the late step; "verification" (in verifying) raises the verifier's own
        # level, never the unit's (complaints.sla.Sweep.escalate_overdue_verification).
        "escalate", _("Escalate"), H + "do_escalate_complaint", who=(May(SYSTEM),),
        states=(*OPEN_STATES, State.VERIFYING), internal=("level", "due"), ticker=_("escalated")),
    # The data subject's rights (UU 27/2022; complaints.subject_rights): a copy of their
    # data, a request to erase it or to stop processing, and the privacy officer's decision.
    # Event data holds the request's number and kind only, never the reasons.
    Action(
        "download_data", _("Copy of the citizen's data"), H + "do_download_personal_data",
        who=(May(CITIZEN),), states=tuple(State.values), depends_on=(),
        citizen_form=CitizenForm(_("Download my data"), _("Download my data (ZIP)"),
                                 _("Your download has started."),
                                 intro=_("Everything we hold about this report: what you wrote, its "
                                         "history, the e-mails we sent you and your files."),
                                 after_timeline=True)),
    Action(
        "subject_request", _("Request about personal data"), H + "do_file_subject_request",
        who=(May(CITIZEN),), states=tuple(State.values), depends_on=(),
        # Not offered once processing stopped on an approved request (nothing left to ask).
        applies=lambda c, now: c.processing_restricted_at is None,
        lapsed=_("Processing of this report has already stopped on your request."),
        fields=(Field("kind", _("What do you ask for?"), "choice", choices="SubjectObjection"),
                Field("reason", _("Why? (optional)"), "textarea", required=False, max_length=2000)),
        # The reason is kept on the request (DataSubjectRequest), never in the event; declared
        # personal all the same, should an event ever record it.
        personal=("reason",),
        citizen_form=CitizenForm(_("Erase my data or stop processing"), _("Send request"),
                                 _("Your request was received. The privacy officer decides within 72 hours."),
                                 intro=_("If the report is still being handled, it is withdrawn first. "
                                         "The public summary and the figures stay."),
                                 after_timeline=True)),
    Action(
        "approve_subject_request", _("Approve the data subject's request"), H + "do_approve_subject_request",
        who=(May(PRIVACY_OFFICER),), states=tuple(State.values), applies=_subject_request_pending,
        # Not `dangerous`: it is decided on the privacy queue's own form, never through the
        # complaint page's generic confirm step (without the queue's request it is refused).
        internal=("request",), depends_on=()),
    Action(
        "refuse_subject_request", _("Refuse the data subject's request"), H + "do_refuse_subject_request",
        who=(May(PRIVACY_OFFICER),), states=tuple(State.values), applies=_subject_request_pending,
        fields=(Field("reason", _("The reason for the refusal (the citizen reads it)"), "textarea",
                      max_length=2000),),
        internal=("request",), personal=("reason",), depends_on=()),
    Action(
        "reveal_identity", _("Reveal the reporter's identity"), H + "do_reveal_identity",
        who=(May(PRIVACY_OFFICER),), states=tuple(State.values),
        applies=lambda c, now: c.identity_mode == "confidential",
        fields=(Field("reason", _("The reason for revealing the identity"), "textarea", max_length=10000),),
        personal=("reason",)),
    # --- the audit trail's own events (never performed on a complaint by a form) ---------
    # Redaction (complaints.redaction.erase_event_personal_parts): the personal parts of the
    # complaint's events are erased; its data holds only counts and the caller's reason code.
    Action("personal_data_erased", _("Personal data erased"), H + "do_erase_personal_parts", who=(),
           performable=False, internal=("reason",)),
    # The re-seal of a chain sealed before events were split (complaints.reseal): its data
    # holds the old head MAC and event count, which roots published before it anchored.
    Action("audit_resealed", _("Audit chain re-sealed"), H + "do_reseal_chain", who=(),
           performable=False, internal=("old_head", "old_count")),
    Action(
        # UU 27/2022: personal data ends with its purpose (complaints.erasure). Only an ended
        # complaint: an open one, or one on appeal (open again), is never erased. The worker's
        # apply_retention performs it; the privacy officer's requests are issue 18 item 4.
        # `reason` is a code (erasure.ErasureReason), so the event holds no free text.
        "erase_personal_data", _("Erase the personal data"), "complaints.erasure.do_erase_personal_fields",
        who=(May(SYSTEM),), states=TERMINAL_STATES,
        applies=lambda c, now: c.personal_data_erased_at is None,
        lapsed=_("The personal data of this complaint has already been erased."),
        internal=("reason",), depends_on=()),
)}

PERFORMABLE = tuple(name for name, action in ACTIONS.items() if action.performable)
STAFF_ACTIONS = tuple(name for name in PERFORMABLE if ACTIONS[name].for_staff)
CITIZEN_ACTIONS = tuple(name for name in PERFORMABLE if ACTIONS[name].for_citizen)


def personal_keys(name):
    """The personal keys of an event of this action (complaints.audit splits them off). An
    action no longer in the registry has none declared: its whole data is treated as
    personal by the re-seal (complaints.reseal)."""
    action = ACTIONS.get(name)
    return action.personal if action else ()


def label(name):
    """What an event of this action is called on staff pages (unknown names as they are)."""
    action = ACTIONS.get(name)
    return action.label if action else name
