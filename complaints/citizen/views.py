"""Citizen pages: filing, confirmation, tracking (with the citizen's actions), the public
list, sign-up and "my complaints". Views parse input, call one domain function, render."""

import math
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ..lifecycle.actions import ACTIONS
from ..lifecycle.engine import available_actions
from ..lifecycle.errors import Conflict, TransitionError
from ..lifecycle.filing import MIN_DESCRIPTION
from ..models import Attachment, Complaint, State
from ..permissions import ActorRef
from ..ratelimit import Limit, client_ip
from . import services, tokens
from .forms import (
    ACTION_FORMS, IDENTITY_HELP, VISIBILITY_HELP, ComplaintForm, PublicFilterForm, SignupForm,
    TrackForm, category_groups,
)

FILED_SESSION_KEY = "citizen_filed"
# The raw token waits in the session only this long, so that a resent form can show the
# confirmation again; after that it exists nowhere but in the citizen's hands (and mail).
CONFIRMATION_SECONDS = 30 * 60


def _fresh_stash(session):
    now = time.time()
    return {key: entry for key, entry in session.get(FILED_SESSION_KEY, {}).items()
            if now - entry.get("at", 0) < CONFIRMATION_SECONDS}


def submission_limit():
    return Limit("citizen-report", settings.CITIZEN_REPORTS_PER_WINDOW,
                 settings.CITIZEN_REPORT_WINDOW_SECONDS)


def _form_context(form):
    return {
        "form": form, "category_groups": category_groups(),
        "identity_choices": [(r, IDENTITY_HELP[r.data["value"]]) for r in form["identity_mode"]],
        "visibility_choices": [(r, VISIBILITY_HELP[r.data["value"]]) for r in form["visibility"]],
        "min_description": MIN_DESCRIPTION,
        "max_files": settings.ATTACHMENT_MAX_FILES,
        "max_mb": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024),
    }


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
    key = request.POST.get("idempotency_key", "")[:64]
    # The same form sent again (double click, resend after a timeout): show what the first
    # submission created, without filing or counting it again.
    if key and Complaint.objects.filter(idempotency_key=key).exists():
        return redirect("complaints:report_done", key=key)
    if not form.is_valid():
        return render(request, "complaints/citizen/report_form.html", _form_context(form), status=400)
    wait = submission_limit().hit(client_ip(request))
    if wait:
        minutes = max(1, math.ceil(wait / 60))
        response = render(request, "complaints/citizen/rate_limited.html",
                          {"minutes": minutes}, status=429)
        response["Retry-After"] = str(wait)
        return response
    filed = services.file_with_attachments(
        form.submission, form.cleaned_data["attachments"], language=get_language() or "id",
        idempotency_key=form.cleaned_data["idempotency_key"], user=request.user
        if request.user.is_authenticated else None,
    )
    if filed.token:
        stash = _fresh_stash(request.session)
        stash[form.cleaned_data["idempotency_key"]] = {
            "code": filed.complaint.tracking_code, "token": filed.token, "at": time.time()}
        request.session[FILED_SESSION_KEY] = stash
        # No new session id here: a double click's second request still carries the old
        # cookie and must find the confirmation in the same session.
        tokens.grant(request.session, filed.complaint.tracking_code, [tokens.FULL], cycle=False)
    return redirect("complaints:report_done", key=form.cleaned_data["idempotency_key"])


@never_cache
def report_done(request, key):
    # never_cache: pages with the link or private details stay out of shared and back caches.
    complaint = Complaint.objects.filter(idempotency_key=key).select_related("category").first()
    fresh = _fresh_stash(request.session)
    if len(fresh) != len(request.session.get(FILED_SESSION_KEY, {})):
        request.session[FILED_SESSION_KEY] = fresh  # drop expired tokens from the store
    stash = fresh.get(key)
    if complaint is None or stash is None or stash["code"] != complaint.tracking_code:
        # Only the browser that filed it sees the confirmation (it holds the secret link).
        return render(request, "complaints/citizen/report_done_elsewhere.html", status=404)
    link = request.build_absolute_uri(
        reverse("complaints:track_page", args=[complaint.tracking_code]) + "?t=" + stash["token"])
    return render(request, "complaints/citizen/report_done.html", {
        "complaint": complaint, "link": link, "token": stash["token"],
        "emailed": complaint.notifications.filter(kind="receipt").exists(),
    })


# --- tracking ---------------------------------------------------------------------------------
def _not_found(request, form=None):
    # A wrong code and a wrong key get exactly the same answer.
    return render(request, "complaints/citizen/track_form.html", {
        "form": form or TrackForm(),
        "not_found": _("No report matches this tracking code and key. Check both and try again."),
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


@never_cache
def track_link(request, code, purpose):
    """A signed link from an e-mail: open the page for what the link was made for."""
    complaint = Complaint.objects.filter(tracking_code=code.upper()).first()
    if complaint is None or not tokens.check_link(complaint, purpose, request.GET.get("s", "")):
        return _not_found(request)
    tokens.grant(request.session, complaint.tracking_code, tokens.PURPOSES[purpose])
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
        "attachments": Attachment.objects.filter(complaint=complaint).count(),
        "is_resolved": complaint.state in (State.RESOLVED, State.CLOSED) and complaint.outcome,
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
    token = request.GET.get("t")
    if token is not None:
        complaint = Complaint.objects.filter(tracking_code=code.upper()).first()
        if complaint is None or not complaint.check_token(token):
            return _not_found(request)
        tokens.grant(request.session, complaint.tracking_code, [tokens.FULL])
        # Exchange the token for the session: the address bar and history keep no secret.
        return redirect("complaints:track_page", code=complaint.tracking_code)
    complaint, granted = _tracked(request, code)
    if complaint is None:
        return _not_found(request)
    return render(request, "complaints/citizen/track.html", _page_context(request, complaint, granted))


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
    messages.success(request, ACTIONS[action].citizen_form.done)
    return redirect("complaints:track_page", code=complaint.tracking_code)


# --- the public site -------------------------------------------------------------------------
def public_list(request):
    form = PublicFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = services.search_public(filters.get("q"), filters.get("category"), filters.get("unit"),
                                filters.get("status"))
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "complaints/citizen/public_list.html",
                  {"form": form, "page": page, "query": query.urlencode()})


def public_detail(request, code):
    complaint = get_object_or_404(services.public_complaints(), tracking_code=code.upper())
    return render(request, "complaints/citizen/public_detail.html", {
        "complaint": complaint, "replies": services.public_replies(complaint)})


# --- accounts ----------------------------------------------------------------------------------
def signup(request):
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Your account is ready. Reports you file while signed in appear under “My reports”."))
        return redirect("complaints:my_complaints")
    return render(request, "registration/signup.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


@login_required
def my_complaints(request):
    complaints = Complaint.objects.filter(reporter_user=request.user).select_related(
        "category", "responsible_unit")
    page = Paginator(complaints, 20).get_page(request.GET.get("page"))
    return render(request, "complaints/citizen/my_complaints.html", {"page": page})
