"""Themes across the interviews of a study: create, rename, assign, merge, split, undo, a proposed grouping,
and carrying them in bundles (merged by name on import)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from klantreis_tui.models.themes import EVIDENCE_FIELDS, Theme, ThemeLink, theme_key
from klantreis_tui.services.base import ServiceBase


@dataclass
class Evidence:
    """A pain point, idea or quote of one step, as the analysis screen shows it."""

    step_id: str
    field: str  # pain_point, opportunity, quotes
    item: int
    text: str
    code: str  # the respondent's code
    number: int  # the step's number
    phase: str
    emotion: int | None
    theme_ids: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.step_id, self.field, self.item)

    def link(self, theme_id: str) -> ThemeLink:
        return ThemeLink(theme_id=theme_id, step_id=self.step_id, field=self.field, item=self.item)  # type: ignore[arg-type]


class ThemeServices(ServiceBase):
    """Every change is committed at once; ``undo_themes`` puts the study's themes back as before the last one."""

    def themes(self, study_id: str) -> list[Theme]:
        return self.store.themes_of(study_id)

    def evidence(self, study_id: str) -> list[Evidence]:
        """Every pain point, idea and quote of the study's interviews, with the themes assigned to each."""
        assigned: dict[tuple[str, str, int], list[str]] = {}
        for link in self.store.theme_links_of(study_id):
            assigned.setdefault((link.step_id, link.field, link.item), []).append(link.theme_id)
        found = []
        for row in self.store.evidence_rows(study_id):
            texts = [("pain_point", 0, row["pain_point"]), ("opportunity", 0, row["opportunity"])]
            texts += [("quotes", i, q) for i, q in enumerate(json.loads(row["quotes"]))]
            for name, item, text in texts:
                if text and text.strip():
                    found.append(Evidence(
                        row["step_id"], name, item, " ".join(text.split()), row["code"], row["position"],
                        row["phase"], row["emotion"], list(assigned.get((row["step_id"], name, item), [])),
                    ))
        return found

    # --- changes (each one undoable) ---------------------------------------------------------

    def _remember(self, study_id: str) -> None:
        stack = self.__dict__.setdefault("_theme_undo", {}).setdefault(study_id, [])
        stack.append((self.store.themes_of(study_id), self.store.theme_links_of(study_id)))
        del stack[:-50]

    def undo_themes(self, study_id: str) -> bool:
        """Undo the last change to the study's themes in this session; False when there is none."""
        stack = self.__dict__.get("_theme_undo", {}).get(study_id, [])
        if not stack:
            return False
        themes, links = stack.pop()
        self.store.replace_themes(study_id, themes, links)
        return True

    def create_theme(self, study_id: str, name: str, description: str = "", colour: str = "") -> Theme:
        """A new theme; a theme of that name (in any case) is returned as it is."""
        same = next((t for t in self.themes(study_id) if theme_key(t.name) == theme_key(name)), None)
        if same is not None:
            return same
        self._remember(study_id)
        return self.store.put_theme(Theme(study_id=study_id, name=" ".join(name.split()), description=description, colour=colour))

    def update_theme(self, theme: Theme) -> Theme:
        """Rename a theme or change its description or colour."""
        self._remember(theme.study_id)
        return self.store.put_theme(theme)

    def delete_theme(self, theme: Theme) -> None:
        self._remember(theme.study_id)
        self.store.delete_theme(theme.id)

    def assign(self, study_id: str, theme_id: str, evidence: list[Evidence]) -> int:
        self._remember(study_id)
        return self.store.put_theme_links([e.link(theme_id) for e in evidence])

    def unassign(self, study_id: str, theme_id: str, evidence: list[Evidence]) -> None:
        self._remember(study_id)
        self.store.drop_theme_links([e.link(theme_id) for e in evidence])

    def merge_themes(self, study_id: str, target_id: str, source_ids: list[str]) -> None:
        """The sources' evidence goes to the target; the sources are gone (one transaction)."""
        self._remember(study_id)
        themes = [t for t in self.store.themes_of(study_id) if t.id not in source_ids or t.id == target_id]
        links = [
            l.model_copy(update={"theme_id": target_id}) if l.theme_id in source_ids else l
            for l in self.store.theme_links_of(study_id)
        ]
        self.store.replace_themes(study_id, themes, links)

    def split_theme(self, study_id: str, theme_id: str, name: str, evidence: list[Evidence]) -> Theme:
        """A new theme ``name`` takes ``evidence`` from the theme ``theme_id`` (one undo step)."""
        self._remember(study_id)
        themes = self.store.themes_of(study_id)
        new = Theme(study_id=study_id, name=" ".join(name.split()))
        moving = {e.key for e in evidence}
        links = [
            l.model_copy(update={"theme_id": new.id}) if l.theme_id == theme_id and (l.step_id, l.field, l.item) in moving else l
            for l in self.store.theme_links_of(study_id)
        ]
        self.store.replace_themes(study_id, [*themes, new], links)
        return new

    # --- the proposed first grouping ---------------------------------------------------------

    def propose_themes(self, study_id: str, only_unassigned: bool = True) -> list[tuple[str, list[Evidence]]]:
        """Groups of pain points and ideas (and quotes) that say the same, each with a proposed name."""
        from klantreis_tui.assist.themes import propose_groups

        evidence = [e for e in self.evidence(study_id) if not (only_unassigned and e.theme_ids)]
        by_key = {e.key: e for e in evidence}
        groups = propose_groups([(e.key, e.text) for e in evidence if e.field != "quotes"])
        return [(g.name, [by_key[k] for k in g.members]) for g in groups]

    def accept_theme_proposal(self, study_id: str, name: str, evidence: list[Evidence]) -> Theme:
        theme = self.create_theme(study_id, name)
        self.store.put_theme_links([e.link(theme.id) for e in evidence])
        return theme

    # --- bundles ------------------------------------------------------------------------------

    def export_themes(
        self, study_ids: list[str], step_ids: set[str], keep_personal_data: bool = False
    ) -> tuple[list[Theme], list[ThemeLink]]:
        """Bundle export: the studies' themes (redacted unless ``keep_personal_data``), and the assignments of
        the steps the bundle holds."""
        themes = self.redacted_themes(sorted(study_ids), keep_personal_data)  # type: ignore[attr-defined]
        links = [l for s in sorted(study_ids) for l in self.store.theme_links_of(s) if l.step_id in step_ids]
        return themes, links

    def import_themes(self, themes: list[Theme], links: list[ThemeLink]) -> int:
        """Bundle import: a theme is matched by id (the same theme coming back, its name perhaps redacted), else
        by name within its study (a new one is added); assignments go to the matched theme, for steps that are
        here, once (importing twice changes nothing)."""
        mapping: dict[str, str] = {}
        for theme in themes:
            if self.store.theme_study(theme.id) == theme.study_id:
                mapping[theme.id] = theme.id
                continue
            here = {theme_key(t.name): t for t in self.store.themes_of(theme.study_id)}
            if theme_key(theme.name) in here:
                mapping[theme.id] = here[theme_key(theme.name)].id
            else:
                taken = self.store.db.execute("SELECT 1 FROM themes WHERE id = ?", [theme.id]).fetchone()
                new = theme.model_copy(update={"id": theme.id if not taken else Theme(study_id=theme.study_id, name="x").id})
                self.store.put_theme(new)
                mapping[theme.id] = new.id
        present = [l for l in links if l.theme_id in mapping and self.store.has_step(l.step_id)]
        return self.store.put_theme_links([l.model_copy(update={"theme_id": mapping[l.theme_id]}) for l in present])


__all__ = ["EVIDENCE_FIELDS", "Evidence", "ThemeServices"]
