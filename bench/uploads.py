"""Cost of cleaning attachments (complaints.uploads.clean_upload): PDFs of growing
page counts, each page with text, a link annotation carrying JavaScript and a page action
(all stripped), and a 12-megapixel JPEG photo.

    DEBUG=1 python bench/uploads.py [--repeat 5]

Prints one line per file: its size, the median time to clean it (for PDFs also the time
of copying the pages only, which was the whole cleaning before issue 11) and the peak
Python memory while cleaning (tracemalloc, in a separate run).
"""

import argparse
import io
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("ADUAN_ALLOW_DEV_KEYS", "1")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from PIL import Image  # noqa: E402
from pypdf import PdfWriter  # noqa: E402
from pypdf.generic import (  # noqa: E402
    ArrayObject, DecodedStreamObject, DictionaryObject, FloatObject, NameObject, TextStringObject,
)

from complaints.uploads import clean_upload  # noqa: E402


def _name(value):
    return NameObject(value)


def pdf(pages):
    writer = PdfWriter()
    font = DictionaryObject({_name("/Type"): _name("/Font"), _name("/Subtype"): _name("/Type1"),
                             _name("/BaseFont"): _name("/Helvetica")})
    for n in range(pages):
        page = writer.add_blank_page(595, 842)
        content = DecodedStreamObject()
        lines = b"".join(b"(Baris %d halaman %d: jalan berlubang di depan sekolah.) Tj T* " % (i, n)
                         for i in range(40))
        content.set_data(b"BT /F1 11 Tf 14 TL 40 800 Td " + lines + b"ET")
        page[_name("/Contents")] = writer._add_object(content)
        page[_name("/Resources")] = DictionaryObject({_name("/Font"): DictionaryObject({_name("/F1"): font})})
        js = DictionaryObject({_name("/S"): _name("/JavaScript"), _name("/JS"): TextStringObject("app.alert(1)")})
        link = DictionaryObject({_name("/Type"): _name("/Annot"), _name("/Subtype"): _name("/Link"),
                                 _name("/Rect"): ArrayObject([FloatObject(40), FloatObject(40), FloatObject(200), FloatObject(60)]),
                                 _name("/A"): js})
        page[_name("/Annots")] = ArrayObject([writer._add_object(link)])
        page[_name("/AA")] = DictionaryObject({_name("/O"): js})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def photo():
    out = io.BytesIO()
    Image.effect_noise((4000, 3000), 64).convert("RGB").save(out, format="JPEG", quality=90)
    return out.getvalue()


def copy_only(data):
    """The PDF cleaning before issue 11 (pages copied, no metadata), for comparison."""
    from pypdf import PdfReader

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(data)).pages:
        writer.add_page(page)
    writer.metadata = None
    writer.write(io.BytesIO())


def median_ms(run, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def measure(name, data, repeat):
    cleaning = median_ms(lambda: clean_upload(SimpleUploadedFile(name, data)), repeat)
    baseline = f"  (copy only {median_ms(lambda: copy_only(data), repeat):7.1f} ms)" if name.endswith(".pdf") else ""
    # Memory in a run of its own: tracemalloc slows Python down several times.
    tracemalloc.start()
    clean_upload(SimpleUploadedFile(name, data))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"{name:>16}  {len(data) / 1e6:6.2f} MB  median {cleaning:8.1f} ms{baseline}"
          f"  peak {peak / 1e6:7.1f} MB")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    for pages in (1, 20, 100, 300):
        measure(f"{pages}-pages.pdf", pdf(pages), args.repeat)
    measure("12MP.jpg", photo(), args.repeat)


if __name__ == "__main__":
    main()
