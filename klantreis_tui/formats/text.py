"""Text as an XML-based office file can hold it: control characters as visible symbols, no code point XML forbids."""

from __future__ import annotations

import re

from klantreis_tui.safetext import visible

#: what XML 1.0 cannot hold and ``safetext.visible`` leaves: lone surrogates and the two non-characters
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")


def office_text(text: str) -> str:
    """``text`` for a cell or a paragraph: the one text rule (control characters as symbols; newline and tab
    kept), and what XML refuses replaced by U+FFFD, so the writer never fails and the file always opens."""
    return _NOT_XML.sub("\ufffd", visible(text))


def utf16_length(text: str) -> int:
    """The length Excel counts: UTF-16 code units (an emoji outside the BMP counts two)."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def cut_to(text: str, limit: int, note: str) -> str:
    """``text`` whole when it fits ``limit`` (in UTF-16 units), else its start followed by ``note`` within it,
    cut between characters (never inside a surrogate pair)."""
    if utf16_length(text) <= limit:
        return text
    room = limit - utf16_length(note)
    kept: list[str] = []
    used = 0
    for char in text:
        size = 2 if ord(char) > 0xFFFF else 1
        if used + size > room:
            break
        kept.append(char)
        used += size
    return "".join(kept) + note
