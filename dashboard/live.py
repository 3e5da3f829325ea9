"""The live broadcast: after a transition commits, a compact public event goes to the
channel layer groups of everyone watching (the whole dashboard, and the pages of the
complaint's unit and of every unit above it).

An event carries only what the public dashboard shows anyway: the action, the new and
previous status, the category, the unit and the time. Never the tracking code, names,
contact details, locations or any text the citizen or an officer wrote.

Sensitive complaints (abuse of power) are different: that a report about a unit was
filed or moved, and when, is exactly what the unit complained about must not learn. So
their events are never sent on their own, and never to a unit's group. They are counted
into an aggregate of the public feed ("confidential reports: 2 filed, 1 updated between
09:00 and 10:00") with no category, unit or exact time, announced once a clock hour has
closed, together with the next public event (so the moment it arrives says nothing
either; a quiet night is summed up in one line in the morning). Chosen over a delayed
single event because a delayed event still pins its hour to one report, while a count
over whole hours needs no timer or extra process and works on every channel layer.
"""

import datetime as dt
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone

from complaints.lifecycle.actions import ACTIONS
from complaints.models import Event
from routing.models import Category, Unit

log = logging.getLogger(__name__)

GROUP_ALL = "dashboard-all"
# Actions that change a figure or the ticker (those with a ticker label in the registry);
# notes, assignments and identity reveals do not.
PUBLIC_ACTIONS = frozenset(name for name, action in ACTIONS.items() if action.ticker)
# Sensitive activity is announced per closed clock hour; after a long quiet spell at most
# the last day is summed up.
SENSITIVE_WINDOW = dt.timedelta(hours=1)
SENSITIVE_LOOKBACK = dt.timedelta(days=1)
SENSITIVE_SUMMARY = "sensitive_summary"
ANNOUNCED_UNTIL = "live:sensitive:announced-until"
# The last hour this process saw claimed: spares the shared cache a call per event.
_last_claim = {"end": None}


def unit_group(unit_id):
    return f"dashboard-unit-{unit_id}"


def _named(obj):
    if obj is None:
        return None
    return {"code": obj.code, "name_id": obj.name_id, "name_en": obj.name_en}


def event_for(complaint, action, from_state, to_state, now):
    category = Category.objects.filter(pk=complaint.category_id).first()
    unit = Unit.objects.filter(pk=complaint.responsible_unit_id).first() if complaint.responsible_unit_id else None
    return {
        "action": action,
        "state": to_state,
        "from_state": from_state or None,
        "category": _named(category),
        "unit": _named(unit),
        "at": (now or timezone.now()).isoformat(),
    }


def groups_for(unit_ids):
    groups = {GROUP_ALL}
    seen = set()
    for unit_id in unit_ids:
        unit = Unit.objects.filter(pk=unit_id).first() if unit_id else None
        while unit is not None and unit.pk not in seen:
            seen.add(unit.pk)
            groups.add(unit_group(unit.pk))
            unit = unit.parent
    return sorted(groups)


def is_sensitive_change(complaint, previous):
    """The change concerns a sensitive complaint: its category is sensitive now, or was
    before this change (a recategorisation out of one)."""
    category_ids = {complaint.category_id, (previous or {}).get("category_id")} - {None}
    return Category.objects.filter(pk__in=category_ids, sensitive=True).exists()


def _send(layer, groups, event):
    for group in groups:
        async_to_sync(layer.group_send)(group, {"type": "dashboard.event", "event": event})


def broadcast(complaint, action, from_state, to_state, previous, now):
    if action not in PUBLIC_ACTIONS:
        return
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        if is_sensitive_change(complaint, previous):
            return  # counted into the next hourly aggregate (see the module docstring)
        summary = sensitive_summary_due(now or timezone.now())
        if summary is not None:
            _send(layer, [GROUP_ALL], summary)
        event = event_for(complaint, action, from_state, to_state, now)
        units = {complaint.responsible_unit_id, (previous or {}).get("responsible_unit_id")}
        _send(layer, groups_for(units), event)
    except Exception:  # the change is committed; a lost live update is only a stale page
        log.exception("dashboard broadcast failed")


# --- the aggregate of sensitive activity ---------------------------------------------------
def _hour_start(moment):
    seconds = SENSITIVE_WINDOW.total_seconds()
    return dt.datetime.fromtimestamp(moment.timestamp() // seconds * seconds, tz=dt.timezone.utc)


def sensitive_counts(start, end):
    """{"filed": n, "updated": m}: public-feed events of sensitive complaints in [start, end)."""
    sensitive_codes = list(Category.objects.filter(sensitive=True).values_list("code", flat=True))
    counts = Event.objects.filter(
        Q(complaint__category__sensitive=True)
        | Q(action="recategorise", data__from_category__in=sensitive_codes),
        created_at__gte=start, created_at__lt=end, action__in=PUBLIC_ACTIONS,
    ).aggregate(filed=Count("pk", filter=Q(action="filed")), updated=Count("pk", filter=~Q(action="filed")))
    return {"filed": counts["filed"] or 0, "updated": counts["updated"] or 0}


def claim_key(hour_end):
    return f"live:sensitive:claim:{hour_end.isoformat()}"


def sensitive_summary_due(now):
    """The aggregate event to announce now, or None: once per closed hour across all
    processes (claimed in the shared cache), covering the hours since the last one."""
    end = _hour_start(now)
    if _last_claim["end"] == end:
        return None
    claimed = cache.add(claim_key(end), 1,
                        timeout=int(2 * SENSITIVE_WINDOW.total_seconds()))
    _last_claim["end"] = end
    if not claimed:
        return None
    previous_end = cache.get(ANNOUNCED_UNTIL)
    previous_end = dt.datetime.fromisoformat(previous_end) if previous_end else None
    if previous_end is not None and previous_end >= end:
        return None  # never announce an hour twice, nor go back in time
    cache.set(ANNOUNCED_UNTIL, end.isoformat(), timeout=None)
    start = max(previous_end or end - SENSITIVE_WINDOW, end - SENSITIVE_LOOKBACK)
    counts = sensitive_counts(start, end)
    if not (counts["filed"] or counts["updated"]):
        return None
    return {
        "action": SENSITIVE_SUMMARY, "state": None, "from_state": None, "category": None,
        "unit": None, "at": end.isoformat(), "period_start": start.isoformat(),
        "period_end": end.isoformat(), **counts,
    }
