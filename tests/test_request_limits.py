"""Oversized request bodies are refused with 413 before the application reads them, at the
ASGI entry point that daphne serves (config.asgi), and daphne no longer parses form bodies
in memory itself. Memory figures: bench/upload_memory.py."""

import asyncio
import http.client
import uuid

import pytest
from asgiref.sync import async_to_sync
from django.conf import settings

from complaints.models import Complaint

pytestmark = pytest.mark.django_db(transaction=True)


def scope(path, headers=(), method="POST"):
    return {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
            "scheme": "http", "path": path, "raw_path": path.encode(), "root_path": "", "query_string": b"",
            "headers": [(b"host", b"testserver"), *headers], "client": ("127.0.0.1", 5000),
            "server": ("testserver", 80)}


def call(path, body_chunks, headers=(), pause_after_body=True):
    """Run config.asgi's HTTP application on one request. Returns (sent messages, how many
    body messages the application asked for)."""
    from config.asgi import application

    chunks = iter(body_chunks)
    asked = 0
    sent = []

    async def receive():
        nonlocal asked
        try:
            chunk, more = next(chunks)
        except StopIteration:
            await asyncio.Event().wait()  # the client stays connected
        asked += 1
        return {"type": "http.request", "body": chunk, "more_body": more}

    async def send(message):
        sent.append(message)

    async def run():
        await asyncio.wait_for(application(scope(path, headers), receive, send), timeout=60)

    async_to_sync(run)()
    return sent, asked


def status_of(sent):
    starts = [m for m in sent if m["type"] == "http.response.start"]
    assert len(starts) == 1, sent
    return starts[0]["status"]


def body_of(sent):
    return b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body").decode()


def test_a_declared_length_above_the_upload_limit_is_refused_before_any_byte_is_read(city):
    declared = settings.UPLOAD_BODY_MAX_BYTES + 1
    sent, asked = call("/report/", [(b"x", False)], [(b"content-length", str(declared).encode()),
                                                      (b"content-type", b"multipart/form-data; boundary=b")])
    assert status_of(sent) == 413
    assert asked == 0  # the application never read the body
    assert "too large" in body_of(sent)
    assert Complaint.objects.count() == 0


def test_a_chunked_body_is_cut_off_where_it_passes_the_limit(city):
    piece = b"x" * 65536
    endless = ((piece, True) for _ in range(10**6))  # 64 GB if anyone read it all
    sent, asked = call("/report/", endless, [(b"content-type", b"multipart/form-data; boundary=b")])
    assert status_of(sent) == 413
    assert asked == settings.UPLOAD_BODY_MAX_BYTES // len(piece) + 1  # not one piece more
    assert Complaint.objects.count() == 0


def test_urls_without_attachments_have_the_smaller_limit(db):
    two_mb = str(2 * 1024 * 1024).encode()
    for path in ("/track/", "/staff/triage/route/", "/accounts/login/", "/open311/v2/requests.json", "/nope/"):
        sent, asked = call(path, [(b"x", False)], [(b"content-length", two_mb)])
        assert (status_of(sent), asked) == (413, 0), path
    # The same body is within the limit of the report form (refused there for other reasons).
    sent, asked = call("/report/", [(b"x" * (2 * 1024 * 1024), False)],
                       [(b"content-length", two_mb), (b"content-type", b"application/x-www-form-urlencoded")])
    assert status_of(sent) != 413 and asked == 1


def test_the_refusal_is_json_for_the_data_api_and_speaks_the_request_language(db):
    big = str(settings.REQUEST_BODY_MAX_BYTES + 1).encode()
    sent, _asked = call("/dashboard/api/summary.json", [(b"x", False)], [(b"content-length", big)])
    assert status_of(sent) == 413 and '"error"' in body_of(sent)
    sent, _asked = call("/track/", [(b"x", False)], [(b"content-length", big), (b"accept-language", b"id")])
    assert status_of(sent) == 413
    assert 'lang="id"' in body_of(sent) and "too large" not in body_of(sent)


def test_bodies_within_the_limit_reach_django(db):
    form = b"code=ADU-0000-0000&token=nope"
    sent, asked = call("/track/", [(form, False)], [(b"content-length", str(len(form)).encode()),
                                                    (b"content-type", b"application/x-www-form-urlencoded")])
    assert status_of(sent) == 403  # CSRF: Django read and judged the form
    assert asked == 1


def test_daphne_leaves_multipart_parsing_to_django(monkeypatch):
    """Twisted parses multipart bodies into memory for daphne unless told not to (1.6 GB at
    peak for a 100 MB upload); config.asgi tells it not to."""
    import config.asgi  # noqa: F401  (installs the request class daphne uses)
    from daphne import http_protocol
    from twisted.web import http

    parsed = []
    monkeypatch.setattr(http, "_getMultiPartArgs", lambda content, ctype: parsed.append(len(content)) or {})
    processed = []
    monkeypatch.setattr(http_protocol.WebRequest, "process", lambda self: processed.append(True))

    from twisted.web.test.requesthelper import DummyChannel

    class Server:
        def protocol_connected(self, protocol):
            pass

    channel = DummyChannel()
    channel.factory = type("Factory", (), {"server": Server()})()
    request = http_protocol.WebRequest(channel)
    body = b"--b\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nv\r\n--b--\r\n"
    request.requestHeaders.setRawHeaders(b"content-type", [b"multipart/form-data; boundary=b"])
    request.gotLength(len(body))
    request.handleContentChunk(body)
    request.requestReceived(b"POST", b"/report/", b"HTTP/1.1")
    assert processed == [True] and parsed == []


def test_a_real_daphne_refuses_an_oversized_upload(tmp_path):
    from tests.dashboard.live_site import LiveSite

    site = LiveSite(tmp_path)
    try:
        size = settings.UPLOAD_BODY_MAX_BYTES + 1024
        conn = http.client.HTTPConnection("127.0.0.1", site.ports[0], timeout=120)
        conn.putrequest("POST", "/report/")
        conn.putheader("Content-Type", f"multipart/form-data; boundary={uuid.uuid4().hex}")
        conn.putheader("Content-Length", str(size))
        conn.putheader("Accept-Language", "en")
        conn.endheaders()
        piece = b"\0" * 2**20
        try:
            for offset in range(0, size, len(piece)):
                conn.send(piece[: size - offset])
        except (BrokenPipeError, ConnectionResetError):
            pass
        response = conn.getresponse()
        assert response.status == 413
        assert b"too large" in response.read()
    finally:
        site.close()
