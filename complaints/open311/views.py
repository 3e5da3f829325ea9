"""Open311 GeoReport v2 views: parse, call one function, render in the asked format.

API POSTs are authenticated by their api_key, not by a session, so they are exempt from
CSRF. Reads are anonymous. Every request is rate limited per client IP; filing also
per API key."""

import datetime as dt
import functools
import hashlib

from django.conf import settings
from django.core.exceptions import BadRequest, SuspiciousOperation
from django.http import JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from ..lifecycle import filing
from ..models import ApiKey
from ..permissions import ActorRef
from ..lifecycle.errors import InvalidArguments
from ..ratelimit import Limit, client_ip, remembered
from . import catalogue, openapi, service_requests, submission
from .formats import render, render_errors

LANGUAGES = ("id", "en")
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET_MEMORY = 366 * 24 * 3600  # after a year a fingerprint is forgotten: clients merely refresh once


def _language(request):
    """?locale= (id or en, a region may follow) wins over Accept-Language."""
    asked = (request.GET.get("locale") or "").strip()
    from_request = translation.get_language_from_request(request) or settings.LANGUAGE_CODE
    if not asked:
        return from_request, None
    primary = asked.replace("_", "-").split("-")[0].lower()
    if primary not in LANGUAGES:
        # Say so in the language of the request's headers.
        with translation.override(from_request):
            return from_request, _("locale must be id or en.")
    return primary, None


def _has_nul(request, kwargs):
    values = list(kwargs.values())
    for source in (request.GET, request.POST):
        for name, items in source.lists():
            values.append(name)
            values.extend(items)
    return any("\x00" in str(value) for value in values)


def api(*methods):
    """Common to every endpoint: allowed methods, language, input hygiene, the per-IP
    rate limit, and answers in the Open311 error shape."""

    def decorate(view):
        @csrf_exempt
        @functools.wraps(view)
        def wrapper(request, fmt="json", **kwargs):
            language, locale_error = _language(request)
            with translation.override(language):
                response = _guarded(view, methods, request, fmt, locale_error, kwargs)
                response["Content-Language"] = language
            return response

        wrapper.checks_nul_itself = True  # _guarded answers NUL in the Open311 error shape
        return wrapper

    return decorate


def _guarded(view, methods, request, fmt, locale_error, kwargs):
    allowed = set(methods) | ({"HEAD"} if "GET" in methods else set())
    if request.method not in allowed:
        return render_errors(fmt, 405, [_("This method is not allowed here.")],
                             headers={"Allow": ", ".join(sorted(allowed))})
    wait = Limit("open311-ip", settings.OPEN311_RATE_LIMIT_IP, 60).hit(client_ip(request))
    if wait:
        return too_many(fmt, wait)
    if locale_error:
        return render_errors(fmt, 400, [locale_error])
    try:
        request.POST  # parse the body here, so that a broken one is answered in our shape
    except (BadRequest, MultiPartParserError, SuspiciousOperation):
        return render_errors(fmt, 400, [_("The request body could not be read.")])
    if _has_nul(request, kwargs):
        # PostgreSQL cannot store or compare text containing NUL.
        return render_errors(fmt, 400, [_("Parameters must not contain NUL characters.")])
    jurisdiction = settings.OPEN311_JURISDICTION_ID
    asked = request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id")
    if jurisdiction and asked and asked != jurisdiction:
        return render_errors(fmt, 404, [_("jurisdiction_id %(id)s is not served here.") % {"id": asked}])
    return view(request, fmt, **kwargs)


def too_many(fmt, wait):
    return render_errors(fmt, 429, [_("Too many requests: try again in %(n)d seconds.") % {"n": wait}],
                         headers={"Retry-After": str(wait)})


def base_url(request):
    # Through reverse(), so a script prefix or another mount point is respected.
    services_url = reverse("open311-services", kwargs={"fmt": "json"})
    return request.build_absolute_uri(services_url[: -len("/services.json")])


# --- discovery and services --------------------------------------------------------------
def changeset():
    """When the service list or a definition last changed: the first time this exact
    content was seen (remembered in the shared cache), so clients refresh their cached
    service definitions only when there is something new."""
    with translation.override("en"):
        fingerprint_source = repr([catalogue.definition(c) | catalogue.service(c)
                                   for c in catalogue.active_categories()])
    fingerprint = hashlib.sha256(fingerprint_source.encode()).hexdigest()[:32]
    seen = remembered(f"open311:changeset:{fingerprint}", timezone.now().isoformat(), CHANGESET_MEMORY)
    return timezone.localtime(dt.datetime.fromisoformat(seen)).isoformat(timespec="seconds")


@api("GET")
def discovery(request, fmt):
    stamp = changeset()
    return render(fmt, "discovery", {
        "changeset": stamp,
        "contact": settings.OPEN311_CONTACT,
        "key_service": settings.OPEN311_KEY_SERVICE,
        "endpoints": [{
            "specification": SPECIFICATION,
            "url": base_url(request),
            "changeset": stamp,
            "type": "production",
            "formats": ["text/xml", "application/json"],
        }],
    })


@api("GET")
def service_list(request, fmt):
    return render(fmt, "services", [catalogue.service(c) for c in catalogue.active_categories()])


@api("GET")
def service_definition(request, fmt, service_code):
    category = catalogue.find_category(service_code)
    if category is None:
        return render_errors(fmt, 404, [_("service_code %(code)s was not found.") % {"code": service_code}])
    return render(fmt, "service_definition", catalogue.definition(category))


# --- service requests --------------------------------------------------------------------
@api("GET", "POST")
def requests(request, fmt):
    if request.method == "POST":
        return create_request(request, fmt)
    try:
        found = service_requests.search(request.GET)
    except service_requests.BadQuery as error:
        return render_errors(fmt, 400, error.messages)
    labels = service_requests.Labels()
    return render(fmt, "service_requests", [service_requests.describe(c, labels) for c in found])


def create_request(request, fmt):
    post = request.POST
    api_key = ApiKey.lookup(post.get("api_key", ""))
    if api_key is None:
        return render_errors(fmt, 403, [_("api_key is missing, unknown or revoked.")])
    wait = Limit("open311-key", settings.OPEN311_RATE_LIMIT_KEY, 60).hit(api_key.key_hash[:16])
    if wait:
        return too_many(fmt, wait)
    code = (post.get("service_code") or "").strip()
    if not code:
        return render_errors(fmt, 400, [_("service_code is required.")])
    category = catalogue.find_category(code)
    if category is None:
        return render_errors(fmt, 400, [_("service_code %(code)s is not a service.") % {"code": code}])
    client_key = (request.headers.get("Idempotency-Key") or "").strip()
    if len(client_key) > 200:
        return render_errors(fmt, 400, [_("Idempotency-Key must be at most 200 characters.")])
    try:
        data = submission.filing_data(post, category)
        key = submission.choose_key(*submission.idempotency_key(api_key, post, client_key))
        # A client's own Idempotency-Key sent again with other content is a client error,
        # refused with a message; our content-derived key files other content anew.
        filed = filing.file_complaint(data, ActorRef.api(api_key), language=translation.get_language(),
                                      idempotency_key=key, refuse_changed=bool(client_key))
    except submission.BadSubmission as error:
        return render_errors(fmt, 400, error.messages)
    except InvalidArguments as error:
        return render_errors(fmt, 400, submission.filing_errors(error.errors) or [error.message])
    complaint = filed.complaint
    answer = [{
        "service_request_id": complaint.tracking_code,
        "service_notice": catalogue.service_notice(complaint.category),
        "account_id": None,  # Aduan keeps no client accounts
    }]
    return render(fmt, "service_requests", answer, status=201 if filed.created else 200)


@api("GET")
def request_detail(request, fmt, service_request_id):
    complaint = service_requests.find(service_request_id)
    if complaint is None:
        return render_errors(fmt, 404, [
            _("service_request_id %(id)s was not found.") % {"id": service_request_id}])
    return render(fmt, "service_requests", [service_requests.describe(complaint)])


@api("GET")
def token(request, fmt, token):
    """Filing is synchronous, so the token of the specification is the service_request_id
    itself; it resolves exactly when the request is readable through this API."""
    complaint = service_requests.find(token)
    if complaint is None:
        return render_errors(fmt, 404, [_("token %(token)s was not found.") % {"token": token}])
    return render(fmt, "service_requests", [
        {"service_request_id": complaint.tracking_code, "token": token}])


@api("GET")
def openapi_document(request, fmt="json"):
    return JsonResponse(openapi.build(base_url(request)), json_dumps_params={"ensure_ascii": False})
