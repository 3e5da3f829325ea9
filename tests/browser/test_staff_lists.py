"""The staff lists in a real browser at 1366 px (issue 14, items 1 and 2), as an officer
reads them: the unit inbox's default tab is the work still to do, nearest running due date
first, with resolved complaints in their own tab, tab counts that match the rows, page 2
reachable by its link, the citizen's own title (masked for confidential and anonymous
reports); the complaint page's clocks say when a step finished and run for no ended
complaint; the triage desk pages its queue, takes the officer to the next complaint after
an action and names the unit, asks before a reject, and its summary queue publishes.
The inbox and the clocks run in Indonesian and in English."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from complaints.lifecycle.engine import perform
from complaints.models import Complaint

from ..conftest import as_staff as actor, submit
from ..staff.helpers import drive, fingerprint, fresh, many
from .test_staff_desk_flow import as_staff
from .test_staff_flow import choose

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = "0812-3456-7890"
NAME = "Budi Santoso"
# What the pages say in each language, so the test knows it really ran in that language.
WORDS = {
    "id": {"to_do": "Perlu dikerjakan", "resolved": "Diselesaikan", "left": "hari kerja",
           "on_time": "selesai pada {} (tepat waktu)", "late": r"selesai pada {} \(terlambat ([\d.,]+) hari kerja\)",
           "ended": "Sudah berakhir: tidak ada tenggat yang berjalan."},
    "en": {"to_do": "To do", "resolved": "Resolved", "left": "working days",
           "on_time": "finished on {} (on time)", "late": r"finished on {} \(([\d.,]+) working days late\)",
           "ended": "Ended: no clock runs."},
}


def number(text):
    """The first number of a clock badge ("sisa 3,5 hari kerja", "overdue by 2.0 working days")."""
    return float(re.search(r"\d+(?:[.,]\d+)?", text).group().replace(",", "."))


def inbox_rows(page):
    """[(tracking code, title shown, working days left: negative when overdue, None when no
    clock runs)] of the list on this page, in order (read in one call: 50 rows)."""
    rows = page.evaluate("""() => [...document.querySelectorAll("table.staff-list tbody tr")]
        .filter(tr => tr.querySelector("td a"))
        .map(tr => {
            const due = tr.querySelector("td:last-child"), badge = due.querySelector(".badge");
            return [tr.querySelector("td a").textContent, tr.querySelector(".row-title")?.textContent ?? "",
                    badge ? badge.textContent : null, !!due.querySelector(".badge.overdue")];
        })""")
    return [(code, title, None if badge is None else (-1 if overdue else 1) * number(badge))
            for code, title, badge, overdue in rows]


def every_page(page, rows_of):
    """The rows of this list and of the pages after it, following each page's "next" link;
    also how many pages that took."""
    rows, pages = rows_of(page), 1
    while page.locator("nav.pagination a[rel=next]").count():
        page.click("nav.pagination a[rel=next]")
        page.wait_for_load_state()
        rows += rows_of(page)
        pages += 1
    return rows, pages


def tabs(page, estimated=None):
    """{status: count shown} of the inbox's tabs; `estimated` (a set) collects the tabs whose
    count is marked an estimate (≈: the history tabs on PostgreSQL, from the planner)."""
    found = {}
    for chip in page.locator("nav.filters a").all():
        status = chip.get_attribute("href").split("status=", 1)[1]
        text = chip.locator(".count").inner_text()
        found[status] = int(text.replace("≈", "").strip())
        if "≈" in text and estimated is not None:
            estimated.add(status)
    return found


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_unit_inbox_lists_the_work_to_do_nearest_due_first(live_server, page, city, people, lang):
    now = timezone.now()
    words = WORDS[lang]
    # 52 rows in progress whose running due dates are all ahead (bulk, as the unit tests make them).
    many(city, 52, state="in_progress", start=now - dt.timedelta(hours=12))
    overdue = drive(submit(city, title="Lampu jalan mati total").complaint, people, city, "in_progress")
    Complaint.objects.filter(pk=overdue.pk).update(resolution_due_at=now - dt.timedelta(days=3))
    private = drive(submit(city, visibility="private", title="Saluran air di rumah saya tersumbat").complaint,
                    people, city, "triaged")
    secret = drive(submit(city, identity_mode="confidential", reporter_name=NAME,
                          title=f"{NAME} melapor: hubungi {PHONE}").complaint, people, city, "triaged")
    anonymous = drive(submit(city, identity_mode="anonymous", reporter_name="",
                             title=f"Pungutan di loket parkir, hubungi {PHONE}").complaint, people, city, "triaged")
    waiting = perform(drive(submit(city).complaint, people, city, "triaged"), "request_info",
                      actor(people["officer_roads"]), message="Di nomor berapa tepatnya?")
    resolved = drive(submit(city, title="Trotoar retak di Jl. Kenari").complaint, people, city, "resolved")
    to_do = 52 + 5

    page = as_staff(page, live_server, people["officer_roads"], lang)
    assert page.url.endswith("/staff/inbox/")
    assert page.locator("nav.filters a[aria-current]").inner_text().startswith(words["to_do"])
    estimated = set()
    counts = tabs(page, estimated)
    # Only the history tabs may be estimates; the bounded open tabs are exact.
    assert estimated <= {"closed", "rejected", "duplicate", "withdrawn", "all"}, estimated
    assert counts["open"] == to_do and counts["resolved"] == 1 and counts["in_progress"] == 53

    first_page = inbox_rows(page)
    assert len(first_page) == 50
    rows, pages = every_page(page, inbox_rows)
    assert pages == 2 and len(rows) == to_do == len({code for code, _, _ in rows})  # page 2 holds the rest
    assert "page=2" in page.url
    codes = [code for code, _, _ in rows]

    # Nearest running due date first: the overdue one, then time left growing; the one
    # waiting for the citizen (clock paused) last; the resolved one not here at all.
    assert codes[0] == overdue.tracking_code and rows[0][2] < 0
    assert [days for _, _, days in rows[1:] if days is not None and days < 0] == []
    running = [days for _, _, days in rows[:-1]]
    assert None not in running and running == sorted(running)
    assert codes[-1] == waiting.tracking_code and rows[-1][2] is None
    assert resolved.tracking_code not in codes

    # The citizen's own title; masked for confidential and anonymous reports.
    titles = {code: title for code, title, _ in rows}
    assert titles[private.tracking_code] == "Saluran air di rumah saya tersumbat"
    assert titles[overdue.tracking_code] == "Lampu jalan mati total"
    assert "[phone]" in titles[secret.tracking_code] and "[phone]" in titles[anonymous.tracking_code]
    for title in (titles[secret.tracking_code], titles[anonymous.tracking_code]):
        assert PHONE not in title and NAME not in title

    # The resolved tab lists the resolved complaint waiting for the citizen.
    page.click("nav.filters a[href='?status=resolved']")
    page.wait_for_load_state()
    assert page.locator("nav.filters a[aria-current]").inner_text().startswith(words["resolved"])
    assert [code for code, _, _ in inbox_rows(page)] == [resolved.tracking_code]

    # Every tab with an exact count lists as many rows as its count says.
    for status, n in counts.items():
        if status in estimated:
            continue
        page.click(f"nav.filters a[href='?status={status}']")
        page.wait_for_load_state()
        listed, _ = every_page(page, inbox_rows)
        assert len(listed) == n, status
    page.click("nav.filters a[href='?status=all']")
    page.wait_for_load_state()
    assert PHONE not in page.content() and NAME not in page.content()


@pytest.mark.parametrize("lang", ["id", "en"])
def test_clocks_say_when_a_step_finished_and_none_runs_for_a_rejected_complaint(live_server, page, city,
                                                                                people, lang):
    words = WORDS[lang]
    on_time = drive(submit(city).complaint, people, city, "triaged")
    late = drive(submit(city).complaint, people, city, "triaged")
    Complaint.objects.filter(pk=late.pk).update(triage_due_at=late.triaged_at - dt.timedelta(days=10))
    rejected = drive(submit(city).complaint, people, city, "rejected")

    def clocks(c):
        page.goto(f"{live_server.url}/staff/complaints/{c.tracking_code}/")
        return page.locator("section[aria-labelledby=h-sla]")

    page = as_staff(page, live_server, people["triage"], lang)
    section = clocks(on_time)
    day = f"{timezone.localtime(on_time.triaged_at):%Y-%m-%d}"
    assert words["on_time"].format(day) in section.locator(".badge.ok").first.inner_text()
    assert words["left"] in section.inner_text()  # the unit's steps still run

    section = clocks(late)
    day = f"{timezone.localtime(late.triaged_at):%Y-%m-%d}"
    badge = section.locator(".badge.overdue").first.inner_text()
    assert number(re.fullmatch(words["late"].format(day), badge).group(1)) > 0

    section = clocks(rejected)
    assert section.inner_text().strip().endswith(words["ended"])
    assert section.locator(".badge").count() == 0  # neither time left nor overdue


def test_the_triage_desk_pages_routes_to_the_next_confirms_a_reject_and_publishes(live_server, page, city,
                                                                                 people):
    now = timezone.now()
    first, second, third = (submit(city, title=f"Jalan berlubang nomor {i}", now=now - dt.timedelta(days=10, hours=-i))
                            .complaint for i in range(3))
    Complaint.objects.filter(pk__in=[first.pk, second.pk, third.pk]).update(
        suggested_units=[["DPU-JALAN", 0.8], ["DINKES", 0.1]])
    many(city, 52, state="submitted", start=now - dt.timedelta(days=5))  # after those three

    page = as_staff(page, live_server, people["triage"], "en")
    assert page.url.endswith("/staff/triage/")

    # More than 50 waiting: page 2 is reachable by its link and holds the rest.
    def queue(page):
        return [item.get_attribute("id")[2:] for item in page.locator("li.queue-item").all()]

    on_page_1 = queue(page)
    assert len(on_page_1) == 50
    assert on_page_1[:3] == [first.tracking_code, second.tracking_code, third.tracking_code]
    assert page.locator("nav.pagination a[rel=next]").is_visible()
    codes, pages = every_page(page, queue)
    assert pages == 2 and len(codes) == 55 == len(set(codes))
    assert page.locator("nav.pagination a[rel=prev]").is_visible()

    # Accepting the suggestion on the queue's first complaint: on to the next one, and the
    # message names the unit.
    page.goto(f"{live_server.url}/staff/triage/")
    page.click(f"#q-{first.tracking_code} label a")
    page.wait_for_load_state()
    choose(page, "triage")
    page.click("#action-triage form.inline-form button.primary")
    page.wait_for_load_state()
    assert f"/staff/complaints/{second.tracking_code}/?queue=triage" in page.url
    assert "Routed to DPU-JALAN." in page.locator(".messages").inner_text()
    assert (fresh(first).state, fresh(first).responsible_unit.code) == ("triaged", "DPU-JALAN")

    # Reject asks first; nothing changes before "Yes"; then on to the next one.
    choose(page, "reject")
    page.select_option("#reject-reason", "spam")
    page.fill("#reject-message", "Ini iklan, bukan pengaduan.")
    before = fingerprint(second)
    page.click("#action-reject button.danger")
    page.wait_for_load_state()
    assert page.locator("#confirm-button").is_visible()
    assert "Ini iklan, bukan pengaduan." in page.locator("#confirm").inner_text()
    assert fingerprint(second) == before
    page.click("#confirm-button")
    page.wait_for_load_state()
    assert fresh(second).state == "rejected"
    assert f"/staff/complaints/{third.tracking_code}/?queue=triage" in page.url

    # Accepting a suggestion on the queue page itself also leads on to the next complaint.
    page.goto(f"{live_server.url}/staff/triage/")
    page.click(f"#q-{third.tracking_code} .suggestion button.primary")
    page.wait_for_load_state()
    assert "Routed to DPU-JALAN." in page.locator(".messages").inner_text()
    assert fresh(third).responsible_unit.code == "DPU-JALAN"
    following = Complaint.objects.filter(state="submitted").order_by("submitted_at", "pk").first()
    assert f"/staff/complaints/{following.tracking_code}/?queue=triage" in page.url

    # The summary queue lists the routed public complaints (not the rejected one) and
    # publishes from there.
    page.goto(f"{live_server.url}/staff/triage/summaries/")
    assert [row.get_attribute("id")[2:] for row in page.locator("#summaries tbody tr[id]").all()] == [
        first.tracking_code, third.tracking_code]
    page.click(f"#s-{first.tracking_code} a")
    page.wait_for_load_state()
    form = page.locator("#action-approve_summary form")
    assert form.is_visible()
    form.locator("#sum-title").fill("Jalan berlubang di Jl. Merdeka")
    form.locator("#sum-text").fill("Lubang besar di ruas Jl. Merdeka dekat sekolah.")
    form.locator("#sum-publish").check()
    form.locator("button[type=submit]").last.click()
    page.wait_for_load_state()
    assert "Public summary approved and published." in page.locator(".messages").inner_text()
    assert f"/staff/complaints/{third.tracking_code}/?queue=summaries" in page.url  # the next one
    assert Complaint.objects.published().filter(pk=first.pk).exists()
    page.goto(f"{live_server.url}/staff/triage/summaries/")
    assert page.locator(f"#s-{first.tracking_code}").count() == 0
    assert page.locator(f"#s-{third.tracking_code}").count() == 1
