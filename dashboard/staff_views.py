"""Staff pages of the dashboard app (mounted at /staff/dashboard/ by config.urls): the
performance page. The dashboard owns the rollups, so the staff figures are read here, not
in complaints (which never imports the dashboard)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from complaints.staff.access import staff_nav, staff_view
from routing.models import Unit

from . import metrics, staff


def _unit_of(request, scope):
    """The ?unit= filter: unknown → 404; outside the user's units → 403."""
    code = request.GET.get("unit", "")
    if not code:
        return None
    if "\x00" in code or len(code) > 64:
        raise Http404
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise Http404
    if not scope.allows_unit(unit.pk):
        raise PermissionDenied
    return unit


@staff_view()
@require_GET
def performance(request):
    label = request.GET.get("period", "")
    label = label if label in staff.PERIODS else staff.DEFAULT_PERIOD
    period = metrics.parse_period({"period": label})
    scope = staff.scope_for(request.user)
    unit = _unit_of(request, scope)
    context = staff.performance(request.user, period, unit)
    user = request.user
    context.update({
        "periods": staff.PERIODS, "period_label": label, "unit": unit, **staff_nav(user),
    })
    return render(request, "dashboard/staff_performance.html", context)
