"""Public API of the routing classifier: suggest the responsible unit for a complaint.

    from ml import router
    router.suggest("Jalan di desa kami rusak parah", allowed_labels={"DPU-JALAN", "PDAM"})
    # -> [("DPU-JALAN", 0.93), ("PDAM", 0.07)]

Never raises: without an active model, or with a missing or corrupt model file, the
answer is ``[]`` ("no suggestion") and a warning is logged.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import numpy as np

from . import store
from .fast import predict_proba_one

log = logging.getLogger(__name__)

__all__ = ["suggest", "active_version", "threshold_for_precision"]


def suggest(text: str, allowed_labels: Iterable[str] | None = None, k: int = 3) -> list[tuple[str, float]]:
    """Up to ``k`` ``(label, probability)`` pairs, most probable first.

    With ``allowed_labels`` only those labels are considered and their probabilities are
    renormalised to sum to one (e.g. only active, non-oversight units); labels the model
    does not know are ignored. Empty list when there is no usable model or nothing allowed.
    """
    try:
        model = store.active_model()
        if model is None or k <= 0 or not (text or "").strip():
            return []
        proba = predict_proba_one(model, text)
        classes = [str(c) for c in model.classes_]
        if allowed_labels is not None:
            allowed = {str(label) for label in allowed_labels}
            keep = np.array([c in allowed for c in classes], dtype=bool)
            if not keep.any():
                return []
            proba = np.where(keep, proba, 0.0)
            total = proba.sum()
            if total <= 0:
                return []
            proba = proba / total
        order = [i for i in np.argsort(-proba, kind="stable") if proba[i] > 0 or allowed_labels is None][:k]
        return [(classes[i], float(proba[i])) for i in order]
    except Exception:
        log.warning("router suggestion failed", exc_info=True)
        return []


def active_version() -> str | None:
    """The version id of the model suggestions come from (None without one)."""
    try:
        return store.active_version()
    except Exception:
        return None


def threshold_for_precision(precision: float) -> float | None:
    """The active version's out-of-sample confidence threshold for ``precision``.

    Versions store thresholds on a grid of precisions (0.80, 0.81, ... 0.99); a precision
    between grid points uses the next higher one (never a looser threshold). None when
    there is no usable model or its predictions never reached that precision.
    """
    try:
        thresholds = store.active_thresholds()
    except Exception:
        log.warning("could not read the router's thresholds", exc_info=True)
        return None
    grid = sorted((float(k), v) for k, v in thresholds.items())
    for target, threshold in grid:
        if target >= precision - 1e-9:
            return None if threshold is None else float(threshold)
    return None
