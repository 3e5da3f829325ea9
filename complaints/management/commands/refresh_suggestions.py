"""Store the classifier's suggestions on complaints waiting for triage that have none
(for instance after the first model is activated: `make run` trains after loading the
demo complaints). Suggestions are advice for the triage desk, not an action on the
complaint, so no audit event is written."""

from django.core.management.base import BaseCommand

from complaints.models import Complaint, State
from complaints.suggestions import suggest_for


class Command(BaseCommand):
    help = "Fill in routing suggestions for submitted complaints that have none."

    def handle(self, *args, **options):
        updated = 0
        waiting = (Complaint.objects.filter(state=State.SUBMITTED, suggested_units=[])
                   .select_related("category", "category__default_unit"))
        for complaint in waiting.iterator(chunk_size=200):
            suggestions = suggest_for(complaint)
            if suggestions:
                Complaint.objects.filter(pk=complaint.pk, suggested_units=[]).update(
                    suggested_units=suggestions)
                updated += 1
        self.stdout.write(f"Suggestions stored on {updated} complaints waiting for triage.")
