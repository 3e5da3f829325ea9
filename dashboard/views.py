"""Public dashboard pages, JSON and CSV. Views parse parameters, call dashboard.metrics,
render; every number comes from the same summary() so they agree to the digit."""

import functools

from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.http import JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from complaints.lifecycle.actions import ACTIONS
from complaints.models import State
from routing.models import Unit

from . import exports, metrics


def _params(request, unit=None):
    period = metrics.parse_period(request.GET)
    if unit is None:
        unit = metrics.parse_unit(request.GET.get("unit"))
    return period, unit


def _page(request, unit=None):
    try:
        period, unit = _params(request, unit)
    except metrics.BadParameter as exc:
        return render(request, "dashboard/error.html", {"message": str(exc)}, status=400)
    with metrics.snapshot():  # the figures and the weekly charts from one snapshot
        data = metrics.summary(period, unit)
        weekly = metrics.weekly(period, unit)
    league, sort, descending = metrics.sort_league(
        data["units"], request.GET.get("sort", "received"),
        {"asc": False, "desc": True}.get(request.GET.get("dir")))
    query = request.GET.copy()
    query.pop("sort", None)
    query.pop("dir", None)
    figures = {f["name"]: f for f in data["figures"]}
    context = {
        "data": data, "figures": figures, "league": league, "sort": sort, "descending": descending,
        "sorts": metrics.LEAGUE_SORTS, "base_query": query.urlencode(), "unit": unit,
        "ancestors": list(reversed(unit.ancestors())) if unit else [],
        "weekly": weekly, "period": period, "periods": list(metrics.PERIODS),
        "min_rank_count": metrics.min_rank_count(), "query": request.GET.urlencode(),
        "summary_query": _summary_query(period, unit),
        "live_config": {
            "ws_path": "/ws/dashboard/" + (f"?unit={unit.code}" if unit else ""),
            "summary_url": reverse("dashboard:summary_json") + "?" + _summary_query(period, unit),
            "states": {value: str(label) for value, label in State.choices},
            "actions": _action_labels(),
            "stale_text": _("Not live: reconnecting. Figures may be out of date."),
            "live_text": _("Live: figures update as complaints move."),
            # dashboard.live.SENSITIVE_SUMMARY: sensitive activity, counted per closed hour.
            "sensitive_text": _("Confidential reports: {filed} filed, {updated} updated between {from} and {to} "
                                "(no details, to protect the reporters)."),

            "heartbeat_ms": int(settings.DASHBOARD_HEARTBEAT_SECONDS * 1000),
        },
    }
    return render(request, "dashboard/index.html", context)


def _summary_query(period, unit):
    from urllib.parse import urlencode

    params = {"period": period.label} if period.label != "custom" else {
        "start": period.start.isoformat(), "end": period.end.isoformat()}
    if unit:
        params["unit"] = unit.code
    return urlencode(params)


def _action_labels():
    return {name: str(action.ticker) for name, action in ACTIONS.items() if action.ticker}


@require_GET
def index(request):
    return _page(request)


@require_GET
def unit_page(request, code):
    unit = get_object_or_404(Unit, code=code)
    return _page(request, unit)


def _bad(exc):
    return JsonResponse({"error": str(exc)}, status=400)


def _data_view(view):
    """A GET view of the data API taking (request, period, unit) from ?period/start/end and
    ?unit; bad parameters answer 400 with a JSON message."""
    @functools.wraps(view)
    @require_GET
    def wrapped(request):
        try:
            period, unit = _params(request)
        except metrics.BadParameter as exc:
            return _bad(exc)
        return view(request, period, unit)

    return wrapped


@_data_view
def summary_json(request, period, unit):
    data = metrics.summary(period, unit)
    data["units"], _sort, _desc = metrics.sort_league(data["units"], "received")
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@_data_view
def weekly_json(request, period, unit):
    return JsonResponse({"period": period.as_dict(),
                         "filter": {"unit": unit.code if unit else None, "includes_subunits": True},
                         "weeks": metrics.weekly(period, unit)})


def _csv(rows, filename):
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def export_complaints(request):
    """All complaints by default; ?period=…/start&end and ?unit= narrow it."""
    try:
        has_period = any(k in request.GET for k in ("period", "start", "end"))
        period = metrics.parse_period(request.GET) if has_period else None
        unit = metrics.parse_unit(request.GET.get("unit"))
    except metrics.BadParameter as exc:
        return _bad(exc)
    export = exports.ComplaintExport(period, unit.descendant_ids() if unit else None)
    # Under daphne an asynchronous stream, so the first rows leave before the rest is read.
    return _csv(export.achunks() if isinstance(request, ASGIRequest) else export.chunks(),
                "aduan-complaints.csv")


@_data_view
def export_summary(request, period, unit):
    return _csv(exports.summary_rows(metrics.summary(period, unit, league=False)), "aduan-summary.csv")
