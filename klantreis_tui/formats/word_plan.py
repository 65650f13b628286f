"""The improvement plan (verbeterplan) as a Word document, from the context of the plan templates
(``rendering.improvement_plan.plan_context``; the services hand it over)."""

from __future__ import annotations

from typing import Any

from klantreis_tui.formats.docx import bullet, document_bytes, heading, paragraph, table
from klantreis_tui.formats.word_reports import many_respondents, start_document


def _where(word: dict[str, Any], L: dict[str, str]) -> str:
    phase = f", {word['phase']}" if word.get("phase") else ""
    return f"{word['code']}, {L['step'].lower()} {word['number']}{phase}"


def plan_report(context: dict[str, Any], template: bytes | None = None, template_name: str = "") -> bytes:
    """The study's improvement plan as a .docx: the ranked actions, each with the residents' words behind it."""
    L = context["labels"]
    doc = start_document(context, template, template_name)
    title = f"{L['plan_title']}: {context['study']}"
    heading(doc, title, 0)
    paragraph(doc, L["plan_note"], italic=True)
    bullet(doc, str(context["respondent_count"]), bold_lead=f"{L['respondent_count']}:")
    for status in context["statuses"]:
        if status["count"]:
            bullet(doc, str(status["count"]), bold_lead=f"{status['label'][:1].upper()}{status['label'][1:]}:")
    if context["redacted"]:
        paragraph(doc, L["redacted_note"], italic=True)
    if context["quotes_withheld"]:
        paragraph(doc, L["quotes_withheld_note"], italic=True)
    heading(doc, L["plan_overview"], 1)
    actions = context["actions"]
    if actions:
        table(doc, [L["rank"], L["action"], L["owner"], L["status"], L["respondents"]], [
            [a["rank"], a["title"], (a["organisation"] or L["none"]) + (f" ({a['owner_role']})" if a["owner_role"] else ""),
             a["status_label"], a["respondent_count"]]
            for a in actions
        ], widths_cm=(1.6, 5.4, 4.0, 2.6, 2.4), numeric=(0, 4))
    else:
        paragraph(doc, L["no_actions"])
    for a in actions:
        heading(doc, f"{a['rank']}. {a['title']}", 1)
        if a["description"]:
            paragraph(doc, a["description"])
        owner = (a["organisation"] or L["none"]) + (f", {a['owner_role']}" if a["owner_role"] else "")
        bullet(doc, owner, bold_lead=f"{L['owner']}:")
        bullet(doc, a["time_estimate"] or L["none"], bold_lead=f"{L['time_estimate']}:")
        bullet(doc, a["cost_estimate"] or L["none"], bold_lead=f"{L['cost_estimate']}:")
        bullet(doc, a["status_label"], bold_lead=f"{L['status']}:")
        who = many_respondents(a["respondent_count"], L) + (f" ({a['respondents_text']})" if a["respondents"] else "")
        bullet(doc, who, bold_lead=f"{L['respondents']}:")
        if a["themes"]:
            bullet(doc, ", ".join(a["themes"]), bold_lead=f"{L['answers_themes']}:")
        if a["personas"]:
            bullet(doc, ", ".join(a["personas"]), bold_lead=f"{L['answers_personas']}:")
        heading(doc, L["behind"], 2)
        if not a["words"]:
            paragraph(doc, L["no_words"])
        for w in a["words"]:
            text = f"“{w['text']}”" if w["kind"] == "quote" else w["text"]
            if w["idea"] and w["kind"] == "idea":
                text = f"{text} — {L['drawn_from_idea']}"
            bullet(doc, text, bold_lead=f"{w['kind_label']} ({_where(w, L)}):")
    if context["dropped"]:
        heading(doc, L["dropped_actions"], 1)
        for d in context["dropped"]:
            bullet(doc, f"{d['title']} ({many_respondents(d['respondent_count'], L)})")
    paragraph(doc, L["footer"], italic=True)
    return document_bytes(doc.document, title)
