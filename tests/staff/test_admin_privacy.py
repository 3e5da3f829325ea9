"""Nothing in the Django admin reveals what the staff pages hide.

An administrator signs in and opens every page of every registered admin (index, app
pages, changelists with every filter link and searches, add, change, history, delete and
password pages of every stored object, the autocomplete endpoint); no page may contain
any stored identity value of a confidential or anonymous reporter (name, e-mail, phone,
account), nor the contact data typed into the free text of an abuse-of-power complaint.
"""

import re
from html import unescape

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.urls import NoReverseMatch, reverse

from complaints import outbox
from complaints.lifecycle.filing import file_complaint
from complaints.models import Attachment, Complaint, Notification, ReadRecord
from complaints.permissions import ActorRef
from complaints.lifecycle.engine import perform
from routing.models import Category, Unit

from .helpers import as_staff, drive, fresh, submit

# What a confidential reporter with an account gave.
CONFIDENTIAL = {"reporter_name": "Wulandari Prameswari", "reporter_email": "rahasia.wulandari@contoh.id",
                "reporter_phone": "0857-1122-3344"}
# What an anonymous reporter typed (name and phone are never stored; the e-mail waits for
# its one receipt in the outbox).
ANONYMOUS = {"reporter_name": "Bagus Tanpanama", "reporter_email": "saksi.tanpanama@contoh.id",
             "reporter_phone": "0896-4455-6677"}
# An abuse-of-power reporter (filed as named: made confidential by rule), with an account.
WHISTLEBLOWER = {"reporter_name": "Hendra Kusumawardhana", "reporter_email": "hendra.kusuma@contoh.id",
                 "reporter_phone": "0813-2468-1357"}
# Contact data typed into the free text of the abuse-of-power complaint.
FREE_TEXT_CONTACT = ["korban.pungli@contoh.id", "0812-9999-0000", "3374011203850001",
                     "0821-3030-4040", "3374022304910002", "https://foto.contoh.id/bukti/77.jpg"]


def account(email, first, last):
    return User.objects.create_user(username=email, email=email, password="pw", first_name=first,
                                    last_name=last)


def file(data, city, user=None, **extra):
    base = {"category": city["roads_cat"], "title": "Jalan rusak",
            "description": "Jalan di depan pasar rusak parah sejak bulan lalu.", "visibility": "private",
            "address": "Jl. Pasar 3", "latitude": "-7.25", "longitude": "110.40"}
    return file_complaint({**base, **data, **extra}, user=user)


@pytest.fixture
def stored(city, people, settings, tmp_path):
    """Complaints in every identity mode, with events, messages, notifications, reads and
    attachments; returns the identity values that must appear nowhere."""
    settings.MEDIA_ROOT = tmp_path
    triage, inspector = as_staff(people["triage"]), as_staff(people["oversight"])
    root = User.objects.create_superuser("root", "root@aduan.example", "pw")

    # A confidential reporter with an account, routed and handled by the roads unit.
    wulan = account(CONFIDENTIAL["reporter_email"], "Wulandari", "Prameswari")
    c1 = file({**CONFIDENTIAL, "identity_mode": "confidential"}, city, user=wulan).complaint
    c1 = perform(c1, "triage", triage, unit=city["roads"])
    c1 = perform(c1, "request_info", as_staff(people["officer_roads"]), message="Di RT berapa?")
    c1 = perform(c1, "provide_info", ActorRef.citizen(), message="RT 03, dekat pos ronda.")
    photo = Attachment(complaint=c1, content_type="image/jpeg", size=3,
                       original_name="KTP_Wulandari_Prameswari.jpg")
    photo.file.save("x.jpg", ContentFile(b"jpg"), save=True)

    # An anonymous reporter whose receipt is still in the outbox, and one already sent.
    c2 = file({**ANONYMOUS, "identity_mode": "anonymous"}, city).complaint
    c2 = perform(c2, "triage", triage, unit=city["health"])
    c3 = file({**ANONYMOUS, "reporter_email": "terkirim.tanpanama@contoh.id", "identity_mode": "anonymous"},
              city).complaint
    outbox.send_pending()  # every row sent once: anonymous addresses erased ...
    c2b = file({**ANONYMOUS, "identity_mode": "anonymous"}, city).complaint  # ... this one still waits
    assert Notification.objects.filter(complaint=c2b, to_email=ANONYMOUS["reporter_email"]).exists()

    # An abuse-of-power report with contact data in every free-text field.
    hendra = account(WHISTLEBLOWER["reporter_email"], "Hendra", "Kusumawardhana")
    c4 = file({**WHISTLEBLOWER, "identity_mode": "named", "category": city["bribe_cat"],
               "title": "Pungli KTP, hubungi korban.pungli@contoh.id",
               "description": "Petugas minta Rp300.000. Saya di 0812-9999-0000, NIK 3374011203850001.",
               "address": "Jl. Melati 7, HP 0821-3030-4040",
               "media_url": "https://foto.contoh.id/bukti/77.jpg"}, city, user=hendra).complaint
    c4 = perform(c4, "request_info", inspector, message="Kapan kejadiannya?")
    c4 = perform(c4, "provide_info", ActorRef.citizen(), message="Senin. NIK istri saya 3374022304910002.")
    c4 = perform(c4, "note", inspector, body="Pelapor bisa dihubungi di 0812-9999-0000.")
    c4 = perform(c4, "reveal_identity", as_staff(people["privacy"]), reason="Perlu saksi.")
    # An anonymous abuse-of-power report, and one declassified by oversight.
    file({**ANONYMOUS, "reporter_email": "", "identity_mode": "anonymous", "category": city["bribe_cat"]}, city)
    c5 = file({**WHISTLEBLOWER, "reporter_email": "hendra.kedua@contoh.id", "identity_mode": "confidential",
               "category": city["bribe_cat"]}, city, user=hendra).complaint
    perform(fresh(c5), "recategorise", inspector, category="JALAN-RUSAK", reason="Bukan pungli.",
            subject_unit="DPU-JALAN")

    # A named complaint: the control that the crawl does read complaint text.
    named = drive(submit(city, description="Lampu jalan mati total di gang Kenari sejak Jumat.").complaint,
                  people, city, "triaged")
    # Reads of protected complaints, and an escalation alert to staff.
    ReadRecord.record(people["oversight"], fresh(c4), ReadRecord.Page.COMPLAINT)
    outbox.enqueue(kind="staff_escalation_1", to_email="works_supervisor@staff.example",
                   subject="[Aduan] overdue", body="-", complaint=c1)

    secrets = []
    for c in Complaint.objects.exclude(identity_mode="named").select_related("reporter_user"):
        secrets += [c.reporter_name, c.reporter_email, c.reporter_phone]
        if c.reporter_user:
            u = c.reporter_user
            secrets += [u.username, u.email, u.first_name, u.last_name]
    for c in Complaint.objects.exclude(identity_mode="named"):
        secrets += list(Notification.objects.filter(complaint=c).exclude(kind__startswith="staff_")
                        .values_list("to_email", flat=True))
    secrets += [*CONFIDENTIAL.values(), *ANONYMOUS.values(), *WHISTLEBLOWER.values(), *FREE_TEXT_CONTACT,
                "terkirim.tanpanama@contoh.id", "hendra.kedua@contoh.id", "KTP_Wulandari"]
    return {"root": root, "secrets": sorted({s for s in secrets if s}), "named": named,
            "sensitive": fresh(c4)}


def admin_urls(model, model_admin, client):
    """Every page of one registered admin that takes no input beyond a URL."""
    opts = model._meta
    name = f"admin:{opts.app_label}_{opts.model_name}"
    changelist = reverse(f"{name}_changelist")
    urls = [changelist, reverse(f"{name}_add")]
    html = client.get(changelist).content.decode()
    # Every filter link the changelist offers (sorting alone shows the same rows).
    urls += [changelist + unescape(href) for href in set(re.findall(r'href="(\?[^"]*)"', html))
             if not re.fullmatch(r"\?o=[\d.-]*", unescape(href))]
    for obj in model._default_manager.all():  # every stored object, also those the admin hides
        for view in ("change", "history", "delete", "password_change"):
            try:
                urls.append(reverse(f"{name}_{view}", args=[obj.pk]))
            except NoReverseMatch:
                continue
    return urls


def test_the_admin_shows_no_identity_of_confidential_or_anonymous_reporters(client, stored):
    client.force_login(stored["root"])
    secrets = stored["secrets"]
    assert len(secrets) >= 20
    # Fragments of identity values as search terms (shorter than any value, since the page
    # repeats the term): a match would tell the administrator that such a reporter or
    # account exists even with the row masked.
    fragments = ["rahasia", "Wulandar", "tanpanama", "hendr", "0857", "korban", "33740112038"]
    assert not any(secret.lower() in fragment.lower() for secret in secrets for fragment in fragments)
    urls = [reverse("admin:index")]
    urls += [reverse("admin:app_list", args=[label]) for label in
             {m._meta.app_label for m in admin.site._registry}]
    for model, model_admin in admin.site._registry.items():
        urls += admin_urls(model, model_admin, client)
        changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        urls += [f"{changelist}?q={fragment}" for fragment in fragments]
    urls += [reverse("admin:autocomplete") + f"?app_label=routing&model_name=membership&field_name=user&term={t}"
             for t in ["", *fragments]]
    statuses = {}
    for page in dict.fromkeys(urls):
        response = client.get(page, follow=True)
        statuses[page] = response.status_code
        body = response.content.decode()
        for secret in secrets:
            assert secret.lower() not in body.lower(), (page, secret)
        if "?q=" in page and response.context and "cl" in response.context:
            cl = response.context["cl"]
            if cl.model_admin.search_fields:  # a search finds nothing behind any fragment
                assert cl.result_count == 0, page
    # The crawl did read every registered admin, and complaint text where it may.
    assert len(statuses) > 150
    for model in admin.site._registry:
        changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert statuses[changelist] == 200, changelist
    named = client.get(reverse("admin:complaints_complaint_change", args=[stored["named"].pk])).content.decode()
    assert "Lampu jalan mati total di gang Kenari sejak Jumat." in named
    sensitive = client.get(reverse("admin:complaints_complaint_change",
                                   args=[stored["sensitive"].pk])).content.decode()
    assert "Petugas minta Rp300.000. Saya di [phone], NIK [NIK]." in sensitive


def test_the_user_admin_lists_staff_accounts_only(client, stored, people):
    client.force_login(stored["root"])
    changelist = reverse("admin:auth_user_changelist")
    html = client.get(changelist).content.decode()
    assert "roads_officer" in html and "inspector" in html and "triage1" in html
    citizen = User.objects.get(username=CONFIDENTIAL["reporter_email"])
    for view in ("change", "history", "password_change"):
        response = client.get(reverse(f"admin:auth_user_{view}", args=[citizen.pk]), follow=True)
        assert CONFIDENTIAL["reporter_email"] not in response.content.decode()
    assert client.get(changelist + "?q=rahasia").context["cl"].result_count == 0


def test_a_staff_account_is_created_with_its_role(client, stored, city):
    client.force_login(stored["root"])
    add = reverse("admin:auth_user_add")
    refused = client.post(add, {"username": "petugas.baru", "usable_password": "true",
                                "password1": "kata-sandi-Panjang-91", "password2": "kata-sandi-Panjang-91",
                                "unit_role": "officer"})
    assert refused.status_code == 200 and not User.objects.filter(username="petugas.baru").exists()
    response = client.post(add, {"username": "petugas.baru", "usable_password": "true",
                                 "password1": "kata-sandi-Panjang-91", "password2": "kata-sandi-Panjang-91",
                                 "unit": city["roads"].pk, "unit_role": "officer"}, follow=True)
    assert response.status_code == 200
    user = User.objects.get(username="petugas.baru")
    assert user.memberships.get().unit == city["roads"]
    assert "petugas.baru" in response.content.decode()  # its change page opened


def test_outbox_headings_and_lists_mask_the_recipient(client, stored):
    row = Notification.objects.filter(to_email=CONFIDENTIAL["reporter_email"]).first()
    assert row is not None
    assert CONFIDENTIAL["reporter_email"] not in str(row)
    client.force_login(stored["root"])
    html = client.get(reverse("admin:complaints_notification_change", args=[row.pk])).content.decode()
    assert "r•••@•••.id" in html and CONFIDENTIAL["reporter_email"] not in html


def test_an_admin_edit_cannot_declassify_a_category_or_an_oversight_unit(client, stored, city):
    client.force_login(stored["root"])
    bribe = city["bribe_cat"]
    response = client.post(reverse("admin:routing_category_change", args=[bribe.pk]), {
        "code": bribe.code, "name_id": bribe.name_id, "name_en": bribe.name_en,
        "default_unit": city["inspectorate"].pk, "sla_policy": bribe.sla_policy_id,
        "resolution_class": bribe.resolution_class, "active": "on", "keywords": ""})  # sensitive unticked
    assert response.status_code == 200 and "cannot change" in response.content.decode()
    assert Category.objects.get(pk=bribe.pk).sensitive
    unit = city["inspectorate"]
    response = client.post(reverse("admin:routing_unit_change", args=[unit.pk]), {
        "code": unit.code, "name_id": unit.name_id, "name_en": unit.name_en, "kind": "agency",
        "parent": unit.parent_id, "active": "on",
        "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"})
    assert response.status_code == 200 and "oversight unit" in response.content.decode()
    assert Unit.objects.get(pk=unit.pk).is_oversight


def test_an_admin_read_of_a_protected_complaint_is_recorded(client, stored):
    client.force_login(stored["root"])
    c = stored["sensitive"]
    before = ReadRecord.objects.filter(complaint=c, page="admin").count()
    client.get(reverse("admin:complaints_complaint_change", args=[c.pk]))
    assert ReadRecord.objects.filter(complaint=c, page="admin", user=stored["root"]).count() == before + 1
