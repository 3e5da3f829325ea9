"""A Redis outage: the shared cache (rate limits, Open311's changeset) and the channel layer
point at a port where nothing listens. Filing and the Open311 API keep working (limits fail
open with one log line per failure), and a live-dashboard handshake is closed cleanly with
"try again later", never a 500. No real Redis needed."""

import logging
import socket

import pytest
from asgiref.sync import async_to_sync
from channels.layers import channel_layers
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from complaints.models import Complaint
from config.settings import redis_cache
from config.websocket_urls import websocket_urlpatterns

from .citizen.conftest import form_data

OPEN311 = "/open311/v2/"


@pytest.fixture
def dead_port():
    # Bound but never listening: every connection is refused at once.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


@pytest.fixture
def redis_down(settings, dead_port, tmp_path):
    url = f"redis://127.0.0.1:{dead_port}/0"
    # The production cache configuration (config.settings), pointed at the dead port.
    settings.CACHES = {"default": redis_cache(url, "aduan-outage")}
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer",
                                           "CONFIG": {"hosts": [url]}}}
    settings.CITIZEN_REPORTS_PER_WINDOW = 5
    settings.OPEN311_RATE_LIMIT_IP = 120
    settings.OPEN311_RATE_LIMIT_KEY = 30
    settings.MEDIA_ROOT = tmp_path / "media"
    channel_layers.backends.clear()
    yield url
    channel_layers.backends.clear()


def outage_lines(caplog):
    return [r for r in caplog.records if r.name == "complaints.ratelimit" and r.levelno == logging.WARNING]


def test_filing_through_the_form_works_while_redis_is_down(client, city, redis_down, caplog):
    caplog.set_level(logging.WARNING, logger="complaints.ratelimit")
    response = client.post("/report/", form_data(city))
    assert response.status_code == 302
    assert response["Location"].startswith("/report/done/")
    assert Complaint.objects.count() == 1
    assert client.get(response["Location"]).status_code == 200
    # One line per failed limiter call (the check before creating, the count after), no traceback.
    lines = outage_lines(caplog)
    assert len(lines) == 2
    assert all("citizen-report" in line.getMessage() and line.exc_info is None for line in lines)


@pytest.mark.parametrize("path", ["discovery.json", "services.json", "services.xml", "requests.json",
                                  "requests.xml", "services/JALAN-RUSAK.json"])
def test_open311_reads_answer_200_while_redis_is_down(client, city, redis_down, path):
    assert client.get(OPEN311 + path).status_code == 200


def test_open311_filing_works_while_redis_is_down(client, city, redis_down, caplog):
    from complaints.models import ApiKey

    caplog.set_level(logging.WARNING, logger="complaints.ratelimit")
    _key, raw = ApiKey.issue("outage-app")
    response = client.post(OPEN311 + "requests.json", {
        "api_key": raw, "service_code": "PUSKESMAS",
        "description": "Antrean di puskesmas sangat panjang dan petugas tidak ada sejak pagi."})
    assert response.status_code == 201
    assert response.json()[0]["service_request_id"] == Complaint.objects.get().tracking_code
    assert len(outage_lines(caplog)) == 2  # the per-IP and the per-key limit, one line each


def test_the_limiter_fails_open_with_a_log_line_not_an_exception(redis_down, caplog):
    from complaints.ratelimit import Limit

    caplog.set_level(logging.WARNING, logger="complaints.ratelimit")
    limit = Limit("probe", 1, 60)
    assert [limit.hit("10.0.0.1") for _ in range(3)] == [0, 0, 0]
    assert len(outage_lines(caplog)) == 3


def test_dashboard_handshake_is_closed_with_try_again_later_while_redis_is_down(db, redis_down):
    async def handshake():
        communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), "/ws/dashboard/")
        connected, _subprotocol = await communicator.connect(timeout=10)
        closed = await communicator.receive_output(timeout=10)
        await communicator.wait()
        return connected, closed

    connected, closed = async_to_sync(handshake)()
    # Accepted, then closed at once with 1013 "try again later": the page's back-off retries.
    assert connected is True
    assert closed == {"type": "websocket.close", "code": 1013}
