"""The early-warning detectors as pure functions (no database)."""

import datetime as dt

import numpy as np
import pytest

from ml.similar import find_clusters
from systemic import detection


def poisson_history(rate, weeks, seed=0):
    return np.random.default_rng(seed).poisson(rate, weeks).tolist()


def test_an_injected_spike_is_flagged_with_its_baseline():
    history = poisson_history(6, 60)
    result = detection.spike_test(history, 25)
    assert result.flagged
    assert 4.5 < result.expected < 7.5
    assert result.p_value < 0.001
    assert result.upper <= 25
    assert len(result.fitted) == 60


def test_a_flat_history_stays_quiet():
    # 200 weeks of a constant Poisson rate, each tested against the weeks before it.
    counts = poisson_history(8, 300, seed=1)
    alarms = [t for t in range(100, 300) if detection.spike_test(counts[:t], counts[t]).flagged]
    assert alarms == []


def test_a_yearly_season_is_part_of_the_baseline():
    # Rainy season: twice the complaints every year around the same weeks.
    weeks = np.arange(160)
    rate = 10 * (1 + 0.6 * np.sin(2 * np.pi * weeks / detection.WEEKS_PER_YEAR))
    counts = np.random.default_rng(2).poisson(rate)
    peak = int(np.argmax(rate[104:])) + 104
    seasonal = detection.spike_test(counts[:peak], int(rate[peak]))
    assert not seasonal.flagged  # a usual rainy-season week
    assert "yearly season" in seasonal.method
    assert seasonal.expected > 12


def test_a_past_spike_does_not_raise_the_bar_for_the_next():
    history = poisson_history(5, 40, seed=3)
    history[30] = 40  # an earlier outbreak
    assert detection.spike_test(history, 18).flagged


def test_small_counts_need_the_minimum_and_too_little_history_is_not_tested():
    assert not detection.spike_test([0] * 20, 3, min_count=5).flagged  # 0 -> 3 is unusual but small
    assert detection.spike_test([0] * 20, 5, min_count=5).flagged
    assert detection.spike_test([3, 4, 3], 30) is None


def test_weekly_blocks_add_up_seven_days_ending_on_the_given_day():
    end = dt.date(2026, 3, 15)
    daily = {end - dt.timedelta(days=i): 1 for i in range(21)}
    history, current = detection.weekly_blocks(daily, end, weeks=3)
    assert current == 7 and history == [0, 7, 7]
    assert detection.trim_leading_zeros([0, 0, 2, 0, 1]) == [2, 0, 1]


def test_similar_complaints_cluster_across_wording_and_unrelated_ones_do_not():
    streetlight = [
        "Lampu jalan di Jl. Kenanga padam sejak seminggu, gelap sekali malam hari",
        "lampu jalan jl kenanga mati sudah seminggu gelap",
        "Mohon lampu penerangan jalan di Jl. Kenanga diperbaiki, padam seminggu",
        "Jl Kenanga gelap, lampu jalan padam sejak minggu lalu",
        "Lampu jalan Jl. Kenanga padam, rawan kejahatan malam hari",
        "Penerangan jalan di jalan Kenanga padam sejak seminggu lalu",
    ]
    others = [
        "Sampah menumpuk di pasar induk tidak diangkut tiga hari",
        "Air PDAM keruh di perumahan Griya Asri sejak kemarin",
        "Pelayanan KTP elektronik di kecamatan sangat lambat",
        "Jembatan desa retak dan berbahaya untuk anak sekolah",
        "Antrian puskesmas sangat panjang, dokter datang terlambat",
        "Pohon tumbang menutup jalan setelah hujan deras",
    ]
    clusters = find_clusters(others[:3] + streetlight + others[3:], threshold=0.3, min_size=5)
    assert len(clusters) == 1
    assert set(clusters[0]) <= set(range(3, 3 + len(streetlight)))
    assert len(clusters[0]) >= 5
    assert find_clusters(others, threshold=0.3, min_size=3) == []
    assert find_clusters([], min_size=2) == []


@pytest.mark.parametrize("method", ["glm", "ewma"])
def test_both_baselines_flag_a_tripled_week(method):
    assert detection.spike_test(poisson_history(10, 30, seed=4), 32, method=method).flagged
