"""The rows of a study's deliverables (persona's, desired scores, the improvement plan) as bundles carry them.

One table-generic reader and writer: each table is named with its columns, its JSON columns and how its rows
belong to a study, so a bundle export or import handles them all alike (and a new table is one entry more).
"""

from __future__ import annotations

import json
from typing import Any

from klantreis_tui.storage.base import StoreBase

#: per table: its columns (in bundle order), the JSON-list columns, and the SQL that picks a study's rows
#: (``{ids}``: the study ids) in a stable order
DELIVERABLE_TABLES: dict[str, tuple[tuple[str, ...], tuple[str, ...], str]] = {
    "personas": (
        ("id", "study_id", "name", "story", "goal", "context", "segment"), (),
        "SELECT {columns} FROM personas t WHERE t.study_id IN ({ids}) ORDER BY t.study_id, t.position, t.name, t.id",
    ),
    "persona_respondents": (
        ("persona_id", "respondent_id"), (),
        """SELECT {columns} FROM persona_respondents t JOIN personas p ON p.id = t.persona_id
           WHERE p.study_id IN ({ids}) ORDER BY p.study_id, p.position, t.persona_id, t.respondent_id""",
    ),
    "desired_scores": (
        ("persona_id", "phase", "score", "ideas"), ("ideas",),
        """SELECT {columns} FROM desired_scores t JOIN personas p ON p.id = t.persona_id
           WHERE p.study_id IN ({ids}) ORDER BY p.study_id, p.position, t.persona_id, t.phase""",
    ),
    "actions": (
        ("id", "study_id", "title", "description", "organisation", "owner_role", "time_estimate", "cost_estimate",
         "status"), (),
        "SELECT {columns} FROM actions t WHERE t.study_id IN ({ids}) ORDER BY t.study_id, t.position, t.id",
    ),
    "action_links": (
        ("action_id", "kind", "target_id"), (),
        """SELECT {columns} FROM action_links t JOIN actions a ON a.id = t.action_id
           WHERE a.study_id IN ({ids}) ORDER BY a.study_id, a.position, t.action_id, t.kind, t.target_id""",
    ),
}


class DeliverablesPart(StoreBase):
    """Reading the deliverables of studies and adding those of a bundle, table by table."""

    def deliverable_rows(self, table: str, study_ids: list[str]) -> list[dict[str, Any]]:
        """The rows of ``table`` (a key of DELIVERABLE_TABLES) that belong to the studies, as dicts."""
        columns, json_columns, sql = DELIVERABLE_TABLES[table]
        query = sql.replace("{columns}", ", ".join(f"t.{c}" for c in columns))
        rows = self._rows_for(query, sorted(study_ids))
        for row in rows:
            for name in json_columns:
                row[name] = json.loads(row[name])
        return rows

    def add_deliverable_rows(self, table: str, rows: list[dict[str, Any]]) -> int:
        """Insert rows of ``table`` that are not here yet (a row whose key is here is left as it is: importing
        twice changes nothing); a new persona or action goes last in its study. Returns how many were added."""
        columns, json_columns, _ = DELIVERABLE_TABLES[table]
        positioned = table in ("personas", "actions")
        names = [*columns, "position"] if positioned else list(columns)
        sql = f"INSERT OR IGNORE INTO [{table}] ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})"
        added = 0
        with self.atomic():
            for row in rows:
                values = [json.dumps(row[c], ensure_ascii=False) if c in json_columns else row[c] for c in columns]
                if positioned:
                    values.append(self.conn.execute(
                        f"SELECT coalesce(max(position), 0) + 1 FROM [{table}] WHERE study_id = ?", [row["study_id"]]
                    ).fetchone()[0])
                added += self.conn.execute(sql, values).rowcount
        return added

    def persona_study(self, persona_id: str) -> str | None:
        row = self.conn.execute("SELECT study_id FROM personas WHERE id = ?", [persona_id]).fetchone()
        return row[0] if row else None

    def action_study(self, action_id: str) -> str | None:
        row = self.conn.execute("SELECT study_id FROM actions WHERE id = ?", [action_id]).fetchone()
        return row[0] if row else None

    def step_study(self, step_id: str) -> str | None:
        row = self.conn.execute(
            "SELECT i.study_id FROM steps s JOIN interviews i ON i.id = s.interview_id WHERE s.id = ?", [step_id]
        ).fetchone()
        return row[0] if row else None

    def theme_study(self, theme_id: str) -> str | None:
        row = self.conn.execute("SELECT study_id FROM themes WHERE id = ?", [theme_id]).fetchone()
        return row[0] if row else None
