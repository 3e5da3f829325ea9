"""train_router re-evaluates the active model on the same data before replacing it."""

import csv

import pytest
from django.core.management import call_command

from ml import store
from ml.models import RouterVersion

from .conftest import make_examples

pytestmark = pytest.mark.django_db


def write_csv(path, texts, labels):
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["isi", "unit"])
        writer.writerows(zip(texts, labels))
    return path


def train_csv(path, *extra):
    call_command("train_router", "--csv", str(path), "--text-column", "isi", "--label-column", "unit", *extra)


def test_a_weak_active_model_with_a_flattering_recorded_score_is_replaced(tmp_path, model_dir, capsys):
    # The active version was trained on mislabelled data but records a perfect score; the
    # comparison must use the same data for both, not the score written at training time.
    texts, labels = make_examples(per_label=15, seed=0)
    shuffled = labels[5:] + labels[:5]  # wrong labels
    train_csv(write_csv(tmp_path / "bad.csv", texts, shuffled))
    bad = RouterVersion.objects.get(is_active=True)
    RouterVersion.objects.filter(pk=bad.pk).update(metrics={**bad.metrics, "macro_f1": 1.0})

    more, more_labels = make_examples(per_label=15, seed=3)
    train_csv(write_csv(tmp_path / "good.csv", texts + more, labels + more_labels))

    out = capsys.readouterr().out
    new = RouterVersion.objects.get(is_active=True)
    assert new != bad, out
    assert f"Active {bad.version} re-evaluated on the" in out and "never saw" in out
    compared = new.metrics["compared_with_active"]
    assert compared["version"] == bad.version and compared["new_examples_only"] is True
    assert compared["new_macro_f1"] > compared["active_macro_f1"]


def test_a_good_active_model_stays_when_the_new_one_is_not_better_on_the_same_data(tmp_path, model_dir, capsys):
    texts, labels = make_examples(per_label=15, seed=0)
    path = write_csv(tmp_path / "same.csv", texts, labels)
    train_csv(path)
    first = RouterVersion.objects.get(is_active=True)
    train_csv(path)
    out = capsys.readouterr().out
    assert RouterVersion.objects.get(is_active=True) == first
    assert "Not activated" in out and "only 0 new" in out
    assert RouterVersion.objects.exclude(pk=first.pk).get().metrics["compared_with_active"]["new_examples_only"] is False


def test_versions_keep_fingerprints_not_texts(tmp_path, model_dir):
    texts, labels = make_examples(per_label=15)
    train_csv(write_csv(tmp_path / "a.csv", texts, labels))
    version = RouterVersion.objects.get()
    seen = store.read_fingerprints(version.version)
    assert len(seen) == len(set(texts)) and seen.dtype.name == "uint64"
    raw = (model_dir / f"{version.version}.seen.npy").read_bytes()
    assert b"jalan" not in raw and b"sampah" not in raw


def test_an_unreadable_active_version_is_replaced(tmp_path, model_dir, capsys):
    texts, labels = make_examples(per_label=15)
    path = write_csv(tmp_path / "a.csv", texts, labels)
    train_csv(path)
    first = RouterVersion.objects.get()
    (model_dir / first.path).write_bytes(b"garbage")
    store.clear_cache()
    train_csv(path)
    assert RouterVersion.objects.get(is_active=True) != first
    assert "cannot be loaded" in capsys.readouterr().out
