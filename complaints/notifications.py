"""Citizen e-mails, written to the outbox inside the transaction of the change that causes
them (a `complaint_changed` receiver), in the language the complaint was filed in.

No e-mail carries a URL that grants anything when fetched: links carry one-time link
codes (complaints.citizen.tokens.issue_link) that open a Continue page. The receipt also
carries the tracking code and the secret key as text, the citizen's way back in after the
link is spent; its body is erased after sending (and, for anonymous reports, the address
too), because the key must exist only as a hash.
"""

from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import outbox
from .citizen import tokens
from .citizen.services import event_text, open_question, public_complaints
from .lifecycle.actions import ACTIONS
from .links import absolute_reverse, absolute_url
from .models import Channel, Complaint, IdentityMode, State
from .signals import complaint_changed

# The SMS version of each citizen e-mail (a complaint filed by SMS hears on SMS): short plain
# text with the code and a one-time link; %(link)s is the tracking link.
SMS_TEXTS = {
    "routed": gettext_lazy("Aduan: your report %(code)s is now handled by %(unit)s. Follow it: %(link)s"),
    "request_info": gettext_lazy("Aduan: the officer handling %(code)s asks: %(question)s "
                                 "Answer on your tracking page: %(link)s"),
    "resolved": gettext_lazy("Aduan: your report %(code)s is resolved. See the outcome and rate it: %(link)s"),
    "rejected": gettext_lazy("Aduan: your report %(code)s was not accepted. The reason: %(link)s"),
    "closed": gettext_lazy("Aduan: your report %(code)s is closed. Details: %(link)s"),
    "review_upheld": gettext_lazy("Aduan: the review of %(code)s upheld the decision. Details: %(link)s"),
    "review_overturned": gettext_lazy("Aduan: the review of %(code)s overturned the decision; "
                                      "it is handled again. Details: %(link)s"),
    "original_resolved": gettext_lazy("Aduan: the report your %(code)s duplicates is resolved. Details: %(link)s"),
    "original_closed": gettext_lazy("Aduan: the report your %(code)s duplicates is closed. Details: %(link)s"),
}
# One SMS text is at most this long (a few concatenated SMS); a question is cut to fit.
SMS_QUESTION_MAX = 300


def sms_phone(complaint):
    """The number to text about this complaint: the reporter's, when they came by SMS."""
    return complaint.reporter_phone if complaint.channel == Channel.SMS else ""


def sms_text(template, complaint, context):
    """The SMS version of `template` in the complaint's language, or ""."""
    text = SMS_TEXTS.get(template)
    if text is None:
        return ""
    with translation.override(complaint.language or "id"):
        question = " ".join(str(context.get("question", "")).split())
        if len(question) > SMS_QUESTION_MAX:
            question = question[:SMS_QUESTION_MAX - 1] + "…"
        return str(text) % {"code": complaint.tracking_code, "unit": context.get("unit", ""),
                            "question": question, "link": context.get("track_link", "")}


def enqueue_sms_receipt(complaint, token):
    with translation.override(complaint.language or "id"):
        body = _("Aduan: we received your report. Tracking code %(code)s, secret key %(key)s. "
                 "Open it (once): %(link)s Later: send STATUS %(code)s to this number.") % {
            "code": complaint.tracking_code, "key": token,
            "link": absolute_url(tokens.issue_link(complaint, "receipt"))}
        subject = _("Report received: %(code)s") % {"code": complaint.tracking_code}
    # The body holds the raw key: erased once sent, as the e-mail receipt's.
    outbox.enqueue(kind="receipt", to_phone=sms_phone(complaint), subject=subject, body=body,
                   complaint=complaint, language=complaint.language, erase_after_send=True)


def _enqueue_for_reporter(complaint, template, context):
    """One notification to the complaint's reporter on their own channel: the SMS text when
    they came by SMS, else the e-mail; an anonymous reporter's address is erased once sent."""
    subject, body = _render(template, complaint.language, context)
    phone = sms_phone(complaint)
    if phone:
        body = sms_text(template, complaint, context) or body
    outbox.enqueue(kind=template, to_email=complaint.reporter_email, to_phone=phone, subject=subject,
                   body=body, complaint=complaint, language=complaint.language,
                   erase_after_send=complaint.identity_mode == IdentityMode.ANONYMOUS)


def _render(template, language, context):
    with translation.override(language or "id"):
        subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
        body = render_to_string(f"emails/{template}.txt", context)
    return " ".join(subject.split()), body


@receiver(complaint_changed, sender=Complaint, dispatch_uid="citizen-notifications")
def notify_citizen(sender, complaint, action, **kwargs):
    track_url = absolute_reverse("complaints:track")
    if action == "filed":
        if sms_phone(complaint) and kwargs.get("token"):
            return enqueue_sms_receipt(complaint, kwargs["token"])
        address = kwargs.get("receipt_email")
        token = kwargs.get("token")
        if not address or not token:
            return
        subject, body = _render("receipt", complaint.language, {
            "complaint": complaint, "token": token, "track_url": track_url,
            "link": absolute_url(tokens.issue_link(complaint, "receipt"))})
        outbox.enqueue(kind="receipt", to_email=address, subject=subject, body=body,
                       complaint=complaint, language=complaint.language,
                       # The body holds the raw key; an anonymous address is used once.
                       erase_after_send=True)
        return
    template = ACTIONS[action].notifies(kwargs.get("to_state"))
    if not template or not (complaint.reporter_email or sms_phone(complaint)):
        return  # anonymous reports keep no address after the receipt
    if complaint.processing_restricted_at is not None:
        return  # the citizen asked us to stop processing (complaints.subject_rights)
    context = {"complaint": complaint, "track_url": track_url,
               "track_link": absolute_url(tokens.issue_link(complaint, "track"))}
    if action == "request_info":
        question = open_question(complaint)
        context["question"] = question.body if question else ""
    if action in ("uphold_review", "overturn_review"):
        event = kwargs.get("event")
        context["reason"] = event_text(event, "reason") if event is not None else ""
    if template == "resolved":
        context["rate_link"] = absolute_url(tokens.issue_link(complaint, "rate"))
        context["appeal_link"] = absolute_url(tokens.issue_link(complaint, "appeal"))
    with translation.override(complaint.language or "id"):
        context["unit"] = complaint.responsible_unit.name if complaint.responsible_unit else ""
    _enqueue_for_reporter(complaint, template, context)


# The original's resolution and closing reach the reporters of its duplicates.
ORIGINAL_UPDATES = {"resolve": "original_resolved", "confirm": "original_closed", "auto_close": "original_closed"}


def open_duplicates(original, depth=5):
    """Complaints still marked duplicates of `original` (also through an original that was
    itself marked a duplicate later), with an address to write to."""
    found, level = [], [original.pk]
    while level and depth:
        rows = list(Complaint.objects.filter(duplicate_of__in=level, state=State.DUPLICATE))
        found += [d for d in rows if d.reporter_email or sms_phone(d)]
        level, depth = [d.pk for d in rows], depth - 1
    return found


@receiver(complaint_changed, sender=Complaint, dispatch_uid="duplicate-reporter-notifications")
def notify_duplicate_reporters(sender, complaint, action, **kwargs):
    """In the original's transaction: one e-mail per duplicate's reporter, about their own
    report's code, naming only the original's status, outcome and (when published) its
    public page; never its text, its code when unpublished, or anything of its reporter."""
    template = ORIGINAL_UPDATES.get(action)
    if template is None:
        return
    duplicates = open_duplicates(complaint)
    if not duplicates:
        return
    published = public_complaints().filter(pk=complaint.pk).exists()
    track_url = absolute_reverse("complaints:track")
    for duplicate in duplicates:
        with translation.override(duplicate.language or "id"):
            context = {
                "complaint": duplicate, "track_url": track_url,
                "track_link": absolute_url(tokens.issue_link(duplicate, "track")),
                "status": str(complaint.get_state_display()), "outcome": str(complaint.get_outcome_display()),
                "public_link": absolute_reverse("complaints:public_detail", args=[complaint.tracking_code])
                if published else "",
            }
        _enqueue_for_reporter(duplicate, template, context)
