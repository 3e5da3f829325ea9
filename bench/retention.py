"""Time of a retention pass (complaints.retention) on a large database.

Finds the complaints due (one query per category with a retention period) and erases up to
--limit of them, each in its own transaction through the lifecycle, inside an outer
transaction that is rolled back at the end (so the bench can run again; no file is deleted,
the files go only after a commit). Prints how many are due, the time to find them, and the
time per erased complaint.

    createdb aduan_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aduan_bench DEBUG=1 python manage.py migrate
    DATABASE_URL=... DEBUG=1 python manage.py seed_demo      # categories and units, if none
    DATABASE_URL=... DEBUG=1 python manage.py generate_history --count 100000
    DATABASE_URL=... python bench/retention.py [--limit 500]
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


class Rollback(Exception):
    pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=500, help="complaints to erase (rolled back)")
    args = parser.parse_args()
    import django

    django.setup()
    from django.db import connection, transaction

    from complaints.models import Complaint
    from complaints.retention import Retention

    print(f"database: {connection.vendor}, {Complaint.objects.count()} complaints")
    pass_ = Retention()
    started = time.perf_counter()
    due = pass_.find_due()
    found = time.perf_counter() - started
    print(f"due: {len(due)} complaints, found in {found * 1000:.0f} ms")
    sample = due[:args.limit]
    try:
        with transaction.atomic():
            started = time.perf_counter()
            pass_.erase(sample)
            spent = time.perf_counter() - started
            raise Rollback
    except Rollback:
        pass
    if sample:
        print(f"erased {pass_.counts['erased']} (skipped {pass_.counts['skipped']}) in {spent:.2f} s: "
              f"{spent / len(sample) * 1000:.1f} ms per complaint (rolled back)")


if __name__ == "__main__":
    main()
