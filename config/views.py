import asyncio
import logging

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

log = logging.getLogger(__name__)

LAYER_TIMEOUT_SECONDS = 2


def _ping_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


async def _ping_layer(layer):
    """The channel layer answers. A Redis layer: PING every configured host over the layer's
    own connections. (A message round trip through a process-local channel would compete
    with the dashboard consumers' receive loop on the same layer and time out exactly when
    viewers are connected.) Other layers (in-memory): a round trip through a new channel."""
    if hasattr(layer, "connection") and getattr(layer, "ring_size", 0):
        for index in range(layer.ring_size):
            await asyncio.wait_for(layer.connection(index).ping(), timeout=LAYER_TIMEOUT_SECONDS)
        return
    name = await layer.new_channel("healthz.")
    await layer.send(name, {"type": "healthz.ping"})
    await asyncio.wait_for(layer.receive(name), timeout=LAYER_TIMEOUT_SECONDS)


@never_cache
async def healthz(request):
    checks = {}
    try:
        await sync_to_async(_ping_database)()
        checks["database"] = "ok"
    except Exception:  # any failure means "not healthy"; details go to the log only
        log.exception("healthz: database check failed")
        checks["database"] = "error"
    try:
        layer = get_channel_layer()
        if layer is None:
            raise RuntimeError("no channel layer configured")
        await _ping_layer(layer)
        checks["channel_layer"] = "ok"
    except Exception:
        log.exception("healthz: channel layer check failed")
        checks["channel_layer"] = "error"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )
