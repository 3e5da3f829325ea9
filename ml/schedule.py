"""Scheduled retraining, run from `run_worker` when ROUTER_RETRAIN_HOURS is set.

Several workers may run: a lock on the shared cache (Redis in production) lets one of
them train; the new version is activated only when it beats the active one."""

import datetime as dt
import logging

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from .models import RouterVersion

log = logging.getLogger(__name__)
LOCK = "aduan:router-retrain"


def retrain_if_due(now=None):
    hours = getattr(settings, "ROUTER_RETRAIN_HOURS", 0)
    if not hours:
        return False
    now = now or timezone.now()
    latest = RouterVersion.objects.order_by("-created_at").values_list("created_at", flat=True).first()
    if latest is not None and now - latest < dt.timedelta(hours=hours):
        return False
    if not cache.add(LOCK, "1", timeout=3600):
        return False  # another worker is training
    try:
        call_command("train_router")
        return True
    except Exception:  # too little data or a broken row must not stop the worker
        log.warning("scheduled retraining failed", exc_info=True)
        return False
    finally:
        cache.delete(LOCK)
