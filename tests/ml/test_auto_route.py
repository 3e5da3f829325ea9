"""Auto-routing at the precision each model version measured out of sample
(ROUTER_AUTO_ROUTE_PRECISION) beside the fixed ROUTER_AUTO_ROUTE_THRESHOLD."""

from types import SimpleNamespace

import pytest

from complaints.suggestions import auto_route_threshold, automatic_actions
from ml import router, store
from ml.pipeline import AUTO_ROUTE_GRID, thresholds_by_precision, train

pytestmark = pytest.mark.django_db

THRESHOLDS = {f"{p:.2f}": round(0.5 + (p - 0.8) * 2, 2) for p in AUTO_ROUTE_GRID}  # 0.95 -> 0.80
THRESHOLDS["0.99"] = None  # never reached by this version


@pytest.fixture
def active(model_dir, examples, settings):
    settings.ROUTER_AUTO_ROUTE_THRESHOLD = None
    settings.ROUTER_AUTO_ROUTE_PRECISION = None
    return store.save_version(train(*examples), n_samples=60, activate=True, thresholds=THRESHOLDS)


def complaint(probability, sensitive=False):
    return SimpleNamespace(category=SimpleNamespace(sensitive=sensitive), suggested_units=[["PDAM", probability]])


def test_the_version_threshold_for_the_precision_is_used(active, settings):
    settings.ROUTER_AUTO_ROUTE_PRECISION = 0.95
    assert auto_route_threshold() == pytest.approx(0.80)
    assert automatic_actions(complaint(0.81)) == [("triage", {"unit": "PDAM", "auto": True})]
    assert automatic_actions(complaint(0.79)) == []


def test_a_precision_between_grid_points_uses_the_stricter_one(active, settings):
    settings.ROUTER_AUTO_ROUTE_PRECISION = 0.945
    assert router.threshold_for_precision(0.945) == pytest.approx(0.80)


def test_with_both_settings_the_higher_threshold_wins(active, settings):
    settings.ROUTER_AUTO_ROUTE_PRECISION = 0.95  # 0.80
    settings.ROUTER_AUTO_ROUTE_THRESHOLD = 0.9
    assert auto_route_threshold() == pytest.approx(0.9)
    assert automatic_actions(complaint(0.85)) == []
    settings.ROUTER_AUTO_ROUTE_THRESHOLD = 0.7
    assert auto_route_threshold() == pytest.approx(0.80)


def test_a_precision_the_model_never_reached_turns_auto_routing_off(active, settings):
    settings.ROUTER_AUTO_ROUTE_PRECISION = 0.99
    settings.ROUTER_AUTO_ROUTE_THRESHOLD = 0.5
    assert auto_route_threshold() is None
    assert automatic_actions(complaint(0.999)) == []


def test_the_fixed_threshold_keeps_its_meaning_alone(active, settings):
    settings.ROUTER_AUTO_ROUTE_THRESHOLD = 0.6
    assert automatic_actions(complaint(0.6)) == [("triage", {"unit": "PDAM", "auto": True})]
    assert automatic_actions(complaint(0.59)) == []


def test_without_a_model_there_is_no_precision_threshold(model_dir, settings):
    settings.ROUTER_AUTO_ROUTE_THRESHOLD = None
    settings.ROUTER_AUTO_ROUTE_PRECISION = 0.95
    assert auto_route_threshold() is None


def test_thresholds_are_chosen_on_out_of_fold_predictions():
    confidences = [0.99, 0.95, 0.9, 0.8, 0.7, 0.6, 0.5]
    correct = [True, True, True, True, False, True, False]
    chosen = thresholds_by_precision(confidences, correct)
    assert chosen["0.95"] == 0.8 and chosen["0.80"] == 0.6 and set(chosen) == {f"{p:.2f}" for p in AUTO_ROUTE_GRID}


def test_train_router_stores_the_thresholds_with_the_version(example_csv, model_dir):
    from django.core.management import call_command

    call_command("train_router", "--csv", str(example_csv), "--text-column", "isi", "--label-column", "unit")
    version = router.active_version()
    sidecar = store.read_sidecar(version)
    assert set(sidecar["auto_route_thresholds"]) == {f"{p:.2f}" for p in AUTO_ROUTE_GRID}
    assert sidecar["metrics"]["coverage_cross_fitted"]["0.95"]["coverage"] >= 0
    assert store.active_thresholds() == sidecar["auto_route_thresholds"]
