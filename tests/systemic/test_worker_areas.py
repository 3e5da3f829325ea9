"""Early warning per category x area: a spike in one kelurahan is found for its kecamatan
even when the category's unit-wide count stays unremarkable, with the area in the
evidence and on the oversight page; a flat history in every area stays quiet."""

import json

import pytest
from django.forms.models import model_to_dict

from systemic import worker
from systemic.models import EarlyWarning, WarningKind

from .conftest import NOW

pytestmark = pytest.mark.django_db
IN = {"alpha": {"area": "10.1"}, "gamma": {"area": "20.1"}}


def spikes():
    return list(EarlyWarning.objects.filter(kind=WarningKind.SPIKE))


def test_a_spike_in_one_kelurahan_is_found_for_its_kecamatan(city, areas, history):
    # 3 a week in each kecamatan for 20 weeks; this week 3 in Selatan and 11 in Alpha (Utara).
    history(weeks=20, weekly=3, recent=3, seed=1, **IN["gamma"])
    recent = history(weeks=20, weekly=3, recent=11, seed=2, **IN["alpha"])

    worker.run_due(now=NOW)

    [warning] = spikes()  # 14 against 6 city-wide is not unusual enough; 11 against 3 in Utara is
    assert warning.dimensions == {"category": city["roads_cat"].pk, "area": areas["utara"].pk}
    assert warning.series_key == f"category+area:category={city['roads_cat'].pk}|area={areas['utara'].pk}"
    assert warning.area_ids == [areas["utara"].pk] and warning.unit_ids == []
    assert warning.area_counts == {str(areas["alpha"].pk): 11}
    assert warning.observed == 11 and 2 < warning.expected < 4.5
    assert sorted(warning.complaint_codes) == sorted(c.tracking_code for c in recent)


def test_flat_histories_in_every_area_stay_quiet(city, areas, history):
    history(weeks=20, weekly=3, recent=3, seed=1, **IN["gamma"])
    history(weeks=20, weekly=3, recent=4, seed=2, **IN["alpha"])
    worker.run_due(now=NOW)
    assert spikes() == []


def test_the_oversight_page_names_the_kecamatan_and_the_kelurahan(client, city, people, areas, history):
    history(weeks=20, weekly=3, recent=11, seed=2, **IN["alpha"])
    worker.run_due(now=NOW)
    warning = EarlyWarning.objects.get(series_key__startswith="category+area")
    client.force_login(people["oversight"])
    listing = client.get("/staff/systemic/").content.decode()
    assert "Kecamatan Utara" in listing
    page = client.get(f"/staff/systemic/warnings/{warning.pk}/").content.decode()
    assert "Utara" in page.split('id="warning-area"')[1].split("</dd>")[0]
    assert "Alpha, Utara: 11" in page.split('id="warning-area-counts"')[1].split("</dd>")[0]


def test_an_area_warning_holds_no_personal_data(city, areas, history):
    history(weeks=10, weekly=1, recent=8, reporter_name="Bambang Sutrisno", reporter_email="bambang@example.com",
            reporter_phone="0813-9999-1234", address="Jl. Kenari 7 rumah Pak Bambang", **IN["alpha"])
    worker.run_due(now=NOW)
    warnings = list(EarlyWarning.objects.filter(series_key__startswith="category+area"))
    assert warnings
    stored = json.dumps([model_to_dict(w) for w in warnings], default=str).lower()
    for personal in ("bambang", "sutrisno", "example.com", "0813", "kenari"):
        assert personal not in stored
