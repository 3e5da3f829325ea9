"""How long a broadcast takes to reach N connected WebSocket clients on a real daphne.

    python bench/live.py [--clients 500] [--rounds 10]            # in-memory layer, one daphne
    REDIS_URL=redis://127.0.0.1:6379/0 python bench/live.py         # channels-redis

Starts daphne on a fresh file-based SQLite database (tests/dashboard/live_site.py), opens
N clients on /ws/dashboard/, then, round after round, a staff member submits an action form
of the staff complaint page over HTTP, and it measures for every client the time from that
POST until its event arrives. The consumer deliberately holds events for up to 0.3 s to
coalesce bursts; that is included.
"""

import argparse
import datetime
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import websockets  # noqa: E402

from tests.dashboard.live_site import LiveSite  # noqa: E402


async def run(site, clients, rounds):
    url = site.url().replace("http", "ws") + "/ws/dashboard/"
    sockets = []
    for i in range(clients):
        ws = await websockets.connect(url, origin=site.url(), open_timeout=30, ping_interval=None)
        assert json.loads(await ws.recv())["type"] == "hello"
        sockets.append(ws)
    latencies = []
    # Log the two staff members in before timing (a password check takes a while).
    await asyncio.to_thread(site.staff, "triage")
    await asyncio.to_thread(site.staff, "reply")
    for round_no in range(rounds):
        action, args = ("triage", {"unit": "DPU-JALAN"}) if round_no == 0 else ("reply", {"body": "Sedang dicek."})
        started = [time.perf_counter()]
        arrived = []

        async def wait(ws):
            message = json.loads(await asyncio.wait_for(ws.recv(), 30))
            assert message["type"] == "events"
            # From the transition's own timestamp (server clock, same machine) to arrival.
            at = datetime.datetime.fromisoformat(message["events"][0]["at"]).timestamp()
            arrived.append((time.perf_counter() - started[0], time.time() - at))

        def clock_starts():
            started[0] = time.perf_counter()

        waiting = [asyncio.create_task(wait(ws)) for ws in sockets]
        # The staff page is read first; the clock starts when the action form is posted.
        await asyncio.to_thread(site.transition, action, 0, clock_starts, **args)
        await asyncio.gather(*waiting)
        latencies.extend(arrived)
        await asyncio.sleep(0.5)
    for ws in sockets:
        await ws.close()
    return latencies


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = LiveSite(Path(tmp), servers=1)
        try:
            latencies = asyncio.run(run(site, args.clients, args.rounds))
        finally:
            site.close()
    for label, index in (("from the HTTP request that makes the transition", 0),
                         ("from the transition's timestamp (inside the server)", 1)):
        ms = sorted(x[index] * 1000 for x in latencies)
        p95 = ms[int(round(0.95 * len(ms))) - 1]
        print(f"{args.clients} clients x {args.rounds} broadcasts, {label}: p50 {statistics.median(ms):.0f} ms, "
              f"p95 {p95:.0f} ms, max {ms[-1]:.0f} ms (includes the 300 ms coalescing window)")


if __name__ == "__main__":
    main()
