"""The public figures from the rollups, as docs/architecture.md ("Public metrics") defines
them: the summary, the per-category table, the league table and the weekly series. Pages,
JSON and CSV all call `summary`, so they agree to the digit."""

import datetime as dt
from collections import Counter, defaultdict

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy

from complaints.models import Channel
from routing.models import Category, Unit

from .. import histogram
from ..models import COUNT_COLUMNS, UNIT_ALL, DailyCount, DurationHistogram
from ..rollups import bin_value, bucket_of
from .periods import with_open_end
from .reads import backlog, channel_counts, counts, histogram_blobs, histograms, open_past_due, snapshot

DEFINITIONS = {
    "received": (gettext_lazy("Received"), gettext_lazy(
        "Complaints submitted in the period, duplicates, complaints rejected as spam and complaints "
        "the citizen withdrew before any unit handled them excluded (counted apart). Per unit: the "
        "unit the complaint was first routed to.")),
    "resolved": (gettext_lazy("Resolved"), gettext_lazy(
        "First resolutions that happened in the period, by the unit that resolved.")),
    "backlog": (gettext_lazy("Open backlog"), gettext_lazy(
        "Open complaints now (submitted, waiting for information, routed, in progress), by age "
        "since submission in days; per unit: the unit responsible now.")),
    "time_to_triage": (gettext_lazy("Time to triage"), gettext_lazy(
        "triaged_at − submitted_at, complaints submitted in the period; attributed to the unit "
        "it was routed to.")),
    "time_to_first_response_unit": (gettext_lazy("Time to first response (unit)"), gettext_lazy(
        "first_response_at − triaged_at: the unit's part, complaints submitted in the period; "
        "attributed to the unit responsible at the first response.")),
    "time_to_first_response_citizen": (gettext_lazy("Time to first response (citizen's wait)"), gettext_lazy(
        "first_response_at − submitted_at, complaints submitted in the period.")),
    "time_to_resolution": (gettext_lazy("Time to resolution"), gettext_lazy(
        "resolved_at − submitted_at (first resolution), resolved complaints submitted in the "
        "period; attributed to the unit that resolved.")),
    "sla_triage": (gettext_lazy("Triage on time"), gettext_lazy(
        "Share of complaints submitted in the period, with a triage due date, triaged by it; "
        "open complaints already past due count as breaches, open ones not yet due are not counted, "
        "nor are complaints waiting for the citizen's information (the clock is paused).")),
    "sla_response": (gettext_lazy("First response on time"), gettext_lazy(
        "Share of complaints submitted in the period, with a response due date, first answered "
        "by it; open complaints already past due count as breaches, except while they wait for the "
        "citizen's information (the clock is paused).")),
    "sla_resolution": (gettext_lazy("Resolution on time"), gettext_lazy(
        "Share of complaints submitted in the period, with a resolution due date, resolved by "
        "it; open complaints already past due count as breaches, except while they wait for the "
        "citizen's information (the clock is paused).")),
    "fixed_rate": (gettext_lazy("Fixed rate"), gettext_lazy(
        "Share of resolved complaints submitted in the period with outcome fixed or partly fixed; "
        "cannot fix, not our authority and answered are shown apart, never counted as fixed.")),
    "resolved_with_proof": (gettext_lazy("Resolved with proof"), gettext_lazy(
        "Share of resolved complaints submitted in the period whose (last) resolution carried the proof "
        "its category asks for: a photo of the finished work or a document reference. Categories "
        "asking for none count in the whole, never as proven.")),
    "verification_rate": (gettext_lazy("Verification rate"), gettext_lazy(
        "Of the resolved complaints submitted in the period whose category needs verification, the "
        "share a supervisor other than the resolver has confirmed; those still waiting for the "
        "verifier or sent back and not yet confirmed are not. The unit's resolution time and SLA "
        "stop at its resolve; verification has its own target in working days.")),
    "send_back_rate": (gettext_lazy("Sent back rate"), gettext_lazy(
        "Of the resolved complaints submitted in the period whose category needs verification, the "
        "share the verifier sent back to the unit at least once (it keeps its first resolution time, "
        "as a reopened complaint does).")),
    "satisfaction": (gettext_lazy("Satisfaction"), gettext_lazy(
        "Mean citizen rating (1–5) and share rated 4–5, resolved complaints submitted in the period.")),
    "reopen_rate": (gettext_lazy("Reopen rate"), gettext_lazy(
        "Share of resolved complaints submitted in the period that were reopened.")),
}
DURATION_FIGURES = (
    ("time_to_triage", "triage"),
    ("time_to_first_response_unit", "response_unit"),
    ("time_to_first_response_citizen", "response_citizen"),
    ("time_to_resolution", "resolution"),
)
# The league table's duration columns (hours and working days read from one histogram each).
LEAGUE_DURATIONS = ("response_unit", "resolution")


def min_rank_count():
    return getattr(settings, "DASHBOARD_MIN_RANK_COUNT", 10)


# --- reading rollups ----------------------------------------------------------------------


def percentile(counts, p):
    """Nearest rank: the value of the ceil(p·n)-th smallest duration, read from its bin."""
    return percentiles(counts, (p,))[0]


def percentiles(counts, ps):
    """Several nearest-rank percentiles from one running sum of the bins."""
    if counts is None:
        return [None] * len(ps)
    return [None if i is None else bin_value(i) for i in histogram.percentile_bins(counts, ps)]


def _hours(seconds):
    return None if seconds is None else round(seconds / 3600, 1)


def _working_days(seconds):
    return None if seconds is None else round(seconds / 86400, 2)


def _share(part, whole):
    return None if not whole else round(100.0 * part / whole, 1)


def duration_figure(hours_hist, working_hist):
    median_h, p90_h = percentiles(hours_hist, (0.5, 0.9))
    median_w, p90_w = percentiles(working_hist, (0.5, 0.9))
    return {
        "count": int(hours_hist.sum()) if hours_hist is not None else 0,
        "median_hours": _hours(median_h), "p90_hours": _hours(p90_h),
        "median_working_days": _working_days(median_w), "p90_working_days": _working_days(p90_w),
    }


def rate_figures(c, overdue):
    """The count-based figures from summed counters `c` and open-past-due counts."""
    out = {}
    for name, step in (("sla_triage", "triage"), ("sla_response", "response"),
                       ("sla_resolution", "resolution")):
        done, met, late_open = c[f"{step}_done"], c[f"{step}_met"], overdue.get(step, 0)
        whole = done + late_open
        out[name] = {"count": whole, "met": met, "late": done - met, "open_past_due": late_open,
                     "percent": _share(met, whole)}
    resolved = c["cohort_resolved"]
    out["fixed_rate"] = {
        "count": resolved, "fixed": c["fixed"], "partly_fixed": c["partly_fixed"],
        "cannot_fix": c["cannot_fix"], "not_our_authority": c["not_our_authority"],
        "answered": c["answered"], "percent": _share(c["fixed"] + c["partly_fixed"], resolved),
    }
    checked = c["verification_needed"]
    out["resolved_with_proof"] = {"count": resolved, "with_proof": c["with_proof"],
                                  "percent": _share(c["with_proof"], resolved)}
    out["verification_rate"] = {"count": checked, "verified": c["verified"],
                                "waiting_or_sent_back": checked - c["verified"],
                                "percent": _share(c["verified"], checked)}
    out["send_back_rate"] = {"count": checked, "sent_back": c["sent_back"],
                             "percent": _share(c["sent_back"], checked)}
    out["satisfaction"] = {
        "count": c["rated"], "mean_rating": round(c["rating_sum"] / c["rated"], 2) if c["rated"] else None,
        "rated_4_or_5": c["rated_high"], "percent_4_or_5": _share(c["rated_high"], c["rated"]),
    }
    out["reopen_rate"] = {"count": resolved, "reopened": c["reopened"], "percent": _share(c["reopened"], resolved)}
    out["received"] = {"count": c["received"], "duplicates": c["duplicates"], "rejected_as_spam": c["spam"],
                       "withdrawn": c["withdrawn"]}
    out["resolved"] = {"count": c["resolved"]}
    return out


def _sum(dicts, columns):
    total = dict.fromkeys(columns, 0)
    for d in dicts:
        for c in columns:
            total[c] += d.get(c, 0)
    return total


def summary(period, unit=None, now=None, league=True):
    """Every figure for the period and unit filter (the unit and all units below it)."""
    with snapshot():
        return _summary(with_open_end(period), unit, now, league)


def _summary(period, unit, now, league):
    now = now or timezone.now()
    now_day = timezone.localdate(now)
    subtree = unit.descendant_ids() if unit is not None else None
    context = {"period": period.as_dict(),
               "filter": {"unit": unit.code if unit else None, "includes_subunits": True}}

    by_key = counts(period, subtree)
    overdue = open_past_due(period, subtree, now)
    total = _sum(by_key.values(), COUNT_COLUMNS)
    overdue_total = _sum(overdue.values(), ("triage", "response", "resolution"))
    figures = rate_figures(total, overdue_total)

    metrics_read = [f"{d}_{u}" for _n, d in DURATION_FIGURES for u in "hw"]
    # Every duration is recorded under its unit and under "all units", so for the whole
    # tree (no unit outside the subtree) the small "all" rows give the same sums.
    if unit is None or not Unit.objects.exclude(pk__in=subtree).exists():
        hist, unit_blobs = histograms(period, [UNIT_ALL], metrics_read), None
    else:
        # The subtree's per-unit rows serve the headline (summed) and the league (per unit).
        unit_blobs = histogram_blobs(period, subtree, metrics_read)
        hist = histograms(period, subtree, metrics_read, blobs=unit_blobs)
    for name, d in DURATION_FIGURES:
        figures[name] = duration_figure(hist.get((None, f"{d}_h")), hist.get((None, f"{d}_w")))
    open_rows, ages = backlog(subtree, now_day)
    figures["backlog"] = {"count": sum(r[2] for r in open_rows), "as_of": now.isoformat(), "ageing": ages}
    result = dict(context)
    result["figures"] = [_named(name, body, context) for name, body in _ordered(figures)]
    result["categories"] = category_table(by_key, overdue, open_rows)
    result["by_channel"] = channel_table(channel_counts(period, subtree))
    if league:
        result["units"] = league_table(period, unit, by_key, overdue, open_rows, unit_blobs, subtree)
    return result


ORDER = ("received", "resolved", "backlog", "time_to_triage", "time_to_first_response_unit",
         "time_to_first_response_citizen", "time_to_resolution", "sla_triage", "sla_response",
         "sla_resolution", "fixed_rate", "resolved_with_proof", "verification_rate", "send_back_rate",
         "satisfaction", "reopen_rate")


def _ordered(figures):
    return [(name, figures[name]) for name in ORDER]


def _named(name, body, context):
    label, definition = DEFINITIONS[name]
    return {"name": name, "label": str(label), "definition": str(definition), **context, **body}


def category_table(by_key, overdue, backlog):
    per_cat, over_cat, open_cat = defaultdict(list), defaultdict(list), Counter()
    for (unit, cat), values in by_key.items():
        per_cat[cat].append(values)
    for (unit, cat), values in overdue.items():
        over_cat[cat].append(values)
    for _unit, cat, n in backlog:
        open_cat[cat] += n
    names = {c.pk: c for c in Category.objects.filter(pk__in=set(per_cat) | set(open_cat)).only(
        "code", "name_id", "name_en")}
    rows = []
    for cat_id, cat in sorted(names.items(), key=lambda kv: kv[1].code):
        figs = rate_figures(_sum(per_cat[cat_id], COUNT_COLUMNS),
                            _sum(over_cat[cat_id], ("triage", "response", "resolution")))
        rows.append({"code": cat.code, "name": cat.name, "backlog": open_cat[cat_id], **{
            k: figs[k] for k in ("received", "resolved", "sla_response", "sla_resolution",
                                 "fixed_rate", "resolved_with_proof", "verification_rate", "send_back_rate",
                                 "satisfaction")}})
    return rows


def channel_table(received):
    """Received per channel (the "received" figure split by how complaints reached the
    city), every channel listed, in the order of Channel."""
    return [{"code": code, "name": str(label), "received": received.get(code, 0)}
            for code, label in Channel.choices]


LEAGUE_SORTS = ("received", "resolved", "backlog", "median_response_hours", "median_resolution_hours",
                "sla_response", "sla_resolution", "fixed_rate", "verification_rate", "send_back_rate",
                "satisfaction", "reopen_rate")
# Which direction is better, for ranking.
_HIGHER_IS_BETTER = {"sla_response", "sla_resolution", "fixed_rate", "verification_rate", "satisfaction"}
_LOWER_IS_BETTER = {"median_response_hours", "median_resolution_hours", "send_back_rate", "reopen_rate"}


def league_table(period, unit, by_key, overdue, backlog, blobs=None, subtree=None, units=None):
    """One row per unit (the whole tree, or the unit and its sub-units, or the `units`
    given), each with its own figures (not its sub-units'). Units below the minimum count
    are listed, not ranked."""
    if units is None:
        units = list(Unit.objects.filter(active=True).order_by("code")) if unit is None else \
            list(Unit.objects.filter(pk__in=subtree if subtree is not None else unit.descendant_ids()).order_by("code"))
    ids = [u.pk for u in units]
    per_unit, over_unit, open_unit = defaultdict(list), defaultdict(list), Counter()
    for (key, _cat), values in by_key.items():
        per_unit[key].append(values)
    for (key, _cat), values in overdue.items():
        over_unit[key].append(values)
    for key, _cat, n in backlog:
        open_unit[key] += n
    hist = histograms(period, ids, [f"{d}_{u}" for d in LEAGUE_DURATIONS for u in "hw"], by_unit=True, blobs=blobs)
    minimum = min_rank_count()
    rows = []
    for u in units:
        figs = rate_figures(_sum(per_unit[u.pk], COUNT_COLUMNS),
                            _sum(over_unit[u.pk], ("triage", "response", "resolution")))
        response = duration_figure(hist.get((u.pk, "response_unit_h")), hist.get((u.pk, "response_unit_w")))
        resolution = duration_figure(hist.get((u.pk, "resolution_h")), hist.get((u.pk, "resolution_w")))
        rows.append({
            "code": u.code, "name": u.name, "parent": None,
            "received": figs["received"], "resolved": figs["resolved"],
            "backlog": {"count": open_unit[u.pk]},
            "time_to_first_response_unit": response, "time_to_resolution": resolution,
            "sla_response": figs["sla_response"], "sla_resolution": figs["sla_resolution"],
            "fixed_rate": figs["fixed_rate"], "resolved_with_proof": figs["resolved_with_proof"],
            "verification_rate": figs["verification_rate"], "send_back_rate": figs["send_back_rate"],
            "satisfaction": figs["satisfaction"], "reopen_rate": figs["reopen_rate"],
            "ranked": figs["received"]["count"] >= minimum,
        })
    return rows


def unit_rows(period, units, now=None, past_due=None):
    """The league table's rows of `units` alone (each unit's own figures), read from the
    same rollups in the same way as summary() reads them for the public dashboard, so a
    unit's figures are the same digits on the staff performance page and in public.
    `past_due`: open_past_due's figures if the caller read them already (reads.open_now)."""
    if not units:
        return []
    period = with_open_end(period)
    now = now or timezone.now()
    ids = [u.pk for u in units]
    with snapshot():
        if past_due is None:
            past_due = open_past_due(period, ids, now)
        return league_table(period, None, counts(period, ids), past_due,
                            backlog(ids, timezone.localdate(now))[0], units=units)


def sort_value(row, key):
    return {
        "received": row["received"]["count"], "resolved": row["resolved"]["count"],
        "backlog": row["backlog"]["count"],
        "median_response_hours": row["time_to_first_response_unit"]["median_hours"],
        "median_resolution_hours": row["time_to_resolution"]["median_hours"],
        "sla_response": row["sla_response"]["percent"], "sla_resolution": row["sla_resolution"]["percent"],
        "fixed_rate": row["fixed_rate"]["percent"], "verification_rate": row["verification_rate"]["percent"],
        "send_back_rate": row["send_back_rate"]["percent"], "satisfaction": row["satisfaction"]["mean_rating"],
        "reopen_rate": row["reopen_rate"]["percent"],
    }[key]


def sort_league(rows, key, descending=None):
    """Ranked units first, sorted by `key` (best first unless told), with a rank number;
    then the units below the minimum count, unranked, by code."""
    if key not in LEAGUE_SORTS:
        key = "received"
    if descending is None:
        descending = key not in _LOWER_IS_BETTER
    ranked = [r for r in rows if r["ranked"] and sort_value(r, key) is not None]
    rest = [r for r in rows if r not in ranked]
    ranked.sort(key=lambda r: sort_value(r, key), reverse=descending)
    for i, r in enumerate(ranked, 1):
        r["rank"] = i
    for r in rest:
        r["rank"] = None
    return ranked + sorted(rest, key=lambda r: r["code"]), key, descending


def weekly(period, unit=None, weeks_min=12):
    """Weekly received counts and median resolution time (of complaints submitted that
    week), for the ISO weeks covering the period (at least `weeks_min`)."""
    end_week = bucket_of(period.end, "w")
    first = min(bucket_of(period.start, "w"), end_week - dt.timedelta(weeks=weeks_min - 1))
    weeks = []
    cursor = first
    while cursor <= end_week:
        weeks.append(cursor)
        cursor += dt.timedelta(days=7)
    subtree = unit.descendant_ids() if unit is not None else None
    qs = DailyCount.objects.filter(day__gte=first, day__lte=end_week + dt.timedelta(days=6))
    if subtree is not None:
        qs = qs.filter(unit_key__in=subtree)
    volume = Counter()
    for day, n in qs.values("day").annotate(total=Sum("received")).values_list("day", "total").order_by():
        volume[bucket_of(day, "w")] += n or 0
    keys = [UNIT_ALL] if unit is None else subtree
    blobs = defaultdict(list)
    for bucket, data in DurationHistogram.objects.filter(
            unit_key__in=keys, gran="w", bucket__in=weeks, metric="resolution_h").values_list("bucket", "data"):
        blobs[bucket].append(data)
    hist = dict(zip(weeks, histogram.dense_many([blobs[w] for w in weeks])))
    return [{"week": w.isoformat(), "received": volume[w],
             "resolved_count": int(hist[w].sum()),
             "median_resolution_hours": _hours(percentile(hist[w], 0.5))} for w in weeks]
