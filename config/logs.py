"""Structured logs: one JSON object per line with the request id, and no personal data.

- RequestIdMiddleware gives every request an id (the proxy's X-Request-ID when the request
  comes through a trusted proxy, else a new one), returns it in the response and puts it
  on every log line written while the request runs, and writes one access-log line per
  request: method, path without the query string (tracking links carry secrets there),
  status, duration.
- PersonalDataFilter masks e-mail addresses, phone numbers, secrets in query strings and
  path segments that are secrets (password-reset tokens, receipt keys) in every message,
  whatever logger wrote it (Django's request log included), before any handler sees it.
"""

import contextvars
import json
import logging
import re
import time
import uuid

from django.conf import settings

request_id_var = contextvars.ContextVar("request_id", default="")
access_log = logging.getLogger("aduan.access")

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Indonesian and international phone numbers: 9-15 digits, optionally +, spaces, dots, dashes.
PHONE = re.compile(r"(?<![\w-])(?:\+?\d[\d .-]{7,17}\d)(?![\w-])")
QUERY_SECRET = re.compile(r"([?&](?:t|token|key|code|sig|signature|api_key)=)[^&\s\"']+", re.IGNORECASE)
# Paths whose segments are secrets: keep the route, drop the value.
SECRET_PATHS = [
    (re.compile(r"(/accounts/reset/)[^/\s]+/[^/\s]+/"), r"\1-/-/"),
    (re.compile(r"(/report/done/)[^/\s?]+"), r"\1-"),
    (re.compile(r"(/open311/v2/tokens/)[^/\s.]+"), r"\1-"),
    (re.compile(r"(/track/[^/\s]+/link/[^/\s]+/)[^\s\"']+"), r"\1-"),
]
# Long opaque strings (session keys, tokens, signatures) that slip through anyway.
OPAQUE = re.compile(r"\b[A-Za-z0-9_:\-]{32,}\b")


def mask(text):
    text = QUERY_SECRET.sub(r"\1***", text)
    for pattern, replacement in SECRET_PATHS:
        text = pattern.sub(replacement, text)
    text = EMAIL.sub("***@***", text)
    text = PHONE.sub(_mask_phone, text)
    return OPAQUE.sub("***", text)


def _mask_phone(match):
    digits = re.sub(r"\D", "", match.group(0))
    # Dates, times and durations also have digits; only 9 digits or more look like a phone.
    return "***phone***" if len(digits) >= 9 else match.group(0)


class PersonalDataFilter(logging.Filter):
    def filter(self, record):
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg, record.args = mask(message), None
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    FIELDS = ("method", "path", "status", "duration_ms", "client")

    def format(self, record):
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or request_id_var.get(),
        }
        for field in self.FIELDS:
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        if record.exc_info or record.exc_text:
            entry["exception"] = record.exc_text or self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


JsonFormatter.converter = time.gmtime

VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from complaints.ratelimit import client_ip

        given = request.META.get("HTTP_X_REQUEST_ID", "")
        trusted = request.META.get("REMOTE_ADDR") in set(settings.TRUSTED_PROXIES)
        request_id = given if trusted and VALID_ID.match(given) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            access_log.info(
                "%s %s %s", request.method, request.path, response.status_code,
                extra={"method": request.method, "path": mask(request.path), "status": response.status_code,
                       "duration_ms": round((time.monotonic() - started) * 1000, 1),
                       "client": client_ip(request)},
            )
            return response
        finally:
            request_id_var.reset(token)


def logging_config(fmt, level):
    """LOGGING for settings: JSON lines (production) or plain text (development), masked
    either way."""
    formatter = {"()": JsonFormatter} if fmt == "json" else {
        "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"personal_data": {"()": PersonalDataFilter}},
        "formatters": {"main": formatter},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "main",
                                 "filters": ["personal_data"]}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            # One line per request, from RequestIdMiddleware; off unless asked for in
            # development, where the console is for reading.
            "aduan.access": {"level": "INFO" if fmt == "json" else "WARNING"},
        },
    }
