"""SMS intake: the webhook an SMS gateway POSTs each inbound SMS to (/intake/sms/), and the
keyword commands it understands. See docs/channels.md, "SMS".

The request is checked before anything in it is read: its size (SMS_MAX_BODY_BYTES, else
413) and the HMAC-SHA256 of the raw body with SMS_WEBHOOK_SECRET in SMS_SIGNATURE_HEADER
(else 403, nothing stored). Then every SMS is recorded (InboundMessage, channel "sms": its
text and a keyed digest of the number, never the number) and handled once per gateway
message id:

- `LAPOR <category keyword> <text> [LOKASI <place>]` (English: REPORT ... LOCATION ...) files
  a submitted complaint, channel "sms", the number as the reporter's contact; the receipt
  goes back by SMS through the outbox (complaints.notifications). What is missing (the
  category keyword, the text, a place for a category that needs one) is asked for by SMS,
  nothing filed.
- `CEK <code>` / `STATUS <code>` answers the status only to the number that filed it; any
  other number, or an unknown code, gets the web tracking page's wrong-code answer.
- More than INTAKE_SMS_PER_SENDER SMS from one number per window are `throttled`: recorded,
  neither handled nor answered (no reply amplification).

Replies are SMS in the sender's language (Indonesian; English after REPORT or STATUS),
written to the outbox (kind "sms_reply", the number erased once sent).
"""

import hashlib
import hmac
import json
import logging
import re
import urllib.parse

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from routing.models import Category

from .. import outbox
from ..lifecycle.errors import InvalidArguments
from ..lifecycle.filing import MIN_DESCRIPTION, file_complaint
from ..models import Channel, Complaint, IdentityMode, InboundMessage, Kind, Visibility
from ..ratelimit import Limit
from .mail import clean_text

log = logging.getLogger(__name__)

Status = InboundMessage.Status
MAX_TEXT = 2000  # a long concatenated SMS; the rest is cut
COMMANDS = {"lapor": ("report", "id"), "aduan": ("report", "id"), "report": ("report", "en"),
            "cek": ("status", "id"), "status": ("status", "en")}
_PLACE = re.compile(r"\s+(?:lokasi|alamat|location|address)\s*:?\s+", re.IGNORECASE)


def sender_limit():
    return Limit("sms-intake", settings.INTAKE_SMS_PER_SENDER, settings.INTAKE_SMS_WINDOW_SECONDS)


def normalise_number(value):
    """"+62…" for an Indonesian number however written (0812…, 62812…, +62 812-…), "+<digits>"
    for others; "" when it has no digits (a gateway's alphanumeric sender id)."""
    value = str(value or "").strip()
    digits = re.sub(r"\D", "", value)[:20]
    if not digits:
        return ""
    if digits.startswith("0") and not value.startswith("+"):
        digits = "62" + digits[1:]
    return "+" + digits


def number_digest(number):
    return salted_hmac("aduan.intake.sms-sender", number, algorithm="sha256").hexdigest()


def same_number(a, b):
    a, b = normalise_number(a), normalise_number(b)
    return bool(a) and hmac.compare_digest(a, b)


# --- the webhook -----------------------------------------------------------------------------
def signature_ok(raw, given):
    secret = settings.SMS_WEBHOOK_SECRET
    if not secret or not given:
        return False
    expected = hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest().encode()
    return hmac.compare_digest(expected, given.strip().lower().encode("utf-8", "replace"))


def fields_of(raw, content_type):
    """The gateway's fields as text (a form, or a JSON object); {} when unreadable."""
    text = raw.decode("utf-8", errors="replace")
    if content_type.split(";")[0].strip().lower() == "application/json":
        try:
            data = json.loads(text)
        except ValueError:
            return {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
    return dict(urllib.parse.parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="replace"))


@csrf_exempt
@require_POST
def webhook(request):
    cap = settings.SMS_MAX_BODY_BYTES
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > cap:
        return HttpResponse("too large", status=413, content_type="text/plain")
    raw = request.read(cap + 1)  # bounded also when no length was declared
    if len(raw) > cap:
        return HttpResponse("too large", status=413, content_type="text/plain")
    header = "HTTP_" + settings.SMS_SIGNATURE_HEADER.upper().replace("-", "_")
    if not signature_ok(raw, request.META.get(header, "")):
        return HttpResponse("forbidden", status=403, content_type="text/plain")
    data = fields_of(raw, request.META.get("CONTENT_TYPE", ""))
    number = normalise_number(data.get(settings.SMS_FIELD_FROM, ""))
    if not number:
        return HttpResponse("no sender", status=400, content_type="text/plain")
    receive(number, data.get(settings.SMS_FIELD_TEXT, ""), data.get(settings.SMS_FIELD_ID, ""), raw)
    return HttpResponse("OK", content_type="text/plain")


# The NUL guard (config.middleware) would parse the form before the signature is checked;
# this view removes NUL from what it keeps (clean_text, normalise_number) instead.
webhook.checks_nul_itself = True


# --- handling one SMS ------------------------------------------------------------------------
def message_key(gateway_id, raw):
    basis = ("id|" + gateway_id.strip()).encode() if gateway_id and gateway_id.strip() else b"raw|" + raw
    return hashlib.sha256(b"sms|" + basis).hexdigest()


def receive(number, text, gateway_id="", raw=b"", now=None):
    """Record and handle one SMS from `number` (normalised); returns its InboundMessage. The
    same gateway message id (or, without one, the same body) is handled once."""
    now = now or timezone.now()
    text = " ".join(clean_text(text).split())[:MAX_TEXT]
    key = message_key(clean_text(gateway_id)[:200], raw or text.encode())
    existing = InboundMessage.objects.filter(message_key=key).first()
    if existing is not None:
        return existing
    digest = number_digest(number)
    try:
        with transaction.atomic():
            record = InboundMessage.objects.create(
                message_key=key, channel=InboundMessage.Via.SMS, received_at=now, size=len(raw or b""),
                sender_hash=digest, raw=text.encode())  # the text only: never the number
    except IntegrityError:  # the gateway sent it again at the same moment
        return InboundMessage.objects.get(message_key=key)
    if sender_limit().hit(digest):
        with override(settings.LANGUAGE_CODE):
            _finish(record, Status.THROTTLED, _("more SMS from this number than the limit allows"))
        return record
    try:
        _handle(record, number, text, now)
    except Exception:
        log.exception("SMS intake: message %s could not be handled", record.pk)
        with override(settings.LANGUAGE_CODE):
            _finish(record, Status.UNPARSED, _("an error while handling it"))
    record.refresh_from_db()
    return record


def _finish(record, status, reason="", **values):
    record.status, record.reason = status, str(reason)[:300]
    for name, value in values.items():
        setattr(record, name, value)
    record.save(update_fields=["status", "reason", *values])


def reply(number, language, text):
    with override(language):
        subject = _("Reply to your SMS")
    outbox.enqueue(kind="sms_reply", to_phone=number, subject=subject, body=text, language=language,
                   erase_after_send=True)


def _handle(record, number, text, now):
    word, _space, rest = text.partition(" ")
    command, language = COMMANDS.get(word.lower(), (None, "id"))
    if command is None:
        with override(language):
            reply(number, language, help_text())
        with override(settings.LANGUAGE_CODE):
            return _finish(record, Status.REJECTED, _("not a known SMS command"))
    with override(language):
        if command == "status":
            return _status(record, number, rest.strip(), language)
        return _report(record, number, rest.strip(), language, now)


def keyword_examples(limit=8):
    words = []
    for category in Category.objects.filter(active=True).order_by("code"):
        words.append((category.keyword_list or [category.code])[0].upper())
    return ", ".join(words[:limit])


def help_text():
    return _("Aduan: to report, send REPORT <category keyword> <what happened>, e.g. REPORT %(kw)s … "
             "To follow a report, send STATUS <tracking code>. Keywords: %(list)s") % {
        "kw": (keyword_examples(1) or "JALAN"), "list": keyword_examples()}


def find_category(rest):
    """(category, the text after its keyword) for the active category one of whose keywords
    (or its code) the text begins with, the longest match winning; (None, rest) otherwise."""
    lowered = rest.lower()
    best, best_length = None, 0
    for category in Category.objects.filter(active=True).order_by("code"):
        for word in [*category.keyword_list, category.code]:
            word = word.strip().lower()
            if word and len(word) > best_length and (lowered == word or lowered.startswith(word + " ")):
                best, best_length = category, len(word)
    if best is None:
        return None, rest
    return best, rest[best_length:].strip()


def _report(record, number, rest, language, now):
    parts = _PLACE.split(" " + rest, maxsplit=1)
    body, place = parts[0].strip(), (parts[1].strip() if len(parts) > 1 else "")
    category, description = find_category(body)
    missing = None
    if category is None:
        missing = _("Aduan: which kind of problem? Send REPORT <category keyword> <what happened>. "
                    "Keywords: %(list)s") % {"list": keyword_examples()}
    elif len(description) < MIN_DESCRIPTION:
        missing = _("Aduan: tell us what happened, in at least %(n)d characters: "
                    "REPORT %(kw)s <what happened, where, since when>.") % {
            "n": MIN_DESCRIPTION, "kw": category.keyword_list[0].upper() if category.keyword_list else category.code}
    elif category.location_required and not place:
        missing = _("Aduan: this kind of problem needs a place. Send your report again ending with "
                    "LOCATION <street and number or a landmark>.")
    if missing:
        reply(number, language, missing)
        with override(settings.LANGUAGE_CODE):
            return _finish(record, Status.REJECTED, _("information missing; the sender was asked for it"))
    title = description if len(description) <= 80 else description[:79].rsplit(" ", 1)[0] + "…"
    data = {
        "category": category, "title": title, "description": description, "kind": Kind.COMPLAINT,
        # As the e-mail intake: named and private, confidential when the category is
        # sensitive (filing.validate); an SMS carries no name.
        "identity_mode": IdentityMode.NAMED, "visibility": Visibility.PRIVATE,
        "reporter_name": _("SMS reporter"), "reporter_phone": number, "address": place[:300],
        "channel": Channel.SMS,
    }
    try:
        with transaction.atomic():
            filed = file_complaint(data, language=language, idempotency_key=f"sms:{record.message_key[:58]}",
                                   now=now)
            _finish(record, Status.FILED, "", complaint=filed.complaint)
    except InvalidArguments as exc:
        details = "; ".join(str(v) for v in (exc.errors or {}).values()) if getattr(exc, "errors", None) else ""
        reply(number, language, _("Aduan: your report could not be filed: %(why)s") % {
            "why": details or exc.message})
        with override(settings.LANGUAGE_CODE):
            return _finish(record, Status.REJECTED, f"{exc.message} {details}".strip())
    # The receipt (code, key and link) goes by SMS from complaints.notifications.


def _status(record, number, code, language):
    code = code.split(" ")[0].upper()[:13]
    complaint = Complaint.objects.filter(tracking_code=code).only(
        "pk", "reporter_phone", "state", "tracking_code").first() if code else None
    if complaint is not None and same_number(complaint.reporter_phone, number):
        text = _("Aduan: your report %(code)s: %(status)s.") % {
            "code": complaint.tracking_code, "status": complaint.get_state_display()}
        reason_complaint = complaint
    else:
        # Another number's report and no report at all get the same answer (the web
        # tracking page's), so that codes cannot be probed by SMS.
        text = _("No report matches this tracking code and key. Check both and try again.")
        reason_complaint = None
    reply(number, language, text)
    with override(settings.LANGUAGE_CODE):
        _finish(record, Status.REPLY if reason_complaint else Status.REJECTED,
                _("a status question answered") if reason_complaint else _("a status question for no report of this number"))
