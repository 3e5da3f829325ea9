"""Sign-in (password, then the second factor), enrolment, recovery codes, password reset
and the security log page. Rules live in throttle, second_factor and devices; the views
parse, call them and render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp import user_has_device

from complaints.permissions import is_staff_member
from complaints.ratelimit import Limit, client_ip
from complaints.roles import has_units, is_triage_desk, reads_everything
from complaints.staff.access import staff_view

from . import devices, second_factor, throttle
from .forms import CodeForm
from .middleware import start_staff_session
from .models import SecurityEvent
from .signals import is_staff_account, record

Kind = SecurityEvent.Kind


def _wait_message(seconds):
    minutes = max(1, (seconds + 59) // 60)
    return ngettext(
        "Too many failed attempts from your connection. Try again in %(n)d minute.",
        "Too many failed attempts from your connection. Try again in %(n)d minutes.", minutes,
    ) % {"n": minutes}


def _next_url(request, user=None):
    """Where to go once signed in: a safe `next`, else /staff/ for staff, else home."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    user = user or request.user
    if is_staff_member(user) or user.is_staff:
        return reverse("staff:home")
    return settings.LOGIN_REDIRECT_URL


def _step_redirect(request, step):
    return redirect(f"{second_factor.step_url(step)}?{urlencode({'next': _next_url(request)})}")


class SignInView(auth_views.LoginView):
    """The password step. Refused before checking anything while the account is blocked
    from this address (or the address is blocked); then the second factor if owed."""

    template_name = "registration/login.html"
    redirect_authenticated_user = False

    def post(self, request, *args, **kwargs):
        username = throttle.normalise(request.POST.get("username", ""))
        wait = throttle.wait_seconds(username, client_ip(request))
        if wait:
            record(request, Kind.THROTTLED, username=username)
            form = self.get_form_class()(request)  # unbound: validating would check the password
            return self.render_to_response(
                self.get_context_data(form=form, throttled=_wait_message(wait)), status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)  # django.contrib.auth.login: a new session key
        user = form.get_user()
        if is_staff_account(user):
            start_staff_session(self.request)
        step = second_factor.owed(user)
        if step is not None:
            return _step_redirect(self.request, step)
        return response

    def get_success_url(self):
        return _next_url(self.request)


@never_cache
@login_required
@sensitive_post_parameters("code")
def verify(request):
    """The second step: a code from the authenticator or one recovery code."""
    user = request.user
    if not user_has_device(user, confirmed=True):
        return _step_redirect(request, "enrol")
    form = CodeForm(request.POST or None)
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        ip = client_ip(request)
        wait = throttle.wait_seconds(user.get_username(), ip)
        if wait:
            record(request, Kind.THROTTLED, user=user, detail="second factor")
            form.add_error(None, _wait_message(wait))
            status = 429
        else:
            device = devices.verify(user, form.cleaned_data["code"])
            if device is not None:
                otp_login(request, device)
                request.session.cycle_key()
                if devices.is_recovery(device):
                    record(request, Kind.RECOVERY_CODE_USED, user=user)
                    messages.warning(request, _("You used a recovery code; it will not work again. "
                                                "Create new codes if few are left."))
                else:
                    record(request, Kind.SECOND_FACTOR_OK, user=user)
                return redirect(_next_url(request))
            throttle.record_failure(user.get_username(), ip)
            record(request, Kind.SECOND_FACTOR_FAILED, user=user)
            form.add_error("code", _("This code is not valid. Codes change every 30 seconds and work once."))
    return render(request, "accounts/verify.html", {"form": form, "next": _next_url(request)}, status=status)


@never_cache
@login_required
@sensitive_post_parameters("code")
def enrol(request):
    """Enrol an authenticator app: QR code, one code to confirm, then recovery codes once.
    Someone who already has a device must prove it first (a stolen password must not be
    enough to replace the officer's device)."""
    user = request.user
    if not is_staff_account(user):
        raise PermissionDenied
    if user_has_device(user, confirmed=True) and not user.is_verified():
        return _step_redirect(request, "verify")
    device = devices.pending_totp(user)
    form = CodeForm(request.POST or None)
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        codes = devices.confirm_totp(device, form.cleaned_data["code"])
        if codes is not None:
            otp_login(request, user.totpdevice_set.get(pk=device.pk))
            request.session.cycle_key()
            record(request, Kind.ENROLLED, user=user)
            return render(request, "accounts/recovery_codes.html",
                          {"codes": codes, "next": _next_url(request)})
        record(request, Kind.SECOND_FACTOR_FAILED, user=user, detail="enrolment")
        form.add_error("code", _("This code is not valid. Check the time on your phone and try the newest code."))
    return render(request, "accounts/enrol.html", {
        "form": form, "qr": devices.qr_svg(device), "secret": devices.base32_secret(device),
        "required": second_factor.required(user), "next": _next_url(request),
    }, status=status)


@never_cache
@login_required
def recovery_codes(request):
    """New recovery codes (the old ones stop working); only after the second factor."""
    if not request.user.is_verified():
        return _step_redirect(request, "verify")  # which sends those without a device to enrol
    if request.method == "POST":
        codes = devices.new_recovery_codes(request.user)
        return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": reverse("staff:home")})
    return render(request, "accounts/recovery_codes.html", {"codes": None})


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset, limited per client IP: it sends e-mail to any address typed."""

    limit = Limit("password_reset", 5, 3600)

    def post(self, request, *args, **kwargs):
        wait = self.limit.hit(client_ip(request))
        if wait:
            return render(request, "registration/password_reset_form.html",
                          {"form": self.get_form(), "throttled": _wait_message(wait)}, status=429)
        return super().post(request, *args, **kwargs)


@staff_view(reads_everything)
def security_log(request):
    """Oversight reads every sign-in fact; nobody can change one."""
    rows = SecurityEvent.objects.select_related("user")
    kind = request.GET.get("kind", "")
    if kind in Kind.values:
        rows = rows.filter(kind=kind)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/security_log.html", {
        "page": page, "kinds": Kind.choices, "kind": kind, "qs": f"kind={kind}" if kind else "",
        "nav_triage": is_triage_desk(request.user), "nav_inbox": has_units(request.user), "nav_oversight": True,
    })
