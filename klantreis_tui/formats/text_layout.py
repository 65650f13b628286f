"""Text laid out by hand for SVG: cleaning, measuring by a glyph-width table, wrapping and cutting with an ellipsis.

SVG has no text flow that every reader honours (Inkscape, PowerPoint and browsers differ), so the poster places
every line itself. Widths come from the advance widths of Helvetica (Arial and Liberation Sans share them), per
1000 units of the font size, widened by ``SAFETY`` so that a wider fallback font (DejaVu Sans) still fits: a
line measured here is never longer on paper than the space it was given.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from klantreis_tui.safetext import visible

#: Helvetica / Arial advance widths of the printable ASCII characters (space to tilde), per 1000 em.
_ASCII = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,  # space ! " # $ % & ' ( ) * + , - . /
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,  # 0-9 : ; < = > ?
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,  # @ A-O
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,  # P-Z [ \ ] ^ _
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,  # ` a-o
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,  # p-z { | } ~
)
WIDTHS: dict[str, int] = {chr(32 + i): w for i, w in enumerate(_ASCII)}
WIDTHS.update({
    "“": 333, "”": 333, "‘": 222, "’": 222, "„": 333, "–": 556, "—": 1000, "…": 1000, "·": 278, "•": 350,
    "€": 556, "°": 400, "×": 584, "ß": 611, "æ": 889, "Æ": 1000, "ø": 611, "Ø": 778, "ĳ": 444, "Ĳ": 778,
    "\u00a0": 278,
})
#: an unknown letter (Greek, Cyrillic, Arabic, Hebrew...): as wide as the widest ordinary capitals
OTHER = 722
#: a wide character (CJK, emoji and other symbols drawn from a fallback font)
WIDE = 1000
#: bold Helvetica runs about 6% wider than regular; a little more to be safe
BOLD = 1.1
#: the margin every measured width gets (a fallback font is wider than Helvetica)
SAFETY = 1.08
ELLIPSIS = "…"
#: characters that XML 1.0 forbids even escaped, besides the controls ``visible`` already replaces
_NONCHARACTERS = {0xFFFE, 0xFFFF}


def clean(text: str) -> str:
    """One line of text as it may go into SVG: line breaks and tabs as spaces, runs of spaces as one, control
    characters and bidirectional overrides as visible symbols, nothing that XML refuses (lone surrogates,
    U+FFFE/U+FFFF)."""
    text = " ".join(str(text).split())
    text = visible(text, multiline=False)
    if any(0xD800 <= ord(c) <= 0xDFFF or ord(c) in _NONCHARACTERS for c in text):
        text = "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF or ord(c) in _NONCHARACTERS else c for c in text)
    return text


def _advance(char: str) -> int:
    width = WIDTHS.get(char)
    if width is not None:
        return width
    if unicodedata.combining(char):
        return 0
    base = unicodedata.normalize("NFKD", char)
    if base and base[0] != char and base[0] in WIDTHS:  # é, ë, ç: as their letter (the accent sits on it)
        return WIDTHS[base[0]]
    if unicodedata.east_asian_width(char) in ("W", "F") or unicodedata.category(char) in ("So", "Sk", "Cs"):
        return WIDE
    if unicodedata.category(char).startswith("Z"):
        return WIDTHS[" "]
    return OTHER


def text_width(text: str, size: float, bold: bool = False, spacing: float = 0.0) -> float:
    """The width of one line of ``text`` at font size ``size`` (in the same units), on the safe side;
    ``spacing``: the letter spacing added after every character."""
    units = sum(_advance(c) for c in text)
    return units / 1000 * size * SAFETY * (BOLD if bold else 1.0) + spacing * len(text)


def _fit(text: str, width: float, size: float, bold: bool, spacing: float = 0.0) -> int:
    """How many leading characters of ``text`` fit in ``width`` (at least one, so that wrapping advances)."""
    used = 0.0
    scale = size * SAFETY * (BOLD if bold else 1.0) / 1000
    for index, char in enumerate(text):
        used += _advance(char) * scale + spacing
        if used > width:
            return max(1, index)
    return len(text)


def wrap(
    text: str, width: float, size: float, bold: bool = False, limit: int | None = None, spacing: float = 0.0
) -> list[str]:
    """``text`` (cleaned) in lines no wider than ``width``: broken between words, a word longer than a line
    broken inside. With ``limit``, at most ``limit + 1`` lines are made (enough to know the text was cut)."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        if not word:
            continue
        candidate = f"{line} {word}" if line else word
        if text_width(candidate, size, bold, spacing) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
            if limit is not None and len(lines) > limit:
                return lines
        while text_width(word, size, bold, spacing) > width:  # a word longer than the line: cut where it is full
            cut = _fit(word, width, size, bold, spacing)
            lines.append(word[:cut])
            word = word[cut:]
            if limit is not None and len(lines) > limit:
                return lines
        line = word
    if line:
        lines.append(line)
    return lines


def with_ellipsis(line: str, width: float, size: float, bold: bool = False, spacing: float = 0.0) -> str:
    """``line`` shortened until it and an ellipsis fit in ``width``."""
    line = line.rstrip()
    while line and text_width(line + ELLIPSIS, size, bold, spacing) > width:
        line = line[:-1].rstrip()
    return (line.rstrip(" ,;:.-") or line) + ELLIPSIS


@dataclass(frozen=True)
class Lines:
    """Wrapped text: its lines, and whether something was left out (the last line then ends with "…")."""

    lines: tuple[str, ...]
    cut: bool


def fill(text: str, width: float, size: float, max_lines: int, bold: bool = False, spacing: float = 0.0) -> Lines:
    """``text`` cleaned and wrapped in at most ``max_lines`` lines of ``width``; cut with an ellipsis when it
    needs more."""
    if max_lines <= 0:
        return Lines((), bool(clean(text)))
    lines = wrap(clean(text), width, size, bold, limit=max_lines, spacing=spacing)
    if len(lines) <= max_lines:
        return Lines(tuple(lines), False)
    kept = lines[:max_lines]
    kept[-1] = with_ellipsis(kept[-1], width, size, bold, spacing)
    return Lines(tuple(kept), True)
