"""Re-seal the audit chains sealed before events were split (complaints.reseal): each chain
is verified the old way first; one that does not verify is left as it is and named here and
by verify_audit (docs/privacy.md says what a re-seal proves)."""

import sys

from django.db import migrations


def reseal(apps, schema_editor):
    from complaints import reseal as resealing

    Complaint = apps.get_model("complaints", "Complaint")
    Event = apps.get_model("complaints", "Event")
    done, refused = resealing.reseal_all(Complaint, Event)
    if done or refused:
        sys.stdout.write(f"\n  reseal_audit: {len(done)} audit chains re-sealed, {len(refused)} refused\n")
    for _code, problem in refused:
        sys.stdout.write(f"  not re-sealed: {problem}\n")


class Migration(migrations.Migration):
    # Chains are re-sealed in transactions of reseal.BATCH complaints: an interrupted migration
    # keeps the chains done, and running it again (or reseal_audit) continues with the rest.
    atomic = False
    dependencies = [("complaints", "0012_event_personal_part")]

    operations = [migrations.RunPython(reseal, migrations.RunPython.noop)]
