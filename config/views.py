import asyncio
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

log = logging.getLogger(__name__)


async def _ping_layer(layer):
    # A round trip through the layer proves it answers (Redis reachable in production).
    name = await layer.new_channel("healthz.")
    await layer.send(name, {"type": "healthz.ping"})
    await asyncio.wait_for(layer.receive(name), timeout=2)


@never_cache
def healthz(request):
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception:  # any failure means "not healthy"; details go to the log only
        log.exception("healthz: database check failed")
        checks["database"] = "error"
    try:
        layer = get_channel_layer()
        if layer is None:
            raise RuntimeError("no channel layer configured")
        async_to_sync(_ping_layer)(layer)
        checks["channel_layer"] = "ok"
    except Exception:
        log.exception("healthz: channel layer check failed")
        checks["channel_layer"] = "error"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )
