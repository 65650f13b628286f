"""Phone numbers: Dutch numbers of people (not of organisations) and international ones, told apart from dates.

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
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from klantreis_tui.pii.numbers import glued_after, glued_before


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


def find_phone(text: str) -> Iterator[tuple[int, int]]:
    for run in _PHONE_RUN_RE.finditer(text):
        if _PHONE_START_RE.search(run.group()) is None:
            continue  # a phone number begins with a trunk 0, a 00 or a +
        tokens = _tokens(run)
        if len(tokens) == 1:
            tok, start, end, _ = tokens[0]
            if _parse_phone(tokens, 0) is not None and not glued_before(text, start) and not glued_after(text, end):
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
                glued = glued_before(text, start)
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
                    ok = not glued_after(text, end)
                if ok:
                    yield start, end
                    i = j
                    continue
            i += 1
