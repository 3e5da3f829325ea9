"""Who may open which staff page.

Page-level rules only; whether a user may see one complaint or perform one action is
decided by complaints.permissions and the lifecycle, as everywhere else.

- Anonymous visitors are sent to the login page (302).
- Signed-in users without any staff role get 403 on every staff URL.
- A staff user opening a page of a role they do not hold gets 403; a complaint they may
  not view answers 404 so that its existence is not disclosed.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from .. import permissions as perms
from ..models import Complaint
from ..roles import (has_units, is_privacy_officer, is_triage_desk, manages_templates, may_file_on_behalf,
                     reads_everything)


def staff_view(check=None):
    """Decorate a view: login required, a staff role required, and optionally `check(user)`
    (one of complaints.roles' page rules, e.g. is_triage_desk)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not perms.is_staff_member(user):
                raise PermissionDenied
            if check is not None and not check(user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def complaint_for(user, tracking_code):
    """The complaint behind a staff URL, or 404 when this user may not view it."""
    queryset = Complaint.objects.select_related(
        "category", "category__sla_policy", "category__default_unit", "responsible_unit",
        "responsible_unit__parent", "assignee", "duplicate_of",
    )
    complaint = get_object_or_404(queryset, tracking_code=tracking_code.upper())
    if not perms.can_view(user, complaint):
        raise Http404
    return complaint


def staff_nav(user):
    """The staff menu's links this user sees (every staff page's layout, whichever app)."""
    return {
        "nav_triage": is_triage_desk(user),
        "nav_inbox": has_units(user),
        "nav_oversight": reads_everything(user),
        "nav_templates": manages_templates(user),
        "nav_privacy": is_privacy_officer(user),
        "nav_file": may_file_on_behalf(user),
    }
