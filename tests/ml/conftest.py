import csv
import random

import pytest

from ml import store

VOCAB = {
    "DPU-JALAN": ["jalan", "rusak", "berlubang", "aspal", "jembatan", "retak", "road", "pothole"],
    "PDAM": ["air", "pdam", "mati", "keruh", "pipa", "bocor", "water", "meteran"],
    "DUKCAPIL": ["ktp", "kk", "akta", "kelahiran", "dukcapil", "blanko", "e-ktp", "domisili"],
    "DLH": ["sampah", "menumpuk", "bau", "sungai", "limbah", "pencemaran", "garbage", "tps"],
}
FILLER = ["mohon", "segera", "pak", "bupati", "di", "desa", "kami", "sudah", "lama", "tolong", "please", "warga"]


def make_examples(per_label=15, seed=0):
    rng = random.Random(seed)
    texts, labels = [], []
    for label, words in VOCAB.items():
        for _ in range(per_label):
            parts = rng.sample(words, 3) + rng.sample(FILLER, 4)
            rng.shuffle(parts)
            texts.append(" ".join(parts).capitalize() + f" RT {rng.randint(1, 9)}")
            labels.append(label)
    return texts, labels


@pytest.fixture
def examples():
    return make_examples()


@pytest.fixture
def model_dir(tmp_path, settings):
    settings.ML_MODEL_DIR = tmp_path / "models"
    settings.ROUTER_RECHECK_SECONDS = 0
    store.clear_cache()
    yield settings.ML_MODEL_DIR
    store.clear_cache()


@pytest.fixture
def example_csv(tmp_path, examples):
    path = tmp_path / "complaints.csv"
    texts, labels = examples
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["isi", "unit"])
        writer.writerows(zip(texts, labels))
        writer.writerow(["hanya satu keluhan tentang taman", "DISPARBUD"])  # a rare label, dropped
    return path
