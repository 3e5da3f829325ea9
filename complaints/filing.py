"""Filing a complaint: the one function the web form and the Open311 API both call."""

import hashlib
import json
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from routing import calendar
from routing.models import Category

from . import audit, suggestions
from .models import Complaint, IdentityMode, Kind, Visibility, new_tracking_code, private_by_rule
from .permissions import ActorRef
from .signals import complaint_changed, complaint_committed
from .transitions import InvalidArguments, TransitionError, _run

log = logging.getLogger(__name__)

MIN_DESCRIPTION = 20


@dataclass
class Filed:
    complaint: Complaint
    token: str | None  # None when an earlier identical submission was returned
    created: bool


class KeyReused(InvalidArguments):
    """The idempotency key already belongs to a submission with other content, and the
    caller asked for that to be refused rather than filed as a new report."""

    def __init__(self):
        super().__init__(_("This submission's idempotency key was already used for a report with "
                           "other content. Use a new key for a new report."))


# What a submission says, for recognising the same submission sent again.
CONTENT_FIELDS = ("category", "title", "description", "kind", "identity_mode", "visibility",
                  "reporter_name", "reporter_email", "reporter_phone", "address", "latitude",
                  "longitude", "media_url")


def content_hash(clean, extra=()):
    """A digest of a validated submission (and `extra`, e.g. its attachments' digests).
    Keyed with the server's secret and, for anonymous reports, without the receipt
    address: the stored digest must not let anyone confirm a guess of who wrote it."""
    fields = {name: clean[name] for name in CONTENT_FIELDS}
    fields["category"] = clean["category"].code
    if clean["identity_mode"] == IdentityMode.ANONYMOUS:
        fields["reporter_email"] = ""
    payload = json.dumps([fields, list(extra)], sort_keys=True, default=str)
    return salted_hmac("aduan.filing.content", payload, algorithm="sha256").hexdigest()


def _filed_under(key, digest, refuse_changed):
    """(the key this content is filed under, the complaint already filed with it or None).
    A key taken by other content (a reused form: Back, a restored tab) is never a reason
    to drop the new content: it is filed under a key derived from both, so that sending
    that content again still finds it; or, when asked, refused."""
    existing = Complaint.objects.filter(idempotency_key=key).first()
    # An empty digest: filed before digests were kept; treated as the same content.
    if existing is None or existing.content_hash in ("", digest):
        return key, existing
    if refuse_changed:
        raise KeyReused()
    key = hashlib.sha256(f"{key}\x1f{digest}".encode()).hexdigest()
    return key, Complaint.objects.filter(idempotency_key=key).first()


def validate(data):
    """Check a submission; return cleaned values or raise InvalidArguments with one
    message per field. Nothing is stored."""
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
        from django.core.validators import validate_email
        from django.core.exceptions import ValidationError

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
    return {
        "category": category, "title": title, "description": description, "kind": kind,
        "identity_mode": mode, "visibility": visibility, "reporter_name": name,
        "reporter_email": email, "reporter_phone": phone, "address": address,
        "latitude": lat, "longitude": lng,
        "media_url": (data.get("media_url") or "").strip()[:500],
    }


def file_complaint(data, actor=None, *, language="id", idempotency_key=None, user=None, now=None,
                   extra_content=(), refuse_changed=False, token_for=None, admit=None):
    """Validate and store a new complaint. Returns Filed(complaint, token, created).

    The same idempotency key with the same content (see content_hash; `extra_content` is
    added to it) returns the complaint created the first time (created=False, token=None:
    the token exists only in the first answer). The same key with other content files a
    new complaint, or raises KeyReused when `refuse_changed`.
    `token_for(key)` makes the access token from the key the complaint is stored under
    (random otherwise). `admit()` is called only when a complaint is about to be created
    and may raise to refuse it (a rate limit that counts creations, not resends)."""
    actor = actor or ActorRef.citizen()
    clean = validate(data)
    digest = content_hash(clean, extra_content)
    for _attempt in range(2):
        filed = _file_once(data, clean, digest, actor, language=language, key=idempotency_key,
                           user=user, now=now, refuse_changed=refuse_changed,
                           token_for=token_for, admit=admit)
        if filed is not None:
            return filed
    raise IntegrityError("the idempotency key was taken twice by concurrent other content")


def _file_once(data, clean, digest, actor, *, language, key, user, now, refuse_changed, token_for, admit):
    """One attempt; None when a concurrent submission with this key and other content won
    the race (the caller tries again and then sees it)."""
    if key:
        key, existing = _filed_under(key, digest, refuse_changed)
        if existing:
            return Filed(existing, None, False)
    if admit is not None:
        admit()
    clean = dict(clean)
    now = now or timezone.now()
    receipt_email = clean["reporter_email"]
    if clean["identity_mode"] == IdentityMode.ANONYMOUS:
        clean["reporter_email"] = ""
    policy = clean["category"].sla_policy
    try:
        with transaction.atomic():
            complaint = Complaint(
                **clean,
                language=language[:8],
                idempotency_key=key or None, content_hash=digest,
                reporter_user=user if (user and clean["identity_mode"] != IdentityMode.ANONYMOUS) else None,
                submitted_at=now, created_at=now, updated_at=now,
                triage_due_at=calendar.add_target(now, policy.triage_target, policy.time_unit),
            )
            token = complaint.set_new_token(token_for(key) if token_for and key else None)
            for _attempt in range(5):
                complaint.tracking_code = new_tracking_code()
                if not Complaint.objects.filter(tracking_code=complaint.tracking_code).exists():
                    break
            # Suggestions are computed within the request (a few milliseconds).
            complaint.suggested_units = suggestions.suggest_for(complaint)
            complaint.save()
            event = audit.append_event(
                complaint, kind="filed", actor=actor, to_state=complaint.state, public=True,
                data={"category": clean["category"].code, "kind": clean["kind"],
                      "identity_mode": clean["identity_mode"], "visibility": clean["visibility"],
                      "channel": data.get("channel", "web")},
                now=now,
            )
            complaint.save(update_fields=["audit_count", "audit_head", "audit_seal"])
            payload = dict(complaint=complaint, event=event, action="filed", from_state="",
                           to_state=complaint.state, previous=None, now=now,
                           receipt_email=receipt_email, token=token)
            complaint_changed.send(sender=Complaint, **payload)
            transaction.on_commit(lambda: complaint_committed.send(sender=Complaint, **{
                k: v for k, v in payload.items() if k not in ("token", "receipt_email")}))
            for action, args in suggestions.automatic_actions(complaint):
                try:
                    with transaction.atomic():
                        _run(complaint, action, ActorRef.system("auto-routing"), now, args)
                except TransitionError:
                    # Filing stands even when automatic routing cannot be done.
                    log.warning("automatic %s of %s refused", action, complaint.tracking_code)
                    complaint = Complaint.objects.get(pk=complaint.pk)
    except IntegrityError:
        existing = Complaint.objects.filter(idempotency_key=key).first() if key else None
        if existing is None:
            raise
        if existing.content_hash in ("", digest):  # a concurrent identical submission won the race
            return Filed(existing, None, False)
        return None  # a concurrent different one took the key: try again under the derived key
    return Filed(complaint, token, True)


