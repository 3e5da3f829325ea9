"""Hostile input on the live-dashboard socket: bad frames are answered and never end the
connection; a malformed or unknown unit is refused with its own close code before the
database is asked."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from complaints.lifecycle.engine import perform

from ..conftest import as_staff, submit
from .test_live import application, connect, next_events, sync

pytestmark = pytest.mark.django_db(transaction=True)


@sync
async def test_bad_frames_are_answered_and_the_connection_keeps_working(city, people):
    filed = await sync_to_async(submit)(city)
    communicator = await connect()
    for frame in ("not json", "[1, 2]", '"ping"', "{}", '{"type": "subscribe", "unit": "DPU"}', "{\x00}"):
        await communicator.send_to(text_data=frame)
        answer = await communicator.receive_json_from(timeout=5)
        assert answer["type"] == "error", frame
    await communicator.send_to(bytes_data=b"\xff\x00binary")
    assert (await communicator.receive_json_from(timeout=5))["type"] == "error"
    # Still alive: the heartbeat is answered and events still arrive.
    await communicator.send_json_to({"type": "ping"})
    assert await communicator.receive_json_from(timeout=5) == {"type": "pong"}
    await sync_to_async(perform)(filed.complaint, "triage", as_staff(people["triage"]), unit=city["roads"])
    assert [e["action"] for e in await next_events(communicator)] == ["triage"]
    await communicator.disconnect()


@pytest.mark.parametrize("query, code", [
    ("unit=%00", 4400), ("unit=DPU%00", 4400), ("unit=%FF%FE", 4400), ("unit=" + "A" * 41, 4400),
    ("unit=a%20b", 4400), ("unit=NOPE", 4404),
])
def test_a_malformed_or_unknown_unit_is_refused_with_its_close_code(query, code, city):
    @sync
    async def handshake():
        communicator = WebsocketCommunicator(application, "/ws/dashboard/?" + query)
        return await communicator.connect(timeout=5)

    connected, close_code = handshake()
    assert (connected, close_code) == (False, code)


@pytest.mark.postgres
def test_a_nul_unit_is_refused_on_postgresql(city):
    # PostgreSQL refuses text with NUL outright (DataError): the code never reaches it.
    @sync
    async def handshake():
        communicator = WebsocketCommunicator(application, "/ws/dashboard/?unit=%00")
        return await communicator.connect(timeout=5)

    assert handshake() == (False, 4400)


@sync
async def test_a_known_unit_with_a_valid_code_is_still_accepted(city):
    communicator = await connect("/ws/dashboard/?unit=DPU-JALAN")
    await communicator.disconnect()
