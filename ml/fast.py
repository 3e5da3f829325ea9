"""Single-text prediction for the default model without scikit-learn's per-call overhead.

Filing asks for one complaint's probabilities at a time. Through scikit-learn that costs
about 3-4 ms, mostly overhead around very little arithmetic: input validation and output
wrapping in every step, a sparse matrix built for each of the three feature blocks and
stacked, and the calibration wrapper's label encoding per call. This module reads the
fitted pipeline once and then computes the same numbers directly: the vectorisers' own
analyzers (so tokens are exactly theirs), dictionary look-ups, the tf-idf weighting and
L2 norm, a dot product with the SVM's coefficients and the sigmoid calibration.

``tests/ml/test_fast.py`` checks the probabilities against ``model.predict_proba`` on
many texts. A pipeline of any other shape gets no fast predictor (``None``) and is
served by scikit-learn as before.
"""

from __future__ import annotations

import threading
import weakref
from collections import Counter
from itertools import repeat

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC

from .static_embeddings import StaticEmbedder

__all__ = ["FastPredictor", "fast_predictor", "predict_proba_one"]

_lock = threading.Lock()
_cache: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_UNSUPPORTED = object()


def _char_wb_words(text: str) -> list[str]:
    # sklearn first turns whitespace runs into one space; split() ends the same (the test
    # against sklearn's analyzer covers it).
    return text.lower().split()


def _word_grams(word: str, min_n: int, max_n: int) -> list[str]:
    """The char_wb n-grams of one word (padded with a space on each side)."""
    w = f" {word} "
    length = len(w)
    grams: list[str] = []
    for n in range(min_n, max_n + 1):
        if length <= n:  # a short word counts once, whatever the n
            grams.append(w)
            break
        grams.extend([w[i : i + n] for i in range(length - n + 1)])
    return grams


def char_wb_analyzer(min_n: int, max_n: int):
    """scikit-learn's ``char_wb`` analyzer (lower case, n-grams inside padded words), without
    its per-character while loop; ``tests/ml/test_fast.py`` checks it gives the same n-grams."""

    def analyze(text: str) -> list[str]:
        return [g for word in _char_wb_words(text) for g in _word_grams(word, min_n, max_n)]

    return analyze


def _standard_char_wb(vectorizer: TfidfVectorizer) -> bool:
    return (
        vectorizer.analyzer == "char_wb" and vectorizer.lowercase and vectorizer.preprocessor is None
        and vectorizer.strip_accents is None and vectorizer.input == "content" and vectorizer.decode_error == "strict"
    )


WORD_CACHE_SIZE = 100_000  # words whose char n-gram columns are kept (a few MB)


class _Tfidf:
    def __init__(self, vectorizer: TfidfVectorizer, weight: float, offset: int):
        if vectorizer.norm != "l2" or not vectorizer.use_idf or vectorizer.binary:
            raise TypeError("only l2-normalised tf-idf without binary counts is supported")
        self.analyze = vectorizer.build_analyzer()
        # char_wb n-grams never cross a word boundary, so a text's n-grams are the union of
        # its words' and each word's known columns can be looked up once and kept.
        self.by_word = vectorizer.ngram_range if _standard_char_wb(vectorizer) else None
        self.word_columns: dict[str, np.ndarray] = {}
        self.vocabulary = vectorizer.vocabulary_
        self.idf = np.asarray(vectorizer.idf_, dtype=np.float64)
        self.sublinear = vectorizer.sublinear_tf
        self.weight = weight
        self.offset = offset
        self.width = len(self.idf)

    def _columns_of(self, word: str) -> np.ndarray:
        found = self.word_columns.get(word)
        if found is None:
            get = self.vocabulary.get
            columns = [get(g, -1) for g in _word_grams(word, *self.by_word)]
            found = np.array([c for c in columns if c >= 0], dtype=np.int64)
            if len(self.word_columns) >= WORD_CACHE_SIZE:
                self.word_columns.clear()
            self.word_columns[word] = found
        return found

    def _counts_by_word(self, text: str):
        parts, repeats = [], []
        for word, n in Counter(_char_wb_words(text)).items():
            columns = self._columns_of(word)
            if len(columns):
                parts.append(columns)
                repeats.append(n)
        if not parts:
            return None, None
        columns = np.concatenate(parts)
        weights = np.repeat(np.asarray(repeats, dtype=np.float64), [len(p) for p in parts])
        unique, inverse = np.unique(columns, return_inverse=True)
        return unique, np.bincount(inverse, weights=weights)

    def features(self, text: str):
        if self.by_word is not None:
            columns, tf = self._counts_by_word(text)
            if columns is None:
                return None, None
            return self._weigh(columns, tf)
        counts = Counter(self.analyze(text))
        n = len(counts)
        # map() keeps the per-token work in C: a column for each distinct token, -1 if unknown.
        columns = np.fromiter(map(self.vocabulary.get, counts, repeat(-1, n)), dtype=np.int64, count=n)
        tf = np.fromiter(counts.values(), dtype=np.float64, count=n)
        known = columns >= 0
        if not known.any():
            return None, None
        return self._weigh(columns[known], tf[known])

    def _weigh(self, columns, tf):
        if self.sublinear:
            tf = np.log(tf) + 1.0
        values = tf * self.idf[columns]
        values *= self.weight / np.sqrt(values @ values)
        return columns + self.offset, values


class _Dense:
    def __init__(self, embedder: StaticEmbedder, weight: float, offset: int):
        self.embeddings = embedder.embeddings()  # raises when the shipped file is not the trained one
        self.weight = weight
        self.offset = offset
        self.width = self.embeddings.dims
        self.columns = np.arange(offset, offset + self.width)

    def features(self, text: str):
        return self.columns, self.embeddings.embed_normalized(text).astype(np.float64) * self.weight


class FastPredictor:
    """``predict_proba_one(text)`` for Pipeline(normalize, FeatureUnion, calibrated LinearSVC)."""

    def __init__(self, model: Pipeline):
        steps = dict(model.steps)
        normalize, union, classifier = (model.steps[0][1], steps.get("features"), steps.get("classifier"))
        if len(model.steps) != 3 or not isinstance(union, FeatureUnion):
            raise TypeError("not the default pipeline")
        if not isinstance(classifier, CalibratedClassifierCV) or classifier.method != "sigmoid":
            raise TypeError("only sigmoid-calibrated classifiers are supported")
        self.normalize = normalize.func if getattr(normalize, "func", None) else None
        if self.normalize is None or getattr(normalize, "inverse_func", None) is not None:
            raise TypeError("the first step must be a plain function transformer")
        weights = union.transformer_weights or {}
        self.blocks, offset = [], 0
        for name, transformer in union.transformer_list:
            if transformer == "drop":
                continue
            weight = float(weights.get(name, 1.0))
            if isinstance(transformer, TfidfVectorizer):
                block = _Tfidf(transformer, weight, offset)
            elif isinstance(transformer, StaticEmbedder):
                block = _Dense(transformer, weight, offset)
            else:
                raise TypeError(f"feature block {name!r} ({type(transformer).__name__}) is not supported")
            self.blocks.append(block)
            offset += block.width
        self.classes_ = classifier.classes_
        self.parts = []
        for calibrated in classifier.calibrated_classifiers_:
            svm = calibrated.estimator
            if not isinstance(svm, LinearSVC) or svm.coef_.shape[1] != offset:
                raise TypeError("only LinearSVC over the union's features is supported")
            # Rows = features, so one complaint's few hundred columns are a contiguous gather.
            coef_t = np.ascontiguousarray(svm.coef_.T, dtype=np.float64)
            positions = np.searchsorted(self.classes_, svm.classes_)
            a = np.array([c.a_ for c in calibrated.calibrators], dtype=np.float64)
            b = np.array([c.b_ for c in calibrated.calibrators], dtype=np.float64)
            self.parts.append((coef_t, np.asarray(svm.intercept_, dtype=np.float64), positions, a, b))

    def predict_proba_one(self, text: str) -> np.ndarray:
        normalised = self.normalize([text])[0]
        columns, values = [], []
        for block in self.blocks:
            c, v = block.features(normalised)
            if c is not None:
                columns.append(c)
                values.append(v)
        n_classes = len(self.classes_)
        total = np.zeros(n_classes)
        for coef_t, intercept, positions, a, b in self.parts:
            if columns:
                c = np.concatenate(columns)
                decision = np.concatenate(values) @ coef_t[c] + intercept
            else:
                decision = intercept.copy()
            calibrated = 1.0 / (1.0 + np.exp(a * decision + b))  # scipy's expit(-(a d + b))
            proba = np.zeros(n_classes)
            if n_classes == 2:  # the SVM has one decision for classes_[1]
                proba[1] = calibrated[0]
                proba[0] = 1.0 - proba[1]
            else:
                proba[positions] = calibrated
                denominator = proba.sum()
                proba = proba / denominator if denominator != 0 else np.full(n_classes, 1.0 / n_classes)
            proba[(proba > 1.0) & (proba <= 1.0 + 1e-5)] = 1.0
            total += proba
        return total / len(self.parts)


def fast_predictor(model) -> FastPredictor | None:
    """The model's fast predictor (built once per fitted model), or None when unsupported."""
    try:
        with _lock:
            found = _cache.get(model)
    except TypeError:  # not weak-referenceable
        return None
    if found is None:
        try:
            found = FastPredictor(model) if isinstance(model, Pipeline) else _UNSUPPORTED
        except TypeError:
            found = _UNSUPPORTED
        with _lock:
            _cache[model] = found
    return None if found is _UNSUPPORTED else found


def predict_proba_one(model, text: str) -> np.ndarray:
    """Class probabilities (in ``model.classes_`` order) for one text, fast when possible."""
    fast = fast_predictor(model)
    if fast is not None:
        return fast.predict_proba_one(text)
    return np.asarray(model.predict_proba([text])[0], dtype=float)
