"""Taking a complaint out of a sensitive (abuse-of-power) category: only the oversight
body may, with a recorded reason, naming the unit the complaint is about; routing never
sends it there (or below it) afterwards, and what happened while it was sensitive stays
with the readers of sensitive complaints."""

import pytest

from complaints.models import Event, Message, State
from complaints.permissions import ActorRef
from complaints.lifecycle.engine import perform
from complaints.lifecycle.errors import InvalidArguments, NotPermitted
from complaints.lifecycle.handlers import routed_unit
from routing.models import Category, Unit

from .helpers import act_url, as_staff, fingerprint, form, fresh, submit, url

ACCUSATION = "Petugas Bidang Jalan minta uang Rp500.000 supaya laporan jalan saya diproses."
SECRET_NOTE = "Saksi kunci: Pak Darmawan, bendahara bidang jalan."
QUESTION = "Tolong hubungi kami di 0812-7777-1234 untuk jadwal wawancara."


def sensitive(city, **extra):
    """An abuse-of-power report: filed in a sensitive category, routed to oversight at once."""
    c = submit(city, category="bribe_cat", title="Pungli di bidang jalan", description=ACCUSATION,
               identity_mode="confidential", **extra).complaint
    c = fresh(c)
    assert c.state == State.TRIAGED and c.responsible_unit == city["inspectorate"]
    return c


def declassify(c, people, subject="DPU-JALAN", **args):
    return perform(c, "recategorise", as_staff(people["oversight"]), category="JALAN-RUSAK",
                   reason=args.pop("reason", "Ternyata laporan jalan rusak biasa."),
                   subject_unit=subject, **args)


# --- who may declassify ------------------------------------------------------------
@pytest.mark.parametrize("role", ["admin", "triage", "privacy", "officer_roads"])
def test_only_oversight_may_take_a_complaint_out_of_a_sensitive_category(city, people, role):
    c = sensitive(city)
    before = fingerprint(c)
    with pytest.raises(NotPermitted):
        perform(c, "recategorise", as_staff(people[role]), category="JALAN-RUSAK",
                reason="Bukan pungli.", subject_unit="none")
    assert fingerprint(c) == before
    assert fresh(c).category == city["bribe_cat"]


def test_admin_gets_403_and_triage_404_on_the_page(client, city, people):
    c = sensitive(city)
    before = fingerprint(c)
    post = form(c, category="JALAN-RUSAK", reason="Bukan pungli.", subject_unit="DPU-JALAN")
    client.force_login(people["admin"])
    page = client.get(url("complaint", c.tracking_code)).content.decode()
    assert 'id="action-recategorise"' not in page
    assert client.post(act_url(c, "recategorise"), post).status_code == 403
    client.force_login(people["triage"])
    assert client.post(act_url(c, "recategorise"), post).status_code == 404
    assert fingerprint(c) == before


def test_oversight_declassifies_with_a_reason_and_the_unit_it_is_about(city, people):
    c = sensitive(city)
    with pytest.raises(InvalidArguments) as no_reason:
        declassify(c, people, reason="")
    assert "reason" in no_reason.value.errors
    with pytest.raises(InvalidArguments) as no_subject:
        declassify(c, people, subject="")
    assert "subject_unit" in no_subject.value.errors
    assert fresh(c).category == city["bribe_cat"] and fresh(c).subject_unit is None

    declassify(c, people, reason="Bukan pungli: jalan rusak biasa, DPU-JALAN yang dilaporkan.")
    c = fresh(c)
    assert c.category == city["roads_cat"] and c.subject_unit == city["roads"]
    assert c.declassified_at is not None
    # Still with oversight, still private and confidential: only the category changed.
    assert c.responsible_unit == city["inspectorate"]
    assert (c.visibility, c.identity_mode) == ("private", "confidential")
    event = Event.objects.get(complaint=c, action="recategorise")
    assert event.actor_user == people["oversight"]
    # The reason is the event's personal part (erasable), the rest its facts.
    assert event.payload == {"from_category": "PUNGLI", "category": "JALAN-RUSAK", "declassified": True,
                             "reason": "Bukan pungli: jalan rusak biasa, DPU-JALAN yang dilaporkan.",
                             "subject_unit": "DPU-JALAN"}
    assert "reason" not in event.data


def test_declassifying_on_the_page(client, city, people):
    c = sensitive(city)
    client.force_login(people["oversight"])
    page = client.get(url("complaint", c.tracking_code)).content.decode()
    assert 'name="subject_unit"' in page and 'name="reason"' in page
    refused = client.post(act_url(c, "recategorise"), form(c, category="JALAN-RUSAK", subject_unit="DPU"))
    assert refused.status_code == 400
    assert "reason" in refused.context["field_errors"]
    response = client.post(act_url(c, "recategorise"), form(
        c, category="JALAN-RUSAK", subject_unit="DPU", reason="Salah kategori."))
    assert response.status_code == 303
    assert fresh(c).subject_unit == city["works"]


def test_a_complaint_about_no_unit_can_be_declassified_saying_so(city, people):
    c = sensitive(city)
    declassify(c, people, subject="none")
    c = fresh(c)
    assert c.category == city["roads_cat"] and c.subject_unit is None
    assert Event.objects.get(complaint=c, action="recategorise").data["subject_unit"] is None


# --- routing never reaches the unit it is about --------------------------------------
@pytest.mark.parametrize("target", ["roads", "works"])
def test_transfer_to_the_subject_unit_or_below_it_is_refused(city, people, target):
    c = sensitive(city)
    declassify(c, people, subject="DPU")  # Public Works, whose sub-unit is Roads
    before = fingerprint(c)
    with pytest.raises(InvalidArguments) as refused:
        perform(c, "transfer", as_staff(people["oversight"]), unit=city[target], reason="Urusan jalan.")
    assert "ruled out this unit" in refused.value.message
    assert fingerprint(c) == before
    perform(c, "transfer", as_staff(people["oversight"]), unit=city["health"], reason="Urusan lain.")
    assert fresh(c).responsible_unit == city["health"]


def test_triage_to_the_subject_unit_is_refused(client, city, people):
    # A sensitive report that could not be routed at filing (no oversight unit then)
    # waits for triage; oversight declassifies it, naming the roads unit.
    Unit.objects.filter(kind="oversight").update(active=False)
    as_stored = dict(city, bribe_cat=Category.objects.select_related("default_unit").get(code="PUNGLI"))
    c = fresh(submit(as_stored, category="bribe_cat", description=ACCUSATION).complaint)
    Unit.objects.filter(kind="oversight").update(active=True)
    assert c.state == State.SUBMITTED
    declassify(c, people, subject="DPU-JALAN")
    before = fingerprint(c)
    client.force_login(people["triage"])
    response = client.post(act_url(c, "triage"), form(c, unit="DPU-JALAN"))
    assert response.status_code == 400 and fingerprint(c) == before
    assert client.post(act_url(c, "triage"), form(c, unit="DINKES")).status_code == 303
    assert fresh(c).responsible_unit == city["health"]


def test_the_routing_rule_refuses_the_subject_unit_for_every_caller(city, people):
    # routed_unit is what triage, transfer, appeal and automatic routing all ask.
    c = sensitive(city)
    declassify(c, people, subject="DPU")
    c = fresh(c)
    for unit in ("works", "roads"):
        with pytest.raises(InvalidArguments):
            routed_unit(c, city[unit])
    assert routed_unit(c, city["health"]) == city["health"]


def test_an_appeal_reopens_to_its_last_unit_which_is_never_the_subject(city, people):
    c = sensitive(city)
    declassify(c, people, subject="DPU-JALAN")
    c = perform(c, "transfer", as_staff(people["oversight"]), unit=city["health"], reason="Urusan puskesmas.")
    health = as_staff(people["officer_health"])
    c = perform(c, "start", health)
    c = perform(c, "resolve", health, outcome="fixed", summary="Selesai.")
    c = perform(c, "confirm", ActorRef.citizen())
    c = perform(c, "reopen_on_appeal", as_staff(people["oversight"]), reason="Banding.")
    assert fresh(c).state == State.TRIAGED and fresh(c).responsible_unit == city["health"]


def test_the_accused_units_officer_never_reads_it(client, city, people):
    c = sensitive(city)
    declassify(c, people, subject="DPU-JALAN")
    perform(c, "transfer", as_staff(people["oversight"]), unit=city["health"], reason="Urusan lain.")
    for accused in ("officer_roads", "officer_roads2"):
        client.force_login(people[accused])
        assert client.get(url("complaint", c.tracking_code)).status_code == 404
        assert c.tracking_code not in client.get(url("inbox") + "?status=all").content.decode()
        # Nobody can hand it to them either.
        with pytest.raises(InvalidArguments):
            perform(c, "transfer", as_staff(people["officer_health"]), unit=city["roads"], reason="Salah unit.")
    client.force_login(people["officer_health"])
    assert client.get(url("complaint", c.tracking_code)).status_code == 200


# --- the history while it was sensitive ---------------------------------------------
def test_the_sensitive_history_stays_with_oversight_after_declassification(client, city, people):
    c = sensitive(city)
    inspector = as_staff(people["oversight"])
    c = perform(c, "note", inspector, body=SECRET_NOTE)
    c = perform(c, "request_info", inspector, message=QUESTION)
    c = perform(c, "provide_info", ActorRef.citizen(), message="Saya bisa hari Senin, NIK 3374011203850001.")
    c = declassify(c, people, subject="DPU-JALAN", reason="Bukan pungli; tindak lanjut oleh Dinkes.")
    c = perform(c, "transfer", inspector, unit=city["health"], reason="Urusan puskesmas.")
    c = perform(c, "note", as_staff(people["officer_health"]), body="Kami cek ke puskesmas.")

    client.force_login(people["officer_health"])
    html = client.get(url("complaint", c.tracking_code)).content.decode()
    assert 'id="history-withheld"' in html
    for secret in (SECRET_NOTE, "0812-7777-1234", "3374011203850001", "Saya bisa hari Senin",
                   "tindak lanjut oleh Dinkes"):
        assert secret not in html, secret
    assert "Kami cek ke puskesmas." in html and "Urusan puskesmas." in html  # after it: shown

    # Oversight still reads all of it (masked, as it reads what another unit handles).
    client.force_login(people["oversight"])
    html = client.get(url("complaint", c.tracking_code)).content.decode()
    assert SECRET_NOTE in html and "Saya bisa hari Senin, NIK [NIK]." in html
    assert 'id="history-withheld"' not in html

    # An administrator reads the ordinary complaint it became unmasked, but its sensitive
    # past as a sensitive complaint: masked.
    client.force_login(people["admin"])
    html = client.get(url("complaint", c.tracking_code)).content.decode()
    assert "Saya bisa hari Senin, NIK [NIK]." in html and "3374011203850001" not in html
    audit = client.get(url("audit", c.tracking_code)).content.decode()
    assert "[phone]" in audit and "0812-7777-1234" not in audit
    assert Message.objects.filter(complaint=c).count() == 4  # nothing was deleted
