"""/healthz the way a load balancer meets it: real daphne processes on the Redis channel
layer, with live-dashboard viewers connected (they must not make the check fail), and with
Redis unreachable (the check must fail)."""

import asyncio
import concurrent.futures
import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
import uuid

import pytest

from tests.dashboard.live_site import ROOT, LiveSite, free_port

pytestmark = pytest.mark.skipif(not os.environ.get("REDIS_URL"),
                                reason="needs Redis: set REDIS_URL (CI's PostgreSQL+Redis stage runs it)")


@pytest.fixture
def site(tmp_path):
    site = LiveSite(tmp_path, extra_env={"REDIS_PREFIX": f"aduan-test-{uuid.uuid4().hex[:8]}"})
    yield site
    site.close()


def healthz(base):
    try:
        with urllib.request.urlopen(base + "/healthz", timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def in_thread(coroutine):
    # Its own thread and loop: Playwright's sync API may already run a loop in this one.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def test_healthz_stays_200_while_ten_dashboard_viewers_are_connected(site):
    import websockets

    async def scenario():
        ws_url = site.url().replace("http", "ws") + "/ws/dashboard/"
        viewers = [await websockets.connect(ws_url, origin=site.url()) for _ in range(10)]
        try:
            for viewer in viewers:
                assert json.loads(await asyncio.wait_for(viewer.recv(), 10))["type"] == "hello"
            answers = [await asyncio.to_thread(healthz, site.url()) for _ in range(15)]
            # The viewers are still served: a transition reaches every one of them.
            await asyncio.to_thread(site.transition, "triage", unit="DPU-JALAN")
            heard = [json.loads(await asyncio.wait_for(v.recv(), 10))["type"] for v in viewers]
        finally:
            for viewer in viewers:
                await viewer.close()
        return answers, heard

    answers, heard = in_thread(scenario())
    assert answers == [(200, {"status": "ok", "checks": {"database": "ok", "channel_layer": "ok"}})] * 15
    assert heard == ["events"] * 10


def test_idle_dashboard_viewers_stay_connected_past_the_layers_blocking_receive(site):
    # channels_redis waits for messages with a blocking pop of 5 s; redis-py 8 reads with a
    # 5 s socket timeout by default, so idle viewers were closed ("Timeout reading from
    # Redis", 1013) and a handshake could hang behind the failed receive.
    import websockets

    async def scenario():
        ws_url = site.url().replace("http", "ws") + "/ws/dashboard/"
        viewers = [await websockets.connect(ws_url, origin=site.url()) for _ in range(3)]
        try:
            for viewer in viewers:
                assert json.loads(await asyncio.wait_for(viewer.recv(), 10))["type"] == "hello"
            await asyncio.sleep(12)  # two blocking receives and more, nothing sent
            late = await asyncio.wait_for(websockets.connect(ws_url, origin=site.url()), 10)
            viewers.append(late)
            assert json.loads(await asyncio.wait_for(late.recv(), 10))["type"] == "hello"
            answers = []
            for viewer in viewers:
                await viewer.send(json.dumps({"type": "ping"}))
                answers.append(json.loads(await asyncio.wait_for(viewer.recv(), 10))["type"])
        finally:
            for viewer in viewers:
                await viewer.close()
        return answers

    assert in_thread(scenario()) == ["pong"] * 4
    assert "Timeout reading" not in site.log_text()


def test_healthz_answers_503_when_redis_is_unreachable(site, tmp_path):
    # A second daphne on the same database whose Redis is a closed port.
    with socket_closed_port() as dead:
        port = free_port()
        env = dict(site.env, REDIS_URL=f"redis://127.0.0.1:{dead}/0")
        with open(tmp_path / "daphne-dead-redis.log", "wb") as log:
            process = subprocess.Popen([sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
                                        "config.asgi:application"], cwd=ROOT, env=env, stdout=log,
                                       stderr=subprocess.STDOUT)
        try:
            site._wait(port)
            status, body = healthz(f"http://127.0.0.1:{port}")
        finally:
            process.terminate()
            process.wait(timeout=10)
    assert status == 503
    assert body == {"status": "error", "checks": {"database": "ok", "channel_layer": "error"}}


class socket_closed_port:
    """A TCP port on which nothing listens (bound, never listening: connections are refused)."""

    def __enter__(self):
        import socket

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        return self.sock.getsockname()[1]

    def __exit__(self, *exc):
        self.sock.close()
