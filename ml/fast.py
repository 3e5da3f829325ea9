"""Single-text prediction for the default model without scikit-learn's per-call overhead.

Filing asks for one complaint's probabilities at a time. Through scikit-learn that costs
about 4-5 ms, mostly overhead around very little arithmetic: input validation and output
wrapping in every step, a sparse matrix built for each feature block and stacked, the
calibration wrapper's label encoding per call and a Python loop per character n-gram.
This module reads the fitted pipeline once; a prediction is then

1. the n-grams of every block as column numbers: word n-grams looked up in one ``map``,
   character n-grams from a per-word cache (``char_wb`` n-grams never cross a word), so
   a known word costs one dictionary look-up however long it is;
2. one sort of all blocks' columns, which gives each column's count;
3. the tf-idf weighting and L2 norm per block, in scikit-learn's own float32 arithmetic
   (the vectorisers run with ``dtype=float32``), so the features are bit for bit theirs;
4. one gather of the SVM's coefficient rows and a dot product, and the sigmoid calibration.

Folding the idf into the coefficients would save one multiplication per column but
compute the features in float64, about 1e-8 away from scikit-learn's probabilities;
keeping float32 features holds the difference at rounding level (``tests/ml/test_fast.py``
checks 1e-9 on many texts). A pipeline of any other shape gets no fast predictor
(``None``) and is served by scikit-learn as before.
"""

from __future__ import annotations

import re
import threading
import weakref

import numpy as np
from scipy.special import expit
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC

from .static_embeddings import StaticEmbedder

__all__ = ["FastPredictor", "fast_predictor", "predict_proba_one"]

_lock = threading.Lock()
_cache: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_UNSUPPORTED = object()
_NO_COLUMNS = np.empty(0, dtype=np.int32)


def _char_wb_words(text: str) -> list[str]:
    # sklearn first turns whitespace runs into one space; split() ends the same (the test
    # against sklearn's analyzer covers it).
    return text.lower().split()


def _word_grams(word: str, min_n: int, max_n: int) -> list[str]:
    """The char_wb n-grams of one word (padded with a space on each side)."""
    w = f" {word} "
    length = len(w)
    if length > max_n:  # the usual case, in one comprehension
        return [w[i : i + n] for n in range(min_n, max_n + 1) for i in range(length - n + 1)]
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


WORD_CACHE_SIZE = 50_000  # entries of the per-word cache (≈400 bytes each: ≈20 MB when full)
PREWARM_WORDS = 20_000  # of them filled when the predictor is built (see FastPredictor._prewarm)
_COLUMN = np.int32  # column numbers: half the memory of int64, so sorting them is faster


class _Cache(dict):
    """A bounded memo: ``cache[key]`` computes a missing value once (in C when present)."""

    def __init__(self, compute):
        super().__init__()
        self.compute = compute

    def __missing__(self, key):
        value = self.compute(key)
        if len(self) >= WORD_CACHE_SIZE:
            self.clear()
        self[key] = value
        return value


def _lookup(vocabulary: dict, grams: list[str]) -> np.ndarray:
    """The block's columns of the known ``grams`` (unknown ones dropped), one per occurrence."""
    return np.array([c for c in map(vocabulary.get, grams) if c is not None], dtype=_COLUMN)


class _Tfidf:
    """One TfidfVectorizer block: a text's n-gram occurrences as global column numbers.

    All three kinds give the analyzer's n-grams exactly (``tests/ml/test_fast.py``):
    ``char_wb`` n-grams never cross a word, so they are found per word (and cached per word
    by the predictor); the standard ``word`` analyzer's tokens are the word-character runs
    of each whitespace-separated word (also per word), joined into bigrams per text;
    anything else (``other``) uses the vectorizer's own analyzer on the whole text.
    """

    def __init__(self, vectorizer: TfidfVectorizer, weight: float | None, offset: int):
        if vectorizer.norm != "l2" or not vectorizer.use_idf or vectorizer.binary:
            raise TypeError("only l2-normalised tf-idf without binary counts is supported")
        self.dtype = np.dtype(vectorizer.dtype)
        if self.dtype not in (np.float32, np.float64) or vectorizer.idf_.dtype != self.dtype:
            raise TypeError("only float32 or float64 tf-idf is supported")
        self.vectorizer = vectorizer
        self.vocabulary = vectorizer.vocabulary_
        self.idf = vectorizer.idf_
        self.sublinear = vectorizer.sublinear_tf
        self.weight = weight
        self.offset = offset
        self.width = len(self.idf)
        self.ngram_range = low, high = vectorizer.ngram_range
        plain = (vectorizer.lowercase and vectorizer.preprocessor is None and vectorizer.strip_accents is None
                 and vectorizer.input == "content" and vectorizer.decode_error == "strict")
        if plain and vectorizer.analyzer == "char_wb":
            self.kind = "char_wb"
        elif (plain and vectorizer.analyzer == "word" and vectorizer.tokenizer is None and vectorizer.stop_words is None
              and low == 1 and high <= 2 and re.compile(vectorizer.token_pattern).groups == 0):
            self.kind = "word"
            self.findall = re.compile(vectorizer.token_pattern).findall
        else:
            self.make_other()

    def make_other(self) -> None:
        self.kind, self.analyze = "other", self.vectorizer.build_analyzer()

    def bigram_columns(self, tokens: list[str]) -> np.ndarray:
        """Global columns of the text's token bigrams (pairs of consecutive tokens, across words)."""
        return _lookup(self.vocabulary, list(map(" ".join, zip(tokens, tokens[1:])))) + _COLUMN(self.offset)

    def text_columns(self, text: str) -> np.ndarray:
        return _lookup(self.vocabulary, self.analyze(text)) + _COLUMN(self.offset)


class _Dense:
    def __init__(self, embedder: StaticEmbedder, weight: float | None, offset: int):
        self.embeddings = embedder.embeddings()  # raises when the shipped file is not the trained one
        self.weight = weight
        self.offset = offset
        self.width = self.embeddings.dims

    def values(self, text: str) -> np.ndarray:
        vector = self.embeddings.embed_normalized(text).astype(np.float32)  # embed_many's dtype
        return vector * self.weight if self.weight is not None else vector  # FeatureUnion's weight


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
        self.sparse, self.dense, offset = [], [], 0
        for name, transformer in union.transformer_list:
            if transformer == "drop":
                continue
            weight = weights.get(name)  # None: FeatureUnion does not multiply at all
            weight = None if weight is None else float(weight)
            if isinstance(transformer, TfidfVectorizer):
                block = _Tfidf(transformer, weight, offset)
                self.sparse.append(block)
            elif isinstance(transformer, StaticEmbedder):
                block = _Dense(transformer, weight, offset)
                self.dense.append(block)
            else:
                raise TypeError(f"feature block {name!r} ({type(transformer).__name__}) is not supported")
            offset += block.width
        if len({b.dtype for b in self.sparse}) > 1:
            raise TypeError("tf-idf blocks of different dtypes are not supported")
        self.dtype = self.sparse[0].dtype if self.sparse else np.dtype(np.float64)
        self.sublinear = [b.sublinear for b in self.sparse]
        # All blocks' idf in one array, indexed by global column (zero under dense blocks).
        self.idf = np.zeros(offset, dtype=self.dtype)
        for block in self.sparse:
            self.idf[block.offset : block.offset + block.width] = block.idf
        self.starts = np.array([block.offset for block in self.sparse], dtype=_COLUMN)
        # The per-word blocks share one cache: word -> (its tokens, all its columns), so a
        # known word costs one look-up and one array however many blocks read it. One word
        # block at most (its tokens are the ones cached); a second is served as "other".
        word_blocks = [b for b in self.sparse if b.kind == "word"]
        for block in word_blocks[1:]:
            block.make_other()
        self.bigrams = word_blocks[0] if word_blocks and word_blocks[0].ngram_range[1] == 2 else None
        self.per_word = [b for b in self.sparse if b.kind in ("word", "char_wb")]
        self.other = [b for b in self.sparse if b.kind == "other"]
        self.words = _Cache(self._word_entry)
        self.classes_ = classifier.classes_
        self.parts = []
        for calibrated in classifier.calibrated_classifiers_:
            svm = calibrated.estimator
            if not isinstance(svm, LinearSVC) or svm.coef_.shape[1] != offset:
                raise TypeError("only LinearSVC over the union's features is supported")
            # Rows = features, so one complaint's few hundred columns are one gather (take).
            coef_t = np.ascontiguousarray(svm.coef_.T, dtype=np.float64)
            positions = np.searchsorted(self.classes_, svm.classes_)
            a = np.array([c.a_ for c in calibrated.calibrators], dtype=np.float64)
            b = np.array([c.b_ for c in calibrated.calibrators], dtype=np.float64)
            self.parts.append((coef_t, np.asarray(svm.intercept_, dtype=np.float64), positions, a, b))
        self._prewarm()

    def _word_entry(self, word: str) -> tuple[tuple[str, ...], np.ndarray]:
        # A cache miss: each block's n-grams of the word, looked up into one list (global columns).
        tokens, columns = (), []
        for block in self.per_word:
            if block.kind == "word":
                tokens = grams = tuple(block.findall(word))
            else:
                grams = _word_grams(word, *block.ngram_range)
            offset = block.offset
            columns += [c + offset for c in map(block.vocabulary.get, grams) if c is not None]
        return tokens, np.array(columns, dtype=_COLUMN)

    def _prewarm(self) -> None:
        """Fill the per-word cache with the words the model was trained on (the word
        block's single-token entries, most frequent first), so that a complaint pays the
        n-gram look-ups only for words it is the first to use: about 0.1 s per 10,000
        words, once per model."""
        if not self.per_word or not any(b.kind == "word" for b in self.per_word):
            return
        block = next(b for b in self.per_word if b.kind == "word")
        words = sorted((block.idf[column], word) for word, column in block.vocabulary.items() if " " not in word)
        for _, word in words[:PREWARM_WORDS]:
            self.words[word]  # noqa: B018 (fills the cache)

    def sparse_features(self, normalised: str) -> tuple[np.ndarray, np.ndarray]:
        """The tf-idf blocks' non-zero features: sorted global columns, values (their dtype)."""
        found = [block.text_columns(normalised) for block in self.other]
        if self.per_word:
            entries = list(map(self.words.__getitem__, normalised.lower().split()))
            found += [columns for _, columns in entries]
            if self.bigrams is not None:
                found.append(self.bigrams.bigram_columns([t for tokens, _ in entries for t in tokens]))
        columns = np.concatenate(found) if found else _NO_COLUMNS  # a copy: sorted in place below
        n = len(columns)
        if not n:
            return _NO_COLUMNS, np.empty(0, dtype=self.dtype)
        columns.sort()  # one sort of every occurrence gives each column and its count
        edges = np.ones(n + 1, dtype=bool)  # True where a run of equal columns starts, and at the end
        np.not_equal(columns[1:], columns[:-1], out=edges[1:n])
        at = np.flatnonzero(edges)
        unique = columns[at[:-1]]
        tf = (at[1:] - at[:-1]).astype(self.dtype)
        bounds = np.searchsorted(unique, self.starts).tolist() + [len(unique)]
        if all(self.sublinear):
            tf = np.log(tf) + self.dtype.type(1.0)
        elif any(self.sublinear):
            for sublinear, lo, hi in zip(self.sublinear, bounds, bounds[1:]):
                if sublinear:
                    tf[lo:hi] = np.log(tf[lo:hi]) + self.dtype.type(1.0)
        values = tf * self.idf.take(unique)
        # sklearn's inplace_csr_row_normalize_l2 per block: squares in the data's dtype, summed
        # in double in column order (cumsum is sequential), each value divided in double.
        squares = values * values
        norms = [np.sqrt(np.cumsum(squares[lo:hi], dtype=np.float64)[-1]) if hi > lo else 1.0
                 for lo, hi in zip(bounds, bounds[1:])]
        if len(norms) > 1:
            norms = np.repeat(norms, np.diff(bounds))
        values = (values.astype(np.float64) / norms).astype(self.dtype)
        for block, lo, hi in zip(self.sparse, bounds, bounds[1:]):
            if block.weight is not None:
                values[lo:hi] *= block.weight  # FeatureUnion's transformer weight, in the data's dtype
        return unique, values

    def decisions(self, text: str) -> list[np.ndarray]:
        """Each calibrated SVM's decision function for the text."""
        normalised = self.normalize([text])[0]
        columns, values = self.sparse_features(normalised)
        values = values.astype(np.float64)
        dense = [(block.offset, block.width, block.values(normalised).astype(np.float64)) for block in self.dense]
        out = []
        for coef_t, intercept, *_ in self.parts:
            decision = values @ coef_t.take(columns, axis=0) + intercept
            for start, width, vector in dense:
                decision += vector @ coef_t[start : start + width]
            out.append(decision)
        return out

    def predict_proba_one(self, text: str) -> np.ndarray:
        n_classes = len(self.classes_)
        total = np.zeros(n_classes)
        for decision, (_, _, positions, a, b) in zip(self.decisions(text), self.parts):
            calibrated = expit(-(a * decision + b))  # sklearn's _SigmoidCalibration.predict
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
