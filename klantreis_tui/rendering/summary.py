"""Template contexts for an interview summary and a study synthesis: plain dicts, lists, strings and numbers.

Every context holds ``lang`` ("nl" or "en") and ``labels`` (the UI words of the templates, from
``LABELS`` below: the one place where they live). Texts typed by interviewers are passed as typed.

Privacy: quotes appear only when the respondent granted quote consent (``record.consent("quotes")``
is True). When consent was refused or never recorded, every quote list is empty and ``quotes_withheld``
says why; the narrative never uses quotes.

Variables of an interview summary (``interview_context``; templates ``interview.md.j2``, ``interview.html.j2``):

- ``lang``, ``labels``
- ``study`` (title), ``respondent`` (code), ``segment``, ``age_band``, ``date`` (YYYY-MM-DD),
  ``interviewer``, ``status``, ``question_set`` (id), ``question_set_version``, ``question_set_title``
- ``trigger``, ``expectation``: the answers to the questions with ``field: trigger`` / ``expectation``
- ``narrative``: list of paragraphs (str), a draft story in the third person
- ``steps``: list of step dicts (below); ``scores``: list of int or None, one per step
- ``heartbeat_ascii`` (str, several lines), ``heartbeat_svg`` (str, an ``<svg>`` element)
- ``low_points``, ``high_points``: steps with the lowest (negative) and highest (positive) score
- ``moments``: the moments of truth: the flagged steps, or if none is flagged the low and high points;
  ``moments_flagged`` (bool) says which
- ``pain_points``, ``ideas``: list of ``{number, phase, description, text}``
- ``quotes``: list of ``{number, phase, text}``; ``quotes_withheld``: "" or the reason (a label)
- ``instances``, ``channels``: list of ``{name, count}`` (count = steps naming it), most frequent first
- ``other_answers``: list of ``{section, items: [{question, answer}]}``, the remaining answers outside
  the step loop and consent

A step dict: ``number`` (1, 2, ...), ``phase``, ``description``, ``instances`` (list), ``instances_text``,
``channels`` (list), ``channels_text``, ``emotion`` (int or None), ``emotion_text`` ("+1", "" if none),
``emotion_label`` ("positief"), ``emotion_class`` ("negative", "neutral", "positive" or "none"),
``emotion_words`` (list), ``emotion_words_text``, ``quotes`` (list), ``pain_point``, ``opportunity``,
``duration``, ``moment_of_truth`` (bool).

Variables of a study synthesis (``study_context``; templates ``study.md.j2``, ``study.html.j2``):

- ``lang``, ``labels``, ``study`` (title), ``doelgroep``, ``study_trigger``, ``journey_start``, ``journey_end``
- ``respondent_count``, ``interview_count``
- ``respondents``: list of ``{code, age_band, segment, date, step_count, trigger, scores, emotion_average,
  emotion_average_text, heartbeat_ascii, heartbeat_svg}``, by code
- ``phases``: list of ``{name, respondent_count, step_count, n, median, median_text, min, max, min_text,
  max_text}`` in first-seen order (n counts the scored steps; median/min/max are None when n is 0);
  ``phase_heartbeat_svg`` draws the medians
- ``pain_points``, ``ideas``: list of ``{rank, text, respondent_count, emotion_average_text,
  mentions: [{code, number, phase, description, quotes}]}``, most respondents first
- ``instances``, ``channels``: list of ``{name, count, respondent_count, n, average, average_text}``
  (count = steps naming it, n = scored ones among them), most frequent first
- ``quotes_note``: "" or a note that some respondents' quotes were left out (no consent)
- ``moments``: list of ``{code, number, phase, description, emotion_text, emotion_label, flagged}``
- ``segments``: list of ``{segment, codes, count}``, largest group first
"""

from __future__ import annotations

import functools

import re
import statistics
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from klantreis_tui.models import steps as step_fields
from klantreis_tui.models.steps import FieldKind
from klantreis_tui.models.question_set import QuestionKind, QuestionSet, SectionKind
from klantreis_tui.models.records import InterviewRecord, InterviewStatus, Step, Study
from klantreis_tui.rendering.heartbeat import ascii_heartbeat
from klantreis_tui.rendering.svg import LazySvg

LANGUAGES = ("nl", "en")

#: Every word the templates show, in Dutch and English. User templates receive them as ``labels``.
LABELS: dict[str, dict[str, str]] = {
    "nl": {
        "concept": "CONCEPT",
        "concept_note": "Concept, automatisch opgesteld uit de antwoorden. Controleer en vul aan voordat u het deelt.",
        "interview_title": "Samenvatting interview",
        "study_title": "Synthese onderzoek",
        "study": "Onderzoek",
        "respondent": "Respondent",
        "respondents": "Respondenten",
        "respondent_count": "Aantal respondenten",
        "respondent_lower": "respondent",
        "respondents_lower": "respondenten",
        "average_emotion_lower": "gem. beleving",
        "heartbeats": "Hartslag per respondent",
        "interview_count": "Aantal interviews",
        "segment": "Segment",
        "age_band": "Leeftijdsgroep",
        "date": "Datum",
        "interviewer": "Interviewer",
        "status": "Status",
        "question_set": "Vragenlijst",
        "version": "versie",
        "doelgroep": "Doelgroep",
        "study_trigger": "Levensgebeurtenis",
        "journey": "Reis",
        "journey_start": "Begin van de reis",
        "journey_end": "Einde van de reis",
        "trigger": "Aanleiding",
        "expectation": "Verwachting",
        "narrative": "Verhaal (concept)",
        "steps": "Stappen",
        "step": "Stap",
        "number": "Nr.",
        "phase": "Fase",
        "phases": "Beleving per fase",
        "instance": "Instantie",
        "instances": "Instanties",
        "channel": "Kanaal",
        "channels": "Kanalen",
        "emotion": "Beleving",
        "emotion_words": "Gevoel",
        "heartbeat": "Hartslag",
        "heartbeat_note": "Beleving per stap, van -2 (zeer negatief) tot +2 (zeer positief).",
        "phase_heartbeat": "Mediaan van de beleving per fase",
        "low_high": "Dieptepunten en hoogtepunten",
        "low_point": "Dieptepunt",
        "high_point": "Hoogtepunt",
        "moments": "Momenten van de waarheid",
        "moments_flagged": "Gemarkeerd tijdens het interview.",
        "moments_derived": "Niet gemarkeerd; afgeleid uit de laagste en hoogste beleving.",
        "moment_legend": "★ = moment van de waarheid",
        "pain_points": "Knelpunten",
        "pain_point": "Knelpunt",
        "ideas": "Kansen en verbeterpunten",
        "idea": "Kans",
        "quotes": "Citaten",
        "quotes_refused": "Citaten weggelaten: de respondent gaf geen toestemming voor het gebruik van citaten.",
        "quotes_not_recorded": "Citaten weggelaten: er is geen toestemming voor citaten vastgelegd.",
        "quotes_some_withheld": "Citaten alleen van respondenten die daarvoor toestemming gaven.",
        "duration": "Duur",
        "count": "Aantal",
        "steps_count": "Stappen",
        "rank": "Rang",
        "n": "n",
        "median": "Mediaan",
        "min": "Laagste",
        "max": "Hoogste",
        "average_emotion": "Gem. beleving",
        "other_answers": "Overige antwoorden",
        "segments": "Respondenten per segment",
        "none": "—",
        "nothing": "Geen.",
        "no_phase": "(geen fase)",
        "no_segment": "(geen segment)",
        "yes": "ja",
        "no": "nee",
        "footer": "Opgesteld met klantreis.",
        "emotion_-2": "zeer negatief",
        "emotion_-1": "negatief",
        "emotion_0": "neutraal",
        "emotion_1": "positief",
        "emotion_2": "zeer positief",
    },
    "en": {
        "concept": "DRAFT",
        "concept_note": "Draft, written automatically from the answers. Check and complete it before you share it.",
        "interview_title": "Interview summary",
        "study_title": "Study synthesis",
        "study": "Study",
        "respondent": "Respondent",
        "respondents": "Respondents",
        "respondent_count": "Number of respondents",
        "respondent_lower": "respondent",
        "respondents_lower": "respondents",
        "average_emotion_lower": "avg. experience",
        "heartbeats": "Heartbeat per respondent",
        "interview_count": "Number of interviews",
        "segment": "Segment",
        "age_band": "Age group",
        "date": "Date",
        "interviewer": "Interviewer",
        "status": "Status",
        "question_set": "Question set",
        "version": "version",
        "doelgroep": "Target group",
        "study_trigger": "Life event",
        "journey": "Journey",
        "journey_start": "Start of the journey",
        "journey_end": "End of the journey",
        "trigger": "Trigger",
        "expectation": "Expectation",
        "narrative": "Story (draft)",
        "steps": "Steps",
        "step": "Step",
        "number": "No.",
        "phase": "Phase",
        "phases": "Experience per phase",
        "instance": "Organisation",
        "instances": "Organisations",
        "channel": "Channel",
        "channels": "Channels",
        "emotion": "Experience",
        "emotion_words": "Feeling",
        "heartbeat": "Heartbeat",
        "heartbeat_note": "Experience per step, from -2 (very negative) to +2 (very positive).",
        "phase_heartbeat": "Median experience per phase",
        "low_high": "Low points and high points",
        "low_point": "Low point",
        "high_point": "High point",
        "moments": "Moments of truth",
        "moments_flagged": "Marked during the interview.",
        "moments_derived": "None marked; taken from the lowest and highest experience.",
        "moment_legend": "★ = moment of truth",
        "pain_points": "Pain points",
        "pain_point": "Pain point",
        "ideas": "Opportunities and ideas",
        "idea": "Idea",
        "quotes": "Quotes",
        "quotes_refused": "Quotes left out: the respondent did not consent to the use of quotes.",
        "quotes_not_recorded": "Quotes left out: no consent to use quotes was recorded.",
        "quotes_some_withheld": "Quotes only from respondents who consented to their use.",
        "duration": "Duration",
        "count": "Count",
        "steps_count": "Steps",
        "rank": "Rank",
        "n": "n",
        "median": "Median",
        "min": "Lowest",
        "max": "Highest",
        "average_emotion": "Avg. experience",
        "other_answers": "Other answers",
        "segments": "Respondents by segment",
        "none": "—",
        "nothing": "None.",
        "no_phase": "(no phase)",
        "no_segment": "(no segment)",
        "yes": "yes",
        "no": "no",
        "footer": "Written with klantreis.",
        "emotion_-2": "very negative",
        "emotion_-1": "negative",
        "emotion_0": "neutral",
        "emotion_1": "positive",
        "emotion_2": "very positive",
    },
}

#: Sentence pieces of the draft narrative.
PHRASES: dict[str, dict[str, str]] = {
    "nl": {
        "intro": "Dit concept beschrijft de reis van respondent {who} in het onderzoek ‘{study}’.",
        "age": "{age} jaar",
        "trigger": "Aanleiding: {text}.",
        "expectation": "De respondent verwachtte: {text}.",
        "count_one": "De reis telt één stap.",
        "count": "De reis telt {n} stappen.",
        "step": "Stap {n}{phase}: {text}",
        "contact": "contact: {names}",
        "channel": "kanaal: {names}",
        "felt": "De respondent voelde zich {words} ({label}).",
        "felt_words": "De respondent voelde zich {words}.",
        "felt_score": "De beleving was {label}.",
        "moment": "Dit was een moment van de waarheid.",
        "low_one": "Het dieptepunt lag bij stap {steps}",
        "low_many": "De dieptepunten lagen bij de stappen {steps}",
        "high_one": "het hoogtepunt bij stap {steps}",
        "high_many": "de hoogtepunten bij de stappen {steps}",
        "high_only_one": "Het hoogtepunt lag bij stap {steps}",
        "high_only_many": "De hoogtepunten lagen bij de stappen {steps}",
        "and": "en",
    },
    "en": {
        "intro": "This draft describes the journey of respondent {who} in the study ‘{study}’.",
        "age": "aged {age}",
        "trigger": "Trigger: {text}.",
        "expectation": "The respondent expected: {text}.",
        "count_one": "The journey has one step.",
        "count": "The journey has {n} steps.",
        "step": "Step {n}{phase}: {text}",
        "contact": "contact: {names}",
        "channel": "channel: {names}",
        "felt": "The respondent felt {words} ({label}).",
        "felt_words": "The respondent felt {words}.",
        "felt_score": "The experience was {label}.",
        "moment": "This was a moment of truth.",
        "low_one": "The low point was step {steps}",
        "low_many": "The low points were steps {steps}",
        "high_one": "the high point step {steps}",
        "high_many": "the high points steps {steps}",
        "high_only_one": "The high point was step {steps}",
        "high_only_many": "The high points were steps {steps}",
        "and": "and",
    },
}


def labels(lang: str) -> dict[str, str]:
    """The template words for ``lang`` (Dutch for anything but "en")."""
    return dict(LABELS["en" if lang == "en" else "nl"])


# --- small helpers ----------------------------------------------------------------------------


def _lang(lang: str) -> str:
    return "en" if lang == "en" else "nl"


def signed(score: float | None) -> str:
    """A score as "+1", "0", "-1.5"; empty for none."""
    if score is None:
        return ""
    text = f"{score:.1f}".rstrip("0").rstrip(".") if isinstance(score, float) else str(score)
    if text == "-0":
        text = "0"
    return f"+{text}" if score > 0 else text


def _decimal(value: float | None, lang: str) -> str:
    """A number with at most one decimal, signed, with a decimal comma in Dutch."""
    if value is None:
        return ""
    text = signed(round(float(value), 1))
    return text.replace(".", ",") if lang == "nl" else text


def _emotion_class(score: float | None) -> str:
    if score is None:
        return "none"
    return "negative" if score < 0 else "positive" if score > 0 else "neutral"


def _emotion_label(score: int | None, words: dict[str, str]) -> str:
    return "" if score is None else words[f"emotion_{score}"]


def _join(items: Sequence[str], lang: str) -> str:
    """'a', 'a en b', 'a, b en c'."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {PHRASES[lang]['and']} {items[-1]}"


def _clause(text: str) -> str:
    """User text as part of a sentence after a colon: no final full stop, first word in lower case
    when it is an ordinary capitalised word (so 'Belt' but not 'DigiD' or 'UWV')."""
    text = " ".join(text.split()).rstrip(".")
    first = text.split(" ", 1)[0] if text else ""
    letters = first.rstrip(",;:")
    if len(letters) >= 2 and letters[0].isupper() and letters[1:].islower() and letters.isalpha():
        text = text[0].lower() + text[1:]
    return text


@functools.lru_cache(maxsize=65536)  # a study repeats the same organisations and channels many times
def normalise(text: str) -> str:
    """The key two texts share when they say the same: case, spacing and final punctuation ignored."""
    return " ".join(text.casefold().split()).strip(" .;:!")


def _local_date(moment: datetime) -> str:
    try:
        from zoneinfo import ZoneInfo

        if moment.tzinfo is not None:
            moment = moment.astimezone(ZoneInfo("Europe/Amsterdam"))
    except Exception:  # no time-zone data on this machine: keep the stored time
        pass
    return moment.date().isoformat()


def _answer_text(value: Any, qs: QuestionSet | None, question_id: str, words: dict[str, str], lang: str) -> str:
    """An answer value as readable text: choice labels, ja/nee, lists joined."""
    if value is None:
        return ""
    question = None
    if qs is not None:
        try:
            question = qs.question(question_id)
        except KeyError:
            question = None
    if isinstance(value, bool):
        return words["yes"] if value else words["no"]
    if question is not None and question.kind in (QuestionKind.single_choice, QuestionKind.multiple_choice):
        choices = {c.value: c.label.get(lang) for c in qs.choices_for(question)} if qs else {}
        values = value if isinstance(value, list) else [value]
        return ", ".join(choices.get(str(v), str(v)) for v in values)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _quote_permission(record: InterviewRecord, words: dict[str, str]) -> str:
    """Empty when quotes may be used; else the reason they are left out."""
    consent = record.consent("quotes")
    if consent is True:
        return ""
    return words["quotes_refused"] if consent is False else words["quotes_not_recorded"]


def _ascii(scores: list[int | None]) -> str:
    """The ASCII heartbeat with every step visible (a column of four per step), without trailing spaces."""
    lines = ascii_heartbeat(scores, width=4 + 4 * max(9, len(scores)))
    return "\n".join(line.rstrip() for line in lines)


def _ordered_steps(record: InterviewRecord) -> list[Step]:
    return sorted(record.steps, key=lambda s: s.position)


# --- one interview ----------------------------------------------------------------------------


def _step_dict(number: int, step: Step, words: dict[str, str], lang: str, quotes_allowed: bool) -> dict[str, Any]:
    """A step for the templates: its number, every step field (``models.steps``), and the field as text: a
    list also as ``<name>_text`` (but the quotes), the emotion also as ``_text``, ``_label`` and ``_class``."""
    result: dict[str, Any] = {"number": number}
    for field in step_fields.FIELDS:
        value = getattr(step, field.name)
        if field.is_list:
            withheld = field.name == "quotes" and not quotes_allowed
            result[field.name] = [] if withheld else list(value)
            if field.name != "quotes":
                result[f"{field.name}_text"] = ", ".join(value)
        elif field.kind is FieldKind.emotion:
            result[field.name] = value
            result[f"{field.name}_text"] = signed(value)
            result[f"{field.name}_label"] = _emotion_label(value, words)
            result[f"{field.name}_class"] = _emotion_class(value)
        else:
            result[field.name] = value
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
            found.setdefault(question.field, str(answer.value).strip())
    return found


def _other_answers(
    record: InterviewRecord, qs: QuestionSet | None, words: dict[str, str], lang: str
) -> list[dict[str, Any]]:
    """Answers outside consent and the step loop that the summary does not show elsewhere."""
    latest = record.latest_answers()
    groups: list[dict[str, Any]] = []
    if qs is None:
        items = [
            {"question": qid, "answer": _answer_text(a.value, None, qid, words, lang)}
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
            text = _answer_text(answer.value, qs, question.id, words, lang)
            items.append({"question": question.prompt.get(lang), "answer": text})
        if items:
            groups.append({"section": section.title.get(lang), "items": items})
    return groups


def _narrative(
    record: InterviewRecord,
    steps: list[dict[str, Any]],
    trigger: str,
    expectation: str,
    lows: list[dict[str, Any]],
    highs: list[dict[str, Any]],
    lang: str,
) -> list[str]:
    """A draft story in the third person: who, why, what they expected, the steps by phase, dip and peak."""
    say = PHRASES[lang]
    words = LABELS[lang]
    respondent = record.respondent
    details = [say["age"].format(age=respondent.age_band) if respondent.age_band else "", respondent.segment]
    details = [d for d in details if d]
    who = respondent.code + (f" ({'; '.join(details)})" if details else "")
    opening = [say["intro"].format(who=who, study=record.study.title)]
    if trigger:
        opening.append(say["trigger"].format(text=_clause(trigger)))
    if expectation:
        opening.append(say["expectation"].format(text=_clause(expectation)))
    if steps:
        opening.append(say["count_one"] if len(steps) == 1 else say["count"].format(n=len(steps)))
    paragraphs = [" ".join(opening)]

    current: list[str] = []
    previous_phase: str | None = None
    for step in steps:
        if current and step["phase"] != previous_phase:
            paragraphs.append(" ".join(current))
            current = []
        previous_phase = step["phase"]
        phase = f" ({step['phase']})" if step["phase"] else ""
        sentence = say["step"].format(n=step["number"], phase=phase, text=_clause(step["description"]) or words["none"])
        extra = []
        if step["instances"]:
            extra.append(say["contact"].format(names=_join(step["instances"], lang)))
        if step["channels"]:
            extra.append(say["channel"].format(names=_join(step["channels"], lang)))
        if extra:
            sentence += f" ({'; '.join(extra)})"
        parts = [sentence + "."]
        feeling = _join(step["emotion_words"], lang)
        if feeling and step["emotion"] is not None:
            parts.append(say["felt"].format(words=feeling, label=step["emotion_label"]))
        elif feeling:
            parts.append(say["felt_words"].format(words=feeling))
        elif step["emotion"] is not None:
            parts.append(say["felt_score"].format(label=step["emotion_label"]))
        if step["moment_of_truth"]:
            parts.append(say["moment"])
        current.append(" ".join(parts))
    if current:
        paragraphs.append(" ".join(current))

    def point(kind: str, group: list[dict[str, Any]]) -> str:
        numbers = _join([str(s["number"]) for s in group], lang)
        return say[f"{kind}_{'one' if len(group) == 1 else 'many'}"].format(steps=numbers)

    if lows and highs:
        paragraphs.append(f"{point('low', lows)}, {point('high', highs)}.")
    elif lows:
        paragraphs.append(f"{point('low', lows)}.")
    elif highs:
        paragraphs.append(f"{point('high_only', highs)}.")
    return paragraphs


def interview_context(
    record: InterviewRecord, qs: QuestionSet | None, lang: str = "nl", *, full: bool = True
) -> dict[str, Any]:
    """Everything the interview templates show about one interview (see the module docstring).

    ``full=False`` leaves out what a study synthesis does not take from it: the narrative, the other answers,
    and the per-interview lists of pain points, ideas, quotes, instances and channels (empty then).
    """
    lang = _lang(lang)
    words = labels(lang)
    withheld = _quote_permission(record, words)
    steps = [_step_dict(n, s, words, lang, not withheld) for n, s in enumerate(_ordered_steps(record), start=1)]
    fields = _field_answers(record, qs)
    trigger, expectation = fields.get("trigger", ""), fields.get("expectation", "")
    lows, highs = _extremes(steps)
    flagged = [s for s in steps if s["moment_of_truth"]]
    moments = flagged or sorted(lows + highs, key=lambda s: s["number"])
    scores = [s["emotion"] for s in steps]

    def noted(field: str) -> list[dict[str, Any]]:
        return [
            {"number": s["number"], "phase": s["phase"], "description": s["description"], "text": s[field]}
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
        "date": _local_date(record.interview.started_at),
        "interviewer": record.interview.interviewer,
        "status": record.interview.status.value,
        "question_set": record.interview.question_set_id,
        "question_set_version": record.interview.question_set_version,
        "question_set_title": qs.title.get(lang) if qs is not None else "",
        "trigger": trigger,
        "expectation": expectation,
        "narrative": _narrative(record, steps, trigger, expectation, lows, highs, lang) if full else [],
        "steps": steps,
        "scores": scores,
        "heartbeat_ascii": _ascii(scores),
        "heartbeat_svg": LazySvg(scores, title=words["heartbeat"]),
        "low_points": lows,
        "high_points": highs,
        "moments": moments,
        "moments_flagged": bool(flagged),
        "pain_points": noted("pain_point") if full else [],
        "ideas": noted("opportunity") if full else [],
        "quotes": [{"number": s["number"], "phase": s["phase"], "text": q} for s in steps for q in s["quotes"]]
        if full else [],
        "quotes_withheld": withheld,
        "instances": _counted(name for s in steps for name in s["instances"]) if full else [],
        "channels": _counted(name for s in steps for name in s["channels"]) if full else [],
        "other_answers": _other_answers(record, qs, words, lang) if full else [],
    }


# --- a study ----------------------------------------------------------------------------------


def _usable(record: InterviewRecord) -> bool:
    """Interviews without consent to take part hold no data for a synthesis."""
    refused = record.interview.status is InterviewStatus.geen_toestemming
    return not refused and record.consent("participation") is not False


def _average(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


def _tally(
    contexts: list[tuple[InterviewRecord, dict[str, Any]]], names_of: str, lang: str
) -> list[dict[str, Any]]:
    """Instances or channels over all steps: how many steps and respondents, and their average emotion."""
    found: dict[str, dict[str, Any]] = {}
    for record, context in contexts:
        for step in context["steps"]:
            for name in dict.fromkeys(step[names_of]):
                key = normalise(name)
                if not key:
                    continue
                entry = found.setdefault(key, {"name": name.strip(), "count": 0, "respondents": set(), "scores": []})
                entry["count"] += 1
                entry["respondents"].add(record.respondent.id)
                if step["emotion"] is not None:
                    entry["scores"].append(step["emotion"])
    rows = []
    for entry in found.values():
        average = _average(entry["scores"])
        rows.append(
            {
                "name": entry["name"],
                "count": entry["count"],
                "respondent_count": len(entry["respondents"]),
                "n": len(entry["scores"]),
                "average": None if average is None else round(average, 2),
                "average_text": _decimal(average, lang),
            }
        )
    return sorted(rows, key=lambda r: (-r["count"], r["name"].casefold()))


def _ranked(
    contexts: list[tuple[InterviewRecord, dict[str, Any]]], field: str, lang: str, with_quotes: bool
) -> list[dict[str, Any]]:
    """Pain points or ideas, the same text counted once per respondent, most respondents first.

    Ties go to the lower average emotion at the steps concerned (the sorest first), then the alphabet.
    """
    found: dict[str, dict[str, Any]] = {}
    for record, context in contexts:
        for step in context["steps"]:
            key = normalise(step[field])
            if not key:
                continue
            entry = found.setdefault(
                key, {"text": " ".join(step[field].split()), "respondents": set(), "scores": [], "mentions": []}
            )
            entry["respondents"].add(record.respondent.id)
            if step["emotion"] is not None:
                entry["scores"].append(step["emotion"])
            entry["mentions"].append(
                {
                    "code": record.respondent.code,
                    "number": step["number"],
                    "phase": step["phase"],
                    "description": step["description"],
                    "quotes": list(step["quotes"]) if with_quotes else [],
                }
            )
    rows = []
    for entry in found.values():
        average = _average(entry["scores"])
        rows.append(
            {
                "text": entry["text"],
                "respondent_count": len(entry["respondents"]),
                "emotion_average": None if average is None else round(average, 2),
                "emotion_average_text": _decimal(average, lang),
                "mentions": entry["mentions"],
            }
        )
    rows.sort(
        key=lambda r: (
            -r["respondent_count"],
            r["emotion_average"] if r["emotion_average"] is not None else 3,
            r["text"].casefold(),
        )
    )
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
    return rows


def _phases(
    contexts: list[tuple[InterviewRecord, dict[str, Any]]], words: dict[str, str], lang: str
) -> list[dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for record, context in contexts:
        for step in context["steps"]:
            key = normalise(step["phase"])
            entry = found.setdefault(
                key,
                {"name": step["phase"].strip() or words["no_phase"], "respondents": set(), "steps": 0, "scores": []},
            )
            entry["respondents"].add(record.respondent.id)
            entry["steps"] += 1
            if step["emotion"] is not None:
                entry["scores"].append(step["emotion"])
    rows = []
    for entry in found.values():
        scores = entry["scores"]
        median = statistics.median(scores) if scores else None
        rows.append(
            {
                "name": entry["name"],
                "respondent_count": len(entry["respondents"]),
                "step_count": entry["steps"],
                "n": len(scores),
                "median": median,
                "median_text": _decimal(median, lang),
                "min": min(scores) if scores else None,
                "max": max(scores) if scores else None,
                "min_text": signed(min(scores)) if scores else "",
                "max_text": signed(max(scores)) if scores else "",
            }
        )
    return rows


def study_context(
    study: Study,
    records: list[InterviewRecord],
    question_sets: dict[str, QuestionSet],
    lang: str = "nl",
) -> dict[str, Any]:
    """Everything the study templates show across interviews (see the module docstring).

    Pass the completed interviews; interviews without consent to take part are left out here too.
    Each interview is looked up in ``question_sets`` by its question-set id.
    """
    lang = _lang(lang)
    words = labels(lang)
    usable = sorted(
        (r for r in records if _usable(r)),
        key=lambda r: (r.respondent.code, r.interview.started_at, r.interview.id),
    )
    contexts = [
        (r, interview_context(r, question_sets.get(r.interview.question_set_id), lang, full=False)) for r in usable
    ]
    respondents = []
    for record, context in contexts:
        scored = [s for s in context["scores"] if s is not None]
        average = _average(scored)
        respondents.append(
            {
                "code": context["respondent"],
                "age_band": context["age_band"],
                "segment": context["segment"],
                "date": context["date"],
                "step_count": len(context["steps"]),
                "trigger": context["trigger"],
                "scores": context["scores"],
                "emotion_average": None if average is None else round(average, 2),
                "emotion_average_text": _decimal(average, lang),
                "heartbeat_ascii": context["heartbeat_ascii"],
                "heartbeat_svg": LazySvg(
                    context["scores"], height=160, title=f"{words['heartbeat']} {context['respondent']}"
                ),
            }
        )
    moments = [
        {
            "code": context["respondent"],
            "number": s["number"],
            "phase": s["phase"],
            "description": s["description"],
            "emotion_text": s["emotion_text"],
            "emotion_label": s["emotion_label"],
            "flagged": context["moments_flagged"],
        }
        for _, context in contexts
        for s in context["moments"]
    ]
    groups: dict[str, dict[str, Any]] = {}
    for record, _ in contexts:
        segment = record.respondent.segment.strip()
        group = groups.setdefault(normalise(segment), {"segment": segment or words["no_segment"], "codes": []})
        if record.respondent.code not in group["codes"]:
            group["codes"].append(record.respondent.code)
    segments = sorted(
        ({**g, "count": len(g["codes"])} for g in groups.values()),
        key=lambda g: (-g["count"], g["segment"].casefold()),
    )
    phases = _phases(contexts, words, lang)
    any_withheld = any(context["quotes_withheld"] for _, context in contexts)
    return {
        "lang": lang,
        "labels": words,
        "study": study.title,
        "doelgroep": study.doelgroep,
        "study_trigger": study.trigger,
        "journey_start": study.journey_start,
        "journey_end": study.journey_end,
        "respondent_count": len({r.respondent.id for r in usable}),
        "interview_count": len(usable),
        "respondents": respondents,
        "phases": phases,
        "phase_heartbeat_svg": LazySvg(
            [p["median"] for p in phases],
            width=max(640, 96 * len(phases)),
            title=words["phase_heartbeat"],
            labels=[p["name"] for p in phases],
        ),
        "pain_points": _ranked(contexts, "pain_point", lang, with_quotes=True),
        "ideas": _ranked(contexts, "opportunity", lang, with_quotes=False),
        "quotes_note": words["quotes_some_withheld"] if any_withheld else "",
        "instances": _tally(contexts, "instances", lang),
        "channels": _tally(contexts, "channels", lang),
        "moments": moments,
        "segments": segments,
    }
