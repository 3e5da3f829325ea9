"""Oversight's early-warning page and the systemic issue pages (under /staff/systemic/).

Views parse input, call one function of systemic.issues, render. Page rules: signed-out
visitors go to the login page, signed-in users without a staff role get 403, the
warning pages are for oversight only (403), and an issue the user may not see is 404.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from areas.models import Area
from complaints.roles import has_units, is_triage_desk, reads_everything
from complaints.staff.access import staff_view
from routing.models import Category, Unit

from . import issues
from .models import EarlyWarning, IssueState, WarningStatus

ACTION_FIELDS = {"assign": ("unit", "days"), "answer": ("analysis", "measures"), "close": ("note",)}
CHART_WIDTH, CHART_HEIGHT = 390, 120


def _render(request, template, context, status=200):
    user = request.user
    context.update({"nav_triage": is_triage_desk(user), "nav_inbox": has_units(user),
                    "nav_oversight": reads_everything(user)})
    return render(request, template, context, status=status)


def _see_other(url):
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _labels(warnings):
    """Category, unit and area names for the warnings' ids (one query each)."""
    category_ids = {i for w in warnings for i in w.category_ids}
    unit_ids = {i for w in warnings for i in w.unit_ids}
    area_ids = {i for w in warnings for i in w.area_ids} | {int(i) for w in warnings for i in w.area_counts}
    categories = {c.pk: c for c in Category.objects.filter(pk__in=category_ids)}
    units = {u.pk: u for u in Unit.objects.filter(pk__in=unit_ids)}
    areas = {a.pk: a for a in Area.objects.filter(pk__in=area_ids).select_related("parent")}
    for w in warnings:
        w.categories = [categories[i] for i in w.category_ids if i in categories]
        w.units = [units[i] for i in w.unit_ids if i in units]
        w.areas = [areas[i] for i in w.area_ids if i in areas]
        # Where the complaints are, most first: [(area, n)].
        w.area_breakdown = sorted(((areas[int(i)], n) for i, n in w.area_counts.items() if int(i) in areas),
                                  key=lambda pair: (-pair[1], pair[0].name))
    return warnings


def chart(series):
    """Bars (weekly counts) and a baseline line as SVG coordinates; the page also shows
    the same numbers as a table."""
    if not series:
        return None
    top = max(max(p["count"] for p in series), max(p.get("expected") or 0 for p in series), 1)
    step = CHART_WIDTH / len(series)
    bars, line = [], []
    for i, point in enumerate(series):
        height = CHART_HEIGHT * point["count"] / top
        bars.append({"x": round(i * step + 2, 1), "y": round(CHART_HEIGHT - height, 1),
                     "width": round(step - 4, 1), "height": round(height, 1),
                     "current": i == len(series) - 1, **point})
        if point.get("expected") is not None:
            line.append(f"{i * step + step / 2:.1f},{CHART_HEIGHT - CHART_HEIGHT * point['expected'] / top:.1f}")
    return {"bars": bars, "line": " ".join(line), "width": CHART_WIDTH, "height": CHART_HEIGHT}


def _oversight_only(user):
    if not reads_everything(user):
        raise PermissionDenied


@staff_view()
@require_GET
def warnings_list(request):
    _oversight_only(request.user)
    status = request.GET.get("status") or WarningStatus.NEW
    queryset = EarlyWarning.objects.all()
    if status in WarningStatus.values:
        queryset = queryset.filter(status=status)
    page = Paginator(queryset, 25).get_page(request.GET.get("page"))
    _labels(page.object_list)
    statuses = [(value, label, EarlyWarning.objects.filter(status=value).count())
                for value, label in WarningStatus.choices]
    return _render(request, "systemic/warnings.html", {
        "page": page, "status": status, "statuses": statuses,
        "querystring": f"status={status}&",
    })


@staff_view()
@require_GET
def warning_detail(request, pk):
    _oversight_only(request.user)
    return _warning_page(request, pk)


def _warning_page(request, pk, error=None, status=200):
    warning = _labels([get_object_or_404(EarlyWarning, pk=pk)])[0]
    return _render(request, "systemic/warning.html", {
        "w": warning, "chart": chart(warning.series), "error": error,
        "suggested_title": _suggested_title(warning), "can_decide": issues.decides_warnings(request.user),
    }, status=status)


def _suggested_title(warning):
    names = ", ".join(str(c.name) for c in warning.categories[:3])
    if warning.kind == "spike":
        return _("Unusual number of complaints: %(what)s") % {"what": names}
    return _("Similar complaints across %(what)s") % {"what": names}


@staff_view()
@require_POST
def warning_dismiss(request, pk):
    _oversight_only(request.user)
    warning = get_object_or_404(EarlyWarning, pk=pk)
    try:
        issues.dismiss(request.user, warning, request.POST.get("reason"))
    except issues.IssueError as exc:
        return _warning_page(request, pk, error=exc.message, status=exc.status)
    messages.success(request, _("The warning was dismissed."))
    return _see_other(reverse("systemic:warnings"))


@staff_view()
@require_POST
def warning_open_issue(request, pk):
    _oversight_only(request.user)
    warning = get_object_or_404(EarlyWarning, pk=pk)
    try:
        issue = issues.open_issue(request.user, [warning], request.POST.get("title"), request.POST.get("description"))
    except issues.IssueError as exc:
        return _warning_page(request, pk, error=exc.message, status=exc.status)
    messages.success(request, _("Systemic issue %(ref)s opened.") % {"ref": issue.reference})
    return _see_other(reverse("systemic:issue", args=[issue.pk]))


@staff_view()
@require_GET
def issue_list(request):
    if not issues.has_systemic_access(request.user):
        raise PermissionDenied
    queryset = issues.visible_issues(request.user).select_related("unit")
    state = request.GET.get("state") or ""
    if state in IssueState.values:
        queryset = queryset.filter(state=state)
    page = Paginator(queryset, 25).get_page(request.GET.get("page"))
    return _render(request, "systemic/issues.html", {
        "page": page, "state": state, "states": IssueState.choices, "querystring": f"state={state}&",
        "can_see_warnings": reads_everything(request.user),
    })


def _issue_for(user, pk):
    issue = issues.visible_issues(user).select_related("unit", "created_by").filter(pk=pk).first()
    if issue is None:
        raise Http404
    return issue


@staff_view()
@require_GET
def issue_detail(request, pk):
    return _issue_page(request, _issue_for(request.user, pk))


def _issue_page(request, issue, error=None, status=200):
    return _render(request, "systemic/issue.html", {
        "issue": issue, "complaints": issues.visible_complaints(request.user, issue),
        "events": issue.events.all(), "actions": issues.available_actions(request.user, issue),
        "units": Unit.objects.filter(active=True, **({"kind": Unit.Kind.OVERSIGHT} if issue.sensitive else {})),
        "labels": issues.ACTION_LABELS, "error": error,
        "warnings": issue.warnings.all() if reads_everything(request.user) else [],
    }, status=status)


@staff_view()
@require_POST
def issue_act(request, pk, action):
    if action not in ACTION_FIELDS:
        raise Http404
    issue = _issue_for(request.user, pk)
    args = {name: request.POST.get(name, "") for name in ACTION_FIELDS[action]}
    try:
        issues.act(issue, action, request.user, expected_state=request.POST.get("expected_state", ""), **args)
    except issues.IssueError as exc:
        return _issue_page(request, _issue_for(request.user, pk), error=exc.message, status=exc.status)
    messages.success(request, _("Done: %(action)s.") % {"action": issues.ACTION_LABELS[action]})
    try:
        _issue_for(request.user, pk)
    except Http404:
        return _see_other(reverse("systemic:issues"))
    return _see_other(reverse("systemic:issue", args=[pk]))
