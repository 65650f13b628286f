"""The one rule for text that reaches a terminal or a spreadsheet: control characters shown as visible symbols.

Text from a bundle, a question set or a colleague's file is outside input: an ``ESC [2J`` in a study title
would clear the screen, ``ESC ] 52`` write to the clipboard, a right-to-left override disguise what is
shown. Every place that puts text on a terminal (CLI output, widgets, the summary screen, the step editor)
and every Markdown, HTML or CSV file passes it through :func:`visible`; the JSON bundle keeps data as
stored (JSON escapes it) and import warns about it (:func:`has_controls`).

- C0 controls (U+0000..U+001F) become their control pictures (``␀`` .. ``␟``, ESC is ``␛``); newline and tab
  stay where the text may hold them (``multiline``), and so does a carriage return before a newline.
- DEL (U+007F) becomes ``␡``.
- C1 controls (U+0080..U+009F, among them the one-byte CSI U+009B) and the bidirectional embeddings,
  overrides and isolates (U+202A..U+202E, U+2066..U+2069) become ``�`` (U+FFFD).

The symbols themselves are no control characters, so ``visible(visible(x)) == visible(x)``.
"""

from __future__ import annotations

import re

REPLACEMENT = 0xFFFD
BIDI_CONTROLS = tuple(range(0x202A, 0x202F)) + tuple(range(0x2066, 0x206A))

_SHOWN: dict[int, int] = {code: 0x2400 + code for code in range(0x20)}
_SHOWN[0x7F] = 0x2421
_SHOWN.update({code: REPLACEMENT for code in range(0x80, 0xA0)})
_SHOWN.update({code: REPLACEMENT for code in BIDI_CONTROLS})

#: the same table with newline and tab kept, for text that may run over several lines
_SHOWN_MULTILINE = {code: shown for code, shown in _SHOWN.items() if code not in (0x09, 0x0A)}

_CONTROLS = re.compile("\r(?!\n)|[" + "".join(re.escape(chr(code)) for code in _SHOWN_MULTILINE if code != 0x0D) + "]")


def visible(text: str, multiline: bool = True) -> str:
    """``text`` safe to put on a terminal: every control character replaced by a visible symbol.

    ``multiline``: newline and tab stay (a Markdown file, a paragraph, a message of several lines);
    without it they are shown as ``␊`` and ``␉`` too (a one-line label, a cell of a list)."""
    if multiline:
        if _CONTROLS.search(text) is None:  # nothing to replace (a long write-up, nearly always): one scan
            return text
        return "\r\n".join(part.translate(_SHOWN_MULTILINE) for part in text.split("\r\n"))
    return text.translate(_SHOWN)


def has_controls(text: str) -> bool:
    """Whether ``text`` holds a character :func:`visible` would replace (newline and tab do not count)."""
    return _CONTROLS.search(text) is not None
