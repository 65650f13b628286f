"""The store's improvement plan: actions, what they answer (themes, persona's, ideas), and what the plan reads."""

from __future__ import annotations

from klantreis_tui.models.personas import Action, ActionLink
from klantreis_tui.storage.base import StoreBase

_ACTION_COLUMNS = "id, study_id, title, description, organisation, owner_role, time_estimate, cost_estimate, status"


class ActionsPart(StoreBase):
    """Rows of ``actions`` and ``action_links``; every public write is one transaction."""

    def actions_of(self, study_id: str) -> list[Action]:
        rows = self._rows(
            f"SELECT {_ACTION_COLUMNS} FROM actions WHERE study_id = ? ORDER BY position, title, id", [study_id]
        )
        return [Action.model_validate(r) for r in rows]

    def action_links_of(self, study_id: str) -> list[ActionLink]:
        rows = self._rows(
            """SELECT l.action_id, l.kind, l.target_id FROM action_links l JOIN actions a ON a.id = l.action_id
               WHERE a.study_id = ? ORDER BY a.position, l.action_id, l.kind, l.target_id""",
            [study_id],
        )
        return [ActionLink.model_validate(r) for r in rows]

    def _write_action(self, action: Action) -> None:
        values = [
            action.title, action.description, action.organisation, action.owner_role, action.time_estimate,
            action.cost_estimate, action.status.value,
        ]
        exists = self.conn.execute("SELECT 1 FROM actions WHERE id = ?", [action.id]).fetchone()
        if exists:
            self.conn.execute(
                """UPDATE actions SET title = ?, description = ?, organisation = ?, owner_role = ?, time_estimate = ?,
                   cost_estimate = ?, status = ? WHERE id = ?""",
                [*values, action.id],
            )
            return
        position = self.conn.execute(
            "SELECT coalesce(max(position), 0) + 1 FROM actions WHERE study_id = ?", [action.study_id]
        ).fetchone()[0]
        self.conn.execute(
            f"INSERT INTO actions ({_ACTION_COLUMNS}, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [action.id, action.study_id, *values, position],
        )

    def put_action(self, action: Action, links: list[ActionLink] | None = None) -> Action:
        """Insert (last) or update an action, and add ``links`` to it, in one transaction."""
        with self.atomic():
            self._write_action(action)
            for link in links or []:
                self._insert_link(link)
        return action

    def delete_action(self, action_id: str) -> None:
        """The action and its links (cascade)."""
        with self.atomic():
            self.conn.execute("DELETE FROM action_links WHERE action_id = ?", [action_id])
            self.conn.execute("DELETE FROM actions WHERE id = ?", [action_id])

    def set_action_status(self, action_id: str, status: str) -> None:
        with self.atomic():
            self.conn.execute("UPDATE actions SET status = ? WHERE id = ?", [status, action_id])

    def _insert_link(self, link: ActionLink) -> int:
        cursor = self.conn.execute(
            "INSERT OR IGNORE INTO action_links (action_id, kind, target_id) VALUES (?, ?, ?)",
            [link.action_id, link.kind, link.target_id],
        )
        return cursor.rowcount

    def put_action_links(self, links: list[ActionLink]) -> int:
        """Add links (one already there is left as it is); returns how many were new."""
        with self.atomic():
            return sum(self._insert_link(link) for link in links)

    def drop_action_links(self, links: list[ActionLink]) -> None:
        with self.atomic():
            for link in links:
                self.conn.execute(
                    "DELETE FROM action_links WHERE action_id = ? AND kind = ? AND target_id = ?",
                    [link.action_id, link.kind, link.target_id],
                )

    def replace_action_links(self, action_id: str, kind: str, target_ids: list[str]) -> None:
        """The action's links of one kind become exactly ``target_ids`` (one transaction)."""
        with self.atomic():
            self.conn.execute("DELETE FROM action_links WHERE action_id = ? AND kind = ?", [action_id, kind])
            for target in dict.fromkeys(target_ids):
                self.conn.execute(
                    "INSERT INTO action_links (action_id, kind, target_id) VALUES (?, ?, ?)", [action_id, kind, target]
                )

    def reorder_actions(self, study_id: str, action_ids: list[str]) -> None:
        """Number the study's actions in the order of ``action_ids`` (those not named keep their order, after)."""
        with self.atomic():
            rest = [a.id for a in self.actions_of(study_id) if a.id not in set(action_ids)]
            for position, action_id in enumerate([*action_ids, *rest], 1):
                self.conn.execute(
                    "UPDATE actions SET position = ? WHERE id = ? AND study_id = ?", [position, action_id, study_id]
                )

    # --- what the plan reads ---------------------------------------------------------------

    def persona_names(self, study_id: str) -> list[dict]:
        """The study's persona's: ``id`` and ``name``, in their order."""
        return self._rows("SELECT id, name FROM personas WHERE study_id = ? ORDER BY position, name, id", [study_id])

    def persona_members(self, study_id: str) -> list[dict]:
        """Which respondents each persona of the study is built from: ``persona_id``, ``respondent_id``."""
        return self._rows(
            """SELECT pr.persona_id, pr.respondent_id FROM persona_respondents pr JOIN personas p ON p.id = pr.persona_id
               WHERE p.study_id = ? ORDER BY p.position, pr.respondent_id""",
            [study_id],
        )

    def plan_step_rows(self, study_id: str) -> list[dict]:
        """The steps of the study's interviews (those with consent to take part) with what the plan shows of
        them: respondent id and code, step number, phase, pain point, idea, quotes (JSON) and whether the
        respondent consented to the use of quotes (1, 0, or None when never asked)."""
        return self._rows(
            """SELECT s.id AS step_id, s.position, s.phase, s.pain_point, s.opportunity, s.quotes,
                      r.id AS respondent_id, r.code,
                      (SELECT c.granted FROM consents c WHERE c.interview_id = i.id AND c.item = 'quotes') AS quotes_ok
               FROM steps s JOIN interviews i ON i.id = s.interview_id JOIN respondents r ON r.id = i.respondent_id
               WHERE i.study_id = ? AND i.status != 'geen toestemming'
               ORDER BY r.code, i.started_at, s.position""",
            [study_id],
        )
