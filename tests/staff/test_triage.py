"""The triage desk: the queue, one-click and bulk routing, the public summary, reject
templates, duplicates, and stale forms."""

import datetime as dt
import json

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from complaints.models import Complaint, Event, ResponseTemplate

from .helpers import act_url, fingerprint, form, fresh, many, submit, url


def with_suggestions(complaint, suggestions):
    Complaint.objects.filter(pk=complaint.pk).update(suggested_units=suggestions)
    return fresh(complaint)


def test_queue_lists_submitted_complaints_oldest_first_with_age_and_category(client, city, people):
    now = timezone.now()
    newer = submit(city, now=now - dt.timedelta(hours=2)).complaint
    older = submit(city, category="clinic_cat", now=now - dt.timedelta(days=3)).complaint
    submit(city, category="bribe_cat")  # sensitive: routed to oversight at once, never here
    client.force_login(people["triage"])
    response = client.get(url("triage"))
    assert [c.tracking_code for c in response.context["complaints"]] == [older.tracking_code, newer.tracking_code]
    html = response.content.decode()
    assert "Health centre service" in html or "Layanan puskesmas" in html
    assert "waiting 3" in html or "3\xa0days" in html


def test_queue_shows_suggestions_and_survives_missing_or_malformed_ones(client, city, people):
    good = with_suggestions(submit(city).complaint, [["DPU-JALAN", 0.87], ["DINKES", 0.05]])
    with_suggestions(submit(city).complaint, [])
    with_suggestions(submit(city).complaint, [["NO-SUCH-UNIT", 0.9], "garbage", [None], {"a": 1}])
    client.force_login(people["triage"])
    response = client.get(url("triage"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Accept: DPU-JALAN (87%)" in html
    assert html.count("No suggestion from the classifier.") == 2
    assert good.tracking_code in html


def test_one_click_accept_routes_to_the_suggested_unit_and_records_acceptance(client, city, people):
    c = with_suggestions(submit(city).complaint, [["DPU-JALAN", 0.87]])
    client.force_login(people["triage"])
    response = client.post(act_url(c, "triage"), form(c, unit="DPU-JALAN"))
    assert response.status_code == 303
    c = fresh(c)
    assert (c.state, c.responsible_unit.code) == ("triaged", "DPU-JALAN")
    assert Event.objects.get(complaint=c, action="triage").data["accepted_suggestion"] is True


def test_choosing_another_unit_records_the_suggestion_as_not_accepted(client, city, people):
    c = with_suggestions(submit(city).complaint, [["DPU-JALAN", 0.6]])
    client.force_login(people["triage"])
    client.post(act_url(c, "triage"), form(c, unit="DINKES"))
    assert Event.objects.get(complaint=c, action="triage").data["accepted_suggestion"] is False


def test_public_summary_is_prefilled_masked_and_published_only_by_the_publish_form(client, city, people):
    c = submit(city, description="Lubang besar di depan rumah, telepon 0812-1111-2222 atau ani@example.com.").complaint
    client.force_login(people["triage"])
    html = client.get(url("complaint", c.tracking_code)).content.decode()
    assert "telepon [phone] atau [email]" in html
    # Summary fields posted with the routing are ignored: routing never publishes.
    client.post(act_url(c, "triage"), form(c, unit="DPU-JALAN", public_title="Lubang di Jl. Merdeka",
                                           public_summary="Lubang besar di depan rumah warga."))
    c = fresh(c)
    assert c.state == "triaged" and c.public_summary_approved_at is None and c.public_title == ""
    client.post(act_url(c, "approve_summary"), form(c, public_title="Lubang di Jl. Merdeka",
                                                    public_summary="Lubang besar di depan rumah warga.",
                                                    publish="on"))
    c = fresh(c)
    assert c.public_title == "Lubang di Jl. Merdeka" and c.public_summary_approved_at is not None


def test_bulk_routing_to_one_unit_and_to_each_suggestion(client, city, people):
    a = with_suggestions(submit(city).complaint, [["DINKES", 0.7]])
    b = with_suggestions(submit(city).complaint, [["DPU-JALAN", 0.9]])
    none = submit(city).complaint
    stale = with_suggestions(submit(city).complaint, [["DPU-JALAN", 0.9]])
    client.force_login(people["triage"])
    data = {"unit": "suggested", "selected": [a.tracking_code, b.tracking_code, none.tracking_code, stale.tracking_code]}
    for c in (a, b, none):
        data[f"version_{c.tracking_code}"] = str(c.audit_count)
    data[f"version_{stale.tracking_code}"] = "99"
    response = client.post(url("triage_bulk"), data, follow=True)
    assert fresh(a).responsible_unit.code == "DINKES" and fresh(b).responsible_unit.code == "DPU-JALAN"
    assert fresh(none).state == "submitted" and fresh(stale).state == "submitted"
    html = response.content.decode()
    assert "no suggestion" in html and "changed while you were looking" in html
    data = {"unit": "DPU-JALAN", "selected": [none.tracking_code, stale.tracking_code],
            f"version_{none.tracking_code}": "1", f"version_{stale.tracking_code}": "1"}
    client.post(url("triage_bulk"), data)
    assert fresh(none).responsible_unit.code == "DPU-JALAN" and fresh(stale).state == "triaged"


def test_reject_offers_the_template_in_the_complaints_language(client, city, people):
    ResponseTemplate.objects.create(name="Spam", action="reject", choice="spam",
                                    text_id="Ini bukan pengaduan.", text_en="This is not a complaint.")
    c = submit(city).complaint
    Complaint.objects.filter(pk=c.pk).update(language="en")
    client.force_login(people["triage"])
    response = client.get(url("complaint", c.tracking_code))
    data = json.loads(response.content.decode().split('id="templates-reject" type="application/json">')[1].split("</script>")[0])
    assert [(t["choice"], t["text"]) for t in data["templates"]] == [("spam", "This is not a complaint.")]
    before = fingerprint(c)
    assert client.post(act_url(c, "reject"), form(c, reason="", message="x")).status_code == 400
    assert fingerprint(c) == before
    client.post(act_url(c, "reject"), form(c, reason="spam", message="This is not a complaint."))
    c = fresh(c)
    assert (c.state, c.reject_reason, c.reject_message) == ("rejected", "spam", "This is not a complaint.")


def test_mark_duplicate_with_search_by_code_or_title(client, city, people):
    original = submit(city, title="Lampu jalan mati di Jl. Kenanga").complaint
    c = submit(city).complaint
    client.force_login(people["triage"])
    html = client.get(url("complaint", c.tracking_code) + "?dup=kenanga").content.decode()
    assert original.tracking_code in html
    html = client.get(url("complaint", c.tracking_code) + f"?dup={original.tracking_code[4:8]}").content.decode()
    assert original.tracking_code in html
    assert client.post(act_url(c, "mark_duplicate"), form(c, duplicate_of="ADU-NONE-0000")).status_code == 400
    client.post(act_url(c, "mark_duplicate"), form(c, duplicate_of=original.tracking_code.lower()))
    c = fresh(c)
    assert c.state == "duplicate" and c.duplicate_of_id == original.pk


def test_similar_open_complaints_by_category_or_location(client, city, people):
    base = submit(city, latitude="-7.250000", longitude="110.400000").complaint
    same_category = submit(city, latitude="", longitude="", address="Jl. Lain 1").complaint
    nearby_other_category = submit(city, category="clinic_cat", latitude="-7.251000", longitude="110.401000").complaint
    far_other = submit(city, category="clinic_cat", latitude="-6.9", longitude="107.6").complaint
    client.force_login(people["triage"])
    complaints = client.get(url("triage")).context["complaints"]
    similar = {c.tracking_code: {o.tracking_code for o in c.similar} for c in complaints}
    assert similar[base.tracking_code] == {same_category.tracking_code, nearby_other_category.tracking_code}
    # Far away, but the same category within 30 days as the health-centre complaint.
    assert similar[far_other.tracking_code] == {nearby_other_category.tracking_code}


def test_recategorising_as_sensitive_sends_it_to_oversight(client, city, people):
    c = submit(city).complaint
    client.force_login(people["triage"])
    response = client.post(act_url(c, "recategorise"), form(c, category="PUNGLI"))
    assert response.status_code == 303 and response["Location"] == url("home")
    c = fresh(c)
    assert c.responsible_unit == city["inspectorate"] and c.identity_mode == "confidential"
    assert client.get(url("complaint", c.tracking_code)).status_code == 404


def test_request_info_sends_the_question(client, city, people):
    c = submit(city).complaint
    client.force_login(people["triage"])
    client.post(act_url(c, "request_info"), form(c, message="Di RT berapa?"))
    c = fresh(c)
    assert c.state == "needs_info" and c.messages.get().body == "Di RT berapa?"


def test_a_stale_page_gets_409_and_changes_nothing(client, city, people):
    c = submit(city).complaint
    client.force_login(people["triage"])
    seen = form(c, unit="DPU-JALAN")
    client.post(act_url(c, "request_info"), form(c, message="Di RT berapa?"))  # someone acted meanwhile
    before = fingerprint(c)
    response = client.post(act_url(c, "triage"), seen)
    assert response.status_code == 409
    assert "changed while you were looking at it" in response.content.decode()
    assert fingerprint(c) == before
    incomplete = {"unit": "DPU-JALAN"}
    assert client.post(act_url(c, "triage"), incomplete).status_code == 400
    assert fingerprint(c) == before


def test_a_colleagues_note_does_not_make_a_page_stale(client, city, people):
    c = submit(city).complaint
    client.force_login(people["triage"])
    seen = form(c, unit="DPU-JALAN")
    client.post(act_url(c, "note"), form(c, body="Sedang dicek."))
    client.post(act_url(c, "note"), seen | {"body": "Catatan kedua."})
    response = client.post(act_url(c, "triage"), seen)
    assert response.status_code == 303
    c = fresh(c)
    assert c.state == "triaged" and c.responsible_unit.code == "DPU-JALAN"


def measure(client, path):
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_queue_queries_do_not_grow_with_the_number_of_complaints(client, city, people, django_assert_max_num_queries):
    many(city, 5, state="submitted")
    client.force_login(people["triage"])
    few = measure(client, url("triage"))
    many(city, 195, state="submitted")
    assert Complaint.objects.filter(state="submitted").count() == 200
    with django_assert_max_num_queries(15):
        response = client.get(url("triage"))
    assert len(response.context["complaints"]) == 50
    assert measure(client, url("triage")) == few
