"""Reading a kept e-mail for the triage page, defensively: the same shape checks as intake
(a MIME bomb is not read again), text only, attachments by name and type."""

from ..intake.mail import Unreadable, html_to_text, parse

MAX_SHOWN = 20000


def readable_text(raw):
    """(the text of the message, [(file name, size)]); ("", []) when it cannot be read."""
    try:
        parsed = parse(raw)
    except Unreadable:
        return "", []
    text = parsed.text
    if "<html" in text[:500].lower():
        text = html_to_text(text)
    return text[:MAX_SHOWN], [(name, len(data)) for name, data in parsed.files]
