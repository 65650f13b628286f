"""The fields of a journey step in one table: storage, exchange, forms, services and rendering derive from it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from klantreis_tui.models.question_set import QuestionKind


class FieldKind(str, Enum):
    text = "text"  # free text
    list = "list"  # a list of short texts (stored as JSON)
    emotion = "emotion"  # a score -2..+2, or none
    flag = "flag"  # yes or no


class Merge(str, Enum):
    """How two steps' values combine when the steps are merged."""

    first = "first"  # the first that is filled in
    join = "join"  # both texts, joined by the field's separator
    union = "union"  # both lists, duplicates left out, order kept
    extreme = "extreme"  # the more extreme score: the feeling the respondent remembers
    either = "either"  # true if either is


@dataclass(frozen=True)
class StepField:
    name: str  # attribute of models.Step and column of the steps table
    kind: FieldKind
    merge: Merge
    target: str  # what a step-loop question names in `target:` to fill this field
    question_kinds: frozenset[QuestionKind]
    label_key: str  # key of the field's label in klantreis_tui.i18n.by_value (forms, summaries)
    separator: str = ""  # for Merge.join

    @property
    def is_list(self) -> bool:
        return self.kind is FieldKind.list


_K = QuestionKind

#: Every step field, in the order forms, tables and exports show them.
FIELDS: tuple[StepField, ...] = (
    StepField("phase", FieldKind.text, Merge.first, "phase", frozenset({_K.text, _K.single_choice}), "step.phase"),
    StepField(
        "description", FieldKind.text, Merge.join, "description", frozenset({_K.text, _K.long_text}),
        "step.description", " / ",
    ),
    StepField(
        "instances", FieldKind.list, Merge.union, "instances",
        frozenset({_K.instance, _K.text, _K.multiple_choice}), "step.instances",
    ),
    StepField(
        "channels", FieldKind.list, Merge.union, "channels",
        frozenset({_K.channel, _K.text, _K.multiple_choice}), "step.channels",
    ),
    StepField("emotion", FieldKind.emotion, Merge.extreme, "emotion", frozenset({_K.emotion}), "step.emotion"),
    StepField("emotion_words", FieldKind.list, Merge.union, "emotion_words", frozenset({_K.text}), "step.emotion_words"),
    StepField("quotes", FieldKind.list, Merge.union, "quote", frozenset({_K.text, _K.long_text}), "step.quotes"),
    StepField(
        "pain_point", FieldKind.text, Merge.join, "pain_point", frozenset({_K.text, _K.long_text}),
        "step.pain_point", "; ",
    ),
    StepField(
        "opportunity", FieldKind.text, Merge.join, "opportunity", frozenset({_K.text, _K.long_text}),
        "step.opportunity", "; ",
    ),
    StepField("duration", FieldKind.text, Merge.join, "duration", frozenset({_K.text}), "step.duration", " + "),
    StepField(
        "moment_of_truth", FieldKind.flag, Merge.either, "moment_of_truth", frozenset({_K.yes_no}),
        "step.moment_of_truth",
    ),
)

BY_NAME: dict[str, StepField] = {f.name: f for f in FIELDS}
#: Names of the step fields, in order (the columns of the steps table after its keys).
NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS)
#: Names of the fields stored as JSON lists.
LIST_NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS if f.is_list)
#: Names of the yes/no fields (stored as 0 or 1).
FLAG_NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS if f.kind is FieldKind.flag)
#: Names of the fields that hold text a respondent said (checked for personal data, redacted on export).
TEXT_NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS if f.kind in (FieldKind.text, FieldKind.list) and f.name != "phase")
#: Step fields a step-loop question may fill (by its target), and the question kinds that fit each.
TARGETS: dict[str, set[QuestionKind]] = {f.target: set(f.question_kinds) for f in FIELDS}


def merged_value(field: StepField, first: Any, second: Any) -> Any:
    """The value of ``field`` when a step holding ``first`` and one holding ``second`` become one."""
    if field.merge is Merge.first:
        return first or second
    if field.merge is Merge.join:
        return field.separator.join(x for x in (first, second) if x)
    if field.merge is Merge.union:
        return list(dict.fromkeys([*first, *second]))
    if field.merge is Merge.extreme:
        scores = [e for e in (first, second) if e is not None]
        return max(scores, key=abs) if scores else None
    return bool(first or second)

#: Phases offered for completion when a study has used none yet, in the order of a journey.
PHASES: tuple[str, ...] = ("oriëntatie", "aanvraag", "wachten", "besluit", "uitvoering", "nazorg")
