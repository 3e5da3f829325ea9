"""The triage desk's list of e-mails that did not become a complaint or a reply
(/staff/intake/mail/): what came, what became of it and why; never the sender's address
(only a short digest to see that several came from one sender). Mail that a complaint took
is read on that complaint, under its own permissions, so it is not listed here."""

from django.core.paginator import Paginator

from ..intake_text import readable_text
from ...models import InboundMessage

Status = InboundMessage.Status
# Statuses that need a person: everything that is not a filed complaint or an added reply.
LISTED = (Status.RECEIVED, Status.UNPARSED, Status.REJECTED, Status.THROTTLED, Status.IGNORED)
PAGE = 50


def listed():
    # E-mail only: this page reads each row as a message (SMS rows keep only their text).
    # Never a message tied to a complaint (e.g. a reply refused because the complaint had
    # ended): it is read on that complaint, under its permissions (triage may not open a
    # sensitive one).
    return InboundMessage.objects.filter(status__in=LISTED, channel=InboundMessage.Via.EMAIL,
                                         complaint__isnull=True).defer("raw")


def mail_list(page_number):
    page = Paginator(listed().order_by("-received_at", "-pk"), PAGE).get_page(page_number)
    return {"page": page, "rows": list(page.object_list)}


def mail_detail(pk):
    """The message as triage may read it; None when it is not listed here."""
    record = listed().defer(None).filter(pk=pk).first()
    if record is None:
        return None
    text, files = readable_text(bytes(record.raw))
    return {"record": record, "text": text, "files": files}
