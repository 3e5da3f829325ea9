import pytest

from ml.pipeline import coverage_at_precision, evaluate, predict_top, train


def test_coverage_picks_the_lowest_threshold_that_keeps_precision():
    conf = [0.99, 0.95, 0.9, 0.8, 0.7, 0.6]
    correct = [True, True, True, True, False, False]
    cov = coverage_at_precision(conf, correct, targets=(0.8, 0.95, 1.0))
    assert cov["0.8"] == {"coverage": pytest.approx(5 / 6), "threshold": 0.7}  # 4/5 correct
    assert cov["0.95"] == {"coverage": pytest.approx(4 / 6), "threshold": 0.8}
    assert cov["1"]["coverage"] == pytest.approx(4 / 6)


def test_coverage_is_zero_when_no_threshold_reaches_the_precision():
    cov = coverage_at_precision([0.9, 0.8], [False, True], targets=(0.9,))
    assert cov["0.9"] == {"coverage": 0.0, "threshold": None}


def test_coverage_never_splits_tied_confidences():
    cov = coverage_at_precision([0.9, 0.9, 0.5], [True, False, True], targets=(0.9,))
    assert cov["0.9"]["coverage"] == 0.0


def test_trained_pipeline_predicts_the_right_label_from_raw_text(examples):
    model = train(*examples)
    top = predict_top(model, "Air PDAM mati dan keruh sejak kemarin, hubungi 0812-3456-7890", k=3)
    assert [label for label, _ in top][0] == "PDAM"
    assert len(top) == 3
    assert sum(p for _, p in top) <= 1.0 + 1e-9
    assert top[0][1] >= top[1][1] >= top[2][1]


def test_training_needs_two_labels():
    with pytest.raises(ValueError):
        train(["a b c"] * 5, ["X"] * 5)


def test_evaluate_reports_metrics_and_dropped_labels(examples):
    texts, labels = examples
    texts = texts + ["satu-satunya keluhan taman kota"] + [texts[0]]  # a rare label and a duplicate
    labels = labels + ["DISPARBUD"] + [labels[0]]
    result = evaluate(texts, labels, folds=3, repeats=2, min_per_label=10)
    for key in ("accuracy", "macro_f1", "top3_accuracy", "n_samples", "n_labels", "train_seconds",
                "predict_ms_per_item", "coverage_at_precision", "per_label", "repeated"):
        assert key in result
    assert result["dropped_labels"] == {"DISPARBUD": 1}
    assert result["duplicates_removed"] == 1
    assert result["n_labels"] == 4
    assert result["n_samples"] == 60
    assert set(result["coverage_at_precision"]) == {"0.9", "0.95", "0.99"}
    assert result["macro_f1"] > 0.9
    assert set(result["per_label"]["PDAM"]) == {"precision", "recall", "f1", "support"}
    assert result["repeated"]["macro_f1"]["sd"] >= 0


def test_cross_fitted_coverage_chooses_on_one_half_and_scores_on_the_other():
    import numpy as np

    from ml.pipeline import cross_fitted_coverage

    rng = np.random.default_rng(0)
    conf = rng.uniform(0, 1, 2000)
    correct = rng.uniform(0, 1, 2000) < conf  # calibrated: P(correct) = confidence
    honest = cross_fitted_coverage(conf, correct, targets=(0.95,))["0.95"]
    in_sample = coverage_at_precision(conf, correct, targets=(0.95,))["0.95"]
    assert 0.05 < honest["coverage"] < 0.2 and honest["scored"] == 2000 * 10
    assert 0.9 < honest["precision"] < 0.99
    assert in_sample["coverage"] > 0

    separable = cross_fitted_coverage([0.9] * 10 + [0.2] * 10, [True] * 10 + [False] * 10, targets=(0.99,))
    assert separable["0.99"] == {"coverage": 0.5, "precision": 1.0, "routed": 100, "scored": 200}
    assert cross_fitted_coverage([], [], targets=(0.9,))["0.9"]["precision"] is None
