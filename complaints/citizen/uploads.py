"""Checking and cleaning citizens' attachments before anything is stored.

The type is decided by the file's first bytes, never by its name. Images are decoded and
re-encoded with Pillow so that EXIF (GPS position, camera serial, time) and every other
metadata block is left behind; PDFs are rewritten page by page with pypdf without the
document information dictionary or XMP metadata (author, creator tool).
"""

import io
import os
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

JPEG, PNG, WEBP, PDF = "image/jpeg", "image/png", "image/webp", "application/pdf"
# What a file name claims, so that a name contradicting the content is refused.
EXTENSION_TYPES = {
    ".jpg": JPEG, ".jpeg": JPEG, ".jpe": JPEG, ".jfif": JPEG, ".png": PNG, ".webp": WEBP,
    ".pdf": PDF,
}
TYPE_NAMES = {JPEG: "JPEG", PNG: "PNG", WEBP: "WebP", PDF: "PDF"}
PILLOW_FORMATS = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP"}
# Larger images are refused rather than decoded (decompression bombs).
MAX_PIXELS = 40_000_000


class UploadRejected(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass
class CleanFile:
    """An accepted attachment: cleaned bytes, ready to store."""

    name: str
    content_type: str
    data: bytes


def sniff(head):
    """The content type from the first bytes, or None when it is none we accept."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"%PDF-"):
        return PDF
    return None


def max_bytes():
    return settings.ATTACHMENT_MAX_BYTES


def clean_upload(uploaded):
    """Check one uploaded file and return a CleanFile, or raise UploadRejected with a
    message that names the file and the reason."""
    name = os.path.basename(uploaded.name or "")[:200] or _("(no name)")
    limit_mb = max_bytes() // (1024 * 1024)
    if uploaded.size > max_bytes():
        raise UploadRejected(
            _("“%(name)s” is larger than %(mb)d MB. Make it smaller or leave it out.")
            % {"name": name, "mb": limit_mb})
    uploaded.seek(0)
    data = uploaded.read(max_bytes() + 1)
    if len(data) > max_bytes():
        raise UploadRejected(
            _("“%(name)s” is larger than %(mb)d MB. Make it smaller or leave it out.")
            % {"name": name, "mb": limit_mb})
    content_type = sniff(data[:16])
    if content_type is None:
        raise UploadRejected(
            _("“%(name)s” is not a JPEG, PNG or WebP photo or a PDF document, so it was not accepted.")
            % {"name": name})
    claimed = EXTENSION_TYPES.get(os.path.splitext(name)[1].lower())
    if claimed and claimed != content_type:
        raise UploadRejected(
            _("“%(name)s” is named like a %(claimed)s file but its content is %(actual)s. Rename it or choose another file.")
            % {"name": name, "claimed": TYPE_NAMES[claimed], "actual": TYPE_NAMES[content_type]})
    try:
        cleaned = _clean_pdf(data) if content_type == PDF else _clean_image(data, content_type)
    except UploadRejected as exc:
        raise UploadRejected(_("“%(name)s”: %(reason)s") % {"name": name, "reason": exc.message})
    except Exception:  # a damaged file fails in many ways inside the decoders
        cleaned = None
    if cleaned is None:
        raise UploadRejected(
            _("“%(name)s” looks damaged or could not be read, so it was not accepted.")
            % {"name": name})
    return CleanFile(name=name, content_type=content_type, data=cleaned)


def _clean_image(data, content_type):
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
        except UnidentifiedImageError:
            return None
        if image.width * image.height > MAX_PIXELS:
            raise UploadRejected(_("The image is too large to process (more than 40 megapixels)."))
        image.load()
    # Keep the picture the right way up, then drop the orientation tag with the rest.
    image = ImageOps.exif_transpose(image)
    fmt = PILLOW_FORMATS[content_type]
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    elif fmt == "PNG" and image.mode not in ("RGB", "RGBA", "L", "LA", "P", "1"):
        image = image.convert("RGBA")
    elif fmt == "WEBP" and image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if "A" in image.mode else "RGB")
    # A fresh image with only pixels: no info dictionary, EXIF, XMP, ICC or text chunks
    # can travel along to the encoder.
    bare = Image.new(image.mode, image.size)
    if image.mode == "P":
        bare.putpalette(image.getpalette())
    bare.paste(image)
    out = io.BytesIO()
    options = {"quality": 85} if fmt in ("JPEG", "WEBP") else {"optimize": True}
    bare.save(out, format=fmt, **options)
    return out.getvalue()


def _clean_pdf(data):
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        raise UploadRejected(_("The PDF is password-protected; send it without a password."))
    writer = PdfWriter()
    for page in reader.pages:
        for key in ("/Metadata", "/PieceInfo"):
            if key in page:
                del page[NameObject(key)]
        writer.add_page(page)
    writer.metadata = None  # no /Info: author, creator tool, producer, dates
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
