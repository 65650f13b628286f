"""Validation patterns of question sets on RE2, an engine that runs in linear time and never backtracks.

A question set comes from outside, so its patterns are untrusted: Python's ``re`` can take exponential time on
``^(a+)+$`` and freezes the interview. RE2 (the ``google-re2`` binding) matches in time linear in the answer and
refuses what needs backtracking (back-references, look-around, atomic groups, possessive quantifiers). The syntax
is RE2's (https://github.com/google/re2/wiki/Syntax); where it differs from Python's ``re``:

- ``\\Z`` is written ``\\z``; ``\\d``, ``\\w``, ``\\s`` and ``\\b`` are ASCII only (use ``\\p{L}``, ``\\p{N}`` or
  ``[[:alpha:]]``-style classes for other letters); a counted repetition goes up to ``{1000}``;
  inline flags are ``(?i)``, ``(?m)``, ``(?s)`` and ``(?U)`` only.

Errors are raised by reason (``pattern.*``, a PatternUnsupported with the RE2 message as detail): the words are
chosen where they are shown.
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Any

from klantreis_tui.errors import KlantreisError

#: Longest pattern a question set may hold (characters); longer ones are refused at load.
MAX_PATTERN_LENGTH = 2000
#: Memory RE2 may use for one compiled pattern; a pattern that needs more is refused at load.
MAX_PATTERN_MEMORY = 1 << 22


@cache
def _engine() -> tuple[Any, Any]:
    """The re2 module and its options, imported on first use (not when a model module is imported)."""
    import re2

    options = re2.Options()
    options.log_errors = False  # RE2 would write its errors to stderr, over the app's screen
    options.max_mem = MAX_PATTERN_MEMORY
    return re2, options


#: RE2 error texts (their start) that mean a feature it does not have, with the reason to report.
_UNSUPPORTED = (
    *((f"invalid escape sequence: \\{digit}", "pattern.backreference") for digit in "123456789"),
    ("invalid perl operator: (?P=", "pattern.backreference"),
    ("invalid perl operator: (?=", "pattern.lookaround"),
    ("invalid perl operator: (?!", "pattern.lookaround"),
    ("invalid perl operator: (?<=", "pattern.lookaround"),
    ("invalid perl operator: (?<!", "pattern.lookaround"),
    ("invalid escape sequence: \\Z", "pattern.end_of_text"),
)


class PatternUnsupported(KlantreisError, ValueError):
    """A validation pattern RE2 cannot run: ``reason`` says why, ``error`` holds RE2's own words."""


def _reason(error: str, pattern: str) -> str:
    for start, reason in _UNSUPPORTED:
        if error.startswith(start):
            return reason
    if "(?P=" in pattern:  # RE2 stops at the first problem; a named back-reference may come later
        return "pattern.backreference"
    if any(token in error for token in ("(?>", "++", "*+", "?+", "}+")):
        return "pattern.backtracking"
    if error.startswith("pattern too large"):
        return "pattern.too_large"
    return "pattern.invalid"


@lru_cache(maxsize=256)
def compile_pattern(pattern: str) -> Any:
    """``pattern`` compiled by RE2 (cached), or PatternUnsupported saying why it cannot run."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise PatternUnsupported("pattern.too_long", length=len(pattern), limit=MAX_PATTERN_LENGTH)
    re2, options = _engine()
    try:
        return re2.compile(pattern, options)
    except UnicodeEncodeError as exc:  # a lone surrogate: RE2 reads UTF-8
        raise PatternUnsupported("pattern.invalid", error=str(exc)) from None
    except re2.error as exc:
        raw = exc.args[0] if exc.args else ""
        error = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
        raise PatternUnsupported(_reason(error, pattern), error=error) from None


def fullmatch(pattern: str, text: str) -> bool:
    """True if all of ``text`` matches ``pattern`` (in time linear in ``text``)."""
    regexp = compile_pattern(pattern)
    try:
        return regexp.fullmatch(text) is not None
    except UnicodeEncodeError:  # a lone surrogate (pasted from a broken source): matched as U+FFFD
        return regexp.fullmatch(text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")) is not None
