"""Possible duplicates shown to triage."""

from complaints.similar import similar_open_complaints
from ml.similar import rank

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
