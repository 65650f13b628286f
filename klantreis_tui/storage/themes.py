"""The store's themes and theme assignments (one row per theme and piece of evidence)."""

from __future__ import annotations

from klantreis_tui.models.themes import Theme, ThemeLink
from klantreis_tui.storage.base import StoreBase


class ThemesPart(StoreBase):
    """Rows of ``themes`` and ``theme_links``; every public write is one transaction."""

    def themes_of(self, study_id: str) -> list[Theme]:
        rows = self._rows(
            "SELECT id, study_id, name, description, colour FROM themes WHERE study_id = ? ORDER BY position, name",
            [study_id],
        )
        return [Theme.model_validate(r) for r in rows]

    def theme_links_of(self, study_id: str) -> list[ThemeLink]:
        rows = self._rows(
            """SELECT l.theme_id, l.step_id, l.field, l.item FROM theme_links l JOIN themes t ON t.id = l.theme_id
               WHERE t.study_id = ? ORDER BY t.position, t.name, l.step_id, l.field, l.item""",
            [study_id],
        )
        return [ThemeLink.model_validate(r) for r in rows]

    def put_theme(self, theme: Theme) -> Theme:
        """Insert or update a theme (a new one goes last)."""
        with self.atomic():
            exists = self.db.execute("SELECT 1 FROM themes WHERE id = ?", [theme.id]).fetchone()
            if exists:
                self.db.execute(
                    "UPDATE themes SET name = ?, description = ?, colour = ? WHERE id = ?",
                    [theme.name, theme.description, theme.colour, theme.id],
                )
            else:
                position = self.db.execute(
                    "SELECT coalesce(max(position), 0) + 1 FROM themes WHERE study_id = ?", [theme.study_id]
                ).fetchone()[0]
                self.db.execute(
                    "INSERT INTO themes (id, study_id, name, description, colour, position) VALUES (?, ?, ?, ?, ?, ?)",
                    [theme.id, theme.study_id, theme.name, theme.description, theme.colour, position],
                )
        return theme

    def delete_theme(self, theme_id: str) -> None:
        with self.atomic():
            self.db.execute("DELETE FROM themes WHERE id = ?", [theme_id])

    def put_theme_links(self, links: list[ThemeLink]) -> int:
        """Assign evidence (a link already there is left as it is); returns how many were new."""
        added = 0
        with self.atomic():
            for link in links:
                cursor = self.db.execute(
                    "INSERT OR IGNORE INTO theme_links (theme_id, step_id, field, item) VALUES (?, ?, ?, ?)",
                    [link.theme_id, link.step_id, link.field, link.item],
                )
                added += cursor.rowcount
        return added

    def drop_theme_links(self, links: list[ThemeLink]) -> None:
        with self.atomic():
            for link in links:
                self.db.execute(
                    "DELETE FROM theme_links WHERE theme_id = ? AND step_id = ? AND field = ? AND item = ?",
                    [link.theme_id, link.step_id, link.field, link.item],
                )

    def replace_themes(self, study_id: str, themes: list[Theme], links: list[ThemeLink]) -> None:
        """Put a study's themes and assignments back as they were (undo), in one transaction."""
        with self.atomic():
            self.db.execute("DELETE FROM themes WHERE study_id = ?", [study_id])
            for position, theme in enumerate(themes, 1):
                self.db.execute(
                    "INSERT INTO themes (id, study_id, name, description, colour, position) VALUES (?, ?, ?, ?, ?, ?)",
                    [theme.id, theme.study_id, theme.name, theme.description, theme.colour, position],
                )
            for link in links:
                self.db.execute(
                    "INSERT OR IGNORE INTO theme_links (theme_id, step_id, field, item) VALUES (?, ?, ?, ?)",
                    [link.theme_id, link.step_id, link.field, link.item],
                )

    def evidence_rows(self, study_id: str) -> list[dict]:
        """The steps of a study's interviews with something to assign: code, step number, phase, emotion,
        pain point, idea and quotes (JSON), by respondent code and step."""
        return self._rows(
            """SELECT s.id AS step_id, s.position, r.code, s.phase, s.emotion, s.pain_point, s.opportunity,
                      s.quotes, s.instances, s.interview_id
               FROM steps s JOIN interviews i ON i.id = s.interview_id JOIN respondents r ON r.id = i.respondent_id
               WHERE i.study_id = ? AND i.status != 'geen toestemming'
               ORDER BY r.code, i.started_at, s.position""",
            [study_id],
        )
