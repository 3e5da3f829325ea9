"""Open data exports, streamed so a million complaints never sit in memory.

Under ASGI (daphne) the complaint export is an asynchronous stream: each chunk of
CHUNK_ROWS complaints is fetched through sync_to_async and sent before the next is read, so
the first bytes leave at once and memory stays bounded by one chunk. (Django serves a
synchronous iterator under ASGI by collecting it whole with sync_to_async(list) first.)
Under WSGI the same chunks are produced by a plain generator."""

import csv
import datetime as dt
import logging
from decimal import ROUND_HALF_UP, Decimal

from asgiref.sync import sync_to_async
from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.models import Complaint, Visibility
from routing.calendar import working_seconds_between
from routing.models import Category, Unit

from . import copy_export
from .metrics.periods import day_range

log = logging.getLogger(__name__)

CHUNK_ROWS = 2000

# Public-safe columns only: no names, contacts, free text, locations or access tokens.
COMPLAINT_COLUMNS = (
    "tracking_code", "kind", "category", "unit", "status", "submitted_at", "triaged_at",
    "first_response_at", "resolved_at", "final_resolved_at", "closed_at", "triage_due_at",
    "response_due_at", "resolution_due_at", "outcome", "rating", "reopen_count", "escalation_level",
    "hours_to_triage", "working_days_to_triage", "hours_to_first_response",
    "working_days_to_first_response", "hours_to_resolution", "working_days_to_resolution",
    "channel",  # last, so that readers of the earlier columns by position are unaffected
)
_FIELDS = ("pk", "tracking_code", "visibility", "triaged_at", "kind", "category_id", "responsible_unit_id",
           "state", "submitted_at", "first_response_at", "resolved_at", "final_resolved_at",
           "closed_at", "triage_due_at", "response_due_at", "resolution_due_at", "outcome", "rating",
           "reopen_count", "escalation_level", "channel")
_TIMES = ("submitted_at", "triaged_at", "first_response_at", "resolved_at", "final_resolved_at", "closed_at",
          "triage_due_at", "response_due_at", "resolution_due_at")


class Echo:
    def write(self, value):
        return value


def _iso(moment):
    return moment.isoformat() if moment else ""


def _day(moment):
    return timezone.localtime(moment).date().isoformat() if moment else ""


def _rounded(amount, places):
    """Half away from zero on the exact value, as PostgreSQL's round(numeric) does for the
    COPY export; written like a float (12.0, 1.5)."""
    return float(amount.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP))


def _durations(start, end):
    if start is None or end is None:
        return "", ""
    micro = max(0, (end - start) // dt.timedelta(microseconds=1))
    return (_rounded(Decimal(micro) / 3_600_000_000, 1),
            _rounded(Decimal(working_seconds_between(start, end)) / 86400, 2))


class ComplaintExport:
    """The complaint CSV for a period and a set of units (both checked by the caller before
    anything is sent). The header goes out before the database is read at all; then the
    complaints, chunk by chunk.

    Oldest first; complaints of sensitive categories (abuse of power, corruption) follow
    the others, with dates only and no time of day, so neither their times nor their place
    among the other rows tells when, to the minute, someone reported an official."""

    def __init__(self, period=None, unit_ids=None):
        qs = Complaint.objects.all()
        if period is not None:
            start, end = day_range(period)
            qs = qs.filter(submitted_at__gte=start, submitted_at__lt=end)
        if unit_ids is not None:
            qs = qs.filter(Q(responsible_unit_id__in=unit_ids))
        self.queryset = qs  # lazy: no query yet
        self.period_range = (start, end) if period is not None else None
        self.unit_ids = unit_ids
        self.writer = csv.writer(Echo())

    def chunks(self):
        """Yield strings: the header line, then the complaints' lines, in chunks."""
        yield self.writer.writerow(COMPLAINT_COLUMNS)
        if connection.vendor == "postgresql" and copy_export.fixed_offset() is not None:
            yield from copy_export.chunks(self.period_range, self.unit_ids)
            return
        yield from self.python_chunks()

    def python_chunks(self):
        """The lines of up to CHUNK_ROWS complaints each, formatted here (keyset pagination on
        pk: every chunk is its own short query). SQLite's path; PostgreSQL's COPY writes the
        same lines (tests/dashboard/test_export_copy.py compares them)."""
        self.categories = dict(Category.objects.values_list("pk", "code"))
        self.sensitive = set(Category.objects.filter(sensitive=True).values_list("pk", flat=True))
        self.units = dict(Unit.objects.values_list("pk", "code"))
        for part in (self.queryset.exclude(category_id__in=self.sensitive),
                     self.queryset.filter(category_id__in=self.sensitive)):
            last = 0
            while True:
                rows = list(part.filter(pk__gt=last).order_by("pk").values_list(*_FIELDS)[:CHUNK_ROWS])
                if not rows:
                    break
                last = rows[-1][0]
                yield "".join(self.line(dict(zip(_FIELDS, row))) for row in rows)

    def line(self, r):
        sensitive = r["category_id"] in self.sensitive
        # A tracking code is published only for public complaints that passed triage, and
        # never for a sensitive category (those are private by rule; checked again here).
        public = r["visibility"] == Visibility.PUBLIC and r["triaged_at"] is not None and not sensitive
        when = _day if sensitive else _iso
        triage = _durations(r["submitted_at"], r["triaged_at"])
        response = _durations(r["triaged_at"], r["first_response_at"])
        resolution = _durations(r["submitted_at"], r["resolved_at"])
        return self.writer.writerow([
            r["tracking_code"] if public else "", r["kind"], self.categories.get(r["category_id"], ""),
            self.units.get(r["responsible_unit_id"], ""), r["state"], *(when(r[name]) for name in _TIMES),
            r["outcome"], r["rating"] if r["rating"] is not None else "", r["reopen_count"],
            r["escalation_level"], *triage, *response, *resolution, r["channel"],
        ])

    async def achunks(self):
        """chunks() for an ASGI server: each chunk is read in Django's sync thread and sent
        before the next is read. A failure after the first bytes cannot become an error
        status any more: it ends the file with a line that says so (a silent truncation
        would pass for the whole export, and an exception here would leave the client
        waiting forever under daphne)."""
        chunks = self.chunks()
        read = sync_to_async(lambda: next(chunks, None), thread_sensitive=True)
        while True:
            try:
                chunk = await read()
            except Exception:
                log.exception("complaint export stopped early")
                yield "# " + _("The export stopped early because of a server error; download it again.") + "\n"
                return
            if chunk is None:
                return
            yield chunk


def complaint_rows(period=None, unit_ids=None):
    """Yield CSV text: the header, then the complaints (see ComplaintExport)."""
    yield from ComplaintExport(period, unit_ids).chunks()


SUMMARY_COLUMNS = ("figure", "measure", "value", "count", "period_start", "period_end", "unit", "definition")


def summary_rows(data):
    """Yield CSV lines of every headline figure: one line per measure, with its count."""
    writer = csv.writer(Echo())
    yield writer.writerow(SUMMARY_COLUMNS)
    period, unit = data["period"], data["filter"]["unit"] or ""
    for figure in data["figures"]:
        for measure, value in figure.items():
            if measure in ("name", "label", "definition", "period", "filter", "count", "as_of"):
                continue
            if measure == "ageing":
                for bucket in value:
                    yield writer.writerow([figure["name"], f"age_days_{bucket['days']}", bucket["count"],
                                           figure["count"], period["start"], period["end"], unit,
                                           figure["definition"]])
                continue
            yield writer.writerow([figure["name"], measure, "" if value is None else value, figure["count"],
                                   period["start"], period["end"], unit, figure["definition"]])
        yield writer.writerow([figure["name"], "count", figure["count"], figure["count"],
                               period["start"], period["end"], unit, figure["definition"]])
