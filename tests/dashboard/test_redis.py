"""Across processes on Redis: a browser connected to one daphne hears a transition
handled by another daphne."""

import asyncio
import concurrent.futures
import json
import os
import uuid

import pytest

from .live_site import LiveSite

pytestmark = pytest.mark.skipif(not os.environ.get("REDIS_URL"),
                                reason="needs Redis: set REDIS_URL (CI does)")


@pytest.fixture
def two_servers(tmp_path):
    site = LiveSite(tmp_path, servers=2, extra_env={"REDIS_PREFIX": f"aduan-test-{uuid.uuid4().hex[:8]}"})
    yield site
    site.close()


def test_transition_on_one_daphne_reaches_a_client_of_the_other(two_servers):
    import websockets

    async def scenario():
        ws_url = two_servers.url(0).replace("http", "ws") + "/ws/dashboard/"
        async with websockets.connect(ws_url, origin=two_servers.url(0)) as ws:
            hello = json.loads(await asyncio.wait_for(ws.recv(), 10))
            assert hello["type"] == "hello"
            # The transition runs inside the *second* daphne process.
            result = await asyncio.to_thread(two_servers.transition, "triage", 1, unit="DPU-JALAN")
            assert result == {"state": "triaged"}
            message = json.loads(await asyncio.wait_for(ws.recv(), 10))
            return message

    # In its own thread: Playwright's sync API may already run an event loop in this one.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        message = pool.submit(asyncio.run, scenario()).result()
    assert message["type"] == "events"
    assert [(e["action"], e["unit"]["code"]) for e in message["events"]] == [("triage", "DPU-JALAN")]
