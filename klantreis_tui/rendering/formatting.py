"""Small text helpers of the summary contexts: scores, joined lists, clauses, dates, answers, quote consent.

Also ``normalise`` (one key for two spellings of the same text) and the ASCII heartbeat of a summary.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from klantreis_tui.models.question_set import QuestionSet, answer_words
from klantreis_tui.models.records import InterviewRecord, Step
from klantreis_tui.rendering.heartbeat import ascii_heartbeat
from klantreis_tui.rendering.labels import phrases
from klantreis_tui.i18n import current_language


def signed(score: float | None) -> str:
    """A score as "+1", "0", "-1.5"; empty for none."""
    if score is None:
        return ""
    text = f"{score:.1f}".rstrip("0").rstrip(".") if isinstance(score, float) else str(score)
    if text == "-0":
        text = "0"
    return f"+{text}" if score > 0 else text


def _decimal(value: float | None) -> str:
    """A number with at most one decimal, signed, with a decimal comma in Dutch."""
    lang = current_language()
    if value is None:
        return ""
    text = signed(round(float(value), 1))
    return text.replace(".", ",") if lang == "nl" else text


def _emotion_class(score: float | None) -> str:
    if score is None:
        return "none"
    return "negative" if score < 0 else "positive" if score > 0 else "neutral"


def _emotion_label(score: int | None, words: dict[str, str]) -> str:
    return "" if score is None else words[f"emotion_{score}"]


def _join(items: Sequence[str]) -> str:
    """'a', 'a en b', 'a, b en c'."""
    lang = current_language()
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {phrases(lang)['and']} {items[-1]}"


def _clause(text: str) -> str:
    """User text as part of a sentence after a colon: no final full stop, first word in lower case
    when it is an ordinary capitalised word (so 'Belt' but not 'DigiD' or 'UWV')."""
    text = " ".join(text.split()).rstrip(".")
    first = text.split(" ", 1)[0] if text else ""
    letters = first.rstrip(",;:")
    if len(letters) >= 2 and letters[0].isupper() and letters[1:].islower() and letters.isalpha():
        text = text[0].lower() + text[1:]
    return text


def typed_lines(text: str) -> str:
    """Typed text with its line breaks kept: one "\n" between lines, each line trimmed, empty lines left out
    (the templates keep each break: a hard break in Markdown, ``<br/>`` in HTML)."""
    return "\n".join(line.strip() for line in str(text).splitlines() if line.strip())


@functools.lru_cache(maxsize=65536)  # a study repeats the same organisations and channels many times
def normalise(text: str) -> str:
    """The key two texts share when they say the same: case, spacing and final punctuation ignored."""
    return " ".join(text.casefold().split()).strip(" .;:!")


def _answer_text(value: Any, qs: QuestionSet | None, question_id: str, words: dict[str, str]) -> str:
    """An answer value as readable text: choice labels, ja/nee, lists joined."""
    return answer_words(value, qs, question_id, current_language(), words["yes"], words["no"])


def _quote_permission(record: InterviewRecord, words: dict[str, str]) -> str:
    """Empty when quotes may be used; else the reason they are left out."""
    consent = record.consent("quotes")
    if consent is True:
        return ""
    return words["quotes_refused"] if consent is False else words["quotes_not_recorded"]


def _ascii(scores: list[int | None]) -> str:
    """The ASCII heartbeat with every step visible (a column of four per step), without trailing spaces."""
    lines = ascii_heartbeat(scores, width=4 + 4 * max(9, len(scores)))
    return "\n".join(line.rstrip() for line in lines)


def _ordered_steps(record: InterviewRecord) -> list[Step]:
    return sorted(record.steps, key=lambda s: s.position)
