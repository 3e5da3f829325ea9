"""Rendering Open311 answers as JSON or XML with the specification's shapes.

One Python structure describes an answer; `render` writes it in the requested format.
XML element names for list items follow the specification (<services><service>,
<service_requests><request>, <errors><error>, ...)."""

import json
import re
from xml.etree.ElementTree import Element, SubElement, tostring

from django.http import HttpResponse

JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"

# The element name of one item of each list, as in the specification's examples.
ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}

# Characters XML 1.0 forbids even when escaped; stored text or an echoed parameter may
# contain them, and one of them would make the whole document unreadable.
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value):
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return _NOT_XML.sub("\ufffd", str(value))


def _fill(element, value):
    if isinstance(value, dict):
        for name, child in value.items():
            _fill(SubElement(element, name), child)
    elif isinstance(value, (list, tuple)):
        item_name = ITEM_NAMES.get(element.tag, "item")
        for child in value:
            _fill(SubElement(element, item_name), child)
    else:
        element.text = _text(value)


def to_xml(root_name, value):
    root = Element(root_name)
    _fill(root, value)
    body = tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body).encode("utf-8")


def render(fmt, root_name, value, status=200, headers=None):
    """`root_name` names the XML document element (JSON has none)."""
    if fmt == "xml":
        response = HttpResponse(to_xml(root_name, value), content_type=XML_TYPE, status=status)
    else:
        body = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        response = HttpResponse(body.encode("utf-8"), content_type=JSON_TYPE, status=status)
    for name, header in (headers or {}).items():
        response[name] = header
    return response


def render_errors(fmt, status, descriptions, headers=None):
    """The specification's error list: one {code, description} per problem."""
    errors = [{"code": status, "description": str(text)} for text in descriptions]
    return render(fmt, "errors", errors, status=status, headers=headers)
