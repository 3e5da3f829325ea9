"""Request bodies never grow memory: refused by size before Django reads them, and never
parsed in memory by the server underneath.

RequestBodyLimit wraps the ASGI application (config.asgi). A body is allowed
UPLOAD_BODY_MAX_BYTES on the URLs that take attachments (UPLOAD_URL_NAMES: every file a
report may carry plus a margin for the form fields) and REQUEST_BODY_MAX_BYTES elsewhere.
A declared Content-Length above the limit is answered 413 before a single byte of the body
is read; a body without one (chunked) is counted as it arrives and answered 413 the moment
it passes the limit, and Django is told the client left, so it stops reading and answers
nothing itself. What Django does read is spooled to disk beyond FILE_UPLOAD_MAX_MEMORY_SIZE
(settings).

The reverse proxy in front should refuse larger bodies too (README, "Production"): daphne
receives a whole body before the application sees its headers.
"""

import io

from asgiref.sync import sync_to_async
from django.conf import settings
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import gettext as _


def body_limit(path):
    """The largest body a request to `path` may carry."""
    try:
        match = resolve(path)
    except Resolver404:
        return settings.REQUEST_BODY_MAX_BYTES
    if match.view_name in settings.UPLOAD_URL_NAMES:
        return settings.UPLOAD_BODY_MAX_BYTES
    return settings.REQUEST_BODY_MAX_BYTES


def declared_length(scope):
    for name, value in scope.get("headers", ()):
        if name.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class RequestBodyLimit:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope["path"][len(scope.get("root_path", "")):] or "/"
        limit = body_limit(path)
        declared = declared_length(scope)
        if declared is not None and declared > limit:
            return await refuse(scope, send, limit)  # the body is never read
        received = 0

        async def counting_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    await refuse(scope, send, limit)
                    return {"type": "http.disconnect"}  # Django stops reading, answers nothing
            return message

        return await self.app(scope, counting_receive, send)


async def refuse(scope, send, limit):
    """413 in the request's language: HTML for pages, JSON for the data API."""
    from django.core.handlers.asgi import ASGIRequest

    from .middleware import refusal

    request = ASGIRequest(dict(scope, method="GET"), io.BytesIO())

    def answer():
        with translation.override(translation.get_language_from_request(request)):
            megabytes = max(1, round(limit / 2**20))
            message = _("The request is too large: at most %(mb)d MB may be sent here.") % {"mb": megabytes}
            return refusal(request, message, 413)

    response = await sync_to_async(answer)()
    headers = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in response.items()]
    headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": response.content})


def keep_daphne_from_parsing_forms():
    """Twisted's Request parses every multipart/form-data body into memory for its own
    `args` (about 15 times the body's size at peak: 1.6 GB for a 100 MB upload) before
    daphne hands the request on; daphne never uses those `args`, and Django parses the body
    itself, streaming files to disk. Switch that parsing off for daphne's requests."""
    from daphne import http_protocol

    if getattr(http_protocol.WebRequest, "leaves_forms_to_django", False):
        return

    class WebRequest(http_protocol.WebRequest):
        leaves_forms_to_django = True

        def __init__(self, *args, **kwargs):
            kwargs["parsePOSTFormSubmission"] = False
            super().__init__(*args, **kwargs)

    http_protocol.WebRequest = WebRequest
