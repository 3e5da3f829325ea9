"""The re-seal of audit chains sealed before events were split into facts and personal
parts (issue 18 item 2; what it proves is in docs/privacy.md).

A chain is re-sealed only when it verifies the old way first: then each event's data is split
by its action's declaration (an action no longer in the registry: all of it is personal),
given a salt and a commitment, keeps its old MAC as `legacy_mac`, and is MACed anew; a final
"audit chain re-sealed" event records the old head MAC and event count. A chain that does not
verify is left exactly as it is and reported: verify_audit keeps naming it, and nothing vouches
for it. The functions take the model classes so that the migration can pass its historical
ones.
"""

from django.db import transaction
from django.utils import timezone

from .audit import RESEAL_ACTION, _mac, canonical, commitment, new_salt, seal, verify_events
from .lifecycle.actions import ACTIONS, personal_keys
from .lifecycle.handlers import do_reseal_chain

ACTOR_LABEL = "reseal_audit"


def _split(action, data):
    data = dict(data or {})
    if action not in ACTIONS:
        return {}, data
    keys = set(personal_keys(action))
    return ({k: v for k, v in data.items() if k not in keys},
            {k: v for k, v in data.items() if k in keys})


def pending(Complaint, Event):
    """Complaints with events sealed the old way."""
    legacy = Event.objects.filter(personal_hash__isnull=True).values("complaint_id")
    return Complaint.objects.filter(pk__in=legacy).order_by("pk")


def reseal_chain(complaint, Complaint, Event, now):
    """Re-seal one complaint's chain (the caller holds a transaction). Returns None when
    done, else why it was refused (nothing written: the chain is verified before any write)."""
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    events = list(Event.objects.filter(complaint_id=complaint.pk).order_by("seq", "pk"))
    problem = verify_events(complaint, events)
    if problem:
        return problem
    if any(e.personal_hash is not None for e in events):
        return f"complaint {complaint.tracking_code}: its chain is partly re-sealed already"
    previous = ""
    for event in events:
        event.data, event.personal = _split(event.action, event.data)
        event.personal_salt = new_salt(event.personal)
        event.personal_hash = commitment(event.personal_salt, event.personal)
        event.legacy_mac = event.mac
        event.prev_mac = previous
        event.mac = _mac(canonical(event))
        Event.objects.filter(pk=event.pk).update(
            data=event.data, personal=event.personal, personal_salt=event.personal_salt,
            personal_hash=event.personal_hash, legacy_mac=event.legacy_mac,
            prev_mac=event.prev_mac, mac=event.mac)
        previous = event.mac
    count = complaint.audit_count + 1
    change = do_reseal_chain(complaint, acting_user=None, now=now,
                             old_head=complaint.audit_head, old_count=complaint.audit_count)
    record = Event(complaint_id=complaint.pk, seq=count, created_at=now, action=RESEAL_ACTION,
                   actor_type="system", actor_label=ACTOR_LABEL, public=False, data=change.data,
                   personal={}, personal_salt="", personal_hash="", legacy_mac="", prev_mac=previous)
    record.mac = _mac(canonical(record))
    record.save()
    Complaint.objects.filter(pk=complaint.pk).update(
        audit_count=count, audit_head=record.mac,
        audit_seal=seal(complaint.pk, count, record.mac, complaint.state))
    return None


BATCH = 200  # complaints per transaction: one commit each is dominated by the disk's sync


def reseal_all(Complaint, Event, *, now=None, codes=None):
    """Re-seal every pending chain (or those of `codes`), in transactions of BATCH
    complaints. Returns (re-sealed tracking codes, [(tracking code, problem)] refused)."""
    now = now or timezone.now()
    complaints = pending(Complaint, Event)
    if codes:
        complaints = complaints.filter(tracking_code__in=codes)
    ids = list(complaints.values_list("pk", flat=True))
    done, refused = [], []
    for start in range(0, len(ids), BATCH):
        with transaction.atomic():
            for complaint in Complaint.objects.filter(pk__in=ids[start:start + BATCH]).order_by("pk"):
                problem = reseal_chain(complaint, Complaint, Event, now)
                if problem:
                    refused.append((complaint.tracking_code, problem))
                else:
                    done.append(complaint.tracking_code)
    return done, refused
