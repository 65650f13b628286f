"""The improvement plan (verbeterplan): actions drawn from a study's ideas and themes, what they answer, their
ranking by the respondents behind them, and the plan as data and as a document."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from klantreis_tui.errors import KlantreisError
from klantreis_tui.models.names import CanonicalNames, name_key
from klantreis_tui.models.personas import Action, ActionLink, ActionStatus
from klantreis_tui.models.plan import ImprovementPlan, PlanAction, PlanWords
from klantreis_tui.services.base import ServiceBase, file_stem, stamped

#: The order the status key cycles through.
STATUS_CYCLE: tuple[ActionStatus, ...] = (
    ActionStatus.proposed, ActionStatus.planned, ActionStatus.in_progress, ActionStatus.done, ActionStatus.dropped,
)
#: The action fields a form edits (besides the status).
ACTION_TEXT_FIELDS: tuple[str, ...] = (
    "title", "description", "organisation", "owner_role", "time_estimate", "cost_estimate",
)
LINK_KINDS: tuple[str, ...] = ("theme", "persona", "idea")
#: How the words behind an action are ordered within one step.
_WORD_ORDER = {"pain_point": 0, "idea": 1, "quote": 2}


class PlanProblem(KlantreisError):
    """A change to the plan that cannot be made (no title, an action gone); nothing was changed."""


def next_status(status: ActionStatus) -> ActionStatus:
    """The status after ``status`` in the cycle (dropped comes back round to proposed)."""
    return STATUS_CYCLE[(STATUS_CYCLE.index(status) + 1) % len(STATUS_CYCLE)]


@dataclass
class ActionProposal:
    """An action the study suggests: one per idea and per theme that no action answers yet."""

    kind: str  # "idea" or "theme"
    target_id: str  # the step whose idea it is, or the theme
    title: str
    description: str
    respondent_count: int
    code: str = ""  # an idea's respondent code and step number
    number: int = 0
    links: list[tuple[str, str]] = field(default_factory=list)  # (kind, target id) the action would get


@dataclass
class LinkChoice:
    """Something an action can answer, as a list shows it."""

    target_id: str
    label: str


class PlanServices(ServiceBase):
    """Every change is committed before it returns."""

    # --- actions ---------------------------------------------------------------------------------

    def actions(self, study_id: str) -> list[Action]:
        return self.store.actions_of(study_id)

    def action(self, study_id: str, action_id: str) -> Action:
        found = next((a for a in self.store.actions_of(study_id) if a.id == action_id), None)
        if found is None:
            raise PlanProblem("plan.gone")
        return found

    def action_links(self, study_id: str, action_id: str | None = None) -> list[ActionLink]:
        links = self.store.action_links_of(study_id)
        return [l for l in links if action_id is None or l.action_id == action_id]

    @staticmethod
    def _clean(fields: dict[str, Any]) -> dict[str, Any]:
        clean = {k: " ".join(str(v).split()) if k != "description" else str(v).strip() for k, v in fields.items() if k in ACTION_TEXT_FIELDS}
        if "title" in clean and not clean["title"]:
            raise PlanProblem("plan.no_title")
        if "status" in fields:
            clean["status"] = ActionStatus(fields["status"])
        return clean

    def create_action(self, study_id: str, title: str, links: list[tuple[str, str]] | None = None, **fields: Any) -> Action:
        """A new action (last in position) with its links, in one transaction."""
        action = Action(study_id=study_id, **self._clean({**fields, "title": title}))
        rows = [ActionLink(action_id=action.id, kind=kind, target_id=target) for kind, target in links or []]  # type: ignore[arg-type]
        return self.store.put_action(action, rows)

    def update_action(self, study_id: str, action_id: str, **fields: Any) -> Action:
        """Change the named fields of an action (title, description, organisation, owner role, time, cost, status)."""
        action = self.action(study_id, action_id).model_copy(update=self._clean(fields))
        return self.store.put_action(Action.model_validate(action.model_dump()))

    def delete_action(self, action_id: str) -> None:
        self.store.delete_action(action_id)

    def set_action_status(self, study_id: str, action_id: str, status: ActionStatus | str) -> Action:
        action = self.action(study_id, action_id)
        self.store.set_action_status(action.id, ActionStatus(status).value)
        return action.model_copy(update={"status": ActionStatus(status)})

    def cycle_action_status(self, study_id: str, action_id: str) -> Action:
        """The next status of the cycle (proposed, planned, in progress, done, dropped, proposed, ...)."""
        return self.set_action_status(study_id, action_id, next_status(self.action(study_id, action_id).status))

    def link_action(self, action_id: str, kind: str, target_id: str) -> bool:
        """The action answers this theme, persona or idea (a step id); False when it did already."""
        return bool(self.store.put_action_links([ActionLink(action_id=action_id, kind=kind, target_id=target_id)]))  # type: ignore[arg-type]

    def unlink_action(self, action_id: str, kind: str, target_id: str) -> None:
        self.store.drop_action_links([ActionLink(action_id=action_id, kind=kind, target_id=target_id)])  # type: ignore[arg-type]

    def set_action_links(self, action_id: str, kind: str, target_ids: list[str]) -> None:
        """The action's links of one kind become exactly ``target_ids`` (chosen from a list)."""
        if kind not in LINK_KINDS:
            raise ValueError(kind)
        self.store.replace_action_links(action_id, kind, target_ids)

    def reorder_actions(self, study_id: str, action_ids: list[str]) -> None:
        """Give the actions these positions (the order among actions with as many respondents behind them)."""
        self.store.reorder_actions(study_id, action_ids)

    def move_action(self, study_id: str, action_id: str, delta: int) -> bool:
        """Move an action one place up (-1) or down (+1) in the plan: only past an action with as many
        respondents behind it, since the ranking puts more respondents first. False when it cannot move."""
        ranked = self._ranked(study_id)
        ids = [a.id for a, _ in ranked]
        if action_id not in ids:
            return False
        index = ids.index(action_id)
        other = index + delta
        if not 0 <= other < len(ids) or len(ranked[index][1]) != len(ranked[other][1]):
            return False
        if (ranked[index][0].status is ActionStatus.dropped) != (ranked[other][0].status is ActionStatus.dropped):
            return False
        ids[index], ids[other] = ids[other], ids[index]
        self.store.reorder_actions(study_id, ids)
        return True

    # --- what the plan counts ---------------------------------------------------------------------

    def _study_facts(self, study_id: str) -> dict[str, Any]:
        """What the plan and the proposals read, once: steps, themes and their evidence, persona's, links."""
        rows = {r["step_id"]: r for r in self.store.plan_step_rows(study_id)}
        themes = self.store.themes_of(study_id)
        evidence: dict[str, list[tuple[str, str, int]]] = {t.id: [] for t in themes}
        for link in self.store.theme_links_of(study_id):
            if link.theme_id in evidence and link.step_id in rows:
                evidence[link.theme_id].append((link.step_id, link.field, link.item))
        members: dict[str, set[str]] = {}
        for row in self.store.persona_members(study_id):
            members.setdefault(row["persona_id"], set()).add(row["respondent_id"])
        return {
            "rows": rows, "themes": themes, "evidence": evidence, "members": members,
            "personas": self.store.persona_names(study_id), "links": self.store.action_links_of(study_id),
        }

    @staticmethod
    def _respondents(facts: dict[str, Any], links: list[ActionLink]) -> set[str]:
        """The distinct respondents behind an action's themes and ideas (ids)."""
        rows, evidence = facts["rows"], facts["evidence"]
        found: set[str] = set()
        for link in links:
            if link.kind == "theme":
                found.update(rows[step]["respondent_id"] for step, _, _ in evidence.get(link.target_id, []))
            elif link.kind == "idea" and link.target_id in rows:
                found.add(rows[link.target_id]["respondent_id"])
        return found

    def _ranked(self, study_id: str, facts: dict[str, Any] | None = None) -> list[tuple[Action, set[str]]]:
        """Every action with its respondents: not dropped before dropped, then more respondents first, then
        by position (``actions_of`` reads them in position order; the sort keeps it)."""
        facts = facts or self._study_facts(study_id)
        by_action: dict[str, list[ActionLink]] = {}
        for link in facts["links"]:
            by_action.setdefault(link.action_id, []).append(link)
        found = [(a, self._respondents(facts, by_action.get(a.id, []))) for a in self.store.actions_of(study_id)]
        found.sort(key=lambda pair: (pair[0].status is ActionStatus.dropped, -len(pair[1])))
        return found

    # --- proposals --------------------------------------------------------------------------------

    def action_proposals(self, study_id: str) -> list[ActionProposal]:
        """One proposal per idea (a step's opportunity) and per theme that no action (of any status, dropped
        too) answers yet: most respondents first, themes before ideas. An idea's proposal also answers the
        themes its idea is assigned to; both answer the persona's built from their respondents."""
        facts = self._study_facts(study_id)
        rows, evidence, members = facts["rows"], facts["evidence"], facts["members"]
        taken = {(l.kind, l.target_id) for l in facts["links"]}
        idea_themes: dict[str, list[str]] = {}
        for theme in facts["themes"]:
            for step, name, _ in evidence[theme.id]:
                if name == "opportunity":
                    idea_themes.setdefault(step, []).append(theme.id)

        def personas_of(respondents: set[str]) -> list[tuple[str, str]]:
            return [("persona", p["id"]) for p in facts["personas"] if members.get(p["id"], set()) & respondents]

        proposals = []
        for theme in facts["themes"]:
            if ("theme", theme.id) in taken:
                continue
            who = {rows[step]["respondent_id"] for step, _, _ in evidence[theme.id]}
            proposals.append(ActionProposal(
                "theme", theme.id, theme.name, theme.description, len(who),
                links=[("theme", theme.id), *personas_of(who)],
            ))
        for step_id, row in rows.items():
            idea = " ".join((row["opportunity"] or "").split())
            if not idea or ("idea", step_id) in taken:
                continue
            proposals.append(ActionProposal(
                "idea", step_id, idea, "", 1, row["code"], row["position"],
                links=[("idea", step_id), *(("theme", t) for t in idea_themes.get(step_id, [])),
                       *personas_of({row["respondent_id"]})],
            ))
        proposals.sort(key=lambda p: (-p.respondent_count, p.kind != "theme"))
        return proposals

    def accept_action_proposal(self, study_id: str, proposal: ActionProposal, **fields: Any) -> Action:
        """The proposal as an action (with ``fields`` as the team filled them in), answering what it proposed."""
        values = {"title": proposal.title, "description": proposal.description, **fields}
        return self.create_action(study_id, links=proposal.links, **values)

    def drop_action_proposal(self, study_id: str, proposal: ActionProposal) -> Action:
        """Keep the proposal as a dropped action, so that it is not proposed again (its status can bring it back)."""
        return self.create_action(
            study_id, proposal.title, links=proposal.links, description=proposal.description, status=ActionStatus.dropped,
        )

    # --- choosing what an action answers -----------------------------------------------------------

    def link_choices(self, study_id: str) -> dict[str, list[LinkChoice]]:
        """Per kind (theme, persona, idea): what an action of the study can answer, labelled for a list."""
        from klantreis_tui.i18n import t, tn

        facts = self._study_facts(study_id)
        rows = facts["rows"]
        themes = [
            LinkChoice(th.id, f"{th.name} (" + tn('{n} respondent', '{n} respondents', len({rows[s]['respondent_id'] for s, _, _ in facts['evidence'][th.id]})) + ")")
            for th in facts["themes"]
        ]
        personas = [LinkChoice(p["id"], p["name"]) for p in facts["personas"]]
        ideas = [
            LinkChoice(step_id, t('{code}, step {number}: {text}', code=row["code"], number=row["position"], text=" ".join(row["opportunity"].split())))
            for step_id, row in rows.items() if (row["opportunity"] or "").strip()
        ]
        return {"theme": themes, "persona": personas, "idea": ideas}

    def plan_organisations(self, study_id: str) -> list[str]:
        """The organisations of the study's steps under their canonical names, most named first (suggestions
        for an action's owner)."""
        canonical = CanonicalNames(self.name_map(study_id)["instances"])  # type: ignore[attr-defined]
        counts: dict[str, int] = {}
        for name, n in self.store.step_value_counts(study_id, "instances"):
            shown = canonical.name(name)
            counts[shown] = counts.get(shown, 0) + n
        return sorted(counts, key=lambda name: (-counts[name], name.casefold()))

    # --- the plan ------------------------------------------------------------------------------------

    def _words(
        self, facts: dict[str, Any], links: list[ActionLink], redact: Any, theme_names: dict[str, str]
    ) -> tuple[list[PlanWords], bool]:
        """The residents' words behind ``links``: the evidence of their themes, and the pain point, idea and
        quotes of their ideas' steps, each piece once; quotes only with consent. Also: whether a quote was
        left out for want of consent. ``redact``: for the residents' words; ``theme_names``: a theme's id to
        the name it is shown under."""
        rows, evidence = facts["rows"], facts["evidence"]
        found: dict[tuple[str, str, int], PlanWords] = {}
        withheld = False

        def add(step_id: str, name: str, item: int, theme: str | None, idea: bool) -> None:
            nonlocal withheld
            row = rows[step_id]
            if name == "quotes":
                quotes = json.loads(row["quotes"] or "[]")
                if item >= len(quotes):
                    return
                if row["quotes_ok"] != 1:
                    withheld = True
                    return
                text, kind = quotes[item], "quote"
            else:
                text, kind = row[name] or "", "pain_point" if name == "pain_point" else "idea"
            text = " ".join(text.split())
            if not text:
                return
            key = (step_id, name, item)
            if key not in found:
                found[key] = PlanWords(kind=kind, text=redact(text), code=row["code"], number=row["position"], phase=row["phase"])  # type: ignore[arg-type]
            if theme is not None and theme_names[theme] not in found[key].themes:
                found[key].themes.append(theme_names[theme])
            found[key].idea = found[key].idea or idea

        linked = {l.target_id for l in links if l.kind == "theme"}
        for theme in facts["themes"]:
            if theme.id in linked:
                for step_id, name, item in evidence[theme.id]:
                    add(step_id, name, item, theme.id, False)
        for link in links:
            if link.kind == "idea" and link.target_id in rows:
                add(link.target_id, "opportunity", 0, None, True)
                add(link.target_id, "pain_point", 0, None, True)
                for item in range(len(json.loads(rows[link.target_id]["quotes"] or "[]"))):
                    add(link.target_id, "quotes", item, None, True)
        return sorted(found.values(), key=lambda w: (w.code, w.number, _WORD_ORDER[w.kind])), withheld

    def proposal_words(self, study_id: str, proposal: ActionProposal) -> list[PlanWords]:
        """The residents' words behind a proposal (as the plan would show them once it is an action)."""
        links = [ActionLink(action_id="-", kind=kind, target_id=target) for kind, target in proposal.links]  # type: ignore[arg-type]
        facts = self._study_facts(study_id)
        return self._words(facts, links, lambda text: text, {th.id: th.name for th in facts["themes"]})[0]


    def improvement_plan(self, study_id: str, keep_personal_data: bool = False) -> ImprovementPlan:
        """The plan as data: the actions ranked by the number of distinct respondents behind their themes and
        ideas (ties: their position), each with the residents' words behind it (pain points, ideas, and
        quotes of respondents who consented to their use), the owner under its canonical name. Personal data
        in free text is redacted unless ``keep_personal_data``."""
        study = self.study(study_id)  # type: ignore[attr-defined]
        facts = self._study_facts(study_id)
        rows = facts["rows"]
        # an owner typed in another case than a name the steps use is shown under that name
        owners = CanonicalNames({
            **{name_key(name): name for name in self.plan_organisations(study_id)},
            **self.name_map(study_id)["instances"],  # type: ignore[attr-defined]
        })
        # the themes' names as they leave the laptop (the team's own words, told apart)
        theme_names = {th.id: th.name for th in self.redacted_themes([study_id], keep_personal_data)}  # type: ignore[attr-defined]
        persona_names = {p["id"]: p["name"] for p in facts["personas"]}
        by_action: dict[str, list[ActionLink]] = {}
        for link in facts["links"]:
            by_action.setdefault(link.action_id, []).append(link)
        withheld = False
        # residents' words and the team's own (actions, themes, persona's) by the one rule (services.redaction)
        redact = self.redactor(study_id, keep_personal_data)  # type: ignore[attr-defined]

        ranked, dropped = [], []
        codes = {r["respondent_id"]: r["code"] for r in rows.values()}
        for action, who in self._ranked(study_id, facts):
            links = by_action.get(action.id, [])
            words, left_out = self._words(facts, links, redact.residents, theme_names)
            withheld = withheld or left_out
            shown = action.model_copy(update={
                name: redact.team(getattr(action, name))
                for name in ("title", "description", "owner_role", "time_estimate", "cost_estimate")
            })
            entry = PlanAction(
                rank=0 if action.status is ActionStatus.dropped else len(ranked) + 1,
                action=shown,
                organisation=redact.team(owners.name(action.organisation)),
                respondent_count=len(who),
                respondents=sorted(codes[r] for r in who),
                themes=[theme_names[th.id] for th in facts["themes"] if any(l.kind == "theme" and l.target_id == th.id for l in links)],
                personas=[redact.team(persona_names[p["id"]]) for p in facts["personas"] if any(l.kind == "persona" and l.target_id == p["id"] for l in links)],
                words=words,
            )
            (dropped if action.status is ActionStatus.dropped else ranked).append(entry)
        return ImprovementPlan(
            study_id=study.id, study_title=study.title, respondent_count=len(codes), actions=ranked, dropped=dropped,
            redacted=not keep_personal_data, quotes_withheld=withheld,
        )

    def plan_labels(self, lang: str | None = None) -> dict[str, str]:
        """The words of the plan documents (headings, field names, status names ``status_<status>``) in
        ``lang`` (default: the current language), for writers of other formats."""
        from klantreis_tui.rendering.improvement_plan import plan_labels

        return plan_labels(lang)

    def plan_text(
        self, study_id: str, fmt: str = "md", templates: Path | None = None, keep_personal_data: bool = False
    ) -> str:
        """The plan as a Markdown or HTML document from the templates (``plan.md.j2``, ``plan.html.j2``; a
        user's folder overrides them); control characters as visible symbols."""
        from klantreis_tui.rendering.improvement_plan import plan_context
        from klantreis_tui.rendering.templates import render
        from klantreis_tui.safetext import visible

        if fmt not in ("md", "html"):
            raise ValueError(fmt)
        plan = self.improvement_plan(study_id, keep_personal_data)
        return visible(render(f"plan.{fmt}.j2", plan_context(plan), templates))

    def export_plan(self, study_id: str, fmt: str, folder: Path, templates: Path | None = None) -> Path:
        """Write the plan (redacted; ``fmt`` md, html or docx) into ``folder`` under the study's title and the
        time; returns the file."""
        from klantreis_tui.services.exchange import write_file

        if fmt == "docx":
            data = self.plan_docx(study_id, templates)  # type: ignore[attr-defined]
        else:
            data = self.plan_text(study_id, fmt, templates).encode("utf-8")
        title = self.study(study_id).title  # type: ignore[attr-defined]
        path = stamped(folder, f"{file_stem(title)}-verbeterplan", f".{fmt}")
        write_file(path, data)
        return path
