"""The store's persona's: their rows, the respondents behind each, and their desired score per phase."""

from __future__ import annotations

import json

from klantreis_tui.models.personas import DesiredScore, Persona
from klantreis_tui.storage.base import StoreBase

_PERSONA_COLUMNS = "id, study_id, name, story, goal, context, segment"


class PersonasPart(StoreBase):
    """Rows of ``personas``, ``persona_respondents`` and ``desired_scores``; every public write is one
    transaction."""

    def personas_of(self, study_id: str) -> list[Persona]:
        rows = self._rows(
            f"SELECT {_PERSONA_COLUMNS} FROM personas WHERE study_id = ? ORDER BY position, name, id", [study_id]
        )
        return [Persona.model_validate(r) for r in rows]

    def get_persona(self, persona_id: str) -> Persona | None:
        rows = self._rows(f"SELECT {_PERSONA_COLUMNS} FROM personas WHERE id = ?", [persona_id])
        return Persona.model_validate(rows[0]) if rows else None

    def put_persona(self, persona: Persona) -> Persona:
        """Insert or update a persona (a new one goes last in its study)."""
        values = [persona.name, persona.story, persona.goal, persona.context, persona.segment]
        with self.atomic():
            exists = self.conn.execute("SELECT 1 FROM personas WHERE id = ?", [persona.id]).fetchone()
            if exists:
                self.conn.execute(
                    "UPDATE personas SET name = ?, story = ?, goal = ?, context = ?, segment = ? WHERE id = ?",
                    [*values, persona.id],
                )
            else:
                position = self.conn.execute(
                    "SELECT coalesce(max(position), 0) + 1 FROM personas WHERE study_id = ?", [persona.study_id]
                ).fetchone()[0]
                self.conn.execute(
                    f"INSERT INTO personas ({_PERSONA_COLUMNS}, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [persona.id, persona.study_id, *values, position],
                )
        return persona

    def delete_persona(self, persona_id: str) -> None:
        """The persona, its respondent links and desired scores (cascade), and the plan's links to it."""
        with self.atomic():
            self.conn.execute("DELETE FROM action_links WHERE kind = 'persona' AND target_id = ?", [persona_id])
            self.conn.execute("DELETE FROM personas WHERE id = ?", [persona_id])

    def order_personas(self, study_id: str, persona_ids: list[str]) -> None:
        """Put the study's persona's in the order of ``persona_ids`` (those not named keep theirs, after them)."""
        with self.atomic():
            rest = [p.id for p in self.personas_of(study_id) if p.id not in persona_ids]
            for position, persona_id in enumerate([*persona_ids, *rest], 1):
                self.conn.execute(
                    "UPDATE personas SET position = ? WHERE id = ? AND study_id = ?", [position, persona_id, study_id]
                )

    # --- the respondents behind a persona -------------------------------------------------------------

    def persona_respondent_ids(self, persona_id: str) -> list[str]:
        """The persona's respondents, by code."""
        rows = self._rows(
            """SELECT pr.respondent_id FROM persona_respondents pr JOIN respondents r ON r.id = pr.respondent_id
               WHERE pr.persona_id = ? ORDER BY r.code""",
            [persona_id],
        )
        return [r["respondent_id"] for r in rows]

    def set_persona_respondents(self, persona_id: str, respondent_ids: list[str]) -> None:
        """The persona's respondents from now on: exactly ``respondent_ids`` (one transaction)."""
        with self.atomic():
            self.conn.execute("DELETE FROM persona_respondents WHERE persona_id = ?", [persona_id])
            self.conn.executemany(
                "INSERT OR IGNORE INTO persona_respondents (persona_id, respondent_id) VALUES (?, ?)",
                [(persona_id, r) for r in dict.fromkeys(respondent_ids)],
            )

    # --- the desired journey ---------------------------------------------------------------------------

    def desired_scores_of(self, persona_id: str) -> list[DesiredScore]:
        rows = self._rows(
            "SELECT persona_id, phase, score, ideas FROM desired_scores WHERE persona_id = ? ORDER BY phase", [persona_id]
        )
        return [DesiredScore.model_validate({**r, "ideas": json.loads(r["ideas"])}) for r in rows]

    def put_desired_score(self, desired: DesiredScore) -> None:
        """Store one phase's desired score and ideas; a phase with neither is removed."""
        with self.atomic():
            if desired.score is None and not desired.ideas:
                self.conn.execute(
                    "DELETE FROM desired_scores WHERE persona_id = ? AND phase = ?", [desired.persona_id, desired.phase]
                )
                return
            self.conn.execute(
                "INSERT OR REPLACE INTO desired_scores (persona_id, phase, score, ideas) VALUES (?, ?, ?, ?)",
                [desired.persona_id, desired.phase, desired.score, json.dumps(desired.ideas, ensure_ascii=False)],
            )
