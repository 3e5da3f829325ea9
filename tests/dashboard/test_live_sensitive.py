"""The live ticker and sensitive complaints (issue 11, item 16): nothing about a sensitive
complaint is sent as it happens, to anyone, and never to a unit's group; the public feed
hears an hourly count without category, unit or exact time."""

import datetime as dt

import pytest
from asgiref.sync import sync_to_async
from django.core.cache import cache
from django.utils import timezone

from complaints.lifecycle.engine import perform
from dashboard import live

from ..conftest import as_staff, submit
from .test_live import connect, next_events, sync

pytestmark = pytest.mark.django_db(transaction=True)

FEEDS = ("/ws/dashboard/", "/ws/dashboard/?unit=PEMKOT", "/ws/dashboard/?unit=DPU",
         "/ws/dashboard/?unit=DPU-JALAN", "/ws/dashboard/?unit=INSPEKTORAT")


def forget_announcements():
    """Forget which hours were announced (only these keys: the cache may be a Redis shared
    with other processes, which cache.clear() would wipe)."""
    hour = live._hour_start(timezone.now())
    cache.delete_many([live.ANNOUNCED_UNTIL] + [live.claim_key(hour + dt.timedelta(hours=h)) for h in range(-48, 3)])
    live._last_claim["end"] = None


@pytest.fixture(autouse=True)
def fresh_announcements():
    forget_announcements()
    yield
    forget_announcements()


async def silent(communicators):
    for communicator in communicators:
        assert await communicator.receive_nothing(timeout=0.6)


@sync
async def test_a_sensitive_filing_is_not_announced_to_anyone_as_it_happens(city, people):
    feeds = [await connect(path) for path in FEEDS]
    await sync_to_async(submit)(city, "bribe_cat", identity_mode="confidential")
    await silent(feeds)
    for feed in feeds:
        await feed.disconnect()


@sync
async def test_a_recategorisation_into_a_sensitive_category_is_not_sent_to_the_previous_unit(city, people):
    filed = await sync_to_async(submit)(city)
    complaint = await sync_to_async(perform)(filed.complaint, "triage", as_staff(people["triage"]), unit=city["roads"])
    feeds = [await connect(path) for path in FEEDS]
    await sync_to_async(perform)(complaint, "recategorise", as_staff(people["triage"]), category=city["bribe_cat"])
    await silent(feeds)
    for feed in feeds:
        await feed.disconnect()


@sync
async def test_the_public_feed_hears_an_hourly_count_with_the_next_public_event(city, people):
    hour = live._hour_start(timezone.now()) - dt.timedelta(hours=3)
    triage = as_staff(people["triage"])

    def sensitive_activity():
        first = submit(city, "bribe_cat", now=hour + dt.timedelta(minutes=10)).complaint  # filed + routed
        submit(city, "bribe_cat", now=hour + dt.timedelta(minutes=40))
        return first

    await sync_to_async(sensitive_activity)()
    public_feed, unit_feed = await connect(), await connect("/ws/dashboard/?unit=DPU-JALAN")
    road = (await sync_to_async(submit)(city, now=hour + dt.timedelta(minutes=65))).complaint
    events = await next_events(public_feed)
    assert events[0] == {
        "action": "sensitive_summary", "state": None, "from_state": None, "category": None, "unit": None,
        "at": (hour + dt.timedelta(hours=1)).isoformat(), "period_start": hour.isoformat(),
        "period_end": (hour + dt.timedelta(hours=1)).isoformat(), "filed": 2, "updated": 2,
    }
    assert [e["action"] for e in events[1:]] == ["filed"]
    # Not repeated within the hour, and never sent to a unit's feed.
    await sync_to_async(perform)(road, "triage", triage, unit=city["roads"], now=hour + dt.timedelta(minutes=70))
    events = await next_events(public_feed)
    assert [e["action"] for e in events] == ["triage"]
    unit_events = await next_events(unit_feed)
    assert [e["action"] for e in unit_events] == ["triage"]
    await public_feed.disconnect()
    await unit_feed.disconnect()


def test_the_count_covers_the_hours_since_the_last_announcement_and_skips_quiet_hours(city, people):
    hour = live._hour_start(timezone.now()) - dt.timedelta(hours=6)
    assert live.sensitive_summary_due(hour + dt.timedelta(minutes=5)) is None  # nothing happened
    submit(city, "bribe_cat", now=hour + dt.timedelta(minutes=30))
    submit(city, "bribe_cat", now=hour + dt.timedelta(hours=2, minutes=30))
    due = live.sensitive_summary_due(hour + dt.timedelta(hours=3, minutes=1))
    assert (due["period_start"], due["period_end"]) == (hour.isoformat(), (hour + dt.timedelta(hours=3)).isoformat())
    assert (due["filed"], due["updated"]) == (2, 2)
    assert live.sensitive_summary_due(hour + dt.timedelta(hours=3, minutes=2)) is None
    # Another process (same shared cache, its own memory) does not announce it again.
    live._last_claim["end"] = None
    assert live.sensitive_summary_due(hour + dt.timedelta(hours=3, minutes=3)) is None
