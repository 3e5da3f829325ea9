"""A citizen withdraws a report that no unit has handled yet: a terminal state of its own,
audited, shown on the tracking page and the ticker, counted apart on the dashboards,
closed in Open311, and reopenable by oversight like every ended complaint."""

import pytest
from django.urls import reverse
from django.utils import translation

from complaints.audit import verify_complaint
from complaints.lifecycle.engine import available_actions, perform
from complaints.lifecycle.errors import IllegalTransition, NotPermitted
from complaints.models import Event, State
from complaints.open311.service_requests import status_notes, status_of
from complaints.permissions import ActorRef
from dashboard import metrics

from ..conftest import CITIZEN, as_staff, submit
from .helpers import drive, event_count, fresh


def test_a_submitted_report_is_withdrawn_with_its_reason_audited(city):
    c = submit(city).complaint
    perform(c, "withdraw", CITIZEN, reason="Sudah diperbaiki warga sendiri.")
    c = fresh(c)
    assert c.state == State.WITHDRAWN
    event = Event.objects.get(complaint=c, action="withdraw")
    assert (event.from_state, event.to_state, event.actor_type, event.public) == (
        "submitted", "withdrawn", "citizen", True)
    assert event.payload == {"reason": "Sudah diperbaiki warga sendiri."} and event.data == {}  # the reason is personal
    assert verify_complaint(c) is None


def test_a_report_waiting_for_the_citizen_before_triage_may_be_withdrawn_without_a_reason(city, people):
    c = drive(submit(city).complaint, people, city, "needs_info")
    perform(c, "withdraw", CITIZEN)
    c = fresh(c)
    assert c.state == State.WITHDRAWN and c.info_due_at is None


def test_once_a_unit_handles_it_the_report_can_no_longer_be_withdrawn(city, people):
    for state in ("triaged", "in_progress", "resolved"):
        c = drive(submit(city).complaint, people, city, state)
        before = event_count(c)
        assert "withdraw" not in available_actions(c, CITIZEN)
        with pytest.raises(IllegalTransition):
            perform(c, "withdraw", CITIZEN, reason="x")
        assert fresh(c).state == state and event_count(c) == before
    # A question from the unit (needs_info after triage) does not reopen the door.
    c = drive(submit(city).complaint, people, city, "triaged")
    c = perform(c, "request_info", as_staff(people["officer_roads"]), message="Nomor rumah?")
    with pytest.raises(IllegalTransition):
        perform(c, "withdraw", CITIZEN)


def test_only_the_citizen_withdraws(city, people):
    c = submit(city).complaint
    for user in ("triage", "officer_roads", "oversight", "admin"):
        with pytest.raises(NotPermitted):
            perform(c, "withdraw", as_staff(people[user]))
    with pytest.raises(NotPermitted):
        perform(c, "withdraw", ActorRef.system())
    assert fresh(c).state == State.SUBMITTED


def test_oversight_reopens_a_withdrawn_report_to_triage(city, people):
    c = submit(city).complaint
    perform(c, "withdraw", CITIZEN)
    c = perform(fresh(c), "reopen_on_appeal", as_staff(people["oversight"]), reason="Ditarik di bawah tekanan.")
    assert fresh(c).state == State.SUBMITTED


def test_the_tracking_page_offers_withdrawal_and_shows_it_on_the_timeline(client, city):
    filed = submit(city)
    c = filed.complaint
    client.post(reverse("complaints:track"), {"code": c.tracking_code, "token": filed.token})
    page = client.get(reverse("complaints:track_page", args=[c.tracking_code]))
    assert b"act-withdraw" in page.content
    response = client.post(reverse("complaints:track_action", args=[c.tracking_code, "withdraw"]), {
        "withdraw-expected_state": "submitted", "withdraw-expected_version": str(c.audit_count),
        "withdraw-reason": "Salah kirim."})
    assert response.status_code == 302
    page = client.get(reverse("complaints:track_page", args=[c.tracking_code]))
    html = page.content.decode()
    assert "Your report was withdrawn" in html and "You withdrew the report" in html
    assert "act-withdraw" not in html
    assert fresh(c).state == State.WITHDRAWN


def test_withdrawal_is_translated(city):
    with translation.override("id"):
        from complaints.lifecycle.actions import ACTIONS

        assert str(ACTIONS["withdraw"].label) != "Withdraw the report"
        assert str(State.WITHDRAWN.label) != "Withdrawn"


def test_the_dashboard_counts_withdrawn_reports_apart_from_received(city):
    kept = submit(city).complaint
    gone = submit(city).complaint
    perform(gone, "withdraw", CITIZEN)
    period = metrics.parse_period({"period": "7d"})
    received = {f["name"]: f for f in metrics.summary(period)["figures"]}["received"]
    assert (received["count"], received["withdrawn"]) == (1, 1)
    assert "withdrew" in received["definition"]
    assert kept.pk != gone.pk


def test_the_ticker_announces_a_withdrawal(city, django_capture_on_commit_callbacks):
    from asgiref.sync import async_to_sync
    from channels.layers import get_channel_layer

    from dashboard.live import GROUP_ALL

    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(GROUP_ALL, channel)
    c = submit(city).complaint
    with django_capture_on_commit_callbacks(execute=True):
        perform(c, "withdraw", CITIZEN)
    event = async_to_sync(layer.receive)(channel)["event"]
    assert (event["action"], event["state"], event["from_state"]) == ("withdraw", "withdrawn", "submitted")
    async_to_sync(layer.group_discard)(GROUP_ALL, channel)


def test_open311_reports_a_withdrawn_complaint_as_closed_with_the_detail_in_the_notes(city):
    c = submit(city).complaint
    perform(c, "withdraw", CITIZEN)
    c = fresh(c)
    assert status_of(c) == "closed"
    assert status_notes(c) == "Withdrawn"
