"""Discovery, the service list and service definitions, in JSON and XML and in the
language asked for."""

import pytest

from .conftest import BASE, children, json_errors, xml_errors, xml_of

SERVICE_FIELDS = ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]
ATTRIBUTE_FIELDS = ["variable", "code", "datatype", "required", "datatype_description", "order",
                    "description", "values"]


def test_discovery_lists_the_endpoint_with_both_formats_in_json(client, city):
    body = client.get(BASE + "discovery.json").json()
    assert set(body) == {"changeset", "contact", "key_service", "endpoints"}
    assert body["changeset"][19:] == "+07:00"  # ISO 8601 with the offset
    (endpoint,) = body["endpoints"]
    assert endpoint == {
        "specification": "http://wiki.open311.org/GeoReport_v2",
        "url": "http://testserver/open311/v2",
        "changeset": body["changeset"],
        "type": "production",
        "formats": ["text/xml", "application/json"],
    }


def test_discovery_in_xml_has_the_specification_elements(client, city):
    root = xml_of(client.get(BASE + "discovery.xml"))
    assert root.tag == "discovery"
    assert [tag for tag, _ in children(root)] == ["changeset", "contact", "key_service", "endpoints"]
    (endpoint,) = root.find("endpoints")
    assert endpoint.tag == "endpoint"
    assert [c.tag for c in endpoint] == ["specification", "url", "changeset", "type", "formats"]
    assert endpoint.find("url").text == "http://testserver/open311/v2"
    assert [(f.tag, f.text) for f in endpoint.find("formats")] == [
        ("format", "text/xml"), ("format", "application/json")]


def test_discovery_changeset_moves_only_when_a_service_changes(client, city, monkeypatch):
    import datetime as dt
    import uuid

    from django.utils import timezone

    # A name never seen before, so the shared cache cannot know this content from an earlier run.
    city["clinic_cat"].name_en = f"Health centre {uuid.uuid4()}"
    city["clinic_cat"].save()
    first = client.get(BASE + "discovery.json").json()["changeset"]
    later = timezone.now() + dt.timedelta(days=3)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert client.get(BASE + "discovery.json").json()["changeset"] == first
    city["clinic_cat"].name_en = f"Health centre {uuid.uuid4()}"
    city["clinic_cat"].save()
    changed = client.get(BASE + "discovery.json").json()["changeset"]
    assert changed == timezone.localtime(later).isoformat(timespec="seconds")
    assert changed != first


def test_services_in_json_describe_categories(client, city):
    response = client.get(BASE + "services.json", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Language"] == "en"
    services = {s["service_code"]: s for s in response.json()}
    assert list(services) == ["JALAN-RUSAK", "PUNGLI", "PUSKESMAS"]
    road = services["JALAN-RUSAK"]
    assert list(road) == SERVICE_FIELDS
    assert road == {
        "service_code": "JALAN-RUSAK", "service_name": "Damaged road", "description": "Damaged road",
        "metadata": True, "type": "realtime", "keywords": "jalan, lubang, road", "group": "Roads",
    }


def test_services_in_xml_have_one_service_element_each(client, city):
    root = xml_of(client.get(BASE + "services.xml?locale=en"))
    assert root.tag == "services"
    assert [s.tag for s in root] == ["service"] * 3
    road = root[0]
    assert children(road) == [
        ("service_code", "JALAN-RUSAK"), ("service_name", "Damaged road"),
        ("description", "Damaged road"), ("metadata", "true"), ("type", "realtime"),
        ("keywords", "jalan, lubang, road"), ("group", "Roads"),
    ]


def test_services_speak_the_language_asked_for(client, city):
    indonesian = client.get(BASE + "services.json", HTTP_ACCEPT_LANGUAGE="id").json()
    assert indonesian[0]["service_name"] == "Jalan rusak"
    assert indonesian[0]["group"] == "Bidang Jalan"
    # ?locale= wins over Accept-Language.
    english = client.get(BASE + "services.json?locale=en", HTTP_ACCEPT_LANGUAGE="id")
    assert english.json()[0]["service_name"] == "Damaged road"
    assert english["Content-Language"] == "en"
    assert client.get(BASE + "services.json?locale=id-ID").json()[0]["service_name"] == "Jalan rusak"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_unknown_locale_is_a_bad_parameter(client, city, fmt):
    response = client.get(BASE + f"services.{fmt}?locale=fr", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    errors = json_errors(response) if fmt == "json" else xml_errors(response)
    assert errors == [(400, "locale must be id or en.")]


def test_sensitive_services_are_listed_but_say_filing_is_confidential(client, city):
    services = {s["service_code"]: s for s in client.get(BASE + "services.json?locale=en").json()}
    bribe = services["PUNGLI"]
    assert bribe["service_name"] == "Illegal levies"
    assert "Confidential" in bribe["description"]
    assert "never published" in bribe["description"]
    assert "Confidential" not in services["PUSKESMAS"]["description"]


def test_inactive_categories_are_not_services(client, city):
    city["clinic_cat"].active = False
    city["clinic_cat"].save()
    codes = [s["service_code"] for s in client.get(BASE + "services.json").json()]
    assert codes == ["JALAN-RUSAK", "PUNGLI"]
    assert client.get(BASE + "services/PUSKESMAS.json").status_code == 404


def test_service_definition_in_json_lists_the_attributes(client, city):
    body = client.get(BASE + "services/JALAN-RUSAK.json?locale=en").json()
    assert body["service_code"] == "JALAN-RUSAK"
    assert [a["code"] for a in body["attributes"]] == ["kind", "identity_mode", "visibility", "title"]
    for order, attribute in enumerate(body["attributes"], start=1):
        assert list(attribute) == ATTRIBUTE_FIELDS
        assert attribute["order"] == order
        assert attribute["variable"] is True and attribute["required"] is False
    kind = body["attributes"][0]
    assert kind["datatype"] == "singlevaluelist"
    assert kind["values"] == [
        {"key": "complaint", "name": "Complaint"}, {"key": "feedback", "name": "Feedback"},
        {"key": "information_request", "name": "Information request"},
    ]
    assert [v["key"] for v in body["attributes"][1]["values"]] == ["named", "confidential", "anonymous"]
    assert [v["key"] for v in body["attributes"][2]["values"]] == ["public", "private"]
    assert body["attributes"][3]["datatype"] == "string"


def test_service_definition_in_xml_has_attribute_and_value_elements(client, city):
    root = xml_of(client.get(BASE + "services/JALAN-RUSAK.xml?locale=en"))
    assert root.tag == "service_definition"
    assert [c.tag for c in root] == ["service_code", "attributes"]
    assert root.find("service_code").text == "JALAN-RUSAK"
    attributes = root.find("attributes")
    assert [a.tag for a in attributes] == ["attribute"] * 4
    kind = attributes[0]
    assert [c.tag for c in kind] == ATTRIBUTE_FIELDS
    assert kind.find("variable").text == "true"
    assert kind.find("required").text == "false"
    assert kind.find("datatype").text == "singlevaluelist"
    assert kind.find("order").text == "1"
    values = kind.find("values")
    assert [(v.tag, children(v)) for v in values][0] == (
        "value", [("key", "complaint"), ("name", "Complaint")])
    assert len(attributes[3].find("values")) == 0


def test_a_sensitive_service_offers_only_private_confidential_or_anonymous(client, city):
    body = client.get(BASE + "services/PUNGLI.json").json()
    values = {a["code"]: [v["key"] for v in a["values"]] for a in body["attributes"]}
    assert values["identity_mode"] == ["confidential", "anonymous"]
    assert values["visibility"] == ["private"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_unknown_service_is_404(client, city, fmt):
    response = client.get(BASE + f"services/NOPE.{fmt}?locale=en")
    assert response.status_code == 404
    errors = json_errors(response) if fmt == "json" else xml_errors(response)
    assert errors == [(404, "service_code NOPE was not found.")]


def test_a_service_code_with_an_encoded_slash_is_answered_in_the_open311_shape(client, city):
    response = client.get(BASE + "services/a%2Fb.json")
    assert response.status_code == 404
    assert json_errors(response)[0][0] == 404


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_other_methods_are_405_with_allow(client, city, fmt):
    response = client.delete(BASE + f"services.{fmt}")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    errors = json_errors(response) if fmt == "json" else xml_errors(response)
    assert errors[0][0] == 405
    assert client.put(BASE + f"requests.{fmt}").status_code == 405


def test_a_jurisdiction_id_of_another_jurisdiction_is_404(client, city, settings):
    assert client.get(BASE + "services.json?jurisdiction_id=anything").status_code == 200
    settings.OPEN311_JURISDICTION_ID = "sukamaju.go.id"
    assert client.get(BASE + "services.json?jurisdiction_id=sukamaju.go.id").status_code == 200
    response = client.get(BASE + "services.xml?jurisdiction_id=elsewhere.go.id&locale=en")
    assert response.status_code == 404
    assert xml_errors(response) == [(404, "jurisdiction_id elsewhere.go.id is not served here.")]


def test_nul_characters_are_a_bad_parameter(client, city):
    response = client.get(BASE + "requests.json?service_code=A%00B&locale=en")
    assert response.status_code == 400
    assert json_errors(response) == [(400, "Parameters must not contain NUL characters.")]


def test_openapi_document_describes_every_json_endpoint(client, city):
    document = client.get(BASE + "openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert sorted(document["paths"]) == [
        "/discovery.json", "/requests.json", "/requests/{service_request_id}.json",
        "/services.json", "/services/{service_code}.json", "/tokens/{token}.json",
    ]
    assert set(document["paths"]["/requests.json"]) == {"get", "post"}
