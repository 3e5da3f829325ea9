"""Give generated history (generate_history: no assignees, no audit events) officers, so that
the per-officer figures of the staff performance page can be measured at scale. Not for a
real city: real history is attributed from its audit events by backfill_officer_rollups.

1. Every generated complaint with a first response or a resolution and no assignee gets an
   assignee among its unit's members (deterministic: by complaint id), in one UPDATE.
2. Facts without an officer get the assignee as the officer of their response and
   resolution (what backfill_officer_rollups does for complaints without events), in one
   UPDATE.
3. The per-officer rollups are emptied and summed again from the facts
   (rollups.sum_officer_rollups), under the officer tables' lock.

    DATABASE_URL=postgres://… DEBUG=1 python bench/officer_history.py
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from complaints.models import Complaint  # noqa: E402
from dashboard import rollups, sql  # noqa: E402
from dashboard.models import ComplaintFact, OfficerCount, OfficerHistogram  # noqa: E402
from routing.models import Membership  # noqa: E402

ASSIGN = f"""
WITH members AS (SELECT unit_id, array_agg(user_id ORDER BY user_id) AS ids
                 FROM {sql.table(Membership)} GROUP BY unit_id)
UPDATE {sql.table(Complaint)} c SET assignee_id = m.ids[1 + c.id % array_length(m.ids, 1)]
FROM members m
WHERE m.unit_id = c.responsible_unit_id AND c.assignee_id IS NULL
  AND (c.first_response_at IS NOT NULL OR c.resolved_at IS NOT NULL)
"""
ATTRIBUTE = f"""
UPDATE {sql.table(ComplaintFact)} f
SET response_officer_id = CASE WHEN f.first_response_at IS NOT NULL THEN c.assignee_id END,
    resolution_officer_id = CASE WHEN f.resolved_at IS NOT NULL THEN c.assignee_id END
FROM {sql.table(Complaint)} c
WHERE c.id = f.complaint_id AND c.assignee_id IS NOT NULL
  AND f.response_officer_id IS NULL AND f.resolution_officer_id IS NULL
"""


def step(label, work):
    started = time.monotonic()
    result = work()
    print(f"{label}: {result} in {time.monotonic() - started:.1f} s", flush=True)


def execute(statement):
    with connection.cursor() as cursor:
        cursor.execute(statement)
        return f"{cursor.rowcount} rows"


def resum():
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {sql.table(ComplaintFact)}, {sql.table(OfficerCount)}, "
                           f"{sql.table(OfficerHistogram)} IN SHARE ROW EXCLUSIVE MODE")
        for model in (OfficerCount, OfficerHistogram):
            model.objects.all()._raw_delete(model.objects.db)
        rollups.sum_officer_rollups(batch_size=20000)
    return f"{OfficerCount.objects.count()} count rows, {OfficerHistogram.objects.count()} histogram rows"


if __name__ == "__main__":
    assert connection.vendor == "postgresql", "PostgreSQL only (the bench database)"
    step("1. assignees", lambda: execute(ASSIGN))
    step("2. facts attributed", lambda: execute(ATTRIBUTE))
    step("3. per-officer rollups", resum)
