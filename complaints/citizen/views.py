"""Citizen pages: filing, confirmation, tracking (with the citizen's actions), the public
list, sign-up and "my complaints". Views parse input, call one domain function, render."""

import math

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ..lifecycle.actions import ACTIONS
from ..lifecycle.engine import available_actions
from ..lifecycle.errors import Conflict, TransitionError
from ..lifecycle.filing import MIN_DESCRIPTION
from ..models import Attachment, Complaint, DataSubjectRequest, SubjectRequestKind
from ..permissions import ActorRef
from ..ratelimit import client_ip
from .. import subject_rights
from ..transparency import anchor as transparency
from . import accounts, services, tokens
from .forms import (
    ACTION_FORMS, IDENTITY_HELP, VISIBILITY_HELP, AccountPasswordForm, ComplaintForm,
    PublicFilterForm, SignupForm, TrackForm, area_groups, category_groups, map_config,
)

# The confirmation page of a report reads its secret key from this cookie, set with the
# answer to the filing and sent by the browser only to that page. Nothing on the server
# keeps the key; a session id planted beforehand does not come with the cookie.
RECEIPT_COOKIE = "aduan_receipt_%s"
CONFIRMATION_SECONDS = services.CONFIRMATION_SECONDS


def _form_context(form):
    return {
        "form": form, "category_groups": category_groups(), "area_groups": area_groups(),
        "map_config": map_config(),
        "identity_choices": [(r, IDENTITY_HELP[r.data["value"]]) for r in form["identity_mode"]],
        "visibility_choices": [(r, VISIBILITY_HELP[r.data["value"]]) for r in form["visibility"]],
        "min_description": MIN_DESCRIPTION,
        "max_files": settings.ATTACHMENT_MAX_FILES,
        "max_mb": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024),
    }


def _rate_limited(request, wait, template="complaints/citizen/rate_limited.html"):
    minutes = max(1, math.ceil(wait / 60))
    response = render(request, template, {"minutes": minutes}, status=429)
    response["Retry-After"] = str(wait)
    return response


@never_cache  # the form's idempotency key must be one browser's own
def report(request):
    if request.method != "POST":
        initial = {"idempotency_key": services.new_idempotency_key()}
        if request.user.is_authenticated:
            initial["reporter_email"] = request.user.email
        form = ComplaintForm(initial=initial)
        return render(request, "complaints/citizen/report_form.html", _form_context(form))
    form = ComplaintForm(request.POST, request.FILES)
    if form.is_spam:
        return render(request, "complaints/citizen/report_refused.html", status=400)
    if not form.is_valid():
        return render(request, "complaints/citizen/report_form.html", _form_context(form), status=400)
    try:
        filed = services.file_report(
            form.submission, form.cleaned_data["attachments"],
            form_key=form.cleaned_data["idempotency_key"], language=get_language() or "id",
            user=request.user if request.user.is_authenticated else None, client=client_ip(request))
    except services.RateLimited as limited:
        return _rate_limited(request, limited.wait)
    code = filed.complaint.tracking_code
    response = redirect("complaints:report_done", code=code)
    if filed.token:
        # Also for the same form sent again: the second request of a double click carries
        # the cookies from before the first answer (whose new session id may never have
        # arrived), and gets its own fresh session with the access and the confirmation.
        tokens.grant(request.session, code, [tokens.FULL])
        response.set_cookie(
            RECEIPT_COOKIE % code, filed.token, max_age=CONFIRMATION_SECONDS,
            path=reverse("complaints:report_done", args=[code]), httponly=True,
            secure=settings.SESSION_COOKIE_SECURE, samesite="Lax")
    return response


@never_cache
def report_done(request, code):
    # never_cache: pages with the key or private details stay out of shared and back caches.
    complaint = Complaint.objects.filter(tracking_code=code.upper()).select_related("category").first()
    token = services.shown_token(complaint, request.COOKIES.get(RECEIPT_COOKIE % code.upper(), ""))
    if token is None:
        # Only the browser that filed it (or the same form sent again) sees the key.
        return render(request, "complaints/citizen/report_done_elsewhere.html", status=404)
    return render(request, "complaints/citizen/report_done.html", {
        "complaint": complaint, "token": token,
        "emailed": complaint.notifications.filter(kind="receipt").exists(),
    })


# --- tracking ---------------------------------------------------------------------------------
def _not_found(request, form=None, message=None):
    # A wrong code and a wrong key get exactly the same answer.
    return render(request, "complaints/citizen/track_form.html", {
        "form": form or TrackForm(),
        "not_found": message or _("No report matches this tracking code and key. Check both and try again."),
    }, status=404)


def track(request):
    if request.method != "POST":
        return render(request, "complaints/citizen/track_form.html", {"form": TrackForm()})
    form = TrackForm(request.POST)
    if not form.is_valid():
        return render(request, "complaints/citizen/track_form.html", {"form": form}, status=400)
    complaint = Complaint.objects.filter(tracking_code=form.cleaned_data["code"]).first()
    if complaint is None or not complaint.check_token(form.cleaned_data["token"]):
        return _not_found(request, form)
    tokens.grant(request.session, complaint.tracking_code, [tokens.FULL])
    return redirect("complaints:track_page", code=complaint.tracking_code)


CONTINUE_HEADINGS = {
    "receipt": gettext_lazy("Open your report"), "track": gettext_lazy("Open your report"),
    "rate": gettext_lazy("Rate the result"), "appeal": gettext_lazy("Appeal the resolution"),
}


def _continue_page(request, code, action, fields, purpose="track"):
    """What a GET on a link from an e-mail shows: nothing is granted or spent until the
    visitor presses Continue (a POST), so mail scanners that fetch links do neither."""
    return render(request, "complaints/citizen/continue.html", {
        "code": code.upper()[:20], "action": action, "fields": fields,
        "heading": CONTINUE_HEADINGS.get(purpose, CONTINUE_HEADINGS["track"])})


@never_cache
def track_link(request, code, purpose):
    """A link from an e-mail: GET shows the Continue page, its POST spends the link code
    for the access of the link's purpose."""
    if request.method != "POST":
        return _continue_page(request, code, request.path, [("k", request.GET.get("k", ""))], purpose)
    complaint = Complaint.objects.filter(tracking_code=code.upper()).first()
    granted = tokens.redeem_link(complaint, purpose, request.POST.get("k", "")) if complaint else None
    if granted is None:
        # Unknown, tampered, spent, expired or of another report: one answer for all.
        return _not_found(request, message=_(
            "This link does not open a report (any more): links in our e-mails work once and "
            "for a limited time. Enter the tracking code and the secret key from your receipt "
            "e-mail instead."))
    tokens.grant(request.session, complaint.tracking_code, granted)
    anchor = {"rate": "#act-confirm", "appeal": "#act-reopen"}.get(purpose, "")
    return HttpResponseRedirect(reverse("complaints:track_page", args=[complaint.tracking_code]) + anchor)


def _page_context(request, complaint, granted, bound=None, action_error=None):
    offered = [name for name in available_actions(complaint, ActorRef.citizen()) if tokens.allows(granted, name)]
    initial = {"expected_state": complaint.state, "expected_version": complaint.audit_count}
    before, after = [], []
    for name in offered:
        spec = ACTIONS[name].citizen_form
        form = bound if bound is not None and bound.prefix == name else ACTION_FORMS[name](prefix=name, initial=initial)
        intro = spec.intro and str(spec.intro) % {"due": date_format(complaint.appeal_due_at, "j F Y")
                                                   if complaint.appeal_due_at else ""}
        (after if spec.after_timeline else before).append(
            {"action": name, "form": form, "title": spec.title, "button": spec.button, "intro": intro})
    due_label, due_at = services.due_date(complaint)
    return {
        "complaint": complaint, "explanation": services.STATE_EXPLANATIONS.get(complaint.state),
        "timeline": services.timeline(complaint), "forms_before": before, "forms_after": after,
        "due_label": due_label,
        "due_at": due_at, "action_error": action_error,
        "question": services.open_question(complaint),
        "attachments": Attachment.objects.filter(complaint=complaint, purpose=Attachment.Purpose.CITIZEN).count(),
        "is_resolved": complaint.resolution_announced,
        # Erase and stop requests with their decision (a refusal's reason included); only
        # for whoever may make them.
        "subject_requests": (complaint.subject_requests.exclude(kind=SubjectRequestKind.ACCESS)
                             .order_by("-submitted_at", "-pk")
                             if tokens.allows(granted, "subject_request") else ()),
        "pending_state": DataSubjectRequest.Status.PENDING,
        "original": services.original_status(complaint),
    }


def _tracked(request, code):
    complaint = (Complaint.objects.select_related("category", "responsible_unit")
                 .filter(tracking_code=code.upper()).first())
    if complaint is None:
        return None, set()
    granted = tokens.scopes(request, complaint)
    if not tokens.allows(granted, "view"):
        return None, set()
    return complaint, granted


@never_cache
def track_page(request, code):
    if "t" in request.GET:
        # A private link of the old kind (the key in the address): it grants nothing by
        # itself; Continue sends code and key to the tracking form.
        return _continue_page(request, code, reverse("complaints:track"),
                              [("code", code), ("token", request.GET["t"])])
    complaint, granted = _tracked(request, code)
    if complaint is None:
        return _not_found(request)
    return render(request, "complaints/citizen/track.html", _page_context(request, complaint, granted))


@never_cache
def track_proof(request, code):
    """The inclusion proof of this complaint in the latest transparency root (JSON): its own
    leaf and sibling hashes, nothing readable about other complaints."""
    complaint, _granted = _tracked(request, code)
    if complaint is None:
        return _not_found(request)
    proof = transparency.inclusion_proof(complaint)
    if proof is None:
        return JsonResponse({"error": _("Not published yet: the next transparency root will include this report.")},
                            status=404)
    response = JsonResponse(proof)
    response["Content-Disposition"] = f'attachment; filename="{complaint.tracking_code}-proof.json"'
    return response


@never_cache
@require_POST
def track_action(request, code, action):
    complaint, granted = _tracked(request, code)
    if complaint is None:
        return _not_found(request)
    if action not in ACTION_FORMS or not tokens.allows(granted, action):
        messages.error(request, _("This link does not allow that action."))
        return redirect("complaints:track_page", code=complaint.tracking_code)
    form = ACTION_FORMS[action](request.POST, request.FILES, prefix=action)
    if not form.is_valid():
        context = _page_context(request, complaint, granted, bound=form)
        return render(request, "complaints/citizen/track.html", context, status=400)
    args = {k: v for k, v in form.cleaned_data.items()
            if k not in ("expected_state", "expected_version", "attachments")}
    try:
        services.act(complaint, action, expected_state=form.cleaned_data["expected_state"],
                     expected_version=form.cleaned_data["expected_version"],
                     files=form.cleaned_data.get("attachments") or (), **args)
    except Conflict:
        complaint = Complaint.objects.select_related("category", "responsible_unit").get(pk=complaint.pk)
        context = _page_context(request, complaint, granted, action_error=_(
            "This report changed while you were looking at it. Read the page again "
            "and then send your answer if it is still needed; what you wrote is below."))
        context["stale_text"] = next((v for v in args.values() if isinstance(v, str) and v), "")
        return render(request, "complaints/citizen/track.html", context, status=409)
    except TransitionError as exc:
        if exc.errors:
            for field, message in exc.errors.items():
                form.add_error(field if field in form.fields else None, message)
            context = _page_context(request, complaint, granted, bound=form)
        else:
            context = _page_context(request, complaint, granted, action_error=exc.message)
        return render(request, "complaints/citizen/track.html", context, status=exc.status)
    if action == "download_data":
        # The audited copy goes on to its signed, short-lived download link.
        return HttpResponseRedirect(subject_rights.download_path(complaint))
    messages.success(request, ACTIONS[action].citizen_form.done)
    return redirect("complaints:track_page", code=complaint.tracking_code)


def _zip_response(content, filename):
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _download_refused(request):
    # Tampered, expired, of another report or without the access: one answer for all.
    return _not_found(request, message=_(
        "This download link is not valid (any more): download links work for a few minutes, "
        "only in the browser that asked for them. Open your report and press “Download my data” again."))


@never_cache
def track_data(request, code):
    """The ZIP of everything held about the report: only with the tracking page's access
    (the key or the account) and a signed link from it that has not expired."""
    complaint, granted = _tracked(request, code)
    if complaint is None or not tokens.allows(granted, "download_data"):
        return _download_refused(request)
    if not subject_rights.link_opens(complaint, request.GET.get("s", "")):
        return _download_refused(request)
    return _zip_response(subject_rights.build_zip([complaint]), f"{complaint.tracking_code}-data.zip")


# --- the public site -------------------------------------------------------------------------
def public_list(request):
    form = PublicFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows, more = services.search_public(filters.get("q"), filters.get("category"), filters.get("unit"),
                                        filters.get("status"), after=filters.get("after"))
    query = request.GET.copy()
    for name in ("page", "after"):
        query.pop(name, None)
    return render(request, "complaints/citizen/public_list.html", {
        "form": form, "complaints": rows, "query": query.urlencode(), "first": not filters.get("after"),
        "older": rows[-1].tracking_code if more else None})


def public_detail(request, code):
    complaint = get_object_or_404(services.public_complaints(), tracking_code=code.upper())
    return render(request, "complaints/citizen/public_detail.html", {
        "complaint": complaint, "replies": services.public_replies(complaint)})


# --- accounts ----------------------------------------------------------------------------------
def signup(request):
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = accounts.signup_limit().hit(client_ip(request))
        if wait:
            return _rate_limited(request, wait, "registration/signup_rate_limited.html")
        accounts.request_account(form.cleaned_data["email"], language=get_language() or "id")
        # The same answer whether or not the address has an account.
        return redirect("complaints:signup_sent")
    return render(request, "registration/signup.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


def signup_sent(request):
    return render(request, "registration/signup_sent.html")


@never_cache
def signup_confirm(request):
    """The link from the sign-up e-mail: GET shows the password form, its POST creates the
    account and signs in."""
    signed = request.POST.get("s") or request.GET.get("s", "")
    email = accounts.email_from_link(signed)
    form = AccountPasswordForm(email, request.POST or None)
    if email is not None and request.method == "POST" and form.is_valid():
        user = accounts.create_account(email, form.cleaned_data["password1"])
        if user is not None:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Your account is ready. Reports you file while signed in appear under “My reports”."))
            return redirect("complaints:my_complaints")
        email = None
    if email is None:
        return render(request, "registration/signup_link_refused.html",
                      {"hours": accounts.SIGNUP_LINK_HOURS}, status=404)
    return render(request, "registration/signup_confirm.html",
                  {"form": form, "email": email, "signed": signed},
                  status=400 if request.method == "POST" else 200)


@never_cache
@login_required
def my_data(request):
    """A signed-in citizen's copy of every report filed from their account: the POST records
    it (an audited access request per report) and goes on to the signed link; the GET with
    that link serves the ZIP."""
    complaints = list(Complaint.objects.filter(reporter_user=request.user)
                      .select_related("category", "responsible_unit").order_by("submitted_at", "pk"))
    if request.method == "POST":
        subject_rights.take_copy(complaints)
        return HttpResponseRedirect(subject_rights.account_download_path(request.user))
    if not subject_rights.account_link_opens(request.user, request.GET.get("s", "")):
        return render(request, "complaints/citizen/my_data_refused.html", status=404)
    return _zip_response(subject_rights.build_zip(complaints, account=request.user), "aduan-my-data.zip")


@login_required
def my_complaints(request):
    complaints = Complaint.objects.filter(reporter_user=request.user).select_related(
        "category", "responsible_unit")
    page = Paginator(complaints, 20).get_page(request.GET.get("page"))
    return render(request, "complaints/citizen/my_complaints.html", {"page": page})
