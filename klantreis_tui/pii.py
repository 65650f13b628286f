"""Detect and redact personal data (persoonsgegevens) in free Dutch interview text.

Standard library only; nothing here imports the rest of ``klantreis_tui``.

What is flagged
---------------
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
``PHONE``
    Dutch numbers of ten digits beginning with 0, compact or grouped: ``0612345678``, ``06-12345678``,
    ``06 1234 5678``, ``(06) 12345678``, ``010-1234567``, ``020 123 4567``, ``0513-123456``; and the international
    writings ``+31 6 12345678``, ``+31 (0)6 12345678``, ``0031 6 12345678``. Any other ``+<country>`` number with
    8 to 15 digits (``+44 20 7946 0958``); ``00<country>`` only with a separator after the country code.
    Flagged Dutch ranges: geographic (01-05, 07), mobile (06) and the personal/VoIP numbers 084, 085 and 087.

    Not flagged, because they belong to organisations rather than people: 0800 and 090x service numbers, 088
    company numbers, the 097 machine range, the municipal ``14 0xx`` numbers and 112. Not flagged either:
    dates (``06-03-2024``, ``06 03 2024``), times, amounts, years, postcodes, case numbers such as
    ``2024-0012345``, nine-digit numbers (a BSN is never a phone number), numbers glued to letters or to a
    preceding number (``2024-0612345678``), and grouped digits that run on into another group written the same
    way (``06 12345678 12``, ``020 123 4567 8``: it is unclear where the number ends, so nothing is claimed;
    ``0612345678 2 keer`` is fine).
``EMAIL``
    ``local@domain.tld`` with subdomains, dots, ``+`` and ``%`` in the local part and a top-level domain of two or
    more letters. A handle such as ``@gemeente`` or ``info@gemeente`` (no dot, no top-level domain) is not flagged.
``ADDRESS``
    A postcode (four digits, the first not 0, an optional single space, two letters other than SA, SD and SS)
    *together with* a house number, in either order:
    ``1234 AB 12``, ``1234AB 12a``, ``1234 ab, nr 5``, ``1234AB huisnummer 12``, ``Kerkweg 5a 1234AB``,
    ``Dorpsstraat 12, 1234 AB`` (the city after the postcode is kept: a place name alone identifies nobody).
    Also a street and house number without postcode, when the street word is capitalised and ends in one of
    ``STREET_SUFFIXES`` (``ik woon op de Dorpsstraat 12``). Capitalised words and name particles just before the
    street word are part of the street, up to four words (``Van Goghstraat 3``, ``Burgemeester de Vlugtlaan
    12``); a bare suffix word counts only after such a word (``Grote Markt 1`` yes, ``Markt 3`` and ``Singel 5``
    no). Names that start with the suffix word (``Laan van Meerdervoort 34``) and lower-case street names are
    not recognised without a postcode. Common nouns with such an ending (``Uitkering 3``,
    ``Onderweg 2``, ``Supermarkt 2``) and numbers followed by a unit (``Kalverstraat 3 keer``) are not addresses.

    A postcode without house number is *not* flagged: it names an area of some twenty households, which the
    study may record (a wijk at most). Lower-case postcode letters that form a common Dutch word or unit
    (``2024 en 12``, ``1500 km``) are not read as a postcode.

Overlaps: the longer match wins; at equal length the priority is EMAIL, IBAN, BSN, ADDRESS, PHONE.

``redact`` replaces each match by its label (``LABELS``; a language other than nl or en falls back to its primary
subtag, then to nl) and repeats until nothing is found, since a context rule (``123456782.+10000000``) can let a
neighbour through only once the match beside it is gone.

Every pattern is compiled once, uses bounded or possessive repetition and starts only at the beginning of a run of
characters, so the time taken grows linearly with the length of the text.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum, StrEnum
from typing import Any

__all__ = [
    "IBAN_LENGTHS",
    "LABELS",
    "PiiKind",
    "PiiMatch",
    "STREET_SUFFIXES",
    "elfproef",
    "find_pii",
    "iban_is_valid",
    "kinds_in",
    "redact",
    "redact_value",
]


class PiiKind(StrEnum):
    BSN = "bsn"
    IBAN = "iban"
    PHONE = "phone"
    EMAIL = "email"
    ADDRESS = "address"


@dataclass(frozen=True)
class PiiMatch:
    kind: PiiKind
    start: int
    end: int
    text: str


LABELS: dict[str, dict[PiiKind, str]] = {
    "nl": {
        PiiKind.BSN: "[BSN]",
        PiiKind.IBAN: "[IBAN]",
        PiiKind.PHONE: "[telefoonnummer]",
        PiiKind.EMAIL: "[e-mailadres]",
        PiiKind.ADDRESS: "[adres]",
    },
    "en": {
        PiiKind.BSN: "[BSN]",
        PiiKind.IBAN: "[IBAN]",
        PiiKind.PHONE: "[phone number]",
        PiiKind.EMAIL: "[e-mail address]",
        PiiKind.ADDRESS: "[address]",
    },
}

# At equal length, the kind earlier in this tuple wins.
_PRIORITY: dict[PiiKind, int] = {
    kind: rank
    for rank, kind in enumerate((PiiKind.EMAIL, PiiKind.IBAN, PiiKind.BSN, PiiKind.ADDRESS, PiiKind.PHONE))
}


def _glued_before(text: str, start: int, *, space_glues: bool = False) -> bool:
    """True when the number at ``start`` continues a word or a preceding number."""
    if start == 0:
        return False
    c1 = text[start - 1]
    if c1.isalnum() or c1 in "_+€":
        return True
    if start >= 2 and text[start - 2].isdigit() and (c1 in "-.,:/" or (space_glues and c1 == " ")):
        return True
    return start >= 2 and c1 == " " and text[start - 2] == "€"


def _glued_after(text: str, end: int, *, space_glues: bool = False) -> bool:
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


def _find_bsn(text: str) -> Iterator[tuple[int, int]]:
    for m in _BSN_RE.finditer(text):
        raw = m.group()
        spaced = " " in raw
        if _glued_before(text, m.start(), space_glues=spaced) or _glued_after(text, m.end(), space_glues=spaced):
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


def _find_iban(text: str) -> Iterator[tuple[int, int]]:
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


# --- Phone ---------------------------------------------------------------------------------------------------------

# A run of digit tokens and separators; tokens are parsed in Python.
_PHONE_TOKEN = r"(?:\+?\d++|\(\d{1,4}\))"
_PHONE_SEP = r"(?:[ ]?[-/][ ]?|\.|[ ])?"
_PHONE_RUN_RE = re.compile(
    r"[\d+(](?:(?<=\+)\d++|(?<=\d)\d*+|(?<=\()\d{1,4}\))(?:" + _PHONE_SEP + _PHONE_TOKEN + r")*+"
)
_PHONE_PART_RE = re.compile(r"(" + _PHONE_SEP + r")(" + _PHONE_TOKEN + r")")

_PHONE_START_RE = re.compile(r"(?<!\d)[0+]")
_Token = tuple[str, int, int, str]  # text, start, end, separator before it


def _tokens(run: re.Match[str]) -> list[_Token]:
    return [
        (m.group(2), m.start(2), m.end(2), m.group(1))
        for m in _PHONE_PART_RE.finditer(run.string, run.start(), run.end())
    ]


def _dutch_national_ok(digits: str) -> bool:
    """Ten digits with a leading 0 in a range used by people (not 08xx/09xx services, 088 companies)."""
    return (
        len(digits) == 10
        and digits[0] == "0"
        and (digits[1] in "1234567" or digits[1:3] in ("84", "85", "87"))
    )


def _looks_like_date(tokens: list[_Token], i: int) -> bool:
    """dd-mm-yyyy (any one separator) starting at token ``i``."""
    if i + 2 >= len(tokens):
        return False
    (d, _, _, _), (mo, _, _, s1), (y, _, _, s2) = tokens[i], tokens[i + 1], tokens[i + 2]
    return (
        len(d) == 2 and len(mo) == 2 and len(y) == 4 and d.isdigit() and mo.isdigit() and y.isdigit()
        and s1 == s2 and 1 <= int(d) <= 31 and 1 <= int(mo) <= 12 and y[:2] in ("19", "20")
    )


def _parse_national(tokens: list[_Token], i: int) -> int | None:
    first = tokens[i][0]
    if first.startswith("("):
        area = first[1:-1]
        if not (2 <= len(area) <= 4 and area[0] == "0"):
            return None
        if i + 1 >= len(tokens) or tokens[i + 1][3] not in ("", " ", "-", " - ", " -", "- "):
            return None
    else:
        if len(first) == 10:
            return i + 1 if _dutch_national_ok(first) else None
        if not 2 <= len(first) <= 4:
            return None
        area = first
    if _looks_like_date(tokens, i):
        return None
    need = 10 - len(area)
    digits = area
    group_sep: str | None = None
    j = i + 1
    while j < len(tokens):
        tok, _, _, sep = tokens[j]
        if not tok.isdigit():
            return None
        if j == i + 1:
            if len(tok) == need:
                digits += tok
                j += 1
                break
            if not 2 <= len(tok) <= 4:
                return None
        else:
            if not 2 <= len(tok) <= 4:
                return None
            if group_sep is None:
                if sep not in (" ", "-", "."):
                    return None
                group_sep = sep
            elif sep != group_sep:
                return None
        digits += tok
        j += 1
        if len(digits) >= 10:
            break
    return j if _dutch_national_ok(digits) else None


def _parse_international(tokens: list[_Token], i: int) -> int | None:
    first = tokens[i][0]
    if first.startswith("+"):
        body = first[1:]
    elif first.startswith("0031"):
        body = first[2:]
    elif first.startswith("00") and 3 <= len(first) <= 5 and i + 1 < len(tokens) and tokens[i + 1][3] != "":
        body = first[2:]
    else:
        return None
    j = i + 1
    if body.startswith("31"):
        nsn = body[2:]

        def national() -> str:
            return nsn[1:] if nsn.startswith("0") else nsn

        while len(national()) < 9 and j < len(tokens):
            tok = tokens[j][0]
            if tok == "(0)" and j == i + 1:
                j += 1
                continue
            if not tok.isdigit():
                return None
            nsn += tok
            j += 1
        n = national()
        ok = len(n) == 9 and (n[0] in "1234567" or n[:2] in ("84", "85", "87"))
        return j if ok else None
    total = len(body)
    while j < len(tokens):
        tok = tokens[j][0]
        if tok.startswith("+"):
            break
        if tok.startswith("("):
            if tok == "(0)" and j == i + 1:
                j += 1
                continue
            if j != i + 1:
                break
            tok = tok[1:-1]
        total += len(tok)
        if total > 15:
            return None
        j += 1
    return j if 8 <= total <= 15 and body[:1] != "0" else None


def _parse_phone(tokens: list[_Token], i: int) -> int | None:
    first = tokens[i][0]
    if first.startswith("+") or first.startswith("00"):
        return _parse_international(tokens, i)
    if first.startswith("0") or first.startswith("(0"):
        return _parse_national(tokens, i)
    return None


def _find_phone(text: str) -> Iterator[tuple[int, int]]:
    for run in _PHONE_RUN_RE.finditer(text):
        if _PHONE_START_RE.search(run.group()) is None:
            continue  # a phone number begins with a trunk 0, a 00 or a +
        tokens = _tokens(run)
        if len(tokens) == 1:
            tok, start, end, _ = tokens[0]
            if _parse_phone(tokens, 0) is not None and not _glued_before(text, start) and not _glued_after(text, end):
                yield start, end
            continue
        cache: dict[int, int | None] = {}

        def parse(k: int, tokens: list[_Token] = tokens, cache: dict[int, int | None] = cache) -> int | None:
            if k not in cache:
                cache[k] = _parse_phone(tokens, k)
            return cache[k]

        i = 0
        while i < len(tokens):
            tok, start, _, sep = tokens[i]
            if i == 0:
                glued = _glued_before(text, start)
            else:
                glued = sep in ("", "-", ".")
            j = None if glued else parse(i)
            if j is not None:
                end = tokens[j - 1][2]
                if j < len(tokens):
                    # Another number follows. Glued on, it makes one longer number; after a separator that the
                    # phone number itself uses, it may be its last group; either way it is fine only if it is a
                    # phone number of its own.
                    next_sep = tokens[j][3]
                    if next_sep in ("", "-", "."):
                        ok = False
                    elif next_sep in {tokens[k][3] for k in range(i + 1, j)}:
                        ok = parse(j) is not None
                    else:
                        ok = True
                else:
                    ok = not _glued_after(text, end)
                if ok:
                    yield start, end
                    i = j
                    continue
            i += 1


# --- E-mail --------------------------------------------------------------------------------------------------------

_EMAIL_RE = re.compile(
    r"(?<![\w.%+-])[\w.%+-]++@[^\W_][\w-]*+(?:\.[^\W_][\w-]*+)*\.[^\W\d_]{2,63}(?![\w-])"
)


def _find_email(text: str) -> Iterator[tuple[int, int]]:
    if "@" not in text:
        return
    for m in _EMAIL_RE.finditer(text):
        start = m.start()
        while text[start] in ".%+-":
            start += 1
        if text[start] != "@":
            yield start, m.end()


# --- Address -------------------------------------------------------------------------------------------------------

STREET_SUFFIXES = (
    "straat", "laan", "weg", "plein", "gracht", "kade", "singel", "dijk", "pad", "hof", "dreef", "steeg", "park",
    "markt", "ring",
)

# Lower-case letter pairs after four digits that are words or units, not postcode letters.
_POSTCODE_WORDS = frozenset(
    """al an as bv ca cl cm dl de en er eu ex gb gr ha he hl ik in is je ka kb kg km kw la me mb mg ml mm mn na nl
    nr nu of oh om on op or pk pm pp so st ta te tm to tb tv up we wo za zo ze""".split()
)
_POSTCODE_RE = re.compile(r"[1-9](?<![\w-].)[0-9]{3}[ ]?[A-Za-z]{2}(?![\w-])")
_HOUSE_NUMBER = r"(?P<num>[1-9][0-9]{0,4}(?:-?[A-Wa-wYZyz](?![\w-])|-[0-9]{1,4}(?![\w-]))?)(?![\w-])"
_AFTER_POSTCODE_RE = re.compile(
    r",?[ ]?(?:(?:en[ ])?(?:huisnummer|huisnr\.?|nummer|nr\.?|no\.?)[ ]?)?" + _HOUSE_NUMBER, re.IGNORECASE
)
_STREET_RE = re.compile(
    r"(?P<street>[A-ZÀ-Þ](?<![\w'-].)(?:[\w'-]*?(?:" + "|".join(STREET_SUFFIXES) + r")"
    r"|" + "|".join(f"(?<={s[0].upper()}){s[1:]}" for s in STREET_SUFFIXES) + r"))"
    r"[ ](?:(?:nr\.?|nummer|no\.?)[ ]?)?" + _HOUSE_NUMBER
)
_NUMBER_BEFORE_POSTCODE_RE = re.compile(
    r"(?:huisnummer|huisnr\.?|nummer|nr\.?|no\.?)[ ]?" + _HOUSE_NUMBER + r",?[ ]?$", re.IGNORECASE
)
_BEFORE_POSTCODE_RE = re.compile(r",?[ ]?(?=[1-9])")
_WORD_BEFORE_RE = re.compile(r"([\w'-]+) $")
_UNIT_AFTER_RE = re.compile(
    r"[ ]?(?:x|keer|jaar|jaren|maand|maanden|week|weken|dag|dagen|uur|uren|min|minuten|euro|eur|procent|%"
    r"|kinderen|mensen|personen|km|kilometer|meter|stuks|keren)(?![\w])",
    re.IGNORECASE,
)
_PARTICLES = frozenset("van de der den ter ten het 't la le du".split())
# Capitalised words that start a sentence or clause rather than a street name.
_NOT_STREET_WORDS = frozenset(
    """aan achter adres al bij dan dat die dit dus en een hij hun ik in je langs maar mijn naar naast nog nu of
    om ons onze ook op over te tegenover toen tot uit vanaf via voor waar wat we wij woon wonen woont ze
    zij zijn""".split()
)
_COMMON_NOUNS = frozenset(
    """onderweg halfweg omweg uitweg snelweg supermarkt arbeidsmarkt woningmarkt huizenmarkt gerechtshof
    pretpark vakantiepark attractiepark fietspad voetpad wandelpad zebrapad""".split()
)


def _postcode_ok(m: re.Match[str]) -> bool:
    letters = m.group()[-2:]
    if letters.upper() in ("SA", "SD", "SS"):
        return False
    return letters.isupper() or letters.lower() not in _POSTCODE_WORDS


def _postcode_at(text: str, pos: int) -> re.Match[str] | None:
    m = _POSTCODE_RE.match(text, pos)
    return m if m is not None and _postcode_ok(m) else None


def _street_start(text: str, start: int, street: str) -> int | None:
    """Extend the street word backwards over name words; None if it is no street name."""
    lower = street.lower()
    if lower in _COMMON_NOUNS or lower.endswith("ering") or lower in _NOT_STREET_WORDS:
        return None
    words: list[tuple[int, str]] = []
    pos = start
    while len(words) < 4:
        m = _WORD_BEFORE_RE.search(text, max(0, pos - 40), pos)
        if m is None:
            break
        word = m.group(1)
        if not (word[0].isupper() or word.lower() in _PARTICLES):
            break
        words.append((m.start(1), word))
        pos = m.start(1)
    # Trim from the left until the leftmost word is a capitalised name word.
    while words and (not words[-1][1][0].isupper() or words[-1][1].lower() in _NOT_STREET_WORDS):
        words.pop()
    if lower in STREET_SUFFIXES and not words:
        return None  # a bare "Markt 3" could be anything; "Grote Markt 3" is a street
    return words[-1][0] if words else start


def _find_address(text: str) -> Iterator[tuple[int, int]]:
    # Street + house number (+ postcode).
    for m in _STREET_RE.finditer(text):
        end = m.end()
        num = m.group("num")
        post = None
        b = _BEFORE_POSTCODE_RE.match(text, end)
        if b is not None:
            post = _postcode_at(text, b.end())
        if post is not None:
            end = post.end()
        else:
            if num[-1].isdigit() and _UNIT_AFTER_RE.match(text, end):
                continue
            if _glued_after(text, end):
                continue
        begin = _street_start(text, m.start(), m.group("street"))
        if begin is not None:
            yield begin, end
    # Postcode + house number; or (nr) house number + postcode.
    for p in _POSTCODE_RE.finditer(text):
        if not _postcode_ok(p):
            continue
        h = _AFTER_POSTCODE_RE.match(text, p.end())
        if h is None:
            # (huis)nummer 12, 1234 AB
            b = _NUMBER_BEFORE_POSTCODE_RE.search(text, max(0, p.start() - 24), p.start())
            if b is not None and not (b.start() > 0 and (text[b.start() - 1].isalnum() or text[b.start() - 1] in "_-")):
                yield b.start(), p.end()
            continue
        end = h.end()
        if h.group("num")[-1].isdigit() and _UNIT_AFTER_RE.match(text, end):
            continue
        if _glued_after(text, end):
            continue
        yield p.start(), end


# --- Combining -----------------------------------------------------------------------------------------------------

_FINDERS: tuple[tuple[PiiKind, Callable[[str], Iterator[tuple[int, int]]]], ...] = (
    (PiiKind.EMAIL, _find_email),
    (PiiKind.IBAN, _find_iban),
    (PiiKind.BSN, _find_bsn),
    (PiiKind.ADDRESS, _find_address),
    (PiiKind.PHONE, _find_phone),
)


# Every kind needs a digit or an @: most interview text has neither and is passed over at once.
_HINT = re.compile(r"[\d@]")


def find_pii(text: str) -> list[PiiMatch]:
    """All personal data found in ``text``: sorted by start, never overlapping."""
    if not _HINT.search(text):
        return []
    candidates = [(start, end, kind) for kind, finder in _FINDERS for start, end in finder(text) if end > start]
    candidates.sort(key=lambda c: (c[0] - c[1], _PRIORITY[c[2]], c[0]))
    starts: list[int] = []
    chosen: dict[int, tuple[int, PiiKind]] = {}
    for start, end, kind in candidates:
        k = bisect.bisect_right(starts, start)
        if k > 0 and chosen[starts[k - 1]][0] > start:
            continue  # overlaps the chosen match to its left
        if k < len(starts) and starts[k] < end:
            continue  # overlaps the chosen match to its right
        starts.insert(k, start)
        chosen[start] = (end, kind)
    return [PiiMatch(chosen[s][1], s, chosen[s][0], text[s : chosen[s][0]]) for s in starts]


def _labels(lang: str) -> dict[PiiKind, str]:
    if lang in LABELS:
        return LABELS[lang]
    return LABELS.get(lang.replace("_", "-").split("-")[0].lower(), LABELS["nl"])


def redact(text: str, lang: str = "nl") -> str:
    """``text`` with each match replaced by its label (``[BSN]``, ``[adres]``, ...) in ``lang`` (nl or en).

    Replacing can in theory join what is left into a new match, so this repeats until nothing is found; every
    kind needs a digit or an ``@`` and labels have neither, so it ends.
    """
    labels = _labels(lang)
    while matches := find_pii(text):
        parts: list[str] = []
        pos = 0
        for m in matches:
            parts.append(text[pos : m.start])
            parts.append(labels[m.kind])
            pos = m.end
        parts.append(text[pos:])
        text = "".join(parts)
    return text


def might_contain(value: Any) -> bool:
    """Quick test: False means ``value`` (a string, or nested lists, tuples and dict values) holds no personal
    data at all; True means it may, and ``find_pii``/``redact_value`` must look."""
    if isinstance(value, str):
        return _HINT.search(value) is not None
    if isinstance(value, (list, tuple)):
        return any(might_contain(item) for item in value)
    if isinstance(value, dict):
        return any(might_contain(item) for item in value.values())
    return False


def redact_value(value: Any, lang: str = "nl") -> Any:
    """Redact strings anywhere in nested lists, tuples and dicts (values, not keys); other values unchanged."""
    if isinstance(value, Enum):
        return value
    if isinstance(value, str):
        return redact(value, lang)
    if isinstance(value, dict):
        return {key: redact_value(item, lang) for key, item in value.items()}
    if isinstance(value, list):
        return [redact_value(item, lang) for item in value]
    if isinstance(value, tuple):
        items = [redact_value(item, lang) for item in value]
        if hasattr(value, "_fields"):  # a namedtuple keeps its type
            return type(value)(*items)
        return tuple(items)
    return value


def kinds_in(text: str) -> list[PiiKind]:
    """The distinct kinds found in ``text``, in order of first appearance."""
    return list(dict.fromkeys(m.kind for m in find_pii(text)))
