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
from .citizen.services import event_text, open_question, public_complaints
from .lifecycle.actions import ACTIONS
from .links import absolute_reverse, absolute_url
from .models import Complaint, IdentityMode, State
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
    if action in ("uphold_review", "overturn_review"):
        event = kwargs.get("event")
        context["reason"] = event_text(event, "reason") if event is not None else ""
    if template == "resolved":
        context["rate_link"] = absolute_url(tokens.issue_link(complaint, "rate"))
        context["appeal_link"] = absolute_url(tokens.issue_link(complaint, "appeal"))
    with translation.override(complaint.language or "id"):
        context["unit"] = complaint.responsible_unit.name if complaint.responsible_unit else ""
    subject, body = _render(template, complaint.language, context)
    outbox.enqueue(kind=template, to_email=complaint.reporter_email, subject=subject, body=body,
                   complaint=complaint, language=complaint.language,
                   erase_after_send=complaint.identity_mode == IdentityMode.ANONYMOUS)


# The original's resolution and closing reach the reporters of its duplicates.
ORIGINAL_UPDATES = {"resolve": "original_resolved", "confirm": "original_closed", "auto_close": "original_closed"}


def open_duplicates(original, depth=5):
    """Complaints still marked duplicates of `original` (also through an original that was
    itself marked a duplicate later), with an address to write to."""
    found, level = [], [original.pk]
    while level and depth:
        rows = list(Complaint.objects.filter(duplicate_of__in=level, state=State.DUPLICATE))
        found += [d for d in rows if d.reporter_email]
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
        subject, body = _render(template, duplicate.language, context)
        outbox.enqueue(kind=template, to_email=duplicate.reporter_email, subject=subject, body=body,
                       complaint=duplicate, language=duplicate.language,
                       erase_after_send=duplicate.identity_mode == IdentityMode.ANONYMOUS)
