"""Rate limits on the shared cache (Redis in production, so they hold across processes),
and the client's IP address as far as we can trust it.

The shared cache is bookkeeping, never a dependency: when it fails (Redis down), limits and
remembered values fail open with one log line per failure, so filing and reading go on."""

import ipaddress
import logging
import math
import time

from django.conf import settings
from django.core.cache import cache

log = logging.getLogger(__name__)


def on_shared_cache(operation, fallback, what):
    """operation() on the shared cache; when the cache fails, log one line (no traceback,
    no keys: they hold client addresses) and return `fallback`."""
    try:
        return operation()
    except Exception as exc:  # each cache backend raises its own errors (redis: ConnectionError, ...)
        log.warning("shared cache unavailable, %s goes on without it: %s: %s", what, type(exc).__name__, exc)
        return fallback


def remembered(key, value, timeout):
    """The value first stored under `key` (storing `value` if there is none yet); `value`
    itself while the shared cache is unavailable."""
    def first_value():
        cache.add(key, value, timeout=timeout)
        return cache.get(key, value)

    return on_shared_cache(first_value, value, f"remembered value ({key.split(':', 1)[0]})")


def client_ip(request):
    """The client's address. X-Forwarded-For is believed only when the request comes
    from a proxy listed in TRUSTED_PROXIES; then the right-most untrusted hop is used."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    trusted = set(getattr(settings, "TRUSTED_PROXIES", []) or [])
    if remote not in trusted:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            break
        if hop not in trusted:
            return hop
    return remote


class Limit:
    """At most `count` hits per `seconds` per key (a fixed window on the cache)."""

    def __init__(self, scope, count, seconds):
        self.scope, self.count, self.seconds = scope, int(count), int(seconds)

    def wait(self, key, now=None):
        """Like `hit` but counts nothing, for limits that count only what then succeeds
        (hit it afterwards): 0 when allowed, else the seconds to wait."""
        if self.count <= 0:
            return 0
        now = now or time.time()
        window = int(now // self.seconds)
        used = on_shared_cache(lambda: cache.get(f"rl:{self.scope}:{key}:{window}"), 0, f"rate limit {self.scope}")
        if (used or 0) < self.count:
            return 0
        return max(1, math.ceil((window + 1) * self.seconds - now))

    def hit(self, key, now=None):
        """Count one hit. Returns 0 when allowed, else the seconds to wait."""
        if self.count <= 0:
            return 0
        now = now or time.time()
        window = int(now // self.seconds)
        cache_key = f"rl:{self.scope}:{key}:{window}"
        used = on_shared_cache(lambda: self._count(cache_key), 0, f"rate limit {self.scope}")
        if used <= self.count:
            return 0
        return max(1, math.ceil((window + 1) * self.seconds - now))

    def _count(self, cache_key):
        # add() is atomic on every backend: it creates the counter only if missing.
        cache.add(cache_key, 0, timeout=self.seconds + 5)
        try:
            return cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.set(cache_key, 1, timeout=self.seconds + 5)
            return 1
