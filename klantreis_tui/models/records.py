"""Pydantic models of the recorded data: studies, respondents, interviews, consent, answers, steps."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timezone
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from klantreis_tui.models.codes import CODE_PATTERN
from klantreis_tui.models.status import InterviewStatus

EMOTION_MIN = -2
EMOTION_MAX = 2


def new_id() -> str:
    return str(uuid.uuid4())


def now() -> datetime:
    return datetime.now(timezone.utc)


class Record(BaseModel):
    """Base for stored records: strict about unknown fields, since bundles come from outside."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Study(Record):
    """An onderzoek: the startdocument of one klantreis study."""

    id: str = Field(default_factory=new_id)
    title: str = Field(min_length=1)
    doelgroep: str = ""
    trigger: str = ""
    journey_start: str = ""
    journey_end: str = ""
    #: the journey's phases in order (oriëntatie, aanvraag, ...): steps choose from them, syntheses follow them
    phases: list[str] = []
    retention_until: date | None = None
    created_at: datetime = Field(default_factory=now)


class Respondent(Record):
    """A respondent, known only by a code within a study."""

    id: str = Field(default_factory=new_id)
    study_id: str
    code: str = Field(pattern=f"^{CODE_PATTERN.pattern}$")
    age_band: str = ""
    segment: str = ""
    tags: list[str] = []


class Interview(Record):
    id: str = Field(default_factory=new_id)
    study_id: str
    respondent_id: str
    question_set_id: str
    question_set_version: str
    interviewer: str = ""
    started_at: datetime = Field(default_factory=now)
    ended_at: datetime | None = None
    status: InterviewStatus = InterviewStatus.bezig


class Consent(Record):
    """One consent item (participation, audio, quotes) as answered, with the text version shown."""

    interview_id: str
    item: str
    granted: bool
    text_version: str
    question_set_version: str
    recorded_at: datetime = Field(default_factory=now)


class Answer(Record):
    """One revision of an answer. Edits add a revision; nothing is overwritten.

    ``step_id`` is empty for questions outside the step loop. ``retracted`` marks an undo:
    the question counts as unanswered again from this revision on.
    """

    interview_id: str
    question_id: str
    step_id: str = ""
    revision: int = Field(ge=1)
    value: Any = None
    skipped: bool = False
    retracted: bool = False
    recorded_at: datetime = Field(default_factory=now)


class Step(Record):
    """One step (contactmoment) of a journey."""

    id: str = Field(default_factory=new_id)
    interview_id: str
    position: int = Field(ge=1)
    phase: str = ""
    description: str = ""
    instances: list[str] = []
    channels: list[str] = []
    emotion: int | None = Field(default=None, ge=EMOTION_MIN, le=EMOTION_MAX)
    emotion_words: list[str] = []
    quotes: list[str] = []
    pain_point: str = ""
    opportunity: str = ""
    duration: str = ""
    moment_of_truth: bool = False


class Identity(Record):
    """Who a respondent code stands for: the key table, kept apart from the interview data.

    Never part of an interview record, a summary or an export unless asked for explicitly.
    """

    respondent_id: str
    name: str = ""
    contact: str = ""
    note: str = ""
    recorded_at: datetime = Field(default_factory=now)


class InterviewRecord(Record):
    """One interview with everything linked to it: what summaries and exports work on."""

    study: Study
    respondent: Respondent
    interview: Interview
    consents: list[Consent] = []
    answers: list[Answer] = []
    steps: list[Step] = []

    def latest_answers(self) -> dict[tuple[str, str], Answer]:
        """The live revision per (question id, step id): retracted ones left out."""
        latest: dict[tuple[str, str], Answer] = {}
        for answer in self.answers:
            key = (answer.question_id, answer.step_id)
            if key not in latest or answer.revision > latest[key].revision:
                latest[key] = answer
        return {key: a for key, a in latest.items() if not a.retracted}

    def consent(self, item: str) -> bool | None:
        """Whether consent item (participation, audio, quotes) was given; None if never asked."""
        return next((c.granted for c in self.consents if c.item == item), None)
