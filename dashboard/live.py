"""The live broadcast: after a transition commits, a compact public event goes to the
channel layer groups of everyone watching (the whole dashboard, and the pages of the
complaint's unit and of every unit above it).

An event carries only what the public dashboard shows anyway: the action, the new and
previous status, the category, the unit and the time. Never the tracking code, names,
contact details or any text the citizen or an officer wrote.
"""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.utils import timezone

from complaints.lifecycle.actions import ACTIONS
from routing.models import Category, Unit

log = logging.getLogger(__name__)

GROUP_ALL = "dashboard-all"
# Actions that change a figure or the ticker (those with a ticker label in the registry);
# notes, assignments and identity reveals do not.
PUBLIC_ACTIONS = frozenset(name for name, action in ACTIONS.items() if action.ticker)


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


def broadcast(complaint, action, from_state, to_state, previous, now):
    if action not in PUBLIC_ACTIONS:
        return
    layer = get_channel_layer()
    if layer is None:
        return
    event = event_for(complaint, action, from_state, to_state, now)
    units = {complaint.responsible_unit_id, (previous or {}).get("responsible_unit_id")}
    try:
        for group in groups_for(units):
            async_to_sync(layer.group_send)(group, {"type": "dashboard.event", "event": event})
    except Exception:  # the change is committed; a lost live update is only a stale page
        log.exception("dashboard broadcast failed")
