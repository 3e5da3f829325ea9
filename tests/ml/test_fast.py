"""The fast single-text predictor gives scikit-learn's probabilities."""

import numpy as np
import pytest
from hypothesis import given, settings as hsettings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer

from ml.fast import char_wb_analyzer, fast_predictor, predict_proba_one
from ml.pipeline import build_pipeline, predict_top, train

from .conftest import make_examples

TEXTS = [
    "Air PDAM mati dan keruh sejak kemarin, hubungi 0812-3456-7890",
    "Jalan desa rusak parah, banyak lubang!!",
    "sampah", "", "   ", "qqqzx ☂ 😀", "KTP-el belum jadi 3 bulan; blanko habis?",
    "Road in front of the school is full of potholes. Please fix it quickly " * 12,
    "a b c d e f", "Pelayanan di kantor kecamatan sangat lambat dan petugas tidak ramah",
]


@pytest.mark.parametrize("static", [True, False])
def test_fast_probabilities_equal_scikit_learns(static):
    texts, labels = make_examples(per_label=20, seed=1)
    model = build_pipeline(min(20, 3), static=static).fit(texts, labels)
    fast = fast_predictor(model)
    assert fast is not None
    others, _ = make_examples(per_label=10, seed=7)
    for text in TEXTS + others:
        expected = model.predict_proba([text])[0]
        assert np.allclose(fast.predict_proba_one(text), expected, rtol=0, atol=1e-6), text


def test_two_labels_and_the_large_set_calibration_are_served_exactly(monkeypatch):
    import ml.pipeline as pipeline

    texts, labels = make_examples(per_label=15)
    two = [(t, label) for t, label in zip(texts, labels) if label in ("PDAM", "DLH")]
    model = train([t for t, _ in two], [label for _, label in two])
    for text in TEXTS:
        assert np.allclose(predict_proba_one(model, text), model.predict_proba([text])[0], atol=1e-6)
    monkeypatch.setattr(pipeline, "LARGE_TRAINING_SET", 10)  # the hold-out calibration (ensemble of one)
    model = train(texts, labels)
    assert fast_predictor(model) is not None
    for text in TEXTS:
        assert np.allclose(predict_proba_one(model, text), model.predict_proba([text])[0], atol=1e-6)


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


@hsettings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80))
def test_the_char_wb_analyzer_matches_scikit_learns(text):
    reference = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4)).build_analyzer()
    assert char_wb_analyzer(2, 4)(text) == reference(text)
