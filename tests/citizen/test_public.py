"""The public list and pages: only public, triaged complaints with an approved summary,
never the citizen's own words or personal data; searchable, filterable, paginated."""

import re

import pytest

from django.utils import timezone

from complaints.models import Complaint
from complaints.permissions import ActorRef
from complaints.lifecycle.engine import perform

from ..conftest import as_staff, publish, submit


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"


def published(city, people, title="Lubang di Jl. Merdeka", category="roads_cat", unit="roads", **kw):
    c = submit(city, category=category, **kw).complaint
    c = perform(c, "triage", as_staff(people["triage"]), unit=city[unit])
    if c.visibility != "public":
        return c  # nothing of a private complaint can be published
    return publish(c, people["triage"], title, "Lubang besar di jalan utama, berbahaya.")


def test_only_triaged_public_complaints_with_approved_summary_are_listed(client, city, people):
    shown = published(city, people)
    untriaged = submit(city).complaint
    private = published(city, people, title="Private one", visibility="private")
    unapproved = perform(submit(city).complaint, "triage", as_staff(people["triage"]), unit=city["roads"])
    html = client.get("/complaints/").content.decode()
    assert shown.public_title in html
    assert "Private one" not in html
    for hidden in (untriaged, private, unapproved):
        assert hidden.tracking_code not in html
    assert html.count('class="card"') == 1


def test_public_page_shows_summary_and_unit_replies_never_raw_text_or_reporter(client, city, people):
    c = published(city, people)
    c = perform(c, "start", as_staff(people["officer_roads"]))
    c = perform(c, "reply", as_staff(people["officer_roads"]), body="Crew scheduled for Monday.")
    c = perform(c, "comment", ActorRef.citizen(), body="My neighbour Pak Budi fell here")
    perform(c, "note", as_staff(people["officer_roads"]), body="internal-only remark")
    html = client.get(f"/complaints/{c.tracking_code}/").content.decode()
    assert "Lubang besar di jalan utama" in html and "Roads" in html and "In progress" in html
    assert "Crew scheduled for Monday." in html and "Officer of Roads" in html
    for secret in ("motor sering jatuh", "Siti", "siti.rahayu", "0812", "Pak Budi", "internal-only",
                   "roads_officer"):
        assert secret not in html


def test_private_or_unpublished_complaint_has_no_public_page(client, city, people):
    private = published(city, people, visibility="private")
    assert client.get(f"/complaints/{private.tracking_code}/").status_code == 404
    assert client.get(f"/complaints/{submit(city).complaint.tracking_code}/").status_code == 404


def test_sensitive_complaint_never_appears_publicly(client, city, people):
    c = submit(city, category="bribe_cat").complaint
    # Even a row that somehow became public with an approved summary stays hidden.
    Complaint.objects.filter(pk=c.pk).update(
        visibility="public", triaged_at=timezone.now(), public_title="Levy at the market",
        public_summary="x", public_summary_approved_at=timezone.now(), responsible_unit=city["inspectorate"])
    assert "Levy at the market" not in client.get("/complaints/").content.decode()
    assert client.get(f"/complaints/{c.tracking_code}/").status_code == 404


def test_search_and_filters(client, city, people):
    road = published(city, people, title="Pothole on Jl. Merdeka")
    clinic = published(city, people, title="Long queue at the clinic", category="clinic_cat",
                       unit="health", address="", latitude="", longitude="")
    perform(clinic, "start", as_staff(people["officer_health"]))

    def listed(query):
        html = client.get("/complaints/?" + query).content.decode()
        return {c.public_title for c in (road, clinic) if c.public_title in html}

    assert listed("q=pothole") == {"Pothole on Jl. Merdeka"}
    assert listed("category=PUSKESMAS") == {"Long queue at the clinic"}
    assert listed("unit=DPU-JALAN") == {"Pothole on Jl. Merdeka"}
    assert listed("status=in_progress") == {"Long queue at the clinic"}
    assert listed("") == {"Pothole on Jl. Merdeka", "Long queue at the clinic"}
    assert client.get("/complaints/?status=bogus").status_code == 200  # a bad filter shows all


def test_list_is_paginated(client, city, people):
    for i in range(21):
        published(city, people, title=f"Report number {i:02d}")
    first = client.get("/complaints/").content.decode()
    older = re.search(r'href="\?after=([^"]+)" rel="next"', first).group(1)
    second = client.get(f"/complaints/?after={older}").content.decode()
    assert first.count('class="card"') == 20 and second.count('class="card"') == 1
    assert "Report number 20" in first and "Report number 00" in second and "Report number 00" not in first
    assert 'rel="next"' not in second and 'rel="first"' in second
