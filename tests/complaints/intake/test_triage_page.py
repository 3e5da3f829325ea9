"""/staff/intake/mail/: the e-mails that became no complaint, for the triage desk only;
text escaped, no sender address; poll_mailbox against a fake IMAP connection."""

import pytest
from django.core.management import call_command

from complaints.intake import imap
from complaints.intake.mail import receive
from complaints.models import Complaint, InboundMessage

from .conftest import CITIZEN_ADDRESS, mail
from .test_mail import nested

URL = "/staff/intake/mail/"


@pytest.fixture
def kept():
    bomb = receive(nested(40))
    script = receive(bytes(mail(subject="<script>alert(1)</script>", body="<b>halo</b> cuma tes " * 3,
                                headers={"Auto-Submitted": "auto-replied"})))
    filed = receive(bytes(mail()))
    return bomb, script, filed


def test_triage_sees_unfiled_mail_escaped_and_without_the_sender_address(client, people, kept):
    bomb, script, filed = kept
    client.force_login(people["triage"])
    page = client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert f"mail-{bomb.pk}" in html and f"mail-{script.pk}" in html
    assert f"mail-{filed.pk}" not in html  # a filed one is read on its complaint
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert CITIZEN_ADDRESS not in html and "Budi" not in html
    detail = client.get(f"{URL}{script.pk}/").content.decode()
    assert "&lt;b&gt;halo&lt;/b&gt;" in detail and "<b>halo</b>" not in detail
    assert CITIZEN_ADDRESS not in detail
    assert client.get(f"{URL}{bomb.pk}/").status_code == 200  # not read again, shown as kept
    assert client.get(f"{URL}{filed.pk}/").status_code == 404


def test_unit_officers_get_403_and_anonymous_visitors_the_sign_in(client, people, kept):
    client.force_login(people["officer_roads"])
    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}{kept[0].pk}/").status_code == 403
    client.logout()
    page = client.get(URL)
    assert page.status_code == 302 and "login" in page["Location"]


class FakeImap:
    """The parts of imaplib.IMAP4 that poll() uses, over a dict of messages."""

    def __init__(self, messages):
        self.messages = dict(messages)  # uid -> bytes
        self.flags = {uid: set() for uid in self.messages}
        self.copied, self.expunged, self.logged_out = [], False, False

    def select(self, folder):
        return "OK", [str(len(self.messages)).encode()]

    def uid(self, command, *args):
        if command == "SEARCH":
            unseen = [uid for uid in self.messages if "\\Seen" not in self.flags[uid]]
            return "OK", [b" ".join(unseen)]
        uid = args[0]
        if command == "FETCH":
            return "OK", [(uid + b" (BODY[] {%d}" % len(self.messages[uid]), self.messages[uid]), b")"]
        if command == "STORE":
            self.flags[uid].add(args[2].strip("()"))
            return "OK", []
        if command == "COPY":
            self.copied.append((uid, args[1]))
            return "OK", []
        raise AssertionError(command)

    def expunge(self):
        self.expunged = True

    def logout(self):
        self.logged_out = True


def test_poll_mailbox_handles_unseen_messages_once_and_moves_them(settings, monkeypatch):
    settings.INTAKE_IMAP_HOST = "imap.example"
    settings.INTAKE_IMAP_DONE_FOLDER = "Aduan-handled"
    fake = FakeImap({b"1": bytes(mail()), b"2": bytes(mail(headers={"Precedence": "junk"})),
                     b"3": bytes(mail(message_id="<twice@warga.example>")),
                     b"4": bytes(mail(message_id="<twice@warga.example>"))})
    monkeypatch.setattr(imap, "connect", lambda: fake)
    call_command("poll_mailbox")
    assert Complaint.objects.count() == 2  # messages 1 and 3; 4 is 3 again
    assert InboundMessage.objects.count() == 3
    assert all("\\Seen" in flags and "\\Deleted" in flags for flags in fake.flags.values())
    assert [uid for uid, _f in fake.copied] == [b"1", b"2", b"3", b"4"] and fake.expunged and fake.logged_out
    call_command("poll_mailbox")  # nothing unseen is left
    assert InboundMessage.objects.count() == 3


def test_a_refused_reply_to_an_ended_sensitive_complaint_is_not_listed_to_triage(client, people, city):
    # Triage may not open a sensitive complaint: a reply refused because the complaint had
    # ended stays with the complaint, not on the triage desk's list.
    from complaints.intake import addresses
    from complaints.models import State

    from ...conftest import submit

    c = submit(city, category="bribe_cat").complaint
    Complaint.objects.filter(pk=c.pk).update(state=State.CLOSED)
    record = receive(bytes(mail(subject="Re: Laporan", body="Masih ada pungutan di loket itu sampai hari ini.",
                                to=addresses.reply_address(c.tracking_code))))
    assert record.status == InboundMessage.Status.REJECTED and record.complaint_id == c.pk
    client.force_login(people["triage"])
    assert f"mail-{record.pk}" not in client.get(URL).content.decode()
    assert client.get(f"{URL}{record.pk}/").status_code == 404
