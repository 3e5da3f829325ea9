"""The public anchor of the audit chain: signed Merkle roots over every complaint's chain head,
inclusion proofs, and `verify_audit --against-published` catching rollbacks and rewrites."""

import base64
import json
import logging

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import CommandError, call_command
from django.db import connection

from complaints import audit
from complaints.models import AnchoredHead, Complaint, Event, TransparencyRoot
from complaints.transparency import anchor, merkle

from ..conftest import as_staff, submit
from .helpers import drive, fresh

KEY = base64.b64encode(bytes(range(32))).decode()
OTHER_KEY = base64.b64encode(bytes(range(1, 33))).decode()


@pytest.fixture(autouse=True)
def signing_key(settings):
    settings.TRANSPARENCY_SIGNING_KEY = KEY
    settings.TRANSPARENCY_INTERVAL_MINUTES = 60


def reference_root(leaves):
    """RFC 6962 section 2.1, written as the RFC states it."""
    if len(leaves) == 1:
        return leaves[0]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return merkle.node_hash(reference_root(leaves[:k]), reference_root(leaves[k:]))


@pytest.mark.parametrize("size", [1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 31])
def test_merkle_tree_matches_rfc_6962_and_every_proof_verifies(size):
    leaves = [merkle.leaf_hash(f"leaf {i}".encode()) for i in range(size)]
    root = merkle.root(leaves)
    assert root == reference_root(leaves)
    for index in range(size):
        assert merkle.verify_inclusion(leaves[index], index, size, merkle.inclusion_proof(leaves, index), root)


def test_a_tampered_proof_is_refused():
    leaves = [merkle.leaf_hash(bytes([i])) for i in range(11)]
    root, path = merkle.root(leaves), merkle.inclusion_proof(leaves, 6)
    assert merkle.verify_inclusion(leaves[6], 6, 11, path, root)
    flipped = [path[0][:-1] + bytes([path[0][-1] ^ 1]), *path[1:]]
    assert not merkle.verify_inclusion(leaves[6], 6, 11, flipped, root)
    assert not merkle.verify_inclusion(leaves[6], 7, 11, path, root)       # another position
    assert not merkle.verify_inclusion(leaves[6], 6, 7, path, root)        # another size
    assert not merkle.verify_inclusion(leaves[6], 6, 11, path[:-1], root)  # shortened
    assert not merkle.verify_inclusion(leaves[6], 6, 11, path + [root], root)
    assert not merkle.verify_inclusion(leaves[5], 6, 11, path, root)
    assert not merkle.verify_inclusion(leaves[6], 11, 11, path, root)
    assert not merkle.verify_inclusion(leaves[6], -1, 11, path, root)
    # A leaf hash is never taken for an inner node (the 0x00 / 0x01 prefixes).
    assert merkle.leaf_hash(leaves[0] + leaves[1]) != merkle.node_hash(leaves[0], leaves[1])


@pytest.fixture
def two(city, people):
    a = drive(submit(city).complaint, people, city, "in_progress")
    b = submit(city, reporter_name="Budi Santoso", reporter_email="budi@example.com").complaint
    return fresh(a), fresh(b)


def kept_copy(tmp_path):
    """What an outsider keeps: the JSON list as served by /transparency/roots.json."""
    path = tmp_path / "roots.json"
    path.write_text(json.dumps(anchor.published_json()))
    return str(path)


def verify_against(path, **extra):
    call_command("verify_audit", against_published=path, **extra)


def roll_back(complaint, to_count):
    """Restore an older consistent snapshot: the newer events gone, head and seal as they were."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Event._meta.db_table} WHERE complaint_id = %s AND seq > %s",
                       [complaint.pk, to_count])
    last = Event.objects.get(complaint=complaint, seq=to_count)
    Complaint.objects.filter(pk=complaint.pk).update(
        audit_count=to_count, audit_head=last.mac, state=last.to_state or complaint.state,
        audit_seal=audit.seal(complaint.pk, to_count, last.mac, last.to_state or complaint.state))


def test_a_published_root_verifies_and_the_database_matches_it(two, tmp_path, capsys):
    root = anchor.publish()
    assert root.number == 1 and root.tree_size == 2
    copy = kept_copy(tmp_path)
    assert anchor.signature_ok(json.loads(open(copy).read())["roots"][0], anchor.configured_public_key())
    verify_against(copy)
    assert "every state the published roots fixed" in capsys.readouterr().out


def test_nothing_new_publishes_nothing_and_a_change_publishes_only_its_leaf(two, people):
    a, b = two
    first = anchor.publish()
    assert anchor.publish() is None
    anchor_rows = AnchoredHead.objects.count()
    from complaints.lifecycle.engine import perform
    perform(a, "reply", as_staff(people["officer_roads"]), body="Sedang kami kerjakan.")
    second = anchor.publish()
    assert second.number == first.number + 1 and second.tree_size == 2
    assert AnchoredHead.objects.count() == anchor_rows + 1
    assert bytes(TransparencyRoot.objects.get(number=1).leaves) == b""  # only the latest keeps its leaves
    # Leaf positions do not move: the proof of b is for the same index.
    assert anchor.inclusion_proof(fresh(b))["leaf_index"] == 1


def test_a_rollback_after_a_published_root_fails_naming_the_complaint(two, people, tmp_path, capsys):
    a, b = two
    anchor.publish()
    from complaints.lifecycle.engine import perform
    a = perform(a, "resolve", as_staff(people["officer_roads"]), outcome="fixed", summary="Sudah ditambal.")
    anchor.publish()
    copy = kept_copy(tmp_path)
    roll_back(a, fresh(a).audit_count - 1)
    call_command("verify_audit")  # the HMAC chain alone cannot see a consistent rollback
    capsys.readouterr()
    with pytest.raises(CommandError):
        verify_against(copy)
    errors = capsys.readouterr().err
    assert f"complaint {a.tracking_code}: its history no longer holds" in errors
    assert b.tracking_code not in errors


def test_a_rewritten_history_fails_even_with_the_audit_key(two, tmp_path, capsys):
    a, _b = two
    anchor.publish()
    copy = kept_copy(tmp_path)
    # Someone holding AUDIT_KEY rewrites event 2 and re-MACs the rest of the chain.
    previous = ""
    for event in Event.objects.filter(complaint=a).order_by("seq"):
        if event.seq == 2:
            event.actor_label = "someone else"
        event.prev_mac = previous
        event.mac = audit._mac(event.canonical())
        Event.objects.filter(pk=event.pk).update(actor_label=event.actor_label, prev_mac=event.prev_mac, mac=event.mac)
        previous = event.mac
    Complaint.objects.filter(pk=a.pk).update(audit_head=previous, audit_seal=audit.seal(a.pk, a.audit_count, previous, a.state))
    assert audit.verify_complaint(fresh(a)) is None
    with pytest.raises(CommandError):
        verify_against(copy)
    assert f"complaint {a.tracking_code}" in capsys.readouterr().err


def test_a_root_signed_with_another_key_is_refused(two, tmp_path, capsys):
    anchor.publish()
    data = anchor.published_json()
    forger = Ed25519PrivateKey.from_private_bytes(base64.b64decode(OTHER_KEY))
    entry = data["roots"][0]
    forged = {**entry, "root": "00" * 32}
    when = TransparencyRoot.objects.get(number=1).published_at
    forged["signature"] = base64.b64encode(forger.sign(anchor.signed_message(1, entry["tree_size"], forged["root"], when))).decode()
    # The forger also puts his own key in the file: it is never trusted.
    path = tmp_path / "forged.json"
    path.write_text(json.dumps({"public_key": anchor.public_key_text(forger.public_key()), "roots": [forged]}))
    with pytest.raises(CommandError):
        verify_against(str(path))
    assert "signature does not verify" in capsys.readouterr().err
    # The genuine entry with its signature moved onto another root is refused too.
    path.write_text(json.dumps({"roots": [{**entry, "root": "11" * 32}]}))
    with pytest.raises(CommandError):
        verify_against(str(path))


def test_a_rolled_back_log_is_detected(two, people, tmp_path, capsys):
    a, _b = two
    anchor.publish()
    from complaints.lifecycle.engine import perform
    perform(a, "reply", as_staff(people["officer_roads"]), body="Besok dikerjakan.")
    anchor.publish()
    copy = kept_copy(tmp_path)
    AnchoredHead.objects.filter(root__number=2).delete()
    TransparencyRoot.objects.filter(number=2).delete()
    with pytest.raises(CommandError):
        verify_against(copy)
    assert "root #2 is missing" in capsys.readouterr().err


def test_bad_published_input_is_refused(two, tmp_path):
    anchor.publish()
    for content in ["not json", "{}", json.dumps({"roots": ["x"]}), json.dumps({"roots": [{"number": "\x00"}]})]:
        path = tmp_path / "bad.json"
        path.write_text(content)
        with pytest.raises(CommandError):
            verify_against(str(path))
    with pytest.raises(CommandError):
        verify_against(str(tmp_path / "absent.json"))


def test_without_any_trusted_key_the_check_refuses_to_run(two, tmp_path, settings):
    anchor.publish()
    copy = kept_copy(tmp_path)
    settings.TRANSPARENCY_SIGNING_KEY = ""
    with pytest.raises(CommandError, match="public key"):
        verify_against(copy)
    verify_against(copy, public_key=anchor.public_key_text(
        Ed25519PrivateKey.from_private_bytes(base64.b64decode(KEY)).public_key()))


def test_the_publisher_refuses_to_anchor_a_head_that_went_back(two, people, caplog):
    a, _b = two
    from complaints.lifecycle.engine import perform
    perform(a, "reply", as_staff(people["officer_roads"]), body="Sedang dikerjakan.")
    anchor.publish()
    roll_back(a, fresh(a).audit_count - 1)
    with pytest.raises(anchor.ChainWentBack, match=a.tracking_code):
        anchor.publish()
    with caplog.at_level(logging.ERROR):
        assert anchor.publish_if_due(now=TransparencyRoot.objects.get().published_at.replace(year=2099)) is None
    assert a.tracking_code in caplog.text
    assert TransparencyRoot.objects.count() == 1


def test_the_worker_publishes_at_the_set_interval_and_not_without_a_key(two, city, settings):
    from datetime import timedelta

    first = anchor.publish_if_due()
    assert first is not None
    submit(city)  # something new to publish
    assert anchor.publish_if_due(now=first.published_at + timedelta(minutes=59)) is None
    settings.TRANSPARENCY_INTERVAL_MINUTES = 30
    second = anchor.publish_if_due(now=first.published_at + timedelta(minutes=31))
    assert second.number == 2 and second.tree_size == 3
    submit(city)
    settings.TRANSPARENCY_SIGNING_KEY = ""
    assert anchor.publish_if_due(now=second.published_at + timedelta(days=1)) is None
    worker_pass()
    assert TransparencyRoot.objects.count() == 2


def worker_pass():
    # One pass of the loop's work (the loop itself closes stale connections, which a test
    # transaction on PostgreSQL does not survive).
    from complaints.management.commands.run_worker import Command

    Command().one_pass({"sweep_interval": 60.0, "once": True}, 0.0)


def test_the_run_worker_pass_publishes(two, capsys):
    worker_pass()
    assert TransparencyRoot.objects.count() == 1
    assert "transparency: root #1 over 2 complaints" in capsys.readouterr().out


def test_the_tracking_page_offers_a_proof_that_verifies_and_shows_only_hashes(two, client, city):
    a, b = two
    filed = submit(city, reporter_name="Citra Dewi")
    anchor.publish()
    assert client.get(f"/track/{filed.complaint.tracking_code}/transparency-proof.json").status_code == 404
    client.post("/track/", {"code": filed.complaint.tracking_code, "token": filed.token})
    page = client.get(f"/track/{filed.complaint.tracking_code}/")
    assert "transparency-proof.json" in page.content.decode()
    response = client.get(f"/track/{filed.complaint.tracking_code}/transparency-proof.json")
    assert response.status_code == 200
    proof = response.json()
    assert anchor.proof_ok(proof, anchor.configured_public_key())
    assert proof["current"] is True and proof["leaf"]["tracking_code"] == filed.complaint.tracking_code
    body = response.content.decode()
    for other in (a, b):
        assert other.tracking_code not in body and other.audit_head not in body
    assert all(len(h) == 64 for h in proof["audit_path"])
    # Another complaint's code with this session: not found, as for anyone.
    assert client.get(f"/track/{a.tracking_code}/transparency-proof.json").status_code == 404
    # Any edit to the proof is refused.
    for edit in (lambda p: p["leaf"].update(events=p["leaf"]["events"] + 1),
                 lambda p: p["leaf"].update(head="0" * 64),
                 lambda p: p.update(leaf_index=0),
                 lambda p: p["audit_path"].__setitem__(0, ("1" if p["audit_path"][0][0] == "0" else "0") + p["audit_path"][0][1:]),
                 lambda p: p["audit_path"].append("00" * 32),
                 lambda p: p["root"].update(tree_size=4),
                 lambda p: p.update(audit_path=["zz"])):
        tampered = json.loads(body)
        edit(tampered)
        assert not anchor.proof_ok(tampered, anchor.configured_public_key())


def test_a_complaint_changed_since_the_last_root_is_not_offered_a_current_proof(two, client, city, people):
    filed = submit(city)
    client.post("/track/", {"code": filed.complaint.tracking_code, "token": filed.token})
    response = client.get(f"/track/{filed.complaint.tracking_code}/transparency-proof.json")
    assert response.status_code == 404 and "Not published yet" in response.json()["error"]
    anchor.publish()
    from complaints.lifecycle.engine import perform
    perform(fresh(filed.complaint), "triage", as_staff(people["triage"]), unit=city["roads"])
    proof = client.get(f"/track/{filed.complaint.tracking_code}/transparency-proof.json").json()
    assert proof["current"] is False and anchor.proof_ok(proof, anchor.configured_public_key())


def test_transparency_pages_hold_no_personal_data(two, client):
    anchor.publish()
    page = client.get("/transparency/").content.decode()
    data = client.get("/transparency/roots.json").content.decode()
    assert anchor.configured_public_key() in page and anchor.configured_public_key() in data
    assert TransparencyRoot.objects.get().root_hash in page
    for complaint in two:
        for value in (complaint.tracking_code, complaint.reporter_name, complaint.reporter_email,
                      complaint.reporter_phone, complaint.title, complaint.description, complaint.audit_head):
            assert value and value not in page and value not in data


def test_published_roots_are_append_only(two):
    root = anchor.publish()
    root.root_hash = "00" * 32
    with pytest.raises(RuntimeError):
        root.save()


def test_production_without_a_signing_key_warns_and_a_bad_key_is_an_error(settings):
    from config.checks import transparency_key

    settings.DEBUG = False
    settings.TRANSPARENCY_SIGNING_KEY = ""
    assert [m.id for m in transparency_key(None)] == ["aduan.W001"]
    settings.TRANSPARENCY_SIGNING_KEY = "not-base64\x00"
    assert [m.id for m in transparency_key(None)] == ["aduan.E002"]
    settings.TRANSPARENCY_SIGNING_KEY = base64.b64encode(b"short").decode()
    assert [m.id for m in transparency_key(None)] == ["aduan.E002"]
    settings.TRANSPARENCY_SIGNING_KEY = KEY
    assert transparency_key(None) == []


def test_roots_are_read_from_a_url_too(two, tmp_path, capsys):
    import functools
    import http.server
    import threading

    anchor.publish()
    kept_copy(tmp_path)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        verify_against(f"http://127.0.0.1:{server.server_port}/roots.json")
        assert "every state the published roots fixed" in capsys.readouterr().out
        with pytest.raises(CommandError, match="Cannot read"):
            verify_against(f"http://127.0.0.1:{server.server_port}/absent.json")
    finally:
        server.shutdown()
        server.server_close()


def test_the_transparency_page_speaks_indonesian_and_english(db, client, settings):
    settings.TRANSPARENCY_SIGNING_KEY = ""
    client.cookies["django_language"] = "id"
    page = client.get("/transparency/").content.decode()
    assert "Log transparansi" in page and "belum diatur" in page
    client.cookies["django_language"] = "en"
    assert "Transparency log" in client.get("/transparency/").content.decode()


def test_hostile_requests_to_the_transparency_pages(two, client):
    anchor.publish()
    for page in ("-1", "99999999999999999999999", "x", "\x00"):
        response = client.get("/transparency/", {"page": page})
        assert response.status_code in (200, 400) and b"Traceback" not in response.content
    assert client.get("/track/ADU-%00/transparency-proof.json").status_code in (400, 404)
    assert client.get("/track/" + "A" * 5000 + "/transparency-proof.json").status_code == 404
