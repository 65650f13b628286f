"""Numbers that identify a person: the BSN (elfproef) and the IBAN (ISO 13616), and when a number stands alone.

``BSN``
    Nine digits, written as ``123456782``, ``1234.56.782`` or ``1234 56 782`` (4-2-3 with one consistent dot or
    space) or ``123 456 782`` / ``123-456-782`` (3-3-3 with spaces or hyphens), that pass the elfproef
    (9*d1 + 8*d2 + ... + 2*d8 - 1*d9 divisible by 11, not all zeros). ``123.456.782`` is *not* accepted: with dots
    in threes it is the way amounts are written. Digits glued to a longer number (``2024-123456782``,
    ``Z123456782``, ``123 456 782 1``, ``€ 123456782``) are not a BSN. Nine digits failing the elfproef are not.
``IBAN``
    Two letters, two check digits, then the account part, in any case, compact or in groups separated by single
    spaces. Valid only when ISO 13616 mod-97 gives 1 and the length matches the country (see ``IBAN_LENGTHS``);
    for a country code not in that table any length from 15 to 34 is accepted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator


def glued_before(text: str, start: int, *, space_glues: bool = False) -> bool:
    """True when the number at ``start`` continues a word or a preceding number."""
    if start == 0:
        return False
    c1 = text[start - 1]
    if c1.isalnum() or c1 in "_+€":
        return True
    if start >= 2 and text[start - 2].isdigit() and (c1 in "-.,:/" or (space_glues and c1 == " ")):
        return True
    return start >= 2 and c1 == " " and text[start - 2] == "€"


def glued_after(text: str, end: int, *, space_glues: bool = False) -> bool:
    """True when the number ending at ``end`` runs on into a word or a following number."""
    if end >= len(text):
        return False
    c1 = text[end]
    if c1.isalnum() or c1 == "_":
        return True
    if end + 1 < len(text) and text[end + 1].isdigit() and (c1 in "-.,:/+" or (space_glues and c1 == " ")):
        return True
    return False


# --- BSN -----------------------------------------------------------------------------------------------------------

# Patterns begin with a character class and check what precedes it with a look-behind afterwards: that lets the
# regex engine skip quickly to candidate positions.
_BSN_RE = re.compile(r"\d(?<!\w\d)(?:\d{8}|\d{3}([. ])\d{2}\1\d{3}|\d{2}([ -])\d{3}\2\d{3})(?!\w)")


def elfproef(digits: str) -> bool:
    """The BSN eleven test on a string of exactly nine digits."""
    if len(digits) != 9 or not digits.isdigit() or digits == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(digits, (9, 8, 7, 6, 5, 4, 3, 2, -1)))
    return total % 11 == 0


def find_bsn(text: str) -> Iterator[tuple[int, int]]:
    for m in _BSN_RE.finditer(text):
        raw = m.group()
        spaced = " " in raw
        if glued_before(text, m.start(), space_glues=spaced) or glued_after(text, m.end(), space_glues=spaced):
            continue
        if elfproef(raw.replace(".", "").replace(" ", "").replace("-", "")):
            yield m.start(), m.end()


# --- IBAN ----------------------------------------------------------------------------------------------------------

# Lengths from the SWIFT IBAN registry (plus Morocco and a few partly adopted codes).
IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29,
    "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20, "EG": 29,
    "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28,
    "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20,
    "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MA": 28, "MC": 27, "MD": 24,
    "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24, "PL": 28, "PS": 29,
    "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24, "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27,
    "ST": 25, "SV": 28, "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}

_IBAN_START_RE = re.compile(r"[0-9]{2}(?<![A-Za-z0-9][A-Za-z]{2}[0-9]{2})(?<=[A-Za-z]{2}[0-9]{2})")
_IBAN_RE = re.compile(
    r"[A-Za-z]{2}[0-9]{2}[A-Za-z0-9]{0,30}(?![A-Za-z0-9])"
    r"(?:[ ][A-Za-z0-9]{1,30}(?![A-Za-z0-9])){0,9}"
)


def iban_is_valid(iban: str) -> bool:
    """ISO 13616: country length where known (else 15..34) and mod 97 == 1. Spaces are ignored."""
    compact = iban.replace(" ", "").upper()
    if not (compact.isascii() and compact.isalnum()) or len(compact) < 15 or len(compact) > 34:
        return False
    country, check = compact[:2], compact[2:4]
    if not (country.isalpha() and check.isdigit()):
        return False
    expected = IBAN_LENGTHS.get(country)
    if expected is not None and len(compact) != expected:
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


def find_iban(text: str) -> Iterator[tuple[int, int]]:
    pos = 0
    while (start := _IBAN_START_RE.search(text, pos + 2)) is not None:
        m = _IBAN_RE.match(text, start.start() - 2)
        if m is None:
            pos = start.start() - 1
            continue
        parts = m.group().split(" ")
        found = False
        # The longest run of space-separated groups that is a valid IBAN.
        for n in range(len(parts), 0, -1):
            candidate = " ".join(parts[:n])
            if iban_is_valid(candidate):
                yield m.start(), m.start() + len(candidate)
                pos = m.start() + len(candidate)
                found = True
                break
        if not found:
            # An IBAN may still begin at a later group of this run.
            pos = m.start() + len(parts[0]) + 1

