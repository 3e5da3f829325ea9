"""Latency of /dashboard/api/summary.json (rollups) beside the same headline figures
computed by a direct SQL aggregate over the complaints table, on the configured database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aduan_bench DEBUG=1 \
        python manage.py generate_history --count 100000
    DATABASE_URL=... DEBUG=1 python bench/dashboard.py [--repeat 30]

Prints one line per (period, unit): p50 and p95 in milliseconds, and the ratio.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("ADUAN_ALLOW_DEV_KEYS", "1")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from complaints.models import Complaint  # noqa: E402
from dashboard import metrics  # noqa: E402
from dashboard.models import DailyCount, DurationHistogram, MonthlyCount, OpenCount  # noqa: E402
from routing.models import Unit  # noqa: E402

DIRECT_SQL = """
SELECT
  count(*) FILTER (WHERE state <> 'duplicate' AND NOT (state = 'rejected' AND reject_reason = 'spam')),
  percentile_disc(0.5) WITHIN GROUP (ORDER BY triaged_at - submitted_at) FILTER (WHERE triaged_at IS NOT NULL),
  percentile_disc(0.9) WITHIN GROUP (ORDER BY triaged_at - submitted_at) FILTER (WHERE triaged_at IS NOT NULL),
  percentile_disc(0.5) WITHIN GROUP (ORDER BY first_response_at - triaged_at) FILTER (WHERE first_response_at IS NOT NULL),
  percentile_disc(0.9) WITHIN GROUP (ORDER BY first_response_at - triaged_at) FILTER (WHERE first_response_at IS NOT NULL),
  percentile_disc(0.5) WITHIN GROUP (ORDER BY first_response_at - submitted_at) FILTER (WHERE first_response_at IS NOT NULL),
  percentile_disc(0.9) WITHIN GROUP (ORDER BY first_response_at - submitted_at) FILTER (WHERE first_response_at IS NOT NULL),
  percentile_disc(0.5) WITHIN GROUP (ORDER BY resolved_at - submitted_at) FILTER (WHERE resolved_at IS NOT NULL),
  percentile_disc(0.9) WITHIN GROUP (ORDER BY resolved_at - submitted_at) FILTER (WHERE resolved_at IS NOT NULL),
  count(*) FILTER (WHERE triaged_at <= triage_due_at),
  count(*) FILTER (WHERE first_response_at <= response_due_at),
  count(*) FILTER (WHERE resolved_at <= resolution_due_at),
  count(*) FILTER (WHERE resolved_at IS NOT NULL AND outcome IN ('fixed', 'partly_fixed')),
  avg(rating), count(*) FILTER (WHERE reopen_count > 0)
FROM complaints_complaint
WHERE submitted_at >= %s AND submitted_at < %s {unit}
"""


def timed(fn, repeat):
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(round(0.95 * len(samples))) - 1)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    client = Client()
    total = Complaint.objects.count()
    biggest = (Unit.objects.filter(complaints__isnull=False).exclude(parent=None)
               .values_list("code", flat=True).order_by("code").first())
    top = Unit.objects.filter(parent=None).values_list("code", flat=True).first()
    cases = [(p, None) for p in ("7d", "30d", "90d", "365d")] + [("365d", top), ("30d", biggest), ("365d", biggest)]
    print(f"database: {connection.vendor}, complaints: {total}; rollup rows: "
          f"{DailyCount.objects.count()} daily, {MonthlyCount.objects.count()} monthly, "
          f"{DurationHistogram.objects.count()} histograms, {OpenCount.objects.count()} backlog")
    print("summary.json = the whole response (headline, league of units, categories) through Django;")
    print("headline = the same headline figures as the direct SQL, from rollups (metrics.summary without the league).")
    print(f"{'period':>6} {'unit':>12} | {'summary.json p50':>16} {'p95':>7} | {'headline p50':>12} {'p95':>7} | "
          f"{'direct SQL p50':>14} {'p95':>7} | SQL/headline p95")
    # All rollup timings first, then all direct-SQL timings: a direct aggregate over a
    # million complaints streams the whole table through PostgreSQL's shared buffers and
    # would evict the (small, normally hot) rollup pages between the rollup measurements.
    rollup = {}
    for label, unit in cases:
        url = f"/dashboard/api/summary.json?period={label}" + (f"&unit={unit}" if unit else "")
        response = client.get(url, HTTP_HOST="127.0.0.1")
        assert response.status_code == 200, response.content[:200]
        api = timed(lambda: client.get(url, HTTP_HOST="127.0.0.1"), args.repeat)
        period = metrics.parse_period({"period": label})
        unit_obj = Unit.objects.get(code=unit) if unit else None
        rollup[(label, unit)] = api, timed(lambda: metrics.summary(period, unit_obj, league=False), args.repeat)
    for label, unit in cases:
        period = metrics.parse_period({"period": label})
        start, end = metrics.day_range(period)
        unit_sql, params = "", [start, end]
        if unit:
            unit_sql = "AND responsible_unit_id = ANY(%s)"
            params.append(Unit.objects.get(code=unit).descendant_ids())

        def direct():
            with connection.cursor() as cursor:
                cursor.execute(DIRECT_SQL.format(unit=unit_sql), params)
                cursor.fetchall()

        sql = timed(direct, max(5, args.repeat // 3)) if connection.vendor == "postgresql" else (float("nan"),) * 2
        api, headline = rollup[(label, unit)]
        print(f"{label:>6} {unit or 'all':>12} | {api[0]:16.1f} {api[1]:7.1f} | {headline[0]:12.1f} {headline[1]:7.1f} | "
              f"{sql[0]:14.1f} {sql[1]:7.1f} | {sql[1] / headline[1]:6.1f}x")
    print(f"load average after the run: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
