"""Time to re-seal N complaints' audit chains sealed before the split (the migration
0013 / `reseal_audit`), to verify them before and after, and to erase one complaint's
personal parts (issue 18 item 2, docs/privacy.md).

Runs on a scratch SQLite database of its own (or on DATABASE_URL if set, which must be a
scratch database: it is migrated and filled). Chains are inserted in bulk in the old format
with real MACs, EVENTS events each, every other one with a typed reason.

    python bench/reseal_audit.py --complaints 2000 --events 10
"""

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--complaints", type=int, default=2000)
    parser.add_argument("--events", type=int, default=10)
    args = parser.parse_args()
    scratch = tempfile.mkdtemp()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings_test"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from complaints import audit, reseal
    from complaints.models import Complaint, Event
    from complaints.permissions import ActorRef
    from complaints.redaction import erase_event_personal_parts
    from routing.models import Category, SLAPolicy, Unit

    unit = Unit.objects.create(code="u", name_id="u", name_en="u")
    sla = SLAPolicy.objects.create(code="s", name_id="s", name_en="s")
    category = Category.objects.create(code="c", name_id="c", name_en="c", default_unit=unit, sla_policy=sla)
    n, k = args.complaints, args.events
    Complaint.objects.bulk_create(
        [Complaint(tracking_code=f"ADU-{i:08d}", access_token_hash="x", title="t", description="d",
                   category=category, state="triaged") for i in range(n)], batch_size=5000)
    start = timezone.now() - dt.timedelta(days=30)
    events, heads = [], []
    for cid in Complaint.objects.order_by("pk").values_list("pk", flat=True):
        previous = ""
        for seq in range(1, k + 1):
            data = ({"unit": "u", "from_unit": "u", "reason": f"Pak Budi nomor {cid}-{seq} minta dipindah"}
                    if seq % 2 == 0 else {"category": "c"})
            event = Event(complaint_id=cid, seq=seq, action="transfer" if seq % 2 == 0 else "filed",
                          actor_type="system", actor_label="bench", created_at=start + dt.timedelta(minutes=seq),
                          data=data, personal_hash=None, prev_mac=previous)
            event.mac = audit._mac(audit.canonical_v1(event))
            previous = event.mac
            events.append(event)
        heads.append(Complaint(pk=cid, audit_count=k, audit_head=previous,
                               audit_seal=audit.seal(cid, k, previous, "triaged")))
    Event.objects.bulk_create(events, batch_size=5000)
    Complaint.objects.bulk_update(heads, ["audit_count", "audit_head", "audit_seal"], batch_size=5000)

    def timed(label, function):
        began = time.perf_counter()
        result = function()
        print(f"{label}: {time.perf_counter() - began:.3f} s")
        return result

    print(f"{n} complaints x {k} events on {connection.vendor}")
    timed("verify every chain (old format)", lambda: [audit.verify_complaint(c) for c in Complaint.objects.all()])
    done, refused = timed("re-seal every chain", lambda: reseal.reseal_all(Complaint, Event))
    assert len(done) == n and not refused, refused[:3]
    problems = timed("verify every chain (re-sealed)",
                     lambda: [p for c in Complaint.objects.all() if (p := audit.verify_complaint(c))])
    assert not problems, problems[:3]
    system = ActorRef.system("bench")
    # The first erasure imports what the commit's receivers need; time the second.
    erase_event_personal_parts(Complaint.objects.order_by("pk")[0], acting_user=system, reason="bench")
    one = Complaint.objects.order_by("pk")[n // 2]
    erased = timed("erase one complaint's personal parts",
                   lambda: erase_event_personal_parts(one, acting_user=system, reason="bench"))
    assert erased == k // 2 and audit.verify_complaint(Complaint.objects.get(pk=one.pk)) is None


if __name__ == "__main__":
    main()
