"""The chat transcript as a pure function of the interview state, so that a resumed interview
shows exactly what was shown before."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from klantreis_tui.i18n import current_language, keyed, t, tn
from klantreis_tui.models.positions import Ended, LoopPrompt, Slot
from klantreis_tui.models.question_set import Question, QuestionKind, QuestionSet, SectionKind
from klantreis_tui.services import InterviewState

FACES = {-2: "☹☹", -1: "☹", 0: "~", 1: "☺", 2: "☺☺"}


@dataclass(frozen=True)
class ChatItem:
    """One message in the chat column. ``key`` is stable across re-renders."""

    key: str
    kind: str  # section | step | answered | current | loop | end
    text: str
    detail: list[str] = field(default_factory=list)
    slot: Slot | None = None
    saved: bool = False


def emotion_label(score: int) -> str:
    return f"{FACES[score]} {t(keyed(f'emotion.{score}'))}"


def format_value(qs: QuestionSet, question: Question, value: Any) -> str:
    """What an answer looks like to the interviewer."""
    lang = current_language()
    if value is None:
        return ""
    kind = question.kind
    if kind is QuestionKind.yes_no:
        return t('yes' if value else 'no')
    if kind is QuestionKind.emotion and isinstance(value, int):
        sign = "+" if value > 0 else ""
        return f"{sign}{value} {emotion_label(value)}"
    if kind in (QuestionKind.single_choice, QuestionKind.multiple_choice):
        labels = {c.value: c.label.get(lang) for c in qs.choices_for(question)}
        items = value if isinstance(value, list) else [value]
        return ", ".join(labels.get(str(v), str(v)) for v in items)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def question_detail(question: Question) -> list[str]:
    lang = current_language()
    lines = []
    if question.hint:
        lines.append(t('tip: {text}', text=question.hint.get(lang)))
    lines.extend(t('probe: {text}', text=f'"{probe.get(lang)}"') for probe in question.probes)
    return lines


def build_transcript(state: InterviewState, editing: Slot | None = None) -> list[ChatItem]:
    """Every answered question in interview order, then what is asked now."""
    lang = current_language()
    items: list[ChatItem] = []
    position = state.current()
    answered = {slot for slot in state.slots() if state.answer(slot) is not None}
    step_numbers = {step.id: step.position for step in state.steps}
    for section in state.qs.sections:
        section_items: list[ChatItem] = []
        if section.kind is SectionKind.step_loop:
            for step in state.steps:
                step_items = [
                    _answered(state, slot) if slot in answered else _from_editor(state, slot)
                    for q in section.questions
                    if (slot := Slot(q.id, step.id)) in answered
                    or (q.field and state.applies(slot) and state.is_done(slot))
                ]
                current_here = isinstance(position, Slot) and position.step_id == step.id
                if step_items or current_here:
                    title = t('Step {n}', n=step_numbers[step.id])
                    if step.description:
                        title += f": {step.description}"
                    section_items.append(ChatItem(f"step:{step.id}", "step", title))
                    section_items.extend(step_items)
                if current_here:
                    section_items.append(_current(state, position))
            if isinstance(position, LoopPrompt) and position.section_id == section.id:
                text = tn('Another step? (now {n} step)', 'Another step? (now {n} steps)', position.step_count) if position.step_count else t('Start the first step of the journey?')
                section_items.append(ChatItem(f"loop:{section.id}:{position.step_count}", "loop", text))
        else:
            for question in section.questions:
                slot = Slot(question.id)
                if slot in answered:
                    section_items.append(_answered(state, slot))
                elif position == slot:
                    section_items.append(_current(state, slot))
        if section_items:
            items.append(ChatItem(f"section:{section.id}", "section", section.title.get(lang)))
            items.extend(section_items)
        if isinstance(position, Slot) and state.section(position).id == section.id:
            break
        if isinstance(position, LoopPrompt) and position.section_id == section.id:
            break
    if isinstance(position, Ended):
        items.append(ChatItem("end", "end", t('No consent to take part: the interview has stopped. Only the refusal is stored.' if position.refused else 'End of the question set. F10 completes the interview.')))
    return items


def _step_text(state: InterviewState, slot: Slot) -> str | None:
    """What the step holds now for the field ``slot``'s question fills (None: not a step field)."""
    question = state.question(slot)
    step = state.step(slot.step_id) if slot.step_id and question.field else None
    if step is None or question.field is None:
        return None
    if question.field == "quote":
        return " / ".join(step.quotes)
    value = getattr(step, question.field, None)
    return format_value(state.qs, question, value if value not in (None, "", []) else None)


def _same_list(text: str) -> str:
    """``a,b`` and ``a, b`` are the same list (a step keeps words and names as a list)."""
    return re.sub(r"\s*[,;]\s*", ", ", text.strip())


def _from_editor(state: InterviewState, slot: Slot) -> ChatItem:
    """A step question not answered in the chat whose field was filled in the step editor: it counts as answered."""
    question = state.question(slot)
    return ChatItem(
        f"qa:{slot.question_id}:{slot.step_id}:editor",
        "answered",
        question.prompt.get(current_language()),
        detail=[_step_text(state, slot) or "", t('filled in the step editor')],
        slot=slot,
        saved=True,
    )


def _answered(state: InterviewState, slot: Slot) -> ChatItem:
    lang = current_language()
    question = state.question(slot)
    answer = state.answer(slot)
    assert answer is not None
    text = t('(skipped)') if answer.skipped else format_value(state.qs, question, answer.value)
    detail = [t('revision {n}', n=answer.revision)] if answer.revision > 1 else []
    now = _step_text(state, slot)
    kept_quote = question.field == "quote" and state.step(slot.step_id) is not None and answer.value in state.step(slot.step_id).quotes
    given = format_value(state.qs, question, answer.value) if not answer.skipped else ""
    if now is not None and not kept_quote and _same_list(now) != _same_list(given):
        # changed in the step editor since: the chat shows what is stored now
        text = now or t('(emptied)')
        detail.append(t('changed in the step editor'))
    return ChatItem(
        f"qa:{slot.question_id}:{slot.step_id}:{answer.revision}",
        "answered",
        question.prompt.get(lang),
        detail=[text, *detail],
        slot=slot,
        saved=True,
    )


def _current(state: InterviewState, slot: Slot) -> ChatItem:
    lang = current_language()
    question = state.question(slot)
    section = state.section(slot)
    detail = question_detail(question)
    first_of_section = section.questions[0].id == question.id and section.kind is not SectionKind.step_loop
    if first_of_section and section.intro:
        detail.insert(0, section.intro.get(lang))
    return ChatItem(f"ask:{slot.question_id}:{slot.step_id}", "current", question.prompt.get(lang), detail, slot=slot)
