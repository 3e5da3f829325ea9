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


def rank_many(queries, limit=5, min_score=0.15):
    """rank() for many texts at once: queries [(text, candidates)], answers [[(key, score)]]
    equal to [rank(text, candidates, limit, min_score) for …]. The triage page ranks 50
    complaints against up to 60 candidates each, mostly the same ones: fitting a TF-IDF per
    complaint analysed the same texts 50 times (800 ms a page). Here each distinct text is
    analysed once into term counts; each ranking then computes the same TF-IDF (smooth idf
    over its own texts, sublinear tf, l2 rows, the two blocks side by side) with sparse
    arithmetic."""
    import numpy as np
    from scipy.sparse import csr_matrix, hstack
    from sklearn.preprocessing import normalize as normalize_rows

    blocks = [TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True).build_analyzer(),
              TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 4), sublinear_tf=True).build_analyzer()]
    vocabularies = [{}, {}]
    rows = {}  # normalised text -> (word row, char row): {term index: count}

    def counted(doc):
        if doc not in rows:
            found = []
            for analyze, vocabulary in zip(blocks, vocabularies):
                counts = {}
                for term in analyze(doc):
                    index = vocabulary.setdefault(term, len(vocabulary))
                    counts[index] = counts.get(index, 0) + 1
                found.append(counts)
            rows[doc] = found
        return rows[doc]

    prepared = []
    for text, candidates in queries:
        candidates = [(key, other) for key, other in candidates if other]
        if not text or not candidates:
            prepared.append(None)
            continue
        docs = [normalize(text)] + [normalize(other) for _key, other in candidates]
        prepared.append(([key for key, _t in candidates], [counted(doc) for doc in docs]))

    def weighted(counts, block):
        """The group's TF-IDF rows of one block (l2-normalised), or None: no terms."""
        width = len(vocabularies[block])
        data, indices, indptr = [], [], [0]
        for row in counts:
            items = row[block]
            indices.extend(items)
            data.extend(items.values())
            indptr.append(len(indices))
        if not indices:
            return None
        matrix = csr_matrix((np.asarray(data, dtype=np.float64), np.asarray(indices, dtype=np.int64), indptr),
                            shape=(len(counts), width))
        df = np.bincount(matrix.indices, minlength=width)
        n = matrix.shape[0]
        idf = np.log((1 + n) / (1 + df)) + 1
        matrix.data = (np.log(matrix.data) + 1) * idf[matrix.indices]
        return normalize_rows(matrix)

    results = []
    for item in prepared:
        if item is None:
            results.append([])
            continue
        keys, counts = item
        parts = [weighted(counts, block) for block in (0, 1)]
        if any(part is None for part in parts):  # TfidfVectorizer: an empty vocabulary
            results.append([])
            continue
        # cosine_similarity's arithmetic without its input checks (a third of the time).
        matrix = normalize_rows(hstack(parts).tocsr())
        scores = (matrix[0] @ matrix[1:].T).toarray().ravel()
        ranked = sorted(zip(keys, scores), key=lambda kv: -kv[1])
        results.append([(key, round(float(score), 3)) for key, score in ranked[:limit] if score >= min_score])
    return results


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
