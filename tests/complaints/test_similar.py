"""Possible duplicates shown to triage."""

from complaints.similar import similar_open_complaints
from ml.similar import rank, rank_many

from ..conftest import submit
from .helpers import drive


def test_rank_puts_the_near_copy_first_and_drops_unrelated_text():
    ranked = rank("Jalan berlubang besar di Jl. Merdeka depan SD", [
        ("a", "Lampu taman mati di alun-alun"),
        ("b", "Ada jalan berlubang besar di Jl Merdeka depan SD 3"),
        ("c", "Jalan rusak di Jl. Sudirman"),
    ])
    assert ranked[0][0] == "b" and ranked[0][1] > 0.5
    assert "a" not in [key for key, _score in ranked]


def test_identical_text_scores_one():
    assert rank("air pdam mati", [("x", "Air PDAM mati")]) == [("x", 1.0)]


def test_rank_many_answers_as_rank_does_for_each_text():
    # The triage page ranks a whole page at once (rank_many): same keys, order and scores
    # as ranking each complaint alone, edge cases included (no candidates, empty texts,
    # texts without a word of two letters, ties).
    texts = ["Jalan berlubang besar di Jl. Merdeka depan SD", "Ada jalan berlubang besar di Jl Merdeka",
             "Lampu taman mati di alun-alun", "Lampu jalan mati", "Air PDAM mati sejak pagi", "air pdam mati",
             "Sampah menumpuk di pasar", "sampah pasar belum diangkut", "a", "!!", "", "x y", "12 34",
             "Jalan rusak di Jl. Sudirman", "Jalan rusak di Jl. Sudirman"]
    queries = [(text, [(j, other) for j, other in enumerate(texts) if j != i and (i + j) % 3])
               for i, text in enumerate(texts)]
    queries += [("Jalan rusak", []), ("", [("k", "Jalan rusak")]), ("a", [("k", "b")])]
    assert rank_many(queries) == [rank(text, candidates) for text, candidates in queries]
    assert rank_many(queries, limit=2, min_score=0.3) == [rank(t, c, limit=2, min_score=0.3) for t, c in queries]


def test_similar_open_complaints_same_category_or_nearby_and_open_only(city, people):
    target = submit(city, title="Lubang besar di Jl. Merdeka", description="Lubang besar di Jl. Merdeka depan SD, motor sering jatuh.").complaint
    twin = submit(city, title="Jl. Merdeka berlubang", description="Lubang besar di jalan Merdeka depan SD sudah dua minggu, motor jatuh.").complaint
    closed_twin = drive(submit(city, title="Lubang Jl. Merdeka", description="Lubang besar di Jl. Merdeka depan SD, motor sering jatuh lagi.").complaint, people, city, "closed")
    far_other = submit(city, category="clinic_cat", title="Antrean puskesmas",
                       description="Antrean di puskesmas sangat lama sekali, dokter datang siang.",
                       latitude="-6.2", longitude="106.8").complaint
    found = [c.pk for c, _score in similar_open_complaints(target)]
    assert found[0] == twin.pk
    assert closed_twin.pk not in found and far_other.pk not in found
