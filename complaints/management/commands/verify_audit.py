from django.core.management.base import BaseCommand, CommandError

from complaints.audit import verify_complaint
from complaints.models import Complaint


class Command(BaseCommand):
    help = "Verify every complaint's audit chain; exit non-zero naming the first broken event."

    def add_arguments(self, parser):
        parser.add_argument("--complaint", help="Only this tracking code.")

    def handle(self, *args, **options):
        complaints = Complaint.objects.order_by("pk")
        if options["complaint"]:
            complaints = complaints.filter(tracking_code=options["complaint"])
        problems, checked = [], 0
        for complaint in complaints.iterator(chunk_size=500):
            checked += 1
            problem = verify_complaint(complaint)
            if problem:
                problems.append(problem)
                self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} of {checked} audit chains do not verify.")
        self.stdout.write(f"All {checked} audit chains verify.")
