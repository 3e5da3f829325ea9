"""Checking and cleaning uploaded files (citizens' attachments, the photo proving a resolution)
before anything is stored.

The type is decided by the file's first bytes, never by its name. Images are decoded and
re-encoded with Pillow so that EXIF (GPS position, camera serial, time) and every other
metadata block is left behind; PDFs are rewritten page by page with pypdf without the
document information dictionary or XMP metadata (author, creator tool).
"""

import hashlib
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
# Larger images are refused rather than decoded (decompression bombs); the message
# "more than 40 megapixels" states this number.
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
    digest: str  # SHA-256 of the file as uploaded: the same file chosen again has the same digest


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
    return CleanFile(name=name, content_type=content_type, data=cleaned,
                     digest=hashlib.sha256(data).hexdigest())


def _clean_image(data, content_type):
    too_large = UploadRejected(_("The image is too large to process (more than 40 megapixels)."))
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
        except UnidentifiedImageError:
            return None
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            # Pillow's own limits (far above ours) stop it while reading the header: the
            # size it declares is the problem, not damage.
            raise too_large from None
        if image.width * image.height > MAX_PIXELS:
            raise too_large
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


# Keys under which a PDF keeps something a viewer runs, submits, launches or unpacks:
# actions (/A, /AA, /OpenAction and the /Next chains inside them), scripts, embedded files,
# XFA forms and rich media. Removed wherever they appear in what a page reaches.
_ACTIVE_KEYS = ("/A", "/AA", "/OpenAction", "/JS", "/JavaScript", "/EmbeddedFiles", "/EF", "/XFA",
                "/RichMediaContent", "/RichMediaSettings")
# Annotations whose only purpose is to carry or play files.
_ACTIVE_ANNOTATIONS = ("/FileAttachment", "/RichMedia", "/Screen", "/Movie", "/Sound", "/3D")
# Page entries that are not the page's appearance: metadata, thumbnails (which can show an
# earlier version of the page) and private application data.
_PAGE_EXTRAS = ("/Metadata", "/PieceInfo", "/Thumb")
# If any of these names is still in the file after cleaning, it is refused.
_ACTIVE_NAMES = frozenset(_ACTIVE_KEYS + _ACTIVE_ANNOTATIONS + (
    "/Launch", "/SubmitForm", "/ImportData", "/GoToR", "/GoToE", "/Rendition", "/RichMediaExecute",
    "/EmbeddedFile"))


def _resolved(obj):
    from pypdf.generic import IndirectObject

    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def _strip_active_content(pages):
    """Remove every action, script, embedded file and media annotation from what `pages`
    reach (in the parsed source, before it is copied, so that nothing removed is copied
    at all). Links keep their place and destination but open nothing; form fields keep
    how they look."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject

    stack, seen = list(pages), set()
    while stack:
        obj = _resolved(stack.pop())
        if id(obj) in seen or not isinstance(obj, (DictionaryObject, ArrayObject)):
            continue
        seen.add(id(obj))
        if isinstance(obj, ArrayObject):
            stack.extend(obj)
            continue
        for key in _ACTIVE_KEYS:
            obj.pop(key, None)
        if obj.get("/Type") == "/Page":
            for key in _PAGE_EXTRAS:
                obj.pop(key, None)
            if "/Annots" in obj:
                kept = [a for a in _resolved(obj["/Annots"])
                        if _resolved(a).get("/Subtype") not in _ACTIVE_ANNOTATIONS]
                obj[NameObject("/Annots")] = ArrayObject(kept)
        stack.extend(obj.values())


def _active_names(data):
    """The active names (see _ACTIVE_NAMES) anywhere in a PDF: in every object its
    cross-reference table lists, not only in what its pages reach."""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    reader = PdfReader(io.BytesIO(data))
    stack = [reader.trailer]
    for generation, ids in reader.xref.items():
        stack.extend(IndirectObject(idnum, generation, reader) for idnum in ids)
    stack.extend(IndirectObject(idnum, 0, reader) for idnum in reader.xref_objStm)
    found, seen = set(), set()
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            if (obj.idnum, obj.generation) in seen:
                continue
            seen.add((obj.idnum, obj.generation))
            obj = obj.get_object()
        if isinstance(obj, NameObject):
            if obj in _ACTIVE_NAMES:
                found.add(str(obj))
        elif isinstance(obj, DictionaryObject):
            found.update(str(k) for k in obj if k in _ACTIVE_NAMES)
            stack.extend(obj.values())
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
    return found


def _rewrite(pages):
    from pypdf import PdfWriter

    writer = PdfWriter()
    for page in pages:
        writer.add_page(page)
    writer.metadata = None  # no /Info: author, creator tool, producer, dates
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _clean_pdf(data):
    """Rewrite the pages into a new document: no document information, XMP, catalog-level
    actions, name trees (scripts, embedded files) or forms travel along (the new catalog
    has none), and _strip_active_content empties what the pages themselves carry. Stripping,
    not refusing: citizens attach letters and filled-in forms from office software that
    routinely carry links and scripts they never saw, and the page content is what counts.
    A file in which anything active survives is refused."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        raise UploadRejected(_("The PDF is password-protected; send it without a password."))
    pages = list(reader.pages)
    _strip_active_content(pages)
    cleaned = _rewrite(pages)
    if _active_names(cleaned):
        raise UploadRejected(_(
            "The PDF contains scripts, attached files or other active content that could not be "
            "removed. Print it to a new PDF or scan it, and attach that."))
    return cleaned
