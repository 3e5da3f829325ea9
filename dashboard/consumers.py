"""WebSocket consumer of the live dashboard (/ws/dashboard/?unit=CODE).

Events from the group are buffered and flushed together every FLUSH_SECONDS, so a burst
of transitions reaches each browser as a few messages per second at most.
"""

import asyncio
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from routing.models import Unit

from .live import GROUP_ALL, unit_group

FLUSH_SECONDS = 0.3


class DashboardConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        query = parse_qs(self.scope.get("query_string", b"").decode())
        code = (query.get("unit") or [""])[0]
        self.group = GROUP_ALL
        if code:
            unit_id = await database_sync_to_async(
                lambda: Unit.objects.filter(code=code).values_list("pk", flat=True).first())()
            if unit_id is None:
                await self.close(code=4404)
                return
            self.group = unit_group(unit_id)
        self.buffer, self.flusher = [], None
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_json({"type": "hello", "group": self.group})

    async def disconnect(self, code):
        if getattr(self, "flusher", None):
            self.flusher.cancel()
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        if content.get("type") == "ping":
            await self.send_json({"type": "pong"})

    async def dashboard_event(self, message):
        self.buffer.append(message["event"])
        if self.flusher is None or self.flusher.done():
            self.flusher = asyncio.ensure_future(self._flush_later())

    async def _flush_later(self):
        await asyncio.sleep(FLUSH_SECONDS)
        events, self.buffer = self.buffer, []
        if events:
            await self.send_json({"type": "events", "events": events})
