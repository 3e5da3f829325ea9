"""The early-warning detectors as pure functions (no database): the worker feeds them
counts and texts, bench/early_warning.py feeds them generated history.

Unusual week (:func:`spike_test`)
    The count of the last 7 days is compared with the 7-day blocks before it (up to two
    years). Whole 7-day blocks contain each weekday once, so the weekly pattern
    (quiet weekends) cancels and needs no term of its own. The baseline is a quasi-Poisson
    log-linear regression in the style of the Farrington algorithm used for disease
    surveillance: an intercept, a linear trend once there is a year of history, and a
    yearly sine/cosine pair once there are two years (rainy season, Ramadan and Lebaran
    move complaint volumes; fitted on less, a season is mostly noise extrapolated to the
    week under test); past outliers are down-weighted and the model refitted, so an
    earlier spike does not raise the bar for the next. The week is unusual when its count
    is in the upper tail of a negative binomial with the fitted mean and dispersion
    (p < ``alpha``), reaches ``min_count`` and is at least ``min_ratio`` x the expected
    count (a large series would otherwise flag tiny relative rises). An EWMA baseline is
    kept as ``method="ewma"`` for comparison in the benchmark.

Clusters (:func:`find_clusters` in ml.similar)
    Complaints of the last days whose texts are near each other (TF-IDF cosine), found
    across categories; see the worker.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

WEEKS_PER_YEAR = 365.25 / 7
MIN_HISTORY_WEEKS = 6
TREND_WEEKS = 52
SEASON_WEEKS = 104
OUTLIER_RESIDUAL = 2.58  # Anscombe residual above which a past week is down-weighted


@dataclass(frozen=True)
class SpikeResult:
    observed: int
    expected: float
    upper: float  # the smallest count that would be flagged (the 1 - alpha quantile + 1)
    p_value: float
    dispersion: float
    flagged: bool
    method: str
    fitted: tuple[float, ...]  # the baseline's value for each history block (for the chart)


def _design(t: np.ndarray, n_history: int) -> np.ndarray:
    columns = [np.ones_like(t, dtype=float)]
    if n_history >= TREND_WEEKS:
        columns.append(t / WEEKS_PER_YEAR)
    if n_history >= SEASON_WEEKS:
        angle = 2 * math.pi * t / WEEKS_PER_YEAR
        columns += [np.sin(angle), np.cos(angle)]
    return np.column_stack(columns)


def _poisson_irls(X: np.ndarray, y: np.ndarray, w: np.ndarray, iterations: int = 25) -> np.ndarray:
    """Weighted Poisson regression with log link by iteratively reweighted least squares
    (a tiny ridge keeps an all-zero series or a collinear design solvable)."""
    beta = np.zeros(X.shape[1])
    beta[0] = math.log(max(float(np.average(y, weights=w)), 0.05))
    ridge = 1e-6 * np.eye(X.shape[1])
    for _ in range(iterations):
        eta = np.clip(X @ beta, -20, 20)
        mu = np.exp(eta)
        z = eta + (y - mu) / mu
        W = w * mu
        new = np.linalg.solve(X.T @ (W[:, None] * X) + ridge, X.T @ (W * z))
        if np.max(np.abs(new - beta)) < 1e-8:
            return new
        beta = new
    return beta


def _tail(observed: int, mean: float, dispersion: float) -> float:
    """P(Y >= observed) for a negative binomial of this mean and variance dispersion x mean
    (Poisson when the dispersion is 1)."""
    if observed <= 0:
        return 1.0
    if dispersion <= 1.0 + 1e-9:
        return float(stats.poisson.sf(observed - 1, mean))
    size = mean / (dispersion - 1.0)
    return float(stats.nbinom.sf(observed - 1, size, 1.0 / dispersion))


def _first_flagged(mean: float, dispersion: float, alpha: float) -> float:
    if dispersion <= 1.0 + 1e-9:
        return float(stats.poisson.isf(alpha, mean)) + 1
    size = mean / (dispersion - 1.0)
    return float(stats.nbinom.isf(alpha, size, 1.0 / dispersion)) + 1


def glm_baseline(history: np.ndarray) -> tuple[float, float, np.ndarray, str]:
    """(expected count of the next block, dispersion, fitted history, description)."""
    n = len(history)
    t = np.arange(n, dtype=float)
    X = _design(t, n)
    x0 = _design(np.array([float(n)]), n)
    w = np.ones(n)
    for _ in range(2):  # fit, down-weight past outliers, refit
        beta = _poisson_irls(X, history, w)
        mu = np.exp(np.clip(X @ beta, -20, 20))
        p = X.shape[1]
        pearson = float(np.sum(w * (history - mu) ** 2 / mu))
        dispersion = max(1.0, pearson / max(float(w.sum()) - p, 1.0))
        anscombe = 1.5 * (np.cbrt(history) ** 2 - np.cbrt(mu) ** 2) / (np.cbrt(mu) ** 0.5 * math.sqrt(dispersion))
        w = np.where(anscombe > OUTLIER_RESIDUAL, 1.0 / np.maximum(anscombe, 1.0) ** 2, 1.0)
    expected = float(np.exp(np.clip(x0 @ beta, -20, 20))[0])
    terms = ["level"] + (["trend"] if X.shape[1] >= 2 else []) + (["yearly season"] if X.shape[1] >= 4 else [])
    return expected, dispersion, mu, f"quasi-Poisson regression ({', '.join(terms)}) on {n} weeks"


def ewma_baseline(history: np.ndarray, smoothing: float = 0.2) -> tuple[float, float, np.ndarray, str]:
    level = float(history[: min(4, len(history))].mean())
    fitted = np.empty(len(history))
    for i, count in enumerate(history):
        fitted[i] = level
        level = smoothing * count + (1 - smoothing) * level
    residual = history - fitted
    dispersion = max(1.0, float(np.mean(residual**2 / np.maximum(fitted, 0.5))))
    return max(level, 0.05), dispersion, fitted, f"EWMA (smoothing {smoothing:g}) on {len(history)} weeks"


def spike_test(
    history,
    observed: int,
    *,
    alpha: float = 0.001,
    min_count: int = 5,
    min_ratio: float = 1.5,
    method: str = "glm",
) -> SpikeResult | None:
    """Test the last 7 days' count against the preceding 7-day blocks (oldest first).

    None when there is too little history (fewer than ``MIN_HISTORY_WEEKS`` blocks).
    """
    history = np.asarray(history, dtype=float)
    if len(history) < MIN_HISTORY_WEEKS:
        return None
    baseline = glm_baseline if method == "glm" else ewma_baseline
    expected, dispersion, fitted, description = baseline(history)
    expected = max(expected, 0.05)
    p_value = _tail(int(observed), expected, dispersion)
    flagged = p_value < alpha and observed >= min_count and observed >= min_ratio * expected
    return SpikeResult(
        observed=int(observed),
        expected=expected,
        upper=max(_first_flagged(expected, dispersion, alpha), float(min_count), math.ceil(min_ratio * expected)),
        p_value=p_value,
        dispersion=dispersion,
        flagged=bool(flagged),
        method=description,
        fitted=tuple(float(round(v, 3)) for v in fitted),
    )


def weekly_blocks(daily_counts: dict, end, weeks: int) -> tuple[list[int], int]:
    """(history oldest first, current) from {date: count}: the current block is the 7 days
    ending on ``end`` (a date), the history the ``weeks`` blocks before it."""
    import datetime as dt

    def block(last):
        return sum(daily_counts.get(last - dt.timedelta(days=i), 0) for i in range(7))

    current = block(end)
    history = [block(end - dt.timedelta(days=7 * k)) for k in range(weeks, 0, -1)]
    return history, current


def trim_leading_zeros(history: list[int]) -> list[int]:
    """A series that started later (a new category or unit) has no history before its
    first complaint: leading empty weeks are not evidence of a quiet baseline."""
    for i, count in enumerate(history):
        if count:
            return history[i:]
    return []


def same_cluster(known, found) -> bool:
    """Whether a cluster found now is one already warned about: at least half of the
    smaller of the two sets of complaint codes is shared."""
    known, found = set(known), set(found)
    return bool(known and found) and len(known & found) * 2 >= min(len(known), len(found))
