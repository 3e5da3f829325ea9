"""Time to publish a transparency root, to serve one inclusion proof, and to check the
database against a kept root, for N complaints (issue 18, docs/privacy.md).

Runs on a scratch SQLite database of its own (or on DATABASE_URL if set, which must be a
scratch database: it is migrated and filled). Complaints and their events are inserted in
bulk with made-up MACs: the anchor reads heads and event MACs, it does not check the HMACs.

    python bench/transparency.py --complaints 100000
"""

import argparse
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--complaints", type=int, default=100000)
    parser.add_argument("--changed", type=int, default=1000, help="complaints changed before the second root")
    args = parser.parse_args()
    scratch = tempfile.mkdtemp()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings_test"
    os.environ["TRANSPARENCY_SIGNING_KEY"] = "A" * 43 + "="
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from complaints.models import Complaint, Event
    from complaints.transparency import anchor
    from routing.models import Category, SLAPolicy, Unit

    unit = Unit.objects.create(code="u", name_id="u", name_en="u")
    sla = SLAPolicy.objects.create(code="s", name_id="s", name_en="s")
    category = Category.objects.create(code="c", name_id="c", name_en="c", default_unit=unit, sla_policy=sla)
    n = args.complaints
    macs = [secrets.token_hex(32) for _ in range(n)]
    Complaint.objects.bulk_create(
        [Complaint(tracking_code=f"ADU-{i:08d}", access_token_hash="x", title="t", description="d",
                   category=category, audit_count=1, audit_head=macs[i], audit_seal="s") for i in range(n)],
        batch_size=5000)
    ids = list(Complaint.objects.order_by("pk").values_list("pk", flat=True))
    Event.objects.bulk_create([Event(complaint_id=cid, seq=1, action="filed", actor_type="system", mac=mac)
                               for cid, mac in zip(ids, macs)], batch_size=5000)

    def timed(label, function):
        start = time.perf_counter()
        result = function()
        print(f"{label}: {time.perf_counter() - start:.3f} s")
        return result

    print(f"{n} complaints on {connection.vendor}")
    timed("first root (every leaf new)", anchor.publish)
    changed = ids[:: max(1, n // args.changed)][: args.changed]
    for cid in changed:
        mac = secrets.token_hex(32)
        Event.objects.bulk_create([Event(complaint_id=cid, seq=2, action="reply", actor_type="system", mac=mac)])
        Complaint.objects.filter(pk=cid).update(audit_count=2, audit_head=mac)
    timed(f"second root ({len(changed)} changed)", anchor.publish)
    complaint = Complaint.objects.get(pk=ids[n // 2])
    proof = timed("one inclusion proof", lambda: anchor.inclusion_proof(complaint))
    assert anchor.proof_ok(proof, anchor.configured_public_key())
    kept = anchor.published_json()["roots"]
    problems = timed("check against the kept roots", lambda: anchor.check_against(kept, anchor.configured_public_key()))
    assert problems == [], problems[:3]


if __name__ == "__main__":
    main()
