"""Project-wide guards in MIDDLEWARE (config.settings): input no page may see, and caching
no private page may get."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.deprecation import MiddlewareMixin
from django.utils.translation import gettext as _

NUL = "\x00"


def contains_nul(request):
    """A NUL character anywhere a view could pass it on to the database: the path, a query
    or form field's name or value, an uploaded file's field or file name."""
    if NUL in request.path:
        return True
    for source in (request.GET, request.POST):
        for name, values in source.lists():
            if NUL in name or any(NUL in value for value in values):
                return True
    for name, files in request.FILES.lists():
        if NUL in name or any(NUL in (upload.name or "") for upload in files):
            return True
    return False


def refusal(request, message, status):
    """A refused request: JSON for the data API (paths ending .json or .csv), otherwise a
    page in the site's layout. Both carry `message`."""
    if request.path.endswith((".json", ".csv")):
        return JsonResponse({"error": message}, status=status)
    return render(request, "bad_request.html", {"message": message}, status=status)


class RejectNulMiddleware(MiddlewareMixin):
    """PostgreSQL cannot store or compare text containing NUL (a DataError, so a 500). One
    guard for every view, before any of them (and before CSRF reads the form): 400 with a
    message in the request's language, HTML for pages and JSON for the data API (paths
    ending .json or .csv). Views marked `checks_nul_itself` (Open311, which answers in its
    own error format) are left to do so."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "checks_nul_itself", False) or not contains_nul(request):
            return None
        return refusal(request, _("The address or a form field contains a NUL character (\\0), which is "
                                  "never valid here. Remove it and try again."), 400)


class PrivatePagesNotStoredMiddleware(MiddlewareMixin):
    """Pages under PRIVATE_PATH_PREFIXES (staff, tracking, the report confirmation, "my
    complaints", accounts, admin) carry personal data or secrets: no browser or proxy cache
    may keep them (Cache-Control: no-store, private), so Back on a shared computer or a
    caching proxy never shows them to the next person."""

    def process_response(self, request, response):
        if request.path_info.startswith(tuple(settings.PRIVATE_PATH_PREFIXES)):
            add_never_cache_headers(response)
        return response
