"""Access to a complaint's private tracking page.

The secret token (stored only hashed) opens it once and is then exchanged for an entry in
the session, so it never stays in the address bar or in the history. E-mails after the
receipt cannot contain the token, so they carry signed, purpose-scoped links instead: a
link made for rating cannot be used to appeal, and every link stops working when it
expires or when the complaint's token is replaced.
"""

from django.conf import settings
from django.core import signing

SESSION_KEY = "citizen_access"
# What each kind of access allows on the tracking page. The token allows everything.
FULL = "*"
PURPOSES = {
    "track": {"view", "comment", "provide_info"},
    "rate": {"view", "confirm", "rate"},
    "appeal": {"view", "reopen"},
}


def _signer(purpose):
    return signing.TimestampSigner(salt=f"aduan.citizen.link.{purpose}")


def _fingerprint(complaint):
    # Ties the link to the current token: a replaced token invalidates old links.
    return complaint.access_token_hash[:12]


def sign_link(complaint, purpose):
    if purpose not in PURPOSES:
        raise ValueError(purpose)
    return _signer(purpose).sign(f"{complaint.tracking_code}:{_fingerprint(complaint)}")


def check_link(complaint, purpose, signature):
    """True when `signature` is a live link of this purpose for this complaint."""
    if purpose not in PURPOSES or not signature:
        return False
    max_age = settings.CITIZEN_LINK_MAX_AGE_DAYS * 24 * 3600
    try:
        value = _signer(purpose).unsign(signature, max_age=max_age)
    except signing.BadSignature:  # also covers SignatureExpired
        return False
    return value == f"{complaint.tracking_code}:{_fingerprint(complaint)}"


def link_path(complaint, purpose):
    from django.urls import reverse

    return reverse("complaints:track_link", args=[complaint.tracking_code, purpose]) + \
        "?s=" + sign_link(complaint, purpose)


def grant(session, code, scopes, cycle=True):
    access = dict(session.get(SESSION_KEY, {}))
    current = set(access.get(code, []))
    access[code] = sorted(current | set(scopes))
    session[SESSION_KEY] = access
    if cycle:
        # A visitor who gains access to a private page gets a fresh session id, so a
        # session id planted beforehand (fixation) does not gain that access.
        session.cycle_key()


def scopes(request, complaint):
    """What this visitor may do with this complaint: the session's grants, or everything
    when they filed it while signed in."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and complaint.reporter_user_id == user.pk:
        return {FULL}
    return set(request.session.get(SESSION_KEY, {}).get(complaint.tracking_code, []))


def allows(granted, what):
    return FULL in granted or what in granted
