"""Sparse histograms stored as bytes: sorted (bin uint16, count int32) pairs, little-endian."""

import numpy as np

PAIR = np.dtype([("bin", "<u2"), ("n", "<i4")])
MAX_BINS = 4096  # bin 4095 ≈ 60 s · 1.01^4094: far beyond any real duration


def decode(data):
    return np.frombuffer(bytes(data), dtype=PAIR) if data else np.zeros(0, dtype=PAIR)


def encode(pairs):
    """pairs: {bin: count}; empty bins are dropped."""
    items = sorted((b, n) for b, n in pairs.items() if n)
    return np.array(items, dtype=PAIR).tobytes() if items else b""


def as_dict(data):
    arr = decode(data)
    return {int(b): int(n) for b, n in zip(arr["bin"], arr["n"])}


def add(data, delta):
    """The histogram `data` plus the {bin: n} delta, encoded."""
    merged = as_dict(data)
    for b, n in delta.items():
        merged[b] = merged.get(b, 0) + n
    return encode(merged)


def dense_many(groups):
    """Sum each list of encoded histograms in `groups` into one row of a dense count matrix
    (one decode and one bincount for all of them: the league table needs dozens of sums
    of hundreds of histograms per request). Row i, column b: the count in bin b."""
    chunks, owners, lengths = [], [], []
    for index, blobs in enumerate(groups):
        for data in blobs:
            if data:
                chunks.append(data)
                owners.append(index)
                lengths.append(len(data) // PAIR.itemsize)
    if not chunks:
        return np.zeros((len(groups), 1), dtype=np.int64)
    pairs = np.frombuffer(b"".join(chunks), dtype=PAIR)
    # Rows as wide as the highest bin in use (a year is bin ~1,300 of MAX_BINS), not wider:
    # readers only take sums and percentiles of a row, never mix rows of two calls.
    width = int(pairs["bin"].max()) + 1
    cells = np.repeat(np.array(owners, dtype=np.int64), lengths) * width + pairs["bin"]
    # Float weights are exact for counts far below 2**53.
    summed = np.bincount(cells, weights=pairs["n"], minlength=len(groups) * width)
    return summed.astype(np.int64).reshape(len(groups), width)


def percentile_bins(counts, ps):
    """Nearest rank: for each p, the bin holding the ceil(p·n)-th smallest value (None when
    empty), from one running sum."""
    running = np.cumsum(counts)
    n = int(running[-1]) if len(running) else 0
    if not n:
        return [None] * len(ps)
    return [int(np.searchsorted(running, max(1, int(np.ceil(p * n))))) for p in ps]
