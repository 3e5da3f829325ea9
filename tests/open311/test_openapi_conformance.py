"""The OpenAPI document describes the JSON endpoints truthfully: schemathesis generates
requests from it against a live server; no input gives a server error and every answer
conforms to the document."""

import json
import urllib.request

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from complaints.models import ApiKey

from ..conftest import submit
from .conftest import publish

pytestmark = pytest.mark.django_db(transaction=True)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]
EXAMPLES = 25  # per operation and mode: enough to find crashes, quick enough for every run
NEGATIVE_EXAMPLES = 15


def fetch_document(live_server):
    with urllib.request.urlopen(live_server.url + "/open311/v2/openapi.json", timeout=10) as answer:
        assert answer.status == 200
        return json.load(answer)


def run_operation(operation, mode, checks, examples):
    @given(case=operation.as_strategy(generation_mode=mode))
    @hypothesis_settings(max_examples=examples, deadline=None, database=None,
                         suppress_health_check=list(HealthCheck))
    def exercise(case):
        case.call_and_validate(checks=checks)

    exercise()


def test_generated_requests_get_no_server_error_and_conform_to_the_document(live_server, city, people):
    publish(submit(city).complaint, people, city)
    publish(submit(city, category="clinic_cat", address="", latitude="", longitude="").complaint,
            people, city)
    _key, raw = ApiKey.issue("schemathesis")
    document = fetch_document(live_server)
    assert document["servers"] == [{"url": live_server.url + "/open311/v2"}]
    # Give the generator a real key and real service codes beside wrong ones, so that
    # generated filings also reach validation and filing, not only the key check.
    form = document["paths"]["/requests.json"]["post"]["requestBody"]["content"][
        "application/x-www-form-urlencoded"]["schema"]["properties"]
    form["api_key"] = {"type": "string", "enum": [raw, "adu_wrong"]}
    form["service_code"] = {"type": "string", "enum": ["JALAN-RUSAK", "PUSKESMAS", "PUNGLI", "NOPE"]}
    schema = schemathesis.openapi.from_dict(document)
    schema.config.update(base_url=live_server.url + "/open311/v2")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 7
    for operation in operations:
        run_operation(operation, schemathesis.GenerationMode.POSITIVE, CHECKS, EXAMPLES)
        # Inputs that break the document's rules must still be answered, never crash.
        run_operation(operation, schemathesis.GenerationMode.NEGATIVE, [not_a_server_error], NEGATIVE_EXAMPLES)
