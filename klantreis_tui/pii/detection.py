"""Finding personal data in a text: every kind's finder, overlaps resolved, and a quick test for none at all.

Overlaps: the longer match wins; at equal length the priority is EMAIL, IBAN, BSN, ADDRESS, PHONE, NAME.

Names (``names``) are found only where ``stop`` (``not_names(...)``) says a capitalised word is no place or
organisation; callers that know more organisations (the assistant's lists) pass them in ``stop``.

Every pattern is compiled once, uses bounded or possessive repetition and starts only at the beginning of a run of
characters, so the time taken grows linearly with the length of the text.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from typing import Any

from klantreis_tui.pii.addresses import find_address, find_email
from klantreis_tui.pii.kinds import PiiKind, PiiMatch
from klantreis_tui.pii.names import NotNames, find_names
from klantreis_tui.pii.numbers import find_bsn, find_iban
from klantreis_tui.pii.phone import find_phone

# At equal length, the kind earlier in this tuple wins.
_PRIORITY: dict[PiiKind, int] = {
    kind: rank
    for rank, kind in enumerate(
        (PiiKind.EMAIL, PiiKind.IBAN, PiiKind.BSN, PiiKind.ADDRESS, PiiKind.PHONE, PiiKind.NAME)
    )
}


_FINDERS: tuple[tuple[PiiKind, Callable[[str], Iterator[tuple[int, int]]]], ...] = (
    (PiiKind.EMAIL, find_email),
    (PiiKind.IBAN, find_iban),
    (PiiKind.BSN, find_bsn),
    (PiiKind.ADDRESS, find_address),
    (PiiKind.PHONE, find_phone),
)


# Every kind but names needs a digit or an @: most interview text has neither and is passed over at once.
HINT = re.compile(r"[\d@]")


def find_pii(text: str, stop: NotNames | None = None) -> list[PiiMatch]:
    """All personal data found in ``text``: sorted by start, never overlapping. ``stop``: the words and phrases
    that are no person's name (default: the bundled places and organisations, ``names.not_names()``)."""
    candidates = [(start, end, PiiKind.NAME) for start, end in find_names(text, stop) if end > start]
    if HINT.search(text):
        candidates += [(start, end, kind) for kind, finder in _FINDERS for start, end in finder(text) if end > start]
    if not candidates:
        return []
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


def might_contain(value: Any) -> bool:
    """Quick test: False means ``value`` (a string, or nested lists, tuples and dict values) holds no personal
    data at all; True means it may, and ``find_pii``/``redact_value`` must look."""
    if isinstance(value, str):
        # a name needs no digit: the name rules themselves are the quick test (with the bundled stop words,
        # a subset of any caller's, so nothing a caller would redact is passed over)
        return HINT.search(value) is not None or next(find_names(value), None) is not None
    if isinstance(value, (list, tuple)):
        return any(might_contain(item) for item in value)
    if isinstance(value, dict):
        return any(might_contain(item) for item in value.values())
    return False


def kinds_in(text: str, stop: NotNames | None = None) -> list[PiiKind]:
    """The distinct kinds found in ``text``, in order of first appearance."""
    return list(dict.fromkeys(m.kind for m in find_pii(text, stop)))

