"""The early-warning worker step, called from `run_worker`'s loop (:func:`run_due`).

Work is split into small units, each a :class:`~systemic.models.Scan` row: "refresh"
(find the series that have complaints), one row per series ("spike:category=3|unit=5":
test its last 7 days) and "clusters" (look for similar complaints across categories).
A worker claims a due unit with a conditional UPDATE on its ``due_at`` (the healthchecks
``sendalerts`` pattern), so several workers share the work and none does a unit twice.

Series are defined by :data:`SERIES`, lists of dimension names from :data:`DIMENSIONS`:
category x unit, and category x area, where the area is the kecamatan (a complaint filed
in a kelurahan/desa counts for its kecamatan). Kecamatan, not kelurahan: a kelurahan sees
a handful of complaints of one category a month, too few for a weekly baseline to tell a
spike from noise, while a kecamatan holds about ten of them; the warning's evidence then
says in which kelurahan its complaints are (``area_counts``).

Warnings store counts, the baseline, dimension ids and complaint tracking codes, never
the citizens' words or identities.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from areas.models import Area
from complaints.models import Complaint, RejectReason, State
from ml.text import complaint_text

from . import detection
from .models import EarlyWarning, Scan, WarningKind, WarningStatus

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Dimension:
    name: str
    expression: object  # what complaints are grouped by (an ORM expression or field name)
    model: str  # "app_label.Model" the ids point to (for labels on the page)
    # match(value) -> Q selecting the series' complaints, when an index serves it better
    # than filtering on the expression.
    match: object = None


DIMENSIONS = {
    "category": Dimension("category", F("category_id"), "routing.Category"),
    # Before triage a complaint has no unit yet: it counts for the one its category routes to.
    "unit": Dimension("unit", Coalesce("responsible_unit_id", "category__default_unit_id"), "routing.Unit"),
    # The kecamatan: the area's parent, or the area itself when it is a kecamatan.
    "area": Dimension("area", Coalesce("area__parent_id", "area_id"), "areas.Area",
                      match=Area.within_kecamatan_q),
}
SERIES = [("category", "unit"), ("category", "area")]

HISTORY_WEEKS = 104
MAX_CODES = 200
REFRESH_KEY = "refresh"
CLUSTER_KEY = "clusters"


def setting(name, default):
    return getattr(settings, name, default)


def interval():
    return dt.timedelta(minutes=float(setting("EARLY_WARNING_INTERVAL_MINUTES", 60)))


def counted():
    """The complaints that count: everything filed except what triage rejected as spam."""
    return Complaint.objects.exclude(state=State.REJECTED, reject_reason=RejectReason.SPAM)


def series_key(dimensions: dict) -> str:
    return "|".join(f"{name}={dimensions[name]}" for name in dimensions)


def parse_key(key: str) -> dict:
    return {name: int(value) for name, value in (part.split("=", 1) for part in key.split("|"))}


def _annotated(names):
    return counted().annotate(**{f"dim_{n}": DIMENSIONS[n].expression for n in names})


def _filter(names, dimensions):
    queryset = counted()
    for n in names:
        dimension = DIMENSIONS[n]
        if dimension.match is not None:
            queryset = queryset.filter(dimension.match(dimensions[n]))
        else:
            queryset = queryset.annotate(**{f"dim_{n}": dimension.expression}).filter(**{f"dim_{n}": dimensions[n]})
    return queryset


def area_counts(area_ids):
    """{area id: complaints} of the complaints behind a warning (where they are; the
    areas are places, never people); complaints without an area are not counted."""
    counts = {}
    for area_id in area_ids:
        if area_id is not None:
            counts[str(area_id)] = counts.get(str(area_id), 0) + 1
    return counts


# --- claiming -----------------------------------------------------------------------
def claim(scan, now):
    """Take a due unit of work: True only for the one worker whose UPDATE matched."""
    return bool(Scan.objects.filter(pk=scan.pk, due_at=scan.due_at).update(due_at=now + interval(),
                                                                            last_run_at=now))


def run_due(now=None, limit=25):
    """Do up to ``limit`` due units of work; returns how many this worker did."""
    if not setting("EARLY_WARNING_ENABLED", True):
        return 0
    now = now or timezone.now()
    for key in (REFRESH_KEY, CLUSTER_KEY):
        Scan.objects.get_or_create(key=key, defaults={"due_at": now})
    done = 0
    while done < limit and process_one(now):
        done += 1
    return done


def process_one(now):
    """One unit of work (sendalerts style). False when nothing is due."""
    scan = Scan.objects.filter(due_at__lte=now).order_by("due_at", "pk").first()
    if scan is None:
        return False
    if not claim(scan, now):
        return True  # another worker took it; look for the next
    try:
        if scan.key == REFRESH_KEY:
            refresh_series(now)
        elif scan.key == CLUSTER_KEY:
            scan_clusters(now)
        elif scan.key.startswith("spike:"):
            names_part, _sep, key = scan.key[len("spike:"):].partition(":")
            scan_series(tuple(names_part.split("+")), parse_key(key), now)
    except Exception:  # one bad series must not stop the worker
        log.warning("early-warning scan %s failed", scan.key, exc_info=True)
    return True


def refresh_series(now):
    """Make sure every series with a complaint in the look-back has a scan row."""
    since = now - dt.timedelta(weeks=HISTORY_WEEKS + 1)
    keys = []
    for names in SERIES:
        rows = _annotated(names).filter(submitted_at__gte=since).values(*[f"dim_{n}" for n in names]).distinct()
        for row in rows:
            if any(row[f"dim_{n}"] is None for n in names):
                continue
            keys.append(f"spike:{'+'.join(names)}:{series_key({n: row[f'dim_{n}'] for n in names})}")
    Scan.objects.bulk_create([Scan(key=k, due_at=now) for k in keys], ignore_conflicts=True)
    return len(keys)


# --- unusual weeks ------------------------------------------------------------------
def local_date(moment):
    return timezone.localtime(moment).date()


def daily_counts(queryset, since):
    tz = timezone.get_current_timezone()
    rows = (queryset.filter(submitted_at__gte=since).annotate(day=TruncDate("submitted_at", tzinfo=tz))
            .values("day").annotate(n=Count("pk")).values_list("day", "n"))
    return dict(rows)


def scan_series(names, dimensions, now):
    """Test one series' last 7 days; create or update its warning. Returns the warning or None."""
    end = local_date(now)
    start = end - dt.timedelta(days=6)
    queryset = _filter(names, dimensions)
    first_day = end - dt.timedelta(days=7 * (HISTORY_WEEKS + 1))
    since = timezone.make_aware(dt.datetime.combine(first_day, dt.time.min))
    counts = daily_counts(queryset, since)
    history, current = detection.weekly_blocks(counts, end, HISTORY_WEEKS)
    history = detection.trim_leading_zeros(history)
    result = detection.spike_test(
        history, current,
        alpha=float(setting("EARLY_WARNING_ALPHA", 0.001)),
        min_count=int(setting("EARLY_WARNING_MIN_COUNT", 5)),
    )
    if result is None or not result.flagged:
        return None
    window = queryset.filter(submitted_at__gte=timezone.make_aware(dt.datetime.combine(start, dt.time.min)))
    rows = list(window.order_by("submitted_at").values_list("tracking_code", "category_id", "category__sensitive",
                                                            "area_id")[:MAX_CODES])
    n = len(history)
    chart = []
    for j in range(max(0, n - 12), n):  # the last 12 weeks before this one, then this one
        last = end - dt.timedelta(days=7 * (n - j))
        chart.append({"start": str(last - dt.timedelta(days=6)), "count": int(history[j]),
                      "expected": round(result.fitted[j], 2)})
    chart.append({"start": str(start), "count": current, "expected": round(result.expected, 2)})
    values = dict(
        observed=current, expected=round(result.expected, 3), upper=result.upper, p_value=result.p_value,
        method=result.method, series=chart, complaint_codes=[code for code, *_rest in rows],
        category_ids=sorted({row[1] for row in rows}), sensitive=any(row[2] for row in rows),
        unit_ids=[dimensions["unit"]] if "unit" in dimensions else [],
        area_ids=[dimensions["area"]] if "area" in dimensions else [],
        area_counts=area_counts(row[3] for row in rows), period_start=start, period_end=end,
        updated_at=now,
    )
    key = f"{'+'.join(names)}:{series_key(dimensions)}"
    with transaction.atomic():
        existing = (EarlyWarning.objects.select_for_update()
                    .filter(kind=WarningKind.SPIKE, series_key=key, period_end__gte=start - dt.timedelta(days=1))
                    .order_by("-period_end").first())
        if existing is not None:
            if existing.status != WarningStatus.NEW:
                return None  # oversight already decided on this episode
            for field, value in values.items():
                setattr(existing, field, value)
            existing.save()
            return existing
        return EarlyWarning.objects.create(kind=WarningKind.SPIKE, series_key=key, dimensions=dimensions,
                                           detected_at=now, **values)


# --- clusters -----------------------------------------------------------------------
def scan_clusters(now):
    """Similar complaints of the last days across categories; returns the warnings touched."""
    from ml.similar import find_clusters

    days = int(setting("EARLY_WARNING_CLUSTER_DAYS", 14))
    since = now - dt.timedelta(days=days)
    rows = list(
        counted().filter(submitted_at__gte=since, submitted_at__lte=now).order_by("-submitted_at")
        .values_list("tracking_code", "title", "description", "category_id", "category__sensitive",
                     "submitted_at", "responsible_unit_id", "category__default_unit_id", "area_id")
        [: int(setting("EARLY_WARNING_CLUSTER_MAX", 5000))]
    )
    clusters = find_clusters(
        [complaint_text(title, description) for _code, title, description, *_rest in rows],
        threshold=float(setting("EARLY_WARNING_CLUSTER_SIMILARITY", 0.45)),
        min_size=int(setting("EARLY_WARNING_CLUSTER_MIN_SIZE", 5)),
    )
    touched = []
    for members in clusters:
        chosen = sorted((rows[i] for i in members), key=lambda r: r[5])
        codes = [r[0] for r in chosen][:MAX_CODES]
        values = dict(
            observed=len(members), complaint_codes=codes, category_ids=sorted({r[3] for r in chosen}),
            unit_ids=sorted({r[6] or r[7] for r in chosen}), sensitive=any(r[4] for r in chosen),
            area_counts=area_counts(r[8] for r in chosen),
            period_start=local_date(chosen[0][5]), period_end=local_date(chosen[-1][5]), updated_at=now,
            method=f"TF-IDF cosine >= {setting('EARLY_WARNING_CLUSTER_SIMILARITY', 0.45)} over {days} days",
        )
        warning = _merge_cluster(set(codes), values, now)
        if warning is not None:
            touched.append(warning)
    return touched


def _merge_cluster(codes, values, now):
    recent = EarlyWarning.objects.filter(kind=WarningKind.CLUSTER,
                                         period_end__gte=local_date(now) - dt.timedelta(days=30))
    with transaction.atomic():
        for warning in recent.select_for_update():
            known = set(warning.complaint_codes)
            if detection.same_cluster(known, codes):  # the same cluster, seen again
                if warning.status != WarningStatus.NEW or codes <= known:
                    return None
                for field, value in values.items():
                    setattr(warning, field, value)
                warning.save()
                return warning
        return EarlyWarning.objects.create(kind=WarningKind.CLUSTER, series_key="", detected_at=now, **values)
