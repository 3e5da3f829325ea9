"""Redactable audit events (issue 18 item 2): each event's personal part is stored apart under
a salted commitment, erasing it keeps the chain verifying, anything else changed is still
detected, and chains sealed before the split are re-sealed only when they verify."""

import base64
import hashlib
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from complaints import audit
from complaints.lifecycle.actions import ACTIONS
from complaints.lifecycle.errors import NotPermitted
from complaints.models import Complaint, Event
from complaints.redaction import NotResealed, erase_event_personal_parts
from complaints.transparency import anchor

from ..conftest import CITIZEN, SYSTEM, as_staff
from .helpers import fresh, perform

QUESTION = "Apakah Ibu Siti Rahayu tinggal di nomor 12?"
ANSWER = "Saya Siti Rahayu, rumah nomor 12, HP 0812-3456-7890."
TRANSFER = "Pak Hartono Wibisono dari RT 05 minta ditangani Dinas PU."
SUMMARY = "Lubang depan rumah Hartono Wibisono sudah ditambal."
APPEAL = "Tambalannya rusak lagi kata Bu Siti Rahayu."
TYPED = {"message": [QUESTION, ANSWER], "reason": [TRANSFER, APPEAL], "summary": [SUMMARY]}
ALL_TYPED = [text for texts in TYPED.values() for text in texts]


@pytest.fixture
def history(city, people, filed):
    """A complaint with every kind of typed text in its events: a question and its answer,
    a transfer's reason, a resolution summary, an appeal."""
    triage, officer, works = (as_staff(people[k]) for k in ("triage", "officer_roads", "supervisor_works"))
    c = perform(filed.complaint, "request_info", triage, message=QUESTION)
    c = perform(c, "provide_info", CITIZEN, message=ANSWER)
    c = perform(c, "triage", triage, unit=city["roads"])
    c = perform(c, "start", officer)
    c = perform(c, "transfer", officer, unit=city["works"], reason=TRANSFER)
    c = perform(c, "start", works)
    c = perform(c, "resolve", works, outcome="fixed", summary=SUMMARY)
    c = perform(c, "reopen", CITIZEN, reason=APPEAL)
    c = perform(c, "resolve", works, outcome="fixed", summary="Sudah diperbaiki ulang.")
    c = perform(c, "confirm", CITIZEN, rating=4)
    assert audit.verify_complaint(fresh(c)) is None
    return fresh(c)


def erase(c, people, reason="retention"):
    return erase_event_personal_parts(c, acting_user=SYSTEM, reason=reason)


def event_rows(c):
    return list(Event.objects.filter(complaint=c).order_by("seq"))


def everything_stored(c):
    """Every value of every event row of the complaint, as text."""
    return json.dumps([list(Event.objects.filter(complaint=c).values().order_by("seq"))], default=str,
                      ensure_ascii=False)


def last_event(c):
    return Event.objects.filter(complaint=c).order_by("-seq").first()


# --- storage ---------------------------------------------------------------------------------

def test_typed_text_is_stored_apart_from_the_facts_under_a_salted_commitment(history):
    facts = json.dumps([e.data for e in event_rows(history)], ensure_ascii=False)
    for text in ALL_TYPED:
        assert text not in facts
    transfer = Event.objects.get(complaint=history, action="transfer")
    assert transfer.data == {"from_unit": "DPU-JALAN", "unit": "DPU"}
    assert transfer.personal == {"reason": TRANSFER}
    assert len(bytes.fromhex(transfer.personal_salt)) == 16
    assert transfer.personal_hash == audit.commitment(transfer.personal_salt, {"reason": TRANSFER})
    assert transfer.payload == {"from_unit": "DPU-JALAN", "unit": "DPU", "reason": TRANSFER}
    start = Event.objects.filter(complaint=history, action="start").first()
    assert (start.personal, start.personal_salt, start.personal_hash) == ({}, "", "")
    # Salts are per event: two events with the same text get different commitments.
    salts = [e.personal_salt for e in event_rows(history) if e.personal_salt]
    assert len(salts) == len(set(salts)) == 6


def test_every_free_text_field_of_the_registry_is_declared_personal():
    # Bodies of notes, replies and comments are messages, a rating's comment and the public
    # summary are the complaint's: none is in the event's data.
    not_in_the_event = {"body", "comment", "public_summary"}
    # One-line fields that hold codes or public text, never words about a person.
    codes = {"unit", "category", "duplicate_of", "subject_unit", "area", "assignee", "public_title",
             "public_location", "outcome", "kind", "reason_code", "publish", "publish_media"}
    for name, action in ACTIONS.items():
        typed = {f.name for f in action.fields if f.kind in ("textarea", "text")} - not_in_the_event - codes
        assert typed <= set(action.personal), (name, typed - set(action.personal))


# --- erasure ---------------------------------------------------------------------------------

def test_erasing_keeps_verify_audit_passing_and_removes_every_typed_text(history, people, capsys):
    commitments = {e.seq: e.personal_hash for e in event_rows(history)}
    assert erase(history, people) == 6
    c = fresh(history)
    assert audit.verify_complaint(c) is None
    call_command("verify_audit")
    assert "All 1 audit chains verify" in capsys.readouterr().out
    stored = everything_stored(c)
    for text in ALL_TYPED:
        assert text not in stored
    for event in event_rows(c)[:-1]:
        assert event.personal == {} and event.personal_salt == ""
        assert event.personal_hash == commitments[event.seq]  # the commitment stays
        assert event.erased == bool(commitments[event.seq])


def test_the_salt_is_gone_so_a_guessed_text_cannot_be_confirmed(history, people):
    transfer = Event.objects.get(complaint=history, action="transfer")
    guess = {"reason": TRANSFER}
    # Before erasure, whoever holds the salt could confirm the guess: the test means something.
    assert audit.commitment(transfer.personal_salt, guess) == transfer.personal_hash
    erase(history, people)
    transfer = Event.objects.get(pk=transfer.pk)
    assert transfer.personal_salt == ""
    stored = everything_stored(history)
    canonical = json.dumps(guess, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    for digest in (hashlib.sha256(canonical).hexdigest(), hashlib.sha256(TRANSFER.encode()).hexdigest(),
                   audit.commitment("", guess)):
        assert digest not in stored
    assert audit.commitment("", guess) != transfer.personal_hash


def test_the_erasure_event_holds_no_personal_values(history, people):
    erase(history, people, reason="erasure request #12\x00" + "x" * 5000)
    record = last_event(history)
    assert record.action == "personal_data_erased"
    assert record.personal == {} and record.personal_hash == ""
    assert record.data["events"] == 6 and record.data["through"] == record.seq - 1
    assert record.data["reason"].startswith("erasure request #12") and "\x00" not in record.data["reason"]
    assert len(record.data["reason"]) <= 100
    text = json.dumps([record.data, record.actor_label], ensure_ascii=False)
    for value in [*ALL_TYPED, "Siti", "Rahayu", "siti.rahayu@example.com", "0812"]:
        assert value not in text


def test_erasure_changes_none_of_the_complaints_own_fields(history, people):
    def own_fields(c):
        row = Complaint.objects.filter(pk=c.pk).values().get()
        return {k: v for k, v in row.items() if k not in ("audit_count", "audit_head", "audit_seal")}

    before = own_fields(history)
    erase(history, people)
    assert own_fields(history) == before


def test_erasing_twice_records_nothing_the_second_time(history, people):
    assert erase(history, people) == 6
    count = fresh(history).audit_count
    assert erase(history, people) == 0
    assert fresh(history).audit_count == count
    # New events after an erasure have their own personal part, which a later erasure takes.
    perform(fresh(history), "note", as_staff(people["oversight"]), body="Catatan tentang Bu Siti.")
    c = fresh(history)
    assert erase(c, people) == 0  # a note's text lives in its message, not in the event
    assert audit.verify_complaint(fresh(c)) is None


def test_only_the_system_or_a_privacy_officer_may_erase(history, people):
    for who in (as_staff(people["officer_roads"]), as_staff(people["admin"]), CITIZEN, people["triage"],
                None, "privacy1"):
        with pytest.raises(NotPermitted):
            erase_event_personal_parts(history, acting_user=who, reason="retention")
    assert fresh(history).audit_count == history.audit_count
    assert erase_event_personal_parts(history.pk, acting_user=people["privacy"], reason="request #3") == 6
    assert last_event(history).actor_label == "privacy1"
    assert audit.verify_complaint(fresh(history)) is None


# --- tampering -------------------------------------------------------------------------------

@pytest.mark.parametrize("change", [
    {"data": {"from_unit": "DPU-JALAN", "unit": "DINKES"}},  # a fact in the data
    {"to_state": "closed"},
    {"actor_label": "someone-else"},
    {"public": False},
    {"personal_hash": "0" * 64},  # the commitment
    {"personal_hash": ""},
    {"personal_hash": None},
])
def test_editing_a_remaining_fact_or_the_commitment_after_erasure_is_detected(history, people, change):
    erase(history, people)
    transfer = Event.objects.get(complaint=history, action="transfer")
    Event.objects.filter(pk=transfer.pk).update(**change)
    problem = audit.verify_complaint(fresh(history))
    assert problem and f"event #{transfer.seq}" in problem
    with pytest.raises(CommandError):
        call_command("verify_audit")


@pytest.mark.parametrize("change", [
    {"personal": {"reason": TRANSFER.replace("Hartono", "Harto")}},
    {"personal": {}},
    {"personal": {"reason": TRANSFER, "extra": "x"}},
    {"personal_salt": "00" * 16},
    {"personal_salt": "not hex"},
    {"data": {"from_unit": "DPU-JALAN", "unit": "DPU", "reason": "moved into the facts"}},
])
def test_editing_the_personal_part_before_erasure_is_detected(history, change):
    transfer = Event.objects.get(complaint=history, action="transfer")
    Event.objects.filter(pk=transfer.pk).update(**change)
    problem = audit.verify_complaint(fresh(history))
    assert problem and f"event #{transfer.seq}" in problem


def test_a_personal_part_removed_without_an_audited_erasure_is_detected(history):
    transfer = Event.objects.get(complaint=history, action="transfer")
    Event.objects.filter(pk=transfer.pk).update(personal={}, personal_salt="", personal_erased_at=transfer.created_at)
    problem = audit.verify_complaint(fresh(history))
    assert problem and f"event #{transfer.seq}" in problem and "without an audited erasure" in problem


def test_a_personal_part_written_back_after_erasure_is_detected(history, people):
    erase(history, people)
    transfer = Event.objects.get(complaint=history, action="transfer")
    Event.objects.filter(pk=transfer.pk).update(personal={"reason": "invented afterwards"})
    assert f"event #{transfer.seq}" in audit.verify_complaint(fresh(history))


# --- pages -----------------------------------------------------------------------------------

def test_staff_pages_show_erased_in_place_of_the_personal_part(history, people, client):
    client.force_login(people["supervisor_works"])
    page = client.get(reverse("staff:complaint", args=[history.tracking_code])).content.decode()
    assert TRANSFER in page
    erase(history, people)
    page = client.get(reverse("staff:complaint", args=[history.tracking_code])).content.decode()
    # (The appeal and the answer are also the citizen's messages: the retention's to erase.)
    assert TRANSFER not in page
    assert "(erased)" in page
    client.force_login(people["privacy"])
    audit_page = client.get(reverse("staff:audit", args=[history.tracking_code])).content.decode()
    assert "audit-ok" in audit_page and "(erased)" in audit_page
    assert "Personal data erased" in audit_page
    for text in (TRANSFER, APPEAL, QUESTION, SUMMARY):
        assert text not in audit_page


def test_erased_reads_dihapus_in_indonesian(history, people):
    erase(history, people)
    transfer = Event.objects.get(complaint=history, action="transfer")
    with translation.override("id"):
        assert transfer.payload["reason"] == "(dihapus)"
    assert transfer.payload["unit"] == "DPU"


def test_the_citizens_tracking_page_keeps_its_timeline_after_erasure(history, people, filed, client):
    client.post("/track/", {"code": history.tracking_code, "token": filed.token})
    erase(history, people)
    page = client.get(f"/track/{history.tracking_code}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Moved to another unit" in html and "You appealed" in html
    assert TRANSFER not in html and "Personal data erased" not in html  # an internal record


# --- re-seal of chains sealed before the split ------------------------------------------------

def make_legacy(c):
    """Rewrite the complaint's chain the way it was sealed before the split: the whole data
    in `data`, MACed over it, no commitment."""
    previous = ""
    for event in event_rows(c):
        event.data = {**event.data, **event.personal}
        event.personal, event.personal_salt, event.personal_hash = {}, "", None
        event.prev_mac = previous
        event.mac = audit._mac(audit.canonical_v1(event))
        Event.objects.filter(pk=event.pk).update(data=event.data, personal={}, personal_salt="",
                                                 personal_hash=None, prev_mac=previous, mac=event.mac)
        previous = event.mac
    c = fresh(c)
    Complaint.objects.filter(pk=c.pk).update(audit_head=previous,
                                             audit_seal=audit.seal(c.pk, c.audit_count, previous, c.state))
    c = fresh(c)
    assert audit.verify_complaint(c) is None
    return c


def test_reseal_of_a_pre_existing_chain_verifies_and_records_the_old_head(history, people, capsys):
    old = make_legacy(history)
    old_macs = [e.mac for e in event_rows(old)]
    with pytest.raises(NotResealed):
        erase(old, people)
    call_command("reseal_audit")
    assert "1 audit chains re-sealed, 0 refused" in capsys.readouterr().out
    c = fresh(old)
    assert audit.verify_complaint(c) is None
    events = event_rows(c)
    assert [e.legacy_mac for e in events[:-1]] == old_macs
    record = events[-1]
    assert record.action == "audit_resealed" and record.seq == old.audit_count + 1
    assert record.data == {"old_head": old.audit_head, "old_count": old.audit_count}
    transfer = Event.objects.get(complaint=c, action="transfer")
    assert transfer.personal == {"reason": TRANSFER} and "reason" not in transfer.data
    # Repeating it does nothing; erasing now works and keeps the chain verifying.
    call_command("reseal_audit")
    assert fresh(c).audit_count == c.audit_count
    assert erase(c, people) == 6
    assert audit.verify_complaint(fresh(c)) is None


def test_a_resealed_event_whose_content_differs_from_its_original_is_detected(history):
    make_legacy(history)
    call_command("reseal_audit")
    transfer = Event.objects.get(complaint=history, action="transfer")
    # Someone with AUDIT_KEY re-MACs the new chain around a changed old MAC: the old content
    # no longer gives it.
    transfer.legacy_mac = "f" * 64
    Event.objects.filter(pk=transfer.pk).update(legacy_mac=transfer.legacy_mac)
    assert f"event #{transfer.seq}" in audit.verify_complaint(fresh(history))


def test_a_tampered_old_chain_is_reported_not_silently_resealed(history, people, city, capsys):
    bad = make_legacy(history)
    from ..conftest import submit
    good = make_legacy(fresh(perform(submit(city).complaint, "triage", as_staff(people["triage"]),
                                     unit=city["roads"])))
    transfer = Event.objects.get(complaint=bad, action="transfer")
    Event.objects.filter(pk=transfer.pk).update(data={**transfer.data, "reason": "rewritten"})
    before = everything_stored(bad)
    with pytest.raises(CommandError):
        call_command("reseal_audit")
    err = capsys.readouterr().err
    assert f"not re-sealed: complaint {bad.tracking_code}: event #{transfer.seq}" in err
    assert good.tracking_code not in err
    assert everything_stored(bad) == before  # left exactly as it was
    assert audit.verify_complaint(fresh(good)) is None
    assert Event.objects.filter(complaint=good, action="audit_resealed").exists()
    assert f"event #{transfer.seq}" in audit.verify_complaint(fresh(bad))
    with pytest.raises(NotResealed):
        erase(bad, people)


def test_the_migration_reseals_with_historical_models(history):
    """The migration calls reseal_all with the models apps.get_model gives; the live ones
    stand in for them here (no custom methods are used)."""
    from django.apps import apps
    from django.db.migrations.state import ProjectState

    from complaints import reseal

    make_legacy(history)
    state = ProjectState.from_apps(apps)
    historical = state.apps
    done, refused = reseal.reseal_all(historical.get_model("complaints", "Complaint"),
                                      historical.get_model("complaints", "Event"))
    assert done == [history.tracking_code] and refused == []
    assert audit.verify_complaint(fresh(history)) is None


# --- the transparency log across a re-seal -----------------------------------------------------

KEY = base64.b64encode(bytes(range(32))).decode()


def test_roots_published_before_the_reseal_verify_through_the_recorded_old_heads(history, people, settings, tmp_path, capsys):
    settings.TRANSPARENCY_SIGNING_KEY = KEY
    make_legacy(history)
    anchor.publish()
    call_command("reseal_audit")
    anchor.publish()
    copy = tmp_path / "roots.json"
    copy.write_text(json.dumps(anchor.published_json()))
    call_command("verify_audit", against_published=str(copy))
    assert "every state the published roots fixed" in capsys.readouterr().out
    proof = anchor.inclusion_proof(fresh(history))
    assert anchor.proof_ok(proof, anchor.configured_public_key()) and proof["current"]
    # Only root #1 (before the re-seal): checked against the recorded old head.
    only_first = tmp_path / "first.json"
    data = anchor.published_json()
    data["roots"] = data["roots"][:1]
    only_first.write_text(json.dumps(data))
    call_command("verify_audit", against_published=str(only_first))
    # An old MAC changed after the re-seal (even re-MACed with AUDIT_KEY) fails both checks.
    last = Event.objects.get(complaint=history, seq=history.audit_count)  # the head root #1 fixed
    Event.objects.filter(pk=last.pk).update(legacy_mac="e" * 64)
    with pytest.raises(CommandError):
        call_command("verify_audit", against_published=str(only_first))
    assert f"complaint {history.tracking_code}" in capsys.readouterr().err
