"""Data models of klantreis: question sets and recorded interviews (pydantic, no I/O)."""

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
from klantreis_tui.models.steps import TARGETS as STEP_FIELDS
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
