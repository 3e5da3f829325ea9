"""The fast single-text predictor gives scikit-learn's probabilities."""

import functools

import numpy as np
import pytest
from hypothesis import given, settings as hsettings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer

from ml.fast import FastPredictor, fast_predictor, predict_proba_one
from ml.pipeline import build_pipeline, normalize_many, predict_top, train

from .conftest import FILLER, VOCAB, make_examples

TEXTS = [
    "Air PDAM mati dan keruh sejak kemarin, hubungi 0812-3456-7890",
    "Jalan desa rusak parah, banyak lubang!!",
    "sampah", "", "   ", "qqqzx ☂ 😀", "KTP-el belum jadi 3 bulan; blanko habis?",
    "Road in front of the school is full of potholes. Please fix it quickly " * 12,
    "a b c d e f", "Pelayanan di kantor kecamatan sangat lambat dan petugas tidak ramah",
    "air\x00mati\x00\x00 di rt 02", "jalan_rusak jalan-rusak jalan.rusak (jalan) 'jalan'", "ΣΊΣΥΦΟΣ ŞEHİR straße",
    "x" * 5000, "pdam " * 400, "\u3000jalan\u2028rusak\x1c\x1d\x1e\x1f\x85air",
]
# Probabilities equal scikit-learn's up to rounding: the fast path computes the float32
# features bit for bit and only sums in another order.
EXACT = 1e-9


@functools.lru_cache(maxsize=None)
def _fitted(static=False):
    texts, labels = make_examples(per_label=20, seed=1)
    return build_pipeline(3, static=static).fit(texts, labels)


@pytest.mark.parametrize("static", [True, False])
def test_fast_probabilities_equal_scikit_learns(static):
    texts, labels = make_examples(per_label=20, seed=1)
    model = _fitted(static)
    fast = fast_predictor(model)
    assert fast is not None
    others, _ = make_examples(per_label=10, seed=7)
    for text in TEXTS + others:
        expected = model.predict_proba([text])[0]
        assert np.allclose(fast.predict_proba_one(text), expected, rtol=0, atol=EXACT), text


@hsettings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(sorted({w for ws in VOCAB.values() for w in ws} | set(FILLER)))
                | st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12), max_size=60)
       .map(" ".join))
def test_the_features_are_scikit_learns_bit_for_bit(text):
    """Columns and float32 values of the tf-idf blocks equal the pipeline's transform."""
    model = _fitted(False)
    fast = fast_predictor(model)
    normalised = model.named_steps["normalize"].transform([text])
    expected = model.named_steps["features"].transform(normalised).tocsr()
    expected.sort_indices()
    columns, values = fast.sparse_features(normalised[0])
    assert columns.tolist() == expected.indices.tolist()
    assert values.dtype == expected.dtype == np.float32
    assert values.tobytes() == expected.data.tobytes()
    assert np.allclose(fast.predict_proba_one(text), model.predict_proba([text])[0], rtol=0, atol=EXACT)


def test_two_labels_and_the_large_set_calibration_are_served_exactly(monkeypatch):
    import ml.pipeline as pipeline

    texts, labels = make_examples(per_label=15)
    two = [(t, label) for t, label in zip(texts, labels) if label in ("PDAM", "DLH")]
    model = train([t for t, _ in two], [label for _, label in two])
    for text in TEXTS:
        assert np.allclose(predict_proba_one(model, text), model.predict_proba([text])[0], rtol=0, atol=EXACT)
    monkeypatch.setattr(pipeline, "LARGE_TRAINING_SET", 10)  # the hold-out calibration (ensemble of one)
    model = train(texts, labels)
    assert fast_predictor(model) is not None
    for text in TEXTS:
        assert np.allclose(predict_proba_one(model, text), model.predict_proba([text])[0], rtol=0, atol=EXACT)


@pytest.mark.parametrize("vectorizers", [
    # other shapes than the default take the vectorizer's own analyzer, still exactly
    [("w", TfidfVectorizer(ngram_range=(1, 3), sublinear_tf=True)), ("c", TfidfVectorizer(analyzer="char", ngram_range=(2, 3)))],
    [("w", TfidfVectorizer(stop_words=["di", "kami"], dtype=np.float64)), ("c", TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), dtype=np.float64))],
    [("w", TfidfVectorizer(token_pattern=r"(?u)\b\w\w+\b", sublinear_tf=True, dtype=np.float32))],
])
def test_other_feature_blocks_and_weights_are_served_exactly(vectorizers):
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.svm import LinearSVC

    texts, labels = make_examples(per_label=12, seed=3)
    weights = {vectorizers[-1][0]: 0.7}
    model = Pipeline([
        ("normalize", FunctionTransformer(normalize_many, validate=False)),
        ("features", FeatureUnion(vectorizers, transformer_weights=weights)),
        ("classifier", CalibratedClassifierCV(LinearSVC(C=0.25), method="sigmoid", cv=3, ensemble=False)),
    ]).fit(texts, labels)
    fast = FastPredictor(model)
    for text in TEXTS + make_examples(per_label=3, seed=9)[0]:
        assert np.allclose(fast.predict_proba_one(text), model.predict_proba([text])[0], rtol=0, atol=EXACT), text


def test_predict_top_uses_the_same_numbers():
    model = train(*make_examples())
    top = predict_top(model, TEXTS[0], k=2)
    proba = model.predict_proba([TEXTS[0]])[0]
    order = np.argsort(-proba)[:2]
    assert [label for label, _ in top] == [model.classes_[i] for i in order]
    assert [p for _, p in top] == pytest.approx([proba[i] for i in order], abs=1e-6)


def test_other_models_are_served_by_scikit_learn():
    from sklearn.dummy import DummyClassifier

    texts, labels = make_examples()
    dummy = DummyClassifier(strategy="prior").fit(texts, labels)
    assert fast_predictor(dummy) is None
    assert np.allclose(predict_proba_one(dummy, "x"), dummy.predict_proba(["x"])[0])


HOSTILE = [
    "",  # nothing at all
    "\x00", "air\x00\x00mati\x00", "\x00" * 300,  # NUL bytes
    "😀🚧💧 jalan rusak 😡😡", "🚧" * 50, "\U0010ffff\U000e0001 tag",  # emoji, planes beyond the vocabulary
    "\ud800 lone \udfff surrogates",  # lone surrogates (invalid UTF-8, valid in a Python str)
    "zxqv wqxz kkvvqq " * 40,  # only words the model has never seen
    "ꦗꦭꦤ꧀ ꦫꦸꦱꦏ꧀ ᜑᜎ ᨕᨗ",  # scripts with no n-gram in the vocabulary
    " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\u2028\u3000 ",  # whitespace of every kind, nothing else
    "a b c", "x", "jalan",  # one-character words and a single known word
]


@pytest.mark.parametrize("text", HOSTILE + [
    # 20 KB: known and unknown words, punctuation glued to words, digits and personal data
    (" ".join(f"jalan{i % 97}, rusak-{i}!! air/pdam 0812-3456-78{i % 10}0 ☂" for i in range(400)))[:20_000],
])
def test_unseen_and_hostile_text_gets_scikit_learns_probabilities(text):
    """Words and characters the model never saw are found (or not) exactly as scikit-learn's
    analyzers find them: features bit for bit, probabilities at rounding level."""
    model = _fitted(False)
    fast = fast_predictor(model)
    normalised = model.named_steps["normalize"].transform([text])
    expected = model.named_steps["features"].transform(normalised).tocsr()
    expected.sort_indices()
    columns, values = fast.sparse_features(normalised[0])
    assert columns.tolist() == expected.indices.tolist()
    assert values.tobytes() == expected.data.tobytes()
    assert np.allclose(fast.predict_proba_one(text), model.predict_proba([text])[0], rtol=0, atol=EXACT)


def test_char_blocks_the_packed_table_cannot_hold_are_served_exactly():
    """char_wb with 1-grams (padding spaces counted per word) or n above the table's range
    falls back to the vectorizer's own analyzer, and so does an alphabet too large to pack."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.svm import LinearSVC

    from ml.fast import _CharTable

    with pytest.raises(ValueError):
        _CharTable({chr(0x100 + i) * 2: i for i in range(600)}, 2, 8, 0)  # 10 bits x 8 > 64
    texts, labels = make_examples(per_label=12, seed=3)
    for ngram_range in [(1, 3), (4, 6)]:
        model = Pipeline([
            ("normalize", FunctionTransformer(normalize_many, validate=False)),
            ("features", FeatureUnion([("c", TfidfVectorizer(analyzer="char_wb", ngram_range=ngram_range,
                                                             dtype=np.float32))])),
            ("classifier", CalibratedClassifierCV(LinearSVC(C=0.25), method="sigmoid", cv=3, ensemble=False)),
        ]).fit(texts, labels)
        fast = FastPredictor(model)
        assert fast.sparse[0].kind == "other"
        for text in TEXTS + HOSTILE:
            assert np.allclose(fast.predict_proba_one(text), model.predict_proba([text])[0], rtol=0, atol=EXACT), text


def test_the_default_shape_caches_the_models_words_and_serves_new_ones_exactly():
    """Known words come from the per-word cache filled when the predictor is built; a text
    mixing cached words, new words and punctuation glued to words gives the same features."""
    model = _fitted(False)
    fast = FastPredictor(model)
    assert fast.lane is not None and "jalan" in fast.words
    text = "Jalan rusak, jalan-rusak! zzqx jalanan 'air' pdam... kemarin jalan"
    normalised = model.named_steps["normalize"].transform([text])
    expected = model.named_steps["features"].transform(normalised).tocsr()
    expected.sort_indices()
    columns, values = fast.sparse_features(normalised[0])
    assert columns.tolist() == expected.indices.tolist()
    assert values.tobytes() == expected.data.tobytes()
