"""Data models of klantreis: question sets and recorded interviews (pydantic, no I/O).

The names below are loaded when first used (PEP 562): a module of this package without pydantic
(``codes``, ``steps``) can be imported before the first frame without the others.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from klantreis_tui.models.question_set import (
        Choice,
        ConsentItem,
        Question,
        QuestionKind,
        QuestionSet,
        Section,
        SectionKind,
        Text,
    )
    from klantreis_tui.models.records import (
        Answer,
        Consent,
        Identity,
        Interview,
        InterviewRecord,
        InterviewStatus,
        Respondent,
        Step,
        Study,
    )
    from klantreis_tui.models.steps import TARGETS as STEP_FIELDS

__all__ = [
    "STEP_FIELDS",
    "Answer",
    "Choice",
    "Consent",
    "ConsentItem",
    "Identity",
    "Interview",
    "InterviewRecord",
    "InterviewStatus",
    "Question",
    "QuestionKind",
    "QuestionSet",
    "Respondent",
    "Section",
    "SectionKind",
    "Step",
    "Study",
    "Text",
]

_QUESTION_SET = {"Choice", "ConsentItem", "Question", "QuestionKind", "QuestionSet", "Section", "SectionKind", "Text"}


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    if name == "STEP_FIELDS":
        return importlib.import_module("klantreis_tui.models.steps").TARGETS
    module = "question_set" if name in _QUESTION_SET else "records"
    return getattr(importlib.import_module(f"klantreis_tui.models.{module}"), name)
