"""Reading labelled complaint texts from CSV/TSV files (for training and evaluation)."""

from __future__ import annotations

import csv
import sys
from pathlib import Path


class DatasetError(ValueError):
    """The file cannot be read as a labelled dataset (message says why)."""


def _guess_delimiter(first_line: str) -> str:
    return "\t" if first_line.count("\t") > first_line.count(",") else ","


def read_labelled_csv(path, text_column: str, label_column: str, delimiter: str | None = None):
    """Return ``(texts, labels)`` from a CSV (or tab-separated) file with a header row.

    Rows with an empty text or label are skipped. The delimiter is guessed from the
    header line (tab or comma) unless given.
    """
    path = Path(path)
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            first = fh.readline()
            fh.seek(0)
            reader = csv.DictReader(fh, delimiter=delimiter or _guess_delimiter(first))
            columns = reader.fieldnames or []
            missing = [c for c in (text_column, label_column) if c not in columns]
            if missing:
                raise DatasetError(
                    f"{path}: no column {', '.join(repr(c) for c in missing)}; columns are {', '.join(map(repr, columns))}"
                )
            texts, labels = [], []
            for row in reader:
                text = (row.get(text_column) or "").strip()
                label = (row.get(label_column) or "").strip()
                if text and label:
                    texts.append(text)
                    labels.append(label)
    except OSError as exc:
        raise DatasetError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except (UnicodeDecodeError, csv.Error) as exc:
        raise DatasetError(f"{path} is not a UTF-8 CSV file: {exc}") from exc
    return texts, labels
