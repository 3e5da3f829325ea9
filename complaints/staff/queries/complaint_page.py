"""One complaint on the staff page: the reporter's identity as this reader may see it, the
timeline (with what happened while it was sensitive read as permissions says), the reads
of protected complaints, and the choices its action forms offer."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from routing.models import Membership

from ... import permissions as perms
from ...models import Complaint, Event, IdentityMode, Message, ReadRecord, ResponseTemplate, State
from ...roles import reads_everything
from .masking import mask, with_shown_titles


@dataclass
class Reporter:
    mode: str
    shown: bool
    note: str
    name: str = ""
    email: str = ""
    phone: str = ""
    revealed: bool = False


def revealed_to(user, complaint):
    """A privacy officer who revealed this confidential reporter (an audited event) sees
    the identity from then on; nobody else does."""
    return perms.has_revealed(user, complaint)


def reporter(user, complaint, redacted):
    mode = complaint.identity_mode
    if mode == IdentityMode.ANONYMOUS:
        return Reporter(mode, False, _("Anonymous reporter: no identity is stored."))
    if mode == IdentityMode.CONFIDENTIAL:
        if revealed_to(user, complaint):
            return Reporter(mode, True, _("Confidential reporter, revealed to you (audited)."),
                            complaint.reporter_name, complaint.reporter_email,
                            complaint.reporter_phone, revealed=True)
        return Reporter(mode, False, _("Identity protected (confidential reporter)."))
    if redacted:
        return Reporter(mode, False, _("Named reporter; personal data is withheld from oversight."))
    return Reporter(mode, True, "", complaint.reporter_name, complaint.reporter_email,
                    complaint.reporter_phone)


@dataclass
class TimelineEntry:
    at: dt.datetime
    event: Event | None
    messages: list = field(default_factory=list)


# The citizen's actions that may set the rating (and its comment).
RATED = ("confirm", "rate")
# Event data fields that carry free text written by people (masked when redacted).
TEXT_FIELDS = ("message", "reason", "summary", "referred_to")


@dataclass
class History:
    """What of a complaint's events and messages a user reads (see sensitive_history)."""

    events: object  # querysets
    messages: object
    withheld: bool  # the part from before a declassification is left out
    masked_until: dt.datetime | None = None  # items up to then are read masked

    def masked(self, at):
        return self.masked_until is not None and at <= self.masked_until


def sensitive_history(user, complaint):
    """The complaint's events and messages as this user may read them: what happened while
    it was sensitive (until oversight declassified it) is left out or masked by
    permissions.sensitive_history_reading."""
    events, messages = Event.objects.filter(complaint=complaint), Message.objects.filter(complaint=complaint)
    until = complaint.declassified_at
    reading = perms.sensitive_history_reading(user) if until else "unmasked"
    if reading is None:
        return History(events.filter(created_at__gt=until), messages.filter(created_at__gt=until), True)
    return History(events, messages, False, until if reading == "masked" else None)


def timeline(user, complaint, redacted):
    """Events and messages in order. A message belongs to the event written with it (the
    same transition, hence the same timestamp). Identity reveals are shown to oversight
    only; internal notes to staff only (every viewer here is staff)."""
    history = sensitive_history(user, complaint)
    events = list(history.events.select_related("actor_user").order_by("seq"))
    messages = list(history.messages.select_related("author_user", "author_unit").order_by("created_at", "pk"))
    show_reveals = reads_everything(user)
    last_rated = max((e.seq for e in events if e.action in RATED and (e.data or {}).get("rating") is not None),
                     default=None)
    by_time = {}
    for message in messages:
        if redacted or history.masked(message.created_at):
            message.body = mask(complaint, message.body)
        by_time.setdefault(message.created_at, []).append(message)
    entries = []
    for event in events:
        if event.action == "reveal_identity" and not show_reveals:
            continue
        masked = redacted or history.masked(event.created_at)
        details = {}
        payload = event.payload  # the personal part lives apart from the facts
        for name in TEXT_FIELDS:
            value = payload.get(name)
            if value:
                details[name] = mask(complaint, value) if masked else value
        event.details = details
        event.citizen_words = citizen_words(complaint, event, masked,
                                            rating_comment=event.seq == last_rated)
        if event.action == "reopen":
            details.pop("reason", None)  # shown labelled with the citizen's words
        said = {text for _label, text in event.citizen_words}
        # The appeal's reason is also the citizen's message written with it: shown once, labelled.
        together = [m for m in by_time.pop(event.created_at, [])
                    if not (m.author_type == "citizen" and m.body in said)]
        entries.append(TimelineEntry(event.created_at, event, together))
    for at, rest in by_time.items():  # messages without an event of their own
        entries.append(TimelineEntry(at, None, rest))
    entries.sort(key=lambda e: (e.at, e.event.seq if e.event else 0))
    return entries


def citizen_words(complaint, event, masked, *, rating_comment=False):
    """[(label, text)] of what the citizen said with this event that staff read in the
    timeline: the appeal's reason, and the rating with its comment (the comment is stored
    on the complaint; `rating_comment` says this is the event that set the current
    rating). Free text is masked like every other text of the complaint when the reader
    reads it masked: citizens write their names and numbers into it."""
    data = event.payload  # the facts and, unless erased, the personal part (the reason)

    def text(value):
        return mask(complaint, value) if masked else value

    words = []
    if event.action == "reopen" and data.get("reason"):
        words.append((_("Appeal reason"), text(data["reason"])))
    if event.action in RATED and data.get("rating") is not None:
        words.append((_("Rating"), _("%(n)s of 5") % {"n": data["rating"]}))
        if rating_comment and complaint.rating_comment:
            words.append((_("Rating comment"), text(complaint.rating_comment)))
    return words


READS_SHOWN = 500


def reads(complaint):
    """The latest recorded reads of a confidential or abuse-of-power complaint, newest
    first, with their total (for the audit page); None when its reads are not recorded."""
    if not complaint.reads_are_recorded:
        return None
    rows = ReadRecord.objects.filter(complaint=complaint)
    return {"total": rows.count(),
            "latest": list(rows.select_related("user").order_by("-at", "-pk")[:READS_SHOWN])}


def duplicate_candidates(user, complaint, text, limit=20):
    """Complaints a triage officer may name as the original, by tracking code or title."""
    text = (text or "").strip()
    if not text:
        return []
    return with_shown_titles(user, list(
        Complaint.objects.filter(perms.duplicate_originals_q(user, complaint))
        .filter(Q(tracking_code__icontains=text) | Q(title__icontains=text)
                | Q(public_title__icontains=text))
        .exclude(pk=complaint.pk).exclude(state=State.DUPLICATE)
        .select_related("category").order_by("-submitted_at")[:limit]
    ))


# The actions offering response templates: (the field the text fills, the field of the
# outcome or reason the templates are chosen by).
TEMPLATE_FIELDS = {"reply": ("body", ""), "request_info": ("message", ""),
                   "resolve": ("summary", "outcome"), "reject": ("message", "reason")}


@dataclass
class TemplatePicker:
    """The templates an action's form offers (best first), which one is selected and the
    text the form starts with (the placeholders already filled in)."""

    action: str
    field: str
    choice_field: str
    options: list
    selected: int | None = None
    text: str = ""
    choice: str = ""
    kept: bool = False  # "use template" left the officer's own text as it was

    @property
    def data(self):
        """What static/staff/staff.js needs to pick and fill without a round trip."""
        return {"field": self.field, "choice_field": self.choice_field,
                "templates": [{"pk": o["pk"], "choice": o["choice"], "scope": o["scope"], "text": o["text"]}
                              for o in self.options]}


def template_language(complaint, ui_language):
    """The language a template is filled in: the citizen's, else the page's."""
    return (complaint.language or ui_language or "id")[:2]


def template_picker(complaint, action, language, posted=None, use=None):
    """The picker of `action`'s form. `posted`: what the form held (a refused action or a
    "use template" request); `use`: the template pk the officer asked to use."""
    field, choice_field = TEMPLATE_FIELDS[action]
    posted = posted or {}
    choice = posted.get(choice_field, "") if choice_field else ""
    templates = ResponseTemplate.objects.for_action(action, complaint, choice)
    options = [{"pk": t.pk, "choice": t.choice, "scope": t.scope, "template": t,
                "text": t.render(complaint, language)} for t in templates]
    picker = TemplatePicker(action, field, choice_field, options, choice=choice)
    chosen = None
    if use is not None:
        chosen = next((o for o in options if str(o["pk"]) == str(use)), None)
        if chosen and choice_field and posted.get("template_for", choice) != choice:
            chosen = None  # the outcome changed since the page was made: its best instead
        if chosen and choice and not chosen["template"].fits(choice):
            chosen = None  # a template for another outcome than the one chosen: the best instead
        if chosen is None and options and options[0]["template"].fits(choice):
            chosen = options[0]
        if chosen and choice_field and not choice:
            picker.choice = chosen["choice"]  # the officer chose a template for this outcome
        written = posted.get(field, "")
        if written.strip() and written not in {o["text"] for o in options}:
            # Text the officer wrote is never replaced (nor by Enter in a line field, which
            # presses the form's first button, this one): they empty the field first.
            picker.text, picker.kept = written, True
            picker.selected = chosen["pk"] if chosen else None
            return picker
    elif posted.get(field):
        picker.text = posted[field]  # never replace what the officer wrote
        picked = posted.get("template", "")
        chosen = next((o for o in options if str(o["pk"]) == picked), None)
        picker.selected = chosen["pk"] if chosen else None
        return picker
    elif options and options[0]["template"].fits(choice):
        chosen = options[0]  # the best match, pre-filled
    if chosen:
        picker.selected, picker.text = chosen["pk"], chosen["text"]
    return picker


def assignable_officers(complaint):
    """Members of the responsible unit (and supervisors above it) who could handle it."""
    unit = complaint.responsible_unit
    if unit is None:
        return []
    unit_ids = [unit.pk] + [u.pk for u in unit.ancestors()]
    memberships = (Membership.objects.filter(unit_id__in=unit_ids, user__is_active=True)
                   .filter(Q(unit_id=unit.pk) | Q(role=Membership.Role.SUPERVISOR))
                   .select_related("user").order_by("user__username"))
    seen, result = set(), []
    for membership in memberships:
        if membership.user_id not in seen:
            seen.add(membership.user_id)
            result.append(membership.user)
    return result
