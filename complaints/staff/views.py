"""Staff pages: triage desk, unit inbox, complaint page with its actions, oversight
inbox, audit page and filing on a citizen's behalf (phone, walk-in, letter); the performance
page is the dashboard app's (dashboard.staff_views).

Views parse input, call one domain function (a query in .queries, or
complaints.lifecycle.engine.perform for any change) and render. Every action form posts the
state and version it was made from; a stale page gets 409 and changes nothing.
"""

import json
import secrets

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from areas.models import picker_groups
from routing.models import Category

from .. import permissions as perms
from .. import subject_rights
from ..audit import verify_complaint
from ..citizen.forms import IDENTITY_HELP
from ..lifecycle.actions import ACTIONS, STAFF_ACTIONS
from ..lifecycle.engine import available_actions, perform
from ..lifecycle.errors import TransitionError
from ..lifecycle.filing import file_on_behalf as file_for_citizen
from ..lifecycle.handlers import NO_SUBJECT_UNIT
from ..models import (Attachment, Complaint, DataSubjectRequest, Outcome, ReadRecord, RejectReason,
                      ResponseTemplate)
from ..roles import (has_units, is_privacy_officer, is_triage_desk, manages_templates, may_file_on_behalf,
                     reads_everything)
from ..similar import similar_for
from .access import complaint_for, staff_nav, staff_view
from .forms import FileOnBehalfForm, ResponseTemplateForm, StaleForm, action_args, expected
from .queries import clocks, complaint_page, masking
from .queries import inbox as inbox_queries
from .queries import intake as intake_queries
from .queries import oversight as oversight_queries
from .queries import triage as triage_queries


def _render(request, template, context, status=200):
    context.update(staff_nav(request.user))
    return render(request, template, context, status=status)


@staff_view()
@require_GET
def home(request):
    """Send each role to the page it works from."""
    user = request.user
    if is_triage_desk(user):
        return redirect("staff:triage")
    if reads_everything(user):
        return redirect("staff:oversight")
    return redirect("staff:inbox")


# --- triage desk ---------------------------------------------------------------------
@staff_view(is_triage_desk)
@require_GET
def triage_queue(request):
    context = triage_queries.triage_queue(request.user, request.GET.get("page"))
    return _render(request, "complaints/staff/triage.html", context)


@staff_view(is_triage_desk)
@require_GET
def intake_mail(request):
    """E-mails that became no complaint (automatic, refused, unreadable, throttled)."""
    context = intake_queries.mail_list(request.GET.get("page"))
    return _render(request, "complaints/staff/intake_mail.html", context)


@staff_view(is_triage_desk)
@require_GET
def intake_mail_detail(request, pk):
    context = intake_queries.mail_detail(pk)
    if context is None:
        raise Http404
    return _render(request, "complaints/staff/intake_mail_detail.html", context)


@staff_view(is_triage_desk)
@require_GET
def summary_queue(request):
    context = triage_queries.summary_queue(request.user, request.GET.get("page"))
    return _render(request, "complaints/staff/summaries.html", context)


@staff_view(is_triage_desk)
@require_POST
def triage_bulk(request):
    """Route several complaints at once: to one chosen unit, or each to its top suggestion.
    Each complaint is its own transition (own lock, version check and audit event)."""
    target = request.POST.get("unit", "")
    units = {u.code: u for u in triage_queries.active_units()} if target == "suggested" else {}
    done, failed = [], []
    for code in request.POST.getlist("selected"):
        try:
            complaint = complaint_for(request.user, code)
        except Http404:
            failed.append((code, _("not found")))
            continue
        unit = target
        if target == "suggested":
            found = triage_queries.suggestions(complaint, units)
            if not found:
                failed.append((code, _("no suggestion")))
                continue
            unit = found[0].unit
        try:
            perform(complaint, "triage", perms.ActorRef.staff(request.user),
                    expected_state="submitted",
                    expected_version=request.POST.get(f"version_{code}") or -1, unit=unit)
            done.append((getattr(unit, "code", unit), code))
        except TransitionError as exc:
            failed.append((code, exc.message))
    for unit in sorted({unit for unit, _code in done}):
        codes = ", ".join(code for routed_to, code in done if routed_to == unit)
        messages.success(request, _("Routed to %(unit)s: %(codes)s.") % {"unit": unit, "codes": codes})
    for code, reason in failed:
        messages.error(request, _("%(code)s was not routed: %(reason)s") % {"code": code, "reason": reason})
    if not done and not failed:
        messages.error(request, _("Select at least one complaint."))
    return _see_other(reverse("staff:triage"))


def _see_other(url):
    response = redirect(url)
    response.status_code = 303  # after a POST, the browser follows with a GET
    return response


# --- unit inbox ----------------------------------------------------------------------
@staff_view(has_units)
@require_GET
def inbox(request):
    filters = inbox_queries.InboxFilters.from_params(request.GET)
    context = inbox_queries.inbox(request.user, filters)
    context["statuses"] = inbox_queries.INBOX_STATUSES
    return _render(request, "complaints/staff/inbox.html", context)


# --- oversight -----------------------------------------------------------------------
@staff_view(reads_everything)
@require_GET
def oversight(request):
    context = oversight_queries.oversight_inbox(request.user, request.GET.get("list"),
                                      request.GET.get("q"), request.GET.get("page"))
    return _render(request, "complaints/staff/oversight.html", context)


@staff_view()
@require_GET
def audit_page(request, code):
    complaint = complaint_for(request.user, code)
    if not reads_everything(request.user):
        raise PermissionDenied
    ReadRecord.record(request.user, complaint, ReadRecord.Page.AUDIT)
    problem = verify_complaint(complaint)
    redacted = masking.redacted_for(request.user, complaint)
    history = complaint_page.sensitive_history(request.user, complaint)
    events = list(history.events.order_by("seq"))
    for event in events:
        data = event.payload  # the facts with the personal part, or "(erased)"
        if redacted or history.masked(event.created_at):
            data = {k: masking.mask(complaint, v) if isinstance(v, str) else v for k, v in data.items()}
        event.data_json = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return _render(request, "complaints/staff/audit.html",
                   {"c": complaint, "events": events, "problem": problem,
                    "reads": complaint_page.reads(complaint)})


# --- the privacy officer's queue (data subject requests) ---------------------------------
def _masked_for(user, complaint, text):
    """Free text of the citizen as this reader may see it (masked.redacted_for's rule)."""
    return masking.mask(complaint, text) if text and masking.redacted_for(user, complaint) else text


def _privacy_queue(request, status=200, error=None, failed=None, field_errors=None):
    rows = subject_rights.queue(timezone.now())
    for row in rows:  # the citizen's reason holds their words: masked until an audited reveal
        row["reason"] = _masked_for(request.user, row["request"].complaint, row["request"].reason)
    return _render(request, "complaints/staff/privacy.html", {
        "rows": rows, "error": error, "failed": failed,
        "field_errors": field_errors or {}, "posted": request.POST if failed else {},
        "hours": settings.SUBJECT_REQUEST_HOURS}, status=status)


@staff_view(is_privacy_officer)
@require_GET
def privacy_queue(request):
    return _privacy_queue(request)


@staff_view(is_privacy_officer)
@require_POST
def privacy_decide(request, pk, decision):
    if decision not in ("approve", "refuse"):
        raise Http404
    try:
        if decision == "approve":
            subject_rights.approve(pk, officer=request.user)
        else:
            subject_rights.refuse(pk, officer=request.user, reason=request.POST.get("reason", ""))
    except TransitionError as exc:
        return _privacy_queue(request, exc.status, exc.message, failed=pk, field_errors=exc.errors)
    messages.success(request, _("Request approved.") if decision == "approve" else _("Request refused."))
    return _see_other(reverse("staff:privacy"))


# --- performance ---------------------------------------------------------------------
@staff_view()
@require_GET
def performance(request):
    """The performance page moved to the dashboard app (it reads the dashboard's rollups);
    old links and bookmarks land there, ?days=30|90|365 as the matching period."""
    params = request.GET.copy()
    days = params.pop("days", [None])[-1]
    if days in ("30", "90", "365") and "period" not in params:
        params["period"] = f"{days}d"
    query = params.urlencode()
    return redirect(reverse("staff_dashboard:performance") + (f"?{query}" if query else ""))


# --- response templates ----------------------------------------------------------------
@staff_view(manages_templates)
@require_GET
def response_templates(request):
    rows = ResponseTemplate.objects.editable_by(request.user).select_related("category", "unit")
    return _render(request, "complaints/staff/response_templates.html", {
        "rows": rows.order_by("action", "choice", "name", "pk")})


@staff_view(manages_templates)
@require_http_methods(["GET", "POST"])
def response_template_edit(request, pk=None):
    """Create (pk None) or edit a template; a template the user may not edit answers 404."""
    template = None
    if pk is not None:
        template = get_object_or_404(ResponseTemplate.objects.editable_by(request.user), pk=pk)
    if request.method == "POST":
        form = ResponseTemplateForm(request.POST, instance=template, user=request.user)
        if form.is_valid():
            saved = form.save()
            messages.success(request, _("Template saved: %(name)s.") % {"name": saved.name})
            return _see_other(reverse("staff:response_templates"))
        status = 400
    else:
        form, status = ResponseTemplateForm(instance=template, user=request.user), 200
    return _render(request, "complaints/staff/response_template_form.html",
                   {"form": form, "template": template}, status=status)


@staff_view(manages_templates)
@require_http_methods(["GET", "POST"])
def response_template_delete(request, pk):
    """GET asks to confirm, POST deletes."""
    template = get_object_or_404(ResponseTemplate.objects.editable_by(request.user), pk=pk)
    if request.method == "POST":
        name = template.name
        template.delete()
        messages.success(request, _("Template deleted: %(name)s.") % {"name": name})
        return _see_other(reverse("staff:response_templates"))
    return _render(request, "complaints/staff/response_template_delete.html", {"template": template})


# --- one complaint -------------------------------------------------------------------
def _staff_actions(request, complaint, reporter):
    """The staff actions this user may perform on the complaint now, in the registry's order."""
    actions = [a for a in available_actions(complaint, perms.ActorRef.staff(request.user))
               if a in STAFF_ACTIONS]
    if reporter.revealed:  # revealed to this privacy officer already: nothing left to ask
        actions = [a for a in actions if a != "reveal_identity"]
    return actions


def _complaint_context(request, complaint, error=None, failed_action=None, use_template=None):
    user = request.user
    redacted = masking.redacted_for(user, complaint)
    reporter = complaint_page.reporter(user, complaint, redacted)
    actions = _staff_actions(request, complaint, reporter)
    context = {
        "c": complaint,
        "error": error,
        "failed_action": failed_action,
        "redacted": redacted,
        "texts": masking.texts(complaint, redacted),
        "reporter": reporter,
        "timeline": complaint_page.timeline(user, complaint, redacted),
        "clocks": clocks.clocks(complaint),
        "attachments": list(Attachment.objects.filter(complaint=complaint).order_by("pk")),
        "can_audit": reads_everything(user),
        "is_privacy_officer": is_privacy_officer(user),
        "history_withheld": complaint_page.sensitive_history(user, complaint).withheld,
    }
    context.update(_action_context(request, complaint, actions, redacted, failed_action, use_template))
    # No form is open unless the officer asked for it: the refused one (with their text),
    # the one named by ?open= (links from the queues), the duplicate search they ran.
    opened = failed_action or request.GET.get("open") or ("mark_duplicate" if request.GET.get("dup") else "")
    context["open_action"] = opened if opened in actions else ""
    return context


def _action_context(request, complaint, actions, redacted, failed_action=None, use_template=None):
    """What the action forms need: the choices each one offers, for the given actions."""
    user = request.user
    # What the refused form (or the form asking for a template) held, so the officer does
    # not lose their text.
    posted = {failed_action: request.POST} if failed_action else {}
    language = complaint_page.template_language(complaint, get_language())
    pickers = {}
    for name in complaint_page.TEMPLATE_FIELDS:
        if name in actions:
            use = use_template[1] if use_template and use_template[0] == name else None
            pickers[name] = complaint_page.template_picker(complaint, name, language, posted.get(name), use)
            if use is not None:  # the form comes back with the template's text (and outcome)
                posted[name] = {**posted[name].dict(), pickers[name].field: pickers[name].text}
                if pickers[name].choice_field:
                    posted[name][pickers[name].choice_field] = pickers[name].choice
    context = {
        "actions": actions,
        "action_items": [{"name": name, "label": ACTIONS[name].label, "dangerous": ACTIONS[name].dangerous,
                          "template": f"complaints/staff/actions/{name}.html"} for name in actions],
        "action_labels": {name: action.label for name, action in ACTIONS.items()},
        "posted": posted,
        "queue": _queue(request),
        "template_pickers": pickers,
    }
    if {"triage", "transfer"} & set(actions):
        units = triage_queries.active_units()
        context["units"] = units
        context["suggestions"] = triage_queries.suggestions(complaint, {u.code: u for u in units})
    if "approve_summary" in actions:
        # The publish form starts from what is published, else from the citizen's words
        # with contact details and the reporter's name masked; the location text starts
        # empty (the citizen's address is often their home). The officer edits all of it
        # and ticks "Publish": nothing is published before that.
        context["prefill_title"] = complaint.public_title or masking.mask(complaint, complaint.title)
        context["prefill_summary"] = complaint.public_summary or masking.mask(complaint, complaint.description)
        context["prefill_location"] = complaint.public_location
        context["media_publishable"] = bool(complaint.media_url) and not redacted
        context["grid_m"] = settings.PUBLIC_LOCATION_GRID_M
    if "recategorise" in actions:
        context["categories"] = list(Category.objects.filter(active=True).exclude(pk=complaint.category_id))
        if complaint.category.sensitive:  # leaving it declassifies: reason and subject unit
            context["subject_units"] = triage_queries.active_units()
            context["no_subject_unit"] = NO_SUBJECT_UNIT
    if "set_area" in actions:
        context["area_groups"] = picker_groups()
    if "reject" in actions:
        context["reject_reasons"] = RejectReason.choices
    if "mark_duplicate" in actions:
        dup_query = request.GET.get("dup", "")
        context["dup_query"] = dup_query
        context["dup_results"] = complaint_page.duplicate_candidates(user, complaint, dup_query)
        context["similar"] = masking.with_shown_titles(user, similar_for(
            [complaint], within=Complaint.objects.filter(perms.duplicate_originals_q(user, complaint)))[complaint.pk])
    if {"approve_subject_request", "refuse_subject_request"} & set(actions):
        context["subject_request"] = pending = complaint.subject_requests.filter(
            state=DataSubjectRequest.Status.PENDING).first()
        context["subject_request_reason"] = _masked_for(user, complaint, pending.reason if pending else "")
    if "assign" in actions:
        context["supervises"] = perms.supervises(user, complaint)
        context["officers"] = complaint_page.assignable_officers(complaint)
    if "resolve" in actions:
        context["outcomes"] = Outcome.choices
        context["evidence"] = complaint.category.resolution_evidence
    if {"verify", "send_back"} & set(actions):
        # What the verifier checks, on the complaint page and on the action's own page alike.
        context["proofs"] = list(Attachment.objects.filter(
            complaint=complaint, purpose=Attachment.Purpose.RESOLUTION).order_by("pk"))
        context["proof_reference"] = masking.texts(complaint, redacted)["resolution_reference"]
    return context


@staff_view()
@require_GET
def complaint_detail(request, code):
    complaint = complaint_for(request.user, code)
    ReadRecord.record(request.user, complaint, ReadRecord.Page.COMPLAINT)
    return _render(request, "complaints/staff/complaint.html", _complaint_context(request, complaint))


@staff_view()
@require_http_methods(["GET", "POST"])
def complaint_act(request, code, action):
    """GET: the action's form on a page of its own (for browsers without JavaScript, and
    links); POST: perform it. The form posts here from either page."""
    if action not in STAFF_ACTIONS:
        raise Http404
    complaint = complaint_for(request.user, code)
    if request.method == "GET":
        return _action_page(request, complaint, action)
    actor = perms.ActorRef.staff(request.user)
    if (ACTIONS[action].dangerous and request.POST.get("confirmed") != "yes"
            and action in available_actions(complaint, actor)):
        return _confirm(request, complaint, action)
    try:
        state, version = expected(request.POST)
        done = perform(complaint, action, actor, expected_state=state,
                       expected_version=version, **action_args(action, request.POST, request.FILES))
    except StaleForm:
        return _refused(request, complaint, action, 400,
                        _("The form is incomplete (it does not say which version of the complaint you saw). Reload and try again."))
    except TransitionError as exc:
        return _refused(request, complaint, action, exc.status, exc.message, exc.errors)
    messages.success(request, ACTIONS[action].done_message(done))
    # The officer came from a queue: on to its next complaint.
    queue = request.POST.get("queue", "")
    if queue in triage_queries.QUEUES and is_triage_desk(request.user):
        following = triage_queries.next_in_queue(request.user, queue, complaint)
        if following is None:
            return _see_other(reverse("staff:triage" if queue == "triage" else "staff:summaries"))
        # The summary queue is worked through its publish form: open it on the next one too.
        opened = "&open=approve_summary" if queue == "summaries" else ""
        return _see_other(reverse("staff:complaint", args=[following]) + f"?queue={queue}{opened}")
    # After a transfer or a recategorisation the complaint may have left this user's view.
    try:
        complaint_for(request.user, code)
    except Http404:
        return _see_other(reverse("staff:home"))
    return _see_other(reverse("staff:complaint", args=[complaint.tracking_code]))


def _action_page(request, complaint, action):
    """One action's form with the complaint's summary. A user whose roles never allow this
    action here gets 403; one who may but not now (state, conditions) gets 409 with a
    message and no form. Nothing changes either way."""
    user = request.user
    actor = perms.ActorRef.staff(user)
    if not perms.holds_a_role_for(actor, complaint, action):
        raise PermissionDenied
    ReadRecord.record(user, complaint, ReadRecord.Page.COMPLAINT)  # it shows the citizen's words
    redacted = masking.redacted_for(user, complaint)
    reporter = complaint_page.reporter(user, complaint, redacted)
    available = action in _staff_actions(request, complaint, reporter)
    context = {"c": complaint, "action": action, "label": ACTIONS[action].label, "available": available,
               "texts": masking.texts(complaint, redacted), "reporter": reporter,
               "template": f"complaints/staff/actions/{action}.html", "queue": _queue(request)}
    if available:
        context.update(_action_context(request, complaint, [action], redacted))
    return _render(request, "complaints/staff/action.html", context, status=200 if available else 409)


@staff_view()
@require_POST
def use_template(request, code, action):
    """The "use" button of an action form's template picker, for browsers without
    JavaScript: the complaint page again with that form holding the template's text
    (placeholders filled in). Nothing changes; the officer still submits the form."""
    if action not in complaint_page.TEMPLATE_FIELDS:
        raise Http404
    complaint = complaint_for(request.user, code)
    ReadRecord.record(request.user, complaint, ReadRecord.Page.COMPLAINT)
    context = _complaint_context(request, complaint, failed_action=action,
                                 use_template=(action, request.POST.get("template", "")))
    context["failed_action"] = None
    return _render(request, "complaints/staff/complaint.html", context)


def _queue(request):
    """The queue the officer works through (triage or summaries), carried by the forms."""
    queue = request.GET.get("queue") or request.POST.get("queue") or ""
    return queue if queue in triage_queries.QUEUES else ""


def _confirm(request, complaint, action):
    """The second step of a dangerous action: the same form again, as hidden fields, with
    a confirm button; nothing has changed yet."""
    fields = [(f.name, f.label, request.POST.get(f.name, "")) for f in ACTIONS[action].fields
              if f.kind != "files"]
    hidden = [("expected_state", request.POST.get("expected_state", "")),
              ("expected_version", request.POST.get("expected_version", ""))]
    hidden += [(name, value) for name, _label, value in fields]
    if _queue(request):
        hidden.append(("queue", _queue(request)))
    return _render(request, "complaints/staff/confirm.html", {
        "c": complaint, "action": action, "label": ACTIONS[action].label,
        "shown": [(label, value) for _name, label, value in fields if value], "hidden": hidden})


def _refused(request, complaint, action, status, message, errors=None):
    # Re-read: the page must show the complaint as it is now, not as the stale form saw it.
    fresh = complaint_for(request.user, complaint.tracking_code)
    ReadRecord.record(request.user, fresh, ReadRecord.Page.COMPLAINT)
    context = _complaint_context(request, fresh, error=message, failed_action=action)
    context["field_errors"] = errors or {}
    context["failed_label"] = ACTIONS[action].label
    return _render(request, "complaints/staff/complaint.html", context, status=status)


@staff_view()
@require_GET
def attachment(request, code, pk):
    """Attachments are served only to staff who may view the complaint."""
    complaint = complaint_for(request.user, code)
    item = get_object_or_404(Attachment, pk=pk, complaint=complaint)
    try:
        handle = item.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    ReadRecord.record(request.user, complaint, ReadRecord.Page.ATTACHMENT, attachment=item)
    response = FileResponse(handle, content_type=item.content_type, as_attachment=True,
                            filename=f"{complaint.tracking_code}-{item.pk}{item.extension}")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- filing on a citizen's behalf ---------------------------------------------------------
@staff_view(may_file_on_behalf)
@require_http_methods(["GET", "POST"])
def file_on_behalf(request):
    """A complaint taken by phone, at the counter or from a letter (triage desk and unit
    staff). Filed like the web form's; the citizen's receipt goes to the e-mail given."""
    status = 200
    if request.method == "POST":
        form = FileOnBehalfForm(request.POST)
        if form.is_valid():
            try:
                filed = file_for_citizen(form.filing_data(), request.user,
                                         received_on=form.cleaned_data["received_on"],
                                         language=form.cleaned_data["language"],
                                         idempotency_key=form.cleaned_data["idempotency_key"] or None)
            except TransitionError as exc:
                for field, message in (exc.errors or {None: exc.message}).items():
                    form.add_error(field if field in form.fields else None, message)
            else:
                return _render(request, "complaints/staff/file_done.html", {
                    "complaint": filed.complaint, "token": filed.token,
                    "receipt_sent": bool(form.cleaned_data["reporter_email"])})
        status = 400
    else:
        form = FileOnBehalfForm(initial={"idempotency_key": secrets.token_hex(16)})
    return _render(request, "complaints/staff/file.html", {
        "form": form, "identity_choices": [(r, IDENTITY_HELP[r.data["value"]]) for r in form["identity_mode"]],
    }, status=status)
