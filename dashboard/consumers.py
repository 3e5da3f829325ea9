"""WebSocket consumer of the live dashboard (/ws/dashboard/?unit=CODE).

Events from the group are buffered and flushed together every FLUSH_SECONDS, so a burst
of transitions reaches each browser as a few messages per second at most.

The socket is read-only for the browser: it may send {"type": "ping"} (answered "pong", the
page's heartbeat); anything else is answered with an error message and otherwise ignored, so
a bad frame never ends the connection. Close codes: 4400 malformed unit code and 4404
unknown unit (both refuse the handshake), 1013 "try again later" when the channel layer
(Redis) is unavailable.
"""

import asyncio
import json
import logging
import re
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from routing.models import Unit

from .live import GROUP_ALL, unit_group

log = logging.getLogger(__name__)

FLUSH_SECONDS = 0.3
# Unit.code is a slug of at most 40 characters; anything else never reaches the database
# (PostgreSQL refuses text with NUL, for one).
UNIT_CODE = re.compile(r"[-a-zA-Z0-9_]{1,40}")
CLOSE_BAD_UNIT, CLOSE_UNKNOWN_UNIT, CLOSE_TRY_AGAIN_LATER = 4400, 4404, 1013


class DashboardConsumer(AsyncJsonWebsocketConsumer):
    accepted = False

    async def __call__(self, scope, receive, send):
        try:
            await super().__call__(scope, receive, send)
        except Exception as exc:
            # In practice the channel layer (Redis) failing at the handshake or later: close
            # with "try again later" (the page reconnects with back-off) instead of answering
            # the handshake with a 500 or leaving a dead socket.
            log.warning("dashboard socket closed (try again later): %s: %s", type(exc).__name__, exc)
            try:
                if not self.accepted:
                    await send({"type": "websocket.accept"})
                await send({"type": "websocket.close", "code": CLOSE_TRY_AGAIN_LATER})
            except Exception:  # the client is gone already
                pass

    async def connect(self):
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        code = (query.get("unit") or [""])[0]
        self.group = GROUP_ALL
        if code:
            if not UNIT_CODE.fullmatch(code):
                await self.close(code=CLOSE_BAD_UNIT)
                return
            unit_id = await database_sync_to_async(
                lambda: Unit.objects.filter(code=code).values_list("pk", flat=True).first())()
            if unit_id is None:
                await self.close(code=CLOSE_UNKNOWN_UNIT)
                return
            self.group = unit_group(unit_id)
        self.buffer, self.flusher = [], None
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        self.accepted = True
        await self.send_json({"type": "hello", "group": self.group})

    async def disconnect(self, code):
        if getattr(self, "flusher", None):
            self.flusher.cancel()
        if self.accepted:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        try:
            content = json.loads(text_data) if text_data is not None else None
        except ValueError:
            content = None
        if not isinstance(content, dict):
            await self.send_json({"type": "error", "error": "expected a JSON object"})
            return
        await self.receive_json(content, **kwargs)

    async def receive_json(self, content, **kwargs):
        if content.get("type") == "ping":
            await self.send_json({"type": "pong"})
        else:
            await self.send_json({"type": "error", "error": "unknown message type"})

    async def dashboard_event(self, message):
        self.buffer.append(message["event"])
        if self.flusher is None or self.flusher.done():
            self.flusher = asyncio.ensure_future(self._flush_later())

    async def _flush_later(self):
        await asyncio.sleep(FLUSH_SECONDS)
        events, self.buffer = self.buffer, []
        if events:
            await self.send_json({"type": "events", "events": events})
