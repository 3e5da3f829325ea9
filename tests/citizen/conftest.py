"""Fixtures of the citizen side: media in a temporary folder, a client with its own IP
address (so rate limits of one test never touch another, also on a shared Redis), and
files to upload."""

import io
import itertools
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

_ips = itertools.count(1)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://aduan.example"
    return settings.MEDIA_ROOT


@pytest.fixture
def client(client):
    # A fresh address per test; the limiter's keys are scoped by it.
    n = next(_ips) + (uuid.uuid4().int % 200) * 1000
    client.defaults["REMOTE_ADDR"] = f"10.{(n >> 16) % 256}.{(n >> 8) % 256}.{n % 256}"
    return client


GPS_IFD = 0x8825


def jpeg_with_gps(size=(64, 48)):
    """A JPEG carrying EXIF with a GPS position and a camera model."""
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x0110] = "SecretPhone 9"  # camera model
    exif[GPS_IFD] = {1: "S", 2: (6.0, 12.0, 30.0), 3: "E", 4: (106.0, 49.0, 5.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def png_bytes():
    out = io.BytesIO()
    Image.new("RGBA", (20, 20), (0, 0, 255, 128)).save(out, format="PNG")
    return out.getvalue()


def pdf_with_metadata():
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_metadata({"/Author": "Budi Santoso", "/Creator": "Secret Office Suite"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def form_data(city, category="roads_cat", **overrides):
    data = {
        "category": city[category].code, "kind": "complaint", "title": "Jalan berlubang besar",
        "description": "Ada lubang besar di Jl. Merdeka depan SD sejak dua minggu, motor sering jatuh.",
        "address": "Jl. Merdeka 12", "latitude": "-7.25", "longitude": "110.40",
        "identity_mode": "named", "reporter_name": "Siti Rahayu",
        "reporter_email": "siti@example.com", "reporter_phone": "0812-3456-7890",
        "visibility": "public", "website": "", "idempotency_key": uuid.uuid4().hex,
    }
    data.update(overrides)
    return data


def open_mail_link(client, path):
    """Follow a link from an e-mail as a person does: the GET shows a Continue page (and
    grants nothing), its button POSTs the link code. Returns the POST's response."""
    page = client.get(path)
    assert page.status_code == 200 and 'id="continue"' in page.content.decode()
    code = path.split("?k=")[1]
    return client.post(path.split("?")[0], {"k": code})
