"""Single-text prediction for the default model without scikit-learn's per-call overhead.

Filing asks for one complaint's probabilities at a time. Through scikit-learn that costs
about 4-5 ms, mostly overhead around very little arithmetic: input validation and output
wrapping in every step, a sparse matrix built for each feature block and stacked, the
calibration wrapper's label encoding per call and a Python loop per character n-gram.
This module reads the fitted pipeline once; a prediction is then

1. the n-grams of every block as column numbers: word n-grams looked up in one ``map``
   over the vocabulary; character (``char_wb``) n-grams of the whole text at once by numpy:
   the text's code points become small codes, every window of 2-4 of them one packed
   integer key, all keys looked up in an open-addressing hash table built once per model
   (``_CharTable``). No Python loop per n-gram, so a complaint full of words the model
   never saw costs little more than a familiar one (an earlier per-word cache computed
   each new word's n-grams in Python, ≈13 µs per word). For the default shape the
   model's own words (up to 20,000) are cached when the predictor is built, with their
   token and all their columns: a known word is one dictionary look-up, and only the
   text's other words go through the vocabulary and the table, together;
2. one sort of all blocks' columns, which gives each column's count;
3. the tf-idf weighting and L2 norm per block, in scikit-learn's own float32 arithmetic
   (the vectorisers run with ``dtype=float32``), so the features are bit for bit theirs;
4. one gather of the columns' rows (idf and every SVM's coefficients side by side, one
   memory access per column), a dot product, and the sigmoid calibration.

On a shared machine the cost is mostly memory accesses (the tables are larger than the
processor's nearest caches) and the fixed cost of each numpy call, so both are kept few.

Folding the idf into the coefficients would save one multiplication per column but
compute the features in float64, about 1e-8 away from scikit-learn's probabilities;
keeping float32 features holds the difference at rounding level (``tests/ml/test_fast.py``
checks 1e-9 on many texts). A pipeline of any other shape gets no fast predictor
(``None``) and is served by scikit-learn as before.
"""

from __future__ import annotations

import math
import re
import threading
import weakref
from itertools import repeat

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


_WHITESPACE = np.array([c for c in range(0x3000 + 1) if chr(c).isspace()], dtype=np.uint32)  # str.isspace's
PREWARM_WORDS = 20_000  # words of the model cached when the predictor is built (≈200 bytes each)
_COLUMN = np.int32  # column numbers: half the memory of int64, so sorting them is faster


class _CharTable:
    """A ``char_wb`` block's vocabulary as a hash table of integer keys, so that all the
    n-grams of a text are found by a few numpy operations instead of a Python loop per
    n-gram (a text's new words then cost what known ones do).

    Each character of the vocabulary's n-grams gets a small code (1, 2, ...), any other
    character one more code of its own (so no window holding it is in the table); an
    n-gram's key is its codes packed into one unsigned 64-bit integer, ``bits`` per
    character. No code is 0, so keys of different lengths never meet. Built once per
    model; ``ValueError`` when the alphabet is too large to pack ``max_n`` characters into
    64 bits or the block's n-grams are not what ``columns_of`` assumes (the block is then
    served by the vectorizer's own analyzer).
    """

    # Fibonacci hashing: the key times 2^64 / golden ratio (wrapping); the top bits are the slot.
    _MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)

    def __init__(self, vocabulary: dict, min_n: int, max_n: int, offset: int):
        # sklearn emits a word shorter than n (padded: 3+ characters) once, whole; with
        # min_n <= 3 that is an ordinary window. With min_n = 1 the padding spaces would
        # count once per word, but neighbouring words share one in the joined text.
        if not 2 <= min_n <= 3 or max_n < min_n:
            raise ValueError("n-gram range not supported")
        alphabet = sorted({ch for gram in vocabulary for ch in gram} | {" "})
        unknown = len(alphabet) + 1
        self.bits = unknown.bit_length()
        if self.bits * max_n > 64:
            raise ValueError("alphabet too large")
        points = np.array([ord(ch) for ch in alphabet], dtype=np.int64)
        # The code of every code point up to the largest one used; beyond it: the last entry.
        self.codes = np.full(int(points[-1]) + 2, unknown, dtype=np.uint64)
        self.codes[points] = np.arange(1, unknown, dtype=np.uint64)
        self.last = np.uint32(len(self.codes) - 1)
        self.shift = np.uint64(self.bits)
        self.min_n, self.max_n = min_n, max_n
        # Every n-gram's codes, right-aligned in max_n places (code 0 before a shorter one
        # adds nothing to its key), packed in numpy: a few hundred thousand n-grams take
        # a fraction of a second.
        grams = list(vocabulary)
        lengths = np.fromiter(map(len, grams), dtype=np.int64, count=len(grams))
        if len(grams) and (lengths.max() > max_n):
            raise ValueError("an n-gram longer than max_n")
        points = np.frombuffer("".join(g.rjust(max_n, " ") for g in grams).encode("utf-32-le", "surrogatepass"),
                               dtype=np.uint32).reshape(len(grams), max_n)
        place = np.arange(max_n)
        # whitespace inside an n-gram (first and last place excepted): not fitted by char_wb
        inside = (place > max_n - lengths[:, None]) & (place < max_n - 1)
        if np.any(np.isin(points, _WHITESPACE) & inside) or (len(grams) and lengths.min() < 1):
            raise ValueError("an n-gram with whitespace inside (not fitted by char_wb)")
        places = self.codes.take(points) * (place >= max_n - lengths[:, None])
        keys = np.zeros(len(grams), dtype=np.uint64)
        for place in places.T:
            keys <<= self.shift
            keys |= place
        columns = np.fromiter(vocabulary.values(), dtype=np.int64, count=len(grams)) + offset
        self._hash(keys, columns.astype(_COLUMN))

    def _hash(self, keys: np.ndarray, columns: np.ndarray) -> None:
        """Open addressing with linear probing and no wrap-around, a quarter to half full.
        A slot is one 64-bit record, the key above the column's bits (0: empty, no key is
        0), so a probe is one memory access into a table a few hundred KB large (too large
        for the processor's nearest caches: each look-up is a likely miss, and their number,
        not the arithmetic, is what a text costs). Built in home-slot order, so a key is
        never more than ``longest`` slots after its home."""
        self.column_bits = max(1, int(columns.max()).bit_length()) if len(columns) else 1
        if self.bits * self.max_n + self.column_bits > 64:
            raise ValueError("keys and columns do not fit in 64 bits")
        bits = max(10, (2 * len(keys)).bit_length())
        self.slot_shift = np.uint64(64 - bits)
        home = ((keys * self._MULTIPLIER) >> self.slot_shift).astype(np.int64)
        order = np.argsort(home, kind="stable")
        home_sorted = home[order]
        # Each key takes the first free slot at or after its home:
        # position_i = max(home_i, position_(i-1) + 1), i.e. a running maximum.
        rank = np.arange(len(keys), dtype=np.int64)
        position = np.maximum.accumulate(home_sorted - rank) + rank if len(keys) else rank
        self.longest = int((position - home_sorted).max()) if len(keys) else 0
        self.table = np.zeros((1 << bits) + self.longest, dtype=np.uint64)
        self.table[position] = keys[order] << np.uint64(self.column_bits) | columns[order].astype(np.uint64)
        self.key_shift = np.uint64(self.column_bits)
        self.column_mask = np.uint64((1 << self.column_bits) - 1)
        self.probes = np.arange(self.longest + 1, dtype=np.int64)

    def columns_of(self, words: list[str]) -> np.ndarray:
        """The global columns of the char_wb n-grams of the words (one per occurrence).

        sklearn pads every word with a space on each side; joined by single spaces, the
        padded words overlap only in those spaces, and a window of the joined text is one
        of a word's n-grams exactly when no space is inside it (first and last place
        excepted): every occurrence is one window. Windows with a space inside are looked
        up too: the vocabulary has none (checked when built), so they are simply not found.
        """
        if not words:
            return _NO_COLUMNS
        return self.find(self._keys(words)[0])[0]

    def _keys(self, words: list[str], owners: bool = False) -> tuple[np.ndarray, np.ndarray | None]:
        text = " " + " ".join(words) + " "
        points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        m = self.codes.take(np.minimum(points, self.last))
        length = len(m)
        spans = [length - n + 1 for n in range(2, self.max_n + 1)]
        keys = np.empty(max(sum(spans), 0), dtype=np.uint64)
        owner = (points == 32).cumsum() - 1 if owners else None  # the word of a window starting here
        starts = []
        key, start = m, 0
        for n, span in enumerate(spans, start=2):  # key_n = key_(n-1) << bits | next character
            if span <= 0:
                break
            previous, key = key, keys[start : start + span]
            np.left_shift(previous[:span], self.shift, out=key)
            np.bitwise_or(key, m[n - 1 :], out=key)
            if n == self.min_n:
                first = start
            if owners and n >= self.min_n:
                starts.append(owner[:span])
            start += span
        return keys[first:start], (np.concatenate(starts) if owners else None)

    def find(self, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The columns of the keys that are in the table (in no particular order) and those
        keys' places in ``wanted``: the ``longest + 1`` slots from each key's home read at
        once (adjacent slots share a cache line), instead of probing round by round (a few
        rounds for every text)."""
        slot = wanted * self._MULTIPLIER
        slot >>= self.slot_shift
        records = self.table.take(slot.view(np.int64)[:, None] + self.probes)  # below 2^bits + longest
        which, place = ((records >> self.key_shift) == wanted[:, None]).nonzero()
        found = records[which, place]
        found &= self.column_mask
        return found.astype(_COLUMN), which

    def columns_by_word(self, words: list[str]) -> list[np.ndarray]:
        """Each word's columns (``columns_of`` split by word: a window belongs to the word
        its first character, or the space before it, belongs to)."""
        if not words:
            return []
        keys, owners = self._keys(words, owners=True)
        columns, which = self.find(keys)
        owners = owners.take(which)
        ends = np.bincount(owners, minlength=len(words)).cumsum()
        return np.split(columns.take(owners.argsort(kind="stable")), ends[:-1])


_MISSING = -1  # the column of an unknown n-gram (sorted first, then dropped)


def _lookup(vocabulary: dict, grams: list[str]) -> np.ndarray:
    """The columns of ``grams`` (one per occurrence), ``_MISSING`` for unknown ones."""
    return np.fromiter(map(vocabulary.get, grams, repeat(_MISSING)), dtype=_COLUMN, count=len(grams))


class _Tfidf:
    """One TfidfVectorizer block: a text's n-gram occurrences as global column numbers.

    All three kinds give the analyzer's n-grams exactly (``tests/ml/test_fast.py``):
    ``char_wb`` n-grams through the block's packed n-gram table (``_CharTable``); the
    standard ``word`` analyzer's tokens (its pattern over the lower-cased text) and their
    bigrams through the vocabulary dictionary; anything else (``other``, or a ``char_wb``
    block the table cannot hold) through the vectorizer's own analyzer.
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
        self.kind = "other"
        if plain and vectorizer.analyzer == "char_wb":
            try:
                self.table = _CharTable(vectorizer.vocabulary_, low, high, offset)
                self.kind = "char_wb"
            except ValueError:
                pass
        elif (plain and vectorizer.analyzer == "word" and vectorizer.tokenizer is None and vectorizer.stop_words is None
              and low == 1 and high <= 2 and re.compile(vectorizer.token_pattern).groups == 0):
            self.kind = "word"
            self.findall = re.compile(vectorizer.token_pattern).findall
        if self.kind == "other":
            self.analyze = vectorizer.build_analyzer()
        if self.kind != "char_wb" and offset:  # global column numbers (a copy when not the first block)
            self.vocabulary = {gram: column + offset for gram, column in self.vocabulary.items()}

    def columns(self, text: str, lower: str, words: list[str]) -> np.ndarray:
        """Global columns of the text's n-grams in this block, one per occurrence, maybe with
        ``_MISSING`` ones. ``lower`` is the lower-cased text, ``words`` its whitespace-separated words."""
        if self.kind == "char_wb":
            return self.table.columns_of(words)
        if self.kind == "word":
            grams = self.findall(lower)
            if self.ngram_range[1] == 2:  # unigrams, then consecutive pairs (as sklearn's _word_ngrams)
                grams += map(" ".join, zip(grams, grams[1:]))
        else:
            grams = self.analyze(text)
        return _lookup(self.vocabulary, grams)


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
        self.char_wb = any(block.kind == "char_wb" for block in self.sparse)
        # The default shape (one word block, one char_wb block) has a per-word cache in front:
        # word -> (its tokens, its word-unigram and character n-gram columns), so a known
        # word is one dictionary look-up; the text's unknown words go through the word
        # vocabulary and the n-gram table together (and are not cached: a miss costs no
        # more than a look-up).
        kinds = sorted(block.kind for block in self.sparse)
        self.lane = None
        if kinds == ["char_wb", "word"]:
            self.lane = (next(b for b in self.sparse if b.kind == "word"), next(b for b in self.sparse if b.kind == "char_wb"))
            self.words: dict[str, tuple[tuple[str, ...], np.ndarray]] = {}
            self._prewarm()
        self.classes_ = classifier.classes_
        self.parts = []
        coefficients, start = [], 1  # column 0 of self.rows is the idf
        for calibrated in classifier.calibrated_classifiers_:
            svm = calibrated.estimator
            if not isinstance(svm, LinearSVC) or svm.coef_.shape[1] != offset:
                raise TypeError("only LinearSVC over the union's features is supported")
            coefficients.append(svm.coef_.T)
            columns, start = slice(start, start + len(svm.coef_)), start + len(svm.coef_)
            positions = np.searchsorted(self.classes_, svm.classes_)
            a = np.array([c.a_ for c in calibrated.calibrators], dtype=np.float64)
            b = np.array([c.b_ for c in calibrated.calibrators], dtype=np.float64)
            self.parts.append((columns, np.asarray(svm.intercept_, dtype=np.float64), positions, a, b))
        # One row per feature: its idf (exact in float64), then every SVM's coefficients. A
        # complaint's few hundred columns are then one gather of rows (take), one memory
        # access each rather than one for the idf and one per SVM.
        self.rows = np.hstack([self.idf.astype(np.float64)[:, None], *coefficients]).astype(np.float64, order="C")
        del self.idf

    def _prewarm(self) -> None:
        """Fill the word cache with the model's own words (the word block's single-token
        entries, most frequent first), once per model: ≈0.3 s with the table for the Indonesian
        model (5,520 words) on the shared machine."""
        word_block, char_block = self.lane
        vocabulary = word_block.vocabulary
        ranked = sorted((idf, word) for word, idf in zip(vocabulary, word_block.idf.take(list(vocabulary.values())))
                        if " " not in word)
        words = [word for _, word in ranked[:PREWARM_WORDS] if word_block.findall(word) == [word]]
        for start in range(0, len(words), 2000):
            chunk = words[start : start + 2000]
            for word, columns in zip(chunk, char_block.table.columns_by_word(chunk)):
                self.words[word] = ((word,), np.concatenate([np.array([vocabulary[word]], dtype=_COLUMN), columns]))

    def _lane_columns(self, lower: str) -> list[np.ndarray]:
        word_block, char_block = self.lane
        words = lower.split()
        entries = list(map(self.words.get, words))
        found, tokens, missed, missed_tokens = [], [], [], []
        for word, entry in zip(words, entries):
            if entry is None:
                grams = word_block.findall(word)
                tokens += grams
                missed_tokens += grams
                missed.append(word)
            else:
                tokens += entry[0]
                found.append(entry[1])
        if missed:
            found.append(_lookup(word_block.vocabulary, missed_tokens))
            found.append(char_block.table.columns_of(missed))
        if word_block.ngram_range[1] == 2:
            found.append(_lookup(word_block.vocabulary, list(map(" ".join, zip(tokens, tokens[1:])))))
        return found

    def sparse_features(self, normalised: str) -> tuple[np.ndarray, np.ndarray]:
        """The tf-idf blocks' non-zero features: sorted global columns, values (their dtype)."""
        columns, values, _ = self._features(normalised)
        return columns, values

    def _features(self, normalised: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``sparse_features`` and the columns' rows of ``self.rows``."""
        lower = normalised.lower()
        if self.lane is not None:
            found = self._lane_columns(lower)
        else:
            words = lower.split() if self.char_wb else []  # sklearn's char_wb words (whitespace runs split)
            found = [block.columns(normalised, lower, words) for block in self.sparse]
        columns = np.concatenate(found) if found else _NO_COLUMNS  # a copy: sorted in place below
        n = len(columns)
        if not n:
            return _NO_COLUMNS, np.empty(0, dtype=self.dtype), self.rows[:0]
        columns.sort()  # one sort of every occurrence gives each column and its count
        edges = np.ones(n + 1, dtype=bool)  # True where a run of equal columns starts, and at the end
        np.not_equal(columns[1:], columns[:-1], out=edges[1:n])
        at = edges.nonzero()[0]
        if columns[0] == _MISSING:  # the unknown n-grams' run
            at = at[1:]
            if len(at) == 1:
                return _NO_COLUMNS, np.empty(0, dtype=self.dtype), self.rows[:0]
        unique = columns.take(at[:-1])
        values = np.subtract(at[1:], at[:-1], dtype=self.dtype)  # term counts, then tf-idf in place
        bounds = unique.searchsorted(self.starts).tolist() + [len(unique)]
        if all(self.sublinear):
            np.log(values, out=values)
            values += self.dtype.type(1.0)
        elif any(self.sublinear):
            for sublinear, lo, hi in zip(self.sublinear, bounds, bounds[1:]):
                if sublinear:
                    values[lo:hi] = np.log(values[lo:hi]) + self.dtype.type(1.0)
        rows = self.rows.take(unique, axis=0)
        values *= rows[:, 0].astype(self.dtype)  # the idf
        # sklearn's inplace_csr_row_normalize_l2 per block: squares in the data's dtype, summed
        # in double in column order (cumsum is sequential), each value divided in double.
        squares = values * values
        scaled = values.astype(np.float64)
        for lo, hi in zip(bounds, bounds[1:]):
            if hi > lo:
                scaled[lo:hi] /= math.sqrt(squares[lo:hi].cumsum(dtype=np.float64)[-1])
        values = scaled.astype(self.dtype)
        for block, lo, hi in zip(self.sparse, bounds, bounds[1:]):
            if block.weight is not None:
                values[lo:hi] *= block.weight  # FeatureUnion's transformer weight, in the data's dtype
        return unique, values, rows

    def decisions(self, text: str) -> list[np.ndarray]:
        """Each calibrated SVM's decision function for the text."""
        normalised = self.normalize([text])[0]
        _, values, rows = self._features(normalised)
        values = values.astype(np.float64)
        dense = [(block.offset, block.width, block.values(normalised).astype(np.float64)) for block in self.dense]
        out = []
        for columns, intercept, *_ in self.parts:
            decision = values @ rows[:, columns]
            decision += intercept
            for start, width, vector in dense:
                decision += vector @ self.rows[start : start + width, columns]
            out.append(decision)
        return out

    def predict_proba_one(self, text: str) -> np.ndarray:
        n_classes = len(self.classes_)
        total = None
        for decision, (_, _, positions, a, b) in zip(self.decisions(text), self.parts):
            calibrated = a * decision  # sklearn's _SigmoidCalibration.predict: expit(-(a d + b))
            calibrated += b
            np.negative(calibrated, out=calibrated)
            expit(calibrated, out=calibrated)
            if n_classes == 2:  # the SVM has one decision for classes_[1]
                proba = np.array([1.0 - calibrated[0], calibrated[0]])
            else:
                proba = np.zeros(n_classes)
                proba[positions] = calibrated
                denominator = proba.sum()
                if denominator != 0:
                    proba /= denominator
                else:
                    proba[:] = 1.0 / n_classes
            # sklearn sets values in (1, 1 + 1e-5] to 1; nothing here is beyond 1 + 1e-5
            # (probabilities, or shares of a positive sum), so it is a minimum
            np.minimum(proba, 1.0, out=proba)
            total = proba if total is None else total + proba
        return total if len(self.parts) == 1 else total / len(self.parts)


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
