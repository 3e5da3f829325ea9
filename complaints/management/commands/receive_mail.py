"""One e-mail on standard input, as Postfix's pipe transport hands it over (docs/channels.md):

    aduan unix - n n - 4 pipe flags=Rq user=aduan null_sender=
        argv=/srv/aduan/bin/receive_mail --sender ${sender} --recipient ${recipient}

Exit status 0 when the message is stored (whatever became of it), 75 (EX_TEMPFAIL) when it
could not even be stored (the database is down): Postfix keeps it and tries again later."""

import sys

from django.core.management.base import BaseCommand

from complaints.intake.mail import receive

EX_TEMPFAIL = 75


class Command(BaseCommand):
    help = "Read one RFC 5322 message on standard input and handle it (e-mail intake)."
    stealth_options = ("stdin",)  # call_command(..., stdin=...) in tests

    def add_arguments(self, parser):
        parser.add_argument("--sender", default=None, help="The envelope sender (Postfix ${sender}).")
        parser.add_argument("--recipient", default="", help="The envelope recipient (Postfix ${recipient}).")

    def handle(self, *args, **options):
        stream = options.get("stdin") or sys.stdin
        raw = stream.buffer.read() if hasattr(stream, "buffer") else stream.read()
        if isinstance(raw, str):
            raw = raw.encode("utf-8", errors="surrogateescape")
        try:
            record = receive(raw, envelope_sender=options["sender"], envelope_recipient=options["recipient"])
        except Exception as exc:  # not stored: let the mail server keep it and retry
            self.stderr.write(f"not stored, try again later: {type(exc).__name__}")
            sys.exit(EX_TEMPFAIL)
        # The status only: no address or subject in the mail server's log.
        self.stdout.write(f"inbound message {record.pk}: {record.status}")
