"""Access to a complaint's private tracking page.

No URL requested with GET grants anything: URLs reach access logs, browser history and
the link checkers of mail providers. Access comes only from a POST:

- the tracking code with the secret key (the access token, stored only hashed) on /track/;
- a link code from an e-mail (`issue_link`): random, stored hashed, scoped to a purpose,
  valid once (again within LINK_REPEAT_SECONDS of its first use, for a double click or a
  retried request), for CITIZEN_LINK_MAX_AGE_DAYS, and only while the complaint keeps its
  key. A GET on the link shows a page whose Continue button POSTs the code, so a mail
  scanner that fetches the link neither uses nor spends it. After its use the citizen comes
  back with the code and key from the receipt e-mail;
- filing through the web form (see `receipt_token` and citizen.views.report).

Every grant gives the visitor a new session id, so a session id planted beforehand
(fixation) never gains access.
"""

import base64
import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from ..models import AccessLink, hash_token

SESSION_KEY = "citizen_access"
# What each kind of access allows on the tracking page. The key allows everything.
FULL = "*"
PURPOSES = {
    "receipt": {FULL},
    "track": {"view", "comment", "provide_info", "request_review"},
    "rate": {"view", "confirm", "rate"},
    "appeal": {"view", "reopen"},
}
# A used link still works this long: the second request of a double click carries the
# session cookie from before the first answer, and must not be told the link is spent.
LINK_REPEAT_SECONDS = 120


def form_key_digest(form_key):
    """What a web form's idempotency key is stored as: a digest, so that the key itself,
    from which the secret key is made (receipt_token), exists only in that form."""
    return hashlib.sha256(f"aduan.citizen.form:{form_key}".encode()).hexdigest()


def receipt_token(form_key, stored_key):
    """The secret key of a report filed through the web form, made from the form's own
    idempotency key (random, never stored) and the key the complaint is stored under, with
    the server's secret. The same form sent again, e.g. a double click whose first answer
    never reached the browser, can so be shown its secret key again, while the database
    (even with SECRET_KEY) holds nothing it could be made from."""
    digest = salted_hmac("aduan.citizen.receipt-token", f"{form_key}:{stored_key}",
                         algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _fingerprint(complaint):
    return complaint.access_token_hash[:12]


def issue_link(complaint, purpose, now=None):
    """A new link code for `purpose`, stored hashed; returns the path to put in an e-mail."""
    if purpose not in PURPOSES:
        raise ValueError(purpose)
    now = now or timezone.now()
    code = secrets.token_urlsafe(24)
    AccessLink.objects.create(
        complaint=complaint, purpose=purpose, code_hash=hash_token(code),
        token_fingerprint=_fingerprint(complaint), created_at=now,
        expires_at=now + dt.timedelta(days=settings.CITIZEN_LINK_MAX_AGE_DAYS))
    # In the query string: the access-log filter drops query strings.
    return reverse("complaints:track_link", args=[complaint.tracking_code, purpose]) + "?k=" + code


def redeem_link(complaint, purpose, code, now=None):
    """The scopes a link code opens, spending it; None for an unknown code, a code of
    another complaint or purpose, an expired or spent one, or one made before the
    complaint's key was replaced. All of these look the same to the visitor."""
    if not code or purpose not in PURPOSES:
        return None
    now = now or timezone.now()
    link = AccessLink.objects.filter(code_hash=hash_token(code), complaint=complaint,
                                     purpose=purpose).first()
    if link is None or link.expires_at <= now or link.token_fingerprint != _fingerprint(complaint):
        return None
    if link.used_at is None:
        # One winner among concurrent requests; the loser reads when it was used.
        if AccessLink.objects.filter(pk=link.pk, used_at__isnull=True).update(used_at=now):
            return PURPOSES[purpose]
        link = AccessLink.objects.get(pk=link.pk)
    if now - link.used_at <= dt.timedelta(seconds=LINK_REPEAT_SECONDS):
        return PURPOSES[purpose]
    return None


def grant(session, code, scopes):
    """Add `scopes` on complaint `code` to this visitor's session, under a new session id:
    an id planted beforehand (fixation) does not gain the access, and the old id is
    deleted."""
    access = dict(session.get(SESSION_KEY, {}))
    current = set(access.get(code, []))
    access[code] = sorted(current | set(scopes))
    session[SESSION_KEY] = access
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
