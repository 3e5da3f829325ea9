from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from ml import store
from ml.csvdata import DatasetError, read_labelled_csv
from ml.models import RouterVersion
from ml.pipeline import evaluate, prepare_dataset, train

from .evaluate_router import add_model_argument, resolve_model, warn_dropped


class Command(BaseCommand):
    help = (
        "Train the routing classifier on triaged complaints (or a CSV), evaluate it by "
        "cross-validation, save a new version, and activate it when asked or when it beats "
        "the active version's macro-F1."
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
                           kind=kind)
        metrics.update(
            duplicates_removed=info["duplicates_removed"],
            dropped_labels=info["dropped_labels"],
            n_dropped=sum(info["dropped_labels"].values()),
            source=source,
        )
        self.stdout.write(
            f"Cross-validation ({metrics['folds']} folds): macro-F1 {metrics['macro_f1']:.3f} ± {metrics['macro_f1_sd']:.3f}, "
            f"accuracy {metrics['accuracy']:.3f}, top-3 {metrics['top3_accuracy']:.3f}, "
            f"auto-routable at 95 % precision {100 * metrics['coverage_at_precision']['0.95']:.1f} %"
        )
        model = train(texts, labels, kind=kind)
        active = RouterVersion.objects.filter(is_active=True).first()
        if opts["activate"]:
            activate, why = True, "--activate given"
        elif active is None:
            activate, why = True, "no version was active"
        elif active.macro_f1 is None:
            activate, why = True, f"active version {active.version} has no recorded macro-F1"
        elif metrics["macro_f1"] > active.macro_f1:
            activate, why = True, f"macro-F1 {metrics['macro_f1']:.3f} beats active {active.version} ({active.macro_f1:.3f})"
        else:
            activate, why = False, (
                f"macro-F1 {metrics['macro_f1']:.3f} does not beat active {active.version} ({active.macro_f1:.3f})"
            )
        record = store.save_version(model, n_samples=len(labels), metrics=metrics, activate=activate)
        self.stdout.write(f"Saved version {record.version} to {store.model_dir() / record.path}.")
        if activate:
            self.stdout.write(self.style.SUCCESS(f"Activated {record.version}: {why}."))
        else:
            self.stdout.write(f"Not activated: {why}; {active.version} stays active.")

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
