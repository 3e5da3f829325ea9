"""The audit chain: every event stores the MAC of the one before it, and the complaint
stores a sealed head, so editing, deleting, inserting or reordering events is detectable
by anyone holding AUDIT_KEY, even against someone with write access to the database.

Known limit: restoring an older consistent snapshot of a complaint *and* its events
(a full rollback) cannot be told apart from the past without an external anchor.
"""

import hashlib
import hmac

from django.conf import settings
from django.utils import timezone

from .models import Event


def _mac(message):
    return hmac.new(settings.AUDIT_KEY.encode(), message.encode(), hashlib.sha256).hexdigest()


def seal(complaint_id, count, head, state):
    return _mac(f"head|{complaint_id}|{count}|{head}|{state}")


def append_event(complaint, *, action, actor, from_state="", to_state="", public=False, data=None,
                 now=None):
    """Add an event to the complaint's chain. The caller holds the row lock and saves the
    complaint afterwards (its head fields are updated here)."""
    event = Event(
        complaint=complaint,
        seq=complaint.audit_count + 1,
        created_at=now or timezone.now(),
        action=action,
        from_state=from_state,
        to_state=to_state,
        actor_type=actor.type,
        actor_user=actor.user if actor.type == "user" else None,
        actor_api_key=actor.api_key,
        actor_label=actor.label,
        public=public,
        data=data or {},
        prev_mac=complaint.audit_head,
    )
    event.mac = _mac(event.canonical())
    event.save()
    complaint.audit_count = event.seq
    complaint.audit_head = event.mac
    complaint.audit_seal = seal(complaint.pk, event.seq, event.mac, to_state or complaint.state)
    return event


def verify_complaint(complaint):
    """Return None when the chain verifies, else a message naming the first bad event."""
    previous = ""
    expected_seq = 1
    last = None
    for event in Event.objects.filter(complaint=complaint).order_by("seq", "pk"):
        if event.seq != expected_seq:
            return f"complaint {complaint.tracking_code}: event #{event.seq} found where #{expected_seq} was expected (missing or reordered)"
        if event.prev_mac != previous:
            return f"complaint {complaint.tracking_code}: event #{event.seq} does not follow the event before it"
        if not hmac.compare_digest(event.mac, _mac(event.canonical())):
            return f"complaint {complaint.tracking_code}: event #{event.seq} ({event.action}) was altered"
        previous = event.mac
        expected_seq += 1
        last = event
    count = last.seq if last else 0
    if count != complaint.audit_count or previous != complaint.audit_head:
        return f"complaint {complaint.tracking_code}: the chain ends at event #{count} but the complaint records #{complaint.audit_count} (events deleted or added)"
    if not hmac.compare_digest(
        complaint.audit_seal or "", seal(complaint.pk, count, previous, complaint.state)
    ):
        return f"complaint {complaint.tracking_code}: the chain head seal does not match (head or state altered)"
    return None
