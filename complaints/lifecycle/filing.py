"""Filing a complaint: the one function every channel calls (web form, Open311, seeding).

`validate` checks a submission once and returns a `Submission`; `file_complaint` stores it
through the same commit path as every transition (engine.commit: audit event, save,
domain events), then lets the system perform its automatic actions (sensitive routing,
confident auto-routing) through the public entry point, engine.perform.
"""

import logging
from dataclasses import dataclass, fields

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from routing import calendar
from routing.models import Category

from .. import suggestions
from ..models import Complaint, IdentityMode, Kind, Visibility, new_tracking_code, private_by_rule
from ..permissions import ActorRef
from .engine import commit, perform
from .errors import InvalidArguments, TransitionError
from .handlers import do_file_complaint

log = logging.getLogger(__name__)

MIN_DESCRIPTION = 20


@dataclass(frozen=True)
class Submission:
    """A checked submission: every value is valid and the category's rules applied."""

    category: Category
    title: str
    description: str
    kind: str
    identity_mode: str
    visibility: str
    reporter_name: str
    reporter_email: str
    reporter_phone: str
    address: str
    latitude: float | None
    longitude: float | None
    media_url: str
    channel: str


@dataclass
class Filed:
    complaint: Complaint
    token: str | None  # None when an earlier submission with the same key was returned
    created: bool


def validate(data):
    """Check a submission; return a Submission or raise InvalidArguments with one message
    per field. Nothing is stored."""
    if isinstance(data, Submission):
        return data
    errors = {}
    category = data.get("category")
    if not isinstance(category, Category):
        category = Category.objects.filter(code=category or "", active=True).select_related(
            "default_unit", "sla_policy").first()
    if category is None or not category.active:
        errors["category"] = _("Choose a category.")
    title = (data.get("title") or "").strip()
    if not title:
        errors["title"] = _("Give your report a short title.")
    elif len(title) > 200:
        errors["title"] = _("Keep the title under 200 characters.")
    description = (data.get("description") or "").strip()
    if len(description) < MIN_DESCRIPTION:
        errors["description"] = _(
            "Describe the problem in at least %(n)d characters: what happened, where and since when."
        ) % {"n": MIN_DESCRIPTION}
    elif len(description) > 10000:
        errors["description"] = _("Keep the description under 10,000 characters.")
    kind = data.get("kind") or Kind.COMPLAINT
    if kind not in Kind.values:
        errors["kind"] = _("Choose what kind of report this is.")
    mode = data.get("identity_mode") or IdentityMode.NAMED
    if mode not in IdentityMode.values:
        errors["identity_mode"] = _("Choose how you want to be identified.")
    visibility = data.get("visibility") or Visibility.PRIVATE
    if visibility not in Visibility.values:
        errors["visibility"] = _("Choose who may see the report.")
    name = (data.get("reporter_name") or "").strip()[:200]
    email = (data.get("reporter_email") or "").strip()[:254]
    phone = (data.get("reporter_phone") or "").strip()[:40]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["reporter_email"] = _("Enter a valid e-mail address.")
    if phone and not all(ch.isdigit() or ch in "+-() " for ch in phone):
        errors["reporter_phone"] = _("Enter a phone number using digits, spaces, + and -.")
    if mode == IdentityMode.NAMED:
        if not name:
            errors["reporter_name"] = _("Give your name, or choose confidential or anonymous.")
        if not email and not phone:
            errors["reporter_email"] = _("Give an e-mail address or a phone number so the unit can reach you.")
    latitude, longitude = data.get("latitude"), data.get("longitude")
    address = (data.get("address") or "").strip()[:300]
    lat = lng = None
    if latitude not in (None, "") or longitude not in (None, ""):
        try:
            lat, lng = round(float(latitude), 6), round(float(longitude), 6)
            if not (-90 <= lat <= 90 and -180 <= lng <= 180):
                raise ValueError
        except (TypeError, ValueError):
            errors["latitude"] = _("Give both latitude and longitude as numbers, or leave both empty.")
    if category is not None and category.location_required and not address and lat is None:
        errors["address"] = _("This category needs a location: give an address or a point on the map.")
    if errors:
        raise InvalidArguments(_("Please correct the marked fields."), errors)
    visibility, mode = private_by_rule(category, visibility, mode)
    if mode == IdentityMode.ANONYMOUS:
        name, phone = "", ""  # the e-mail, if any, is used once for the receipt, then erased
    return Submission(
        category=category, title=title, description=description, kind=kind, identity_mode=mode,
        visibility=visibility, reporter_name=name, reporter_email=email, reporter_phone=phone,
        address=address, latitude=lat, longitude=lng,
        media_url=(data.get("media_url") or "").strip()[:500], channel=data.get("channel") or "web",
    )


def file_complaint(data, actor=None, *, language="id", idempotency_key=None, user=None, now=None):
    """Store a new complaint from a Submission (or raw data, validated here). Returns
    Filed(complaint, token, created).

    The idempotency key is unique in the database: a second submission with the same key
    returns the complaint created the first time (created=False, token=None: the token
    exists only in the first answer), also when both arrive at once."""
    submission = validate(data)
    actor = actor or ActorRef.citizen()
    now = now or timezone.now()
    try:
        with transaction.atomic():
            complaint, token, receipt_email = _insert(submission, language, idempotency_key, user, now)
            change = do_file_complaint(complaint, acting_user=actor, now=now, channel=submission.channel)
            commit(complaint, "filed", actor, now, change, from_state="", before=None,
                   receipt_email=receipt_email, token=token)
            for action, args in suggestions.automatic_actions(complaint):
                try:
                    with transaction.atomic():
                        perform(complaint, action, ActorRef.system("auto-routing"), now=now, **args)
                except TransitionError:
                    # Filing stands even when automatic routing cannot be done.
                    log.warning("automatic %s of %s refused", action, complaint.tracking_code)
    except IntegrityError:
        existing = Complaint.objects.filter(idempotency_key=idempotency_key).first() if idempotency_key else None
        if existing is None:
            raise
        return Filed(existing, None, False)
    return Filed(Complaint.objects.get(pk=complaint.pk), token, True)


def _insert(submission, language, idempotency_key, user, now):
    values = {f.name: getattr(submission, f.name) for f in fields(submission) if f.name != "channel"}
    receipt_email = submission.reporter_email
    if submission.identity_mode == IdentityMode.ANONYMOUS:
        values["reporter_email"] = ""  # used once for the receipt (outbox), never stored here
    policy = submission.category.sla_policy
    complaint = Complaint(
        **values, language=language[:8],
        idempotency_key=idempotency_key or None,
        reporter_user=user if (user and submission.identity_mode != IdentityMode.ANONYMOUS) else None,
        submitted_at=now, created_at=now, updated_at=now,
        triage_due_at=calendar.add_target(now, policy.triage_target, policy.time_unit),
    )
    token = complaint.set_new_token()
    for _attempt in range(5):
        complaint.tracking_code = new_tracking_code()
        if not Complaint.objects.filter(tracking_code=complaint.tracking_code).exists():
            break
    # Suggestions are computed within the request (a few milliseconds).
    complaint.suggested_units = suggestions.suggest_for(complaint)
    complaint.save(force_insert=True)
    return complaint, token, receipt_email
