"""Response templates (issue 14, item 5): the data migration of the old rejection
templates, the most specific template first, pre-selection by outcome, both languages,
placeholders filled in, bad templates refused, the staff page for supervisors only, and no
reporter identity through a template."""

import importlib
import json

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from complaints.lifecycle.engine import perform
from complaints.models import Complaint, ResponseTemplate, TemplatePlaceholders
from complaints.staff.queries import complaint_page

from ..conftest import as_staff, submit
from .helpers import drive, fresh

MIGRATION = "0014_response_templates"
BEFORE = "0013_reseal_audit"


def template(action="reply", name="T", text_id="Teks {tracking_code}", text_en="Text {tracking_code}", **extra):
    t = ResponseTemplate(name=name, action=action, text_id=text_id, text_en=text_en, **extra)
    t.full_clean()
    t.save()
    return t


def picker_data(html, action):
    start = f'id="templates-{action}" type="application/json">'
    return json.loads(html.split(start)[1].split("</script>")[0])


def textarea(html, element_id):
    return html.split(f'id="{element_id}"')[1].split(">", 1)[1].split("</textarea>")[0]


def staff_url(name, *args):
    return reverse(f"staff:{name}", args=args)


# --- the data migration ---------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_each_rejection_template_into_a_reject_template():
    try:
        check_the_migration()
    finally:  # later tests need every migration
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())


def check_the_migration():
    executor = MigrationExecutor(connection)
    executor.migrate([("complaints", BEFORE)])
    old_apps = executor.loader.project_state([("complaints", BEFORE)]).apps
    RejectTemplate = old_apps.get_model("complaints", "RejectTemplate")
    RejectTemplate.objects.create(reason="spam", text_id="Ini iklan {bukan} pengaduan.", text_en="This is spam.")
    RejectTemplate.objects.create(reason="out_of_scope", text_id="Bukan kewenangan kami.",
                                  text_en="Not ours.", active=False)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([("complaints", MIGRATION)])
    moved = list(ResponseTemplate.objects.order_by("choice"))
    assert [(t.action, t.choice, t.active, t.category_id, t.unit_id) for t in moved] == [
        ("reject", "out_of_scope", False, None, None), ("reject", "spam", True, None, None)]
    spam = moved[1]
    assert spam.name == "Spam"
    # A brace of the old text stays a brace (doubled: it is not a placeholder) and validates.
    assert spam.text_id == "Ini iklan {{bukan}} pengaduan."
    spam.full_clean()
    assert TemplatePlaceholders.fill(spam.text_id, {}) == "Ini iklan {bukan} pengaduan."
    # The old model is gone: one declaration of templates.
    with pytest.raises(LookupError):
        executor.loader.project_state([("complaints", MIGRATION)]).apps.get_model("complaints", "RejectTemplate")



def test_the_migration_function_itself_maps_reason_texts_and_activity():
    """The data-migration function against stand-in historical models."""
    module = importlib.import_module(f"complaints.migrations.{MIGRATION}")
    created = []

    class Old:
        def __init__(self, reason, text_id, text_en, active=True):
            self.reason, self.text_id, self.text_en, self.active = reason, text_id, text_en, active

    class Rows(list):
        def order_by(self, *fields):
            return self

    class OldModel:
        objects = Rows([Old("spam", "a {x}", "b"), Old("other", "c", "d", active=False)])

        class _meta:
            @staticmethod
            def get_field(name):
                return type("F", (), {"choices": [("spam", "Spam"), ("other", "Other")]})

    class NewModel:
        def __init__(self, **kwargs):
            self.__dict__.update(kwargs)

        class objects:
            @staticmethod
            def bulk_create(rows):
                created.extend(rows)

    apps = type("Apps", (), {"get_model": staticmethod(
        lambda app, name: OldModel if name == "RejectTemplate" else NewModel)})
    module.move_reject_templates(apps, None)
    assert [(t.name, t.action, t.choice, t.text_id, t.text_en, t.active) for t in created] == [
        ("Spam", "reject", "spam", "a {{x}}", "b", True), ("Other", "reject", "other", "c", "d", False)]


# --- which template comes first ---------------------------------------------------------
def test_the_most_specific_template_comes_first_and_others_are_not_offered(client, city, people):
    c = drive(submit(city).complaint, people, city, "triaged")  # roads category, DPU-JALAN
    generic = template(name="generic")
    unit_only = template(name="unit", unit=city["roads"])
    category_only = template(name="category", category=city["roads_cat"])
    both = template(name="both", category=city["roads_cat"], unit=city["roads"], text_en="Both {unit}")
    template(name="other category", category=city["clinic_cat"])
    template(name="other unit", unit=city["health"])
    template(name="inactive", category=city["roads_cat"], unit=city["roads"], active=False)
    template(name="another action", action="request_info", category=city["roads_cat"])
    found = ResponseTemplate.objects.for_action("reply", fresh(c))
    assert [t.name for t in found] == ["both", "category", "unit", "generic"]
    assert ResponseTemplate.objects.best_for("reply", fresh(c)) == both
    assert {t.pk for t in found} == {generic.pk, unit_only.pk, category_only.pk, both.pk}
    Complaint.objects.filter(pk=c.pk).update(language="en")
    client.force_login(people["officer_roads"])
    html = client.get(staff_url("complaint", c.tracking_code)).content.decode()
    assert [t["pk"] for t in picker_data(html, "reply")["templates"]] == [t.pk for t in found]
    assert f'<option value="{both.pk}" selected>' in html
    assert textarea(html, "reply-body") == "Both Roads"  # pre-filled, placeholder filled


def test_resolve_preselects_by_the_chosen_outcome_without_javascript(client, city, people):
    c = drive(submit(city).complaint, people, city, "in_progress")
    Complaint.objects.filter(pk=c.pk).update(language="en")
    any_outcome = template("resolve", name="any", text_en="Done for {tracking_code}.")
    fixed = template("resolve", name="fixed", choice="fixed", text_en="Fixed: {tracking_code}.")
    cannot = template("resolve", name="cannot", choice="cannot_fix", text_en="Cannot fix {tracking_code}.")
    cannot_here = template("resolve", name="cannot here", choice="cannot_fix", unit=city["roads"],
                           text_en="Roads cannot fix {tracking_code}.")
    client.force_login(people["officer_roads"])
    page = client.get(staff_url("complaint", c.tracking_code)).content.decode()
    # No outcome chosen yet: the template for any outcome; the outcome is left to the officer.
    assert textarea(page, "resolve-summary") == f"Done for {c.tracking_code}."
    assert f'<option value="{any_outcome.pk}" selected>' in page
    # The officer chooses "cannot be fixed" and presses "Use template" (no JavaScript).
    c = fresh(c)
    base = {"expected_state": c.state, "expected_version": str(c.audit_count), "summary": "", "referred_to": ""}
    # The select still holds what the page pre-selected for no outcome ("any"): as the
    # outcome changed since, the best template for the new outcome is used.
    response = client.post(staff_url("use_template", c.tracking_code, "resolve"),
                           {**base, "outcome": "cannot_fix", "template_for": "", "template": str(any_outcome.pk)})
    html = response.content.decode()
    assert response.status_code == 200
    assert fresh(c).state == "in_progress"  # nothing was done
    assert textarea(html, "resolve-summary") == f"Roads cannot fix {c.tracking_code}."
    assert f'<option value="{cannot_here.pk}" selected>' in html
    assert '<option value="cannot_fix" selected>' in html
    assert '<input type="hidden" name="template_for" value="cannot_fix">' in html
    # Once the page was made for that outcome, a template the officer then picks is used.
    html = client.post(staff_url("use_template", c.tracking_code, "resolve"), {
        **base, "outcome": "cannot_fix", "template_for": "cannot_fix", "template": str(any_outcome.pk)}).content.decode()
    assert textarea(html, "resolve-summary") == f"Done for {c.tracking_code}."
    # "Best match":
    html = client.post(staff_url("use_template", c.tracking_code, "resolve"),
                       {**base, "outcome": "cannot_fix", "template": ""}).content.decode()
    assert textarea(html, "resolve-summary") == f"Roads cannot fix {c.tracking_code}."
    # A template of another outcome than the chosen one: the best for the chosen one instead.
    html = client.post(staff_url("use_template", c.tracking_code, "resolve"),
                       {**base, "outcome": "cannot_fix", "template": str(fixed.pk)}).content.decode()
    assert textarea(html, "resolve-summary") == f"Roads cannot fix {c.tracking_code}."
    # A template chosen with no outcome yet sets its outcome.
    html = client.post(staff_url("use_template", c.tracking_code, "resolve"),
                       {**base, "outcome": "", "template": str(fixed.pk)}).content.decode()
    assert textarea(html, "resolve-summary") == f"Fixed: {c.tracking_code}."
    assert '<option value="fixed" selected>' in html
    # The order for an outcome: that outcome's templates (most specific first), then any.
    assert [t.name for t in ResponseTemplate.objects.for_action("resolve", fresh(c), "cannot_fix")][:3] == [
        "cannot here", "cannot", "any"]
    assert cannot.pk != cannot_here.pk
    # Nor by "Use template" (Enter in the "referred to" line presses it): the text stays.
    html = client.post(staff_url("use_template", c.tracking_code, "resolve"),
                       {**base, "outcome": "cannot_fix", "template": "", "summary": "My own words"}).content.decode()
    assert textarea(html, "resolve-summary") == "My own words"
    assert 'id="resolve-template-kept"' in html
    # An unedited template text is replaced by the one asked for.
    html = client.post(staff_url("use_template", c.tracking_code, "resolve"), {
        **base, "outcome": "fixed", "template": "", "summary": f"Roads cannot fix {c.tracking_code}."}).content.decode()
    assert textarea(html, "resolve-summary") == f"Fixed: {c.tracking_code}."
    # What the officer wrote is never replaced by a refused form's re-render.
    response = client.post(reverse("staff:act", args=[c.tracking_code, "resolve"]),
                           {**base, "outcome": "", "summary": "My own words"})
    assert response.status_code == 400
    assert textarea(response.content.decode(), "resolve-summary") == "My own words"


def test_reject_templates_by_reason_and_use_button(client, city, people):
    c = submit(city).complaint
    template("reject", name="Spam", choice="spam", text_id="Ini iklan ({tracking_code}).", text_en="Spam.")
    template("reject", name="Scope", choice="out_of_scope", text_id="Bukan kewenangan kami.", text_en="Not ours.")
    client.force_login(people["triage"])
    c = fresh(c)
    html = client.post(staff_url("use_template", c.tracking_code, "reject"), {
        "expected_state": c.state, "expected_version": str(c.audit_count), "reason": "spam",
        "message": "", "template": ""}).content.decode()
    assert textarea(html, "reject-message") == f"Ini iklan ({c.tracking_code})."
    assert '<option value="spam" selected>' in html
    # An action the user may not perform, or without templates: 404.
    assert client.post(staff_url("use_template", c.tracking_code, "note"), {}).status_code == 404


# --- languages and placeholders -------------------------------------------------------
@pytest.mark.parametrize("language, expected", [("id", "Laporan {code} ditangani Bidang Jalan."),
                                                ("en", "Report {code} is handled by Roads.")])
def test_both_languages_with_placeholders_filled(client, city, people, language, expected):
    c = drive(submit(city).complaint, people, city, "triaged")
    Complaint.objects.filter(pk=c.pk).update(language=language)
    template(name="both", text_id="Laporan {tracking_code} ditangani {unit}.",
             text_en="Report {tracking_code} is handled by {unit}.")
    client.force_login(people["officer_roads"])
    html = client.get(staff_url("complaint", c.tracking_code)).content.decode()
    assert textarea(html, "reply-body") == expected.format(code=c.tracking_code)


def test_every_placeholder_is_filled_server_side(city, people):
    c = fresh(drive(submit(city).complaint, people, city, "triaged"))
    t = template(text_en="{tracking_code}|{unit}|{due_date}|{category}|{{literal}}")
    code, unit, due, category, literal = t.render(c, "en").split("|")
    assert (code, unit, category, literal) == (c.tracking_code, "Roads", "Damaged road", "{literal}")
    assert str(c.resolution_due_at.astimezone().year) in due and "{" not in due
    # Before routing: no unit yet, and the triage desk's due date.
    fresh_one = fresh(submit(city).complaint)
    code, unit, due, _category, _literal = t.render(fresh_one, "en").split("|")
    assert unit == "the complaints desk" and due != "-"


def test_the_complaints_language_else_the_pages(city):
    c = Complaint(language="en")
    assert complaint_page.template_language(c, "id") == "en"
    c.language = ""
    assert complaint_page.template_language(c, "en") == "en"
    assert complaint_page.template_language(c, "id") == "id"


# --- bad templates ---------------------------------------------------------------------
@pytest.mark.parametrize("text, message", [
    ("Halo {reporter_name}", "Unknown placeholder {reporter_name}"),
    ("Halo {unit.parent}", "Unknown placeholder {unit.parent}"),
    ("Halo {tracking_code!r}", "Unknown placeholder {tracking_code!r}"),
    ("Halo {due_date:%Y}", "Unknown placeholder {due_date:%Y}"),
    ("Halo {0}", "Unknown placeholder {0}"),
    ("Halo {}", "Unknown placeholder {}"),
    ("Halo {tracking_code", "Unbalanced braces"),
    ("Halo tracking_code}", "Unbalanced braces"),
])
def test_an_unknown_placeholder_or_malformed_braces_are_refused(city, text, message):
    t = ResponseTemplate(name="x", action="reply", text_id=text, text_en="fine {unit}")
    with pytest.raises(ValidationError) as error:
        t.full_clean()
    assert message in " ".join(error.value.message_dict["text_id"])
    assert "text_en" not in error.value.message_dict


def test_an_outcome_only_on_resolve_and_a_reason_only_on_reject(city):
    for action, choice in [("reply", "fixed"), ("resolve", "spam"), ("reject", "fixed"), ("resolve", "nonsense")]:
        with pytest.raises(ValidationError) as error:
            ResponseTemplate(name="x", action=action, choice=choice, text_id="a", text_en="b").full_clean()
        assert "choice" in error.value.message_dict


def test_the_staff_page_shows_the_placeholder_error_and_refuses_bad_input(client, city, people):
    client.force_login(people["admin"])
    data = {"name": "Bad", "action": "reply", "choice": "", "category": "", "unit": "",
            "text_id": "Halo {reporter_email}", "text_en": "Hello", "active": "on"}
    response = client.post(staff_url("response_template_new"), data)
    assert response.status_code == 400
    assert "Unknown placeholder {reporter_email}" in response.content.decode()
    assert not ResponseTemplate.objects.exists()
    for bad in ({"text_en": "nul\x00byte"}, {"text_en": "x" * 10001}, {"name": "n" * 121},
                {"action": "delete_everything"}, {"unit": "999999"}):
        assert client.post(staff_url("response_template_new"), {**data, "text_id": "ok", **bad}).status_code == 400
    assert not ResponseTemplate.objects.exists()


def test_the_admin_refuses_an_unknown_placeholder(client, city):
    root = User.objects.create_superuser("root", "root@staff.example", "pw-root-123")
    client.force_login(root)
    response = client.post(reverse("admin:complaints_responsetemplate_add"), {
        "name": "Bad", "action": "reply", "choice": "", "text_id": "Halo {nama}", "text_en": "Hi", "active": "on"})
    assert response.status_code == 200  # the form again, with the error
    assert "Unknown placeholder {nama}" in response.content.decode()
    assert not ResponseTemplate.objects.exists()


# --- the staff page ---------------------------------------------------------------------
@pytest.mark.parametrize("who", ["triage", "officer_roads", "officer_health", "oversight", "privacy", "nobody"])
def test_the_templates_page_is_for_supervisors_and_administrators_only(client, city, people, who):
    t = template(unit=city["roads"])
    client.force_login(people[who])
    for url in (staff_url("response_templates"), staff_url("response_template_new"),
                staff_url("response_template", t.pk), staff_url("response_template_delete", t.pk)):
        assert client.get(url).status_code == 403
    assert client.post(staff_url("response_template_delete", t.pk)).status_code == 403
    assert ResponseTemplate.objects.filter(pk=t.pk).exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, city):
    assert client.get(staff_url("response_templates")).status_code == 302


def test_a_supervisor_lists_creates_edits_and_deletes_templates_of_their_units(client, city, people):
    supervisor = people["supervisor_works"]  # supervises DPU and DPU-JALAN below it
    shared = template(name="shared")
    theirs = template(name="roads", unit=city["roads"])
    health = template(name="health", unit=city["health"])
    client.force_login(supervisor)
    html = client.get(staff_url("response_templates")).content.decode()
    assert "roads" in html and "health" not in html and "shared" not in html
    data = {"name": "Jalan selesai", "action": "resolve", "choice": "fixed", "category": city["roads_cat"].pk,
            "unit": city["roads"].pk, "text_id": "{unit} selesai: {tracking_code}", "text_en": "{unit} done",
            "active": "on"}
    assert client.post(staff_url("response_template_new"), data).status_code == 303
    created = ResponseTemplate.objects.get(name="Jalan selesai")
    assert (created.action, created.choice, created.unit_id) == ("resolve", "fixed", city["roads"].pk)
    # Not for a unit they do not supervise, nor for every unit.
    assert client.post(staff_url("response_template_new"), {**data, "unit": city["health"].pk}).status_code == 400
    assert client.post(staff_url("response_template_new"), {**data, "unit": ""}).status_code == 400
    # Edit theirs; others' and the shared ones are not found.
    assert client.post(staff_url("response_template", theirs.pk), {**data, "name": "renamed"}).status_code == 303
    assert ResponseTemplate.objects.get(pk=theirs.pk).name == "renamed"
    for other in (shared, health):
        assert client.get(staff_url("response_template", other.pk)).status_code == 404
        assert client.post(staff_url("response_template_delete", other.pk)).status_code == 404
    assert client.get(staff_url("response_template_delete", theirs.pk)).status_code == 200
    assert client.post(staff_url("response_template_delete", theirs.pk)).status_code == 303
    assert not ResponseTemplate.objects.filter(pk=theirs.pk).exists()
    assert ResponseTemplate.objects.filter(pk__in=[shared.pk, health.pk]).count() == 2


def test_an_administrator_edits_every_template(client, city, people):
    shared = template(name="shared")
    client.force_login(people["admin"])
    assert "shared" in client.get(staff_url("response_templates")).content.decode()
    data = {"name": "shared 2", "action": "reply", "choice": "", "category": "", "unit": "",
            "text_id": "a {due_date}", "text_en": "b {due_date}", "active": "on"}
    assert client.post(staff_url("response_template", shared.pk), data).status_code == 303
    assert ResponseTemplate.objects.get(pk=shared.pk).name == "shared 2"


# --- privacy ------------------------------------------------------------------------------
def test_templates_never_carry_a_confidential_reporters_identity(client, city, people):
    c = submit(city, identity_mode="confidential", reporter_name="Rahasia Wulandari",
               reporter_email="rahasia.w@example.com", reporter_phone="0857-1111-2222").complaint
    c = perform(c, "triage", as_staff(people["triage"]), unit=city["roads"])
    # No placeholder names the reporter: such a template cannot even be saved.
    assert set(TemplatePlaceholders.NAMES) == {"tracking_code", "unit", "due_date", "category"}
    for name in ("reporter_name", "reporter_email", "reporter_phone", "name", "email", "complaint"):
        with pytest.raises(ValidationError):
            ResponseTemplate(name="x", action="reply", text_id="{%s}" % name, text_en="x").full_clean()
    template(text_id="{tracking_code} {unit} {due_date} {category}", text_en="{tracking_code} {unit} {due_date} {category}")
    values = TemplatePlaceholders.values(fresh(c), "id")
    secrets = ["Rahasia", "Wulandari", "rahasia.w@example.com", "0857-1111-2222"]
    assert not any(s in v for s in secrets for v in values.values())
    client.force_login(people["officer_roads"])
    html = client.get(staff_url("complaint", c.tracking_code)).content.decode()
    data = json.dumps(picker_data(html, "reply"))
    assert c.tracking_code in data and not any(s in data for s in secrets)
    assert not any(s in html for s in secrets)


def test_supervisor_nav_link(client, city, people):
    client.force_login(people["supervisor_works"])
    assert staff_url("response_templates") in client.get(staff_url("inbox")).content.decode()
    client.force_login(people["officer_roads"])
    assert staff_url("response_templates") not in client.get(staff_url("inbox")).content.decode()

