"""The interview summary and the study synthesis as Word documents, from the same contexts as the Markdown and
HTML write-ups (``rendering.summary`` describes their variables; the services hand them over)."""

from __future__ import annotations

from typing import Any

from klantreis_tui.formats.docx import (
    Builder,
    bullet,
    document_bytes,
    heading,
    mark_draft,
    open_document,
    paragraph,
    picture,
    table,
)
from klantreis_tui.formats.picture import heartbeat_png

#: per-respondent heartbeats drawn in a synthesis; a larger study shows them in the respondents table only
MAX_RESPONDENT_PICTURES = 40


def start_document(context: dict[str, Any], template: bytes | None, template_name: str) -> Builder:
    """A new document (from the user's template, if any), marked CONCEPT on every page."""
    document = open_document(template, template_name, context.get("lang", "nl"))
    mark_draft(document, context["labels"]["concept"])
    return Builder(document)


def _title(document, context: dict[str, Any], title: str) -> None:  # type: ignore[no-untyped-def]
    labels = context["labels"]
    heading(document, title, 0)
    paragraph(document, labels["concept_note"], bold_lead=f"{labels['concept']}:", italic=True)


def _facts(document, facts: list[tuple[str, str]], none: str) -> None:  # type: ignore[no-untyped-def]
    for label, value in facts:
        bullet(document, value or none, bold_lead=f"{label}:")


def _listed(document, items: list[Any], shown, nothing: str) -> None:  # type: ignore[no-untyped-def]
    if not items:
        paragraph(document, nothing)
    for item in items:
        bullet(document, shown(item))


def _where(step: dict[str, Any], labels: dict[str, str]) -> str:
    phase = f" ({step['phase']})" if step.get("phase") else ""
    return f"{labels['step']} {step['number']}{phase}"


def interview_report(contexts: list[dict[str, Any]], template: bytes | None = None, template_name: str = "") -> bytes:
    """The draft summaries of interviews as one .docx, each from a new page."""
    document = start_document(contexts[0], template, template_name)
    for index, context in enumerate(contexts):
        if index:
            document.page_break()
        _interview(document, context)
    L = contexts[0]["labels"]
    first = f"{L['interview_title']} {contexts[0]['respondent']}"
    return document_bytes(document.document, first if len(contexts) == 1 else f"{L['interview_title']} ({len(contexts)})")


def _interview(document, context: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    L = context["labels"]
    _title(document, context, f"{L['interview_title']} {context['respondent']}")
    _facts(document, [
        (L["study"], context["study"]), (L["respondent"], context["respondent"]), (L["segment"], context["segment"]),
        (L["age_band"], context["age_band"]), (L["date"], context["date"]), (L["interviewer"], context["interviewer"]),
        (L["question_set"], f"{context['question_set_title'] or context['question_set']}, {L['version']} {context['question_set_version']}"),
    ], L["none"])
    heading(document, L["trigger"], 1)
    paragraph(document, context["trigger"] or L["none"])
    paragraph(document, context["expectation"] or L["none"], bold_lead=f"{L['expectation']}:")
    heading(document, L["narrative"], 1)
    for text in context["narrative"]:
        paragraph(document, text)
    heading(document, L["steps"], 1)
    steps = context["steps"]
    if steps:
        rows = []
        for s in steps:
            feeling = f"{s['emotion_text']} {s['emotion_label']}" if s["emotion"] is not None else ""
            if s["emotion_words"]:
                feeling = f"{feeling} ({s['emotion_words_text']})".strip()
            rows.append([f"{s['number']}{' ★' if s['moment_of_truth'] else ''}", s["phase"], s["description"],
                         s["instances_text"], s["channels_text"], feeling])
        table(document, [L["number"], L["phase"], L["step"], L["instance"], L["channel"], L["emotion"]], rows,
              widths_cm=(1.2, 2.4, 5.0, 2.8, 2.2, 2.4), numeric=(0,))
        if any(s["moment_of_truth"] for s in steps):
            paragraph(document, L["moment_legend"], italic=True)
    else:
        paragraph(document, L["nothing"])
    heading(document, L["heartbeat"], 1)
    paragraph(document, L["heartbeat_note"], keep_with_next=True)
    if steps:
        scores = [s["emotion"] for s in steps]
        png = heartbeat_png(scores, marked=[bool(s["moment_of_truth"]) for s in steps])
        spoken = "; ".join(f"{L['step']} {s['number']}: {s['emotion_text'] or L['none']}" for s in steps)
        picture(document, png, f"{L['heartbeat']}. {spoken}")
    heading(document, L["low_high"], 1)
    for s in context["low_points"]:
        bullet(document, f"{_where(s, L)}, {s['emotion_text']}: {s['description']}", bold_lead=f"{L['low_point']}:")
    for s in context["high_points"]:
        bullet(document, f"{_where(s, L)}, {s['emotion_text']}: {s['description']}", bold_lead=f"{L['high_point']}:")
    if not context["low_points"] and not context["high_points"]:
        paragraph(document, L["nothing"])
    heading(document, L["moments"], 2)
    if context["moments"]:
        paragraph(document, L["moments_flagged"] if context["moments_flagged"] else L["moments_derived"])
    _listed(document, context["moments"], lambda s: f"{_where(s, L)}: {s['description']}", L["nothing"])
    heading(document, L["pain_points"], 1)
    _listed(document, context["pain_points"], lambda p: f"{_where(p, L)}: {p['text']}", L["nothing"])
    heading(document, L["ideas"], 1)
    _listed(document, context["ideas"], lambda p: f"{_where(p, L)}: {p['text']}", L["nothing"])
    heading(document, L["quotes"], 1)
    if context["quotes_withheld"]:
        paragraph(document, context["quotes_withheld"], italic=True)
    else:
        _listed(document, context["quotes"], lambda q: f"“{q['text']}” ({L['step'].lower()} {q['number']})", L["nothing"])
    heading(document, L["instances"], 1)
    _listed(document, context["instances"], lambda i: f"{i['name']}: {i['count']}", L["nothing"])
    heading(document, L["channels"], 1)
    _listed(document, context["channels"], lambda c: f"{c['name']}: {c['count']}", L["nothing"])
    for group in context["other_answers"]:
        heading(document, group["section"], 1)
        for item in group["items"]:
            bullet(document, item["answer"], bold_lead=item["question"])
    paragraph(document, L["footer"], italic=True)


def many_respondents(n: int, L: dict[str, str]) -> str:
    return f"{n} {L['respondent_lower'] if n == 1 else L['respondents_lower']}"


def _personas(document: Builder, personas: list[dict[str, Any]], L: dict[str, str]) -> None:
    """The persona section: per persona its respondents, goal, context, story, heaviest themes, the current
    heartbeat per phase beside the desired one (a table and a picture of both curves)."""
    heading(document, L["personas"], 1)
    paragraph(document, L["persona_note"])
    for p in personas:
        heading(document, p["name"], 2)
        who = f"{', '.join(p['respondents'])} ({many_respondents(p['respondent_count'], L)})" if p["respondents"] else L["persona_no_respondents"]
        bullet(document, who, bold_lead=f"{L['persona_respondents']}:")
        for key in ("goal", "context", "story"):
            if p[key]:
                bullet(document, p[key], bold_lead=f"{L['persona_' + key]}:")
        if p["themes"]:
            bullet(document, "; ".join(f"{th['name']} ({many_respondents(th['respondent_count'], L)})" for th in p["themes"]),
                   bold_lead=f"{L['heaviest_themes']}:")
        phases = p["phases"]
        if not phases:
            continue
        table(document, [L["phase"], L["n"], L["current_journey"], L["min"], L["max"], L["desired_journey"], L["desired_ideas"]],
              [[ph["name"] + ("" if ph["known"] else f" ({L['outside_phases']})"), ph["n"], ph["median_text"],
                ph["min_text"], ph["max_text"], ph["desired_text"], "; ".join(ph["desired_ideas"])] for ph in phases],
              widths_cm=(3.2, 0.9, 2.3, 2.0, 2.0, 2.0, 3.6), numeric=(1, 2, 3, 4, 5))
        if any(ph["median"] is not None or ph["desired"] is not None for ph in phases):
            names = [ph["name"] for ph in phases]
            png = heartbeat_png([ph["median"] for ph in phases], labels=names, desired=[ph["desired"] for ph in phases],
                                legend=(L["current_journey"], L["desired_journey"]))
            spoken = "; ".join(f"{ph['name']}: {ph['median_text'] or L['none']} / {ph['desired_text'] or L['none']}" for ph in phases)
            picture(document, png, f"{L['persona_heartbeat']}: {p['name']}. {L['current_journey']} / {L['desired_journey']}: {spoken}")


def synthesis_report(context: dict[str, Any], template: bytes | None = None, template_name: str = "") -> bytes:
    """The synthesis of a study as a .docx."""
    L = context["labels"]
    title = f"{L['study_title']}: {context['study']}"
    document = start_document(context, template, template_name)
    _title(document, context, title)
    facts = [(L[key], context[key]) for key in ("doelgroep", "study_trigger", "journey_start", "journey_end") if context[key]]
    facts.append((L["respondent_count"], str(context["respondent_count"])))
    if context["interview_count"] != context["respondent_count"]:
        facts.append((L["interview_count"], str(context["interview_count"])))
    _facts(document, facts, L["none"])
    heading(document, L["respondents"], 1)
    respondents = context["respondents"]
    if respondents:
        table(document, [L["respondent"], L["age_band"], L["segment"], L["date"], L["steps_count"], L["average_emotion"]],
              [[r["code"], r["age_band"], r["segment"], r["date"], r["step_count"], r["emotion_average_text"]] for r in respondents],
              widths_cm=(2.5, 2.5, 4.0, 2.5, 2.1, 2.4), numeric=(4, 5))
    else:
        paragraph(document, L["nothing"])
    heading(document, L["segments"], 1)
    _listed(document, context["segments"], lambda g: f"{g['segment']} ({g['count']}): {', '.join(g['codes'])}", L["nothing"])
    if context.get("personas"):
        _personas(document, context["personas"], L)
    heading(document, L["phases"], 1)
    phases = context["phases"]
    if phases:
        table(document, [L["phase"], L["respondents"], L["n"], L["median"], L["min"], L["max"]],
              [[p["name"] + (f" ({L['outside_phases']})" if p.get("outside") else ""), p["respondent_count"], p["n"],
                p["median_text"], p["min_text"], p["max_text"]] for p in phases],
              widths_cm=(5.6, 2.4, 1.4, 2.2, 2.2, 2.2), numeric=(1, 2, 3, 4, 5))
        if any(p["median"] is not None for p in phases):
            heading(document, L["phase_heartbeat"], 2)
            names = [p["name"] or L["no_phase"] for p in phases]
            png = heartbeat_png([p["median"] for p in phases], labels=names)
            spoken = "; ".join(f"{name}: {p['median_text'] or L['none']}" for name, p in zip(names, phases))
            picture(document, png, f"{L['phase_heartbeat']}. {spoken}")
    else:
        paragraph(document, L["nothing"])
    heading(document, L["pain_points"], 1)
    if context["quotes_note"]:
        paragraph(document, context["quotes_note"], italic=True)
    if not context["pain_points"]:
        paragraph(document, L["nothing"])
    for p in context["pain_points"]:
        average = f", {L['average_emotion_lower']} {p['emotion_average_text']}" if p["emotion_average_text"] else ""
        paragraph(document, f"{many_respondents(p['respondent_count'], L)}{average}", bold_lead=f"{p['rank']}. {p['text']}:")
        for m in p["mentions"]:
            quotes = "".join(f" “{q}”" for q in m["quotes"])
            bullet(document, f"{m['code']}, {_where(m, L).lower()}: {m['description']}{' —' + quotes if quotes else ''}")
    if context.get("themes"):
        heading(document, L["themes"], 1)
        for th in context["themes"]:
            average = f", {L['average_emotion_lower']} {th['emotion_average_text']}" if th["emotion_average_text"] else ""
            about = f" — {th['description']}" if th["description"] else ""
            paragraph(document, f"{many_respondents(th['respondent_count'], L)} ({', '.join(th['respondents'])}){average}{about}",
                      bold_lead=f"{th['rank']}. {th['name']}:")
            if th["phases"]:
                bullet(document, ", ".join(th["phases"]), bold_lead=f"{L['phases']}:")
            if th["organisations"]:
                bullet(document, ", ".join(th["organisations"]), bold_lead=f"{L['instances']}:")
            for q in th["quotes"]:
                bullet(document, f"{q['code']}: “{q['text']}”")
        heading(document, L["unassigned_pain_points"], 2)
        _listed(document, context["unassigned_pain_points"], lambda p: f"{p['code']}, {_where(p, L).lower()}: {p['text']}", L["nothing"])
    heading(document, L["ideas"], 1)
    _listed(document, context["ideas"], lambda p: f"{p['rank']}. {p['text']}: {many_respondents(p['respondent_count'], L)} ("
            + "; ".join(f"{m['code']} {L['step'].lower()} {m['number']}" for m in p["mentions"]) + ")", L["nothing"])
    for key, label in (("instances", "instance"), ("channels", "channel")):
        heading(document, L[key], 1)
        if context[key]:
            table(document, [L[label], L["count"], L["respondents"], L["average_emotion"]],
                  [[i["name"], i["count"], i["respondent_count"], i["average_text"]] for i in context[key]],
                  widths_cm=(7.0, 2.4, 3.0, 3.6), numeric=(1, 2, 3))
        else:
            paragraph(document, L["nothing"])
    if context.get("handovers"):
        heading(document, L["handovers"], 1)
        table(document, [L["handover_from"], L["handover_to"], L["count"], L["respondents"], L["average_emotion_lower"]],
              [[h["from"], h["to"], h["count"], h["respondent_count"], h["emotion_average_text"]] for h in context["handovers"]],
              widths_cm=(4.6, 4.6, 1.8, 2.4, 2.6), numeric=(2, 3, 4))
    if len(context.get("saturation", [])) > 1:
        heading(document, L["saturation"], 1)
        table(document, [L["respondent"], L["new_themes"], L["new_organisations"], L["new_pain_points"]],
              [[r["code"], r["new_themes"], r["new_organisations"], r["new_pain_points"]] for r in context["saturation"]],
              widths_cm=(3.0, 4.0, 4.5, 4.5), numeric=(1, 2, 3))
        if context.get("saturated_codes"):
            paragraph(document, f"{', '.join(context['saturated_codes'])}: {L['nothing_new']}.")
    heading(document, L["moments"], 1)
    _listed(document, context["moments"], lambda m: f"{m['code']}, {_where(m, L).lower()}"
            + (f", {m['emotion_text']}" if m["emotion_text"] else "") + f": {m['description']}"
            + ("" if m["flagged"] else f" ({L['moments_derived'].lower()})"), L["nothing"])
    heading(document, L["heartbeats"], 1)
    paragraph(document, L["heartbeat_note"])
    for r in respondents[:MAX_RESPONDENT_PICTURES]:
        heading(document, f"{r['code']}: {r['segment']}" if r["segment"] else r["code"], 2)
        if any(score is not None for score in r["scores"]):
            spoken = "; ".join(f"{L['step']} {n}: {'' if s is None else f'{s:+d}'.replace('+0', '0')}" for n, s in enumerate(r["scores"], 1))
            picture(document, heartbeat_png(r["scores"]), f"{L['heartbeat']} {r['code']}. {spoken}", width_cm=14.0)
        else:
            paragraph(document, L["nothing"])
    paragraph(document, L["footer"], italic=True)
    return document_bytes(document.document, title)
