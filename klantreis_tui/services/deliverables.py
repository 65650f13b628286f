"""Persona's, desired scores and the improvement plan in bundles and kits: export (redacted like everything
else), the check of what they point to (refused whole, naming what is missing), and the merge on import.

- **Export.** A bundle carries the persona's of its studies, the respondents behind them that the bundle
  holds, their desired scores for the phases the file knows (the study's phases, or the phases its steps
  used), the actions, and what each action answers when the file holds it (a theme, a persona, a step's idea).
  A kit holds no interview: it carries the persona's, their desired scores, the actions and the actions' links
  to persona's. Unless ``keep_personal_data``, their text is redacted as the team's own words (``services.redaction``).
- **Check.** Before anything is changed: every respondent, theme, persona and step they point to must be in
  the file or in this database (in the same study), every desired score's phase one the file knows.
- **Merge.** A persona is matched by id (the same persona, exported from here or imported before; its name may
  differ), else by name within its study (case and spacing do not count), and keeps what is here; its
  respondents and desired scores are added where missing. An action is matched by id (one that is here stays as
  it is); links are added once. Importing twice changes nothing.
"""

from __future__ import annotations

from typing import Any

from klantreis_tui.exchange import BundleError
from klantreis_tui.i18n import t
from klantreis_tui.models.bundle import DELIVERABLE_TABLES
from klantreis_tui.models.names import name_key
from klantreis_tui.models.personas import Action, ActionLink, DesiredScore, Persona, PersonaRespondent
from klantreis_tui.models.phases import DEFAULT_PHASES, phase_key
from klantreis_tui.models.records import Study, new_id
from klantreis_tui.models.themes import theme_key
from klantreis_tui.services.base import ServiceBase

_MODELS = {
    "personas": Persona, "persona_respondents": PersonaRespondent, "desired_scores": DesiredScore,
    "actions": Action, "action_links": ActionLink,
}
#: the text fields redacted on export
_TEXT = {
    "personas": ("name", "story", "goal", "context", "segment"), "desired_scores": ("ideas",),
    "actions": ("title", "description", "organisation", "owner_role", "time_estimate", "cost_estimate"),
}


def known_phases(study: Study, step_phases: list[str]) -> set[str]:
    """The phase keys a file knows for a study: its list (the usual phases when it has none) and the phases its
    steps used."""
    return {phase_key(p) for p in (study.phases or list(DEFAULT_PHASES))} | {phase_key(p) for p in step_phases if p.strip()}


class DeliverableServices(ServiceBase):
    """Carrying persona's and actions in bundles and kits."""

    def export_deliverables(
        self, study_ids: list[str], keep_personal_data: bool = False, respondent_ids: set[str] | None = None,
        step_ids: set[str] | None = None, theme_ids: set[str] | None = None,
        phases: dict[str, set[str]] | None = None,
    ) -> dict[str, list[Any]]:
        """The deliverables of the studies, as a bundle (``respondent_ids``, ``step_ids``, ``theme_ids``: what it
        holds; ``phases``: the phase keys it knows per study) or, with ``respondent_ids`` None, as a kit."""
        rows = {table: self.store.deliverable_rows(table, study_ids) for table in DELIVERABLE_TABLES}
        kit = respondent_ids is None
        persona_ids = {p["id"] for p in rows["personas"]}
        persona_study = {p["id"]: p["study_id"] for p in rows["personas"]}
        rows["persona_respondents"] = [] if kit else [r for r in rows["persona_respondents"] if r["respondent_id"] in respondent_ids]
        rows["desired_scores"] = [
            d for d in rows["desired_scores"]
            if phases is None or phase_key(d["phase"]) in phases.get(persona_study[d["persona_id"]], set())
        ]
        targets = {"persona": persona_ids, "theme": set() if kit else theme_ids or set(), "idea": set() if kit else step_ids or set()}
        rows["action_links"] = [x for x in rows["action_links"] if x["target_id"] in targets[x["kind"]]]
        if not keep_personal_data:
            study_of = {**persona_study, **{a["id"]: a["study_id"] for a in rows["actions"]}}
            redactors: dict[str, Any] = {}  # per study: the team's own words (``services.redaction``)
            for table, names in _TEXT.items():
                for row in rows[table]:
                    owner = row.get("study_id") or study_of.get(row.get("persona_id", ""), "")
                    if owner not in redactors:
                        redactors[owner] = self.redactor(owner)  # type: ignore[attr-defined]
                    for name in names:
                        row[name] = redactors[owner].team(row[name])
            self._distinct_names(rows["personas"])
        return {table: [_MODELS[table].model_validate(r) for r in rows[table]] for table in DELIVERABLE_TABLES}

    @staticmethod
    def _distinct_names(personas: list[dict[str, Any]]) -> None:
        """Two persona names that redaction made the same get a number, so the file still tells them apart."""
        seen: set[tuple[str, str]] = set()
        for row in personas:
            name, number = row["name"], 1
            while (row["study_id"], name_key(name)) in seen:
                number += 1
                name = f"{row['name']} {number}"
            row["name"] = name
            seen.add((row["study_id"], name_key(name)))

    # --- the check before an import -----------------------------------------------------------------

    def check_deliverables(
        self, holder: Any, mapping: dict[str, str], respondents: dict[str, str],
        steps: dict[str, str], themes: dict[str, str], phases: dict[str, set[str]],
    ) -> None:
        """BundleError (nothing changed) naming what the file's persona's and actions point to that neither the
        file nor this database holds in their study. ``respondents``, ``steps``, ``themes``: those of the file,
        each with its study's id; ``mapping``: a file's study id to the study here it goes into."""
        problems: list[str] = []
        personas = {p.id: p for p in holder.personas}
        actions = {a.id: a for a in holder.actions}

        def found(study_id: str, target: str, in_file: dict[str, str], owner_here: Any) -> bool:
            """In the file in the same study, or here in the study the file's study goes into."""
            if target in in_file:
                return in_file[target] == study_id
            owner = owner_here(target)
            return owner is not None and owner == mapping.get(study_id, study_id)

        for link in holder.persona_respondents:
            persona = personas.get(link.persona_id)
            if persona is None:
                problems.append(t('respondents of persona {id}, which the file does not hold', id=link.persona_id))
            elif not found(persona.study_id, link.respondent_id, respondents, self.store.respondent_study):
                problems.append(t("respondent {id} of persona '{persona}'", id=link.respondent_id, persona=persona.name))
        for desired in holder.desired_scores:
            persona = personas.get(desired.persona_id)
            if persona is None:
                problems.append(t('desired scores of persona {id}, which the file does not hold', id=desired.persona_id))
            elif phase_key(desired.phase) not in phases.get(persona.study_id, set()):
                problems.append(t("phase '{phase}' of the desired journey of persona '{persona}'", phase=desired.phase, persona=persona.name))
        for link in holder.action_links:
            action = actions.get(link.action_id)
            if action is None:
                problems.append(t('links of action {id}, which the file does not hold', id=link.action_id))
                continue
            in_file, owner_here = {
                "theme": (themes, self.store.theme_study),
                "persona": ({p.id: p.study_id for p in holder.personas}, self.store.persona_study),
                "idea": (steps, self.store.step_study),
            }[link.kind]
            if not found(action.study_id, link.target_id, in_file, owner_here):
                what = {"theme": t('theme {id}', id=link.target_id), "persona": t('persona {id}', id=link.target_id),
                        "idea": t('step {id} (its idea)', id=link.target_id)}[link.kind]
                problems.append(t("{what} of action '{action}'", what=what, action=action.title))
        if problems:
            shown = "; ".join(problems[:5]) + (f" (+{len(problems) - 5})" if len(problems) > 5 else "")
            raise BundleError(t("The file's persona's or actions point to what neither the file nor this database holds: {problems}. Nothing was imported.", problems=shown), "bundle.deliverables")

    # --- the merge ------------------------------------------------------------------------------------

    def import_deliverables(self, holder: Any, mapping: dict[str, str], themes: list[Any] = ()) -> tuple[int, int]:
        """Merge checked deliverables (see the module docstring); returns (persona's added, actions added)."""
        study = {p.id: mapping.get(p.study_id, p.study_id) for p in holder.personas}
        personas: dict[str, str] = {}
        added_personas = 0
        for p in holder.personas:
            if self.store.persona_study(p.id) == study[p.id]:  # the same persona (from here, or imported before)
                personas[p.id] = p.id
                continue
            ours = {name_key(x.name): x.id for x in self.store.personas_of(study[p.id])}
            if name_key(p.name) in ours:
                personas[p.id] = ours[name_key(p.name)]
                continue
            new = p.id if self.store.persona_study(p.id) is None else new_id()
            added_personas += self.store.add_deliverable_rows("personas", [{**p.model_dump(), "id": new, "study_id": study[p.id]}])
            personas[p.id] = new
        self.store.add_deliverable_rows("persona_respondents", [
            {"persona_id": personas[x.persona_id], "respondent_id": x.respondent_id}
            for x in holder.persona_respondents
            if self.store.respondent_study(x.respondent_id) == study[x.persona_id]  # a forgotten one stays out
        ])
        for persona_id, target in personas.items():
            have = {phase_key(d.phase) for d in self.store.desired_scores_of(target)}
            self.store.add_deliverable_rows("desired_scores", [
                {**d.model_dump(), "persona_id": target} for d in holder.desired_scores
                if d.persona_id == persona_id and phase_key(d.phase) not in have
            ])
        added_actions = self.store.add_deliverable_rows("actions", [
            {**a.model_dump(mode="json"), "study_id": mapping.get(a.study_id, a.study_id)}
            for a in holder.actions if self.store.action_study(a.id) is None
        ])
        theme_ids: dict[str, str] = {}
        for theme in themes:
            here = mapping.get(theme.study_id, theme.study_id)
            if self.store.theme_study(theme.id) == here:  # the same theme (see ``import_themes``)
                theme_ids[theme.id] = theme.id
                continue
            ours = {theme_key(x.name): x.id for x in self.store.themes_of(here)}
            theme_ids[theme.id] = ours.get(theme_key(theme.name), theme.id)
        links = []
        action_study = {a.id: mapping.get(a.study_id, a.study_id) for a in holder.actions}
        for x in holder.action_links:
            target = {"persona": personas, "theme": theme_ids}.get(x.kind, {}).get(x.target_id, x.target_id)
            present = {"persona": self.store.persona_study, "theme": self.store.theme_study, "idea": self.store.step_study}[x.kind](target)
            # both ends in the action's study here (an action of that id in another study is not this one)
            if present == action_study[x.action_id] == self.store.action_study(x.action_id):
                links.append({"action_id": x.action_id, "kind": x.kind, "target_id": target})
        self.store.add_deliverable_rows("action_links", links)
        return added_personas, added_actions
