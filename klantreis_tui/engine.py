"""The interview as a pure state machine over a question set: what to ask next, conditions,
the step loop, progress and answer validation. No Textual, no SQL."""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import Any

from klantreis_tui.errors import AnswerInvalid
from klantreis_tui.models.question_set import (
    AllOf,
    AnyOf,
    Comparison,
    ConsentItem,
    NotOf,
    Question,
    QuestionKind,
    QuestionSet,
    Section,
    SectionKind,
)
from klantreis_tui.models.patterns import fullmatch
from klantreis_tui.models.positions import Ended, LoopPrompt, Position, Slot
from klantreis_tui.models.records import Answer, Step

LOOP_PREFIX = "@loop:"
YES = {"j", "ja", "y", "yes", "true", "1"}
NO = {"n", "nee", "no", "false", "0"}
LIST_KINDS = {QuestionKind.instance, QuestionKind.channel, QuestionKind.multiple_choice}


def loop_control_id(section_id: str) -> str:
    return f"{LOOP_PREFIX}{section_id}"


class InterviewState:
    """The state of one interview, rebuilt from its stored answers and steps."""

    def __init__(self, question_set: QuestionSet, answers: list[Answer], steps: list[Step], lang: str = "nl"):
        self.qs = question_set
        self.lang = lang
        #: every revision in recorded order: the first ``_count`` of a list that the states derived from this one
        #: by ``with_change`` extend (never change), so that a save does not copy every answer before it
        self._answers = list(answers)
        self._count = len(self._answers)
        self.steps = sorted(steps, key=lambda s: s.position)
        self.latest: dict[tuple[str, str], Answer] = {}
        for answer in answers:
            key = (answer.question_id, answer.step_id)
            current = self.latest.get(key)
            if current is None or answer.revision > current.revision:
                self.latest[key] = answer
        self._questions = {q.id: (s, q) for s, q in question_set.questions()}

    def with_change(self, answer: Answer, step: Step | None = None) -> "InterviewState":
        """The state after ``answer`` was stored (and ``step`` changed with it), without rebuilding the index
        of every answer: the save of one answer costs the same early and late in an interview."""
        new = object.__new__(InterviewState)
        new.qs, new.lang, new._questions = self.qs, self.lang, self._questions
        if len(self._answers) == self._count:  # the newest state of this list: the new one extends it
            new._answers = self._answers
            new._answers.append(answer)
        else:  # a state derived from this one extended it already: this branch gets its own list
            new._answers = [*self._answers[: self._count], answer]
        new._count = self._count + 1
        new.steps = [step if step is not None and s.id == step.id else s for s in self.steps]
        if step is not None and any(a.position > b.position for a, b in zip(new.steps, new.steps[1:])):
            new.steps.sort(key=lambda s: s.position)
        new.latest = dict(self.latest)
        key = (answer.question_id, answer.step_id)
        current = new.latest.get(key)
        if current is None or answer.revision > current.revision:
            new.latest[key] = answer
        return new

    # --- answers ------------------------------------------------------------------------

    @property
    def answers(self) -> list[Answer]:
        """Every stored revision of every answer, in the order they were recorded (a copy)."""
        return self._answers[: self._count]

    def answer(self, slot: Slot) -> Answer | None:
        """The latest live revision for ``slot`` (None if never answered or retracted)."""
        answer = self.latest.get((slot.question_id, slot.step_id))
        return None if answer is None or answer.retracted else answer

    def value(self, slot: Slot) -> Any:
        answer = self.answer(slot)
        return None if answer is None or answer.skipped else answer.value

    def is_done(self, slot: Slot) -> bool:
        if self.answer(slot) is not None:
            return True
        section, question = self._questions[slot.question_id]
        if section.kind is SectionKind.step_loop and question.field and slot.step_id:
            step = self.step(slot.step_id)
            return step is not None and _field_filled(getattr(step, _step_attr(question.field)))
        return False

    def step(self, step_id: str) -> Step | None:
        return next((s for s in self.steps if s.id == step_id), None)

    # --- conditions ----------------------------------------------------------------------

    def applies(self, slot: Slot) -> bool:
        """Whether ``slot`` is asked: its condition holds, and a question asked on request was answered."""
        question = self._questions[slot.question_id][1]
        if question.on_request and not self.is_done(slot):
            return False
        return question.when is None or self._holds(question.when, slot.step_id)

    def on_request(self, step_id: str) -> list[Slot]:
        """The questions of step ``step_id`` asked only on request, not answered yet, whose condition holds."""
        loop = self.qs.step_loop()
        if loop is None or self.step(step_id) is None:
            return []
        return [
            slot
            for q in loop.questions
            if q.on_request
            and not self.is_done(slot := Slot(q.id, step_id))
            and (q.when is None or self._holds(q.when, step_id))
        ]

    def _lookup(self, question_id: str, step_id: str) -> Any:
        section = self._questions[question_id][0]
        if section.kind is SectionKind.step_loop:
            if step_id:
                value = self.value(Slot(question_id, step_id))
                question, step = self._questions[question_id][1], self.step(step_id)
                if value is None and question.field and step is not None and self.answer(Slot(question_id, step_id)) is None:
                    value = getattr(step, _step_attr(question.field))  # filled in the step editor
                    value = None if value in ("", []) else value
                return value
            values = [self.value(Slot(question_id, s.id)) for s in self.steps]
            return next((v for v in values if v is not None), None)
        return self.value(Slot(question_id))

    def _holds(self, condition: Any, step_id: str) -> bool:
        if isinstance(condition, AllOf):
            return all(self._holds(c, step_id) for c in condition.all)
        if isinstance(condition, AnyOf):
            return any(self._holds(c, step_id) for c in condition.any)
        if isinstance(condition, NotOf):
            return not self._holds(condition.not_, step_id)
        assert isinstance(condition, Comparison)
        value = self._lookup(condition.question, step_id)
        if condition.answered is not None:
            return (value is not None) == condition.answered
        if value is None:
            return False
        if condition.equals is not None:
            return _same(value, condition.equals)
        if condition.not_equals is not None:
            return not _same(value, condition.not_equals)
        if condition.one_of is not None:
            return any(_same(value, option) for option in condition.one_of)
        if condition.contains is not None:
            items = value if isinstance(value, list) else [value]
            return any(condition.contains.lower() in str(item).lower() for item in items)
        number = _as_number(value)
        if number is None:
            return False
        if condition.at_least is not None:
            return number >= condition.at_least
        return number <= condition.at_most  # type: ignore[operator]

    # --- order, position and progress -------------------------------------------------------

    def consent_refused(self) -> bool:
        section = self.qs.consent_section()
        if section is None:
            return False
        for question in section.questions:
            if question.consent is ConsentItem.participation and self.value(Slot(question.id)) is False:
                return True
        return False

    def loop_closed(self, section: Section) -> bool:
        answer = self.answer(Slot(loop_control_id(section.id)))
        return answer is not None and answer.value is True

    def slots(self) -> list[Slot]:
        """Every applicable question, in the order the interview asks them."""
        result: list[Slot] = []
        for section in self.qs.sections:
            if section.kind is SectionKind.step_loop:
                for step in self.steps:
                    result.extend(
                        slot for q in section.questions if self.applies(slot := Slot(q.id, step.id))
                    )
            else:
                result.extend(slot for q in section.questions if self.applies(slot := Slot(q.id)))
        return result

    def current(self) -> Position:
        """What to ask now: the first open question, the step-loop prompt, or the end."""
        if self.consent_refused():
            return Ended(refused=True)
        for section in self.qs.sections:
            if section.kind is SectionKind.step_loop:
                for step in self.steps:
                    for question in section.questions:
                        slot = Slot(question.id, step.id)
                        if self.applies(slot) and not self.is_done(slot):
                            return slot
                if not self.loop_closed(section):
                    return LoopPrompt(section.id, len(self.steps))
                continue
            for question in section.questions:
                slot = Slot(question.id)
                if self.applies(slot) and not self.is_done(slot):
                    return slot
        return Ended()

    def previous(self, slot: Slot) -> Slot | None:
        """The question asked before ``slot`` (for going back)."""
        order = self.slots()
        if slot not in order:
            return order[-1] if order else None
        index = order.index(slot)
        return order[index - 1] if index > 0 else None

    def progress(self) -> tuple[int, int]:
        """(answered, total) over the applicable questions asked so far and to come."""
        order = self.slots()
        return sum(1 for slot in order if self.is_done(slot)), len(order)

    def section_progress(self, section_id: str) -> tuple[int, int]:
        order = [s for s in self.slots() if self._questions[s.question_id][0].id == section_id]
        return sum(1 for slot in order if self.is_done(slot)), len(order)

    def question(self, slot: Slot) -> Question:
        return self._questions[slot.question_id][1]

    def section(self, slot: Slot) -> Section:
        return self._questions[slot.question_id][0]

    # --- validation -------------------------------------------------------------------------

    def validate(self, question: Question, raw: Any) -> Any:
        """Turn what was typed into the stored value, or raise AnswerInvalid.

        Returns None for an empty answer to an optional question (the caller stores a skip).
        """
        return validate_answer(self.qs, question, raw, self.lang)


def validate_answer(qs: QuestionSet, question: Question, raw: Any, lang: str = "nl") -> Any:
    if raw is None or (isinstance(raw, str) and not raw.strip()) or raw == []:
        if question.required:
            raise AnswerInvalid("answer.required", lang=lang)
        return None
    kind = question.kind
    if kind in (QuestionKind.text, QuestionKind.long_text):
        value: Any = str(raw).strip()
    elif kind is QuestionKind.yes_no:
        value = _yes_no(raw, lang)
    elif kind is QuestionKind.number:
        number = _as_number(raw)
        if number is None:
            raise AnswerInvalid("answer.not_number", lang=lang)
        # an int stays as it is (float() of a very large one overflows); 45.0 is stored as 45
        value = number if isinstance(number, int) or not number.is_integer() else int(number)
    elif kind is QuestionKind.date:
        value = _as_date(raw, lang)
    elif kind is QuestionKind.emotion:
        try:
            value = int(str(raw).strip().replace("+", ""))
        except ValueError:
            raise AnswerInvalid("answer.bad_emotion", lang=lang) from None
        if not -2 <= value <= 2:
            raise AnswerInvalid("answer.bad_emotion", lang=lang)
    elif kind is QuestionKind.single_choice:
        value = _choice(qs, question, raw, lang)
    elif kind is QuestionKind.multiple_choice:
        items = raw if isinstance(raw, list) else [p for p in re.split(r"[,;]", str(raw)) if p.strip()]
        value = list(dict.fromkeys(_choice(qs, question, item, lang) for item in items))
    else:  # instance, channel: free entry, several allowed
        items = raw if isinstance(raw, list) else re.split(r"[,;]", str(raw))
        value = list(dict.fromkeys(str(item).strip() for item in items if str(item).strip()))
    _apply_rule(question, value, lang)
    return value


def _apply_rule(question: Question, value: Any, lang: str) -> None:
    rule = question.validation
    if rule is None:
        return
    message = rule.message.get(lang)
    if isinstance(value, str):
        if rule.pattern is not None and not fullmatch(rule.pattern, value):  # RE2: linear time
            raise AnswerInvalid("answer.rule", message)
        if rule.min_length is not None and len(value) < rule.min_length:
            raise AnswerInvalid("answer.rule", message)
        if rule.max_length is not None and len(value) > rule.max_length:
            raise AnswerInvalid("answer.rule", message)
    number = value if isinstance(value, (int, float)) and not isinstance(value, bool) else None
    if number is not None:
        if rule.min is not None and number < rule.min:
            raise AnswerInvalid("answer.rule", message)
        if rule.max is not None and number > rule.max:
            raise AnswerInvalid("answer.rule", message)


def _yes_no(raw: Any, lang: str) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise AnswerInvalid("answer.not_yes_no", lang=lang)


def _choice(qs: QuestionSet, question: Question, raw: Any, lang: str) -> str:
    choices = qs.choices_for(question)
    text = str(raw).strip()
    for choice in choices:
        if text == choice.value:
            return choice.value
    # isdecimal, not isdigit: "²" is a digit that int() refuses
    if text.isdecimal() and 1 <= int(text) <= len(choices):
        return choices[int(text) - 1].value
    for choice in choices:
        if text.lower() in (choice.label.nl.lower(), (choice.label.en or "").lower(), choice.value.lower()):
            return choice.value
    options = ", ".join(f"{i}={c.label.get(lang)}" for i, c in enumerate(choices, 1))
    raise AnswerInvalid("answer.bad_choice", lang=lang, options=options)


def _as_number(raw: Any) -> float | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        return raw if math.isfinite(raw) else None  # nan and inf are not answers, typed or not
    try:
        number = float(str(raw).strip().replace(",", "."))
    except ValueError:
        return None
    return number if math.isfinite(number) else None  # "nan" and "inf" are not answers


def _as_date(raw: Any, lang: str) -> str:
    if isinstance(raw, (date, datetime)):
        return raw.isoformat()[:10]
    text = str(raw).strip()
    for pattern in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    raise AnswerInvalid("answer.not_date", lang=lang)


def _same(value: Any, expected: Any) -> bool:
    if isinstance(value, list):
        return any(_same(item, expected) for item in value)
    if isinstance(value, bool) or isinstance(expected, bool):
        return value is expected or str(value).lower() == str(expected).lower()
    number, target = _as_number(value), _as_number(expected)
    if number is not None and target is not None:
        return number == target
    return str(value) == str(expected)


def _field_filled(value: Any) -> bool:
    return value not in (None, "", [], False)


def _step_attr(field: str) -> str:
    return "quotes" if field == "quote" else field


def step_field_update(step: Step, field: str, old: Any, new: Any) -> dict[str, Any]:
    """The change to a step when the answer mapped to ``field`` goes from ``old`` to ``new``."""
    if field == "quote":
        quotes = [q for q in step.quotes if q != old]
        if new:
            quotes.insert(0, new)
        return {"quotes": quotes}
    if field == "emotion_words":
        words = [w.strip() for w in re.split(r"[,;]", new or "") if w.strip()]
        return {"emotion_words": words}
    if field in ("instances", "channels"):
        return {field: list(new or [])}
    if field == "moment_of_truth":
        return {field: bool(new)}
    if field == "emotion":
        return {field: new}
    return {field: new or ""}


def check_stored_value(qs: QuestionSet, question: Question, value: Any, lang: str = "nl") -> None:
    """Raise AnswerInvalid unless ``value`` is what :func:`validate_answer` stores for ``question`` (None for a
    skipped or retracted answer): the check of an answer that comes stored, from a bundle, not typed."""
    if value is None:
        return
    kind = question.kind
    choices = {c.value for c in qs.choices_for(question)} if kind in (QuestionKind.single_choice, QuestionKind.multiple_choice) else set()
    if kind in (QuestionKind.text, QuestionKind.long_text):
        reason = None if isinstance(value, str) else "answer.not_text"
    elif kind is QuestionKind.yes_no:
        reason = None if isinstance(value, bool) else "answer.not_yes_no"
    elif kind is QuestionKind.number:
        reason = None if _as_number(value) is not None and not isinstance(value, str) else "answer.not_number"
    elif kind is QuestionKind.date:
        reason = None if isinstance(value, str) and _iso_date(value) else "answer.not_date"
    elif kind is QuestionKind.emotion:
        fits = isinstance(value, int) and not isinstance(value, bool) and -2 <= value <= 2
        reason = None if fits else "answer.bad_emotion"
    elif kind is QuestionKind.single_choice:
        reason = None if isinstance(value, str) and value in choices else "answer.bad_choice"
    elif kind is QuestionKind.multiple_choice:
        fits = isinstance(value, list) and all(isinstance(v, str) and v in choices for v in value)
        reason = None if fits else "answer.bad_choice"
    else:  # instance, channel
        fits = isinstance(value, list) and all(isinstance(v, str) for v in value)
        reason = None if fits else "answer.not_list"
    if reason is not None:
        raise AnswerInvalid(reason, options=", ".join(sorted(choices)))
    _apply_rule(question, value, lang)


def check_loop_value(value: Any) -> None:
    """Raise AnswerInvalid unless ``value`` is what the step-loop prompt stores (yes or no; None when undone)."""
    if value is not None and not isinstance(value, bool):
        raise AnswerInvalid("answer.not_yes_no")


def _iso_date(text: str) -> bool:
    try:
        return date.fromisoformat(text).isoformat() == text
    except ValueError:
        return False
