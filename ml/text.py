"""Text normalisation for short, noisy, mixed Indonesian/English citizen complaints.

Two public functions:

* :func:`normalize` prepares text for the classifier: lower case, personal data
  (URLs, e-mail addresses, phone numbers, 16-digit ID numbers) replaced by
  placeholder tokens so it never becomes a feature, whitespace unified.
* :func:`mask_personal_data` keeps the citizen's wording and case but replaces the
  same personal data with visible masks (``[email]``, ``[phone]``, ``[NIK]``,
  ``[url]``), and the names it is given (the reporter's stored name) with ``[name]``;
  the triage officer's public summary is prefilled with it. Names are not recognised
  by pattern: a name nobody stored stays as written.

Pure functions, standard library only (safe to import anywhere).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalize", "mask_personal_data", "PLACEHOLDERS"]

# Placeholder tokens used by normalize(): plain words so the tokenisers keep them whole.
URL_TOKEN = "urltoken"
EMAIL_TOKEN = "emailtoken"
PHONE_TOKEN = "phonetoken"
NIK_TOKEN = "niktoken"
PLACEHOLDERS = (URL_TOKEN, EMAIL_TOKEN, PHONE_TOKEN, NIK_TOKEN)

_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_TLDS = "com|net|org|id|info|io|co|gov|go|ac|sch|desa|biz|me|ly|gl"
# http(s)://..., www...., or a bare domain with a common TLD (e.g. laporgub.jatengprov.go.id).
_URL_RE = re.compile(
    r"""(?ix)
    (?:https?://|www\.)[^\s<>"']*[^\s<>"'.,;:!?)\]]
    |
    \b(?:[a-z0-9-]+\.)+(?:%s)
        (?:\.[a-z]{2,3})?\b(?:/(?:[^\s<>"']*[^\s<>"'.,;:!?)\]])?)?
    """ % _TLDS
)
# What every URL match contains besides "://": a dot before a TLD or after "www". It starts
# with a literal dot, which the regex engine finds fast; _URL_RE tries every word boundary.
_URL_HINT_RE = re.compile(r"\.(?:(?:%s)|(?<=www\.))" % _TLDS, re.IGNORECASE)
# A 16-digit Indonesian ID number (NIK / KK number), optionally grouped by spaces, dots or dashes.
_NIK_RE = re.compile(r"(?<![\d+])\d(?:[ .-]?\d){15}(?![\d]|[ .-]\d)")
# Indonesian phone numbers: mobile 08xx / +62 8xx / 62 8xx and landlines 0xx(x)-xxxxxxx,
# with optional separators (space, dot, dash, parentheses). 9-15 digits in total.
_PHONE_RE = re.compile(
    r"""(?x)
    (?<![\w+(])
    \(?(?:\+62|62|0)             # country code or trunk prefix, maybe in parentheses
    [\s.-]?\(?\d{1,4}\)?         # operator / area code
    (?:[\s.-]?\d{2,5}){1,4}      # the rest in groups
    (?![\w])
    """
)
# What every phone or NIK match contains: nine digits, at most two other characters
# between two of them (a phone needs 9 digits, its separators are one or two characters).
_DIGITS_HINT_RE = re.compile(r"\d(?:\D{0,2}\d){8}")


def _is_phone(match: re.Match) -> bool:
    digits = re.sub(r"\D", "", match.group(0))
    if not 9 <= len(digits) <= 15:
        return False
    if digits.startswith("62"):
        return len(digits) >= 10
    return digits.startswith("0")


def _replace_personal(text: str, url: str, email: str, phone: str, nik: str) -> str:
    # Order matters: e-mails before URLs (the domain of an address looks like a URL),
    # NIK (exactly 16 digits) before phones (which would swallow digit runs). Each pattern
    # is skipped when the text lacks what every match contains (routing runs this per
    # filing; the patterns are the slow part).
    if "@" in text:
        text = _EMAIL_RE.sub(email, text)
    if "://" in text or ("." in text and _URL_HINT_RE.search(text)):
        text = _URL_RE.sub(url, text)
    if _DIGITS_HINT_RE.search(text):
        text = _NIK_RE.sub(nik, text)
        text = _PHONE_RE.sub(lambda m: phone if _is_phone(m) else m.group(0), text)
    return text


# Name parts shorter than this are not masked alone (initials, "Hj", "Bu" would mask
# ordinary words); the whole name is always masked.
_MIN_NAME_PART = 3


def _name_pattern(names) -> re.Pattern | None:
    parts = set()
    for name in names:
        name = " ".join(str(name or "").split())
        if not name:
            continue
        parts.add(name)
        parts.update(word for word in re.findall(r"\w+", name) if len(word) >= _MIN_NAME_PART
                     and not word.isdigit())
    if not parts:
        return None
    # Longest first, so that the whole name wins over its parts.
    alternatives = "|".join(re.escape(p) for p in sorted(parts, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def mask_personal_data(text: str | None, names=()) -> str:
    """Return ``text`` with e-mails, URLs, phone numbers and NIK replaced by visible masks,
    and every given name (whole, or any part of at least three letters) by ``[name]``.

    The citizen's case and wording are kept; only whitespace runs are left alone.
    """
    if not text:
        return ""
    text = _replace_personal(str(text), "[url]", "[email]", "[phone]", "[NIK]")
    pattern = _name_pattern(names)
    return pattern.sub("[name]", text) if pattern else text


def normalize(text: str | None) -> str:
    """Normalise a complaint for the classifier (see the module docstring)."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", str(text))
    text = _replace_personal(text, f" {URL_TOKEN} ", f" {EMAIL_TOKEN} ", f" {PHONE_TOKEN} ", f" {NIK_TOKEN} ")
    text = text.lower()
    return " ".join(text.split())  # whitespace runs -> one space, trimmed (str.split's and re's \s agree)


def complaint_text(title: str | None, description: str | None) -> str:
    """What the router and the similarity ranking read of a complaint: its title and its
    description (one definition, so training and prediction see the same text)."""
    return f"{title or ''}\n{description or ''}"
