"""Latency of the staff performance page (/staff/dashboard/performance/) on the configured
database: signed in as the demo's city-wide supervisor, oversight and a unit officer
(seed_demo), each URL fetched through Django's test client (DEBUG off), after one warm-up,
`--repeat` times. Prints role, URL, p50 and p95 in milliseconds, the body's bytes and the
SQL queries, and the query plan of the slowest query of any URL whose p95 is over 100 ms.

    createdb -h 127.0.0.1 -U postgres aduan_desk_performance
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/aduan_desk_performance DEBUG=1
    python manage.py migrate && python manage.py seed_demo
    python manage.py generate_history --count 100000      # then --seed 2 --count 900000
    DEBUG=0 python bench/staff_pages.py [--repeat 20] [--old]

--old also times the page as it was before (complaints' exact medians in Python), when run
on a commit that still has it. The machine is shared: the load average is printed too.
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

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from complaints.models import Complaint  # noqa: E402

PAGE = "/staff/dashboard/performance/"
URLS = [
    ("supervisor", PAGE),  # city-wide: every unit and its officers
    ("supervisor", PAGE + "?period=365d"),
    ("supervisor", PAGE + "?period=30d&unit=DPU-JALAN"),
    ("oversight", PAGE),
    ("oversight", PAGE + "?period=365d"),
    ("officer", PAGE),  # one unit, no officers
]
# --lists: the staff lists of the scale issue's table (issue 16), as the same roles.
LISTS = [
    ("triage", "/staff/triage/"),
    ("triage", "/staff/triage/summaries/"),
    ("officer", "/staff/inbox/"),
    ("supervisor", "/staff/inbox/"),  # city-wide: every unit below DPU
    ("supervisor", "/staff/inbox/?status=all"),
    ("supervisor", "/staff/inbox/?status=all&page=100"),
    ("oversight", "/staff/oversight/"),
    ("oversight", "/staff/oversight/?list=all"),
    ("oversight", "/staff/oversight/?list=all&q=jalan"),
    ("admin", "/admin/complaints/complaint/"),
]


def signed_in(username):
    """A test client signed in as `username`, second factor counted as done (as the test
    suite's client does: the bench measures the page, not the sign-in)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = User.objects.get(username=username)
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or \
        TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def fetch(client, url, capture=False):
    """(ms, bytes, queries). Timed without capturing queries (Django's debug cursor formats
    every statement, which a production request does not); `capture` fetches once more to
    count them and find the slowest."""
    started = time.perf_counter()
    response = client.get(url)
    body = response.content
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (url, response.status_code)
    queries = []
    if capture:
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        queries = list(captured.captured_queries)
    return elapsed, len(body), queries


def explain(sql):
    if connection.vendor != "postgresql" or not sql.lstrip().upper().startswith("SELECT"):
        return ""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql)
        return "\n".join("    " + row[0] for row in cursor.fetchall())


def run(repeat, urls):
    clients, plans = {}, []
    print(f"complaints: {Complaint.objects.count()}  load average: {os.getloadavg()}")
    print("| role | URL | p50 ms | p95 ms | bytes | queries | slowest query ms |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for role, url in urls:
        client = clients.get(role) or clients.setdefault(role, signed_in(role))
        fetch(client, url)  # warm-up: caches, prepared plans, pages in memory
        samples = [fetch(client, url) for _ in range(repeat)]
        times = sorted(s[0] for s in samples)
        p50 = statistics.median(times)
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        size, queries = samples[-1][1], fetch(client, url, capture=True)[2]
        slowest = max(queries, key=lambda q: float(q["time"]))
        print(f"| {role} | `{url}` | {p50:.0f} | {p95:.0f} | {size} | {len(queries)} | "
              f"{float(slowest['time']) * 1000:.0f} |")
        if p95 > 100:
            plans.append((url, slowest["time"], slowest["sql"]))
    for url, seconds, sql in plans:
        print(f"\n{url}: slowest query {float(seconds) * 1000:.0f} ms\n    {sql[:600]}\n{explain(sql)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--old", action="store_true", help="time /staff/performance/ (the old page) instead")
    parser.add_argument("--lists", action="store_true", help="time the staff lists (triage, inbox, oversight, admin)")
    options = parser.parse_args()
    if settings.DEBUG:
        sys.exit("Run with DEBUG=0 (DEBUG keeps every query in memory and renders slower).")
    urls = [("supervisor", "/staff/performance/?days=90")] if options.old else LISTS if options.lists else URLS
    plain = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    with override_settings(STORAGES=plain):
        run(options.repeat, urls)
