import logging

import pytest

from ml import router, store
from ml.models import RouterVersion
from ml.pipeline import train

pytestmark = pytest.mark.django_db


@pytest.fixture
def trained(examples):
    return train(*examples)


def test_no_active_model_means_no_suggestion(model_dir):
    assert router.suggest("jalan rusak") == []


def test_trained_and_activated_model_suggests_the_right_unit(model_dir, trained):
    record = store.save_version(trained, n_samples=60, metrics={"macro_f1": 0.9}, activate=True)
    assert (model_dir / f"{record.version}.joblib").exists()
    assert (model_dir / f"{record.version}.json").exists()
    assert store.read_sidecar(record.version)["labels"] == ["DLH", "DPU-JALAN", "DUKCAPIL", "PDAM"]

    suggestions = router.suggest("Jalan desa rusak dan berlubang, mohon diaspal", k=3)

    assert suggestions[0][0] == "DPU-JALAN"
    assert len(suggestions) == 3
    assert all(isinstance(label, str) and 0.0 <= p <= 1.0 for label, p in suggestions)
    assert router.active_version() == record.version


def test_allowed_labels_restrict_and_renormalise(model_dir, trained):
    store.save_version(trained, n_samples=60, activate=True)
    text = "Jalan desa rusak dan berlubang, mohon diaspal"

    suggestions = router.suggest(text, allowed_labels={"PDAM", "DLH", "UNKNOWN"}, k=3)

    assert {label for label, _ in suggestions} <= {"PDAM", "DLH"}
    assert sum(p for _, p in suggestions) == pytest.approx(1.0)
    assert router.suggest(text, allowed_labels={"UNKNOWN"}) == []
    assert router.suggest(text, allowed_labels=[]) == []


def test_only_one_version_is_active_after_activation(model_dir, trained):
    first = store.save_version(trained, n_samples=60, activate=True)
    second = store.save_version(trained, n_samples=60)
    assert router.active_version() == first.version

    second.activate()

    assert list(RouterVersion.objects.filter(is_active=True).values_list("version", flat=True)) == [second.version]
    assert router.active_version() == second.version


def test_corrupt_model_file_gives_no_suggestion_and_logs_a_warning(model_dir, trained, caplog):
    record = store.save_version(trained, n_samples=60, activate=True)
    (model_dir / record.path).write_bytes(b"this is not a pickle")

    with caplog.at_level(logging.WARNING, logger="ml"):
        assert router.suggest("jalan rusak") == []

    assert any(record.version in r.getMessage() and r.levelno == logging.WARNING for r in caplog.records)


def test_missing_model_file_gives_no_suggestion_and_logs_a_warning(model_dir, trained, caplog):
    record = store.save_version(trained, n_samples=60, activate=True)
    (model_dir / record.path).unlink()

    with caplog.at_level(logging.WARNING, logger="ml"):
        assert router.suggest("jalan rusak") == []

    assert any("missing" in r.getMessage() for r in caplog.records)
