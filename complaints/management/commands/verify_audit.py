import json
import urllib.request
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from complaints.audit import verify_complaint
from complaints.models import Complaint
from complaints.transparency import anchor


class Command(BaseCommand):
    help = ("Verify every complaint's audit chain; exit non-zero naming the first broken event. "
            "With --against-published, also check the database against published transparency roots.")

    def add_arguments(self, parser):
        parser.add_argument("--complaint", help="Only this tracking code.")
        parser.add_argument("--against-published", metavar="URL_OR_FILE",
                            help="The roots as kept by an outsider (/transparency/roots.json or a copy).")
        parser.add_argument("--public-key", metavar="BASE64",
                            help="The trusted Ed25519 public key (default: the one of TRANSPARENCY_SIGNING_KEY). "
                                 "The key inside the file is never trusted.")

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
        if options["against_published"]:
            for problem in self.check_published(options):
                problems.append(problem)
                self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} problems; {checked} audit chains checked.")
        self.stdout.write(f"All {checked} audit chains verify.")
        if options["against_published"]:
            self.stdout.write("The database holds every state the published roots fixed.")

    def check_published(self, options):
        key = options["public_key"] or anchor.configured_public_key()
        if not key:
            raise CommandError("No trusted public key: pass --public-key or set TRANSPARENCY_SIGNING_KEY.")
        source = options["against_published"]
        try:
            if source.startswith(("http://", "https://")):
                with urllib.request.urlopen(source, timeout=30) as response:  # noqa: S310 (the operator's URL)
                    data = json.load(response)
            else:
                data = json.loads(Path(source).read_text())
            roots = data["roots"] if isinstance(data, dict) else data
            if not isinstance(roots, list) or not all(isinstance(r, dict) for r in roots):
                raise ValueError("no list of roots")
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise CommandError(f"Cannot read published roots from {source}: {error}") from None
        return anchor.check_against(roots, key)
