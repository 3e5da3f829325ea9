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
