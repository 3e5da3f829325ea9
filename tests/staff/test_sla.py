"""The SLA engine: due dates on the working-day calendar, the pause while waiting for the
citizen, escalation levels with their alerts, auto-close, the needs_info timeout, and
concurrent sweeps."""

import datetime as dt
import zoneinfo

import pytest

from complaints import sla
from complaints.models import Event, Notification, State
from complaints.permissions import can_view
from complaints.lifecycle.engine import perform
from routing import calendar

from ..conftest import CITIZEN, make_user
from ..local_servers import at_once
from .helpers import as_staff, drive, fresh, submit

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")


def at(*args):
    return dt.datetime(*args, tzinfo=WIB)


def test_due_dates_skip_weekends_and_public_holidays(city, people):
    # Friday 14 August 2026; Monday the 17th is Independence Day, the 25th the Prophet's Birthday.
    c = submit(city, now=at(2026, 8, 14, 10)).complaint
    assert fresh(c).triage_due_at == at(2026, 8, 20, 10)  # Tue, Wed, Thu
    perform(c, "triage", as_staff(people["triage"]), unit=city["roads"], now=at(2026, 8, 20, 9))
    c = fresh(c)
    # Five working days: Fri 21, Mon 24, (Tue 25 off), Wed 26, Thu 27, Fri 28.
    assert c.response_due_at == at(2026, 8, 28, 9)
    assert c.resolution_due_at == calendar.add_working_days(at(2026, 8, 20, 9), 14)


def test_due_dates_follow_the_admin_calendar_exceptions(city, people):
    from routing.models import CalendarDay

    CalendarDay.objects.create(date=dt.date(2026, 10, 13), is_working_day=False, note="cuti")
    calendar.clear_cache()
    try:
        c = submit(city, now=at(2026, 10, 9, 10)).complaint  # a Friday
        assert fresh(c).triage_due_at == at(2026, 10, 15, 10)  # Mon, (Tue off), Wed, Thu
    finally:
        CalendarDay.objects.all().delete()
        calendar.clear_cache()


def test_waiting_for_the_citizen_pauses_the_clock(city, people):
    # Health centre complaints resolve in 5 working days ("normative"), so the resolution
    # falls due while the citizen is still within the 10 days given to answer.
    c = submit(city, category="clinic_cat", now=at(2026, 8, 14, 10)).complaint
    c = perform(c, "triage", as_staff(people["triage"]), unit=city["health"], now=at(2026, 8, 20, 9))
    due = fresh(c).resolution_due_at
    c = perform(c, "request_info", as_staff(people["officer_health"]), message="Foto?",
                now=at(2026, 8, 24, 9))
    waiting = fresh(c)
    assert due < waiting.info_due_at
    # Past the resolution due date but still waiting: paused, so no escalation.
    assert sla.sweep(now=due + dt.timedelta(days=1)) == {"escalated": 0, "auto_closed": 0, "rejected": 0}
    assert fresh(c).escalation_level == 0
    perform(waiting, "provide_info", CITIZEN, message="Terlampir.", now=at(2026, 8, 26, 9))
    c = fresh(c)
    # Mon 09:00 -> Wed 09:00 across the Tuesday holiday is one working day.
    assert c.paused_seconds == 24 * 3600
    assert c.resolution_due_at == calendar.add_working_time(due, dt.timedelta(days=1))


@pytest.fixture
def overdue(city, people):
    """A complaint routed to roads whose first response is due and not given."""
    start = at(2026, 8, 3, 9)  # Monday
    c = submit(city, now=start).complaint
    perform(c, "triage", as_staff(people["triage"]), unit=city["roads"], now=start)
    return fresh(c)


def test_escalation_levels_alert_supervisors_then_the_parent_unit_and_oversight(city, people, overdue):
    c = overdue
    works_officer = make_user("works_officer", units=[(city["works"], "officer")])
    assert not can_view(works_officer, c)
    before_due = c.response_due_at - dt.timedelta(minutes=1)
    assert sla.sweep(now=before_due)["escalated"] == 0

    level1 = c.response_due_at + dt.timedelta(minutes=1)
    assert sla.sweep(now=level1)["escalated"] == 1
    assert sla.sweep(now=level1)["escalated"] == 0  # idempotent
    c = fresh(c)
    assert c.escalation_level == 1
    event = Event.objects.get(complaint=c, action="escalate")
    assert event.data == {"level": 1, "due": "response"} and event.actor_label == "sla-sweep"
    # Roads has no supervisor of its own: the supervisor of public works above it is told.
    alerts = Notification.objects.filter(complaint=c, kind="staff_escalation_1")
    assert sorted(alerts.values_list("to_email", flat=True)) == [people["supervisor_works"].email]
    assert "Siti" not in alerts.first().body and "/staff/complaints/" in alerts.first().body
    assert not can_view(works_officer, c)

    level2 = calendar.add_working_days(c.response_due_at, city["policy"].response_target)
    assert sla.sweep(now=level2 - dt.timedelta(minutes=1))["escalated"] == 0
    assert sla.sweep(now=level2 + dt.timedelta(minutes=1))["escalated"] == 1
    c = fresh(c)
    assert c.escalation_level == 2
    assert Event.objects.filter(complaint=c, action="escalate").count() == 2
    alerts = Notification.objects.filter(complaint=c, kind="staff_escalation_2")
    assert sorted(alerts.values_list("to_email", flat=True)) == sorted(
        [people["supervisor_works"].email, people["oversight"].email])
    # Level 2 makes it visible to the parent unit (public works) and its inbox.
    assert can_view(works_officer, c)
    assert not can_view(people["officer_health"], c)
    assert sla.sweep(now=level2 + dt.timedelta(days=90))["escalated"] == 0


def test_a_complaint_far_overdue_jumps_to_level_2_and_alerts_everyone_once(city, people, overdue):
    sla.sweep(now=overdue.response_due_at + dt.timedelta(days=60))
    c = fresh(overdue)
    assert c.escalation_level == 2
    assert list(Notification.objects.filter(complaint=c, kind__startswith="staff_").values_list("kind", "to_email").order_by("to_email")) == [
        ("staff_escalation_2", people["oversight"].email),
        ("staff_escalation_2", people["supervisor_works"].email),
    ]


def test_an_untriaged_complaint_alerts_the_triage_desk(city, people):
    c = submit(city, now=at(2026, 8, 3, 9)).complaint
    sla.sweep(now=fresh(c).triage_due_at + dt.timedelta(minutes=1))
    assert fresh(c).escalation_level == 1
    assert list(Notification.objects.filter(complaint=c, kind="staff_escalation_1")
                .values_list("to_email", flat=True)) == [people["triage"].email]


def test_sensitive_escalations_stay_with_oversight(city, people):
    start = at(2026, 8, 3, 9)
    c = submit(city, category="bribe_cat", now=start).complaint  # routed to the inspectorate
    city_supervisor = make_user("mayor_office", units=[(city["root"], "supervisor")])
    sla.sweep(now=fresh(c).response_due_at + dt.timedelta(days=200))
    c = fresh(c)
    assert c.escalation_level == 2 and c.responsible_unit == city["inspectorate"]
    recipients = set(Notification.objects.filter(complaint=c, kind__startswith="staff_escalation")
                     .values_list("to_email", flat=True))
    assert city_supervisor.email not in recipients and people["oversight"].email in recipients
    # The city government above the inspectorate never sees abuse-of-power reports.
    assert not can_view(city_supervisor, c)


def test_resolved_complaints_close_after_the_appeal_window(city, people):
    c = drive(submit(city).complaint, people, city, "resolved")
    due = fresh(c).appeal_due_at
    assert sla.sweep(now=due - dt.timedelta(minutes=1))["auto_closed"] == 0
    assert sla.sweep(now=due + dt.timedelta(minutes=1))["auto_closed"] == 1
    c = fresh(c)
    assert c.state == State.CLOSED
    assert Event.objects.filter(complaint=c, action="auto_close", actor_type="system").count() == 1


def test_unanswered_requests_for_information_are_rejected(city, people):
    c = drive(submit(city).complaint, people, city, "needs_info")
    due = fresh(c).info_due_at
    assert sla.sweep(now=due - dt.timedelta(minutes=1))["rejected"] == 0
    assert sla.sweep(now=due + dt.timedelta(minutes=1))["rejected"] == 1
    c = fresh(c)
    assert (c.state, c.reject_reason) == (State.REJECTED, "not_enough_information")
    assert "10" in c.reject_message


# --- several workers at once -------------------------------------------------------------
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_escalate_each_complaint_exactly_once(city, people):
    start = at(2026, 8, 3, 9)
    complaints = []
    for _ in range(6):
        c = submit(city, now=start).complaint
        perform(c, "triage", as_staff(people["triage"]), unit=city["roads"], now=start)
        complaints.append(c)
    now = fresh(complaints[0]).response_due_at + dt.timedelta(hours=1)
    results, errors = at_once(lambda: sla.sweep(now=now))
    assert not errors, errors
    assert sum(r["escalated"] for r in results) == len(complaints)
    for c in complaints:
        assert Event.objects.filter(complaint=c, action="escalate").count() == 1
        assert fresh(c).escalation_level == 1
        assert Notification.objects.filter(complaint=c, kind="staff_escalation_1").count() == 1
