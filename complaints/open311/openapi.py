"""The OpenAPI 3 document of the JSON endpoints, served at /open311/v2/openapi.json.

Built in code next to the views so that it changes with them; the schemathesis test
holds the two together."""

NULLABLE_STRING = {"type": "string", "nullable": True}

ERRORS = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["code", "description"],
        "properties": {"code": {"type": "integer"}, "description": {"type": "string"}},
    },
}

SERVICE = {
    "type": "object",
    "required": ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"],
    "properties": {
        "service_code": {"type": "string"},
        "service_name": {"type": "string"},
        "description": {"type": "string"},
        "metadata": {"type": "boolean"},
        "type": {"type": "string", "enum": ["realtime", "batch", "blackbox"]},
        "keywords": {"type": "string"},
        "group": {"type": "string"},
    },
}

ATTRIBUTE = {
    "type": "object",
    "required": ["variable", "code", "datatype", "required", "datatype_description", "order",
                 "description", "values"],
    "properties": {
        "variable": {"type": "boolean"},
        "code": {"type": "string"},
        "datatype": {"type": "string", "enum": ["string", "number", "datetime", "text",
                                                 "singlevaluelist", "multivaluelist"]},
        "required": {"type": "boolean"},
        "datatype_description": NULLABLE_STRING,
        "order": {"type": "integer"},
        "description": {"type": "string"},
        "values": {
            "type": "array",
            "items": {"type": "object", "required": ["key", "name"],
                      "properties": {"key": {"type": "string"}, "name": {"type": "string"}}},
        },
    },
}

DEFINITION = {
    "type": "object",
    "required": ["service_code", "attributes"],
    "properties": {"service_code": {"type": "string"},
                   "attributes": {"type": "array", "items": ATTRIBUTE}},
}

DATETIME = {"type": "string", "format": "date-time"}
NULLABLE_DATETIME = {"type": "string", "format": "date-time", "nullable": True}
NULLABLE_NUMBER = {"type": "number", "nullable": True}

REQUEST = {
    "type": "object",
    "required": ["service_request_id", "status", "status_notes", "service_name", "service_code",
                 "description", "agency_responsible", "service_notice", "requested_datetime",
                 "updated_datetime", "expected_datetime", "address", "address_id", "zipcode",
                 "lat", "long", "media_url"],
    "properties": {
        "service_request_id": {"type": "string"},
        "status": {"type": "string", "enum": ["open", "closed"]},
        "status_notes": {"type": "string"},
        "service_name": {"type": "string"},
        "service_code": {"type": "string"},
        "description": {"type": "string", "description": "The approved public summary."},
        "agency_responsible": NULLABLE_STRING,
        "service_notice": {"type": "string"},
        "requested_datetime": DATETIME,
        "updated_datetime": DATETIME,
        "expected_datetime": NULLABLE_DATETIME,
        "address": {**NULLABLE_STRING, "description": "The location text approved for publication "
                    "(never the address the reporter gave)."},
        "address_id": NULLABLE_STRING,
        "zipcode": NULLABLE_STRING,
        "lat": {**NULLABLE_NUMBER, "description": "The centre of the public location grid cell "
                "(PUBLIC_LOCATION_GRID_M metres) that holds the reported point."},
        "long": {**NULLABLE_NUMBER, "description": "See lat."},
        "media_url": {**NULLABLE_STRING, "description": "The reporter's link, only when approved for publication."},
        "extended_attributes": {
            "type": "object",
            "description": "Extension: the detailed state behind open/closed.",
            "properties": {
                "state": {"type": "string", "enum": [
                    "submitted", "needs_info", "triaged", "in_progress", "verifying", "resolved", "closed",
                    "rejected", "duplicate"]},
                "kind": {"type": "string"},
                "outcome": NULLABLE_STRING,
                "title": {"type": "string"},
                "area": {**NULLABLE_STRING, "description": "The code of the complaint's kelurahan, desa or kecamatan."},
                "channel": {"type": "string", "enum": [
                    "web", "open311", "email", "whatsapp", "sms", "phone", "walk_in", "letter"],
                    "description": "How the report reached the city."},
            },
        },
    },
}

CREATED = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["service_request_id", "service_notice", "account_id"],
        "properties": {"service_request_id": {"type": "string"}, "service_notice": {"type": "string"},
                       "account_id": NULLABLE_STRING},
    },
}

TOKEN = {
    "type": "array",
    "items": {"type": "object", "required": ["service_request_id", "token"],
              "properties": {"service_request_id": {"type": "string"}, "token": {"type": "string"}}},
}

DISCOVERY = {
    "type": "object",
    "required": ["changeset", "contact", "key_service", "endpoints"],
    "properties": {
        "changeset": DATETIME,
        "contact": {"type": "string"},
        "key_service": {"type": "string"},
        "endpoints": {"type": "array", "items": {
            "type": "object",
            "required": ["specification", "url", "changeset", "type", "formats"],
            "properties": {
                "specification": {"type": "string"}, "url": {"type": "string"},
                "changeset": DATETIME,
                "type": {"type": "string", "enum": ["production", "test"]},
                "formats": {"type": "array", "items": {"type": "string"}},
            },
        }},
    },
}


def _json(schema, description):
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(description):
    return _json({"$ref": "#/components/schemas/Errors"}, description)


RATE_LIMITED = {
    "description": "Rate limited (per client IP, and per API key for filing).",
    "headers": {"Retry-After": {"schema": {"type": "integer", "minimum": 1},
                                "description": "Seconds to wait."}},
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}},
}

LOCALE = {"name": "locale", "in": "query", "required": False,
          "description": "Language of texts: id or en (Accept-Language is used otherwise).",
          "schema": {"type": "string"}}
JURISDICTION = {"name": "jurisdiction_id", "in": "query", "required": False, "schema": {"type": "string"}}


def _query(name, description):
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": {"type": "string"}}


def _path(name):
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string", "minLength": 1}}


def _read(summary, schema, parameters=(), not_found=False):
    responses = {"200": _json(schema, "OK"), "400": _errors("A bad parameter."),
                 "429": RATE_LIMITED}
    if not_found:
        responses["404"] = _errors("Not found (or not published through this API).")
    return {"get": {"summary": summary, "parameters": [LOCALE, JURISDICTION, *parameters],
                    "responses": responses}}


def _form_field(description, **schema):
    return {"type": "string", "description": description, **schema}


POST_BODY = {
    "type": "object",
    "required": ["api_key", "service_code"],
    "properties": {
        "api_key": _form_field("Your API key (python manage.py create_api_key NAME)."),
        "service_code": _form_field("A service_code from services.json."),
        "jurisdiction_id": _form_field("Optional."),
        "lat": _form_field("WGS84 latitude; with long."),
        "long": _form_field("WGS84 longitude; with lat."),
        "address_string": _form_field("The address of the problem."),
        "address_id": _form_field("An address reference, kept as the address text."),
        "email": _form_field("The reporter's e-mail address."),
        "device_id": _form_field("The client device; part of the Idempotency-Key scope."),
        "account_id": _form_field("Not stored."),
        "first_name": _form_field("The reporter's first name."),
        "last_name": _form_field("The reporter's last name."),
        "phone": _form_field("The reporter's phone number."),
        "description": _form_field("What is wrong, where and since when (at least 20 characters)."),
        "media_url": _form_field("A link to a photo; stored as a link, never fetched."),
        "attribute[kind]": _form_field("complaint, feedback or information_request."),
        "attribute[identity_mode]": _form_field("named, confidential or anonymous."),
        "attribute[visibility]": _form_field("public or private."),
        "attribute[title]": _form_field("A short title."),
        "attribute[area]": _form_field("An area code (see the service definition); defaults to the area of lat/long."),
    },
}


def build(base_url):
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Aduan Open311 GeoReport v2",
            "version": "2",
            "description": (
                "Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) with the page and "
                "page_size extension. Every resource is also served as XML by replacing .json "
                "with .xml. Only public complaints after triage are readable, described by their "
                "approved public summary."
            ),
        },
        "servers": [{"url": base_url}],
        "paths": {
            "/discovery.json": _read("Service discovery", {"$ref": "#/components/schemas/Discovery"}),
            "/services.json": _read("The services (complaint categories)", {
                "type": "array", "items": {"$ref": "#/components/schemas/Service"}}),
            "/services/{service_code}.json": _read(
                "A service definition", {"$ref": "#/components/schemas/ServiceDefinition"},
                [_path("service_code")], not_found=True),
            "/requests.json": {
                **_read("Published service requests, newest first", {
                    "type": "array", "items": {"$ref": "#/components/schemas/ServiceRequest"}}, [
                    _query("service_request_id", "Comma-separated ids; overrides all other filters."),
                    _query("service_code", "Comma-separated service codes."),
                    _query("start_date", "W3C date-time; earliest requested_datetime."),
                    _query("end_date", "W3C date-time; latest requested_datetime (span at most 90 days)."),
                    _query("status", "open, closed, or both comma-separated."),
                    _query("page", "Pagination extension: page number from 1."),
                    _query("page_size", "Pagination extension: requests per page (at most 1000)."),
                ]),
                "post": {
                    "summary": "File a service request",
                    "parameters": [
                        LOCALE,
                        {"name": "Idempotency-Key", "in": "header", "required": False,
                         "schema": {"type": "string", "maxLength": 200},
                         "description": "A retry with the same key and device_id returns the first answer."},
                    ],
                    "requestBody": {"required": True, "content": {
                        "application/x-www-form-urlencoded": {"schema": POST_BODY}}},
                    "responses": {
                        "201": _json(CREATED, "Filed."),
                        "200": _json(CREATED, "The same submission was filed before; its answer again."),
                        "400": _errors("A missing or bad parameter."),
                        "403": _errors("api_key missing, unknown or revoked."),
                        "429": RATE_LIMITED,
                    },
                },
            },
            "/requests/{service_request_id}.json": _read(
                "One published service request", {
                    "type": "array", "items": {"$ref": "#/components/schemas/ServiceRequest"}},
                [_path("service_request_id")], not_found=True),
            "/tokens/{token}.json": _read(
                "The service_request_id for a token (the token is the service_request_id itself)",
                TOKEN, [_path("token")], not_found=True),
        },
        "components": {"schemas": {
            "Errors": ERRORS, "Service": SERVICE, "ServiceDefinition": DEFINITION,
            "ServiceRequest": REQUEST, "Discovery": DISCOVERY,
        }},
    }
