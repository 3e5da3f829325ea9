"""E-mail intake: one function, `receive`, for every message that reaches the intake address,
whichever way it came (`manage.py receive_mail` from Postfix's pipe, `manage.py poll_mailbox`
from IMAP). See docs/channels.md.

Every message is first stored as it came (InboundMessage, raw bytes) in its own transaction,
then handled; whatever happens next, the message is kept and its status says what became of it:

- an automatic message (auto-reply, bounce, mailing list, our own mail coming back) is
  `ignored`: never a complaint or a comment, so two robots cannot talk to each other;
- a message that cannot be read, or a MIME bomb (nesting deeper than MAX_DEPTH, more than
  ATTACHMENT_MAX_FILES x 2 parts, larger than INTAKE_MAIL_MAX_BYTES) is `unparsed`;
- a reply to a citizen's notification (its signed reply address, see .addresses, or an
  In-Reply-To/References naming a Message-ID we sent to this sender) becomes the citizen's
  answer to the open request for information or their comment, through the lifecycle
  (`reply`); a reply address with a wrong signature is `rejected`, never a comment;
- anything else becomes a submitted complaint with channel "email" (`filed`), the receipt
  going to the sender through the outbox as for the web form; more than
  INTAKE_MAIL_PER_SENDER new complaints per sender per window are `throttled`.

The same Message-ID (or, without one, the same bytes) is handled once.
"""

import hashlib
import logging
import re
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr
from html.parser import HTMLParser

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import override

from routing.models import Category

from .. import outbox
from ..lifecycle.engine import perform
from ..lifecycle.errors import InvalidArguments, TransitionError
from ..lifecycle.filing import MIN_DESCRIPTION, file_complaint
from ..models import (Attachment, Channel, Complaint, IdentityMode, InboundMessage, Kind, Notification, State,
                      Visibility)
from ..permissions import ActorRef
from ..ratelimit import Limit
from ..uploads import UploadRejected, clean_upload
from . import addresses

log = logging.getLogger(__name__)

Status = InboundMessage.Status
MAX_DEPTH = 10
MAX_DESCRIPTION = 10000
MAX_REPLY = 5000  # a comment's limit (the registry's "comment" body)


class Unreadable(Exception):
    """The message cannot be read, or reading it would cost too much (a MIME bomb)."""


def max_parts():
    return settings.ATTACHMENT_MAX_FILES * 2


def sender_limit():
    return Limit("mail-intake", settings.INTAKE_MAIL_PER_SENDER, settings.INTAKE_MAIL_WINDOW_SECONDS)


def sender_digest(address):
    return salted_hmac("aduan.intake.sender", address.lower(), algorithm="sha256").hexdigest()


def clean_line(value, limit=250):
    """A header value fit for a text column: no NUL or other control characters, one line."""
    value = re.sub(r"[\x00-\x1f\x7f]+", " ", str(value or ""))
    return " ".join(value.split())[:limit]


def clean_text(value):
    """Text fit for a text column: no NUL or control characters other than newlines and tabs."""
    value = str(value or "").replace("\r\n", "\n").replace("\r", "\n")
    return re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "", value)


# --- reading a message -------------------------------------------------------------------
@dataclass
class Parsed:
    message: object
    message_id: str
    sender: str
    sender_name: str
    subject: str
    text: str  # the body as text, before quotes and signatures are cut
    files: list = field(default_factory=list)  # [(name, bytes)] of the attachments


def header(message, name):
    """A header's value as text; "" when absent or so broken that it cannot be read."""
    try:
        value = message.get(name)
    except Exception:  # a malformed header raises from the header registry's parsers
        return ""
    return clean_text(value or "").replace("\n", " ")[:4000]


def headers_all(message, name):
    try:
        return [clean_text(v).replace("\n", " ")[:4000] for v in (message.get_all(name) or [])]
    except Exception:
        return []


def check_shape(message):
    """Refuse a MIME bomb before anything is decoded: nesting deeper than MAX_DEPTH or more
    leaf parts than max_parts()."""
    stack, leaves = [(message, 0)], 0
    while stack:
        part, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise Unreadable(_("MIME parts nested deeper than %(n)d levels") % {"n": MAX_DEPTH})
        if part.is_multipart():
            children = part.get_payload()
            if not isinstance(children, list):
                raise Unreadable(_("a damaged multipart structure"))
            stack.extend((child, depth + 1) for child in children)
        else:
            leaves += 1
            if leaves > max_parts():
                raise Unreadable(_("more than %(n)d MIME parts") % {"n": max_parts()})


def part_text(part):
    try:
        return part.get_content()
    except Exception:  # an unknown charset or a damaged transfer encoding
        payload = part.get_payload(decode=True) or b""
        return payload.decode("utf-8", errors="replace")


def parse(raw):
    """A Parsed message, or Unreadable."""
    if len(raw) > settings.INTAKE_MAIL_MAX_BYTES:
        raise Unreadable(_("larger than %(mb)d MB") % {"mb": settings.INTAKE_MAIL_MAX_BYTES // (1024 * 1024)})
    try:
        message = BytesParser(policy=policy.default).parsebytes(raw)
        check_shape(message)
        body = message.get_body(preferencelist=("plain", "html"))
        text = ""
        if body is not None:
            text = part_text(body)
            if body.get_content_subtype() == "html":
                text = html_to_text(text)
        files = []
        for part in message.walk():
            if part.is_multipart() or part is body:
                continue
            name = part.get_filename()
            if part.get_content_maintype() == "text" and not name:
                continue  # the other alternative of the body
            files.append((clean_line(name or "", 200), part.get_payload(decode=True) or b""))
    except Unreadable:
        raise
    except (Exception, RecursionError) as exc:
        log.info("unreadable e-mail: %s", type(exc).__name__)
        raise Unreadable(_("the message could not be read")) from None
    name, address = parseaddr(header(message, "From"))
    return Parsed(message=message, message_id=header(message, "Message-ID")[:998],
                  sender=address.strip().lower()[:254], sender_name=clean_line(name, 200),
                  subject=clean_line(header(message, "Subject"), 200), text=clean_text(text), files=files)


class _TextOfHtml(HTMLParser):
    """The text of an HTML body: blocks become lines; scripts, styles and quoted mail
    (<blockquote>, as webmail quotes what is replied to) are left out."""

    BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol"}
    SKIPPED = {"script", "style", "head", "blockquote", "title"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out, self.skipping = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.out.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.out.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.out.append(data)


def html_to_text(html):
    parser = _TextOfHtml()
    parser.feed(html)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.out).split("\n")]
    return "\n".join(lines)


# Where the quoted mail or the signature begins (English and Indonesian mail clients).
_CUT_LINES = re.compile(
    r"^(-- ?|_{5,}|-{3,} ?(original message|pesan asli|forwarded message|pesan yang diteruskan) ?-{3,}"
    r"|sent from my .*|dikirim dari .*|get outlook for .*)$", re.IGNORECASE)
_WROTE = re.compile(r"^(on|pada) .{5,200} (wrote|menulis)\s*:$", re.IGNORECASE | re.DOTALL)
_HEADER_BLOCK = re.compile(r"^(from|dari|sent|dikirim|to|kepada|date|tanggal|subject|perihal):", re.IGNORECASE)


def cut_quotes(text):
    """The writer's own words: quoted lines ("> ...") dropped, and everything from a reply
    header ("On ... wrote:", "-----Original Message-----", an Outlook header block) or a
    signature ("-- ") on cut."""
    lines = text.split("\n")
    kept = []
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith(">"):
            continue
        if _CUT_LINES.match(stripped) or line.rstrip("\n") == "-- ":
            break
        if _WROTE.match(stripped) or (i + 1 < len(lines) and _WROTE.match(f"{stripped} {lines[i + 1].strip()}")):
            break
        if _HEADER_BLOCK.match(stripped) and sum(
                1 for follower in lines[i + 1:i + 4] if _HEADER_BLOCK.match(follower.strip())) >= 2:
            break
        kept.append(line.rstrip())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


# --- what kind of message it is ---------------------------------------------------------
def automatic(parsed, envelope_sender=None):
    """Why the message is automatic (an auto-reply, a bounce, a list, a loop), or ""."""
    message = parsed.message
    auto = header(message, "Auto-Submitted").strip().lower()
    if auto and auto.split(";")[0].strip() != "no":
        return "Auto-Submitted: " + auto[:40]
    if header(message, "Precedence").strip().lower() in ("bulk", "junk", "list"):
        return "Precedence: " + header(message, "Precedence").strip().lower()
    for name in ("X-Autoreply", "X-Autorespond", "List-Id"):
        if header(message, name):
            return name
    return_paths = headers_all(message, "Return-Path")
    if envelope_sender is not None and (envelope_sender.strip() in ("", "<>")
                                        or envelope_sender.strip().lower().startswith("mailer-daemon")):
        return _("empty envelope sender (a bounce)")
    if any(path.strip() in ("", "<>") for path in return_paths):
        return _("empty Return-Path (a bounce)")
    if message.get_content_type() == "multipart/report":
        return _("a delivery report (a bounce)")
    local, _at, _domain = parsed.sender.rpartition("@")
    if local in ("mailer-daemon", "postmaster") or local.startswith("bounce") or "-bounces" in local:
        return _("a bounce address")
    own = {parseaddr(settings.DEFAULT_FROM_EMAIL)[1].lower(), parseaddr(settings.INTAKE_ADDRESS or "")[1].lower()}
    if parsed.sender in own or addresses.tagged(parsed.sender) is not None:
        return _("our own address (a loop)")
    return ""


def recipients(message, envelope_recipient=""):
    values = [envelope_recipient or ""]
    for name in ("To", "Cc", "Delivered-To", "X-Original-To"):
        values += headers_all(message, name)
    return [address.lower() for _name, address in getaddresses(values) if address]


def replied_complaint(parsed, envelope_recipient=""):
    """(complaint or None, why refused or ""), for a message that is a reply; (None, "")
    when it is none (a new complaint)."""
    tags = [tag for tag in (addresses.tagged(a) for a in recipients(parsed.message, envelope_recipient))
            if tag is not None]
    for tag in tags:
        if tag.startswith("bounce"):
            return None, _("a bounce to a VERP address")
    if tags:
        codes = {addresses.verified_code(tag) for tag in tags} - {None}
        if not codes:
            return None, _("the reply address's signature is wrong (forged or damaged)")
        complaint = Complaint.objects.filter(tracking_code__in=codes).first()
        if complaint is None:
            return None, _("the reply address names no complaint")
        return complaint, ""
    # A reply without our reply address (a client that answers From): its In-Reply-To or
    # References must name a Message-ID we sent to this very address.
    ids = set(re.findall(r"<[^<>\s]{1,300}>", " ".join(
        [header(parsed.message, "In-Reply-To"), header(parsed.message, "References")])))
    if ids and parsed.sender:
        # The receipt's address is erased once sent; a named reporter's stays on the complaint.
        sent = (Notification.objects.filter(Q(to_email__iexact=parsed.sender)
                                            | Q(complaint__reporter_email__iexact=parsed.sender),
                                            complaint__isnull=False)
                .exclude(kind__startswith="staff_").exclude(kind__startswith="systemic_")
                .select_related("complaint").order_by("-pk")[:500])
        for notification in sent:
            if outbox.message_id(notification) in ids:
                return notification.complaint, ""
    return None, ""


# --- language and category ---------------------------------------------------------------
_INDONESIAN = frozenset(
    "yang dan di ke dari ini itu tidak ada dengan untuk sudah saya kami kita akan juga atau "
    "karena pada sejak belum sangat mohon tolong jalan warga bapak ibu terima kasih".split())
_ENGLISH = frozenset(
    "the and of to in is are was were not this that there with for has have my our we please "
    "since been very thank you street road".split())


def detect_language(text):
    """"en" when the text has more common English words than Indonesian ones, else "id"
    (the city's language, also for text too short to tell). The project has no language
    detector; this rule is documented in docs/channels.md."""
    words = re.findall(r"[a-z]+", text.lower())
    english = sum(1 for w in words if w in _ENGLISH)
    indonesian = sum(1 for w in words if w in _INDONESIAN)
    return "en" if english > indonesian else "id"


_ADDRESS_LINE = re.compile(r"^\s*(alamat|lokasi|tempat|address|location|place)\s*:\s*(.{3,300})$",
                           re.IGNORECASE | re.MULTILINE)


def place_in(text):
    found = _ADDRESS_LINE.search(text)
    return found.group(2).strip() if found else ""


def choose_category(text, address):
    """The active category whose keywords the text names most often; INTAKE_CATEGORY when
    none does, or when the best needs a location the message does not give. None without
    either (the message is then kept for triage)."""
    lowered = text.lower()
    best, best_hits = None, 0
    for category in Category.objects.filter(active=True).order_by("code"):
        hits = sum(len(re.findall(rf"\b{re.escape(word.lower())}\b", lowered)) for word in category.keyword_list)
        if hits > best_hits and (address or not category.location_required):
            best, best_hits = category, hits
    if best is not None:
        return best
    return Category.objects.filter(code=settings.INTAKE_CATEGORY or "", active=True).first()


# --- handling ------------------------------------------------------------------------------
def message_key(parsed_id, raw):
    # "mail|" keeps the keys of e-mail and SMS apart in the one unique column: a Message-ID
    # written like an SMS gateway's key must never make a later SMS look already handled.
    basis = parsed_id.strip().encode() if parsed_id and parsed_id.strip() else raw
    return hashlib.sha256(b"mail|" + basis).hexdigest()


def _quick_message_id(raw):
    """The Message-ID read from the raw header block without parsing the message (an
    unreadable message must still be recognised when it comes again)."""
    head = raw[:65536].split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    found = re.search(rb"^message-id:[ \t]*(.{1,998}?)[ \t]*\r?$", head, re.IGNORECASE | re.MULTILINE)
    return clean_line(found.group(1).decode("latin-1"), 998) if found else ""


def receive(raw, *, envelope_sender=None, envelope_recipient="", now=None):
    """Store and handle one message (bytes). Returns its InboundMessage; a message handled
    before (same Message-ID) is returned as it was, not handled again."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8", errors="replace")
    now = now or timezone.now()
    key = message_key(_quick_message_id(raw), raw)
    existing = InboundMessage.objects.filter(message_key=key).first()
    if existing is not None:
        return existing
    limit = settings.INTAKE_MAIL_MAX_BYTES
    try:
        with transaction.atomic():
            record = InboundMessage.objects.create(
                message_key=key, received_at=now, size=len(raw),
                # Kept as it came; beyond the size limit only its beginning.
                raw=raw[:limit])
    except IntegrityError:  # the same message arrived at the same moment by another way
        return InboundMessage.objects.get(message_key=key)
    try:
        # Reasons are stored as text for triage: in the city's language, whoever runs this.
        with override(settings.LANGUAGE_CODE):
            _handle(record, raw, envelope_sender, envelope_recipient, now)
    except Exception:
        # Kept, and shown to triage; the log has the traceback (no personal values in it).
        log.exception("e-mail intake: message %s could not be handled", record.pk)
        InboundMessage.objects.filter(pk=record.pk).update(
            status=Status.UNPARSED, reason=_("an error while handling it"))
    record.refresh_from_db()
    return record


def _finish(record, status, reason="", **values):
    record.status, record.reason = status, clean_line(reason, 300)
    for name, value in values.items():
        setattr(record, name, value)
    record.save(update_fields=["status", "reason", *values])


def _handle(record, raw, envelope_sender, envelope_recipient, now):
    try:
        parsed = parse(raw)
    except Unreadable as exc:
        return _finish(record, Status.UNPARSED, str(exc))
    record.subject = parsed.subject
    record.sender_hash = sender_digest(parsed.sender) if parsed.sender else ""
    record.save(update_fields=["subject", "sender_hash"])
    if not parsed.sender or "@" not in parsed.sender:
        return _finish(record, Status.UNPARSED, _("no sender address"))
    why = automatic(parsed, envelope_sender)
    if why:
        _finish(record, Status.IGNORED, why)
        # An auto-reply or bounce about an anonymous report would keep the reporter's
        # address (and the receipt's key) for triage to read: keep nothing of it.
        complaint, _refused = replied_complaint(parsed, envelope_recipient)
        if complaint is not None and complaint.identity_mode == IdentityMode.ANONYMOUS:
            record.forget()
        return None
    complaint, refused = replied_complaint(parsed, envelope_recipient)
    if refused:
        return _finish(record, Status.REJECTED, refused)
    files, problems = clean_files(parsed.files)
    if complaint is not None:
        return _reply(record, parsed, complaint, files, problems, now)
    return _file(record, parsed, files, problems, now)


def clean_files(found):
    """The attachments cleaned exactly like the web form's uploads (same checks and
    limits); (clean files, [messages of refused ones])."""
    files, problems = [], []
    for index, (name, data) in enumerate(found):
        if index >= settings.ATTACHMENT_MAX_FILES:
            problems.append(_("“%(name)s”: more than %(n)d files; left out.")
                            % {"name": name or _("(no name)"), "n": settings.ATTACHMENT_MAX_FILES})
            continue
        try:
            files.append(clean_upload(SimpleUploadedFile(name or "attachment", data)))
        except UploadRejected as exc:
            problems.append(exc.message)
    return files, problems


def _reply(record, parsed, complaint, files, problems, now):
    text = cut_quotes(parsed.text)
    if not text:
        return _finish(record, Status.REJECTED, _("the reply has no text of its own"), complaint=complaint,
                       refused=problems)
    citizen = ActorRef.citizen()
    try:
        with transaction.atomic():
            if complaint.state == State.NEEDS_INFO:
                changed = perform(complaint, "provide_info", citizen, now=now, message=text[:MAX_DESCRIPTION])
                Attachment.store_uploads(changed, files)
                reason = _("the answer to the request for information")
            else:
                # A comment carries no files (as on the tracking page).
                problems = problems + [_("“%(name)s”: files are taken only with an answer to a question.")
                                       % {"name": f.name} for f in files]
                perform(complaint, "comment", citizen, now=now, body=text[:MAX_REPLY])
                reason = _("a comment")
            _finish(record, Status.REPLY, reason, complaint=complaint, refused=problems)
    except TransitionError as exc:
        _finish(record, Status.REJECTED, exc.message, complaint=complaint, refused=problems)
    if complaint.identity_mode == IdentityMode.ANONYMOUS:
        # An anonymous reporter's address is stored nowhere: what they wrote is now the
        # comment or answer; the message itself (From, signature) is not kept.
        record.forget()


def _file(record, parsed, files, problems, now):
    body = cut_quotes(parsed.text)
    language = detect_language(f"{parsed.subject}\n{body}")
    title = parsed.subject or (body.split("\n", 1)[0][:120] if body else "")
    if not title:
        with override(language):
            title = _("Report sent by e-mail")
    description = body
    if len(description) < MIN_DESCRIPTION and parsed.subject:
        description = f"{parsed.subject}\n\n{body}".strip()
    address = place_in(body)
    category = choose_category(f"{parsed.subject}\n{body}", address)
    if category is None:
        return _finish(record, Status.REJECTED, _("no category fits and INTAKE_CATEGORY is not set"),
                       refused=problems)
    data = {
        "category": category, "title": title[:200], "description": description[:MAX_DESCRIPTION],
        "kind": Kind.COMPLAINT,
        # The web form's defaults: named and private; a sensitive category makes it
        # confidential (filing.validate applies private_by_rule, as for the form).
        "identity_mode": IdentityMode.NAMED, "visibility": Visibility.PRIVATE,
        "reporter_name": parsed.sender_name or parsed.sender.split("@")[0],
        "reporter_email": parsed.sender, "address": address, "channel": Channel.EMAIL,
    }
    limit = sender_limit()

    class Throttled(Exception):
        pass

    def admit():
        if limit.wait(record.sender_hash):
            raise Throttled

    try:
        with transaction.atomic():
            filed = file_complaint(data, language=language, idempotency_key=f"email:{record.message_key[:58]}",
                                   extra_content=[f.digest for f in files], admit=admit, now=now)
            if filed.created:
                Attachment.store_uploads(filed.complaint, files)
            _finish(record, Status.FILED, "", complaint=filed.complaint, refused=problems)
    except Throttled:
        return _finish(record, Status.THROTTLED, _("more new complaints from this sender than the limit allows"),
                       refused=problems)
    except InvalidArguments as exc:
        details = "; ".join(str(v) for v in (exc.errors or {}).values()) if getattr(exc, "errors", None) else ""
        return _finish(record, Status.REJECTED, f"{exc.message} {details}".strip(), refused=problems)
    if filed.created:
        limit.hit(record.sender_hash)
