"""The inventory of personal data (config/privacy.py, each app's privacy.py): complete, every
personal field under a retention rule, and no public surface reading a personal field."""

import contextlib
import copy
import json
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import models

from complaints.lifecycle.engine import perform
from config import privacy
from dashboard import exports

from .conftest import CITIZEN, as_staff, publish, submit

SUSPECT_NAMES = ("name", "email", "phone", "address", "ip", "user", "label", "contact", "handle", "nik")


def project_models():
    """Models of the project's own apps, and the user model they all link to."""
    base = Path(settings.BASE_DIR).resolve()
    # The virtualenv may live inside the project (.venv, as `make install` makes it).
    venv = Path(sys.prefix).resolve()

    def ours(model):
        path = Path(apps.get_app_config(model._meta.app_label).path).resolve()
        return path.is_relative_to(base) and not path.is_relative_to(venv)

    found = [m for m in apps.get_models() if ours(m)]
    return found + [apps.get_model(settings.AUTH_USER_MODEL)]


def test_the_inventory_is_complete():
    assert privacy.problems() == []
    declared = privacy.declarations()
    missing = [m._meta.label for m in project_models() if m._meta.label not in declared]
    assert missing == [], "models without a privacy declaration (add them to their app's privacy.py)"


def looks_personal(field):
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    return (isinstance(field, (models.EmailField, models.GenericIPAddressField, models.FileField,
                               models.TextField, models.JSONField))
            or (field.is_relation and field.related_model is user_model)
            or any(part in SUSPECT_NAMES for part in field.name.split("_")))


def test_models_declared_without_personal_data_have_no_field_that_looks_personal():
    for label, declaration in privacy.declarations().items():
        if declaration.get("not_personal") != "*":
            continue
        suspects = [f.name for f in apps.get_model(label)._meta.get_fields() if f.concrete and looks_personal(f)]
        assert suspects == [], f"{label}: list its fields one by one, personal or not"


def without(label, field):
    """The declarations as if `field` had been added to `label` and nobody declared it."""
    original = privacy.declarations()

    def patched():
        changed = {k: {**v, "personal": dict(v.get("personal", {}))} for k, v in original.items()}
        changed[label]["personal"].pop(field, None)
        changed[label]["not_personal"] = " ".join(n for n in changed[label]["not_personal"].split() if n != field)
        return changed
    return patched


def test_an_undeclared_field_and_a_personal_field_without_a_rule_fail(monkeypatch):
    monkeypatch.setattr(privacy, "declarations", without("complaints.Complaint", "reporter_phone"))
    assert privacy.problems() == ["complaints.Complaint.reporter_phone: not in the inventory "
                                  "(personal, with its rule, or not personal?)"]
    with pytest.raises(CommandError, match="reporter_phone"):
        call_command("privacy_inventory")
    monkeypatch.undo()
    declared = copy.deepcopy(privacy.declarations())
    declared["complaints.Complaint"]["personal"]["reporter_phone"] = ("contact", "")
    declared["complaints.Message"]["personal"]["body"] = ("gossip", "complaint")
    monkeypatch.setattr(privacy, "declarations", lambda: declared)
    found = privacy.problems()
    assert "complaints.Complaint.reporter_phone: no retention rule (got '')" in found
    assert any(p.startswith("complaints.Message.body: unknown kind") for p in found)


def test_the_command_prints_every_personal_field_with_its_rule(capsys):
    call_command("privacy_inventory")
    out = capsys.readouterr().out
    for entry in privacy.personal_fields():
        assert entry.field in out
    assert "reporter_email       contact     complaint" in out
    call_command("privacy_inventory", json=True)
    data = json.loads(capsys.readouterr().out)
    assert {"model": "complaints.Complaint", "field": "reporter_phone", "kind": "contact",
            "rule": "complaint", "note": "", "published": ""} in data["fields"]
    assert all(f["rule"] in data["rules"] for f in data["fields"])


@contextlib.contextmanager
def reads_of_personal_fields():
    """Record every read of a declared personal field on a model instance."""
    read = set()
    patched = []
    for label, declaration in privacy.declarations().items():
        names = set(declaration.get("personal", {}))
        if not names:
            continue
        model = apps.get_model(label)
        original = model.__dict__.get("__getattribute__")
        inherited = model.__getattribute__

        def spy(self, name, _names=names, _label=label, _inherited=inherited):
            if name in _names:
                read.add(f"{_label}.{name}")
            return _inherited(self, name)
        model.__getattribute__ = spy
        patched.append((model, original))
    try:
        yield read
    finally:
        for model, original in patched:
            if original is None:
                del model.__getattribute__
            else:
                model.__getattribute__ = original


@pytest.fixture
def history(city, people):
    """Published complaints that went through replies, resolution and rating, one of each identity mode."""
    made = []
    for mode in ("named", "confidential", "anonymous"):
        extra = {"reporter_name": "", "reporter_phone": ""} if mode == "anonymous" else {}
        c = submit(city, identity_mode=mode, media_url="https://img.example/x.jpg", **extra).complaint
        c = perform(c, "triage", as_staff(people["triage"]), unit=city["roads"])
        c = publish(c, people["triage"])
        officer = as_staff(people["officer_roads"])
        c = perform(c, "start", officer)
        c = perform(c, "reply", officer, body="Kami sudah ke lokasi.")
        c = perform(c, "resolve", officer, outcome="fixed", summary="Lubang sudah ditambal.")
        c = perform(c, "confirm", CITIZEN, rating=5, comment="Terima kasih, Pak Budi.")
        made.append(c)
    return made


PUBLIC_GETS = ["/", "/complaints/", "/dashboard/", "/dashboard/api/summary.json", "/transparency/",
               "/transparency/roots.json", "/open311/v2/requests.json", "/open311/v2/requests.xml",
               "/open311/v2/services.json", "/dashboard/api/weekly.json"]


def test_public_surfaces_read_no_personal_field(history, client, settings):
    from complaints.transparency import anchor
    from dashboard import live

    settings.TRANSPARENCY_SIGNING_KEY = "A" * 43 + "="
    anchor.publish()
    gets = PUBLIC_GETS + [f"/complaints/{c.tracking_code}/" for c in history] + [
        f"/open311/v2/requests/{c.tracking_code}.json" for c in history]
    with reads_of_personal_fields() as read:
        for url in gets:
            assert client.get(url).status_code == 200, url
        for path in ("/dashboard/export/complaints.csv", "/dashboard/export/summary.csv"):
            response = client.get(path)
            assert response.status_code == 200, path
            b"".join(response.streaming_content) if response.streaming else response.content
        for c in history:  # what the WebSocket feed sends
            live.event_for(c, "resolve", "in_progress", "resolved", None)
    # A public surface may read a personal field only where the inventory says how it is
    # published (a rounded point, a unit's public reply); anything else fails here.
    published = privacy.published_fields()
    assert read <= published, sorted(read - published)


def test_the_csv_export_selects_no_personal_field():
    personal = privacy.personal_names("complaints.Complaint")
    assert not set(exports._FIELDS) & personal
    assert not set(exports.COMPLAINT_COLUMNS) & personal
