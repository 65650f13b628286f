"""The template context of one interview summary (``interview_context``; its variables: ``rendering.summary``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from klantreis_tui.models import steps as step_fields
from klantreis_tui.models.moments import local_date
from klantreis_tui.models.question_set import QuestionSet, SectionKind
from klantreis_tui.models.records import InterviewRecord, Step
from klantreis_tui.models.steps import FieldKind
from klantreis_tui.rendering.formatting import (
    _answer_text,
    _ascii,
    _emotion_class,
    _emotion_label,
    _ordered_steps,
    _quote_permission,
    normalise,
    typed_lines,
    signed,
)
from klantreis_tui.rendering.labels import _lang, labels, phrases
from klantreis_tui.rendering.narrative import narrative
from klantreis_tui.rendering.svg import LazySvg
from klantreis_tui.i18n import current_language


def _field_plan() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    lists = tuple(f.name for f in step_fields.FIELDS if f.is_list)
    emotions = tuple(f.name for f in step_fields.FIELDS if not f.is_list and f.kind is FieldKind.emotion)
    plain = tuple(f.name for f in step_fields.FIELDS if not f.is_list and f.kind is not FieldKind.emotion)
    return lists, emotions, plain


_LISTS, _EMOTIONS, _PLAIN = _field_plan()


#: the keys of each list field (its ``_text``: None for the quotes) and of each emotion field, made once
_LIST_KEYS = tuple((name, None if name == "quotes" else f"{name}_text") for name in _LISTS)
_EMOTION_KEYS = tuple((name, f"{name}_text", f"{name}_label", f"{name}_class") for name in _EMOTIONS)
#: an emotion's text and class, for the common scores (-3 to +3, or none)
_EMOTION_TEXT: dict[Any, tuple[str, str]] = {}


def _step_dict(number: int, step: Step, words: dict[str, str], quotes_allowed: bool) -> dict[str, Any]:
    """A step for the templates: its number, every step field (``models.steps``), and the field as text: a
    list also as ``<name>_text`` (but the quotes), the emotion also as ``_text``, ``_label`` and ``_class``."""
    result: dict[str, Any] = {"number": number}
    for name in _PLAIN:
        result[name] = getattr(step, name)
    for name, text_key in _LIST_KEYS:
        value = getattr(step, name)
        if text_key is None:
            result[name] = list(value) if quotes_allowed else []
        else:
            result[name] = list(value)
            result[text_key] = ", ".join(value)
    for name, text_key, label_key, class_key in _EMOTION_KEYS:
        value = getattr(step, name)
        common = value is None or (type(value) is int and -9 <= value <= 9)
        known = _EMOTION_TEXT.get(value) if common else None
        if known is None:
            known = (signed(value), _emotion_class(value))
            if common:
                _EMOTION_TEXT[value] = known
        result[name] = value
        result[text_key] = known[0]
        result[label_key] = _emotion_label(value, words)
        result[class_key] = known[1]
    return result


def _extremes(steps: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The low points (steps with the lowest score, if it is negative) and the high points (steps with the
    highest score, if it is positive); all of them on a tie. A journey that never went below zero has no
    low point, one that never rose above zero no high point.
    """
    scored = [s for s in steps if s["emotion"] is not None]
    if not scored:
        return [], []
    low = min(s["emotion"] for s in scored)
    high = max(s["emotion"] for s in scored)
    lows = [s for s in scored if s["emotion"] == low] if low < 0 else []
    highs = [s for s in scored if s["emotion"] == high] if high > 0 else []
    return lows, highs


def _counted(names: Iterable[str]) -> list[dict[str, Any]]:
    """Names with how often they occur (case-insensitive, first spelling kept), most frequent first."""
    counts: dict[str, dict[str, Any]] = {}
    for name in names:
        key = normalise(name)
        if not key:
            continue
        entry = counts.setdefault(key, {"name": name.strip(), "count": 0})
        entry["count"] += 1
    return sorted(counts.values(), key=lambda e: -e["count"])


def _field_answers(record: InterviewRecord, qs: QuestionSet | None) -> dict[str, str]:
    """Answers to the questions outside the step loop that fill a field (trigger, expectation...)."""
    found: dict[str, str] = {}
    if qs is None:
        return found
    latest = record.latest_answers()
    for section, question in qs.questions():
        if section.kind is SectionKind.step_loop or not question.field:
            continue
        answer = latest.get((question.id, ""))
        if answer is not None and not answer.skipped and answer.value not in (None, ""):
            found.setdefault(question.field, typed_lines(str(answer.value)))
    return found


def _other_answers(
    record: InterviewRecord, qs: QuestionSet | None, words: dict[str, str]
) -> list[dict[str, Any]]:
    """Answers outside consent and the step loop that the summary does not show elsewhere."""
    lang = current_language()
    latest = record.latest_answers()
    groups: list[dict[str, Any]] = []
    if qs is None:
        items = [
            {"question": qid, "answer": typed_lines(_answer_text(a.value, None, qid, words))}
            for (qid, step_id), a in latest.items()
            if not step_id and not a.skipped and a.value not in (None, "")
        ]
        return [{"section": words["other_answers"], "items": items}] if items else []
    for section in qs.sections:
        if section.kind is not SectionKind.questions:
            continue
        items = []
        for question in section.questions:
            if question.field or question.consent:
                continue
            answer = latest.get((question.id, ""))
            if answer is None or answer.skipped or answer.value in (None, ""):
                continue
            text = _answer_text(answer.value, qs, question.id, words)
            items.append({"question": question.prompt.get(lang), "answer": typed_lines(text)})
        if items:
            groups.append({"section": section.title.get(lang), "items": items})
    return groups


def _who(record: InterviewRecord) -> str:
    """The respondent as the story names them: "R02 (45-54 jaar; gescheiden, baan verloren)"."""
    respondent = record.respondent
    age = phrases()["age"].format(age=respondent.age_band) if respondent.age_band else ""
    details = [d for d in (age, respondent.segment) if d]
    return respondent.code + (f" ({'; '.join(details)})" if details else "")


def interview_context(record: InterviewRecord, qs: QuestionSet | None) -> dict[str, Any]:
    """Everything the interview templates show about one interview (see the module docstring)."""
    lang = current_language()
    lang = _lang(lang)
    words = labels(lang)
    withheld = _quote_permission(record, words)
    steps = [_step_dict(n, s, words, not withheld) for n, s in enumerate(_ordered_steps(record), start=1)]
    fields = _field_answers(record, qs)
    trigger, expectation = fields.get("trigger", ""), fields.get("expectation", "")
    lows, highs = _extremes(steps)
    flagged = [s for s in steps if s["moment_of_truth"]]
    moments = flagged or sorted(lows + highs, key=lambda s: s["number"])
    scores = [s["emotion"] for s in steps]

    def noted(field: str) -> list[dict[str, Any]]:
        return [
            {"number": s["number"], "phase": s["phase"], "description": s["description"], "text": typed_lines(s[field])}
            for s in steps
            if s[field].strip()
        ]

    return {
        "lang": lang,
        "labels": words,
        "study": record.study.title,
        "respondent": record.respondent.code,
        "segment": record.respondent.segment or fields.get("segment", ""),
        "age_band": record.respondent.age_band or fields.get("age_band", ""),
        "date": local_date(record.interview.started_at),
        "interviewer": record.interview.interviewer,
        "status": record.interview.status.value,
        "question_set": record.interview.question_set_id,
        "question_set_version": record.interview.question_set_version,
        "question_set_title": qs.title.get(lang) if qs is not None else "",
        "trigger": trigger,
        "expectation": expectation,
        "narrative": narrative(_who(record), record.study.title, steps, trigger, expectation, lows, highs, lang),
        "steps": steps,
        "scores": scores,
        "heartbeat_ascii": _ascii(scores),
        "heartbeat_svg": LazySvg(scores, title=words["heartbeat"]),
        "low_points": lows,
        "high_points": highs,
        "moments": moments,
        "moments_flagged": bool(flagged),
        "pain_points": noted("pain_point"),
        "ideas": noted("opportunity"),
        "quotes": [{"number": s["number"], "phase": s["phase"], "text": typed_lines(q)} for s in steps for q in s["quotes"]],
        "quotes_withheld": withheld,
        "instances": _counted(name for s in steps for name in s["instances"]),
        "channels": _counted(name for s in steps for name in s["channels"]),
        "other_answers": _other_answers(record, qs, words),
    }


#: what a study synthesis takes from a step (``interview_facts``)
_FACT_FIELDS = ("phase", "description", "pain_point", "opportunity", "moment_of_truth", "emotion")


def interview_facts(record: InterviewRecord, qs: QuestionSet | None, words: dict[str, str]) -> dict[str, Any]:
    """What a study synthesis takes from one interview, as ``interview_context`` has it: ``respondent``,
    ``segment``, ``age_band``, ``date``, ``trigger``, ``scores``, ``quotes_withheld``, ``moments`` and
    ``moments_flagged``, and ``steps`` holding only ``number``, the fields of ``_FACT_FIELDS``, ``instances``,
    ``channels`` and ``quotes`` (empty when withheld); a moment also its ``emotion_text`` and ``emotion_label``.
    Nothing else is built (the synthesis reads a thousand of them): no narrative, no lists per interview, no
    heartbeat (the synthesis draws its own)."""
    withheld = _quote_permission(record, words)
    steps = []
    for number, step in enumerate(_ordered_steps(record), start=1):
        fact: dict[str, Any] = {"number": number}
        for name in _FACT_FIELDS:
            fact[name] = getattr(step, name)
        fact["instances"], fact["channels"] = list(step.instances), list(step.channels)
        fact["quotes"] = [] if withheld else list(step.quotes)
        steps.append(fact)
    fields = _field_answers(record, qs)
    flagged = [s for s in steps if s["moment_of_truth"]]
    if flagged:
        moments = flagged
    else:
        lows, highs = _extremes(steps)
        moments = sorted(lows + highs, key=lambda s: s["number"])
    for moment in moments:
        moment["emotion_text"] = signed(moment["emotion"])
        moment["emotion_label"] = _emotion_label(moment["emotion"], words)
    return {
        "respondent": record.respondent.code,
        "segment": record.respondent.segment or fields.get("segment", ""),
        "age_band": record.respondent.age_band or fields.get("age_band", ""),
        "date": local_date(record.interview.started_at),
        "trigger": fields.get("trigger", ""),
        "steps": steps,
        "scores": [s["emotion"] for s in steps],
        "moments": moments,
        "moments_flagged": bool(flagged),
        "quotes_withheld": withheld,
    }
