"""Optional citizen accounts, created through a link sent by e-mail.

Sign-up answers exactly the same whether or not an account (a citizen's or a staff
member's) already has the address, so the form tells no one which addresses are
registered: it always says "check your e-mail". Only the e-mail, which reaches the
address's owner alone, differs: a new address gets a link to choose a password, and the
account exists from the moment that link is used; a registered address is told that it
has an account, with where to sign in or reset the password.

The link carries the address signed with django.core.signing (in the query string, which
the access-log filter drops). A GET only shows the password form; the POST creates the
account. It works for SIGNUP_LINK_HOURS and once: the account it creates makes it void.
"""

from django.contrib.auth import get_user_model
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .. import outbox
from ..links import absolute_reverse, absolute_url
from ..ratelimit import Limit

SIGNUP_LINK_HOURS = 48
_SALT = "aduan.citizen.signup"
# Sign-up sends e-mail to any address typed in: at most this many per client per hour.
SIGNUP_MAILS_PER_HOUR = 5


def signup_limit():
    return Limit("citizen-signup", SIGNUP_MAILS_PER_HOUR, 3600)


def _registered(email):
    User = get_user_model()
    return User.objects.filter(Q(username__iexact=email) | Q(email__iexact=email)).exists()


def request_account(email, *, language):
    """Send the sign-up e-mail for `email` (normalised, lower case): the link to create the
    account, or word that one exists. The caller's answer must not depend on which."""
    registered = _registered(email)
    if registered:
        template, context = "signup_exists", {
            "login_url": absolute_reverse("login"),
            "reset_url": absolute_reverse("password_reset")}
    else:
        template, context = "signup", {
            "hours": SIGNUP_LINK_HOURS,
            "link": absolute_url(reverse("complaints:signup_confirm") + "?s="
                              + signing.dumps(email, salt=_SALT, compress=True))}
    with translation.override(language or "id"):
        subject = " ".join(render_to_string("emails/signup_subject.txt").split())
        body = render_to_string(f"emails/{template}.txt", context)
    # Both kinds are filed alike; the body (with the link) is erased once sent.
    outbox.enqueue(kind="signup", to_email=email, subject=subject, body=body, language=language,
                   erase_after_send=True)


def email_from_link(signed):
    """The address a sign-up link was made for, or None when the link is tampered with,
    expired, or already used (the account exists)."""
    try:
        email = signing.loads(signed or "", salt=_SALT, max_age=SIGNUP_LINK_HOURS * 3600)
    except signing.BadSignature:  # also SignatureExpired
        return None
    if not isinstance(email, str) or _registered(email):
        return None
    return email


def create_account(email, password):
    """The new, active account for `email`; None if one came into being meanwhile (the
    link used twice at once)."""
    User = get_user_model()
    try:
        with transaction.atomic():
            if _registered(email):
                return None
            return User.objects.create_user(username=email, email=email, password=password)
    except IntegrityError:
        return None
