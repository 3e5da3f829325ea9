"""Two guards on every request of a signed-in user:

- SecondFactorMiddleware: a staff page or admin page is only served once the second factor
  the user owes (accounts.second_factor) has been proved in this session; until then every
  such URL redirects to the one page that settles it (verify or enrol).
- StaffSessionMiddleware: a staff session ends after STAFF_SESSION_IDLE_MINUTES without a
  request (its cookie already ends with the browser).
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from . import second_factor
from .models import SecurityEvent
from .signals import record

STAFF_SEEN = "aduan_staff_seen"
# Write the last-seen time at most this often, not on every request.
SEEN_RESOLUTION = 60


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = None

    def __call__(self, request):
        if self.prefixes is None:
            self.prefixes = second_factor.guarded_prefixes()
        if request.path.startswith(self.prefixes) and request.user.is_authenticated:
            step = second_factor.owed(request.user)
            if step is not None:
                return redirect(f"{second_factor.step_url(step)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


class StaffSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seen = request.session.get(STAFF_SEEN) if hasattr(request, "session") else None
        if seen is not None and request.user.is_authenticated:
            now = time.time()
            if now - seen > settings.STAFF_SESSION_IDLE_MINUTES * 60:
                user = request.user
                record(request, SecurityEvent.Kind.SESSION_EXPIRED, user=user)
                logout(request)
                messages.info(request, _("You were signed out after %(minutes)d minutes without activity.")
                              % {"minutes": settings.STAFF_SESSION_IDLE_MINUTES})
                return redirect_to_login(request.get_full_path())
            if now - seen > SEEN_RESOLUTION:
                request.session[STAFF_SEEN] = now
        return self.get_response(request)


def start_staff_session(request):
    """Called once the password is accepted for a staff account: the session cookie ends
    with the browser and the idle clock starts."""
    request.session.set_expiry(0)
    request.session[STAFF_SEEN] = time.time()
