"""Signed reply addresses: `<local>+<code>.<signature>@<domain>` from INTAKE_ADDRESS.

Every e-mail to a citizen carries one in Reply-To, so that a reply finds its complaint. The
signature (a keyed HMAC of the tracking code, salted for this purpose) makes the address a
capability like a signed link: knowing a tracking code is not enough to write into a
complaint. Hex, lower case, because mail systems may change the case of local parts.
"""

import hmac
from email.utils import parseaddr

from django.conf import settings
from django.utils.crypto import salted_hmac

SALT = "aduan.intake.reply-address"
SIGNATURE_LENGTH = 12  # 48 bits: enough against guessing through a mail server


def intake_parts():
    """(local, domain) of INTAKE_ADDRESS, or None when e-mail intake is off."""
    address = parseaddr(settings.INTAKE_ADDRESS or "")[1]
    local, _, domain = address.rpartition("@")
    if not local or not domain:
        return None
    return local.lower(), domain.lower()


def signature(code):
    return salted_hmac(SALT, code.upper(), algorithm="sha256").hexdigest()[:SIGNATURE_LENGTH]


def reply_address(code):
    """The signed reply address of the complaint with tracking code `code`, or "" when
    e-mail intake is off."""
    parts = intake_parts()
    if parts is None or not code:
        return ""
    local, domain = parts
    return f"{local}+{code.lower()}.{signature(code)}@{domain}"


def tagged(address):
    """The tag of a plus-address of the intake mailbox ("<code>.<signature>"), or None when
    `address` is not one."""
    parts = intake_parts()
    if parts is None:
        return None
    local, domain = parts
    mailbox, _, host = (address or "").lower().rpartition("@")
    if host != domain or not mailbox.startswith(local + "+"):
        return None
    return mailbox[len(local) + 1:]


def verified_code(tag):
    """The tracking code a tag names when its signature is right, else None."""
    code, _, given = (tag or "").rpartition(".")
    if not code or not given:
        return None
    return code.upper() if hmac.compare_digest(signature(code), given.lower()) else None
