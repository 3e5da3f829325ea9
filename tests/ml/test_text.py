import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ml.text import mask_personal_data, normalize

PERSONAL = [
    ("Hubungi saya di 0812-3456-7890 ya", "0812-3456-7890"),
    ("WA +62 812 3456 7890 kapan saja", "+62 812 3456 7890"),
    ("kantor desa 021-5551234", "021-5551234"),
    ("telp (0281) 891234", "(0281) 891234"),
    ("no hp 081234567890", "081234567890"),
    ("NIK saya 3303012345678901", "3303012345678901"),
    ("NIK 3303 0123 4567 8901", "3303 0123 4567 8901"),
    ("email Budi.Santoso+lapor@gmail.com", "Budi.Santoso+lapor@gmail.com"),
    ("lihat https://example.go.id/berita?id=5", "https://example.go.id/berita?id=5"),
    ("diteruskan laporgub.jatengprov.go.id", "laporgub.jatengprov.go.id"),
]


@pytest.mark.parametrize("text,secret", PERSONAL)
def test_normalize_replaces_personal_data_with_placeholders(text, secret):
    out = normalize(text)
    digits = "".join(ch for ch in secret if ch.isdigit())
    assert secret.lower() not in out
    if digits:
        assert digits[-6:] not in out.replace(" ", "").replace("-", "")
    assert any(token in out for token in ("phonetoken", "niktoken", "emailtoken", "urltoken"))


def test_normalize_lowercases_and_unifies_whitespace():
    assert normalize("  Jalan   RUSAK\n\tparah  ") == "jalan rusak parah"


def test_normalize_keeps_ordinary_numbers():
    out = normalize("RT 02 RW 04, tahun 2023, Rp 1.500.000, tanggal 12-03-2024")
    assert out == "rt 02 rw 04, tahun 2023, rp 1.500.000, tanggal 12-03-2024"


def test_mask_personal_data_keeps_case_and_masks_each_kind():
    text = "Saya Budi, HP 0812-3456-7890, NIK 3303012345678901, budi@mail.com, http://x.id/a. Jalan Rusak!"
    masked = mask_personal_data(text)
    assert masked == "Saya Budi, HP [phone], NIK [NIK], [email], [url]. Jalan Rusak!"


def test_mask_personal_data_handles_empty_input():
    assert mask_personal_data(None) == ""
    assert normalize("") == ""


def _normalize_without_shortcuts(text):
    """normalize() as it was before its pre-checks: every pattern applied unconditionally."""
    import re
    import unicodedata

    from ml import text as module

    text = unicodedata.normalize("NFKC", text)
    text = module._EMAIL_RE.sub(" emailtoken ", text)
    text = module._URL_RE.sub(" urltoken ", text)
    text = module._NIK_RE.sub(" niktoken ", text)
    text = module._PHONE_RE.sub(lambda m: " phonetoken " if module._is_phone(m) else m.group(0), text)
    return re.sub(r"\s+", " ", text.lower()).strip()


_PIECES = st.sampled_from([
    "www.", "WWW.", "http://", "https://x", "://", ".go.id", ".CO", ".com/a?b", ".sch", "laporgub.jatengprov",
    "0812", "-", " ", ".", "(", ")", "+62", "62", "021", "3456", "7890", "12", "1", "\u0661\u0662", "@", "a@b.id",
    "\t", "\n", "\u00a0", "\u2028", "\u3000", "\x1c", "\x85", "\x00", "jalan", "Rusak", "RT 02/RW 03", "ſch", "K",
])


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES | st.text(max_size=6), max_size=25).map("".join))
@example("telp (0281) 891234, (021)-5551234 atau +62 (812) 3456-789")
@example("lihat WWW.Example.org, http://x/y dan laporgub.jatengprov.GO.ID/a.")
@example("\u0663\u0663\u0660\u0663 0123 4567 8901 \u2028 akhir\x85")
def test_the_pre_checks_never_change_the_result(text):
    """normalize() skips a pattern when the text lacks what every match contains and joins
    whitespace with str.split; the result must equal applying every pattern."""
    assert normalize(text) == _normalize_without_shortcuts(text)
