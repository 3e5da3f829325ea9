from django.core.management.base import BaseCommand, CommandError

from complaints import reseal
from complaints.models import Complaint, Event


class Command(BaseCommand):
    help = ("Re-seal the audit chains sealed before events were split into facts and personal "
            "parts. Each chain is verified first; one that does not verify is reported and left "
            "as it is (exit non-zero). Run by migration 0013; harmless to repeat.")

    def add_arguments(self, parser):
        parser.add_argument("--complaint", action="append", help="Only this tracking code (repeatable).")

    def handle(self, *args, **options):
        done, refused = reseal.reseal_all(Complaint, Event, codes=options["complaint"])
        for code, problem in refused:
            self.stderr.write(f"not re-sealed: {problem}")
        self.stdout.write(f"{len(done)} audit chains re-sealed, {len(refused)} refused.")
        if refused:
            raise CommandError(f"{len(refused)} audit chains did not verify and were not re-sealed; "
                               "verify_audit names them.")
