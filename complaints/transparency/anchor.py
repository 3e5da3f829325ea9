"""The public anchor of the audit chain.

The HMAC chain (complaints.audit) shows any edit to a complaint's history to whoever holds
AUDIT_KEY, but not a rollback: restoring an older consistent copy of a complaint and its
events. At a set interval the worker therefore publishes a root: the head of a Merkle tree
whose leaves are every complaint's chain head, signed with an Ed25519 key kept outside the
database. Whoever keeps a copy of a root (the Ombudsman, a newspaper) can later make
`verify_audit --against-published` prove that every complaint's history still contains the
state the root fixed. A leaf is a hash over the tracking code, the event count and the
head MAC, so a proof shows nothing of other complaints but hashes.

Leaf positions are given once, when a complaint first enters the tree (in complaint id
order), and kept for ever: a complaint's proofs keep their index.
"""

import base64
import binascii
import datetime as dt
import logging
import struct

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from ..audit import RESEAL_ACTION
from ..models import AnchoredHead, Complaint, Event, TransparencyRoot
from . import merkle

log = logging.getLogger(__name__)
ENTRY = struct.Struct(">QI32s")  # complaint id, event count, leaf hash


class ChainWentBack(Exception):
    """A complaint's head is older than (or differs from) the one already published."""


# --- keys and signatures ---------------------------------------------------------------

def signing_key():
    """The private key from TRANSPARENCY_SIGNING_KEY (base64 of the raw 32 bytes), or None."""
    raw = getattr(settings, "TRANSPARENCY_SIGNING_KEY", "")
    if not raw:
        return None
    try:
        data = base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("TRANSPARENCY_SIGNING_KEY is not base64") from None
    if len(data) != 32:
        raise ValueError("TRANSPARENCY_SIGNING_KEY must be 32 raw bytes in base64")
    return Ed25519PrivateKey.from_private_bytes(data)


def public_key_text(key):
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def configured_public_key():
    key = signing_key()
    return public_key_text(key.public_key()) if key else ""


def signed_message(number, tree_size, root_hex, published_at):
    """What the signature covers; an external verifier rebuilds these bytes."""
    when = published_at.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return f"aduan-transparency-v1|{number}|{tree_size}|{root_hex}|{when}".encode()


def signature_ok(entry, public_key_b64):
    """entry: a dict as in published_json()."""
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key_b64, validate=True))
        when = dt.datetime.fromisoformat(entry["published_at"].replace("Z", "+00:00"))
        message = signed_message(int(entry["number"]), int(entry["tree_size"]), str(entry["root"]), when)
        key.verify(base64.b64decode(entry["signature"], validate=True), message)
        return True
    except (InvalidSignature, ValueError, TypeError, KeyError, binascii.Error):
        return False


# --- leaves ---------------------------------------------------------------------------------

def leaf_data(tracking_code, count, head):
    return f"aduan-leaf-v1|{tracking_code}|{count}|{head}".encode()


def _decode(blob):
    blob = bytes(blob or b"")
    return [list(ENTRY.unpack_from(blob, i)) for i in range(0, len(blob), ENTRY.size)]


def _encode(entries):
    return b"".join(ENTRY.pack(cid, count, leaf) for cid, count, leaf in entries)


def _latest_entries(latest):
    if latest is None:
        return []
    if latest.leaves:
        return _decode(latest.leaves)
    return [[cid, count, leaf] for cid, count, leaf in entries_at(latest.number)]


def entries_at(number):
    """The leaves of root `number` rebuilt from AnchoredHead: (complaint id, count, leaf)
    by leaf index."""
    by_index = {}
    rows = (AnchoredHead.objects.filter(root__number__lte=number).order_by("root__number")
            .values_list("leaf_index", "complaint_id", "count", "leaf_hash"))
    for index, cid, count, leaf in rows.iterator(chunk_size=5000):
        by_index[index] = (cid, count, bytes.fromhex(leaf))
    return [by_index[i] for i in range(len(by_index))] if set(by_index) == set(range(len(by_index))) else None


# --- publishing -----------------------------------------------------------------------------

def publish(now=None):
    """Publish a new root when some complaint's head changed since the last one. Returns the
    new TransparencyRoot, or None (no key, nothing new, or another worker published first).
    Raises ChainWentBack rather than anchor a head older than the published one."""
    key = signing_key()
    if key is None:
        return None
    now = now or timezone.now()
    latest = TransparencyRoot.objects.order_by("-number").first()
    entries = _latest_entries(latest)
    position = {cid: i for i, (cid, _count, _leaf) in enumerate(entries)}
    changed = []
    heads = Complaint.objects.filter(audit_count__gt=0).order_by("pk").values_list(
        "pk", "tracking_code", "audit_count", "audit_head")
    for cid, code, count, head in heads.iterator(chunk_size=5000):
        leaf = merkle.leaf_hash(leaf_data(code, count, head))
        index = position.get(cid)
        if index is None:
            index = len(entries)
            entries.append([cid, count, leaf])
            changed.append(index)
        elif entries[index][2] != leaf:
            if count <= entries[index][1]:
                raise ChainWentBack(f"complaint {code}: its chain head went back from event "
                                    f"#{entries[index][1]} to #{count} since root #{latest.number}")
            entries[index][1:] = [count, leaf]
            changed.append(index)
    if latest is not None and not changed:
        return None
    root_hex = merkle.root([leaf for _cid, _count, leaf in entries]).hex()
    number = latest.number + 1 if latest else 1
    signature = key.sign(signed_message(number, len(entries), root_hex, now))
    try:
        with transaction.atomic():
            new = TransparencyRoot.objects.create(
                number=number, tree_size=len(entries), root_hash=root_hex, published_at=now,
                signature=base64.b64encode(signature).decode(),
                public_key=public_key_text(key.public_key()), leaves=_encode(entries))
            AnchoredHead.objects.bulk_create([
                AnchoredHead(root=new, complaint_id=entries[i][0], leaf_index=i,
                             count=entries[i][1], leaf_hash=entries[i][2].hex())
                for i in changed], batch_size=2000)
            TransparencyRoot.objects.filter(number__lt=number).exclude(leaves=b"").update(leaves=b"")
    except IntegrityError:
        return None  # another worker published this number
    return new


def publish_if_due(now=None):
    """The worker's job: publish when TRANSPARENCY_INTERVAL_MINUTES have passed."""
    if not getattr(settings, "TRANSPARENCY_SIGNING_KEY", ""):
        return None
    now = now or timezone.now()
    last = TransparencyRoot.objects.order_by("-number").values_list("published_at", flat=True).first()
    if last is not None and now - last < dt.timedelta(minutes=settings.TRANSPARENCY_INTERVAL_MINUTES):
        return None
    try:
        return publish(now)
    except ChainWentBack as problem:
        log.error("transparency root not published: %s", problem)
        return None


# --- what is shown --------------------------------------------------------------------------

def entry_json(root):
    return {"number": root.number, "tree_size": root.tree_size, "root": root.root_hash,
            "published_at": root.published_at.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "signature": root.signature}


def published_json():
    """The append-only list, as /transparency/roots.json serves it and an external party keeps it."""
    roots = TransparencyRoot.objects.order_by("number").defer("leaves")
    return {"format": "aduan-transparency-v1", "public_key": configured_public_key(),
            "roots": [entry_json(root) for root in roots]}


def inclusion_proof(complaint):
    """The proof that the complaint's head as of the latest root is in that root, or None
    when it has not been published yet."""
    latest = TransparencyRoot.objects.order_by("-number").first()
    if latest is None:
        return None
    entries = _latest_entries(latest)
    index = next((i for i, entry in enumerate(entries) if entry[0] == complaint.pk), None)
    if index is None:
        return None
    count = entries[index][1]
    mac, legacy = Event.objects.filter(complaint=complaint, seq=count).values_list("mac", "legacy_mac").first() or ("", "")
    head = legacy if legacy and resealed_after([complaint.pk], latest.published_at) else mac
    leaves = [leaf for _cid, _count, leaf in entries]
    return {
        "format": "aduan-transparency-proof-v1",
        "root": {**entry_json(latest), "public_key": latest.public_key},
        "leaf_index": index,
        "leaf": {"tracking_code": complaint.tracking_code, "events": count, "head": head},
        "leaf_hash": leaves[index].hex(),
        "audit_path": [h.hex() for h in merkle.inclusion_proof(leaves, index)],
        "current": count == complaint.audit_count,
    }


def proof_ok(proof, public_key_b64):
    """Check a proof as an outsider would: the root's signature, the leaf hash from the
    leaf's fields, and the audit path up to the signed root."""
    try:
        root = proof["root"]
        leaf = proof["leaf"]
        leaf_bytes = merkle.leaf_hash(leaf_data(leaf["tracking_code"], int(leaf["events"]), leaf["head"]))
        path = [bytes.fromhex(h) for h in proof["audit_path"]]
        return (signature_ok(root, public_key_b64)
                and merkle.verify_inclusion(leaf_bytes, int(proof["leaf_index"]), int(root["tree_size"]),
                                            path, bytes.fromhex(root["root"])))
    except (KeyError, TypeError, ValueError):
        return False


# --- verification against a kept root -------------------------------------------------------

def check_against(entries, public_key_b64):
    """entries: the roots an outsider kept. Returns a list of problems (empty: all well).
    Every root's signature is checked and compared with this database's copy; the newest
    one the database still holds is rebuilt from the current events, naming each complaint
    whose history lost or changed the state the root fixed."""
    problems = []
    genuine = []
    for entry in entries:
        if not signature_ok(entry, public_key_b64):
            problems.append(f"root #{entry.get('number', '?')}: the signature does not verify with the "
                            "trusted public key (forged or from another key); ignored")
        else:
            genuine.append(entry)
    held = []  # genuine roots this database still holds unchanged
    for entry in genuine:
        stored = TransparencyRoot.objects.filter(number=entry["number"]).defer("leaves").first()
        if stored is None:
            problems.append(f"root #{entry['number']} is missing from this database (the log was rolled back)")
        elif stored.root_hash != entry["root"] or stored.tree_size != int(entry["tree_size"]):
            problems.append(f"root #{entry['number']}: this database holds a different root (the log was rewritten)")
        else:
            held.append(entry)
    if not genuine:
        return problems or ["no published root to check against"]
    # The newest root the database still holds names the complaints that lost a published
    # state; after a restore of the whole database to before a root, that root's leaves are
    # gone with it and only the missing root above tells.
    if held:
        problems.extend(_check_root(max(held, key=lambda e: int(e["number"]))))
    return problems


def resealed_after(complaint_ids, published_at):
    """The complaints among `complaint_ids` whose chain was re-sealed (complaints.reseal)
    after `published_at`. A root from before a re-seal anchored the old MACs: it is checked
    against the heads the re-seal recorded (Event.legacy_mac), which the new chain seals and
    the first root after the re-seal anchors; see docs/privacy.md for what that proves."""
    return set(Event.objects.filter(complaint_id__in=complaint_ids, action=RESEAL_ACTION,
                                    created_at__gt=published_at).values_list("complaint_id", flat=True))


def _check_root(entry):
    number, size = int(entry["number"]), int(entry["tree_size"])
    anchored = entries_at(number)
    if anchored is None or len(anchored) != size:
        return [f"root #{number}: the anchored heads stored for it are incomplete (deleted rows)"]
    problems = []
    if merkle.root([leaf for _cid, _count, leaf in anchored]).hex() != entry["root"]:
        problems.append(f"root #{number}: the anchored heads stored for it were altered")
    wanted = {cid: count for cid, count, _leaf in anchored}
    codes = dict(Complaint.objects.filter(pk__in=wanted).values_list("pk", "tracking_code"))
    published = dt.datetime.fromisoformat(entry["published_at"].replace("Z", "+00:00"))
    resealed = resealed_after(wanted, published)
    macs = {}
    events = Event.objects.filter(complaint_id__in=wanted).values_list("complaint_id", "seq", "mac", "legacy_mac")
    for cid, seq, mac, legacy in events.iterator(chunk_size=5000):
        if wanted[cid] == seq:
            macs[cid] = legacy if cid in resealed and legacy else mac
    for index, (cid, count, leaf) in enumerate(anchored):
        code = codes.get(cid)
        if code is None:
            problems.append(f"root #{number}: the complaint at leaf {index} no longer exists")
        elif merkle.leaf_hash(leaf_data(code, count, macs.get(cid, ""))) != leaf:
            problems.append(f"complaint {code}: its history no longer holds the state published in "
                            f"root #{number} (event #{count}): rolled back or rewritten")
    return problems
