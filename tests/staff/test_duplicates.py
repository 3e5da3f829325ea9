"""Marking a duplicate never tells anyone whether a complaint they may not open exists,
and never links an abuse-of-power report with an ordinary one."""

import pytest

from complaints.models import Complaint, State
from complaints.lifecycle.engine import perform
from complaints.lifecycle.errors import InvalidArguments
from routing.models import Category, Unit

from .helpers import act_url, as_staff, drive, fingerprint, form, fresh, submit, url


def refusal(complaint, actor, code):
    before = fingerprint(complaint)
    with pytest.raises(InvalidArguments) as refused:
        perform(complaint, "mark_duplicate", actor, duplicate_of=code)
    assert fingerprint(complaint) == before
    return refused.value.message, refused.value.errors


def test_triage_gets_the_same_answer_for_a_sensitive_code_as_for_an_unknown_one(city, people):
    secret = submit(city, category="bribe_cat").complaint
    c = submit(city).complaint
    triage = as_staff(people["triage"])
    unknown = refusal(c, triage, "ADU-ZZZZ-ZZZZ")
    assert refusal(c, triage, secret.tracking_code) == unknown
    assert fresh(c).state == State.SUBMITTED and fresh(c).duplicate_of is None


def test_the_page_answers_alike_for_unknown_and_invisible_codes(client, city, people):
    secret = submit(city, category="bribe_cat").complaint
    c = submit(city).complaint
    client.force_login(people["triage"])
    answers = []
    for code in ("ADU-ZZZZ-ZZZZ", secret.tracking_code):
        response = client.post(act_url(c, "mark_duplicate"), form(c, duplicate_of=code))
        answers.append((response.status_code, response.context["error"], response.context["field_errors"]))
    assert answers[0] == answers[1] and answers[0][0] == 400


def test_an_original_whose_root_became_sensitive_is_refused_alike(city, people):
    root = submit(city, title="Jalan berlubang di Jl. Kenari").complaint
    middle = submit(city).complaint
    triage = as_staff(people["triage"])
    perform(middle, "mark_duplicate", triage, duplicate_of=root.tracking_code)
    perform(root, "recategorise", triage, category=city["bribe_cat"])  # now oversight's
    c = submit(city).complaint
    assert refusal(c, triage, middle.tracking_code) == refusal(c, triage, "ADU-ZZZZ-ZZZZ")


@pytest.mark.parametrize("direction", ["ordinary of sensitive", "sensitive of ordinary"])
def test_sensitive_and_ordinary_complaints_never_duplicate_each_other(city, people, direction):
    ordinary = submit(city).complaint
    # A sensitive report still waiting for triage (no oversight unit could take it at filing).
    Unit.objects.filter(kind="oversight").update(active=False)
    as_stored = dict(city, bribe_cat=Category.objects.select_related("default_unit").get(code="PUNGLI"))
    sensitive = fresh(submit(as_stored, category="bribe_cat").complaint)
    Unit.objects.filter(kind="oversight").update(active=True)
    assert sensitive.state == State.SUBMITTED
    admin = as_staff(people["admin"])  # may open both
    c, original = (ordinary, sensitive) if direction == "ordinary of sensitive" else (sensitive, ordinary)
    assert refusal(c, admin, original.tracking_code) == refusal(c, admin, "ADU-ZZZZ-ZZZZ")


def test_sensitive_complaints_may_duplicate_each_other(city, people):
    first = submit(city, category="bribe_cat").complaint
    second = submit(city, category="bribe_cat").complaint
    Complaint.objects.filter(pk=second.pk).update(state=State.SUBMITTED)  # waiting for triage
    perform(fresh(second), "mark_duplicate", as_staff(people["admin"]), duplicate_of=first.tracking_code)
    assert fresh(second).duplicate_of_id == first.pk


def test_duplicate_search_lists_only_possible_originals(client, city, people):
    sensitive = submit(city, category="bribe_cat", title="Pungli lampu jalan").complaint
    ordinary = submit(city, title="Lampu jalan mati").complaint
    c = submit(city, title="Lampu jalan padam").complaint
    client.force_login(people["admin"])
    response = client.get(url("complaint", c.tracking_code) + "?dup=lampu")
    found = {o.tracking_code for o in response.context["dup_results"]}
    assert found == {ordinary.tracking_code}
    assert sensitive.tracking_code not in {o.tracking_code for o in response.context["similar"]}


def test_a_visible_original_still_works(city, people):
    original = drive(submit(city).complaint, people, city, "triaged")
    c = submit(city).complaint
    perform(c, "mark_duplicate", as_staff(people["triage"]), duplicate_of=original.tracking_code.lower())
    assert fresh(c).state == State.DUPLICATE and fresh(c).duplicate_of_id == original.pk
