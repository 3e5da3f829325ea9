"""A citizen asks the oversight body to review a rejection or a duplicate marking
(request_review), and oversight upholds or overturns the decision (uphold_review,
overturn_review): the request's rules, the oversight list, the decisions' outcomes for the
citizen (page and e-mail), and who may decide."""

import datetime as dt

import pytest
from django.urls import reverse

from complaints.lifecycle.engine import perform
from complaints.lifecycle.errors import InvalidArguments, NotPermitted
from complaints.models import Event, Notification, State

from ..complaints.helpers import CITIZEN, SYSTEM, drive, fresh
from ..conftest import as_staff, submit
from ..staff.helpers import fingerprint, form


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"


def page_of(complaint):
    return f"/track/{complaint.tracking_code}/"


def act_path(complaint, action):
    return reverse("complaints:track_action", args=[complaint.tracking_code, action])


def opened(client, filed):
    """The citizen opens their tracking page with the code and key from the receipt."""
    response = client.post("/track/", {"code": filed.complaint.tracking_code, "token": filed.token})
    assert response.status_code == 302
    return client


def ask(client, complaint, reason="Laporan saya bukan iklan; lubangnya masih ada."):
    c = fresh(complaint)
    return client.post(act_path(c, "request_review"), {
        "request_review-expected_state": c.state, "request_review-expected_version": str(c.audit_count),
        "request_review-reason": reason})


@pytest.fixture
def rejected(city, people):
    filed = submit(city)
    drive(filed.complaint, people, city, "rejected")
    return filed


@pytest.fixture
def requested(client, rejected):
    assert ask(opened(client, rejected), rejected.complaint).status_code == 302
    return rejected.complaint


# --- the request ------------------------------------------------------------------------------
def test_the_rejected_citizen_asks_for_a_review_and_it_lands_in_oversights_list(client, rejected, people):
    opened(client, rejected)
    page = client.get(page_of(rejected.complaint)).content.decode()
    assert 'id="act-request_review"' in page or "request_review-reason" in page
    response = ask(client, rejected.complaint)
    assert response.status_code == 302
    c = fresh(rejected.complaint)
    assert c.state == State.REJECTED and c.review_requested_at is not None
    event = Event.objects.filter(complaint=c).order_by("-seq").first()
    assert event.action == "request_review" and event.actor_type == "citizen"
    page = client.get(page_of(c)).content.decode()
    assert 'id="review-pending"' in page and "lubangnya masih ada" in page
    assert "request_review-reason" not in page  # one pending request at a time

    client.force_login(people["oversight"])
    listing = client.get(reverse("staff:oversight") + "?list=review").content.decode()
    assert c.tracking_code in listing
    assert 'href="?list=review" aria-current="true">Review requested <span class="count">1</span>' in listing


def test_a_duplicate_marking_may_be_reviewed_too(client, city, people):
    original = submit(city).complaint
    filed = submit(city)
    perform(filed.complaint, "mark_duplicate", as_staff(people["triage"]), duplicate_of=original.tracking_code)
    assert ask(opened(client, filed), filed.complaint).status_code == 302
    assert fresh(filed.complaint).review_requested_at is not None


def test_a_wrong_key_cannot_ask(client, rejected):
    refused = client.post("/track/", {"code": rejected.complaint.tracking_code, "token": "guess"})
    assert refused.status_code == 404
    before = fingerprint(rejected.complaint)
    assert ask(client, rejected.complaint).status_code == 404
    assert fingerprint(rejected.complaint) == before and fresh(rejected.complaint).review_requested_at is None


def test_a_second_request_while_one_is_pending_is_a_clear_error(client, requested):
    before = fingerprint(requested)
    response = ask(client, requested, "Sekali lagi.")
    assert response.status_code == 400
    assert "already asked for a review" in response.content.decode()
    assert fingerprint(requested) == before
    with pytest.raises(InvalidArguments):
        perform(fresh(requested), "request_review", CITIZEN, reason="Lagi.")


def test_outside_the_window_the_request_is_refused(rejected, settings):
    decided = fresh(rejected.complaint).decided_at()
    with pytest.raises(InvalidArguments, match="has passed"):
        perform(fresh(rejected.complaint), "request_review", CITIZEN, reason="Terlambat.",
                now=decided + dt.timedelta(days=settings.REVIEW_REQUEST_DAYS, seconds=1))
    # Just inside it, it is accepted.
    perform(fresh(rejected.complaint), "request_review", CITIZEN, reason="Tepat waktu.",
            now=decided + dt.timedelta(days=settings.REVIEW_REQUEST_DAYS))
    assert fresh(rejected.complaint).review_requested_at is not None


def test_outside_the_window_the_page_refuses_with_the_reason(client, city, people, settings):
    filed = submit(city)
    drive(filed.complaint, people, city, "rejected")
    settings.REVIEW_REQUEST_DAYS = -1  # the window closed before now
    opened(client, filed)
    assert "request_review-reason" not in client.get(page_of(filed.complaint)).content.decode()
    before = fingerprint(filed.complaint)
    response = ask(client, filed.complaint)
    assert response.status_code == 400
    assert "time to ask for a review of this decision has passed" in response.content.decode()
    assert fingerprint(filed.complaint) == before


@pytest.mark.parametrize("reason", ["Ada\x00nol", "x" * 2001, "   "])
def test_nul_huge_or_empty_reasons_are_refused(client, rejected, reason):
    opened(client, rejected)
    before = fingerprint(rejected.complaint)
    response = ask(client, rejected.complaint, reason)
    assert response.status_code == 400
    assert fingerprint(rejected.complaint) == before
    with pytest.raises(InvalidArguments):
        perform(fresh(rejected.complaint), "request_review", CITIZEN, reason=reason)
    assert fresh(rejected.complaint).review_requested_at is None


def test_only_a_rejection_or_a_duplicate_can_be_reviewed(client, city, people):
    filed = submit(city)
    drive(filed.complaint, people, city, "closed")
    opened(client, filed)
    assert "request_review-reason" not in client.get(page_of(filed.complaint)).content.decode()
    before = fingerprint(filed.complaint)
    assert ask(client, filed.complaint).status_code in (400, 409)
    assert fingerprint(filed.complaint) == before


# --- oversight's decisions ----------------------------------------------------------------------
def test_oversight_upholds_with_a_reason_the_citizen_reads(client, requested, people):
    client.force_login(people["oversight"])
    page = client.get(reverse("staff:complaint", args=[requested.tracking_code])).content.decode()
    assert 'id="action-uphold_review"' in page and 'id="action-overturn_review"' in page
    assert "lubangnya masih ada" in page  # the citizen's reason, in the history
    response = client.post(reverse("staff:act", args=[requested.tracking_code, "uphold_review"]),
                           form(requested, reason="Isinya memang iklan toko ban."))
    assert response.status_code == 303
    c = fresh(requested)
    assert c.state == State.REJECTED and c.review_requested_at is None
    listing = client.get(reverse("staff:oversight") + "?list=review").content.decode()
    assert c.tracking_code not in listing
    mail = Notification.objects.get(complaint=c, kind="review_upheld")
    assert mail.to_email == "siti.rahayu@example.com" and "Isinya memang iklan toko ban." in mail.body
    client.logout()


def test_the_upheld_reason_is_on_the_citizens_page(client, rejected, people):
    opened(client, rejected)
    ask(client, rejected.complaint)
    perform(fresh(rejected.complaint), "uphold_review", as_staff(people["oversight"]), reason="Isinya memang iklan.")
    page = client.get(page_of(rejected.complaint)).content.decode()
    assert "upheld it" in page and "Isinya memang iklan." in page
    assert 'id="review-pending"' not in page
    # The window is still open: another request may follow once the first is answered.
    assert "request_review-reason" in page


def test_oversight_overturns_and_the_report_goes_back_to_triage(client, requested, people):
    client.force_login(people["oversight"])
    response = client.post(reverse("staff:act", args=[requested.tracking_code, "overturn_review"]),
                           form(requested, reason="Bukan iklan; ada foto lubang."))
    assert response.status_code == 303
    c = fresh(requested)
    assert c.state == State.SUBMITTED and c.review_requested_at is None and c.reject_reason == ""
    assert Event.objects.filter(complaint=c, action="overturn_review").count() == 1
    mail = Notification.objects.get(complaint=c, kind="review_overturned")
    assert "Bukan iklan; ada foto lubang." in mail.body
    # Triage can route it again.
    perform(c, "triage", as_staff(people["triage"]), unit="DPU-JALAN")


def test_an_overturned_duplicate_is_no_longer_one(city, people):
    original = submit(city).complaint
    c = submit(city).complaint
    c = perform(c, "mark_duplicate", as_staff(people["triage"]), duplicate_of=original.tracking_code)
    c = perform(c, "request_review", CITIZEN, reason="Ini masalah lain, di jalan lain.")
    c = perform(c, "overturn_review", as_staff(people["oversight"]), reason="Benar, lokasinya berbeda.")
    c = fresh(c)
    assert c.state == State.SUBMITTED and c.duplicate_of is None


def test_a_complaint_rejected_after_routing_goes_back_to_its_unit(city, people):
    c = drive(submit(city).complaint, people, city, "triaged")
    c = perform(c, "request_info", as_staff(people["officer_roads"]), message="Di mana tepatnya?")
    c = perform(c, "reject", SYSTEM, reason="not_enough_information", message="Tidak ada jawaban.")
    c = perform(c, "request_review", CITIZEN, reason="Saya tidak menerima pertanyaannya.")
    c = perform(c, "overturn_review", as_staff(people["oversight"]), reason="Pertanyaan tidak sampai.")
    assert fresh(c).state == State.TRIAGED and fresh(c).responsible_unit == city["roads"]


def test_no_decision_without_a_pending_request(rejected, people):
    with pytest.raises(Exception) as refused:
        perform(fresh(rejected.complaint), "uphold_review", as_staff(people["oversight"]), reason="Tetap.")
    assert refused.value.status in (400, 409)
    assert fresh(rejected.complaint).state == State.REJECTED


@pytest.fixture
def requested_with_unit(city, people):
    """Rejected after a unit asked a question nobody answered: the unit's officer can
    open it, so a refusal is about the role, not about seeing it."""
    c = drive(submit(city).complaint, people, city, "triaged")
    c = perform(c, "request_info", as_staff(people["officer_roads"]), message="Di mana tepatnya?")
    c = perform(c, "reject", SYSTEM, reason="not_enough_information", message="Tidak ada jawaban.")
    return perform(c, "request_review", CITIZEN, reason="Saya tidak menerima pertanyaannya.")


@pytest.mark.parametrize("action", ["uphold_review", "overturn_review"])
@pytest.mark.parametrize("role", ["officer_roads", "triage", "nobody"])
def test_other_roles_get_403_on_the_decisions(client, requested_with_unit, people, role, action):
    c = requested_with_unit
    before = fingerprint(c)
    client.force_login(people[role])
    response = client.post(reverse("staff:act", args=[c.tracking_code, action]), form(c, reason="Saya putuskan."))
    assert response.status_code == 403
    assert fingerprint(c) == before and fresh(c).review_requested_at is not None


@pytest.mark.parametrize("action", ["uphold_review", "overturn_review"])
def test_the_citizen_cannot_decide_their_own_request(client, city, people, action):
    filed = submit(city)
    drive(filed.complaint, people, city, "rejected")
    opened(client, filed)
    ask(client, filed.complaint)
    before = fingerprint(filed.complaint)
    with pytest.raises(NotPermitted) as refused:
        perform(fresh(filed.complaint), action, CITIZEN, reason="Saya putuskan sendiri.")
    assert refused.value.status == 403
    c = fresh(filed.complaint)
    response = client.post(act_path(c, action), {f"{action}-reason": "Saya putuskan sendiri.",
                                                 f"{action}-expected_state": c.state,
                                                 f"{action}-expected_version": str(c.audit_count)})
    assert response.status_code in (302, 403, 404)
    assert fingerprint(filed.complaint) == before and fresh(filed.complaint).review_requested_at is not None
