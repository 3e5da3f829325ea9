"""The audit chain: every event stores the MAC of the one before it, and the complaint
stores a sealed head, so editing, deleting, inserting or reordering events is detectable
by anyone holding AUDIT_KEY, even against someone with write access to the database.

Each event is split (issue 18): its `data` holds the facts (action, states, unit, codes,
counts), its `personal` the keys its action declares personal (the registry's
`Action.personal`: messages, reasons, summaries typed about the person). The MAC covers the
facts and the commitment `sha256(salt || canonical(personal))`, with a random salt per event.
Erasing the personal part and the salt (complaints.redaction) leaves the commitment, so the
chain still verifies, while any change to a fact, to the commitment or (before erasure) to
the personal part does not. The salt is erased too: without it a guessed name cannot be
confirmed against the commitment.

Events sealed before the split (`personal_hash` NULL) are verified the old way, over their
whole data, until complaints.reseal re-seals their chain.

Known limit: restoring an older consistent snapshot of a complaint *and* its events
(a full rollback) cannot be told apart from the past without an external anchor
(complaints.transparency).
"""

import datetime as dt
import hashlib
import hmac
import json
import secrets

from django.conf import settings
from django.utils import timezone

from .lifecycle.actions import personal_keys
from .models import Event

ERASURE_ACTION = "personal_data_erased"
RESEAL_ACTION = "audit_resealed"


def _mac(message):
    return hmac.new(settings.AUDIT_KEY.encode(), message.encode(), hashlib.sha256).hexdigest()


def seal(complaint_id, count, head, state):
    return _mac(f"head|{complaint_id}|{count}|{head}|{state}")


def _json(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def split(action, data):
    """(facts, personal) of an event's data, by the action's declaration."""
    data = dict(data or {})
    keys = set(personal_keys(action))
    return ({k: v for k, v in data.items() if k not in keys},
            {k: v for k, v in data.items() if k in keys})


def commitment(salt_hex, personal):
    """The salted hash the MAC covers in place of the personal part ("" when there is none)."""
    if not personal:
        return ""
    return hashlib.sha256(bytes.fromhex(salt_hex) + _json(personal).encode()).hexdigest()


def new_salt(personal):
    return secrets.token_bytes(16).hex() if personal else ""


def _base(event, data):
    created = event.created_at.astimezone(dt.timezone.utc)
    return {
        "complaint": event.complaint_id,
        "seq": event.seq,
        "created_at": created.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "kind": event.action,
        "from": event.from_state,
        "to": event.to_state,
        "actor_type": event.actor_type,
        "actor_user": event.actor_user_id,
        "actor_api_key": event.actor_api_key_id,
        "actor_label": event.actor_label,
        "public": event.public,
        "data": data,
        "prev": event.prev_mac,
    }


def canonical_v1(event, data=None, prev=None):
    """The serialisation of an event sealed before the split: its whole data. `data` and
    `prev` let the verifier rebuild a re-sealed event's old form."""
    payload = _base(event, event.data if data is None else data)
    if prev is not None:
        payload["prev"] = prev
    return _json(payload)


def canonical(event):
    """What the MAC covers; hashes the same on SQLite and PostgreSQL. Works on any object
    with the Event's fields (the re-seal migration passes historical models)."""
    if event.personal_hash is None:
        return canonical_v1(event)
    payload = _base(event, event.data)
    payload["personal"] = event.personal_hash
    payload["legacy_mac"] = event.legacy_mac
    return _json(payload)


def append_event(complaint, *, action, actor, from_state="", to_state="", public=False, data=None,
                 now=None):
    """Add an event to the complaint's chain. The caller holds the row lock and saves the
    complaint afterwards (its head fields are updated here)."""
    facts, personal = split(action, data)
    salt = new_salt(personal)
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
        data=facts,
        personal=personal,
        personal_salt=salt,
        personal_hash=commitment(salt, personal),
        prev_mac=complaint.audit_head,
    )
    event.mac = _mac(canonical(event))
    event.save()
    complaint.audit_count = event.seq
    complaint.audit_head = event.mac
    complaint.audit_seal = seal(complaint.pk, event.seq, event.mac, to_state or complaint.state)
    return event


def verify_complaint(complaint):
    """Return None when the chain verifies, else a message naming the first bad event."""
    return verify_events(complaint, Event.objects.filter(complaint=complaint).order_by("seq", "pk"))


def _personal_problem(event):
    """Whether the personal part (or its erasure) disagrees with the sealed commitment."""
    if event.personal_erased_at is not None:
        if event.personal or event.personal_salt:
            return "holds a personal part although it was erased"
        if not event.personal_hash:
            return "was marked erased but had no personal part"
        return None
    try:
        expected = commitment(event.personal_salt, event.personal) if event.personal else ""
    except ValueError:
        return "has a malformed salt"
    if not hmac.compare_digest(expected, event.personal_hash or ""):
        return "has a personal part that does not match its commitment (altered)"
    return None


def verify_events(complaint, events):
    """verify_complaint over `events` (in seq order): the reseal migration passes its
    historical models' rows."""
    code = complaint.tracking_code
    previous = ""
    legacy_previous = ""
    expected_seq = 1
    last = None
    erased, erasure_through = [], 0
    for event in events:
        if event.seq != expected_seq:
            return f"complaint {code}: event #{event.seq} found where #{expected_seq} was expected (missing or reordered)"
        if event.prev_mac != previous:
            return f"complaint {code}: event #{event.seq} does not follow the event before it"
        if event.personal_hash is not None:
            problem = _personal_problem(event)
            if problem:
                return f"complaint {code}: event #{event.seq} ({event.action}) {problem}"
        if not hmac.compare_digest(event.mac, _mac(canonical(event))):
            return f"complaint {code}: event #{event.seq} ({event.action}) was altered"
        if event.legacy_mac and event.personal_erased_at is None:
            # A re-sealed event: until its personal part is erased, its content must still
            # give the MAC the old chain had (the split lost or changed nothing).
            whole = {**(event.data or {}), **(event.personal or {})}
            if not hmac.compare_digest(event.legacy_mac, _mac(canonical_v1(event, whole, legacy_previous))):
                return f"complaint {code}: event #{event.seq} ({event.action}) differs from its re-sealed original"
        if event.personal_erased_at is not None:
            erased.append(event.seq)
        if event.action == ERASURE_ACTION:
            erasure_through = event.seq
        legacy_previous = event.legacy_mac or event.mac
        previous = event.mac
        expected_seq += 1
        last = event
    count = last.seq if last else 0
    unaudited = [seq for seq in erased if seq > erasure_through]
    if unaudited:
        return f"complaint {code}: the personal part of event #{unaudited[0]} was removed without an audited erasure"
    if count != complaint.audit_count or previous != complaint.audit_head:
        return f"complaint {code}: the chain ends at event #{count} but the complaint records #{complaint.audit_count} (events deleted or added)"
    if not hmac.compare_digest(
        complaint.audit_seal or "", seal(complaint.pk, count, previous, complaint.state)
    ):
        return f"complaint {code}: the chain head seal does not match (head or state altered)"
    return None
