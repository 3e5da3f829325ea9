"""POST requests: turning the specification's form fields into a filing, and the
idempotency key that makes a client's retry return the first answer.

Idempotency (documented in docs/open311.md):
- a client that sends an `Idempotency-Key` header gets the complaint filed the first
  time that key came with that `device_id` from the same API key, for ever;
- otherwise the same API key sending the same service_code, description, location and
  e-mail within OPEN311_IDEMPOTENCY_WINDOW seconds (10 minutes by default) gets the
  first complaint back instead of a second one. The window is fixed buckets, and the
  previous bucket is also checked, so a retry is recognised for at least one window."""

import hashlib
import re
import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from ..models import Complaint, IdentityMode, Visibility
from .catalogue import attributes

_ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]*)\](\[\])?$")
TITLE_WORDS = 10


class BadSubmission(Exception):
    def __init__(self, messages):
        super().__init__("; ".join(str(m) for m in messages))
        self.messages = messages


def title_from(description):
    """The web form's title when the client sends none: the first words of the description."""
    words = description.split()
    title = " ".join(words[:TITLE_WORDS])
    if len(title) > 120:
        title = title[:119].rstrip()
        return title + "…"
    return title + ("…" if len(words) > TITLE_WORDS else "")


def read_attributes(post, category):
    """attribute[code] values checked against the service definition."""
    defined = {a["code"]: a for a in attributes(category)}
    values, errors = {}, []
    for name in post:
        match = _ATTRIBUTE.match(name)
        if not match:
            continue
        code, multi = match.group(1), match.group(2)
        attribute = defined.get(code)
        if attribute is None:
            errors.append(_("attribute[%(code)s] is not an attribute of this service.") % {"code": code})
            continue
        if multi or len(post.getlist(name)) > 1:
            errors.append(_("attribute[%(code)s] takes one value.") % {"code": code})
            continue
        value = post.get(name, "").strip()
        allowed = [v["key"] for v in attribute["values"]]
        if attribute["datatype"] == "singlevaluelist" and value and value not in allowed:
            errors.append(_("attribute[%(code)s] must be one of: %(values)s.") % {
                "code": code, "values": ", ".join(allowed)})
            continue
        values[code] = value
    if errors:
        raise BadSubmission(errors)
    return values


def filing_data(post, category):
    """The `file_complaint` data for a POST, or BadSubmission with the problems."""
    attrs = read_attributes(post, category)
    errors = []
    lat, lng = (post.get("lat") or "").strip(), (post.get("long") or "").strip()
    if bool(lat) != bool(lng):
        errors.append(_("Give both lat and long, or neither."))
    media_url = (post.get("media_url") or "").strip()
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            errors.append(_("media_url must be an http or https address."))
        if len(media_url) > 500:
            errors.append(_("media_url must be at most 500 characters."))
    if errors:
        raise BadSubmission(errors)
    first, last = (post.get("first_name") or "").strip(), (post.get("last_name") or "").strip()
    name = " ".join(part for part in (first, last) if part)
    description = (post.get("description") or "").strip()
    # We keep no master address repository: an address_id is kept as the address text,
    # where staff can look it up in the city's own register.
    address = (post.get("address_string") or "").strip() or (post.get("address_id") or "").strip()
    return {
        "category": category,
        "title": attrs.get("title") or title_from(description),
        "description": description,
        "kind": attrs.get("kind") or None,
        "identity_mode": attrs.get("identity_mode")
        or (IdentityMode.NAMED if name else IdentityMode.ANONYMOUS),
        # Open311 clients expect to read their reports back; only the approved summary is shown.
        "visibility": attrs.get("visibility") or Visibility.PUBLIC,
        "reporter_name": name,
        "reporter_email": post.get("email") or "",
        "reporter_phone": post.get("phone") or "",
        "address": address,
        "latitude": lat or None,
        "longitude": lng or None,
        "area": attrs.get("area") or None,
        "media_url": media_url,
        "channel": "open311",
    }


# Filing's field names as the specification calls them, for error messages.
FIELD_NAMES = {
    "category": "service_code", "title": "attribute[title]", "description": "description",
    "kind": "attribute[kind]", "identity_mode": "attribute[identity_mode]",
    "visibility": "attribute[visibility]", "reporter_name": "first_name",
    "reporter_email": "email", "reporter_phone": "phone", "latitude": "lat",
    "address": "address_string", "area": "attribute[area]",
}


def filing_errors(errors):
    messages = []
    for field, message in errors.items():
        if field == "address":
            # The web form's wording speaks of a map; say it in the API's own terms.
            message = _("This service needs a location: lat and long, address_string or address_id.")
        messages.append(f"{FIELD_NAMES.get(field, field)}: {message}")
    return messages


def _digest(*parts):
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()


def idempotency_key(api_key, post, client_key=None, now=None):
    """The key for this submission, and an earlier one to honour (see the module doc)."""
    if client_key:
        return _digest("open311-client", api_key.pk, post.get("device_id", ""), client_key), None
    window = max(1, int(settings.OPEN311_IDEMPOTENCY_WINDOW))
    bucket = int((now or time.time()) // window)
    content = [
        api_key.pk, post.get("service_code", ""), " ".join((post.get("description") or "").split()),
        post.get("lat", ""), post.get("long", ""), post.get("address_string", ""),
        post.get("address_id", ""), (post.get("email") or "").strip().lower(),
        *([post["attribute[area]"]] if post.get("attribute[area]") else []),
    ]
    current = _digest("open311", bucket, *content)
    previous = _digest("open311", bucket - 1, *content)
    return current, previous


def choose_key(current, previous):
    """The previous window's key when that submission exists, so a retry just after a
    window boundary still finds it."""
    if previous and Complaint.objects.filter(idempotency_key=previous).exists():
        return previous
    return current
