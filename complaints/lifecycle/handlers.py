"""What each action does to the complaint: one `do_<verb>_<noun>` per registry entry
(complaints.lifecycle.actions), called only by the commit path (engine.perform), which has
locked the row and checked state and permission. A handler validates its arguments first
and raises InvalidArguments (changing nothing) when they are wrong, then sets fields and
returns a Change (the audit event's data, messages, follow-up actions).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from areas.models import Area
from routing import calendar
from routing.models import Category, Unit

from .. import permissions
from ..models import (Attachment, Complaint, DataSubjectRequest, Event, Message, Outcome, RejectReason,
                      SubjectObjection, SubjectRequestKind, private_by_rule)
from ..uploads import PDF, UploadRejected, clean_upload
from .engine import Change
from .errors import InvalidArguments, NotPermitted
from .states import State


# --- argument helpers ----------------------------------------------------------------------
def _text(value, name, label, required=True, max_length=10000):
    value = (value or "").strip()
    if required and not value:
        raise InvalidArguments(_("%(field)s is required.") % {"field": label}, {name: label})
    if len(value) > max_length:
        raise InvalidArguments(_("%(field)s is too long.") % {"field": label}, {name: label})
    return value


def find_unit(value):
    """An active unit from a Unit, a code or a pk; InvalidArguments otherwise."""
    if isinstance(value, Unit):
        unit = value
    elif value:
        unit = Unit.objects.filter(code=value).first() or (
            Unit.objects.filter(pk=value).first() if str(value).isdigit() else None)
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


def checked(value):
    """A ticked checkbox (or True from code); anything else, including absence, is no."""
    return value is True or str(value or "").strip().lower() in ("on", "1", "true", "yes")


def _rating(value, required=False):
    if value in (None, ""):
        if required:
            raise InvalidArguments(_("Give a rating from 1 to 5."), {"rating": _("Give a rating from 1 to 5.")})
        return None
    try:
        rating = int(value)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise InvalidArguments(_("Give a rating from 1 to 5."), {"rating": _("Give a rating from 1 to 5.")})
    return rating


def _stamp_first_response(c, now):
    if c.triaged_at is not None and c.first_response_at is None:
        c.first_response_at = now


def _unit_message(c, actor, body, now, visibility=Message.Visibility.PUBLIC):
    return Message(
        complaint=c, visibility=visibility, author_type=actor.type,
        author_user=actor.user if actor.type == "user" else None,
        author_unit=c.responsible_unit if actor.type != "citizen" else None,
        body=body, created_at=now)


def _citizen_message(c, body, now):
    return Message(complaint=c, visibility=Message.Visibility.PUBLIC, author_type="citizen",
                   body=body, created_at=now)


def set_routing_due_dates(c, now):
    policy = c.category.sla_policy
    c.response_due_at = calendar.add_target(now, policy.response_target, policy.time_unit)
    c.resolution_due_at = calendar.add_target(
        now, policy.resolution_target(c.category.resolution_class), policy.time_unit)


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


# --- filing ----------------------------------------------------------------------------
def do_file_complaint(c, *, acting_user, now, channel="web", intake=None):
    """Filing's event data (complaints.lifecycle.filing builds the row itself). `intake`:
    the role of the staff member who filed on the citizen's behalf, and the day the call,
    visit or letter came in (the event's actor is that staff member)."""
    data = {"category": c.category.code, "kind": c.kind, "identity_mode": c.identity_mode,
            "visibility": c.visibility, "channel": channel}
    if intake:
        data["intake"] = dict(intake)
    return Change(data=data)


# --- state changes -------------------------------------------------------------------------
def do_triage_complaint(c, *, acting_user, now, unit=None, auto=False):
    # Routing never publishes anything: that is approve_summary's explicit step.
    unit = routed_unit(c, find_unit(unit))
    c.responsible_unit = unit
    c.triaged_at = now
    set_routing_due_dates(c, now)
    suggested = c.suggested_units[0][0] if c.suggested_units else None
    return Change(data={
        "unit": unit.code,
        "suggested_unit": suggested,
        "accepted_suggestion": suggested == unit.code if suggested else None,
        "auto": bool(auto),
    })


def do_request_info(c, *, acting_user, now, message=None):
    message = _text(message, "message", _("The question to the citizen"))
    c.info_return_state = c.state
    c.info_requested_at = now
    c.info_due_at = calendar.add_working_days(now, settings.NEEDS_INFO_TIMEOUT_WORKING_DAYS)
    if c.state != State.SUBMITTED:
        _stamp_first_response(c, now)
    return Change(data={"message": message}, messages=[_unit_message(c, acting_user, message, now)])


def do_provide_info(c, *, acting_user, now, message=None):
    message = _text(message, "message", _("Your answer"))
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
    return Change(data={"paused_seconds": int(paused.total_seconds()), "message": message},
                  messages=[_citizen_message(c, message, now)])


def do_reject_complaint(c, *, acting_user, now, reason=None, message=None):
    if reason not in RejectReason.values:
        raise InvalidArguments(_("Choose a reason for the rejection."), {"reason": _("Choose a reason.")})
    message = _text(message, "message", _("The explanation to the citizen"))
    c.reject_reason = reason
    c.reject_message = message
    c.info_requested_at = None
    c.info_due_at = None
    return Change(data={"reason": reason, "message": message})


def do_mark_duplicate(c, *, acting_user, now, duplicate_of=None):
    code = (duplicate_of.tracking_code if isinstance(duplicate_of, Complaint)
            else str(duplicate_of or "").strip().upper())
    # Only complaints the actor may open, of the same sensitivity, can be the original; any
    # other code (unknown, invisible, or whose root is) gets one answer, so that triage
    # cannot learn whether an abuse-of-power complaint's code exists.
    candidates = Complaint.objects.filter(permissions.duplicate_originals_q(acting_user.user, c))
    original = candidates.filter(tracking_code=code).first() if code else None
    while original is not None and original.duplicate_of_id:  # the root, never another duplicate
        original = candidates.filter(pk=original.duplicate_of_id).first()
    if original is None:
        raise InvalidArguments(
            _("Name the complaint this one duplicates."),
            {"duplicate_of": _("No complaint that this one can duplicate has this tracking code.")})
    if original.pk == c.pk:
        raise InvalidArguments(_("A complaint cannot duplicate itself."),
                               {"duplicate_of": _("A complaint cannot duplicate itself.")})
    c.duplicate_of = original
    return Change(data={"duplicate_of": original.tracking_code})


def do_withdraw_complaint(c, *, acting_user, now, reason=None):
    """The citizen takes back a report no unit has handled yet (the registry's `applies`
    rule); nothing about it is measured against a unit."""
    reason = _text(reason, "reason", _("Reason"), required=False, max_length=2000)
    c.info_requested_at = None
    c.info_due_at = None
    return Change(data={"reason": reason})


def do_start_work(c, *, acting_user, now):
    _stamp_first_response(c, now)
    if c.assignee_id is None and acting_user.type == "user":
        c.assignee = acting_user.user
    return Change()


def do_transfer_complaint(c, *, acting_user, now, unit=None, reason=None):
    reason = _text(reason, "reason", _("The reason for the transfer"))
    unit = routed_unit(c, find_unit(unit))
    if unit.pk == c.responsible_unit_id:
        raise InvalidArguments(_("The complaint is already with this unit."), {"unit": _("Choose another unit.")})
    old = c.responsible_unit.code if c.responsible_unit else None
    c.responsible_unit = unit
    c.assignee = None
    return Change(data={"from_unit": old, "unit": unit.code, "reason": reason})


def _resolution_proof(c, photo, document_reference):
    """The proof the category asks for (Category.resolution_evidence), checked before
    anything changes: (kind, cleaned photo or None, reference, event data). A photo goes
    through the citizens' upload check (type by content, metadata stripped) and must be
    an image; a document is named by its reference (a letter number)."""
    required = c.category.resolution_evidence
    reference = _text(document_reference, "document_reference", _("Document reference"), required=False,
                      max_length=200)
    if "\x00" in reference:
        raise InvalidArguments(_("The document reference contains characters that are not allowed."),
                               {"document_reference": _("Not allowed characters.")})
    if required == Category.Evidence.PHOTO:
        if not photo:
            message = _("This category needs a photo of the finished work to resolve a complaint.")
            raise InvalidArguments(message, {"photo": message})
        try:
            clean = clean_upload(photo)
        except UploadRejected as exc:
            raise InvalidArguments(exc.message, {"photo": exc.message}) from None
        if clean.content_type == PDF:
            message = _("The proof must be a photo (JPEG, PNG or WebP), not a PDF document.")
            raise InvalidArguments(message, {"photo": message})
        return "photo", clean, "", {"kind": "photo", "sha256": clean.digest}
    if required == Category.Evidence.DOCUMENT:
        if not reference:
            message = _("This category needs the reference of a document (such as a letter number) "
                        "to resolve a complaint.")
            raise InvalidArguments(message, {"document_reference": message})
        # The reference itself is typed text: it goes into the event's personal part
        # (resolve's `document_reference`), never into its facts.
        return "document", None, reference, {"kind": "document"}
    return "", None, "", None


def _proof_attachment(c, clean, now):
    # Its row is saved with the change (Change.rows).
    return Attachment.from_upload(c, clean, purpose=Attachment.Purpose.RESOLUTION, original_name="", created_at=now)


def do_resolve_complaint(c, *, acting_user, now, outcome=None, summary=None, referred_to=None, photo=None,
                         document_reference=None):
    summary = _text(summary, "summary", _("The resolution summary"))
    if outcome not in Outcome.values:
        raise InvalidArguments(_("Choose the outcome."), {"outcome": _("Choose the outcome.")})
    referred_to = (referred_to or "").strip()
    if outcome == Outcome.NOT_OUR_AUTHORITY and not referred_to:
        raise InvalidArguments(_("Say where the complaint was referred to."),
                               {"referred_to": _("Required for this outcome.")})
    evidence, clean, reference, proof = _resolution_proof(c, photo, document_reference)
    # Everything is valid: from here on the complaint changes.
    _stamp_first_response(c, now)
    c.outcome, c.resolution_summary, c.referred_to = outcome, summary, referred_to
    c.resolution_evidence, c.resolution_reference = evidence, reference
    c.resolved_by = acting_user.user if acting_user.type == "user" else None
    # The unit's resolution SLA stops here, also when a verifier still has to confirm it.
    if c.resolved_at is None:
        c.resolved_at = now
    c.final_resolved_at = now
    data = {"outcome": outcome, "summary": summary, "referred_to": referred_to}
    if reference:
        data["document_reference"] = reference
    change = Change(data=data)
    if proof:
        data["evidence"] = proof
    if clean is not None:
        change.rows.append(_proof_attachment(c, clean, now))
    if c.category.needs_verification:
        # The verifier's own clock; the citizen's appeal window starts at verification.
        c.verification_due_at = calendar.add_working_days(now, c.category.verification_target_days)
        c.verification_escalation_level = 0  # a new verification, late or not on its own
        c.appeal_due_at = None
        data["verification_due"] = c.verification_due_at.isoformat()
    else:
        c.appeal_due_at = calendar.add_working_days(now, settings.APPEAL_WINDOW_WORKING_DAYS)
    return change


def do_verify_resolution(c, *, acting_user, now):
    """A verifier other than the resolver (the VERIFIER role) confirms the resolution: the
    citizen is told it is resolved, and the appeal window (then auto-close) starts now."""
    c.verified_at = now
    c.appeal_due_at = calendar.add_working_days(now, settings.APPEAL_WINDOW_WORKING_DAYS)
    c.verification_escalation_level = 0  # the verification is done: no longer escalated (the audit keeps it)
    return Change(data={"late": bool(c.verification_due_at and now > c.verification_due_at)})


def do_send_back_resolution(c, *, acting_user, now, reason=None):
    """The verifier finds the work not done: back to the unit (in_progress). The first
    resolved_at stays, as after an appeal; the unit resolves again, with proof again."""
    reason = _text(reason, "reason", _("Why is the resolution sent back?"))
    if "\x00" in reason:
        raise InvalidArguments(_("The reason contains characters that are not allowed."),
                               {"reason": _("Not allowed characters.")})
    c.sent_back_count += 1
    c.verified_at = None
    c.verification_escalation_level = 0  # the verification ended (the audit keeps that it was late)
    # The verifier found the proof wanting: it no longer stands for the resolution (the
    # photo stays among the complaint's files and in the audit event of that resolve).
    c.resolution_evidence, c.resolution_reference = "", ""
    return Change(data={"reason": reason},
                  messages=[_unit_message(c, acting_user, reason, now, visibility=Message.Visibility.INTERNAL)])


def do_confirm_resolution(c, *, acting_user, now, rating=None, comment=None):
    rating = _rating(rating)
    comment = _text(comment, "comment", _("Comment"), required=False, max_length=2000)
    c.closed_at = now
    if rating is not None:
        c.rating, c.rating_comment = rating, comment
    return Change(data={"rating": rating})


def do_auto_close(c, *, acting_user, now):
    if c.appeal_due_at is None or now < c.appeal_due_at:
        raise InvalidArguments(_("The appeal window is still open."))
    c.closed_at = now
    return Change()


def do_reopen_complaint(c, *, acting_user, now, reason=None):
    """The citizen's appeal against a resolution, inside the appeal window."""
    reason = _text(reason, "reason", _("The reason for your appeal"))
    c.reopen_count += 1
    c.appeal_due_at = None
    return Change(data={"reason": reason}, messages=[_citizen_message(c, reason, now)])


def do_reopen_on_appeal(c, *, acting_user, now, reason=None):
    """Oversight reopens an ended complaint: to its last unit (or oversight when the
    category is sensitive), or back to triage when it never had one."""
    reason = _text(reason, "reason", _("The reason for reopening"))
    data = {"reason": reason}
    _reroute(c, data)
    c.duplicate_of = None
    c.reject_reason = ""
    c.appeal_due_at = None
    c.review_requested_at = None  # reopening answers a pending review request too
    if c.resolved_at is not None:
        c.reopen_count += 1
    return Change(data=data)


def _review_reason(value, label, max_length):
    reason = _text(value, "reason", label, max_length=max_length)
    if "\x00" in reason:
        raise InvalidArguments(_("%(field)s contains a character that is not allowed.") % {"field": label},
                               {"reason": label})
    return reason


def do_request_review(c, *, acting_user, now, reason=None):
    """The citizen asks oversight to review a rejection or a duplicate marking (the
    registry's rule: within REVIEW_REQUEST_DAYS, one pending request at a time)."""
    reason = _review_reason(reason, _("Why should the decision be reviewed?"), 2000)
    c.review_requested_at = now
    return Change(data={"reason": reason})


def do_uphold_review(c, *, acting_user, now, reason=None):
    """Oversight keeps the decision; the reason reaches the citizen (timeline, e-mail)."""
    reason = _review_reason(reason, _("The reason, shown to the citizen"), 10000)
    c.review_requested_at = None
    return Change(data={"reason": reason})


def do_overturn_review(c, *, acting_user, now, reason=None):
    """Oversight overturns the decision: the complaint goes back to triage (or to its last
    unit, as a reopening on appeal does)."""
    reason = _review_reason(reason, _("The reason, shown to the citizen"), 10000)
    data = {"reason": reason, "decision": c.state}
    _reroute(c, data)
    c.review_requested_at = None
    c.duplicate_of = None
    c.reject_reason = ""
    return Change(data=data)


# --- actions that keep the state -----------------------------------------------------------
def do_recategorise_complaint(c, *, acting_user, now, category=None, reason=None, subject_unit=None):
    """Change the category. Leaving a sensitive category declassifies (oversight only: the
    registry's rule for a sensitive complaint) and needs a reason and the unit it is about."""
    if not isinstance(category, Category):
        category = Category.objects.filter(code=category or "", active=True).first()
    if category is None or not category.active:
        raise InvalidArguments(_("Choose an active category."), {"category": _("Choose an active category.")})
    if category.pk == c.category_id:
        raise InvalidArguments(_("The complaint already has this category."),
                               {"category": _("Choose another category.")})
    change = Change(data={"from_category": c.category.code, "category": category.code})
    reason = _text(reason, "reason", _("The reason for the change"), required=False)
    if c.category.sensitive and not category.sensitive:
        change.data.update(_declassify(c, reason, subject_unit, now))
    elif reason:
        change.data["reason"] = reason
    c.category = category
    if category.sensitive:
        c.visibility, c.identity_mode = private_by_rule(category, c.visibility, c.identity_mode)
        c.public_summary_approved_at = None
        if c.responsible_unit is not None:
            _reroute(c, change.data)
        elif c.state == State.SUBMITTED:
            change.follow_ups.append(("triage", {"unit": routed_unit(c, category.default_unit), "auto": True}))
    return change


def do_set_area(c, *, acting_user, now, area=None):
    """Correct the complaint's area (a kecamatan or kelurahan/desa code)."""
    found = Area.find(area)
    if found is None:
        raise InvalidArguments(_("Choose an area from the list."), {"area": _("Choose an area from the list.")})
    if found.pk == c.area_id:
        raise InvalidArguments(_("The complaint already has this area."), {"area": _("Choose another area.")})
    change = Change(data={"from_area": c.area.code if c.area_id else None, "area": found.code})
    c.area = found
    return change


NO_SUBJECT_UNIT = "none"


def _declassify(c, reason, subject_unit, now):
    """Taking a complaint out of a sensitive category: the reason is recorded, and oversight
    names the unit the complaint is about (or says it is about none), which routing refuses
    from then on. Its history so far stays with the readers of sensitive complaints
    (permissions.sensitive_history_reading)."""
    if not reason:
        label = _("The reason for taking the complaint out of its sensitive category")
        raise InvalidArguments(_("%(field)s is required.") % {"field": label}, {"reason": label})
    value = (subject_unit or "").strip()
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


def do_approve_summary(c, *, acting_user, now, public_title=None, public_summary=None, public_location=None,
                       publish_media=None, publish=None):
    """Publish: the officer's title, summary and location text, and the citizen's media
    link only if asked. Nothing happens without the explicit `publish` tick."""
    if not checked(publish):
        raise InvalidArguments(
            _("Tick “Publish” to confirm that this text may appear on the public site and in Open311."),
            {"publish": _("Tick to publish.")})
    title = _text(public_title, "public_title", _("Public title"), max_length=200)
    summary = _text(public_summary, "public_summary", _("Public summary"), max_length=5000)
    location = _text(public_location, "public_location", _("Public location"), required=False, max_length=300)
    media = checked(publish_media) and bool(c.media_url)
    if media and not (acting_user.is_staff_user and permissions.reads_unmasked(acting_user.user, c)):
        # The link may identify the reporter; only an officer who can read it may publish it.
        raise InvalidArguments(_("You cannot publish a media link that is masked for you."),
                               {"publish_media": _("Not available for this report.")})
    c.public_title, c.public_summary, c.public_location = title, summary, location
    c.public_media_approved = media
    c.public_summary_approved_at = now
    return Change(data={"location": bool(location), "media_url": media})


def do_assign_complaint(c, *, acting_user, now, assignee=None):
    User = get_user_model()
    assignee = assignee or None  # an empty choice means "unassign" (supervisors only)
    if assignee is not None and not isinstance(assignee, User):
        assignee = User.objects.filter(pk=assignee).first() if str(assignee).isdigit() else None
        if assignee is None:
            raise InvalidArguments(_("Choose an officer of the unit."), {"assignee": _("Unknown officer.")})
    if not permissions.supervises(acting_user.user, c):
        if assignee is None or assignee.pk != acting_user.user.pk:
            raise NotPermitted(_("Officers can only assign complaints to themselves."))
    if assignee is not None and not permissions.handles(assignee, c):
        raise InvalidArguments(_("Choose an officer of the unit."), {"assignee": _("Not an officer of this unit.")})
    c.assignee = assignee
    return Change(data={"assignee": assignee.get_username() if assignee else None})


def do_reply_publicly(c, *, acting_user, now, body=None):
    body = _text(body, "body", _("The reply"))
    _stamp_first_response(c, now)
    return Change(messages=[_unit_message(c, acting_user, body, now)])


def do_add_note(c, *, acting_user, now, body=None):
    body = _text(body, "body", _("The note"))
    return Change(messages=[_unit_message(c, acting_user, body, now, visibility=Message.Visibility.INTERNAL)])


def do_add_comment(c, *, acting_user, now, body=None):
    body = _text(body, "body", _("Your comment"), max_length=5000)
    return Change(messages=[_citizen_message(c, body, now)])


def do_rate_result(c, *, acting_user, now, rating=None, comment=None):
    c.rating = _rating(rating, required=True)
    c.rating_comment = _text(comment, "comment", _("Comment"), required=False, max_length=2000)
    return Change(data={"rating": c.rating})


def do_escalate_complaint(c, *, acting_user, now, level=None, due=""):
    try:
        level = int(level)
    except (TypeError, ValueError):
        level = 0
    # The verifier's lateness has its own level, so that a unit escalated for its own
    # lateness still alerts the verifiers, and the unit's level (exported with the public
    # figures) never records a delay that is not the unit's.
    verification = due == "verification"
    if verification != (c.state == State.VERIFYING):
        raise InvalidArguments(_("Only a verification is escalated while the complaint is being verified."))
    field = "verification_escalation_level" if verification else "escalation_level"
    # Under the row lock: a level already reached (another sweep was first) is refused
    # here, so each level is escalated, and alerted, once.
    if level not in (1, 2) or level <= getattr(c, field):
        raise InvalidArguments(_("The escalation level must go up, to 1 or 2."))
    setattr(c, field, level)
    return Change(data={"level": level, "due": due or ""})


def do_reveal_identity(c, *, acting_user, now, reason=None):
    reason = _text(reason, "reason", _("The reason for revealing the identity"))
    return Change(data={"reason": reason})



# --- the audit trail's own events ----------------------------------------------------------
def do_erase_personal_parts(c, *, acting_user, now, reason=""):
    """Erase the personal part and its salt from every event of `c` so far (the caller,
    complaints.redaction, holds the row lock). Each event keeps its commitment, so the chain
    still verifies. The event's data holds how many events were redacted, up to which one,
    and the caller's reason code: never a personal value."""
    count = (Event.objects.filter(complaint=c, personal_erased_at__isnull=True)
             .exclude(personal_hash="").exclude(personal_hash__isnull=True)
             .update(personal={}, personal_salt="", personal_erased_at=now))
    return Change(data={"events": count, "through": c.audit_count, "reason": reason})


def do_reseal_chain(c, *, acting_user, now, old_head="", old_count=0):
    """The re-seal's record (complaints.reseal): the head MAC and event count the old chain
    ended with when it verified, so that roots published before it can still be checked."""
    return Change(data={"old_head": old_head, "old_count": old_count})
# --- the data subject's rights (complaints.subject_rights) ---------------------------------
def do_download_personal_data(c, *, acting_user, now):
    """The citizen takes a copy of everything held about their report; recorded as an
    access request decided at once (the copy is the answer)."""
    request = DataSubjectRequest(complaint=c, kind=SubjectRequestKind.ACCESS, submitted_at=now,
                                 due_at=DataSubjectRequest.due_for(now),
                                 state=DataSubjectRequest.Status.APPROVED, decided_at=now)
    request.save()
    return Change(data={"request": request.pk, "kind": request.kind})


def do_file_subject_request(c, *, acting_user, now, kind=None, reason=None):
    """The citizen asks to erase their data or to stop processing; a privacy officer decides
    within SUBJECT_REQUEST_HOURS. One request waits at a time."""
    if kind not in SubjectObjection.values:
        raise InvalidArguments(_("Choose what you ask for."), {"kind": _("Choose what you ask for.")})
    reason = _text(reason, "reason", _("Reason"), required=False, max_length=2000)
    if c.subject_requests.filter(state=DataSubjectRequest.Status.PENDING).exists():
        message = _("You already have a request waiting for a decision on this report; "
                    "you will see the decision on this page.")
        raise InvalidArguments(message, {"kind": message})
    request = DataSubjectRequest(complaint=c, kind=kind, reason=reason, submitted_at=now,
                                 due_at=DataSubjectRequest.due_for(now))
    request.save()
    return Change(data={"request": request.pk, "kind": kind})


def _pending_request(c, request):
    """The complaint's pending request named by `request` (an instance or a pk). Only the
    privacy queue (complaints.subject_rights) passes it, after locking the row."""
    pk = request.pk if isinstance(request, DataSubjectRequest) else request
    found = (DataSubjectRequest.objects.select_for_update().filter(pk=pk, complaint=c).first()
             if str(pk or "").isdigit() else None)
    if found is None:
        raise InvalidArguments(_("Decide requests from the privacy officer's queue."))
    if found.state != DataSubjectRequest.Status.PENDING:
        raise InvalidArguments(_("This request was already decided."))
    return found


def do_approve_subject_request(c, *, acting_user, now, request=None):
    """Record the approval and restrict processing (no more e-mails); the privacy queue then
    withdraws the complaint if it is still open and, for an erasure, erases it."""
    found = _pending_request(c, request)
    found.state = DataSubjectRequest.Status.APPROVED
    found.decided_at, found.decided_by = now, acting_user.user
    if found.kind == SubjectRequestKind.ERASE:
        found.reason = ""  # the citizen's own words go with the rest
    found.save()
    c.processing_restricted_at = c.processing_restricted_at or now
    return Change(data={"request": found.pk, "kind": found.kind})


def do_refuse_subject_request(c, *, acting_user, now, request=None, reason=None):
    """Refuse with a reason the citizen reads on the tracking page (e.g. an appeal in
    progress, an abuse-of-power complaint under investigation)."""
    reason = _text(reason, "reason", _("The reason for the refusal"), max_length=2000)
    found = _pending_request(c, request)
    found.state = DataSubjectRequest.Status.REFUSED
    found.decided_at, found.decided_by = now, acting_user.user
    found.refusal_reason = reason
    found.save()
    return Change(data={"request": found.pk, "kind": found.kind})
