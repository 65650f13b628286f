"""What a bundle from outside may hold: id patterns and size limits, checked before any id is used as a name.

A bundle comes from another laptop and may have been made by hand. Its ids end up in file and folder
names (the assistant reads a study's own word lists from a folder named after the study id), so every id
must be a UUID as klantreis makes them (lower-case, 8-4-4-4-12 hex digits). (Question ids and question-set
ids are only looked up, never used as names: the text limits hold for them.) Text and lists are bounded so that a 200 MB string in
a yes/no answer is refused instead of imported (the question set, when it is here, checks the kinds too).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from typing import Any

from pydantic import BaseModel

from klantreis_tui.i18n import t

UUID_PATTERN = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

#: the longest text of one field or list item (characters): a long answer of half an hour's talk fits
MAX_TEXT_CHARS = 100_000
#: the most items in one list (instances, channels, quotes, tags, a multiple-choice answer)
MAX_LIST_ITEMS = 1_000
#: how deep JSON may nest in a bundle file (a bundle needs 5 levels; the answers a few more)
MAX_NESTING = 32

#: per kind of record, the fields that hold record ids: "uuid", or "uuid?" for one that may be empty
ID_FIELDS: dict[str, dict[str, str]] = {
    "studies": {"id": "uuid"},
    "respondents": {"id": "uuid", "study_id": "uuid"},
    "interviews": {"id": "uuid", "study_id": "uuid", "respondent_id": "uuid"},
    "consents": {"interview_id": "uuid"},
    "answers": {"interview_id": "uuid", "step_id": "uuid?"},
    "steps": {"id": "uuid", "interview_id": "uuid"},
    "identities": {"respondent_id": "uuid"},
    "personas": {"id": "uuid", "study_id": "uuid"},
    "persona_respondents": {"persona_id": "uuid", "respondent_id": "uuid"},
    "desired_scores": {"persona_id": "uuid"},
    "actions": {"id": "uuid", "study_id": "uuid"},
    "action_links": {"action_id": "uuid", "target_id": "uuid"},
}


def valid_id(value: str) -> bool:
    """Whether ``value`` is an id as klantreis makes them (a lower-case UUID): safe as a file or folder name."""
    return UUID_PATTERN.fullmatch(value) is not None


def _shown(value: str) -> str:
    """An id as a message may quote it: short, and without characters that could act on a terminal."""
    text = value if len(value) <= 40 else value[:40] + "…"
    return repr(text)


def id_problems(tables: dict[str, Iterable[BaseModel]]) -> Iterator[str]:
    """Every id in ``tables`` (records by kind, as in a bundle) that does not have its strict form."""
    for kind in ID_FIELDS:
        for index, record in enumerate(tables.get(kind, ())):
            yield from record_id_problems(kind, index, record)


def record_id_problems(kind: str, index: int, record: BaseModel) -> list[str]:
    """The ids of one record (the ``index``-th of ``kind``) that do not have their strict form."""
    problems = []
    fullmatch = UUID_PATTERN.fullmatch
    for name, form in ID_FIELDS.get(kind, {}).items():
        value = getattr(record, name)
        if fullmatch(value) is None and not (form == "uuid?" and value == ""):
            problems.append(t('{place}: {value} is not a UUID', place=f"{kind}.{index}.{name}", value=_shown(value)))
    return problems


#: a question-set id and version as they may name a file (``{id}.yaml``, ``{id}-{version}.yaml``)
QUESTION_SET_ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]*")
VERSION_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}")


def kit_problems(study_id: str, question_sets: Iterable[tuple[str, str]]) -> Iterator[str]:
    """What in a study kit from outside would be used as a name but has not the strict form: the study id
    (it names the study's assistant folder), question-set ids and versions (they name files)."""
    if UUID_PATTERN.fullmatch(study_id) is None:
        yield t('{place}: {value} is not a UUID', place="study.id", value=_shown(study_id))
    for index, (set_id, version) in enumerate(question_sets):
        if QUESTION_SET_ID_PATTERN.fullmatch(set_id) is None:
            yield t('{place}: {value} is not an id ({pattern})', place=f"question_sets.{index}.id", value=_shown(set_id), pattern=QUESTION_SET_ID_PATTERN.pattern)
        if VERSION_PATTERN.fullmatch(version) is None:
            yield t('{place}: {value} is not a version ({pattern})', place=f"question_sets.{index}.version", value=_shown(version), pattern=VERSION_PATTERN.pattern)


def _value_problem(value: Any) -> str | None:
    if isinstance(value, float):
        return None if math.isfinite(value) else t('not a finite number')
    if isinstance(value, str):
        return t('text of {length} characters (at most {limit})', length=len(value), limit=MAX_TEXT_CHARS) if len(value) > MAX_TEXT_CHARS else None
    if isinstance(value, (list, dict)):
        if len(value) > MAX_LIST_ITEMS:
            return t('{count} items (at most {limit})', count=len(value), limit=MAX_LIST_ITEMS)
        items = value.values() if isinstance(value, dict) else value
        keys = [k for k in value if len(k) > MAX_TEXT_CHARS] if isinstance(value, dict) else []
        if keys:
            return t('a key of {length} characters (at most {limit})', length=len(keys[0]), limit=MAX_TEXT_CHARS)
        return next((p for item in items if (p := _value_problem(item)) is not None), None)
    return None  # dates, times: checked by their fields' types


def size_problems(tables: dict[str, Iterable[BaseModel]]) -> Iterator[str]:
    """Every field of ``tables`` over the limits: text longer than MAX_TEXT_CHARS, lists (and tables in an
    answer value) longer than MAX_LIST_ITEMS, numbers that are not finite. (How deep an answer value may
    nest is bounded by MAX_NESTING, checked on the file.)"""
    for kind, records in tables.items():
        for index, record in enumerate(records):
            yield from record_size_problems(kind, index, record)


def record_size_problems(kind: str, index: int, record: BaseModel) -> Iterator[str]:
    """The fields of one record (the ``index``-th of ``kind``) over the limits (see :func:`size_problems`)."""
    for name, value in record:
        problem = _value_problem(value)
        if problem is not None:
            yield f"{kind}.{index}.{name}: {problem}"
