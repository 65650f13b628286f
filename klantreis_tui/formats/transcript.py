"""The plain-text transcript of one interview, as research tools read it: every character position known.

The transcript holds the interview's questions and answers in the order of its question set, and the steps of
the journey with their fields. It is built from pieces of cleaned text (:func:`clean`), and every position is
a Python string index into the text exactly as written (LF line ends only; UTF-8 in the file): what a
REFI-QDA importer counts as characters. Redaction happens before: the records handed over are as they may
leave the laptop.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from klantreis_tui.i18n import current_language, keyed, t
from klantreis_tui.models.moments import local_date
from klantreis_tui.models.question_set import QuestionSet, SectionKind, answer_words
from klantreis_tui.models.records import InterviewRecord, Step
from klantreis_tui.safetext import visible

#: characters XML 1.0 does not allow (C0 controls but tab, newline and carriage return; lone surrogates;
#: U+FFFE and U+FFFF): removed, since no XML file can hold them and a text source must match its project.
#: U+FEFF too: a reader takes it for a byte-order mark at the start of a file and drops it, shifting every position
_XML_INVALID = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")


def clean(text: Any) -> str:
    """``text`` as the research formats write it: line ends as LF, characters XML cannot hold removed, and
    the remaining control characters (DEL, C1, bidirectional overrides) as visible symbols (the one text rule)."""
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    return visible(_XML_INVALID.sub("", text))


def clean_line(text: Any) -> str:
    """``clean`` for a name or a label: on one line, runs of white space as one space."""
    return " ".join(clean(text).split())


def signed(score: int) -> str:
    return f"+{score}" if score > 0 else str(score)


def emotion_name(score: int) -> str:
    """A score with its words: "-2 very negative"."""
    return f"{signed(score)} {t(keyed(f'emotion.{score}'))}"


@dataclass(frozen=True)
class Span:
    """Where a piece of the transcript is: ``text[start:end]``."""

    start: int
    end: int


@dataclass
class StepSpans:
    """Where one step of the journey is in the transcript: its whole block and its pieces of evidence."""

    step: Step
    number: int
    block: Span
    pain_point: Span | None = None
    opportunity: Span | None = None
    quotes: dict[int, Span] = field(default_factory=dict)  # by the quote's index in ``step.quotes``


@dataclass
class Transcript:
    text: str
    steps: list[StepSpans]


class _Writer:
    """Appends cleaned pieces and tells where each one landed."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    def add(self, text: str) -> Span:
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        return Span(start, self.length)

    def line(self, label: str, value: str) -> Span | None:
        """``label: value`` on a line of its own; the span of the value (None when it is empty)."""
        if not value.strip():
            return None
        self.add(f"{label}: ")
        span = self.add(value)
        self.add("\n")
        return span

    def blank(self) -> None:
        if self.parts and not "".join(self.parts[-2:]).endswith("\n\n"):
            self.add("\n")


def answer_text(value: Any, qs: QuestionSet | None, question_id: str) -> str:
    """An answer as a reader sees it: choice labels, yes or no, an emotion score with its words, lists joined."""
    return answer_words(value, qs, question_id, current_language(), t('yes'), t('no'), emotion_name)


def header_lines(record: InterviewRecord, interviewer: str) -> list[tuple[str, str]]:
    """The facts above the transcript (and the case's variables): label and value."""
    return [
        (t('Respondent'), record.respondent.code),
        (t('Age band'), record.respondent.age_band),
        (t('Segment'), record.respondent.segment),
        (t('Interview date'), local_date(record.interview.started_at)),
        (t('Interviewer'), interviewer),
        (t('Question set'), f"{record.interview.question_set_id} {record.interview.question_set_version}"),
        (t('Status'), t(keyed(f"status.{record.interview.status.value}"))),
    ]


def _step(out: _Writer, number: int, step: Step, extra: list[tuple[str, str]]) -> StepSpans:
    start = out.length
    out.add(t('Step {n}', n=number) + "\n")
    out.line(t('Phase'), clean_line(step.phase))
    out.line(t('What happened'), clean(step.description))
    out.line(t('Organisations'), clean_line(", ".join(step.instances)))
    out.line(t('Channels'), clean_line(", ".join(step.channels)))
    if step.emotion is not None:
        out.line(t('Emotion'), emotion_name(step.emotion))
    out.line(t('Emotion words'), clean_line(", ".join(step.emotion_words)))
    spans = StepSpans(step=step, number=number, block=Span(start, start))
    for item, quote in enumerate(step.quotes):
        if (span := out.line(t('Quote'), clean(quote))) is not None:
            spans.quotes[item] = span
    spans.pain_point = out.line(t('Pain point'), clean(step.pain_point))
    spans.opportunity = out.line(t('Idea'), clean(step.opportunity))
    out.line(t('Duration'), clean_line(step.duration))
    if step.moment_of_truth:
        out.line(t('Moment of truth'), t('yes'))
    for label, value in extra:
        out.line(label, value)
    spans.block = Span(start, out.length - 1)  # without the last line end
    return spans


def build_transcript(record: InterviewRecord, qs: QuestionSet | None, interviewer: str) -> Transcript:
    """The transcript of ``record`` (already protected: quotes withheld, personal data redacted as asked)."""
    lang = current_language()
    out = _Writer()
    out.add(clean_line(record.study.title) + "\n")
    for label, value in header_lines(record, interviewer):
        out.line(label, clean_line(value))
    latest = record.latest_answers()
    steps = sorted(record.steps, key=lambda s: s.position)
    found: list[StepSpans] = []

    def answered(question_id: str, step_id: str = "") -> str:
        answer = latest.get((question_id, step_id))
        if answer is None or answer.skipped or answer.value in (None, "", []):
            return ""
        return clean(answer_text(answer.value, qs, question_id)).strip("\n")

    if qs is None:  # the question set is not here: the answers by question id, then the steps
        pairs = [(qid, answered(qid)) for (qid, step_id) in latest if not step_id]
        if any(text for _, text in pairs):
            out.blank()
        for qid, text in pairs:
            if text:
                out.add(f"{clean_line(qid)}\n{text}\n\n")
        if steps:
            out.blank()
        for number, step in enumerate(steps, start=1):
            found.append(_step(out, number, step, []))
            out.add("\n")
        return Transcript("".join(out.parts).rstrip("\n") + "\n", found)
    for section in qs.sections:
        if section.kind is SectionKind.step_loop:
            if not steps:
                continue
            out.blank()
            out.add(f"== {clean_line(section.title.get(lang))} ==\n\n")
            for number, step in enumerate(steps, start=1):
                extra = [
                    (clean_line(q.prompt.get(lang)), text)
                    for q in section.questions
                    if not q.field and (text := answered(q.id, step.id))
                ]
                found.append(_step(out, number, step, extra))
                out.add("\n")
            continue
        items = [(q, text) for q in section.questions if (text := answered(q.id))]
        if not items:
            continue
        out.blank()
        out.add(f"== {clean_line(section.title.get(lang))} ==\n\n")
        for question, text in items:
            out.add(f"{clean_line(question.prompt.get(lang))}\n{text}\n\n")
    return Transcript("".join(out.parts).rstrip("\n") + "\n", found)
