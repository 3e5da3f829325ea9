"""The partial covering index behind the dashboard's "open and past due" figure.

On PostgreSQL it is built CONCURRENTLY (outside a transaction) so that filing and
transitions keep working while a large complaints table is indexed; elsewhere it is a
plain CREATE INDEX."""

from django.conf import settings
from django.db import migrations, models

INDEX = models.Index(
    condition=models.Q(("state__in", ["submitted", "needs_info", "triaged", "in_progress"])),
    fields=["submitted_at"],
    include=("responsible_unit", "category", "triaged_at", "first_response_at", "resolved_at",
             "triage_due_at", "response_due_at", "resolution_due_at"),
    name="complaint_open_submitted",
)


def create(apps, schema_editor):
    model = apps.get_model("complaints", "Complaint")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(model, INDEX, concurrently=True)
    else:
        schema_editor.add_index(model, INDEX)


def drop(apps, schema_editor):
    model = apps.get_model("complaints", "Complaint")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(model, INDEX, concurrently=True)
    else:
        schema_editor.remove_index(model, INDEX)


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [
        ('complaints', '0003_reject_templates'),
        ('routing', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddIndex(model_name="complaint", index=INDEX)],
            database_operations=[migrations.RunPython(create, drop)],
        ),
    ]
