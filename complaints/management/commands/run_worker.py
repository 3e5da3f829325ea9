"""The background worker: sends the notification outbox, runs the SLA sweep, publishes
the transparency root (complaints.transparency) every TRANSPARENCY_INTERVAL_MINUTES and
applies the retention periods once a day (complaints.retention).

Run one or several (`python manage.py run_worker`); they share the work safely.
`--once` does a single pass and exits (for cron and tests).
"""

import logging
import signal
import time

from django.core.management.base import BaseCommand
from django.db import InterfaceError, OperationalError, close_old_connections, connection

from complaints import outbox, retention, sla
from complaints.transparency import anchor as transparency

log = logging.getLogger("complaints.worker")


class Command(BaseCommand):
    help = "Send queued notifications and sweep SLAs (escalate, auto-close, time out)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="One pass, then exit.")
        parser.add_argument("--interval", type=float, default=5.0,
                            help="Seconds between outbox passes (default 5).")
        parser.add_argument("--sweep-interval", type=float, default=60.0,
                            help="Seconds between SLA sweeps (default 60).")

    def handle(self, *args, **options):
        self.stopping = False
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        last_sweep = 0.0
        while not self.stopping:
            close_old_connections()
            try:
                if self.one_pass(options, last_sweep):
                    last_sweep = time.monotonic()
            except (OperationalError, InterfaceError):
                if options["once"]:
                    raise
                # The database restarts or fails over: drop the connection and try again next
                # pass (a message claimed just before keeps its claim until the stale-claim
                # timeout, then it is sent; nothing is lost).
                log.warning("database unavailable; retrying in %s s", options["interval"], exc_info=True)
                connection.close()
            if options["once"]:
                break
            time.sleep(options["interval"])

    def one_pass(self, options, last_sweep):
        """Send what is due, sweep when it is time; True when a sweep ran."""
        sent, failed = outbox.send_pending()
        if sent or failed:
            self.stdout.write(f"outbox: {sent} sent, {failed} failed")
        swept = time.monotonic() - last_sweep >= options["sweep_interval"] or options["once"]
        if swept:
            counts = sla.sweep()
            if any(counts.values()):
                self.stdout.write("sweep: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
        for extra in self.extra_jobs():
            extra()
        return swept

    def extra_jobs(self):
        """Scheduled jobs beside the outbox and the sweep."""
        from django.apps import apps

        from ml.schedule import retrain_if_due

        jobs = [retrain_if_due, self.publish_transparency_root, self.apply_retention]
        if apps.is_installed("systemic"):  # early warning; complaints does not depend on it
            from systemic.worker import run_due

            jobs.append(run_due)
        return jobs

    def publish_transparency_root(self):
        root = transparency.publish_if_due()
        if root is not None:
            self.stdout.write(f"transparency: root #{root.number} over {root.tree_size} complaints")

    def apply_retention(self):
        counts = retention.run_if_due()
        if counts and (counts["erased"] or counts["router_versions_deleted"]):
            self.stdout.write(f"retention: {counts['erased']} complaints erased, "
                              f"{counts['router_versions_deleted']} router versions replaced")
        # Between the daily passes: erasures on request leave the model files too.
        replaced = retention.replace_stale_router_versions()
        if replaced and replaced["router_versions_deleted"]:
            self.stdout.write(f"retention: {replaced['router_versions_deleted']} router versions replaced "
                              "after an erasure")

    def stop(self, *args):
        self.stopping = True
