"""The template context of the improvement plan (verbeterplan): plain dicts, lists, strings and numbers.

Templates ``plan.md.j2`` and ``plan.html.j2`` (a user's template folder overrides them). Variables:

- ``lang`` ("nl" or "en"), ``labels``: the summary templates' words (``rendering.labels``) and the plan's
  (``PLAN_LABELS``), in the current language
- ``study`` (title), ``respondent_count`` (respondents of the study with steps), ``redacted`` (bool: personal
  data in free text replaced by labels), ``quotes_withheld`` (bool: some quotes left out for want of consent)
- ``actions``: the actions not dropped, ranked: list of ``{rank, title, description, status, status_label,
  organisation, owner_role, time_estimate, cost_estimate, respondent_count, respondents (codes),
  respondents_text, themes (names), personas (names), words, pain_points, ideas, quotes}``; ``words`` is
  every piece behind the action, ``{kind (pain_point, idea, quote), kind_label, text, code, number, phase,
  themes, idea}`` by respondent and step; ``pain_points``, ``ideas``, ``quotes`` the same split by kind
- ``dropped``: the dropped actions, ``{title, respondent_count}``
- ``statuses``: ``{status, label, count}`` for every status, in the cycle's order
"""

from __future__ import annotations

from typing import Any

from klantreis_tui.i18n import N_, current_language, t, using_language
from klantreis_tui.models.personas import ActionStatus
from klantreis_tui.models.plan import ImprovementPlan, PlanAction
from klantreis_tui.rendering.labels import labels

#: The plan's own words (the summaries' words come along in ``labels`` too).
PLAN_LABELS: dict[str, str] = {
    'plan_title': N_('Improvement plan'),
    'plan_note': N_('Actions ranked by the number of respondents behind the themes and ideas they answer; with as many respondents, in the order the team set.'),
    'plan_overview': N_('Overview'),
    'action': N_('Action'),
    'owner': N_('Owner'),
    'owner_role': N_('Owner role'),
    'time_estimate': N_('Time'),
    'cost_estimate': N_('Cost'),
    'answers_themes': N_('Themes it answers'),
    'answers_personas': N_("Persona's it answers"),
    'behind': N_('What residents said'),
    'quote': N_('Quote'),
    'drawn_from_idea': N_('the idea it is drawn from'),
    'no_actions': N_('No actions yet.'),
    'no_words': N_('No residents\' words behind this action yet: link it to a theme or an idea.'),
    'dropped_actions': N_('Dropped actions'),
    'redacted_note': N_('Personal data in free text is replaced by labels such as [name].'),
    'quotes_withheld_note': N_('Quotes only of respondents who consented to their use.'),
    'status_proposed': N_('proposed'),
    'status_planned': N_('planned'),
    'status_in_progress': N_('under way'),
    'status_done': N_('done'),
    'status_dropped': N_('dropped'),
}


def plan_labels(lang: str | None = None) -> dict[str, str]:
    """The summaries' words and the plan's, in ``lang`` (default: the current language)."""
    lang = "en" if (lang or current_language()) == "en" else "nl"
    words = labels(lang)
    with using_language(lang):
        words.update({key: t(text) for key, text in PLAN_LABELS.items()})
    return words


def _action(entry: PlanAction, words: dict[str, str]) -> dict[str, Any]:
    kinds = {"pain_point": words["pain_point"], "idea": words["idea"], "quote": words["quote"]}
    pieces = [
        {
            "kind": w.kind, "kind_label": kinds[w.kind], "text": w.text, "code": w.code, "number": w.number,
            "phase": w.phase, "themes": list(w.themes), "idea": w.idea,
        }
        for w in entry.words
    ]
    action = entry.action
    return {
        "rank": entry.rank,
        "title": action.title,
        "description": action.description,
        "status": action.status.value,
        "status_label": words[f"status_{action.status.value}"],
        "organisation": entry.organisation,
        "owner_role": action.owner_role,
        "time_estimate": action.time_estimate,
        "cost_estimate": action.cost_estimate,
        "respondent_count": entry.respondent_count,
        "respondents": list(entry.respondents),
        "respondents_text": ", ".join(entry.respondents),
        "themes": list(entry.themes),
        "personas": list(entry.personas),
        "words": pieces,
        "pain_points": [p for p in pieces if p["kind"] == "pain_point"],
        "ideas": [p for p in pieces if p["kind"] == "idea"],
        "quotes": [p for p in pieces if p["kind"] == "quote"],
    }


def plan_context(plan: ImprovementPlan, lang: str | None = None) -> dict[str, Any]:
    """The variables of the plan templates (see the module's docstring)."""
    lang = "en" if (lang or current_language()) == "en" else "nl"
    words = plan_labels(lang)
    every = [*plan.actions, *plan.dropped]
    return {
        "lang": lang,
        "labels": words,
        "study": plan.study_title,
        "respondent_count": plan.respondent_count,
        "redacted": plan.redacted,
        "quotes_withheld": plan.quotes_withheld,
        "actions": [_action(entry, words) for entry in plan.actions],
        "dropped": [{"title": e.action.title, "respondent_count": e.respondent_count} for e in plan.dropped],
        "statuses": [
            {"status": s.value, "label": words[f"status_{s.value}"], "count": sum(e.action.status is s for e in every)}
            for s in ActionStatus
        ],
    }
