"""A duplicate's reporter is kept informed about the original: their tracking page shows the
original's status (and its public page only when it is published), and they are e-mailed
when the original is resolved or closed, without learning anything of its reporter."""

import pytest

from complaints.lifecycle.engine import perform
from complaints.models import Notification

from ..complaints.helpers import CITIZEN, drive, fresh
from ..conftest import as_staff, publish, submit

ORIGINAL_TITLE = "Pipa bocor di gang Mawar"
ORIGINAL_TEXT = "Pipa PDAM bocor depan rumah nomor tujuh milik Bu Wati sejak Senin, air menggenang."


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"


def original_of(city, people, *, visibility="public", published=True):
    """The original, filed by Siti, routed to the roads unit, and published when asked."""
    c = submit(city, title=ORIGINAL_TITLE, description=ORIGINAL_TEXT, visibility=visibility).complaint
    c = drive(c, people, city, "triaged")
    if published:
        c = publish(c, people["triage"], title="Pipa bocor di gang", summary="Pipa air bocor, air menggenang.")
    return fresh(c)


def duplicate_of(city, people, original, **reporter):
    """Budi's later report of the same problem, marked a duplicate of the original."""
    filed = submit(city, reporter_name="Budi Santoso", reporter_email="budi@example.com",
                   reporter_phone="0813-1111-2222", **reporter)
    perform(fresh(filed.complaint), "mark_duplicate", as_staff(people["triage"]),
            duplicate_of=original.tracking_code)
    return filed


def tracking_page(client, filed):
    response = client.post("/track/", {"code": filed.complaint.tracking_code, "token": filed.token})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    return page.content.decode()


def test_the_duplicates_page_shows_a_published_originals_status_and_link(client, city, people):
    original = original_of(city, people)
    html = tracking_page(client, duplicate_of(city, people, original))
    assert 'id="original"' in html
    assert 'id="original-status">Routed to a unit<' in html
    assert f'href="/complaints/{original.tracking_code}/"' in html
    assert "Pipa bocor di gang" in html  # the approved public title
    assert ORIGINAL_TEXT not in html and ORIGINAL_TITLE not in html  # never the citizen's own text
    assert "Siti" not in html and "siti.rahayu" not in html
    assert client.get(f"/complaints/{original.tracking_code}/").status_code == 200


@pytest.mark.parametrize("visibility, published", [("private", False), ("public", False)])
def test_a_private_or_unpublished_original_shows_only_its_status_word(client, city, people, visibility, published):
    original = original_of(city, people, visibility=visibility, published=published)
    html = tracking_page(client, duplicate_of(city, people, original))
    assert 'id="original-status">Routed to a unit<' in html
    assert original.tracking_code not in html
    assert "/complaints/" not in html.split('id="original"')[1].split("</div>")[0]
    for secret in (ORIGINAL_TITLE, ORIGINAL_TEXT, "Siti", "siti.rahayu", "0812-3456-7890", "Jl. Merdeka"):
        assert secret not in html.split('id="original"')[1], secret
    assert ORIGINAL_TITLE not in html and ORIGINAL_TEXT not in html


def test_the_status_follows_the_original(client, city, people):
    original = original_of(city, people, visibility="private", published=False)
    filed = duplicate_of(city, people, original)
    officer = as_staff(people["officer_roads"])
    perform(fresh(original), "start", officer)
    perform(fresh(original), "resolve", officer, outcome="fixed", summary="Pipa diganti oleh Pak Joko.")
    html = tracking_page(client, filed)
    assert 'id="original-status">Resolved<' in html and "Fixed" in html
    assert "Pak Joko" not in html  # the resolution text is the original reporter's to read


def resolve(original, people):
    officer = as_staff(people["officer_roads"])
    perform(fresh(original), "start", officer)
    return perform(fresh(original), "resolve", officer, outcome="fixed", summary="Pipa diganti oleh Pak Joko.")


@pytest.mark.parametrize("published", [True, False])
def test_the_duplicates_reporter_is_emailed_when_the_original_is_resolved(city, people, published):
    original = original_of(city, people, visibility="public" if published else "private", published=published)
    dup = duplicate_of(city, people, original).complaint
    resolve(original, people)
    mails = list(Notification.objects.filter(kind="original_resolved"))
    assert len(mails) == 1
    mail = mails[0]
    assert mail.to_email == "budi@example.com" and mail.complaint_id == dup.pk
    assert dup.tracking_code in mail.subject and "sudah diselesaikan" in mail.body  # in the language it was filed in
    for secret in ("Siti", "siti.rahayu", "0812-3456-7890", ORIGINAL_TITLE, ORIGINAL_TEXT, "Pak Joko"):
        assert secret not in mail.subject + mail.body, secret
    assert (original.tracking_code in mail.body) == published  # only a published original's page
    # The original's reporter gets their own e-mail, and nothing of Budi.
    own = Notification.objects.get(complaint=original, kind="resolved")
    assert own.to_email == "siti.rahayu@example.com"
    assert "Budi" not in own.body and "budi@" not in own.body and dup.tracking_code not in own.body


def test_and_when_it_is_closed(city, people):
    original = original_of(city, people)
    duplicate_of(city, people, original)
    resolve(original, people)
    perform(fresh(original), "confirm", CITIZEN, rating=5)
    mail = Notification.objects.get(kind="original_closed")
    assert mail.to_email == "budi@example.com" and "Siti" not in mail.body


def test_no_email_without_an_address_or_once_the_marking_was_overturned(city, people):
    original = original_of(city, people)
    anonymous = submit(city, identity_mode="anonymous", reporter_name="", reporter_phone="",
                       reporter_email="anon@example.com").complaint
    perform(fresh(anonymous), "mark_duplicate", as_staff(people["triage"]), duplicate_of=original.tracking_code)
    overturned = duplicate_of(city, people, original).complaint
    perform(fresh(overturned), "request_review", CITIZEN, reason="Ini masalah lain.")
    perform(fresh(overturned), "overturn_review", as_staff(people["oversight"]), reason="Lokasinya berbeda.")
    resolve(original, people)
    assert not Notification.objects.filter(kind="original_resolved").exists()
