"""Erasure of a complaint's personal data and retention (issue 18 items 3 and 6): what the
privacy inventory declares personal under the rule "complaint" is erased from the complaint
and everything linked to it, every dashboard figure stays the same, open complaints and
appeals in progress are never erased, and derived data (router model files) loses the text."""

import datetime as dt
import io
import json
import pickle
import re
from pathlib import Path

import joblib
import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from complaints.erasure import do_erase_personal_data, erasure_plan
from complaints.retention import apply_retention, months_before, run_if_due
from complaints.lifecycle.errors import IllegalTransition, InvalidArguments
from complaints.lifecycle.engine import perform
from complaints.models import Attachment, Complaint
from dashboard.models import ComplaintFact, DailyCount, DurationHistogram, MonthlyCount, OpenCount
from ml import store
from ml.models import RouterVersion
from routing.models import Category
from complaints.permissions import ActorRef

from ..conftest import CITIZEN, as_staff, publish, submit
from .helpers import drive, fresh

RETENTION = ActorRef.system("retention")


def attach(complaint, data=b"%PDF-1.4 secret scan of KTP"):
    attachment = Attachment(complaint=complaint, content_type="application/pdf", size=len(data),
                            original_name="KTP Siti Rahayu.pdf")
    attachment.file.save("upload.pdf", ContentFile(data), save=False)
    attachment.save()
    return attachment


def test_the_plan_comes_from_the_inventory():
    plan = {model._meta.label: (link, fields, delete) for model, link, fields, delete in erasure_plan()}
    link, fields, _delete = plan["complaints.Complaint"]
    assert link is None and {"title", "description", "reporter_name", "reporter_email", "reporter_phone",
                             "reporter_user", "rating_comment", "media_url", "referred_to",
                             "resolution_reference"} <= set(fields)
    assert "public_summary" not in fields and "rating" not in fields and "assignee" not in fields
    assert plan["complaints.Message"] == ("complaint", ("author_user", "body"), False)
    assert plan["complaints.Attachment"][2] and plan["complaints.AccessLink"][2]
    assert "complaints.ReadRecord" not in plan  # staff accounts (rule "account") stay


def test_erasing_an_ended_complaint(city, people, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = str(tmp_path)
    c = drive(submit(city, rating_comment="x").complaint, people, city, "closed")
    attachment = attach(c)
    path = tmp_path / attachment.file.name
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):  # files go once the erasure commits
        counts = do_erase_personal_data(c, acting_user=RETENTION, reason="retention")
    c = fresh(c)
    assert c.personal_data_erased_at is not None
    assert (c.title, c.description, c.reporter_name, c.reporter_email, c.reporter_phone) == ("", "", "", "", "")
    assert c.latitude is None and c.rating == 5 and c.state == "closed" and c.outcome == "fixed"
    assert not Attachment.objects.filter(complaint=c).exists() and not path.exists()
    assert counts["attachment"] == 1 and counts["files"] == 1
    # The erasure's own event, then the redaction of every earlier event's personal part.
    erased, redacted = c.events.order_by("-seq")[1], c.events.order_by("-seq")[0]
    assert erased.action == "erase_personal_data" and erased.data["reason"] == "retention"
    assert redacted.action == "personal_data_erased" and counts["events"] == redacted.data["events"] > 0
    assert "Siti" not in str(erased.data) + str(redacted.data)
    assert not c.events.exclude(personal={}).exists()


def test_open_complaints_and_bad_reasons_are_refused(city, people):
    c = drive(submit(city).complaint, people, city, "in_progress")
    with pytest.raises(IllegalTransition):
        do_erase_personal_data(c, acting_user=RETENTION, reason="retention")
    closed = drive(submit(city).complaint, people, city, "closed")
    with pytest.raises(InvalidArguments):
        do_erase_personal_data(closed, acting_user=RETENTION, reason="Siti asked by phone")
    do_erase_personal_data(closed, acting_user=RETENTION, reason="retention")
    with pytest.raises(InvalidArguments):
        do_erase_personal_data(closed, acting_user=RETENTION, reason="retention")
    assert fresh(c).title and fresh(c).personal_data_erased_at is None


# --- retention over a whole history -----------------------------------------------------
FILLER = ["aspal", "retak", "trotoar", "selokan", "gorong", "marka", "rambu", "lampu", "jembatan", "tikungan"]
CLINIC = ["antrean", "obat", "dokter", "perawat", "loket", "vaksin", "bidan", "rujukan", "resep", "poli"]


class History:
    """Complaints filed 30 months ago in every state; each erasable value carries its tag."""

    def __init__(self, city, people):
        self.city, self.people = city, people
        self.t0 = timezone.now() - dt.timedelta(days=900)
        self.minute = 0
        self.by_tag = {}

    def at(self):
        self.minute += 1
        return self.t0 + dt.timedelta(minutes=self.minute)

    def file(self, tag, category="roads_cat", **extra):
        data = dict(title=f"Laporan {tag}judul jalan", description=f"Keluhan {tag}isi di depan rumah",
                    reporter_name=f"Warga {tag}nama", reporter_email=f"{tag}surel@example.com",
                    reporter_phone=f"0812{len(self.by_tag):04d}{len(self.by_tag) * 7:04d}",
                    address=f"Jalan {tag}alamat 5", **extra)
        c = submit(self.city, category=category, now=self.at(), **data).complaint
        self.by_tag[tag] = c
        return c

    def do(self, c, action, actor, **args):
        return perform(c, action, actor, now=self.at(), **args)

    def officer(self, key="officer_roads"):
        return as_staff(self.people[key])

    def to(self, c, state, unit="roads", officer="officer_roads", tag=""):
        triage = as_staff(self.people["triage"])
        if state == "needs_info":
            return self.do(c, "request_info", triage, message="Di nomor berapa?")
        if state == "rejected":
            return self.do(c, "reject", triage, reason="spam", message="Ini iklan.")
        if state == "withdrawn":
            return self.do(c, "withdraw", CITIZEN, reason=f"Sudah diperbaiki {tag}alasan")
        if c.state == "submitted":
            c = self.do(c, "triage", triage, unit=self.city[unit])
        if state == "triaged":
            return c
        c = self.do(c, "comment", CITIZEN, body=f"Mohon segera {tag}komentar")
        c = self.do(c, "start", self.officer(officer))
        if state == "in_progress":
            return c
        c = self.do(c, "resolve", self.officer(officer), outcome="fixed", summary="Sudah ditangani.")
        if state == "resolved":
            return c
        if state == "appeal":
            return self.do(c, "reopen", CITIZEN, reason=f"Belum beres {tag}banding")
        return self.do(c, "confirm", CITIZEN, rating=4, comment=f"Terima kasih {tag}ulasan")


ERASED = ["zorbclosed", "zorbrejected", "zorbduplicate", "zorbwithdrawn", "zorbsensitive", "zorbconfidential"]
KEPT = ["zorbsubmitted", "zorbneedsinfo", "zorbtriaged", "zorbprogress", "zorbresolved", "zorbappeal",
        "zorbsensitiveopen", "zorbkeepforever"]


@pytest.fixture
def history(city, people, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.ML_MODEL_DIR = tmp_path / "models"
    settings.ROUTER_RECHECK_SECONDS = 0
    store.clear_cache()
    Category.objects.filter(pk=city["clinic_cat"].pk).update(retention_months=0)
    h = History(city, people)
    original = h.file("zorbsubmitted")
    h.to(h.file("zorbneedsinfo"), "needs_info")
    h.to(h.file("zorbtriaged"), "triaged", tag="zorbtriaged")
    h.to(h.file("zorbprogress"), "in_progress", tag="zorbprogress")
    h.to(h.file("zorbresolved"), "resolved", tag="zorbresolved")
    h.to(h.file("zorbappeal"), "appeal", tag="zorbappeal")
    h.to(h.file("zorbclosed", rating_comment=""), "closed", tag="zorbclosed")
    h.to(h.file("zorbrejected"), "rejected")
    h.do(h.file("zorbduplicate"), "mark_duplicate", as_staff(people["triage"]), duplicate_of=original.tracking_code)
    h.to(h.file("zorbwithdrawn"), "withdrawn", tag="zorbwithdrawn")
    h.to(h.file("zorbsensitive", category="bribe_cat"), "closed", officer="oversight", tag="zorbsensitive")
    h.file("zorbsensitiveopen", category="bribe_cat")
    h.to(h.file("zorbconfidential", identity_mode="confidential"), "closed", tag="zorbconfidential")
    h.to(h.file("zorbkeepforever", category="clinic_cat"), "closed", unit="health", officer="officer_health",
         tag="zorbkeepforever")
    for tag in ("zorbclosed", "zorbsubmitted"):
        attach(h.by_tag[tag], data=f"%PDF-1.4 {tag}berkas".encode())
    # Enough routed examples of two units for the router to learn from the database.
    for i, word in enumerate(FILLER):
        c = submit(city, now=h.at(), title=f"Jalan {word} rusak", description=f"Ada {word} {FILLER[i - 1]} rusak").complaint
        h.do(c, "triage", as_staff(people["triage"]), unit=city["roads"])
    for i, word in enumerate(CLINIC):
        c = submit(city, category="clinic_cat", now=h.at(), title=f"Puskesmas {word} lama",
                   description=f"Layanan {word} {CLINIC[i - 1]} lambat").complaint
        h.do(c, "triage", as_staff(people["triage"]), unit=city["health"])
    call_command("train_router", stdout=io.StringIO())
    yield h
    store.clear_cache()


def database_text():
    """Every row of every table as text (all columns: what a database dump would hold)."""
    found = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            found[table] = "\n".join(repr(row) for row in sorted(cursor.fetchall(), key=repr))
    return found


def folder_bytes(path):
    """Every file under `path`, model files unpickled (joblib compresses them)."""
    found = {}
    for file in sorted(Path(path).rglob("*")):
        if file.is_file():
            data = file.read_bytes()
            if file.suffix == ".joblib":
                data += pickle.dumps(joblib.load(file))
            found[str(file)] = data
    return found


def originals(h, tags):
    """{tag: [every value erasure must remove]}, read back as stored."""
    values = {}
    for tag in tags:
        c = fresh(h.by_tag[tag])
        values[tag] = [c.title, c.description, c.reporter_name, c.reporter_email, c.reporter_phone,
                       c.address, f"{tag}komentar", f"{tag}ulasan"] if tag not in ("zorbrejected", "zorbduplicate",
                                                                                     "zorbwithdrawn") \
            else [c.title, c.description, c.reporter_name, c.reporter_email, c.reporter_phone, c.address]
    return values


def figures(client, h):
    cache.clear()
    rollups = {model.__name__: list(model.objects.order_by("pk").values())
               for model in (ComplaintFact, DailyCount, MonthlyCount, DurationHistogram, OpenCount)}
    start = (h.t0 - dt.timedelta(days=1)).date().isoformat()
    response = client.get(f"/dashboard/api/summary.json?start={start}&end={timezone.localdate().isoformat()}")
    assert response.status_code == 200, response.content
    summary = json.dumps(response.json(), sort_keys=True)
    # The moment the backlog was read is the only thing allowed to differ.
    return rollups, re.sub(r'"as_of": "[^"]*"', '"as_of": ""', summary)




def test_retention_erases_ended_complaints_only_and_keeps_every_figure(history, client, settings,
                                                                       django_capture_on_commit_callbacks):
    h = history
    erased_values, kept_values = originals(h, ERASED), originals(h, ["zorbsubmitted", "zorbappeal", "zorbkeepforever"])
    before_db, before_media, before_models = database_text(), folder_bytes(settings.MEDIA_ROOT), \
        folder_bytes(settings.ML_MODEL_DIR)
    before_figures = figures(client, h)
    assert any(b"zorbclosedjudul" in data for data in before_models.values()), "the router learned the word"
    assert any(b"zorbclosedberkas" in data for data in before_media.values())
    old_versions = set(RouterVersion.objects.values_list("version", flat=True))

    out = io.StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    assert "6 complaints would have their personal data erased" in out.getvalue()
    assert "1 router versions would be replaced" in out.getvalue()
    assert database_text() == before_db and folder_bytes(settings.ML_MODEL_DIR) == before_models
    assert folder_bytes(settings.MEDIA_ROOT) == before_media

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):  # the files go after each erasure commits
        call_command("apply_retention", stdout=out)
    assert "6 of 6 complaints due had their personal data erased" in out.getvalue()
    assert "1 version trained, 1 older versions deleted" in out.getvalue()

    # Erased: the ended complaints past their period; kept: open ones, the appeal in
    # progress, the resolved one waiting for the citizen, the category that keeps (0).
    erased = set(Complaint.objects.filter(personal_data_erased_at__isnull=False).values_list("pk", flat=True))
    assert erased == {h.by_tag[tag].pk for tag in ERASED}
    assert figures(client, h) == before_figures

    after_db = database_text()
    dump = "\n".join(text for table, text in after_db.items())
    for tag, values in erased_values.items():
        for value in values:
            assert value and value not in dump, (tag, value)
    for tag, values in kept_values.items():  # the search does find what is still held
        assert all(value in dump for value in values[:6]), tag
    media = b"".join(folder_bytes(settings.MEDIA_ROOT).values())
    assert b"zorbclosedberkas" not in media and b"zorbsubmittedberkas" in media
    models_now = folder_bytes(settings.ML_MODEL_DIR)
    assert models_now and not any(b"zorbclosed" in data for data in models_now.values())
    assert any(b"zorbtriagedjudul" in data for data in models_now.values())  # the kept text is learned
    versions = list(RouterVersion.objects.all())
    assert len(versions) == 1 and versions[0].is_active and versions[0].version not in old_versions

    c = fresh(h.by_tag["zorbclosed"])
    assert c.public_summary == "" and c.rating == 4 and c.outcome == "fixed" and c.closed_at is not None
    call_command("verify_audit", stdout=io.StringIO())  # the erasure is a sealed event of the chain

    # A second pass finds nothing to do and changes nothing.
    out = io.StringIO()
    call_command("apply_retention", stdout=out)
    assert "0 of 0 complaints due" in out.getvalue() and "0 older versions deleted" in out.getvalue()
    assert database_text() == after_db and folder_bytes(settings.ML_MODEL_DIR) == models_now


def ended_long_ago(city, people, **extra):
    """A complaint closed 30 months ago (every step dated then)."""
    h = History(city, people)
    return fresh(h.to(h.file("zorbold", **extra), "closed", tag="zorbold")), h


def worker_pass():
    # One pass of the loop's work (the loop itself closes stale connections, which a test
    # transaction on PostgreSQL does not survive).
    from complaints.management.commands.run_worker import Command

    Command(stdout=io.StringIO()).one_pass({"sweep_interval": 60.0, "once": True}, 0.0)


def test_the_worker_applies_retention_once_a_day(city, people):
    cache.clear()
    c, _h = ended_long_ago(city, people)
    worker_pass()
    assert fresh(c).personal_data_erased_at is not None and fresh(c).reporter_name == ""
    assert event_actions(c)[-2:] == [("erase_personal_data", "system", "retention"),
                                     ("personal_data_erased", "system", "retention")]
    other, _h = ended_long_ago(city, people)
    worker_pass()  # today's pass has run
    assert fresh(other).personal_data_erased_at is None
    tomorrow = timezone.now() + dt.timedelta(days=1)
    assert run_if_due(tomorrow)["erased"] == 1 and fresh(other).personal_data_erased_at is not None


def event_actions(c):
    return list(c.events.order_by("seq").values_list("action", "actor_type", "actor_label"))


def test_the_period_is_the_category_s_and_counts_from_the_end(city, people):
    c, h = ended_long_ago(city, people)
    Category.objects.filter(pk=city["roads_cat"].pk).update(retention_months=36)
    assert apply_retention()["due"] == 0
    # Thirty months after it ended, a 30-month period is over; a day earlier it was not.
    ended = fresh(c).closed_at
    assert apply_retention(now=months_before(ended, -36) - dt.timedelta(days=1), dry_run=True)["due"] == 0
    assert apply_retention(now=months_before(ended, -36) + dt.timedelta(days=1), dry_run=True)["due"] == 1
    Category.objects.filter(pk=city["roads_cat"].pk).update(retention_months=0)  # keep for ever
    assert apply_retention(now=timezone.now() + dt.timedelta(days=36500))["due"] == 0
    assert fresh(c).personal_data_erased_at is None


def test_a_complaint_reopened_after_it_was_found_is_skipped(city, people, monkeypatch):
    from complaints import retention

    c, h = ended_long_ago(city, people)
    found = retention.Retention.find_due

    def reopened_meanwhile(self):
        candidates = found(self)
        perform(c, "reopen_on_appeal", as_staff(people["oversight"]), reason="Banding diterima")
        return candidates

    monkeypatch.setattr(retention.Retention, "find_due", reopened_meanwhile)
    counts = apply_retention()
    assert counts["due"] == 1 and counts["erased"] == 0 and counts["skipped"] == 1
    assert fresh(c).reporter_name and fresh(c).personal_data_erased_at is None


def test_months_before_keeps_to_the_calendar():
    at = dt.datetime(2026, 3, 31, 12, tzinfo=dt.timezone.utc)
    assert months_before(at, 1) == dt.datetime(2026, 2, 28, 12, tzinfo=dt.timezone.utc)
    assert months_before(at, 24) == dt.datetime(2024, 3, 31, 12, tzinfo=dt.timezone.utc)
    assert months_before(at, 14) == dt.datetime(2025, 1, 31, 12, tzinfo=dt.timezone.utc)
    assert months_before(at, -11) == dt.datetime(2027, 2, 28, 12, tzinfo=dt.timezone.utc)


def test_the_admin_edits_a_category_s_retention_period(city, people, client):
    admin = people["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    category = city["clinic_cat"]
    page = client.get(f"/admin/routing/category/{category.pk}/change/")
    assert page.status_code == 200 and b'name="retention_months"' in page.content
    form = {"code": category.code, "name_id": category.name_id, "name_en": category.name_en,
            "default_unit": category.default_unit_id, "sla_policy": category.sla_policy_id,
            "resolution_class": category.resolution_class, "active": "on",
            "resolution_evidence": "none", "verification_target_days": "2"}
    for bad in ("-1", "abc", "99999999"):
        response = client.post(f"/admin/routing/category/{category.pk}/change/", {**form, "retention_months": bad})
        assert response.status_code == 200 and Category.objects.get(pk=category.pk).retention_months == 24
    response = client.post(f"/admin/routing/category/{category.pk}/change/", {**form, "retention_months": "60"})
    assert response.status_code == 302 and Category.objects.get(pk=category.pk).retention_months == 60


def test_after_erasure_pages_show_what_was_kept_and_the_old_key_opens_nothing(city, people, client):
    from django.test import Client
    from django.urls import reverse

    filed = submit(city)
    c = drive(filed.complaint, people, city, "closed")
    publish(c, people["triage"], title="Jalan diperbaiki", summary="Lubang di ruas jalan kota sudah ditambal.")
    do_erase_personal_data(c, acting_user=RETENTION, reason="retention")
    visitor = Client()
    response = visitor.post("/track/", {"code": c.tracking_code, "token": filed.token})
    assert response.status_code != 302 and visitor.get(f"/track/{c.tracking_code}/").status_code == 404
    public = Client().get(f"/complaints/{c.tracking_code}/")
    assert public.status_code == 200 and "sudah ditambal" in public.content.decode()
    client.force_login(people["triage"])
    page = client.get(reverse("staff:complaint", args=[c.tracking_code]))
    html = page.content.decode()
    assert page.status_code == 200 and "Siti Rahayu" not in html and "0812-3456-7890" not in html
    assert "Merdeka" not in html


def test_only_the_system_may_erase_for_now(city, people):
    # The privacy officer's erasure on request (issue 18 item 4) adds its rule to the action.
    from complaints.lifecycle.errors import NotPermitted

    c = drive(submit(city).complaint, people, city, "closed")
    for user in ("privacy", "admin", "triage"):
        with pytest.raises(NotPermitted):
            do_erase_personal_data(c, acting_user=people[user], reason="request")
    with pytest.raises(NotPermitted):
        do_erase_personal_data(c, acting_user=CITIZEN, reason="request")
    assert fresh(c).personal_data_erased_at is None and fresh(c).reporter_name == "Siti Rahayu"
    with pytest.raises(InvalidArguments):
        do_erase_personal_data(c, acting_user=RETENTION, reason="retention\x00" + "x" * 100000)


def test_a_chain_never_re_sealed_is_skipped_and_the_pass_goes_on(city, people):
    """complaints.redaction refuses a chain with events sealed before the split: that
    complaint is skipped (nothing of it erased), the others are erased, nothing crashes."""
    from complaints.models import Event

    first, _h = ended_long_ago(city, people)
    second, _h = ended_long_ago(city, people)
    Event.objects.filter(complaint=first, seq=1).update(personal_hash=None)
    counts = apply_retention()
    assert (counts["erased"], counts["skipped"]) == (1, 1)
    assert fresh(first).personal_data_erased_at is None and fresh(first).reporter_name == "Warga zorboldnama"
    assert fresh(second).personal_data_erased_at is not None


def test_an_erasure_between_daily_passes_replaces_the_router_versions_within_minutes(history, settings):
    from complaints.retention import ROUTER_CHECK_KEY, replace_stale_router_versions

    h = history
    old = set(RouterVersion.objects.values_list("version", flat=True))
    assert any(b"zorbclosedjudul" in data for data in folder_bytes(settings.ML_MODEL_DIR).values())
    cache.delete(ROUTER_CHECK_KEY)
    assert replace_stale_router_versions() is None  # nothing erased yet: nothing to replace
    do_erase_personal_data(h.by_tag["zorbclosed"], acting_user=RETENTION, reason="request")
    assert replace_stale_router_versions() is None  # checked a moment ago: not again so soon
    cache.delete(ROUTER_CHECK_KEY)
    counts = replace_stale_router_versions()
    assert counts["router_versions_deleted"] == len(old)
    assert not set(RouterVersion.objects.values_list("version", flat=True)) & old
    assert not any(b"zorbclosed" in data for data in folder_bytes(settings.ML_MODEL_DIR).values())


def test_an_erased_complaint_is_not_reopened(city, people):
    from complaints.lifecycle.errors import TransitionError

    c, _h = ended_long_ago(city, people)
    do_erase_personal_data(c, acting_user=RETENTION, reason="retention")
    with pytest.raises(TransitionError):
        perform(fresh(c), "reopen_on_appeal", as_staff(people["oversight"]), reason="Banding diterima")
    assert fresh(c).state == "closed"


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="the search vectors are PostgreSQL's (SQLite searches with icontains, no index)")
def test_the_search_vectors_hold_no_lexeme_of_erased_text(city, people):
    """PostgreSQL's full-text index is built from PUBLIC_TEXT_SQL (the approved public title
    and summary, which erasure keeps): the vector of an erased complaint holds the public
    words and none of the citizen's, before and after the erasure."""
    from complaints.models import PUBLIC_TEXT_SQL

    c, h = ended_long_ago(city, people)
    publish(c, people["triage"], title="Jalan diperbaiki", summary="Lubang di ruas jalan kota sudah ditambal.")

    def lexemes():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT tsvector_to_array({PUBLIC_TEXT_SQL}) FROM complaints_complaint WHERE id = %s",
                           [c.pk])
            return set(cursor.fetchone()[0])

    before = lexemes()
    do_erase_personal_data(c, acting_user=RETENTION, reason="retention")
    after = lexemes()
    assert after == before and {"ditambal", "lubang"} <= after
    citizen_words = {"zorboldjudul", "zorboldisi", "zorboldnama", "zorboldalamat", "zorboldsurel"}
    assert not any(word in lexeme for word in citizen_words for lexeme in before | after)
