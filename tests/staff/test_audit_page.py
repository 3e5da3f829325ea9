"""The audit page shows the event chain and says whether it verifies."""

from complaints.models import Complaint, Event

from .helpers import drive, submit, url


def test_a_clean_chain_verifies(client, city, people):
    c = drive(submit(city).complaint, people, city, "resolved")
    client.force_login(people["oversight"])
    html = client.get(url("audit", c.tracking_code)).content.decode()
    assert "The audit chain verifies." in html and "does NOT verify" not in html
    for kind in ("filed", "triage", "start", "resolve"):
        assert f"<code>{kind}</code>" in html


def test_a_tampered_event_is_reported(client, city, people):
    c = drive(submit(city).complaint, people, city, "resolved")
    # Someone with database access rewrites the resolution after the fact.
    Event.objects.filter(complaint=c, action="resolve").update(data={"outcome": "fixed", "summary": "Beres."})
    client.force_login(people["privacy"])
    html = client.get(url("audit", c.tracking_code)).content.decode()
    assert "does NOT verify" in html and "was altered" in html


def test_a_deleted_tail_is_reported(client, city, people):
    c = drive(submit(city).complaint, people, city, "in_progress")
    Complaint.objects.filter(pk=c.pk).update(audit_count=c.audit_count + 1)
    client.force_login(people["oversight"])
    assert "does NOT verify" in client.get(url("audit", c.tracking_code)).content.decode()
