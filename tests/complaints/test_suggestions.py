"""The classifier inside filing: suggestions stored at filing, automatic routing above the
threshold, and never a non-oversight suggestion for a sensitive complaint."""

import pytest

from complaints.models import State
from complaints.training import training_examples
from ml import pipeline, store

from ..conftest import submit
from .helpers import drive, fresh

ROADS = ["jalan rusak berlubang aspal", "lubang besar di jalan", "aspal jalan mengelupas retak"]
CLINIC = ["puskesmas antre lama dokter", "pelayanan puskesmas lambat", "obat puskesmas habis dokter"]


@pytest.fixture
def model(city, tmp_path, settings):
    settings.ML_MODEL_DIR = tmp_path / "models"
    settings.ROUTER_RECHECK_SECONDS = 0
    store.clear_cache()
    texts = [f"{t} {i}" for t in ROADS for i in range(6)] + [f"{t} {i}" for t in CLINIC for i in range(6)]
    labels = ["DPU-JALAN"] * 18 + ["DINKES"] * 18
    store.save_version(pipeline.train(texts, labels), n_samples=len(texts), activate=True)
    yield
    store.clear_cache()


def test_filing_stores_the_top_units_with_probabilities(model, city):
    c = fresh(submit(city, title="Jalan berlubang", description="Aspal jalan rusak dan berlubang besar sekali").complaint)
    codes = [code for code, _p in c.suggested_units]
    assert codes[0] == "DPU-JALAN"
    assert all(0 <= p <= 1 for _code, p in c.suggested_units)
    assert c.state == State.SUBMITTED  # no automatic routing unless configured


def test_without_a_model_filing_works_and_stores_no_suggestion(city, tmp_path, settings):
    settings.ML_MODEL_DIR = tmp_path / "empty"
    store.clear_cache()
    c = fresh(submit(city).complaint)
    assert c.suggested_units == [] and c.state == State.SUBMITTED


def test_auto_routing_above_the_threshold_is_done_by_the_system(model, city, settings):
    settings.ROUTER_AUTO_ROUTE_THRESHOLD = 0.5
    c = fresh(submit(city, title="Jalan berlubang", description="Aspal jalan rusak dan berlubang besar sekali").complaint)
    assert c.state == State.TRIAGED and c.responsible_unit.code == "DPU-JALAN"
    event = c.events.get(action="triage")
    assert event.actor_type == "system" and event.data["auto"] is True


def test_auto_routing_below_the_threshold_leaves_it_for_triage(model, city, settings):
    settings.ROUTER_AUTO_ROUTE_THRESHOLD = 0.9
    # Words the model has never seen: it is unsure, so a person decides.
    c = fresh(submit(city, title="Pertanyaan umum", description="Saya ingin bertanya tentang sesuatu yang lain").complaint)
    assert c.suggested_units and c.suggested_units[0][1] < 0.9
    assert c.state == State.SUBMITTED


def test_sensitive_complaints_never_get_a_non_oversight_suggestion(model, city, settings):
    settings.ROUTER_AUTO_ROUTE_THRESHOLD = 0.01
    # Text that the model would route to roads, filed under an abuse-of-power category.
    c = fresh(submit(city, category="bribe_cat", title="Pungli proyek jalan",
                     description="Petugas minta uang untuk perbaikan aspal jalan berlubang").complaint)
    assert [code for code, _p in c.suggested_units] == ["INSPEKTORAT"]
    assert c.responsible_unit.code == "INSPEKTORAT"


def test_training_examples_use_the_unit_that_finally_handled_it(city, people):
    from complaints.permissions import ActorRef
    from complaints.lifecycle.engine import perform

    c = drive(submit(city).complaint, people, city, "triaged")
    perform(c, "transfer", ActorRef.staff(people["officer_roads"]), unit=city["health"], reason="salah")
    submit(city, category="bribe_cat")  # sensitive: never a training example
    submit(city)  # not triaged yet: not an example
    examples = list(training_examples())
    assert [unit for _text, unit in examples] == ["DINKES"]


def test_scheduled_retraining_trains_when_due_and_not_before(city, people, tmp_path, settings):
    from ml.models import RouterVersion
    from ml.schedule import retrain_if_due

    settings.ML_MODEL_DIR = tmp_path / "models"
    store.clear_cache()
    from complaints.permissions import ActorRef
    from complaints.lifecycle.engine import perform

    triage = ActorRef.staff(people["triage"])
    for i in range(6):
        perform(submit(city, title=f"Jalan {i}", description=f"Aspal jalan rusak berlubang nomor {i} di RT {i}").complaint,
                "triage", triage, unit=city["roads"])
        perform(submit(city, category="clinic_cat", title=f"Puskesmas {i}",
                       description=f"Antrean puskesmas lama sekali, dokter datang siang {i}").complaint,
                "triage", triage, unit=city["health"])
    settings.ROUTER_RETRAIN_HOURS = 0
    assert retrain_if_due() is False
    settings.ROUTER_RETRAIN_HOURS = 24
    assert retrain_if_due() is True
    assert RouterVersion.objects.filter(is_active=True).count() == 1
    assert retrain_if_due() is False  # the new version is fresh
    store.clear_cache()


def test_refresh_suggestions_fills_the_triage_queue_after_a_first_model(city, tmp_path, settings):
    from django.core.management import call_command

    settings.ML_MODEL_DIR = tmp_path / "models"
    settings.ROUTER_RECHECK_SECONDS = 0
    store.clear_cache()
    waiting = submit(city, title="Jalan berlubang", description="Aspal jalan rusak dan berlubang besar sekali").complaint
    assert fresh(waiting).suggested_units == []
    texts = [f"{t} {i}" for t in ROADS for i in range(6)] + [f"{t} {i}" for t in CLINIC for i in range(6)]
    store.save_version(pipeline.train(texts, ["DPU-JALAN"] * 18 + ["DINKES"] * 18), n_samples=36, activate=True)
    call_command("refresh_suggestions")
    assert fresh(waiting).suggested_units[0][0] == "DPU-JALAN"
    assert fresh(waiting).audit_count == 1  # advice, not an action: no event
    store.clear_cache()
