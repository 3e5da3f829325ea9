import json
import sys
import types

import pytest
from django.core.management import CommandError, call_command

from ml import router
from ml.models import RouterVersion

REQUIRED_KEYS = {"accuracy", "macro_f1", "top3_accuracy", "n_samples", "n_labels", "train_seconds",
                 "predict_ms_per_item", "coverage_at_precision"}


def test_evaluate_router_json_prints_one_object_with_the_required_keys(example_csv, capsys):
    call_command("evaluate_router", "--csv", str(example_csv), "--text-column", "isi", "--label-column", "unit",
                 "--folds", "3", "--json")
    out, err = capsys.readouterr()

    result = json.loads(out)  # exactly one JSON document, nothing else on stdout
    assert REQUIRED_KEYS <= set(result)
    assert set(result["coverage_at_precision"]) == {"0.9", "0.95", "0.99"}
    assert result["n_labels"] == 4 and result["n_samples"] == 60
    assert "DISPARBUD (1)" in err


def test_evaluate_router_text_report_touches_no_database(example_csv, capsys):
    # no django_db mark: any database access would fail the test
    call_command("evaluate_router", "--csv", str(example_csv), "--text-column", "isi", "--label-column", "unit",
                 "--folds", "3")
    out = capsys.readouterr().out
    assert "macro-F1" in out and "top-3 accuracy" in out and "at 95 % precision" in out


def test_evaluate_router_names_a_missing_column(example_csv):
    with pytest.raises(CommandError, match="no column 'text'"):
        call_command("evaluate_router", "--csv", str(example_csv), "--text-column", "text", "--label-column", "unit")


@pytest.mark.django_db
def test_train_router_from_csv_saves_and_activates_the_first_version(example_csv, model_dir, capsys):
    call_command("train_router", "--csv", str(example_csv), "--text-column", "isi", "--label-column", "unit")

    version = RouterVersion.objects.get()
    assert version.is_active
    assert version.n_samples == 60
    assert sorted(version.labels) == ["DLH", "DPU-JALAN", "DUKCAPIL", "PDAM"]
    assert "macro_f1" in version.metrics
    assert "Activated" in capsys.readouterr().out
    assert router.suggest("sampah menumpuk bau di sungai")[0][0] == "DLH"


@pytest.mark.django_db
def test_train_router_keeps_a_better_active_version(example_csv, model_dir, capsys):
    call_command("train_router", "--csv", str(example_csv), "--text-column", "isi", "--label-column", "unit")
    first = RouterVersion.objects.get(is_active=True)
    first.metrics = {**first.metrics, "macro_f1": 1.01}  # unbeatable
    first.save()

    call_command("train_router", "--csv", str(example_csv), "--text-column", "isi", "--label-column", "unit")
    assert RouterVersion.objects.get(is_active=True) == first
    assert "Not activated" in capsys.readouterr().out

    call_command("train_router", "--csv", str(example_csv), "--text-column", "isi", "--label-column", "unit",
                 "--activate")
    assert RouterVersion.objects.get(is_active=True) != first
    assert RouterVersion.objects.count() == 3


@pytest.mark.django_db
def test_train_router_reads_the_database_through_complaints_training(examples, model_dir, monkeypatch):
    fake = types.ModuleType("complaints.training")
    fake.training_examples = lambda: iter(zip(*examples))
    monkeypatch.setitem(sys.modules, "complaints.training", fake)

    call_command("train_router")

    assert RouterVersion.objects.get().is_active


@pytest.mark.django_db
def test_train_router_refuses_a_single_label(tmp_path, model_dir):
    path = tmp_path / "one.csv"
    path.write_text("isi,unit\n" + "".join(f"jalan rusak {i},DPU\n" for i in range(20)), encoding="utf-8")
    with pytest.raises(CommandError, match="at least 2 labels"):
        call_command("train_router", "--csv", str(path), "--text-column", "isi", "--label-column", "unit")
    assert not RouterVersion.objects.exists()


def test_evaluate_router_reports_cross_fitted_coverage_with_realised_precision(example_csv, capsys):
    call_command("evaluate_router", "--csv", str(example_csv), "--text-column", "isi", "--label-column", "unit",
                 "--folds", "3")
    out = capsys.readouterr().out
    assert "chosen on one half of the out-of-fold predictions" in out and "realised precision" in out
    call_command("evaluate_router", "--csv", str(example_csv), "--text-column", "isi", "--label-column", "unit",
                 "--folds", "3", "--json")
    result = json.loads(capsys.readouterr().out)
    crossed = result["coverage_cross_fitted"]
    assert set(crossed) == {"0.9", "0.95", "0.99"}
    assert all(0 <= v["coverage"] <= 1 and (v["precision"] is None or 0 <= v["precision"] <= 1)
               for v in crossed.values())
    assert len(result["macro_f1_per_fold"]) == 3
