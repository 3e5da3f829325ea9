"""Duplicate finder: rank candidate complaints by how similar their text is to a new one.

Library code: the caller (complaints.similar) chooses the candidates; this module only
compares texts. Word and character TF-IDF over the normalised text, fitted on the
handful of texts compared, so it needs no trained model."""

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity
from sklearn.pipeline import FeatureUnion

from .text import normalize


def rank(text, candidates, limit=5, min_score=0.15):
    """candidates: [(key, text), ...]. Returns [(key, score)] best first, score in 0..1."""
    candidates = [(key, other) for key, other in candidates if other]
    if not text or not candidates:
        return []
    docs = [normalize(text)] + [normalize(other) for _key, other in candidates]
    vectorizer = FeatureUnion([
        ("word", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)),
        ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 4), sublinear_tf=True)),
    ])
    try:
        matrix = vectorizer.fit_transform(docs)
    except ValueError:  # nothing but stop characters
        return []
    scores = cosine_similarity(matrix[0], matrix[1:]).ravel()
    ranked = sorted(zip((key for key, _t in candidates), scores), key=lambda kv: -kv[1])
    return [(key, round(float(score), 3)) for key, score in ranked[:limit] if score >= min_score]


def find_clusters(texts, threshold=0.45, min_size=5, chunk=1000):
    """Groups of mutually similar texts: [[index, ...], ...], largest first.

    The same word + character TF-IDF as :func:`rank`, fitted on the texts compared. Two
    texts are neighbours when their cosine similarity reaches ``threshold``. Clusters are
    stars, not chains: the text with the most unclaimed neighbours takes them all, then
    the next, so a run of pairwise-similar texts cannot link two unrelated topics. Stars
    smaller than ``min_size`` (the centre included) are not reported.
    """
    import numpy as np
    from scipy.sparse import hstack

    docs = [normalize(t) for t in texts]
    if len(docs) < max(min_size, 2):
        return []
    blocks = []
    for vectorizer in (TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
                       TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 4), sublinear_tf=True)):
        try:
            blocks.append(vectorizer.fit_transform(docs))
        except ValueError:  # nothing but stop characters
            return []
    # Each block has unit rows; halving their sum keeps the cosine in 0..1.
    matrix = (hstack(blocks).tocsr() * np.sqrt(0.5)).astype(np.float32)
    neighbours = []
    for start in range(0, matrix.shape[0], chunk):
        sims = (matrix[start:start + chunk] @ matrix.T).tocsr()
        for row in range(sims.shape[0]):
            lo, hi = sims.indptr[row], sims.indptr[row + 1]
            cols, vals = sims.indices[lo:hi], sims.data[lo:hi]
            me = start + row
            neighbours.append({int(c) for c, v in zip(cols, vals) if v >= threshold and c != me})
    unclaimed = set(range(len(docs)))
    found = []
    while True:
        best, members = None, set()
        for i in unclaimed:
            mine = neighbours[i] & unclaimed
            if best is None or len(mine) > len(members) or (len(mine) == len(members) and i < best):
                best, members = i, mine
        if best is None or len(members) + 1 < min_size:
            break
        cluster = sorted(members | {best})
        found.append(cluster)
        unclaimed -= set(cluster)
    return found
