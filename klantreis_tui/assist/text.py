"""Text folding for matching: lower case without accents, position for position, and the lookup key of a phrase."""

from __future__ import annotations

import re

# one character to one character, so that positions in the folded text are positions in the typed text
_FOLD = dict(zip("àáâãäåèéêëìíîïòóôõöùúûüýÿñçŀ’", "aaaaaaeeeeiiiiooooouuuuyyncl'"))
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def fold(text: str) -> str:
    """Lower case without accents, of the same length as ``text``."""
    low = text.lower()
    if low.isascii():
        return low
    if len(low) != len(text):  # a few characters grow when lowered ("İ"): keep those as they are
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    # only the few accented letters are looked up (str.translate is slow on text that is not pure ASCII)
    return _NON_ASCII.sub(lambda m: _FOLD.get(m.group(), m.group()), low)


_KEY_DROP = str.maketrans("", "", " \t\n\r\f\v\u00a0-'’")


def lookup_key(folded: str) -> str:
    """The lookup key of a folded phrase: without spaces, hyphens and apostrophes."""
    return folded.translate(_KEY_DROP)

