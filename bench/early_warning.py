"""Benchmark of the early-warning detectors on generated history with injected events.

    DEBUG=1 .venv/bin/python bench/early_warning.py [--series 60] [--years 3] [--seed 0]
        [--area-categories 6] [--skip-spikes] [--skip-areas] [--skip-clusters]

Unusual weeks: daily complaint counts for ``--series`` category x unit series over
``--years`` years (rates from 0.5 to 30 a week, fewer on weekends, a yearly season of up to
+-40 %, a ten-day Lebaran dip, a slow trend, overdispersed noise); in the last year about
half the series get one or two spikes (x2 or x3 for 7-14 days). The detector
(systemic.detection.spike_test, the worker's code) is run once a day over the last year,
as the worker would; flagged days closer than a week form one warning, as the worker
keeps one warning per episode. A warning is right when its first day falls in a spike
(start .. end + 6 days). Printed: precision, recall (by size) and detection delay, for the
shipped quasi-Poisson baseline and the EWMA alternative, and false warnings per
series-year on the same history without spikes.

Areas (``--area-categories``, default 6): a city of 5 kecamatan x 3 kelurahan; each
category's daily counts are split over the kelurahan (random shares); in the last year
half the categories get one or two spikes confined to one kelurahan, whose extra
complaints double or triple its kecamatan's count for that category for 7-14 days. The
same detector runs daily on three dimensions: category x unit (the category's city-wide
count: the unit series), category x kecamatan (shipped) and category x kelurahan (for
comparison). A warning is right when it is in the spike's own series (the category; its
kecamatan; its kelurahan) between its start and end + 6 days. Printed per dimension:
precision, recall, delay, and false warnings per series-year on history without spikes.

Clusters: 120 days of background complaints (the project's demo complaints, perturbed,
10 a day) with injected clusters (5-10 rewordings of one complaint over 2-6 days, in
random categories); ml.similar.find_clusters over the last 14 days, run daily with the
worker's rule for "the same cluster again". Printed per similarity threshold.
Touches no database.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402

from complaints.management.demo_data import CATEGORIES, COMPLAINTS  # noqa: E402
from ml.similar import find_clusters  # noqa: E402
from systemic.detection import same_cluster, spike_test  # noqa: E402

HISTORY_WEEKS = 104
WEEKDAY = np.array([1.15, 1.15, 1.15, 1.15, 1.1, 0.75, 0.55])  # Monday first


def rate_profile(rng, days, base):
    """The expected daily count: weekday pattern, yearly season, trend, Lebaran dip."""
    t = np.arange(days)
    season = 1 + rng.uniform(0, 0.4) * np.sin(2 * np.pi * t / 365.25 + rng.uniform(0, 2 * np.pi))
    trend = 1 + rng.uniform(-0.1, 0.2) * t / 365.25
    lebaran = np.ones(days)
    for year in range(days // 365 + 1):
        start = year * 365 + 200 - 11 * year  # moves ~11 days earlier each year
        lebaran[max(start, 0):max(start + 10, 0)] = 0.5
    return base * WEEKDAY[t % 7] * season * trend * lebaran


def generate_series(rng, days, spikes_wanted):
    base = float(np.exp(rng.uniform(np.log(0.5), np.log(30)))) / 7  # per day
    rate = rate_profile(rng, days, base)
    counts = rng.negative_binomial(10, 10 / (10 + rate))  # gamma-Poisson, mean = rate
    spikes = []
    if spikes_wanted:
        for _ in range(rng.integers(1, 3)):
            start = int(rng.integers(days - 365, days - 21))
            length = int(rng.integers(7, 15))
            factor = int(rng.choice([2, 3]))
            extra = rng.poisson(rate[start:start + length] * (factor - 1))
            counts[start:start + length] += extra
            spikes.append((start, start + length - 1, factor))
    return counts, spikes


def scan(counts, days, method):
    """Days of the last year on which the detector flags the 7 days ending that day."""
    flagged = []
    for day in range(days - 365, days):
        current = int(counts[day - 6:day + 1].sum())
        first = day - 6 - 7 * HISTORY_WEEKS
        blocks = [int(counts[max(s, 0):s + 7].sum()) for s in range(first, day - 6, 7) if s + 7 > 0]
        while blocks and blocks[0] == 0:
            blocks.pop(0)
        result = spike_test(blocks, current, method=method)
        if result is not None and result.flagged:
            flagged.append(day)
    return flagged


def episodes(flagged):
    out = []
    for day in flagged:
        if not out or day - out[-1][1] > 7:
            out.append([day, day])
        else:
            out[-1][1] = day
    return [first for first, _last in out]


def spike_benchmark(args):
    rng = np.random.default_rng(args.seed)
    days = int(365 * args.years)
    data = [generate_series(rng, days, spikes_wanted=i % 2 == 0) for i in range(args.series)]
    print(f"Unusual weeks: {args.series} series x {args.years} years of daily counts, "
          f"{sum(len(s) for _c, s in data)} spikes injected in the last year (x2 or x3, 7-14 days); "
          f"scanned daily over the last year.\n")
    print("| baseline | warnings | precision | recall (all / x2 / x3) | delay days (median / mean / max) "
          "| false warnings per series-year, no spikes | seconds |")
    print("|---|---|---|---|---|---|---|")
    for method in ("glm", "ewma"):
        started = time.perf_counter()
        alarms = right = 0
        found = {2: [0, 0], 3: [0, 0]}
        delays = []
        for counts, spikes in data:
            firsts = episodes(scan(counts, days, method))
            alarms += len(firsts)
            right += sum(any(s <= f <= e + 6 for s, e, _x in spikes) for f in firsts)
            for start, end, factor in spikes:
                hits = [f for f in firsts if start <= f <= end + 6]
                found[factor][1] += 1
                if hits:
                    found[factor][0] += 1
                    delays.append(hits[0] - start)
        quiet_rng = np.random.default_rng(args.seed + 1)
        quiet = [generate_series(quiet_rng, days, spikes_wanted=False)[0] for _ in range(args.series)]
        false = sum(len(episodes(scan(c, days, method))) for c in quiet) / args.series
        caught, total = found[2][0] + found[3][0], found[2][1] + found[3][1]
        name = {"glm": "quasi-Poisson regression (shipped)", "ewma": "EWMA"}[method]
        delay = (f"{statistics.median(delays):.0f} / {statistics.fmean(delays):.1f} / {max(delays)}"
                 if delays else "—")
        print(f"| {name} | {alarms} | {right / alarms if alarms else float('nan'):.2f} "
              f"| {caught / total:.2f} / {found[2][0] / max(found[2][1], 1):.2f} / {found[3][0] / max(found[3][1], 1):.2f} "
              f"| {delay} | {false:.2f} | {time.perf_counter() - started:.0f} |", flush=True)


KECAMATAN, KELURAHAN_EACH = 5, 3


def generate_city(rng, days, spikes_wanted):
    """One category's daily counts per kelurahan ([kecamatan][kelurahan] arrays) and its
    spikes (kecamatan, kelurahan, start, end, factor)."""
    base = float(np.exp(rng.uniform(np.log(10), np.log(60)))) / 7  # the whole city, per day
    rate = rate_profile(rng, days, base)
    shares = rng.dirichlet(np.full(KECAMATAN * KELURAHAN_EACH, 2.0)).reshape(KECAMATAN, KELURAHAN_EACH)
    counts = [[rng.negative_binomial(10, 10 / (10 + rate * w)) for w in row] for row in shares]
    spikes = []
    if spikes_wanted:
        for _ in range(rng.integers(1, 3)):
            kec, kel = int(rng.integers(KECAMATAN)), int(rng.integers(KELURAHAN_EACH))
            start = int(rng.integers(days - 365, days - 21))
            length = int(rng.integers(7, 15))
            factor = int(rng.choice([2, 3]))
            kec_rate = rate[start:start + length] * shares[kec].sum()
            counts[kec][kel][start:start + length] += rng.poisson(kec_rate * (factor - 1))
            spikes.append((kec, kel, start, start + length - 1, factor))
    return counts, spikes


def area_series(counts):
    """{(dimension, key): daily counts} of one category: the unit (whole city), each
    kecamatan and each kelurahan."""
    series = {("unit", ()): sum(sum(row) for row in counts)}
    for k, row in enumerate(counts):
        series[("kecamatan", (k,))] = sum(row)
        for j, kel in enumerate(row):
            series[("kelurahan", (k, j))] = kel
    return series


def spike_key(dimension, kec, kel):
    return {"unit": (), "kecamatan": (kec,), "kelurahan": (kec, kel)}[dimension]


def area_benchmark(args):
    rng = np.random.default_rng(args.seed + 7)
    days = int(365 * args.years)
    n = args.area_categories
    data = [generate_city(rng, days, spikes_wanted=i % 2 == 0) for i in range(n)]
    quiet_rng = np.random.default_rng(args.seed + 8)
    quiet = [generate_city(quiet_rng, days, spikes_wanted=False)[0] for _ in range(n)]
    total = sum(len(s) for _c, s in data)
    print(f"\nAreas: {n} categories in a city of {KECAMATAN} kecamatan x {KELURAHAN_EACH} kelurahan "
          f"(10-60 complaints a week per category city-wide), {args.years} years; {total} spikes injected in "
          f"the last year, each in one kelurahan, doubling or tripling its kecamatan's count for 7-14 days; "
          f"scanned daily over the last year with the shipped baseline.\n")
    print("| dimension | series | warnings | precision | recall (all / x2 / x3) | delay days (median / mean / max) "
          "| false warnings per series-year, no spikes | seconds |")
    print("|---|---|---|---|---|---|---|---|")
    for dimension in ("unit", "kecamatan", "kelurahan"):
        started = time.perf_counter()
        alarms = right = n_series = 0
        found = {2: [0, 0], 3: [0, 0]}
        delays = []
        for counts, spikes in data:
            for (dim, key), daily in area_series(counts).items():
                if dim != dimension:
                    continue
                n_series += 1
                own = [(s, e, x) for kec, kel, s, e, x in spikes if spike_key(dimension, kec, kel) == key]
                firsts = episodes(scan(daily, days, "glm"))
                alarms += len(firsts)
                right += sum(any(s <= f <= e + 6 for s, e, _x in own) for f in firsts)
                for start, end, factor in own:
                    hits = [f for f in firsts if start <= f <= end + 6]
                    found[factor][1] += 1
                    if hits:
                        found[factor][0] += 1
                        delays.append(hits[0] - start)
        false_alarms = quiet_series = 0
        for counts in quiet:
            for (dim, _key), daily in area_series(counts).items():
                if dim == dimension:
                    quiet_series += 1
                    false_alarms += len(episodes(scan(daily, days, "glm")))
        caught, spikes_total = found[2][0] + found[3][0], found[2][1] + found[3][1]
        delay = (f"{statistics.median(delays):.0f} / {statistics.fmean(delays):.1f} / {max(delays)}"
                 if delays else "—")
        name = {"unit": "category x unit", "kecamatan": "category x kecamatan (shipped)",
                "kelurahan": "category x kelurahan"}[dimension]
        print(f"| {name} | {n_series} | {alarms} | {right / alarms if alarms else float('nan'):.2f} "
              f"| {caught / spikes_total:.2f} / {found[2][0] / max(found[2][1], 1):.2f} / "
              f"{found[3][0] / max(found[3][1], 1):.2f} | {delay} | {false_alarms / quiet_series:.2f} "
              f"| {time.perf_counter() - started:.0f} |", flush=True)


OPENERS = ["", "Lapor! ", "Mohon perhatian. ", "Selamat pagi, ", "Assalamualaikum, ", "Tolong dibantu. "]
CLOSERS = ["", " Terima kasih.", " Mohon segera ditindaklanjuti.", " Sudah lama dibiarkan.", " Tolong cepat."]


def reword(text, rng, strength):
    words = text.split()
    words = [w for w in words if rng.random() > strength] or words
    for _ in range(rng.randint(0, 3)):
        i = rng.randrange(len(words))
        if len(words[i]) > 3:
            k = rng.randrange(len(words[i]) - 1)
            words[i] = words[i][:k] + words[i][k + 1] + words[i][k] + words[i][k + 2:]
    if len(words) > 3 and rng.random() < 0.5:
        i, j = rng.randrange(len(words)), rng.randrange(len(words))
        words[i], words[j] = words[j], words[i]
    return rng.choice(OPENERS) + " ".join(words) + rng.choice(CLOSERS)


def cluster_benchmark(args):
    rng = random.Random(args.seed)
    pool = [f"{c['title']}\n{c['description']}" for c in COMPLAINTS]
    rng.shuffle(pool)
    seeds, background = pool[: len(pool) * 3 // 10], pool[len(pool) * 3 // 10:]
    days, per_day, window = 120, 10, 14
    complaints = []  # (day, text, cluster id or None)
    for day in range(days):
        complaints += [(day, reword(rng.choice(background), rng, 0.1), None) for _ in range(per_day)]
    injected = {}
    for cid in range(12):
        start = rng.randrange(window, days - 10)
        size, spread = rng.randint(5, 10), rng.randint(2, 6)
        seed = seeds[cid]
        injected[cid] = start
        complaints += [(start + rng.randrange(spread), reword(seed, rng, 0.25), cid) for _ in range(size)]
    complaints.sort(key=lambda c: c[0])
    categories = [c["code"] for c in CATEGORIES]
    print(f"\nClusters: {days} days, {per_day} background complaints a day (demo complaints reworded), "
          f"{len(injected)} injected clusters of 5-10 rewordings over 2-6 days in random categories "
          f"({len(categories)} categories); scanned daily over the last {window} days.\n")
    print("| similarity threshold | warnings | precision | recall | delay days after the first complaint "
          "(median / max) | seconds |")
    print("|---|---|---|---|---|---|")
    for threshold in args.thresholds:
        started = time.perf_counter()
        warnings = []  # (codes set, first day seen)
        for day in range(window, days):
            recent = [i for i, c in enumerate(complaints) if day - window < c[0] <= day]
            for members in find_clusters([complaints[i][1] for i in recent], threshold=threshold, min_size=5):
                codes = {recent[m] for m in members}
                known = next((w for w in warnings if same_cluster(w[0], codes)), None)
                if known is None:
                    warnings.append((codes, day))
                else:
                    known[0].update(codes)
        right, delays, caught = 0, [], set()
        for codes, day in warnings:
            owners = [complaints[i][2] for i in codes]
            top = max(set(owners), key=owners.count)
            if top is not None and owners.count(top) * 2 >= len(owners):
                right += 1
                if top not in caught:
                    caught.add(top)
                    delays.append(day - injected[top])
        delay = f"{statistics.median(delays):.0f} / {max(delays)}" if delays else "—"
        print(f"| {threshold:.2f} | {len(warnings)} | {right / len(warnings) if warnings else float('nan'):.2f} "
              f"| {len(caught) / len(injected):.2f} | {delay} | {time.perf_counter() - started:.0f} |", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--series", type=int, default=60)
    parser.add_argument("--years", type=float, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--thresholds", type=float, nargs="+", default=[0.35, 0.45, 0.55])
    parser.add_argument("--skip-spikes", action="store_true")
    parser.add_argument("--skip-clusters", action="store_true")
    parser.add_argument("--area-categories", type=int, default=6)
    parser.add_argument("--skip-areas", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    if not args.skip_spikes:
        spike_benchmark(args)
    if not args.skip_areas:
        area_benchmark(args)
    if not args.skip_clusters:
        cluster_benchmark(args)
    print(f"\nTotal {time.perf_counter() - started:.0f} s.")


if __name__ == "__main__":
    main()
