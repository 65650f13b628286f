"""The template context of a study synthesis (``study_context``; its variables: see ``rendering.summary``).

Interviews combined: pain points and ideas ranked, instances and channels tallied, phases with their medians.
"""

from __future__ import annotations

from typing import Any

from klantreis_tui.models.names import name_key
from klantreis_tui.models.themes import Theme, ThemeLink
from klantreis_tui.models.journey_view import JourneyView, ViewScore
from klantreis_tui.rendering.analysis_synthesis import analysis_context
from klantreis_tui.rendering.persona_synthesis import persona_context
from klantreis_tui.models.phases import phase_key, phase_order
from klantreis_tui.models.question_set import QuestionSet
from klantreis_tui.models.records import InterviewRecord, InterviewStatus, Study
from klantreis_tui.rendering.formatting import _ascii, _decimal, normalise, signed
from klantreis_tui.rendering.interview_summary import interview_facts
from klantreis_tui.rendering.labels import _lang, labels
from klantreis_tui.rendering.svg import LazySvg
from klantreis_tui.i18n import current_language


def usable_record(record: InterviewRecord) -> bool:
    """Interviews without consent to take part hold no data for a synthesis."""
    refused = record.interview.status is InterviewStatus.geen_toestemming
    return not refused and record.consent("participation") is not False


def _average(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


def _tally(
    contexts: list[tuple[InterviewRecord, dict[str, Any]]], names_of: str, canonical: dict[str, str]
) -> list[dict[str, Any]]:
    """Instances or channels over all steps, each under its canonical name (``canonical``: a spelling's key to
    the name it was merged into): how many steps and respondents, their average emotion, the spellings."""
    found: dict[str, dict[str, Any]] = {}
    spelled: dict[str, tuple[str, str]] = {}  # a spelling: its canonical name and that name's key (once each)
    for record, context in contexts:
        for step in context["steps"]:
            names: dict[str, str] = {}
            for n in step[names_of]:
                known = spelled.get(n)
                if known is None:
                    name = canonical.get(name_key(n), n.strip())
                    known = spelled[n] = (name, normalise(name))
                names.setdefault(*known)
            for name, key in names.items():
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
                "average_text": _decimal(average),
            }
        )
    return sorted(rows, key=lambda r: (-r["count"], r["name"].casefold()))


def _ranked(
    contexts: list[tuple[InterviewRecord, dict[str, Any]]], field: str, with_quotes: bool
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
                "emotion_average_text": _decimal(average),
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
    contexts: list[tuple[InterviewRecord, dict[str, Any]]], words: dict[str, str], study_phases: list[str]
) -> list[dict[str, Any]]:
    """The study's phases in its order (those no step used too), then phases the steps used that are not in
    the study's list (marked ``in_study: False``), then the steps without a phase."""
    used = [step["phase"] for _, context in contexts for step in context["steps"]]
    order = phase_order(study_phases, used)
    found: dict[str, dict[str, Any]] = {
        phase_key(name): {"name": name, "in_study": in_study, "respondents": set(), "steps": 0, "scores": []}
        for name, in_study in order
    }
    for record, context in contexts:
        for step in context["steps"]:
            key = phase_key(step["phase"])
            entry = found.setdefault(
                key, {"name": words["no_phase"], "in_study": False, "respondents": set(), "steps": 0, "scores": []}
            )
            entry["respondents"].add(record.respondent.id)
            entry["steps"] += 1
            if step["emotion"] is not None:
                entry["scores"].append(step["emotion"])
    rows = []
    for key, entry in found.items():
        score = ViewScore.of(entry["scores"])
        rows.append(
            {
                "name": entry["name"],
                "in_study": entry["in_study"],
                "outside": bool(key and study_phases) and not entry["in_study"],
                "respondent_count": len(entry["respondents"]),
                "step_count": entry["steps"],
                "n": score.n,
                "median": score.median,
                "median_text": _decimal(score.median),
                "min": score.low,
                "max": score.high,
                "min_text": signed(score.low),
                "max_text": signed(score.high),
            }
        )
    return rows


def study_context(
    study: Study,
    records: list[InterviewRecord],
    question_sets: dict[str, QuestionSet],
    names: dict[str, dict[str, str]] | None = None,
    themes: list[Theme] | None = None,
    theme_links: list[ThemeLink] | None = None,
    personas: list[tuple[JourneyView, list[tuple[str, int]]]] | None = None,
) -> dict[str, Any]:
    """Everything the study templates show across interviews (see the module docstring).

    ``names``: per field (instances, channels) the study's merged spellings (key -> canonical name), which
    are counted under their canonical name. ``themes`` and ``theme_links``: the study's themes and what is
    assigned to them (see ``analysis_synthesis``). ``personas``: the study's persona's, each a derived journey
    and its heaviest themes (see ``persona_synthesis``).
    Pass the completed interviews; interviews without consent to take part are left out here too.
    Each interview is looked up in ``question_sets`` by its question-set id.
    """
    lang = current_language()
    lang = _lang(lang)
    words = labels(lang)
    usable = sorted(
        (r for r in records if usable_record(r)),
        key=lambda r: (r.respondent.code, r.interview.started_at, r.interview.id),
    )
    contexts = [(r, interview_facts(r, question_sets.get(r.interview.question_set_id), words)) for r in usable]
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
                "emotion_average_text": _decimal(average),
                "heartbeat_ascii": _ascii(context["scores"]),
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
    phases = _phases(contexts, words, study.phases)
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
        "pain_points": _ranked(contexts, "pain_point", with_quotes=True),
        "ideas": _ranked(contexts, "opportunity", with_quotes=False),
        "quotes_note": words["quotes_some_withheld"] if any_withheld else "",
        "instances": _tally(contexts, "instances", (names or {}).get("instances", {})),
        "channels": _tally(contexts, "channels", (names or {}).get("channels", {})),
        "moments": moments,
        "segments": segments,
        "personas": persona_context(personas or [], words),
        **analysis_context(
            study, usable, themes or [], theme_links or [], (names or {}).get("instances", {})
        ),
    }
