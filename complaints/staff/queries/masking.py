"""How a staff reader sees a complaint's free text: masked or not (the rule is
permissions.reads_unmasked), and what masking hides."""

from ml.text import mask_personal_data

from ... import permissions as perms
from ...models import Complaint


def redacted_for(user, complaint):
    """True when the user reads this complaint masked."""
    return not perms.reads_unmasked(user, complaint)


def mask(complaint, text):
    """Text of a complaint as a reader who reads it masked sees it: e-mail addresses,
    phone numbers, ID numbers and links masked by pattern, and the reporter's stored
    name wherever it appears (a name nobody stored cannot be recognised)."""
    return mask_personal_data(text, names=[complaint.reporter_name])


# The complaint's own free text shown on its staff page: masked together when redacted.
FREE_TEXT = ("title", "description", "address", "media_url", "resolution_summary", "referred_to",
             "reject_message", "resolution_reference")


def texts(complaint, redacted):
    """{field: text} of FREE_TEXT as the reader sees it."""
    return {name: mask(complaint, getattr(complaint, name)) if redacted else getattr(complaint, name)
            for name in FREE_TEXT}


def with_shown_titles(user, complaints):
    """Set `.shown_title` on complaints listed to `user`: each title as that user reads it
    (masked where permissions.reads_unmasked says so). One query for any number."""
    if not complaints:
        return complaints
    full = Complaint.objects.filter(pk__in={c.pk for c in complaints}).select_related(
        "category", "responsible_unit").in_bulk()
    for c in complaints:
        source = full.get(c.pk)
        c.shown_title = c.title if source and perms.reads_unmasked(user, source) else mask(source or c, c.title)
    return complaints
