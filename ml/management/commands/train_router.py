from collections import Counter

import numpy as np
from django.core.management.base import BaseCommand, CommandError
from sklearn.metrics import f1_score

from ml import store
from ml.csvdata import DatasetError, read_labelled_csv
from ml.models import RouterVersion
from ml.pipeline import evaluate, prepare_dataset, thresholds_by_precision, train

# Fewer examples than this that the active version never saw: compare on all the data
# instead (the active version has seen most of it, which favours keeping it).
MIN_NEW_EXAMPLES = 30

from .evaluate_router import add_model_argument, resolve_model, warn_dropped


class Command(BaseCommand):
    help = (
        "Train the routing classifier on triaged complaints (or a CSV), evaluate it by "
        "cross-validation, save a new version, and activate it when asked or when it beats "
        "the active version re-evaluated on the same data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--csv", help="train on this CSV instead of the database")
        parser.add_argument("--text-column", help="text column of --csv")
        parser.add_argument("--label-column", help="label (unit code) column of --csv")
        parser.add_argument("--delimiter", default=None, help="field delimiter of --csv (default: guessed)")
        parser.add_argument("--activate", action="store_true", help="activate the new version unconditionally")
        parser.add_argument(
            "--min-per-label", type=int, default=5, help="labels with fewer examples are left out (default 5)"
        )
        parser.add_argument("--folds", type=int, default=5, help="cross-validation folds (fewer when data is small)")
        parser.add_argument("--seed", type=int, default=0)
        add_model_argument(parser)
        parser.add_argument("--if-missing", action="store_true",
                            help="do nothing when an active model already loads (used by `make run`)")

    def handle(self, *args, **opts):
        if opts["if_missing"] and store.active_model() is not None:
            self.stdout.write("An active routing model is present; nothing to do.")
            return
        kind = resolve_model(opts["model"])
        texts, labels, source = self.load(opts)
        min_per_label = max(2, opts["min_per_label"])
        texts, labels, info = prepare_dataset(texts, labels, min_per_label=min_per_label)
        warn_dropped(self.stderr, info, min_per_label)
        counts = Counter(labels)
        if len(counts) < 2:
            raise CommandError(
                f"not enough training data in {source}: need at least 2 labels with {min_per_label} or more "
                f"examples each, found {len(counts)} ({len(labels)} examples)"
            )
        self.stdout.write(f"Training the {kind} model on {len(labels)} examples from {source}, {len(counts)} labels.")
        folds = max(2, min(opts["folds"], min(counts.values())))
        # The data is already deduplicated and filtered: evaluate it exactly as it is trained.
        metrics = evaluate(texts, labels, folds=folds, min_per_label=0, seed=opts["seed"], drop_duplicates=False,
                           kind=kind, keep_oof=True)
        oof = metrics.pop("oof")
        oof_pred = np.asarray(oof["pred"], dtype=object)
        thresholds = thresholds_by_precision(oof["conf"], oof_pred == np.asarray(labels, dtype=object))
        metrics.update(
            duplicates_removed=info["duplicates_removed"],
            dropped_labels=info["dropped_labels"],
            n_dropped=sum(info["dropped_labels"].values()),
            source=source,
        )
        self.stdout.write(
            f"Cross-validation ({metrics['folds']} folds): macro-F1 {metrics['macro_f1']:.3f} ± {metrics['macro_f1_sd']:.3f}, "
            f"accuracy {metrics['accuracy']:.3f}, top-3 {metrics['top3_accuracy']:.3f}, "
            f"auto-routable at 95 % precision {100 * metrics['coverage_cross_fitted']['0.95']['coverage']:.1f} % "
            f"(threshold chosen out of sample)"
        )
        model = train(texts, labels, kind=kind)
        active = RouterVersion.objects.filter(is_active=True).first()
        if opts["activate"]:
            activate, why = True, "--activate given"
        elif active is None:
            activate, why = True, "no version was active"
        else:
            activate, why, comparison = self.compare(active, texts, labels, oof_pred)
            metrics["compared_with_active"] = comparison
        record = store.save_version(model, n_samples=len(labels), metrics=metrics, activate=activate,
                                    thresholds=thresholds, texts=texts)
        self.stdout.write(f"Saved version {record.version} to {store.model_dir() / record.path}.")
        if activate:
            self.stdout.write(self.style.SUCCESS(f"Activated {record.version}: {why}."))
        else:
            self.stdout.write(f"Not activated: {why}; {active.version} stays active.")

    def compare(self, active, texts, labels, oof_pred):
        """Score the active version and the new one on the same examples: those the active
        version never saw (its predictions there are out of sample, the new model's are
        out of fold); with too few of them, all examples (which favours the active one)."""
        model = store.load_version(active.version, active.path)
        if model is None:
            return True, f"active version {active.version} cannot be loaded", {"version": active.version}
        labels = np.asarray(labels, dtype=object)
        seen = store.read_fingerprints(active.version)
        if seen is not None:
            unseen = ~np.isin(store.fingerprints_each(texts), seen)
        else:
            unseen = np.zeros(len(texts), dtype=bool)
        new_only = int(unseen.sum()) >= MIN_NEW_EXAMPLES
        rows = np.flatnonzero(unseen) if new_only else np.arange(len(texts))
        proba = model.predict_proba([texts[i] for i in rows])
        old_pred = np.asarray(model.classes_, dtype=object)[np.argmax(proba, axis=1)]
        old_f1 = f1_score(labels[rows], old_pred, average="macro", zero_division=0)
        new_f1 = f1_score(labels[rows], oof_pred[rows], average="macro", zero_division=0)
        where = (f"the {len(rows)} examples {active.version} never saw" if new_only
                 else f"all {len(rows)} examples (only {int(unseen.sum())} new to {active.version})")
        comparison = {"version": active.version, "examples": int(len(rows)), "new_examples_only": new_only,
                      "active_macro_f1": float(old_f1), "new_macro_f1": float(new_f1)}
        self.stdout.write(f"Active {active.version} re-evaluated on {where}: macro-F1 {old_f1:.3f}; "
                          f"new model (out of fold) {new_f1:.3f}.")
        if new_f1 > old_f1:
            return True, f"macro-F1 {new_f1:.3f} beats active {active.version} ({old_f1:.3f}) on {where}", comparison
        return False, f"macro-F1 {new_f1:.3f} does not beat active {active.version} ({old_f1:.3f}) on {where}", \
            comparison

    def load(self, opts):
        if opts["csv"]:
            if not opts["text_column"] or not opts["label_column"]:
                raise CommandError("--csv needs --text-column and --label-column")
            try:
                texts, labels = read_labelled_csv(
                    opts["csv"], opts["text_column"], opts["label_column"], opts["delimiter"]
                )
            except DatasetError as exc:
                raise CommandError(str(exc)) from exc
            return texts, labels, opts["csv"]
        if opts["text_column"] or opts["label_column"]:
            raise CommandError("--text-column and --label-column only apply with --csv")
        try:
            from complaints.training import training_examples
        except ImportError as exc:
            raise CommandError(f"training from the database is unavailable ({exc}); use --csv") from exc
        texts, labels = [], []
        for text, label in training_examples():
            if text and label:
                texts.append(str(text))
                labels.append(str(label))
        return texts, labels, "the database (triaged complaints)"
