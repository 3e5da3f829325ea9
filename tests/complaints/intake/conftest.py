import email
import io
import threading
from email.message import EmailMessage

import pytest
from django.core.cache import cache
from django.core.management import call_command
from PIL import Image

from ...local_servers import smtp_server

INTAKE = "lapor@aduan.example"
CITIZEN_ADDRESS = "budi.santoso@warga.example"


@pytest.fixture(autouse=True)
def intake_settings(settings, tmp_path, city):
    settings.INTAKE_ADDRESS = f"Aduan <{INTAKE}>"
    settings.INTAKE_CATEGORY = "PUSKESMAS"
    settings.DEFAULT_FROM_EMAIL = "Aduan <noreply@aduan.example>"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://aduan.example"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    cache.clear()  # the per-sender limit counts on the cache, which outlives a test
    yield settings
    cache.clear()


def jpeg_with_gps(size=(64, 48)):
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x0110] = "SecretPhone 9"
    exif[0x8825] = {1: "S", 2: (6.0, 12.0, 30.0), 3: "E", 4: (106.0, 49.0, 5.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


_counter = iter(range(1, 10 ** 6))


def mail(body="Lampu jalan di depan puskesmas mati sejak seminggu, warga takut lewat malam hari.",
         subject="Lampu mati", sender=f"Budi Santoso <{CITIZEN_ADDRESS}>", to=INTAKE, headers=None,
         attachments=(), message_id=None, html=None):
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = message_id or f"<test-{next(_counter)}@warga.example>"
    for name, value in (headers or {}).items():
        message[name] = value
    if body is None:  # an HTML-only message
        message.set_content(html, subtype="html")
    else:
        message.set_content(body)
        if html is not None:
            message.add_alternative(html, subtype="html")
    for name, data, maintype, subtype in attachments:
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message


def pipe(message, sender=CITIZEN_ADDRESS, recipient=INTAKE):
    """receive_mail as Postfix's pipe runs it: the message on standard input."""
    raw = message if isinstance(message, bytes) else bytes(message)
    stdin = io.TextIOWrapper(io.BytesIO(raw), encoding="latin-1")
    out = io.StringIO()
    args = ["receive_mail", "--recipient", recipient]
    if sender is not None:
        args += ["--sender", sender]
    call_command(*args, stdin=stdin, stdout=out)
    from complaints.models import InboundMessage

    return InboundMessage.objects.order_by("-pk").first(), out.getvalue()


class Relay:
    """An aiosmtpd handler keeping each envelope (sender, recipients, bytes), as the city's
    mail server would before handing them to receive_mail."""

    def __init__(self):
        self.lock = threading.Lock()
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 2.0.0 OK"

    def messages(self):
        return [email.message_from_bytes(content) for _f, _r, content in self.envelopes]


@pytest.fixture
def smtp(settings):
    relay = Relay()
    with smtp_server(settings, relay) as port:
        relay.port = port
        yield relay
