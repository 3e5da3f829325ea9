"""Open311 fixtures: an API key, and complaints published through the API (public,
triaged, with an approved public summary)."""

import pytest
from django.utils import timezone

from complaints.models import ApiKey
from complaints.transitions import perform

from ..conftest import as_staff, submit

BASE = "/open311/v2/"


@pytest.fixture(autouse=True)
def no_rate_limits(settings):
    # Tests share one client IP; the rate-limit tests switch the limits back on.
    settings.OPEN311_RATE_LIMIT_IP = 0
    settings.OPEN311_RATE_LIMIT_KEY = 0


@pytest.fixture
def api_key(db):
    key, raw = ApiKey.issue("fixmystreet")
    return raw


def publish(complaint, people, city, title="Lubang di jalan", summary="Ada lubang besar di ruas jalan kota.",
            now=None):
    return perform(complaint, "triage", as_staff(people["triage"]), unit=city["roads"],
                   public_title=title, public_summary=summary, now=now or timezone.now())


@pytest.fixture
def published(city, people):
    """A named public road complaint, triaged with an approved summary."""
    return publish(submit(city).complaint, people, city)
