"""Pydantic models of a question set (interview script) as researchers write it."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any, Callable, Literal, Union

from pydantic_core import PydanticCustomError
from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, field_validator, model_validator

from klantreis_tui.models.patterns import PatternUnsupported, compile_pattern

ID_PATTERN = r"^[a-z][a-z0-9_]*$"


class Strict(BaseModel):
    """Base for anything read from outside: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A user-facing text: Dutch is required, English is optional."""

    nl: str = Field(min_length=1)
    en: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _plain_string_is_dutch(cls, data: Any) -> Any:
        if isinstance(data, str):
            return {"nl": data}
        return data

    def get(self, lang: str) -> str:
        if lang == "en" and self.en:
            return self.en
        return self.nl


class QuestionKind(str, Enum):
    text = "text"
    long_text = "long_text"
    single_choice = "single_choice"
    multiple_choice = "multiple_choice"
    yes_no = "yes_no"
    number = "number"
    date = "date"
    emotion = "emotion"
    instance = "instance"
    channel = "channel"


class SectionKind(str, Enum):
    consent = "consent"
    questions = "questions"
    step_loop = "step_loop"


class AskMode(str, Enum):
    """When a step-loop question is asked: in every step, or only when the interviewer asks for it with a key."""

    always = "always"
    on_request = "on_request"


class ConsentItem(str, Enum):
    participation = "participation"
    audio = "audio"
    quotes = "quotes"


#: Fields a question outside the step loop may fill: the respondent's age band and segment, and the
#: interview's trigger and expectation (which the summary quotes).
RESPONDENT_FIELDS: dict[str, set[QuestionKind]] = {
    "age_band": {QuestionKind.single_choice, QuestionKind.text},
    "segment": {QuestionKind.single_choice, QuestionKind.text},
    "trigger": {QuestionKind.text, QuestionKind.long_text},
    "expectation": {QuestionKind.text, QuestionKind.long_text},
}
INTERVIEW_FIELDS = ("trigger", "expectation")


class Choice(Strict):
    value: str = Field(min_length=1)
    label: Text


class Validation(Strict):
    """A validation rule on an answer; every given limit must hold."""

    pattern: str | None = None
    min_length: int | None = Field(default=None, ge=0)
    max_length: int | None = Field(default=None, ge=1)
    min: float | None = None
    max: float | None = None
    message: Text

    @field_validator("pattern")
    @classmethod
    def _pattern_compiles(cls, value: str | None) -> str | None:
        """The pattern must run on RE2 (linear time; see models/patterns.py for how its syntax differs)."""
        if value is not None:
            try:
                compile_pattern(value)
            except PatternUnsupported as exc:
                detail = {"reason": exc.reason, **exc.detail}
                raise PydanticCustomError("pattern_unsupported", "{reason}", detail) from None
        return value


class Comparison(Strict):
    """A condition on one earlier answer."""

    question: str
    equals: str | int | float | bool | None = None
    not_equals: str | int | float | bool | None = None
    one_of: list[str | int | float | bool] | None = None
    contains: str | None = None
    at_least: float | None = None
    at_most: float | None = None
    answered: bool | None = None

    @model_validator(mode="after")
    def _one_test(self) -> "Comparison":
        given = [
            name
            for name in ("equals", "not_equals", "one_of", "contains", "at_least", "at_most", "answered")
            if getattr(self, name) is not None
        ]
        if len(given) != 1:
            raise PydanticCustomError("condition_tests", "a condition needs exactly one test", {"count": len(given)})
        return self


class AllOf(Strict):
    all: list["Condition"] = Field(min_length=1)


class AnyOf(Strict):
    any: list["Condition"] = Field(min_length=1)


class NotOf(Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    not_: "Condition" = Field(alias="not")


def _condition_kind(value: Any) -> str:
    if isinstance(value, dict):
        for key in ("all", "any", "not"):
            if key in value:
                return key
        return "compare"
    return {AllOf: "all", AnyOf: "any", NotOf: "not"}.get(type(value), "compare")


Condition = Annotated[
    Union[
        Annotated[Comparison, Tag("compare")],
        Annotated[AllOf, Tag("all")],
        Annotated[AnyOf, Tag("any")],
        Annotated[NotOf, Tag("not")],
    ],
    Discriminator(_condition_kind),
]


def condition_questions(condition: Condition) -> list[str]:
    """Every question id a condition refers to."""
    if isinstance(condition, Comparison):
        return [condition.question]
    if isinstance(condition, AllOf):
        return [q for c in condition.all for q in condition_questions(c)]
    if isinstance(condition, AnyOf):
        return [q for c in condition.any for q in condition_questions(c)]
    return condition_questions(condition.not_)


class Question(Strict):
    id: Annotated[str, Field(pattern=ID_PATTERN)]
    kind: QuestionKind
    prompt: Text
    hint: Text | None = None
    probes: list[Text] = []
    required: bool = False
    validation: Validation | None = None
    when: Condition | None = None
    choices: str | list[Choice] | None = None
    field: str | None = None
    consent: ConsentItem | None = None
    ask: AskMode = AskMode.always

    @property
    def on_request(self) -> bool:
        return self.ask is AskMode.on_request


class Section(Strict):
    id: Annotated[str, Field(pattern=ID_PATTERN)]
    kind: SectionKind = SectionKind.questions
    title: Text
    intro: Text | None = None
    text_version: str | None = None
    questions: list[Question]


class QuestionSet(Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")]
    version: str = Field(min_length=1)
    title: Text
    description: Text
    language: Literal["nl"] = "nl"
    choice_lists: dict[str, list[Choice]] = {}
    #: the phases this script proposes to a study that has none yet, in order
    phases: list[Text] = []
    sections: list[Section]

    # --- look-ups used by the engine and the UI ---------------------------------

    def questions(self) -> list[tuple[Section, Question]]:
        return [(s, q) for s in self.sections for q in s.questions]

    def question(self, question_id: str) -> Question:
        for _, q in self.questions():
            if q.id == question_id:
                return q
        raise KeyError(question_id)

    def section_of(self, question_id: str) -> Section:
        for s, q in self.questions():
            if q.id == question_id:
                return s
        raise KeyError(question_id)

    def choices_for(self, question: Question) -> list[Choice]:
        if question.choices is None:
            return []
        if isinstance(question.choices, str):
            return list(self.choice_lists.get(question.choices, []))
        return list(question.choices)

    def answer_words(
        self, question_id: str, value: Any, lang: str, yes: str, no: str, emotion: Callable[[int], str] | None = None,
    ) -> str:
        """An answer as a reader sees it: choice labels in ``lang``, ``yes``/``no``, lists joined; an emotion
        score through ``emotion`` when given. The summaries and the transcripts of the research formats share it."""
        return answer_words(value, self, question_id, lang, yes, no, emotion)

    def consent_section(self) -> Section | None:
        return next((s for s in self.sections if s.kind is SectionKind.consent), None)

    def step_loop(self) -> Section | None:
        return next((s for s in self.sections if s.kind is SectionKind.step_loop), None)


def answer_words(
    value: Any, qs: "QuestionSet | None", question_id: str, lang: str, yes: str, no: str,
    emotion: Callable[[int], str] | None = None,
) -> str:
    """An answer value as readable text (see ``QuestionSet.answer_words``); without a question set the value
    as stored, lists joined."""
    if value is None:
        return ""
    question = None
    if qs is not None:
        try:
            question = qs.question(question_id)
        except KeyError:
            question = None
    if isinstance(value, bool):
        return yes if value else no
    if emotion is not None and question is not None and question.kind is QuestionKind.emotion and isinstance(value, int):
        return emotion(value) if -2 <= value <= 2 else str(value)
    if question is not None and qs is not None and question.kind in (QuestionKind.single_choice, QuestionKind.multiple_choice):
        labels = {c.value: c.label.get(lang) for c in qs.choices_for(question)}
        values = value if isinstance(value, list) else [value]
        return ", ".join(labels.get(str(v), str(v)) for v in values)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


AllOf.model_rebuild()
AnyOf.model_rebuild()
NotOf.model_rebuild()
