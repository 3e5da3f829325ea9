"""Resolution with proof and the verifier step (issue 14, item 6): the evidence a category
asks for is enforced by the resolve action itself, and in categories that need it a
supervisor other than the resolver verifies the resolution or sends it back."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from complaints.lifecycle.clock import VERIFICATION_STEP, is_overdue, overdue_steps
from complaints.lifecycle.errors import InvalidArguments, NotPermitted
from complaints.models import Attachment, Event, Notification, State
from complaints.sla import sweep
from dashboard import rollups
from dashboard.models import ComplaintFact
from routing import calendar
from routing.models import Category

from ..conftest import CITIZEN, make_user, publish, submit
from .helpers import as_staff, drive, fresh, perform


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def photo(name="selesai.png", fmt="PNG", size=(40, 30)):
    out = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(out, format=fmt)
    content_type = {"PNG": "image/png", "JPEG": "image/jpeg"}[fmt]
    return SimpleUploadedFile(name, out.getvalue(), content_type=content_type)


def pdf(name="surat.pdf"):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/pdf")


def needs(city, evidence="none", verification=False, days=2):
    Category.objects.filter(pk=city["roads_cat"].pk).update(
        resolution_evidence=evidence, needs_verification=verification, verification_target_days=days)


def in_progress(city, people, **overrides):
    return drive(submit(city, **overrides).complaint, people, city, "in_progress")


def untouched(c):
    c = fresh(c)
    return (c.state, c.audit_count, c.resolved_at, c.outcome, Event.objects.filter(complaint=c).count(),
            Attachment.objects.filter(complaint=c).count(), Notification.objects.filter(complaint=c).count())


@pytest.fixture
def verifier(city):
    """A second supervisor of the roads unit's parent: may verify what others resolved."""
    return make_user("works_supervisor2", units=[(city["works"], "supervisor")])


# --- the evidence -------------------------------------------------------------------------
def test_resolving_without_the_required_photo_is_refused_and_changes_nothing(city, people):
    needs(city, "photo")
    c = in_progress(city, people)
    before = untouched(c)
    with pytest.raises(InvalidArguments) as refused:
        perform(c, "resolve", as_staff(people["officer_roads"]), outcome="fixed", summary="Sudah ditambal.")
    assert "photo of the finished work" in refused.value.message
    assert "photo" in refused.value.errors
    assert untouched(c) == before


@pytest.mark.parametrize("upload, says", [
    (SimpleUploadedFile("catatan.txt", b"bukan foto sama sekali", content_type="text/plain"), "not a JPEG, PNG or WebP"),
    (None, "not a PDF document"),  # a valid PDF: a document is not a photo
    (SimpleUploadedFile("foto.jpg", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, content_type="image/jpeg"), "named like a JPEG"),
    (SimpleUploadedFile("rusak.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, content_type="image/png"), "damaged"),
])
def test_evidence_of_a_refused_type_is_refused_and_changes_nothing(city, people, upload, says):
    needs(city, "photo")
    c = in_progress(city, people)
    before = untouched(c)
    with pytest.raises(InvalidArguments) as refused:
        perform(c, "resolve", as_staff(people["officer_roads"]), outcome="fixed", summary="Sudah ditambal.",
                photo=upload or pdf())
    assert says in refused.value.message
    assert untouched(c) == before


def test_a_photo_over_the_upload_limit_is_refused_with_the_limit(city, people, settings):
    needs(city, "photo")
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    c = in_progress(city, people)
    before = untouched(c)
    huge = SimpleUploadedFile("besar.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * (1024 * 1024 + 1), content_type="image/png")
    with pytest.raises(InvalidArguments) as refused:
        perform(c, "resolve", as_staff(people["officer_roads"]), outcome="fixed", summary="Sudah.", photo=huge)
    assert "larger than 1 MB" in refused.value.message
    assert untouched(c) == before


def test_a_photo_is_cleaned_stored_as_proof_and_its_digest_audited(city, people):
    needs(city, "photo")
    c = in_progress(city, people)
    jpeg = photo("selesai.jpg", "JPEG")
    c = perform(c, "resolve", as_staff(people["officer_roads"]), outcome="fixed", summary="Sudah ditambal.",
                photo=jpeg)
    c = fresh(c)
    assert c.state == State.RESOLVED and c.resolution_evidence == "photo" and c.resolved_by == people["officer_roads"]
    proof = Attachment.objects.get(complaint=c)
    assert proof.purpose == Attachment.Purpose.RESOLUTION and proof.content_type == "image/jpeg"
    assert proof.original_name == ""  # the officer's file name is not kept
    event = Event.objects.filter(complaint=c, action="resolve").get()
    assert event.data["evidence"]["kind"] == "photo" and len(event.data["evidence"]["sha256"]) == 64
    assert c.resolved_with_proof


def test_a_document_category_needs_a_reference_within_bounds(city, people):
    needs(city, "document")
    c = in_progress(city, people)
    officer = as_staff(people["officer_roads"])
    before = untouched(c)
    for bad in ("", "   ", "X" * 201, "Surat\x00 12"):
        with pytest.raises(InvalidArguments):
            perform(c, "resolve", officer, outcome="fixed", summary="Sudah.", document_reference=bad)
        assert untouched(c) == before
    c = perform(c, "resolve", officer, outcome="fixed", summary="Sudah.", document_reference="600/123/DPU/2026")
    c = fresh(c)
    assert (c.resolution_evidence, c.resolution_reference) == ("document", "600/123/DPU/2026")
    event = Event.objects.get(complaint=c, action="resolve")
    # The reference is typed text: in the event's personal part (erasable), not in its facts.
    assert event.data["evidence"] == {"kind": "document"} and "600/123" not in str(event.data)
    assert event.personal["document_reference"] == "600/123/DPU/2026"


def test_categories_needing_no_evidence_resolve_as_before(city, people):
    c = perform(in_progress(city, people), "resolve", as_staff(people["officer_roads"]),
                outcome="fixed", summary="Sudah.")
    c = fresh(c)
    assert c.state == State.RESOLVED and c.resolution_evidence == "" and not c.resolved_with_proof


# --- the verifier -------------------------------------------------------------------------
def test_the_resolver_may_not_verify_their_own_resolution(city, people, verifier):
    needs(city, "photo", verification=True)
    supervisor = people["supervisor_works"]
    c = perform(in_progress(city, people), "resolve", as_staff(supervisor), outcome="fixed",
                summary="Sudah.", photo=photo())
    assert fresh(c).state == State.VERIFYING
    for action, args in (("verify", {}), ("send_back", {"reason": "Belum"})):
        before = untouched(c)
        with pytest.raises(NotPermitted):
            perform(c, action, as_staff(supervisor), **args)
        assert untouched(c) == before
    # Nor may an officer of the unit or triage: a supervisor other than the resolver only.
    for user in (people["officer_roads2"], people["triage"], people["admin"]):
        with pytest.raises(NotPermitted):
            perform(c, "verify", as_staff(user))
    perform(c, "verify", as_staff(verifier))
    assert fresh(c).state == State.RESOLVED


def test_verification_is_where_the_citizen_hears_resolved_and_the_appeal_window_starts(city, people):
    needs(city, "photo", verification=True, days=2)
    officer, supervisor = as_staff(people["officer_roads"]), as_staff(people["supervisor_works"])
    c = in_progress(city, people)
    resolved = timezone.now()
    c = perform(c, "resolve", officer, outcome="fixed", summary="Sudah ditambal.", photo=photo(), now=resolved)
    c = fresh(c)
    # The unit's SLA stopped at its resolve; the verifier's own clock runs.
    assert c.state == State.VERIFYING and c.resolved_at == resolved and c.final_resolved_at == resolved
    assert c.verification_due_at == calendar.add_working_days(resolved, 2)
    assert c.appeal_due_at is None and not c.resolution_announced
    assert not Notification.objects.filter(complaint=c, kind="resolved").exists()
    assert "resolution" not in [s.name for s in overdue_steps(c, c.resolution_due_at + dt.timedelta(days=30))]
    # The appeal window has not started: the sweep never closes a complaint being verified.
    assert sweep(now=resolved + dt.timedelta(days=60))["auto_closed"] == 0
    assert fresh(c).state == State.VERIFYING
    late = c.verification_due_at + dt.timedelta(hours=1)
    assert is_overdue(c, VERIFICATION_STEP, late)
    c = perform(c, "verify", supervisor, now=late)
    c = fresh(c)
    assert c.state == State.RESOLVED and c.verified_at == late and c.resolved_at == resolved
    assert c.appeal_due_at == calendar.add_working_days(late, 10)
    assert Notification.objects.filter(complaint=c, kind="resolved").count() == 1
    assert Event.objects.get(complaint=c, action="verify").data == {"late": True}
    assert not is_overdue(c, VERIFICATION_STEP, late + dt.timedelta(days=9))
    # Auto-close counts from the verification.
    assert sweep(now=c.appeal_due_at - dt.timedelta(minutes=1))["auto_closed"] == 0
    assert sweep(now=c.appeal_due_at + dt.timedelta(minutes=1))["auto_closed"] == 1


def test_a_send_back_returns_to_the_unit_and_keeps_the_first_resolved_at(city, people, verifier):
    needs(city, "photo", verification=True)
    officer, supervisor = as_staff(people["officer_roads"]), as_staff(people["supervisor_works"])
    c = in_progress(city, people)
    first = timezone.now()
    c = perform(c, "resolve", officer, outcome="fixed", summary="Sudah.", photo=photo(), now=first)
    with pytest.raises(InvalidArguments):  # a reason is required
        perform(c, "send_back", supervisor, reason="  ")
    c = perform(c, "send_back", supervisor, reason="Foto menunjukkan jalan lain.", now=first + dt.timedelta(hours=2))
    c = fresh(c)
    assert c.state == State.IN_PROGRESS and c.sent_back_count == 1 and c.resolved_at == first
    assert c.resolution_evidence == "" and c.verified_at is None
    assert not Notification.objects.filter(complaint=c, kind="resolved").exists()
    # The reason reaches the unit as an internal note, and the citizen's timeline says so.
    assert c.messages.filter(visibility="internal", body__contains="jalan lain").exists()
    # The resolution already happened: the unit is not overdue for it again.
    assert overdue_steps(c, c.resolution_due_at + dt.timedelta(days=30)) == []
    # Resolving again needs the proof again, and waits for a verifier again.
    with pytest.raises(InvalidArguments):
        perform(c, "resolve", officer, outcome="fixed", summary="Sudah diulang.")
    second = first + dt.timedelta(days=1)
    c = perform(c, "resolve", officer, outcome="fixed", summary="Sudah diulang.", photo=photo(), now=second)
    c = fresh(c)
    assert c.state == State.VERIFYING and c.resolved_at == first and c.final_resolved_at == second
    assert c.verification_due_at == calendar.add_working_days(second, 2)
    assert Attachment.objects.filter(complaint=c, purpose="resolution").count() == 2
    perform(c, "verify", as_staff(verifier), now=second + dt.timedelta(hours=1))
    assert fresh(c).state == State.RESOLVED


def test_the_verification_clock_shows_on_the_staff_page_clocks(city, people):
    from complaints.staff.queries.clocks import clocks

    needs(city, "document", verification=True, days=3)
    c = perform(in_progress(city, people), "resolve", as_staff(people["officer_roads"]), outcome="fixed",
                summary="Sudah.", document_reference="SK-1")
    shown = {str(clock.label): clock for clock in clocks(fresh(c))}
    assert shown["Resolution"].done_at is not None
    assert shown["Verification"].done_at is None and shown["Verification"].days_left > 0


# --- figures ------------------------------------------------------------------------------
def test_rollups_and_summary_json_carry_proof_verification_and_send_back_rates(client, city, people, verifier):
    officer, supervisor = as_staff(people["officer_roads"]), as_staff(people["supervisor_works"])
    needs(city, "photo", verification=True)
    verified = perform(in_progress(city, people), "resolve", officer, outcome="fixed", summary="A", photo=photo())
    perform(verified, "verify", supervisor)
    sent_back = perform(in_progress(city, people), "resolve", officer, outcome="fixed", summary="B", photo=photo())
    perform(sent_back, "send_back", supervisor, reason="Belum selesai")
    waiting = perform(in_progress(city, people), "resolve", officer, outcome="fixed", summary="C", photo=photo())
    needs(city, "none", verification=False)
    perform(in_progress(city, people), "resolve", officer, outcome="cannot_fix", summary="D")

    def figures():
        data = client.get("/dashboard/api/summary.json?period=7d").json()
        for f in data["figures"]:
            f.pop("as_of", None)  # the backlog's "now"
        return {f["name"]: f for f in data["figures"]}, data

    figs, data = figures()
    # 4 resolved; proof stands for the verified one and the one waiting (the sent back one lost it).
    assert figs["resolved_with_proof"]["count"] == 4 and figs["resolved_with_proof"]["with_proof"] == 2
    assert figs["resolved_with_proof"]["percent"] == 50.0
    # 3 went to a verifier: 1 verified, 1 sent back, 1 waiting.
    assert figs["verification_rate"] == {**figs["verification_rate"], "count": 3, "verified": 1,
                                         "waiting_or_sent_back": 2, "percent": 33.3}
    assert figs["send_back_rate"] == {**figs["send_back_rate"], "count": 3, "sent_back": 1, "percent": 33.3}
    assert figs["fixed_rate"]["count"] == 4  # beside the fixed rate, on the same cohort
    assert all(f["definition"] for f in data["figures"])
    roads = next(r for r in data["units"] if r["code"] == "DPU-JALAN")
    assert roads["verification_rate"]["verified"] == 1 and roads["send_back_rate"]["sent_back"] == 1
    category = next(r for r in data["categories"] if r["code"] == "JALAN-RUSAK")
    assert category["resolved_with_proof"]["with_proof"] == 2
    # The page shows them beside the fixed rate.
    page = client.get("/dashboard/?period=7d").content.decode()
    assert 'id="figure-verification_rate"' in page and 'id="figure-send_back_rate"' in page
    assert 'id="figure-resolved_with_proof"' in page
    # The counters maintained in the transitions equal a rebuild from the complaints.
    assert ComplaintFact.objects.get(pk=waiting.pk).verification_needed
    rollups.rebuild()
    assert figures()[0] == figs


# --- what the public and the citizen see --------------------------------------------------
def test_the_public_page_shows_resolved_with_proof_only_once_verified(client, city, people, verifier):
    needs(city, "photo", verification=True)
    c = in_progress(city, people)
    publish(c, people["triage"])
    c = perform(c, "resolve", as_staff(people["officer_roads"]), outcome="fixed", summary="Sudah.", photo=photo())
    url = reverse("complaints:public_detail", args=[c.tracking_code])
    page = client.get(url).content.decode()
    assert "Resolved, being verified" in page
    assert "Resolved with proof" not in page and "Outcome" not in page
    perform(c, "verify", as_staff(verifier))
    page = client.get(url).content.decode()
    assert 'id="resolved-with-proof"' in page and "Resolved with proof" in page
    assert "a photo of the finished work" in page and "checked by a supervisor" in page


def test_open311_gives_no_outcome_before_the_verifier_confirms(client, city, people, verifier):
    needs(city, "photo", verification=True)
    c = in_progress(city, people)
    publish(c, people["triage"])
    c = perform(c, "resolve", as_staff(people["officer_roads"]), outcome="fixed", summary="Sudah.", photo=photo())

    def request():
        return client.get(f"/open311/v2/requests/{c.tracking_code}.json").json()[0]

    waiting = request()
    assert (waiting["status"], waiting["extended_attributes"]["state"]) == ("closed", "verifying")
    assert waiting["extended_attributes"]["outcome"] is None
    perform(c, "verify", as_staff(verifier))
    assert request()["extended_attributes"]["outcome"] == "fixed"


def test_the_verify_actions_own_page_shows_the_proof(client, city, people, verifier):
    needs(city, "photo", verification=True)
    c = perform(in_progress(city, people), "resolve", as_staff(people["officer_roads"]), outcome="fixed",
                summary="Sudah.", photo=photo())
    client.force_login(verifier)
    page = client.get(reverse("staff:act", args=[c.tracking_code, "verify"])).content.decode()
    assert page.count('class="proof"') == 1


def test_the_citizen_timeline_says_being_verified_then_resolved(city, people, verifier):
    from complaints.citizen.services import timeline

    needs(city, "photo", verification=True)
    c = perform(in_progress(city, people), "resolve", as_staff(people["officer_roads"]), outcome="fixed",
                summary="Sudah.", photo=photo())
    labels = [str(item["label"]) for item in timeline(fresh(c)) if item["kind"] != "message"]
    assert labels[-1] == "The unit reported it resolved; a verifier checks it"
    perform(c, "verify", as_staff(verifier))
    labels = [str(item["label"]) for item in timeline(fresh(c)) if item["kind"] != "message"]
    assert labels[-1] == "Resolved (verified)"
    assert perform(fresh(c), "confirm", CITIZEN, rating=5).state == State.CLOSED


# --- the staff pages ----------------------------------------------------------------------
def test_staff_resolve_with_a_photo_and_verify_through_the_pages(client, city, people, verifier):

    from tests.staff.helpers import form

    needs(city, "photo", verification=True)
    c = in_progress(city, people)
    client.force_login(people["officer_roads"])
    url = reverse("staff:act", args=[c.tracking_code, "resolve"])
    page = client.get(reverse("staff:complaint", args=[c.tracking_code])).content.decode()
    assert 'enctype="multipart/form-data"' in page and 'name="photo"' in page
    refused = client.post(url, form(c, outcome="fixed", summary="Sudah."))
    assert refused.status_code == 400 and "photo of the finished work" in refused.content.decode()
    assert fresh(c).state == State.IN_PROGRESS
    done = client.post(url, form(c, outcome="fixed", summary="Sudah.", photo=photo()))
    assert done.status_code == 303 and fresh(c).state == State.VERIFYING
    # The resolver is not offered the verifier's forms; another supervisor is, with the proof.
    page = client.get(reverse("staff:complaint", args=[c.tracking_code])).content.decode()
    assert 'id="action-verify"' not in page
    client.force_login(people["supervisor_works"])
    page = client.get(reverse("staff:complaint", args=[c.tracking_code])).content.decode()
    assert 'id="action-verify"' in page and 'id="action-send_back"' in page and 'class="proof"' in page
    done = client.post(reverse("staff:act", args=[c.tracking_code, "verify"]), form(c))
    assert done.status_code == 303 and fresh(c).state == State.RESOLVED
