import json

from django.core.management.base import BaseCommand, CommandError

from config import privacy


class Command(BaseCommand):
    help = "Print where personal data lives (model and field), its kind and the retention rule that covers it."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Machine-readable output.")

    def handle(self, *args, **options):
        problems = privacy.problems()
        if problems:
            raise CommandError("The inventory is incomplete:\n" + "\n".join(problems))
        entries = privacy.personal_fields()
        published = {label: d.get("published", {}) for label, d in privacy.declarations().items()}
        if options["json"]:
            self.stdout.write(json.dumps({
                "fields": [{"model": e.model, "field": e.field, "kind": e.kind, "rule": e.rule, "note": e.note,
                            "published": published[e.model].get(e.field, "")} for e in entries],
                "kinds": privacy.KINDS, "rules": privacy.RULES}, indent=2))
            return
        model = None
        for entry in entries:
            if entry.model != model:
                model = entry.model
                self.stdout.write(f"\n{model}")
            note = f"  ({entry.note})" if entry.note else ""
            self.stdout.write(f"  {entry.field:<20} {entry.kind:<11} {entry.rule}{note}")
            if entry.field in published[entry.model]:
                self.stdout.write(f"  {'':<20} published: {published[entry.model][entry.field]}")
        self.stdout.write("\nRetention rules:")
        for name, rule in privacy.RULES.items():
            self.stdout.write(f"  {name:<18} {rule['text']}\n  {'':<18} removed: {rule['enforced']}")
        self.stdout.write("\nOutside the database: uploaded files (MEDIA_ROOT), the router's model files "
                          "(ML_MODEL_DIR: vocabulary from complaint text), sessions, logs; see docs/privacy.md.")
