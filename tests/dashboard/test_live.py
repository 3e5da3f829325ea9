"""The consumer hears committed transitions, never rolled-back ones, and events carry no
personal data."""

import concurrent.futures
import functools
import json

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.db import connections, transaction

from complaints.lifecycle.engine import perform
from config.websocket_urls import websocket_urlpatterns

from ..conftest import as_staff, submit

pytestmark = pytest.mark.django_db(transaction=True)
application = URLRouter(websocket_urlpatterns)


def sync(test):
    """Run an async test body in an event loop (no pytest-asyncio needed), in a thread of
    its own: Playwright's sync API may already run a loop in the main thread. Data is
    committed (transaction=True), so that thread's database connection sees it."""
    @functools.wraps(test)
    def wrapper(*args, **kwargs):
        def run():
            try:
                return async_to_sync(test)(*args, **kwargs)
            finally:
                connections.close_all()

        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            return pool.submit(run).result()
    return wrapper


async def connect(path="/ws/dashboard/"):
    communicator = WebsocketCommunicator(application, path)
    connected, _ = await communicator.connect()
    assert connected
    hello = await communicator.receive_json_from(timeout=5)
    assert hello["type"] == "hello"
    return communicator


async def next_events(communicator):
    message = await communicator.receive_json_from(timeout=5)
    assert message["type"] == "events"
    return message["events"]


@sync
async def test_consumer_receives_an_event_after_a_committed_transition(city, people):
    filed = await sync_to_async(submit)(city)
    communicator = await connect()
    await sync_to_async(perform)(filed.complaint, "triage", as_staff(people["triage"]), unit=city["roads"])
    events = await next_events(communicator)
    assert [(e["action"], e["state"], e["unit"]["code"], e["category"]["code"]) for e in events] == [
        ("triage", "triaged", "DPU-JALAN", "JALAN-RUSAK")]
    await communicator.disconnect()


@sync
async def test_consumer_receives_nothing_after_a_rolled_back_transition(city, people):
    filed = await sync_to_async(submit)(city)
    communicator = await connect()

    def triage_then_fail():
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                perform(filed.complaint, "triage", as_staff(people["triage"]), unit=city["roads"])
                raise RuntimeError("the request failed after the transition")

    await sync_to_async(triage_then_fail)()
    assert await communicator.receive_nothing(timeout=1)
    # The next committed change is the first thing the browser hears.
    await sync_to_async(perform)(filed.complaint, "request_info", as_staff(people["triage"]),
                                 message="Di mana tepatnya?")
    events = await next_events(communicator)
    assert [e["action"] for e in events] == ["request_info"]
    await communicator.disconnect()


@sync
async def test_unit_group_hears_its_own_and_sub_units_complaints_only(city, people):
    roads_filed = await sync_to_async(submit)(city)
    clinic_filed = await sync_to_async(submit)(city, "clinic_cat")
    works = await connect("/ws/dashboard/?unit=DPU")
    await sync_to_async(perform)(clinic_filed.complaint, "triage", as_staff(people["triage"]), unit=city["health"])
    await sync_to_async(perform)(roads_filed.complaint, "triage", as_staff(people["triage"]), unit=city["roads"])
    events = await next_events(works)
    assert [e["unit"]["code"] for e in events] == ["DPU-JALAN"]
    await works.disconnect()


@sync
async def test_unknown_unit_is_refused():
    communicator = WebsocketCommunicator(application, "/ws/dashboard/?unit=NOPE")
    connected, _ = await communicator.connect()
    assert not connected


@sync
async def test_a_burst_is_coalesced_into_few_messages(city, people):
    filed = [await sync_to_async(submit)(city) for _ in range(5)]
    communicator = await connect()

    def burst():
        for f in filed:
            perform(f.complaint, "triage", as_staff(people["triage"]), unit=city["roads"])

    await sync_to_async(burst)()
    received, messages = [], 0
    while len(received) < 5:
        received += await next_events(communicator)
        messages += 1
    assert len(received) == 5
    assert messages < 5
    await communicator.disconnect()


PERSONAL = ("Rahmat Hidayat Suryadi", "rahmat.rahasia@example.org", "0813-9999-1234",
            "Kepala seksi meminta uang pelicin tiga juta rupiah")


@sync
async def test_events_and_exports_carry_no_personal_data(city, people, client):
    def history():
        private = submit(city, "clinic_cat", reporter_name=PERSONAL[0], reporter_email=PERSONAL[1],
                         reporter_phone=PERSONAL[2], description=PERSONAL[3] + " di loket.",
                         title=PERSONAL[3][:40], visibility="private").complaint
        sensitive = submit(city, "bribe_cat", reporter_name=PERSONAL[0], reporter_email=PERSONAL[1],
                           reporter_phone=PERSONAL[2], description=PERSONAL[3] + " di kantor.",
                           title="Pungli", identity_mode="confidential").complaint
        t, officer = as_staff(people["triage"]), as_staff(people["officer_health"])
        c = perform(private, "triage", t, unit=city["health"])
        c = perform(c, "start", officer)
        c = perform(c, "reply", officer, body="Bapak " + PERSONAL[0] + ", kami cek.")
        c = perform(c, "resolve", officer, outcome="fixed", summary=PERSONAL[3] + " sudah ditindak.")
        # (a sensitive complaint is routed to oversight automatically when filed)
        return [private.tracking_code, sensitive.tracking_code]

    communicator = await connect()
    codes = await sync_to_async(history)()
    events = []
    while len(events) < 5:  # the private complaint's five; the sensitive one is never sent alone
        events += await next_events(communicator)
    assert await communicator.receive_nothing(timeout=1)
    await communicator.disconnect()

    def exports():
        bodies = []
        for url in ("/dashboard/export/complaints.csv", "/dashboard/export/summary.csv?period=365d",
                    "/dashboard/api/summary.json?period=365d", "/dashboard/", "/dashboard/units/DINKES/"):
            response = client.get(url)
            assert response.status_code == 200
            bodies.append(b"".join(response.streaming_content) if response.streaming else response.content)
        return [b.decode() for b in bodies]

    texts = [json.dumps(events, ensure_ascii=False)] + await sync_to_async(exports)()
    for text in texts:
        for secret in PERSONAL + tuple(codes):
            assert secret not in text
