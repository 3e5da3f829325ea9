"""Cleaning of attachments beyond metadata: PDFs lose everything that runs, submits or
carries files (built here with pypdf, one active element per case), and an image that
declares more pixels than we decode is refused as too large, not as damaged."""

import io
import struct
import zlib

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject, DecodedStreamObject, DictionaryObject, FloatObject, IndirectObject, NameObject,
    NumberObject, TextStringObject,
)

from complaints import uploads
from complaints.models import Attachment, Complaint

from .conftest import form_data, upload

MARKER = "pwned-by-pdf"
# Names that make a PDF viewer run, launch, submit, import or unpack something.
ACTIVE_NAMES = {
    "/JavaScript", "/JS", "/Launch", "/SubmitForm", "/ImportData", "/OpenAction", "/AA",
    "/EmbeddedFiles", "/EmbeddedFile", "/EF", "/FileAttachment", "/RichMedia",
    "/RichMediaContent", "/RichMediaExecute", "/XFA", "/GoToR", "/GoToE", "/Rendition",
}


def _name(value):
    return NameObject(value)


def _js():
    return DictionaryObject({_name("/S"): _name("/JavaScript"), _name("/JS"): TextStringObject(f"app.alert('{MARKER}')")})


def _action(kind):
    actions = {
        "javascript": _js(),
        "launch": DictionaryObject({_name("/S"): _name("/Launch"),
                                    _name("/F"): TextStringObject(f"{MARKER}.exe")}),
        "submit": DictionaryObject({_name("/S"): _name("/SubmitForm"), _name("/F"): DictionaryObject({
            _name("/FS"): _name("/URL"), _name("/F"): TextStringObject(f"https://{MARKER}.example/")})}),
        "import": DictionaryObject({_name("/S"): _name("/ImportData"),
                                    _name("/F"): TextStringObject(f"{MARKER}.fdf")}),
        "chained": DictionaryObject({_name("/S"): _name("/GoTo"), _name("/D"): ArrayObject(
            [NumberObject(0), _name("/Fit")]), _name("/Next"): _js()}),
    }
    return actions[kind]


def _rect():
    return ArrayObject([FloatObject(10), FloatObject(10), FloatObject(90), FloatObject(40)])


def _annotation(writer, page, fields):
    annot = DictionaryObject({_name("/Type"): _name("/Annot"), _name("/Rect"): _rect(), **fields})
    ref = writer._add_object(annot)
    page[_name("/Annots")] = ArrayObject([*page.get("/Annots", ArrayObject()), ref])
    return annot


def _file_spec(writer):
    stream = DecodedStreamObject()
    stream.set_data(b"MZ" + MARKER.encode())
    stream[_name("/Type")] = _name("/EmbeddedFile")
    return DictionaryObject({_name("/Type"): _name("/Filespec"), _name("/F"): TextStringObject(f"{MARKER}.exe"),
                             _name("/EF"): DictionaryObject({_name("/F"): writer._add_object(stream)})})


def active_pdf(case):
    """A one-page PDF with visible text and one active element of the given kind."""
    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)
    content = DecodedStreamObject()
    content.set_data(b"BT /F1 12 Tf 20 100 Td (Laporan warga) Tj ET")
    page[_name("/Contents")] = writer._add_object(content)
    font = DictionaryObject({_name("/Type"): _name("/Font"), _name("/Subtype"): _name("/Type1"),
                             _name("/BaseFont"): _name("/Helvetica")})
    page[_name("/Resources")] = DictionaryObject({_name("/Font"): DictionaryObject({_name("/F1"): font})})
    root = writer._root_object
    if case == "page_aa":
        page[_name("/AA")] = DictionaryObject({_name("/O"): _js()})
    elif case.startswith("link_"):
        _annotation(writer, page, {_name("/Subtype"): _name("/Link"), _name("/A"): _action(case[5:])})
    elif case == "annotation_aa":
        _annotation(writer, page, {_name("/Subtype"): _name("/Square"),
                                   _name("/AA"): DictionaryObject({_name("/E"): _js()})})
    elif case == "open_action":
        root[_name("/OpenAction")] = _js()
    elif case == "catalog_aa":
        root[_name("/AA")] = DictionaryObject({_name("/WC"): _js()})
    elif case == "names_javascript":
        tree = DictionaryObject({_name("/Names"): ArrayObject([TextStringObject("init"), writer._add_object(_js())])})
        root[_name("/Names")] = DictionaryObject({_name("/JavaScript"): writer._add_object(tree)})
    elif case == "embedded_file":
        writer.add_attachment(f"{MARKER}.exe", b"MZ" + MARKER.encode())
    elif case == "file_attachment_annotation":
        _annotation(writer, page, {_name("/Subtype"): _name("/FileAttachment"), _name("/FS"): _file_spec(writer)})
    elif case == "rich_media":
        _annotation(writer, page, {_name("/Subtype"): _name("/RichMedia"), _name("/RichMediaContent"): DictionaryObject({
            _name("/Assets"): DictionaryObject({_name("/Names"): ArrayObject([
                TextStringObject(f"{MARKER}.swf"), writer._add_object(_file_spec(writer))])})})})
    elif case in ("xfa", "form_field_aa"):
        field = DictionaryObject({_name("/FT"): _name("/Tx"), _name("/T"): TextStringObject("nama")})
        field_ref = writer._add_object(field)
        _annotation(writer, page, {_name("/Subtype"): _name("/Widget"), _name("/Parent"): field_ref})
        field[_name("/Kids")] = ArrayObject([page["/Annots"][-1]])
        form = DictionaryObject({_name("/Fields"): ArrayObject([field_ref])})
        if case == "xfa":
            form[_name("/XFA")] = TextStringObject(f"<xdp><script>{MARKER}</script></xdp>")
        else:
            field[_name("/AA")] = DictionaryObject({_name("/K"): _js()})
        root[_name("/AcroForm")] = writer._add_object(form)
    else:
        raise ValueError(case)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


CASES = ["page_aa", "link_javascript", "link_launch", "link_submit", "link_import", "link_chained",
         "annotation_aa", "open_action", "catalog_aa", "names_javascript", "embedded_file",
         "file_attachment_annotation", "rich_media", "xfa", "form_field_aa"]


def every_object(data):
    """Every object stored in a PDF, reached through its cross-reference table (not only
    what the page tree reaches), with the names it uses."""
    reader = PdfReader(io.BytesIO(data))
    seen, names = [], set()

    def walk(obj, depth=0):
        if isinstance(obj, IndirectObject):
            obj = obj.get_object()
        if depth > 50:
            return
        if isinstance(obj, dict):
            for key, value in obj.items():
                names.add(str(key))
                walk(value, depth + 1)
        elif isinstance(obj, list):
            for value in obj:
                walk(value, depth + 1)
        elif isinstance(obj, NameObject):
            names.add(str(obj))

    for generation, ids in reader.xref.items():
        for idnum in ids:
            obj = reader.get_object(IndirectObject(idnum, generation, reader))
            seen.append(obj)
            walk(obj)
    for idnum in reader.xref_objStm:
        walk(reader.get_object(IndirectObject(idnum, 0, reader)))
    walk(reader.trailer)
    return reader, names


@pytest.mark.parametrize("case", CASES)
def test_the_test_pdfs_really_carry_their_active_element(case):
    _reader, names = every_object(active_pdf(case))
    assert names & ACTIVE_NAMES, case


@pytest.mark.parametrize("case", CASES)
def test_active_content_is_stripped_from_pdfs_and_the_page_is_kept(case):
    cleaned = uploads.clean_upload(upload("surat.pdf", active_pdf(case)))
    reader, names = every_object(cleaned.data)
    assert names & ACTIVE_NAMES == set()
    assert MARKER.encode() not in cleaned.data
    assert len(reader.pages) == 1
    assert "Laporan warga" in reader.pages[0].extract_text()


def test_a_pdf_with_active_content_is_filed_clean_through_the_form(client, city):
    files = [upload("surat.pdf", active_pdf("link_javascript")), upload("lampiran.pdf", active_pdf("open_action"))]
    response = client.post("/report/", {**form_data(city), "attachments": files})
    assert response.status_code == 302
    assert Complaint.objects.count() == 1
    for attachment in Attachment.objects.all():
        stored = attachment.file.read()
        assert MARKER.encode() not in stored
        assert every_object(stored)[1] & ACTIVE_NAMES == set()


def test_a_pdf_that_still_has_active_content_after_cleaning_is_refused(monkeypatch):
    # The last line of defence: if stripping ever misses something, the file is refused.
    monkeypatch.setattr(uploads, "_strip_active_content", lambda pages: None)
    with pytest.raises(uploads.UploadRejected) as refused:
        uploads.clean_upload(upload("surat.pdf", active_pdf("page_aa")))
    assert "surat.pdf" in refused.value.message and "script" in refused.value.message


# --- images declaring more pixels than we decode ---------------------------------------------
def png_declaring(width, height):
    """A tiny PNG (under 100 bytes) whose header claims width × height pixels."""
    def chunk(kind, payload):
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 16))
            + chunk(b"IEND", b""))


@pytest.mark.parametrize("side", [10_000, 20_000, 60_000])
def test_an_image_declaring_a_huge_size_is_refused_as_too_large_with_the_limit(side):
    data = png_declaring(side, side)
    assert len(data) < 100
    with pytest.raises(uploads.UploadRejected) as refused:
        uploads.clean_upload(upload("bom.png", data))
    message = refused.value.message
    assert "bom.png" in message and "too large" in message and "40 megapixels" in message
    assert "damaged" not in message


def test_the_form_says_too_large_for_a_decompression_bomb(client, city):
    client.cookies["django_language"] = "en"
    response = client.post("/report/", {**form_data(city), "attachments": [upload("bom.png", png_declaring(20_000, 20_000))]})
    html = response.content.decode()
    assert response.status_code == 400
    assert "bom.png" in html and "too large" in html and "40 megapixels" in html
    assert not Complaint.objects.exists()
