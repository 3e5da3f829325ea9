"""Our categories as Open311 services, and their service definitions (attributes).

Every text is produced in the active language (the view activates the one asked for)."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from areas.models import Area
from routing.models import Category

from ..models import IdentityMode, Kind, Visibility


def active_categories():
    return Category.objects.filter(active=True).select_related("default_unit", "sla_policy").order_by("code")


def find_category(code):
    if not code:
        return None
    return active_categories().filter(code=code).first()


def _duration(n, time_unit):
    if time_unit == "hours":
        return ngettext("%(n)d hour", "%(n)d hours", n) % {"n": n}
    return ngettext("%(n)d working day", "%(n)d working days", n) % {"n": n}


def confidential_notice():
    return _(
        "Confidential: reports in this category go only to the oversight body, are never "
        "published and never reveal the reporter to the unit concerned."
    )


def service_notice(category):
    """What the filer can expect: the SLA targets, or the confidentiality of sensitive reports."""
    if category.sensitive:
        return confidential_notice()
    policy = category.sla_policy
    return _("Triage within %(triage)s; resolution target %(resolution)s after triage.") % {
        "triage": _duration(policy.triage_target, policy.time_unit),
        "resolution": _duration(policy.resolution_target(category.resolution_class), policy.time_unit),
    }


def service(category):
    description = category.description or category.name
    if category.sensitive:
        description = f"{description} {confidential_notice()}".strip()
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": description,
        "metadata": bool(attributes(category)),
        "type": "realtime",  # filing is synchronous: the answer carries the service_request_id
        "keywords": ", ".join(category.keyword_list),
        "group": category.default_unit.name,
    }


def _values(choices):
    return [{"key": value, "name": str(label)} for value, label in choices]


def area_attribute():
    """attribute[area]: the city's areas by code, when a list is loaded."""
    areas = Area.objects.select_related("parent").order_by("code")
    values = [{"key": a.code, "name": str(a)} for a in areas]
    if not values:
        return []
    return [{
        "variable": True, "code": "area", "datatype": "singlevaluelist", "required": False,
        "datatype_description": _("Defaults to the area that holds lat and long, if any."), "order": 5,
        "description": _("The kelurahan, desa or kecamatan where the problem is."), "values": values,
    }]


def attributes(category):
    """The attributes a client may send as attribute[code]. Sensitive categories only
    offer what filing would accept for them: never public, never named to handlers."""
    identity = IdentityMode.choices
    visibility = Visibility.choices
    if category.sensitive:
        identity = [(v, label) for v, label in identity if v != IdentityMode.NAMED]
        visibility = [(v, label) for v, label in visibility if v == Visibility.PRIVATE]
    return [
        {
            "variable": True, "code": "kind", "datatype": "singlevaluelist", "required": False,
            "datatype_description": _("Defaults to complaint."), "order": 1,
            "description": _("What kind of report is this?"), "values": _values(Kind.choices),
        },
        {
            "variable": True, "code": "identity_mode", "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": _(
                "Defaults to named when first_name or last_name is given, otherwise anonymous. "
                "Named reports need a name and an e-mail address or phone number."
            ),
            "order": 2,
            "description": _(
                "How the reporter is identified: named (the unit sees the name), confidential "
                "(only the oversight body's privacy officers may see it) or anonymous (nothing "
                "is kept; an e-mail address is used once for the receipt)."
            ),
            "values": _values(identity),
        },
        {
            "variable": True, "code": "visibility", "datatype": "singlevaluelist", "required": False,
            "datatype_description": (
                _("Always private in this category.") if category.sensitive
                else _("Defaults to public.")
            ),
            "order": 3,
            "description": _(
                "Public reports appear in GET requests after triage, described only by the "
                "summary the triage desk approves; private reports never do."
            ),
            "values": _values(visibility),
        },
        {
            "variable": True, "code": "title", "datatype": "string", "required": False,
            "datatype_description": _("At most 200 characters."), "order": 4,
            "description": _("A short title. Defaults to the first words of the description."),
            "values": [],
        },
        *area_attribute(),
    ]


def definition(category):
    return {"service_code": category.code, "attributes": attributes(category)}
