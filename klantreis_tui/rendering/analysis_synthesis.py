"""The analysis parts of a study synthesis: themes ranked by respondents, pain points without a theme, the
chain of hand-overs between organisations, and saturation (what each interview brought that was new)."""

from __future__ import annotations

from typing import Any

from klantreis_tui.models.names import CanonicalNames, name_key
from klantreis_tui.models.phases import phase_key, phase_order
from klantreis_tui.models.records import InterviewRecord, Study
from klantreis_tui.models.saturation import held, saturation
from klantreis_tui.models.themes import Theme, ThemeLink
from klantreis_tui.rendering.formatting import _decimal


def _average(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


def analysis_context(
    study: Study,
    records: list[InterviewRecord],
    themes: list[Theme],
    links: list[ThemeLink],
    canonical: dict[str, str],
) -> dict[str, Any]:
    """``themes``, ``unassigned_pain_points``, ``handovers`` and ``saturation`` (and ``saturation_note``) for
    the records of a synthesis (in their order), the study's themes and assignments, the organisations'
    canonical names (a spelling's key to its name)."""
    organisations = CanonicalNames(canonical)
    steps = {s.id: (r, s) for r in records for s in r.steps}
    quotes_ok = {r.interview.id: r.consent("quotes") is not False for r in records}
    by_theme: dict[str, list[ThemeLink]] = {}
    for link in links:
        if link.step_id in steps:
            by_theme.setdefault(link.theme_id, []).append(link)
    order = [p for p, _ in phase_order(study.phases, [s.phase for _, s in steps.values()])]
    rows = []
    for theme in themes:
        found = by_theme.get(theme.id, [])
        step_ids = list(dict.fromkeys(l.step_id for l in found))
        concerned = [steps[i] for i in step_ids]
        scores = [s.emotion for _, s in concerned if s.emotion is not None]
        phases = {phase_key(s.phase) for _, s in concerned if s.phase.strip()}
        quotes = [
            {"code": steps[l.step_id][0].respondent.code, "text": steps[l.step_id][1].quotes[l.item]}
            for l in found
            if l.field == "quotes" and l.item < len(steps[l.step_id][1].quotes)
            and quotes_ok[steps[l.step_id][0].interview.id]
        ]
        average = _average(scores)
        rows.append({
            "name": theme.name,
            "description": theme.description,
            "colour": theme.colour,
            "respondent_count": len({r.respondent.id for r, _ in concerned}),
            "respondents": sorted({r.respondent.code for r, _ in concerned}),
            "emotion_average": None if average is None else round(average, 2),
            "emotion_average_text": _decimal(average),
            "phases": [p for p in order if phase_key(p) in phases],
            "organisations": list(dict.fromkeys(o for _, s in concerned for o in organisations(s.instances))),
            "quotes": quotes,
            "evidence_count": len(found),
        })
    rows = [r for r in rows if r["evidence_count"]]
    rows.sort(key=lambda r: (-r["respondent_count"], r["emotion_average"] if r["emotion_average"] is not None else 3, r["name"].casefold()))
    for rank, row in enumerate(rows, 1):
        row["rank"] = rank
    linked = {(l.step_id, l.field, l.item) for l in links}
    unassigned = [
        {"code": r.respondent.code, "number": s.position, "phase": s.phase, "text": " ".join(s.pain_point.split())}
        for r in records for s in r.steps
        if s.pain_point.strip() and (s.id, "pain_point", 0) not in linked
    ]
    return {
        "themes": rows,
        "unassigned_pain_points": unassigned,
        "handovers": _handovers(records, organisations),
        **_saturation(records, links, organisations),
    }


def _handovers(records: list[InterviewRecord], organisations: CanonicalNames) -> list[dict[str, Any]]:
    """From the organisations of one step to those of the next (other ones only): how often, by how many
    respondents, and the average emotion at the step after the hand-over (where the resident lands)."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for record in records:
        ordered = sorted(record.steps, key=lambda s: s.position)
        for before, after in zip(ordered, ordered[1:]):
            for a in organisations(before.instances):
                for b in organisations(after.instances):
                    if name_key(a) == name_key(b):
                        continue
                    entry = found.setdefault((a, b), {"from": a, "to": b, "count": 0, "respondents": set(), "scores": []})
                    entry["count"] += 1
                    entry["respondents"].add(record.respondent.id)
                    if after.emotion is not None:
                        entry["scores"].append(after.emotion)
    rows = []
    for entry in found.values():
        average = _average(entry["scores"])
        rows.append({
            "from": entry["from"], "to": entry["to"], "count": entry["count"],
            "respondent_count": len(entry["respondents"]),
            "emotion_average": None if average is None else round(average, 2),
            "emotion_average_text": _decimal(average),
        })
    rows.sort(key=lambda r: (-r["count"], r["emotion_average"] if r["emotion_average"] is not None else 3, r["from"], r["to"]))
    return rows


def _saturation(records: list[InterviewRecord], links: list[ThemeLink], organisations: CanonicalNames) -> dict[str, Any]:
    """Per interview, in the order they were held: how many themes, organisations and pain points were new
    (``models.saturation``, which the home screen's study row shows too)."""
    found = saturation([held(r) for r in records], links, organisations)
    rows = [{**row.model_dump(), "nothing_new": row.nothing_new} for row in found.rows]
    return {"saturation": rows, "saturated_codes": found.saturated_codes}
