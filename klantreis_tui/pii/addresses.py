"""E-mail addresses and street addresses (a postcode with a house number, or a street name with one).

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
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from klantreis_tui.pii.numbers import glued_after


# --- E-mail --------------------------------------------------------------------------------------------------------

_EMAIL_RE = re.compile(
    r"(?<![\w.%+-])[\w.%+-]++@[^\W_][\w-]*+(?:\.[^\W_][\w-]*+)*\.[^\W\d_]{2,63}(?![\w-])"
)


def find_email(text: str) -> Iterator[tuple[int, int]]:
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


def find_address(text: str) -> Iterator[tuple[int, int]]:
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
            if glued_after(text, end):
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
        if glued_after(text, end):
            continue
        yield p.start(), end

