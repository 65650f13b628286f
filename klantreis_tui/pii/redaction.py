"""Redaction: every match replaced by its label, in a text or anywhere in nested values.

``redact`` replaces each match by its label (``LABELS``; a language other than nl or en falls back to its primary
subtag, then to nl) and repeats until nothing is found, since a context rule (``123456782.+10000000``) can let a
neighbour through only once the match beside it is gone.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from klantreis_tui.pii.detection import find_pii
from klantreis_tui.pii.kinds import labels as _labels
from klantreis_tui.i18n import current_language
from klantreis_tui.pii.names import NotNames


def redact(text: str, stop: NotNames | None = None) -> str:
    """``text`` with each match replaced by its label (``[BSN]``, ``[adres]``, ...) in ``lang`` (nl or en).

    Replacing can in theory join what is left into a new match, so this repeats until nothing is found; every
    kind but names needs a digit or an ``@`` and labels have neither, and a name is never read right after ``[``,
    so each round has fewer candidates and it ends. ``stop``: what is no name (see ``find_pii``).
    """
    lang = current_language()
    labels = _labels(lang)
    while matches := find_pii(text, stop):
        parts: list[str] = []
        pos = 0
        for m in matches:
            parts.append(text[pos : m.start])
            parts.append(labels[m.kind])
            pos = m.end
        parts.append(text[pos:])
        text = "".join(parts)
    return text


def redact_value(value: Any, stop: NotNames | None = None) -> Any:
    """Redact strings anywhere in nested lists, tuples and dicts (values, not keys); other values unchanged."""
    if isinstance(value, Enum):
        return value
    if isinstance(value, str):
        return redact(value, stop)
    if isinstance(value, dict):
        return {key: redact_value(item, stop) for key, item in value.items()}
    if isinstance(value, list):
        return [redact_value(item, stop) for item in value]
    if isinstance(value, tuple):
        items = [redact_value(item, stop) for item in value]
        if hasattr(value, "_fields"):  # a namedtuple keeps its type
            return type(value)(*items)
        return tuple(items)
    return value

