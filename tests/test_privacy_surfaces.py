"""Every surface, every identity value (issue 11, privacy tests).

Reports are filed in every identity mode, through the web form and Open311, plus a
sensitive one, each with its own distinctive identity values (name, e-mail, phone, NIK,
house address, media link, exact point) in the identity fields AND typed into the free
text (title, description, address, answers, ratings). They are driven through triage,
publication, questions and answers, replies, resolution and rating. Then every surface
is searched for every stored identity value:

* public: pages, Open311 JSON and XML (every endpoint), CSV exports, summary.json,
  weekly.json, the transparency log (page and JSON), and the WebSocket messages of the public and every unit's feed (captured
  on channels' in-memory layer), including the hourly count of sensitive activity;
* staff: the pages of those who handle confidential and anonymous reports (triage desk,
  unit officers and supervisors, oversight, its audit page): no identity field, no
  contact detail typed into the text, and for confidential reports not the stored name;
* the log records of the whole run (caplog, every logger, DEBUG and up).

Not searched on handler pages, by design: the house address (the unit needs the place
to do the work; contact details in it are masked) and an anonymous reporter's name typed
into the text (it is stored nowhere, so it cannot be recognised; the report form warns).

The admin (every registered model's pages, as the administrator) is searched like the
handlers' pages. More surfaces plug in through EXTRA_SURFACES: each entry is a
function (client, people, complaints) -> [(label, text)] whose texts are searched for
every value, like the public surfaces.
"""

import asyncio
import datetime as dt
import json
import logging

import pytest
from asgiref.sync import async_to_sync
from channels.layers import channel_layers, get_channel_layer
from django.test import Client
from django.utils import timezone

from complaints.citizen import tokens
from complaints.models import ApiKey, Complaint
from complaints.transparency import anchor
from complaints.lifecycle.engine import perform
from dashboard import live
from routing.models import Unit

from .conftest import CITIZEN, as_staff, publish, submit
from .dashboard.test_live_sensitive import forget_announcements

OPEN311 = "/open311/v2/"
MODES = ("named", "confidential", "anonymous")

# Surfaces added by other work (e.g. the admin pages); see the module docstring.
EXTRA_SURFACES = []


def identity(index, tag):
    """Distinctive values of one reporter: none is a substring of another's."""
    return {
        "name": f"Sekar{tag} Kusumawardani{tag}",
        "email": f"sekar.{tag}@rahasia-pribadi.example",
        "phone": f"0813-77{index:02d}-55{index:02d}",
        "nik": f"33740155078{index:05d}",
        "house": f"Gg. Cempaka{tag} No. {index + 20}",
        "media": f"https://media.rahasia-pribadi.example/{tag}/foto.jpg",
        "lat": f"-6.98{index}654", "lng": f"110.41{index}345",
    }


def free_text(who):
    return {
        "title": f"Jalan rusak, hubungi {who['phone']}",
        "description": (f"Saya {who['name']}, NIK {who['nik']}, email {who['email']}, rumah saya di "
                        f"{who['house']}. Foto: {who['media']}. Ada lubang besar di depan rumah."),
        "address": f"{who['house']}, NIK {who['nik']}, HP {who['phone']}",
    }


@pytest.fixture
def api_key(db):
    return ApiKey.issue("privacy-crawler")[1]


@pytest.fixture
def feeds(settings):
    """Every WebSocket group a browser can join, tapped on channels' in-memory layer."""
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    channel_layers.backends.clear()
    layer = get_channel_layer()
    groups = [live.GROUP_ALL] + [live.unit_group(pk) for pk in Unit.objects.values_list("pk", flat=True)]
    channels = {}
    for group in groups:
        channels[group] = async_to_sync(layer.new_channel)()
        async_to_sync(layer.group_add)(group, channels[group])

    def drain():
        async def receive_all():
            received = []
            for group, channel in channels.items():
                while True:
                    try:
                        received.append((group, await asyncio.wait_for(layer.receive(channel), 0.05)))
                    except asyncio.TimeoutError:
                        break
            return received
        return async_to_sync(receive_all)()

    yield drain
    channel_layers.backends.clear()


def file_on_the_web(city, mode, who, category="JALAN-RUSAK"):
    browser = Client()
    browser.cookies["django_language"] = "id"
    key = f"privacy-{mode}-{category}-{who['nik']}"
    response = browser.post("/report/", {
        "idempotency_key": key, "category": category, "kind": "complaint", **free_text(who),
        "latitude": who["lat"], "longitude": who["lng"], "identity_mode": mode,
        "reporter_name": who["name"], "reporter_email": who["email"], "reporter_phone": who["phone"],
        "visibility": "public",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    return Complaint.objects.get(idempotency_key=tokens.form_key_digest(key))


def file_through_open311(client, api_key, mode, who):
    first, last = who["name"].split()
    text = free_text(who)
    response = client.post(OPEN311 + "requests.json", {
        "api_key": api_key, "service_code": "JALAN-RUSAK", "attribute[identity_mode]": mode,
        "attribute[title]": text["title"], "description": text["description"],
        "address_string": text["address"], "lat": who["lat"], "long": who["lng"],
        "media_url": who["media"], "first_name": first, "last_name": last, "email": who["email"],
        "phone": who["phone"], "device_id": f"device-{who['nik']}",
    })
    assert response.status_code == 201, response.content
    return Complaint.objects.get(tracking_code=response.json()[0]["service_request_id"])


def handle(c, who, people, city, now):
    """Triage, publish, ask, answer, reply, resolve and rate, with identity in the texts
    the citizen writes."""
    triage, officer = as_staff(people["triage"]), as_staff(people["officer_roads"])
    c = perform(c, "triage", triage, unit=city["roads"], now=now)
    c = publish(c, people["triage"], "Lubang di jalan kampung", "Ada lubang besar di jalan kampung.",
                public_location="Kelurahan Cempaka", now=now)
    c = perform(c, "request_info", officer, message="Di depan nomor berapa tepatnya?", now=now)
    c = perform(c, "provide_info", CITIZEN, now=now,
                message=f"Di depan rumah saya, {who['house']}. Telepon saja {who['phone']} atau {who['email']}.")
    c = perform(c, "reply", officer, body="Tim kami memeriksa lokasi besok pagi.", now=now)
    c = perform(c, "start", officer, now=now)
    c = perform(c, "note", officer, body=f"Warga minta dihubungi di {who['phone']}.", now=now)
    c = perform(c, "resolve", officer, outcome="fixed", now=now,
                summary=f"Lubang di depan rumah {who['name']} sudah ditambal.")
    return perform(c, "confirm", CITIZEN, rating=5, comment=f"Terima kasih, {who['name']} ({who['phone']}).",
                   now=now)


def handle_sensitive(c, who, people, now):
    inspector = as_staff(people["oversight"])
    c = perform(c, "start", inspector, now=now)
    c = perform(c, "reply", inspector, body="Laporan Anda kami tindak lanjuti.", now=now)
    return perform(c, "resolve", inspector, outcome="fixed", summary=f"Diperiksa; pelapor {who['name']}.",
                   now=now)


def get_text(client, path):
    response = client.get(path)
    assert response.status_code in (200, 404), (path, response.status_code)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode()


def public_surfaces(client, complaints):
    paths = ["/", "/complaints/", "/complaints/?q=Sekar", "/complaints/?q=lubang", "/dashboard/",
             "/dashboard/api/summary.json?period=365d", "/dashboard/api/weekly.json?period=365d",
             "/dashboard/export/complaints.csv", "/dashboard/export/summary.csv?period=365d",
             "/transparency/", "/transparency/roots.json"]
    paths += [f"/dashboard/units/{code}/" for code in Unit.objects.values_list("code", flat=True)]
    codes = [c.tracking_code for c in complaints]
    paths += [f"/complaints/{code}/" for code in codes]
    open311 = ["discovery.{fmt}", "services.{fmt}", "requests.{fmt}", "requests.{fmt}?status=open,closed",
               f"requests.{{fmt}}?service_request_id={','.join(codes)}"]
    open311 += [f"services/{code}.{{fmt}}" for code in ("JALAN-RUSAK", "PUNGLI", "PUSKESMAS")]
    open311 += [f"requests/{code}.{{fmt}}" for code in codes] + [f"tokens/{code}.{{fmt}}" for code in codes]
    paths += [OPEN311 + path.format(fmt=fmt) for path in open311 for fmt in ("json", "xml")]
    return [(path, get_text(client, path)) for path in paths]


def handler_surfaces(client, people, complaint):
    from django.urls import reverse

    code = complaint.tracking_code
    texts = []
    pages = {
        "triage": [reverse("staff:triage"), reverse("staff:complaint", args=[code])],
        "officer_roads": [reverse("staff:inbox") + "?status=all", reverse("staff:complaint", args=[code])],
        "oversight": [reverse("staff:oversight") + "?list=all", reverse("staff:complaint", args=[code]),
                      reverse("staff:audit", args=[code]), reverse("staff_dashboard:performance")],
        # Pages added with issues 14, 17 and 18: the privacy officer's queue, the templates, the
        # performance page. (The privacy officer's complaint page is not crawled: they are the
        # one role that reads an anonymous report unmasked, permissions.reads_unmasked.)
        "privacy": [reverse("staff:privacy")],
        "supervisor_works": [reverse("staff:inbox") + "?status=all", reverse("staff:complaint", args=[code]),
                             reverse("staff:response_templates"), reverse("staff_dashboard:performance")],
    }
    for role, paths in pages.items():
        client.force_login(people[role])
        for path in paths:
            texts.append((f"{role} {path}", get_text(client, path)))
    client.logout()
    return texts


def admin_surfaces(client):
    """Every page of every registered admin that takes no input beyond a URL (changelists,
    their filters, and the change, history and delete pages of every stored row), as a
    superuser."""
    from django.contrib import admin
    from django.contrib.auth import get_user_model

    from .staff.test_admin_privacy import admin_urls

    client.force_login(get_user_model().objects.create_superuser("root", "root@aduan.example", "pw"))
    texts = []
    for model, model_admin in admin.site._registry.items():
        for path in dict.fromkeys(admin_urls(model, model_admin, client)):
            response = client.get(path, follow=True)
            assert response.status_code in (200, 403, 404), path  # 404: rows an admin hides
            texts.append((f"admin {path}", response.content.decode()))
    client.logout()
    return texts


def assert_none_in(texts, secrets):
    for label, text in texts:
        for secret in secrets:
            assert secret not in text, f"{secret!r} found in {label}"


def test_no_identity_value_reaches_any_surface(client, city, people, api_key, feeds, caplog, settings,
                                              django_capture_on_commit_callbacks):
    settings.CITIZEN_REPORTS_PER_WINDOW = 0
    settings.OPEN311_RATE_LIMIT_IP = settings.OPEN311_RATE_LIMIT_KEY = 0
    forget_announcements()
    caplog.set_level(logging.DEBUG)
    now = timezone.now()
    people_by_code, staff_texts, index = {}, [], 0
    with django_capture_on_commit_callbacks(execute=True):
        for mode in MODES:
            for channel in ("web", "api"):
                index += 1
                who = identity(index, f"{mode[:3]}{channel}")
                c = file_on_the_web(city, mode, who) if channel == "web" else file_through_open311(
                    client, api_key, mode, who)
                people_by_code[c.tracking_code] = (mode, who)
                if mode != "named":
                    staff_texts += handler_surfaces(client, people, c)  # the triage desk, before routing
                handle(c, who, people, city, now)
        index += 1
        who = identity(index, "sensitive")
        c = file_on_the_web(city, "named", who, category="PUNGLI")
        people_by_code[c.tracking_code] = ("confidential", who)  # sensitive: confidential by rule
        handle_sensitive(Complaint.objects.get(pk=c.pk), who, people, now)
        # The next hour's first public event brings the count of the sensitive activity.
        submit(city, now=live._hour_start(now) + dt.timedelta(hours=1, minutes=1))
    messages = feeds()
    assert any(m["event"]["action"] == live.SENSITIVE_SUMMARY for _g, m in messages)
    assert {"filed", "triage", "resolve"} <= {m["event"]["action"] for _g, m in messages}

    complaints = list(Complaint.objects.filter(tracking_code__in=people_by_code))
    assert len(complaints) == 7
    assert sum(1 for c in complaints if c.public_summary_approved_at) == 6
    for c in complaints:  # the handlers' pages once everything has happened
        if people_by_code[c.tracking_code][0] != "named":
            staff_texts += handler_surfaces(client, people, c)

    # Whatever the database holds about the reporters, and the values they typed.
    stored = set()
    for c in complaints:
        mode, who = people_by_code[c.tracking_code]
        stored |= {v for v in (c.reporter_name, c.reporter_email, c.reporter_phone, c.title, c.description,
                               c.address, c.media_url, c.rating_comment) if v}
        stored |= {who["name"], *who["name"].split(), who["email"], who["phone"], who["nik"], who["house"],
                   who["media"], who["lat"], who["lng"]}

    settings.TRANSPARENCY_SIGNING_KEY = "A" * 43 + "="
    assert anchor.publish() is not None  # the transparency log has something to show
    public = public_surfaces(client, complaints)
    public.append(("websocket", json.dumps([m for _g, m in messages], ensure_ascii=False)))
    for surface in EXTRA_SURFACES:
        public += surface(client, people, complaints)
    assert_none_in(public, stored)
    published = [text for label, text in public if label.startswith("/complaints/ADU-")]
    assert sum("Kelurahan Cempaka" in text for text in published) == 6  # the approved place is there

    # Handlers of confidential and anonymous reports (see the docstring for what is shown),
    # and the administrator, who sees no more of them than their handlers.
    admin_texts = admin_surfaces(client)
    assert sum(c.tracking_code in text for c in complaints for _label, text in admin_texts) > 7
    for c in complaints:
        mode, who = people_by_code[c.tracking_code]
        if mode == "named":
            continue
        secrets = {who["email"], who["phone"], who["nik"], who["media"], who["email"].split("@")[0]}
        if mode == "confidential":
            secrets |= {who["name"], *who["name"].split()}
        assert_none_in([(label, text) for label, text in staff_texts if c.tracking_code in text or "triage" in label],
                       secrets)
        assert_none_in(admin_texts, secrets)

    logged = [(f"log {r.name}", r.getMessage() + (r.exc_text or "")) for r in caplog.records]
    assert logged  # the run did log (requests, the worker's view of it)
    assert_none_in(logged, stored)
