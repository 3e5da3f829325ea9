"""Sign-in throttling: failed attempts are counted per (account, client IP) and per client
IP, on the database so that every process sees them and an administrator can lift a block.

Each key is blocked after its limit, for a back-off that doubles with every further failure
(SIGNIN_BACKOFF_SECONDS, 2x, 4x, ... up to SIGNIN_BACKOFF_MAX_SECONDS). There is no
per-account key: a stranger hammering the privacy officer's name from their own addresses
blocks only those addresses, never the officer's own.
"""

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from .models import SignInThrottle

Scope = SignInThrottle.Scope


def normalise(username):
    return (username or "").strip().lower()[:150]


def _keys(username, ip):
    """(scope, username, ip, limit) of every counter one attempt touches."""
    ip = ip or ""
    return [
        (Scope.ACCOUNT_IP, normalise(username), ip, settings.SIGNIN_FAILURES_PER_ACCOUNT_IP),
        (Scope.IP, "", ip, settings.SIGNIN_FAILURES_PER_IP),
    ]


def wait_seconds(username, ip, now=None):
    """0 when this account may be tried from this address now, else the seconds to wait."""
    now = now or timezone.now()
    query = Q()
    for scope, name, address, _limit in _keys(username, ip):
        query |= Q(scope=scope, username=name, ip=address)
    until = (SignInThrottle.objects.filter(query, blocked_until__gt=now)
             .order_by("-blocked_until").values_list("blocked_until", flat=True).first())
    if until is None:
        return 0
    return max(1, int((until - now).total_seconds() + 0.999))


def backoff(failures, limit):
    """Seconds blocked after the `failures`-th failure (none below the limit)."""
    if failures < limit:
        return 0
    seconds = settings.SIGNIN_BACKOFF_SECONDS * 2 ** min(failures - limit, 30)
    return min(seconds, settings.SIGNIN_BACKOFF_MAX_SECONDS)


def record_failure(username, ip, now=None):
    """Count one failed attempt on every key; returns the longest block it started (seconds)."""
    now = now or timezone.now()
    forget_before = now - dt.timedelta(seconds=settings.SIGNIN_FAILURE_MEMORY_SECONDS)
    longest = 0
    for scope, name, address, limit in _keys(username, ip):
        with transaction.atomic():
            row = _locked_row(scope, name, address)
            if row.last_failure_at is None or row.last_failure_at < forget_before:
                row.failures = 0  # an old streak is forgiven
            row.failures += 1
            row.last_failure_at = now
            seconds = backoff(row.failures, limit)
            if seconds:
                row.blocked_until = now + dt.timedelta(seconds=seconds)
                longest = max(longest, seconds)
            row.save()
    return longest


def record_success(username, ip):
    """A correct password from this address clears the pair's count (not the address's:
    an attacker signing in to their own account must not reset the count of their guesses)."""
    SignInThrottle.objects.filter(scope=Scope.ACCOUNT_IP, username=normalise(username), ip=ip or "").delete()


def _locked_row(scope, username, ip):
    query = SignInThrottle.objects.select_for_update()
    row = query.filter(scope=scope, username=username, ip=ip).first()
    if row is None:
        try:
            with transaction.atomic():
                row = SignInThrottle.objects.create(scope=scope, username=username, ip=ip)
        except IntegrityError:  # created by a concurrent attempt
            row = query.get(scope=scope, username=username, ip=ip)
    return row
