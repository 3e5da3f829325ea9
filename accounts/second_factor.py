"""Who must prove a second factor, and where a signed-in user still owes one.

One rule: the roles that can reveal a reporter or change the whole system (privacy officer,
oversight, admin, Django staff/superusers) and every supervisor must enrol a TOTP device;
other staff may. Whoever has enrolled a device must use it at every sign-in.
"""

from django.urls import reverse
from django_otp import user_has_device

from complaints import permissions as perms
from routing.models import Membership

REQUIRED_ROLES = {perms.OVERSIGHT, perms.PRIVACY_OFFICER, perms.ADMIN}


def required(user):
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser or REQUIRED_ROLES & perms.global_roles(user):
        return True
    return Membership.Role.SUPERVISOR in perms.unit_roles(user).values()


def owed(user):
    """None when the user may open staff pages, else "verify" (has a device, has not used
    it in this session) or "enrol" (must enrol first)."""
    if not user.is_authenticated:
        return None
    # OTPMiddleware adds is_verified(); a user object fresh from the password step has no
    # device proved yet.
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and is_verified():
        return None
    if user_has_device(user, confirmed=True):
        return "verify"
    if required(user):
        return "enrol"
    return None


def step_url(step):
    return reverse("accounts:verify" if step == "verify" else "accounts:enrol")


def guarded_prefixes():
    """The URL prefixes behind the second factor: every staff page and the whole admin."""
    return (reverse("staff:home"), reverse("admin:index"))
