"""Read the intake mailbox over IMAP (settings INTAKE_IMAP_*; docs/channels.md) and handle
every unseen message through the same function as receive_mail. A handled message is
marked \\Seen and, with INTAKE_IMAP_DONE_FOLDER, moved there. Run it from cron or a systemd
timer every minute, or with --every to keep polling."""

import time

from django.core.management.base import BaseCommand, CommandError

from complaints.intake.imap import poll


class Command(BaseCommand):
    help = "Handle the unseen messages of the intake IMAP mailbox (e-mail intake)."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=0, metavar="SECONDS",
                            help="Keep polling with this pause (default: one pass).")

    def handle(self, *args, **options):
        while True:
            try:
                counts = poll()
            except OSError as exc:
                raise CommandError(f"mailbox unavailable: {type(exc).__name__}: {exc}") from None
            self.stdout.write(", ".join(f"{v} {k}" for k, v in sorted(counts.items())) or "nothing new")
            if not options["every"]:
                return
            time.sleep(options["every"])
