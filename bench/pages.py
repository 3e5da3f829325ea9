"""Latency of the public pages and API reads on the configured database: each URL fetched
through Django's test client (DEBUG off, as an anonymous visitor), after one warm-up,
`--repeat` times. Prints role, URL, p50 and p95 in milliseconds, the body's bytes and the
number of SQL queries, then the query plan (EXPLAIN ANALYZE, PostgreSQL) of the slowest
query of every URL whose p95 is over 100 ms. With --export also the open-data export's
rows per second (streamed to nowhere) and the process's peak memory.

    createdb -h 127.0.0.1 -U postgres aduan_t16bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/aduan_t16bench DEBUG=1
    python manage.py migrate && python manage.py seed_demo
    python manage.py generate_history --count 100000      # then --seed 2 --count 900000
    DEBUG=0 python bench/pages.py [--repeat 20] [--export]

The machine is shared: the load average is printed with the figures.
"""

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("ADUAN_ALLOW_DEV_KEYS", "1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from complaints.citizen.services import public_complaints  # noqa: E402
from complaints.models import Complaint  # noqa: E402

URLS = [
    ("public", "/complaints/"),
    ("public", "/complaints/?q=jalan"),
    ("public", "/complaints/?q=jembatan+retak"),
    ("public", "/complaints/?q=tidak-ada-kata-ini"),
    ("public", "/complaints/?status=closed&category={category}"),
    ("public", "/complaints/?after={older}"),
    ("public", "/open311/v2/requests.json"),
    ("public", "/open311/v2/requests.json?status=open&page_size=100"),
]


def fetch(client, url):
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed, len(body), list(queries.captured_queries)


def explain(sql):
    if connection.vendor != "postgresql" or not sql.lstrip().upper().startswith("SELECT"):
        return ""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql)
        return "\n".join("    " + row[0] for row in cursor.fetchall())


def pages(repeat):
    client = Client()
    client.cookies["django_language"] = "en"
    newest = public_complaints().order_by("-submitted_at", "-pk")
    older = newest.values_list("tracking_code", flat=True)[1000:1001].first() or ""
    category = newest.values_list("category__code", flat=True).first() or ""
    plans = []
    print(f"complaints: {Complaint.objects.count()}  load average: {os.getloadavg()}")
    print("| role | URL | p50 ms | p95 ms | bytes | queries |")
    print("| --- | --- | --- | --- | --- | --- |")
    for role, template in URLS:
        url = template.format(older=older, category=category)
        fetch(client, url)  # warm-up: caches, prepared plans, pages in memory
        samples = [fetch(client, url) for _ in range(repeat)]
        times = sorted(s[0] for s in samples)
        p50 = statistics.median(times)
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        size, queries = samples[-1][1], samples[-1][2]
        print(f"| {role} | `{url}` | {p50:.0f} | {p95:.0f} | {size} | {len(queries)} |")
        if p95 > 100:
            slowest = max(queries, key=lambda q: float(q["time"]))
            plans.append((url, slowest["time"], slowest["sql"]))
    for url, seconds, sql in plans:
        print(f"\n{url}: slowest query {float(seconds) * 1000:.0f} ms\n    {sql[:600]}\n{explain(sql)}")


def export():
    client = Client()
    started = time.perf_counter()
    response = client.get("/dashboard/export/complaints.csv")
    rows = size = 0
    for chunk in response.streaming_content:
        rows += chunk.count(b"\n")
        size += len(chunk)
    elapsed = time.perf_counter() - started
    rows -= 1  # the header
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"\nexport: {rows} rows, {size / 1e6:.0f} MB in {elapsed:.1f} s = {rows / elapsed:,.0f} rows/s; "
          f"peak RSS of this process {peak} MB; load average {os.getloadavg()}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--export", action="store_true")
    options = parser.parse_args()
    if settings.DEBUG:
        sys.exit("Run with DEBUG=0 (DEBUG keeps every query in memory and renders slower).")
    # Static files unhashed: the bench needs no collectstatic (the URLs' cost is the same).
    plain = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    with override_settings(STORAGES=plain):
        pages(options.repeat)
        if options.export:
            export()
