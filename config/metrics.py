"""/metrics for Prometheus: django-prometheus's request and database metrics of this
process, plus gauges of the work waiting in the database, read at scrape time (so every
process reports the same, current values; no worker has to be alive to keep them fresh):

- aduan_outbox_backlog: notifications not sent yet (pending or being sent), by status
- aduan_outbox_oldest_unsent_age_seconds: how long the oldest of them has waited
- aduan_sla_sweep_lag_seconds: how long the oldest overdue complaint has waited for the
  escalation the SLA sweep owes it (a sweep running every minute keeps this near 0)

Only addresses in METRICS_ALLOWED_IPS (the client address as complaints.ratelimit.client_ip
sees it, through TRUSTED_PROXIES) may read it; everyone else gets 404.
"""

import ipaddress

from django.conf import settings
from django.db.models import Count, Min
from django.http import Http404
from django.utils import timezone
from django_prometheus.exports import ExportToDjangoView
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import REGISTRY


def allowed(ip):
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return False
    for entry in settings.METRICS_ALLOWED_IPS:
        try:
            if address in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


def metrics(request):
    from complaints.ratelimit import client_ip

    if not allowed(client_ip(request)):
        raise Http404
    return ExportToDjangoView(request)


def sla_sweep_lag_seconds(now):
    """How long the oldest overdue step that the sweep has not escalated yet has been due:
    near zero while the sweep keeps up (it runs every minute). "Overdue" is the lifecycle's
    one rule (complaints.lifecycle.clock)."""
    from complaints.lifecycle.clock import SLA_STEPS
    from complaints.models import Complaint

    waiting = Complaint.objects.filter(escalation_level=0)
    oldest = [waiting.filter(state__in=step.runs_in, **{f"{step.done}__isnull": True, f"{step.due}__lt": now})
              .aggregate(d=Min(step.due))["d"] for step in SLA_STEPS]
    oldest = [due for due in oldest if due is not None]
    return (now - min(oldest)).total_seconds() if oldest else 0.0


class WorkCollector:
    NAMES = ("aduan_outbox_backlog", "aduan_outbox_oldest_unsent_age_seconds", "aduan_outbox_failed",
             "aduan_sla_sweep_lag_seconds")

    def describe(self):
        # Without this, registering would run collect() (database queries) at import time.
        return [GaugeMetricFamily(name, name) for name in self.NAMES]

    def collect(self):
        from complaints.models import Notification

        now = timezone.now()
        unsent = Notification.objects.filter(status__in=[Notification.Status.PENDING, Notification.Status.SENDING])
        backlog = GaugeMetricFamily("aduan_outbox_backlog", "Notifications not sent yet", labels=["status"])
        counts = dict(unsent.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
        for status in (Notification.Status.PENDING, Notification.Status.SENDING):
            backlog.add_metric([status], counts.get(status, 0))
        yield backlog
        oldest = unsent.aggregate(at=Min("created_at"))["at"]
        yield GaugeMetricFamily("aduan_outbox_oldest_unsent_age_seconds",
                                "Age of the oldest notification not sent yet",
                                value=(now - oldest).total_seconds() if oldest else 0.0)
        failed = Notification.objects.filter(status=Notification.Status.FAILED).count()
        yield GaugeMetricFamily("aduan_outbox_failed", "Notifications that gave up", value=failed)
        yield GaugeMetricFamily("aduan_sla_sweep_lag_seconds",
                                "How long the oldest overdue complaint has waited for its escalation",
                                value=sla_sweep_lag_seconds(now))


# Once per process: this module is imported once, by config.urls.
REGISTRY.register(WorkCollector())
