import datetime as dt
import random

import pytest
from django.utils import timezone

from ..conftest import submit

NOW = timezone.make_aware(dt.datetime(2026, 6, 10, 12, 0))

PLACES = ["Jl. Melati", "Jl. Anggrek", "Jl. Mawar", "Jl. Cempaka", "Jl. Dahlia", "Jl. Flamboyan", "Jl. Teratai",
          "Jl. Kamboja", "Jl. Tulip", "Jl. Sakura", "Gang Mangga", "Gang Jambu", "Perum Griya", "Pasar Baru"]
PROBLEMS = ["ada lubang besar", "aspal mengelupas", "jalan retak memanjang", "genangan air setiap hujan",
            "bahu jalan longsor", "marka jalan hilang", "polisi tidur terlalu tinggi", "trotoar rusak parah",
            "jembatan kecil goyang", "gorong-gorong tersumbat"]


def varied_text(rng):
    """A different road complaint each time (so they do not form a text cluster)."""
    return (f"{rng.choice(PROBLEMS).capitalize()} di {rng.choice(PLACES)} RT {rng.randint(1, 12)}",
            f"Warga melaporkan {rng.choice(PROBLEMS)} dan {rng.choice(PROBLEMS)} dekat {rng.choice(PLACES)}, "
            f"sudah {rng.randint(2, 30)} hari. Nomor rumah {rng.randint(1, 200)}.")


@pytest.fixture
def history(city):
    """File road complaints: `weekly` per 7 days over `weeks` weeks before NOW, plus `recent`
    in the last five days. Returns the complaints filed in the last 7 days."""

    def make(weeks=20, weekly=2, recent=0, category="roads_cat", seed=0, **overrides):
        rng = random.Random(seed)
        for week in range(1, weeks + 1):
            for k in range(weekly):
                when = NOW - dt.timedelta(days=7 * week + k * 7 / max(weekly, 1) % 7, hours=1)
                title, description = varied_text(rng)
                submit(city, category=category, title=title, description=description, now=when, **overrides)
        latest = []
        for k in range(recent):
            title, description = varied_text(rng)
            latest.append(submit(city, category=category, title=title, description=description,
                                 now=NOW - dt.timedelta(hours=3 + 9 * k), **overrides).complaint)
        return latest

    return make
