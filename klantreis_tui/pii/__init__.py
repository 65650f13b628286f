"""Detect and redact personal data (persoonsgegevens) in free Dutch interview text.

Standard library only; nothing here imports the rest of ``klantreis_tui``.

The rooms: ``kinds`` (kinds, matches, labels), ``numbers`` (BSN, IBAN), ``phone``, ``addresses`` (e-mail and
street addresses), ``detection`` (``find_pii``, ``kinds_in``, ``might_contain``) and ``redaction`` (``redact``,
``redact_value``), ``names`` (person names; ``not_names`` for the words that are none, with the lists in
``data/``). Each module describes what it flags and what not.
"""

from __future__ import annotations

from klantreis_tui.pii.addresses import STREET_SUFFIXES
from klantreis_tui.pii.detection import find_pii, kinds_in, might_contain
from klantreis_tui.pii.kinds import LABELS, PiiKind, PiiMatch, labels
from klantreis_tui.pii.names import NotNames, find_names, not_names
from klantreis_tui.pii.numbers import IBAN_LENGTHS, elfproef, iban_is_valid
from klantreis_tui.pii.redaction import redact, redact_value

__all__ = [
    "IBAN_LENGTHS",
    "LABELS",
    "NotNames",
    "labels",
    "PiiKind",
    "PiiMatch",
    "STREET_SUFFIXES",
    "elfproef",
    "find_names",
    "find_pii",
    "iban_is_valid",
    "kinds_in",
    "might_contain",
    "not_names",
    "redact",
    "redact_value",
]
