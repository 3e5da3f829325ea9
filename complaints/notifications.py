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

from . import outbox
from .citizen import tokens
from .citizen.services import open_question
from .lifecycle.actions import ACTIONS
from .links import absolute_reverse, absolute_url
from .models import Complaint, IdentityMode
from .signals import complaint_changed

def _render(template, language, context):
    with translation.override(language or "id"):
        subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
        body = render_to_string(f"emails/{template}.txt", context)
    return " ".join(subject.split()), body


@receiver(complaint_changed, sender=Complaint, dispatch_uid="citizen-notifications")
def notify_citizen(sender, complaint, action, **kwargs):
    track_url = absolute_reverse("complaints:track")
    if action == "filed":
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
    if not template or not complaint.reporter_email:
        return  # anonymous reports keep no address after the receipt
    if complaint.processing_restricted_at is not None:
        return  # the citizen asked us to stop processing (complaints.subject_rights)
    context = {"complaint": complaint, "track_url": track_url,
               "track_link": absolute_url(tokens.issue_link(complaint, "track"))}
    if action == "request_info":
        question = open_question(complaint)
        context["question"] = question.body if question else ""
    if template == "resolved":
        context["rate_link"] = absolute_url(tokens.issue_link(complaint, "rate"))
        context["appeal_link"] = absolute_url(tokens.issue_link(complaint, "appeal"))
    with translation.override(complaint.language or "id"):
        context["unit"] = complaint.responsible_unit.name if complaint.responsible_unit else ""
    subject, body = _render(template, complaint.language, context)
    outbox.enqueue(kind=template, to_email=complaint.reporter_email, subject=subject, body=body,
                   complaint=complaint, language=complaint.language,
                   erase_after_send=complaint.identity_mode == IdentityMode.ANONYMOUS)
