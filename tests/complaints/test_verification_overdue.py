"""An overdue verification escalates (issue 14, item 6): the sweep escalates a resolution no
verifier confirmed in time, once per level, on the verifier's own level; the alert goes to
those who may verify (never the resolver), supervisors above the unit may verify it, and
the unit's public figures do not change."""

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse

from complaints import sla
from complaints.lifecycle.errors import NotPermitted
from complaints.models import Event, Notification, State
from complaints.staff.queries.clocks import clocks
from complaints.staff.queries.inbox import InboxFilters, inbox
from complaints.staff.queries.oversight import oversight_inbox
from dashboard import rollups
from dashboard.models import ComplaintFact
from routing import calendar
from routing.models import Category

from ..conftest import make_user, submit
from ..local_servers import at_once
from .helpers import as_staff, fresh, perform

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
START = dt.datetime(2026, 8, 3, 9, tzinfo=WIB)  # a Monday


@pytest.fixture
def boss(city):
    """The roads unit's only supervisor, who resolves himself (so may not verify)."""
    return make_user("roads_boss", units=[(city["roads"], "supervisor")])


def verifying(city, people, resolver, days=2, resolved=None):
    Category.objects.filter(pk=city["roads_cat"].pk).update(needs_verification=True, verification_target_days=days)
    c = submit(city, now=START).complaint
    c = perform(c, "triage", as_staff(people["triage"]), unit=city["roads"], now=START)
    c = perform(c, "start", as_staff(people["officer_roads"]), now=START)
    perform(c, "resolve", as_staff(resolver), outcome="fixed", summary="Sudah ditambal.",
            now=resolved or START + dt.timedelta(hours=1))
    c = fresh(c)
    assert c.state == State.VERIFYING
    return c


def alerted(c, kind):
    return sorted(Notification.objects.filter(complaint=c, kind=kind).values_list("to_email", flat=True))


def test_an_overdue_verification_escalates_once_per_level_to_those_who_may_verify(city, people, boss):
    c = verifying(city, people, boss)
    due = c.verification_due_at
    # Not yet due: untouched.
    assert sla.sweep(now=due - dt.timedelta(minutes=1))["escalated"] == 0
    assert fresh(c).audit_count == c.audit_count and fresh(c).verification_escalation_level == 0

    assert sla.sweep(now=due + dt.timedelta(minutes=1))["escalated"] == 1
    assert sla.sweep(now=due + dt.timedelta(hours=2))["escalated"] == 0  # once per level
    c = fresh(c)
    assert c.state == State.VERIFYING
    assert (c.verification_escalation_level, c.escalation_level) == (1, 0)  # the verifier's, not the unit's
    event = Event.objects.get(complaint=c, action="escalate")
    assert event.data == {"level": 1, "due": "verification"} and event.actor_label == "sla-sweep"
    # The unit's only supervisor resolved it: the supervisor of the unit above is told;
    # neither the resolver nor the unit's officers.
    assert alerted(c, "staff_escalation_1") == [people["supervisor_works"].email]
    body = Notification.objects.get(complaint=c, kind="staff_escalation_1").body
    assert "verification due date" in body and "Siti" not in body and "/staff/complaints/" in body

    level2 = calendar.add_working_days(due, 2)
    assert sla.sweep(now=level2 - dt.timedelta(minutes=1))["escalated"] == 0
    assert sla.sweep(now=level2 + dt.timedelta(minutes=1))["escalated"] == 1
    c = fresh(c)
    assert (c.verification_escalation_level, c.escalation_level) == (2, 0)
    assert alerted(c, "staff_escalation_2") == sorted([people["supervisor_works"].email, people["oversight"].email])
    assert sla.sweep(now=level2 + dt.timedelta(days=90))["escalated"] == 0
    assert Event.objects.filter(complaint=c, action="escalate").count() == 2
    everyone = Notification.objects.filter(complaint=c, kind__startswith="staff_").values_list("to_email", flat=True)
    assert boss.email not in everyone and people["officer_roads"].email not in everyone


def test_a_parent_unit_supervisor_verifies_after_it_and_the_resolver_still_cannot(client, city, people, boss):
    from tests.staff.helpers import fingerprint, form

    c = verifying(city, people, boss)
    sla.sweep(now=c.verification_due_at + dt.timedelta(minutes=1))
    c = fresh(c)
    before = fingerprint(c)
    for action, args in (("verify", {}), ("send_back", {"reason": "Belum"})):
        with pytest.raises(NotPermitted):
            perform(c, action, as_staff(boss), **args)
        client.force_login(boss)
        refused = client.post(reverse("staff:act", args=[c.tracking_code, action]), form(c, **args))
        assert refused.status_code == 403
        assert fingerprint(c) == before
    page = client.get(reverse("staff:complaint", args=[c.tracking_code])).content.decode()
    assert 'id="action-verify"' not in page and "verification late: escalation level 1" in page
    rows = client.get(reverse("staff:inbox") + "?status=verifying").content.decode()
    assert "verification late 1" in rows
    # The supervisor of the unit above (public works) may verify it.
    client.force_login(people["supervisor_works"])
    page = client.get(reverse("staff:complaint", args=[c.tracking_code])).content.decode()
    assert 'id="action-verify"' in page and 'id="action-send_back"' in page
    done = client.post(reverse("staff:act", args=[c.tracking_code, "verify"]), form(c))
    assert done.status_code == 303
    c = fresh(c)
    assert c.state == State.RESOLVED and c.verified_at is not None
    # Verified: no longer escalated, in no "escalated" list, no "late" badge.
    assert c.verification_escalation_level == 0
    client.force_login(people["oversight"])
    escalated = client.get(reverse("staff:oversight") + "?list=escalated").content.decode()
    assert c.tracking_code not in escalated
    assert "verification late" not in client.get(reverse("staff:complaint", args=[c.tracking_code])).content.decode()


def test_a_parent_supervisor_may_send_it_back(city, people, boss):
    c = verifying(city, people, boss)
    sla.sweep(now=c.verification_due_at + dt.timedelta(minutes=1))
    c = perform(fresh(c), "send_back", as_staff(people["supervisor_works"]), reason="Foto jalan lain.")
    c = fresh(c)
    assert c.state == State.IN_PROGRESS and c.sent_back_count == 1
    assert c.verification_escalation_level == 0  # sent back: that verification has ended
    # The next resolve is a new verification: its lateness counts from 0 again.
    perform(c, "resolve", as_staff(people["officer_roads"]), outcome="fixed", summary="Sudah lagi.")
    assert fresh(c).verification_escalation_level == 0


def test_when_nobody_but_the_resolver_can_verify_oversight_is_alerted_and_lists_it(city, people, boss):
    people["supervisor_works"].is_active = False  # the only other supervisor up the line
    people["supervisor_works"].save()
    c = verifying(city, people, boss)
    sla.sweep(now=c.verification_due_at + dt.timedelta(minutes=1))
    assert fresh(c).verification_escalation_level == 1
    assert alerted(c, "staff_escalation_1") == [people["oversight"].email]
    listed = oversight_inbox(people["oversight"], "escalated", "", 1)
    assert c.pk in [row.pk for row in listed["page"].object_list] and listed["counts"]["escalated"] == 1
    # Still never the resolver.
    with pytest.raises(NotPermitted):
        perform(c, "verify", as_staff(boss))


def test_a_unit_already_escalated_for_its_own_lateness_still_escalates_the_verification(city, people, boss):
    Category.objects.filter(pk=city["roads_cat"].pk).update(needs_verification=True)
    c = submit(city, now=START).complaint
    c = perform(c, "triage", as_staff(people["triage"]), unit=city["roads"], now=START)
    sla.sweep(now=fresh(c).response_due_at + dt.timedelta(days=90))  # the unit's level 2
    assert fresh(c).escalation_level == 2
    resolved = fresh(c).response_due_at + dt.timedelta(days=91)
    c = perform(fresh(c), "start", as_staff(people["officer_roads"]), now=resolved)
    perform(c, "resolve", as_staff(boss), outcome="fixed", summary="Sudah.", now=resolved)
    assert sla.sweep(now=fresh(c).verification_due_at + dt.timedelta(minutes=1))["escalated"] == 1
    c = fresh(c)
    assert (c.escalation_level, c.verification_escalation_level) == (2, 1)
    assert Event.objects.filter(complaint=c, action="escalate", data__due="verification").count() == 1


def test_inbox_overdue_means_overdue_verification_only_for_those_who_may_verify(city, people, boss):
    c = verifying(city, people, boss)
    late = c.verification_due_at + dt.timedelta(hours=1)
    filters = InboxFilters(status="verifying", overdue=True)
    for user, expected in ((people["supervisor_works"], [c.pk]), (boss, []), (people["officer_roads"], [])):
        result = inbox(user, filters, now=late)
        assert [row.pk for row in result["page"].object_list] == expected, user
        assert result["totals"]["overdue"] == len(expected)
    # Before its due date nobody sees it overdue.
    assert inbox(people["supervisor_works"], filters, now=c.verification_due_at - dt.timedelta(hours=1))[
        "totals"]["overdue"] == 0
    # The list row shows the verifier's clock; the complaint page's verification clock is overdue.
    row = inbox(people["supervisor_works"], InboxFilters(status="verifying"), now=late)["page"].object_list[0]
    assert row.days_left is not None and row.days_left < 0
    shown = {str(clock.label): clock for clock in clocks(c, late)}
    assert shown["Verification"].overdue and not shown["Resolution"].overdue
    # The unit's own overdue figures count the unit's steps only.
    from dashboard import staff
    from dashboard.metrics import parse_period

    [roads] = staff.unit_figures(parse_period({"period": "90d"}), [city["roads"]], now=late)
    assert roads.overdue == 0


def test_the_units_public_figures_are_the_same_with_and_without_the_escalation(client, city, people, boss):
    c = verifying(city, people, boss)

    def figures():
        out = {}
        for unit in ("", "&unit=DPU-JALAN", "&unit=DPU"):
            data = client.get(f"/dashboard/api/summary.json?start=2026-07-01&end=2026-09-30{unit}").json()
            for f in data["figures"]:
                f.pop("as_of", None)
            out[unit] = data
        return out

    fact = ComplaintFact.objects.filter(pk=c.pk).values().get()
    before = figures()
    assert sla.sweep(now=calendar.add_working_days(c.verification_due_at, 5))["escalated"] == 1
    assert fresh(c).verification_escalation_level == 2
    assert figures() == before
    assert ComplaintFact.objects.filter(pk=c.pk).values().get() == fact
    rollups.rebuild()
    assert figures() == before
    # The open-data export's escalation column is the unit's: unchanged.
    export = client.get("/dashboard/export/complaints.csv?start=2026-07-01&end=2026-09-30")
    text = b"".join(export.streaming_content).decode() if export.streaming else export.content.decode()
    header, *rows = [line.split(",") for line in text.strip().splitlines()]
    assert [row[header.index("escalation_level")] for row in rows] == ["0"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_escalate_an_overdue_verification_once(city, people, boss):
    complaints = [verifying(city, people, boss) for _ in range(4)]
    now = complaints[-1].verification_due_at + dt.timedelta(hours=1)
    results, errors = at_once(lambda: sla.sweep(now=now))
    assert not errors, errors
    assert sum(r["escalated"] for r in results) == len(complaints)
    for c in complaints:
        assert Event.objects.filter(complaint=c, action="escalate").count() == 1
        assert fresh(c).verification_escalation_level == 1
        assert alerted(c, "staff_escalation_1") == [people["supervisor_works"].email]


def test_the_verification_alert_is_written_in_the_sites_language(city, people, boss, settings):
    settings.LANGUAGE_CODE = "id"
    c = verifying(city, people, boss)
    sla.sweep(now=c.verification_due_at + dt.timedelta(minutes=1))
    body = Notification.objects.get(complaint=c, kind="staff_escalation_1").body
    assert "tenggat verifikasi penyelesaian" in body and "selain petugas yang menyelesaikannya" in body
