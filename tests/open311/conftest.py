"""Open311 fixtures: an API key, and complaints published through the API (public,
triaged, with an approved public summary)."""

import pytest
from django.utils import timezone

from complaints.models import ApiKey
from complaints.lifecycle.engine import perform

from ..conftest import as_staff
from ..conftest import publish as approve
from ..conftest import submit

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
            now=None, **extra):
    """Route, then publish (two steps: routing never publishes)."""
    now = now or timezone.now()
    complaint = perform(complaint, "triage", as_staff(people["triage"]), unit=city["roads"], now=now)
    return approve(complaint, people["triage"], title, summary, now=now, **extra)


@pytest.fixture
def published(city, people):
    """A named public road complaint (filed at Jl. Merdeka 12, -7.25, 110.40), triaged,
    then published with an approved summary and location text."""
    return publish(submit(city).complaint, people, city, public_location="Jl. Merdeka")


def xml_of(response):
    """The parsed XML document of an answer, after checking it is declared as UTF-8 XML."""
    from xml.etree import ElementTree

    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return ElementTree.fromstring(response.content)


def children(element):
    """[(tag, text)] of the direct children, in document order."""
    return [(child.tag, child.text) for child in element]


def xml_errors(response):
    root = xml_of(response)
    assert root.tag == "errors"
    result = []
    for error in root:
        assert error.tag == "error"
        assert [child.tag for child in error] == ["code", "description"]
        result.append((int(error.find("code").text), error.find("description").text))
    return result


def json_errors(response):
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert isinstance(body, list) and body
    for error in body:
        assert set(error) == {"code", "description"}
    return [(error["code"], error["description"]) for error in body]
