"""Training data for the routing classifier, read from the complaints.

Every triaged complaint is an example, labelled with the unit that finally handled it
(after transfers), so the model learns from the officers' corrections. Sensitive
complaints are left out: they go to oversight by rule, never by the classifier."""

from ml.text import complaint_text

from .models import Complaint


def training_examples():
    rows = (
        Complaint.objects.filter(triaged_at__isnull=False, responsible_unit__isnull=False,
                                 category__sensitive=False)
        .exclude(responsible_unit__kind="oversight")
        .values_list("title", "description", "responsible_unit__code")
        .order_by("pk")
    )
    for title, description, unit in rows.iterator(chunk_size=2000):
        yield complaint_text(title, description), unit
