"""Journey steps in the store: read, insert at a position, change, move and delete, one transaction each."""

from __future__ import annotations

import json
from typing import Any

from klantreis_tui.models import steps as step_fields
from klantreis_tui.models.records import Step
from klantreis_tui.storage.base import StoreBase, _dumps


_NAMES = frozenset(step_fields.NAMES)
_LISTS = frozenset(step_fields.LIST_NAMES)
_FLAGS = frozenset(step_fields.FLAG_NAMES)
_UPDATES: dict[tuple[str, ...], str] = {}


def _column(name: str, value: Any) -> Any:
    """A step's value as its column holds it (lists as JSON, flags as 0 or 1, the rest as it is)."""
    if name in _LISTS:
        return _dumps(value)
    return int(value) if name in _FLAGS else value


def _update_sql(names: tuple[str, ...]) -> str:
    """The UPDATE of these step fields, made once for each set of fields (the answers of a question set
    change one or two): the same text each time, so sqlite3 reuses its prepared statement."""
    sql = _UPDATES.get(names)
    if sql is None:
        sql = _UPDATES[names] = f"UPDATE steps SET {', '.join(f'{name} = ?' for name in names)} WHERE id = ?"
    return sql


class StepsPart(StoreBase):
    """The steps of interviews (a part of ``Store``); their columns are the fields of ``models.steps``."""

    def step_values(self, study_id: str, field: str) -> list[str]:
        """The distinct values of a list or text step field used in a study, most used first."""
        if field in ("instances", "channels"):
            sql = f"""
                SELECT j.value AS v, count(*) AS n FROM steps s JOIN interviews i ON i.id = s.interview_id,
                json_each(s.{field}) j WHERE i.study_id = ? GROUP BY v ORDER BY n DESC, v"""
        elif field == "phase":
            sql = """
                SELECT s.phase AS v, count(*) AS n FROM steps s JOIN interviews i ON i.id = s.interview_id
                WHERE i.study_id = ? AND s.phase != '' GROUP BY v ORDER BY n DESC, v"""
        else:
            raise ValueError(field)
        return [row[0] for row in self.conn.execute(sql, [study_id]).fetchall()]

    def step_value_counts(self, study_id: str, field: str) -> list[tuple[str, int]]:
        """The names of a list step field (instances, channels) used in a study, with how many steps name each."""
        if field not in ("instances", "channels"):
            raise ValueError(field)
        sql = f"""
            SELECT j.value AS v, count(*) AS n FROM steps s JOIN interviews i ON i.id = s.interview_id,
            json_each(s.{field}) j WHERE i.study_id = ? GROUP BY v ORDER BY n DESC, v"""
        return [(row[0], row[1]) for row in self.db.execute(sql, [study_id]).fetchall()]

    def held_steps(self, study_id: str) -> list[tuple[str, str, str, str | None, str | None, str | None]]:
        """(interview id, started at, respondent code, step id, its organisations as JSON, its pain point) of
        the study's completed interviews with consent to take part, one row a step (an interview without
        steps: one row without a step), in one query: what saturation reads."""
        sql = """
            SELECT i.id, i.started_at, r.code, s.id, s.instances, s.pain_point
            FROM interviews i JOIN respondents r ON r.id = i.respondent_id
            LEFT JOIN steps s ON s.interview_id = i.id
            WHERE i.study_id = ? AND i.status = 'afgerond' AND NOT EXISTS (
                SELECT 1 FROM consents c WHERE c.interview_id = i.id AND c.item = 'participation' AND c.granted = 0)
            ORDER BY i.started_at, r.code, i.id, s.position"""
        return [tuple(row) for row in self.conn.execute(sql, [study_id]).fetchall()]  # type: ignore[misc]

    # --- steps -------------------------------------------------------------------------

    def steps_of(self, interview_id: str) -> list[Step]:
        rows = self._rows("SELECT * FROM steps WHERE interview_id = ? ORDER BY position", [interview_id])
        return [self._step(r) for r in rows]

    def has_step(self, step_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM steps WHERE id = ?", [step_id]).fetchone() is not None

    def steps_here(self, step_ids: list[str]) -> set[str]:
        """Those of ``step_ids`` that are the ids of steps here (a few queries for many)."""
        return {row["id"] for row in self._rows_for("SELECT id FROM steps WHERE id IN ({ids})", step_ids)}

    def get_step(self, step_id: str) -> Step:
        rows = self._rows("SELECT * FROM steps WHERE id = ?", [step_id])
        if not rows:
            raise KeyError(step_id)
        return self._step(rows[0])

    @staticmethod
    def _step(row: dict[str, Any]) -> Step:
        data = dict(row)
        for name in step_fields.LIST_NAMES:
            data[name] = json.loads(data[name])
        for name in step_fields.FLAG_NAMES:
            data[name] = bool(data[name])
        return Step.model_validate(data)

    @staticmethod
    def _step_row(step: Step) -> dict[str, Any]:
        row = dict(step.__dict__)  # its fields (a flat record: what model_dump gives, without the copies)
        for name in step_fields.LIST_NAMES:
            row[name] = _dumps(row[name])
        for name in step_fields.FLAG_NAMES:
            row[name] = int(row[name])
        return row

    def insert_step(self, interview_id: str, position: int | None = None, **fields: Any) -> Step:
        """Insert a step at ``position`` (1-based; default: at the end), shifting later steps down."""
        with self.atomic():
            count = self.conn.execute("SELECT count(*) FROM steps WHERE interview_id = ?", [interview_id]).fetchone()[0]
            position = count + 1 if position is None else max(1, min(position, count + 1))
            self._shift(interview_id, position, count, +1)
            step = Step(interview_id=interview_id, position=position, **fields)
            self._insert_many("steps", [self._step_row(step)])
        return step

    def _shift(self, interview_id: str, start: int, end: int, delta: int) -> None:
        """Move positions start..end by delta, in an order that never collides."""
        if start > end:
            return
        self.conn.execute(
            "UPDATE steps SET position = -(position + ?) WHERE interview_id = ? AND position BETWEEN ? AND ?",
            [delta, interview_id, start, end],
        )
        self.conn.execute("UPDATE steps SET position = -position WHERE interview_id = ? AND position < 0", [interview_id])

    def update_step(self, step_id: str, known: Step | None = None, **fields: Any) -> Step:
        """Change some fields of a step; the result is validated before it is written.

        Only content fields; position and ownership change through insert, move and delete. ``known``: the
        step as the caller holds it (as it is stored), so that it is not read again.
        """
        unknown = fields.keys() - _NAMES
        if unknown:
            raise ValueError(f"not a step content field: {', '.join(sorted(unknown))}")
        if not fields:
            return self.get_step(step_id)
        with self.atomic():
            current = known if known is not None and known.id == step_id else self.get_step(step_id)
            step = current.model_copy()
            for name, value in fields.items():
                setattr(step, name, value)  # validated as it is assigned: only the changed fields need checking
            values = [_column(name, getattr(step, name)) for name in fields]
            self.conn.execute(_update_sql(tuple(fields)), [*values, step_id])
        return step

    def delete_step(self, step_id: str) -> None:
        with self.atomic():
            step = self.get_step(step_id)
            self.conn.execute("DELETE FROM steps WHERE id = ?", [step_id])
            count = self.conn.execute("SELECT count(*) FROM steps WHERE interview_id = ?", [step.interview_id]).fetchone()[0]
            self._shift(step.interview_id, step.position + 1, count + 1, -1)

    def move_step(self, step_id: str, new_position: int) -> Step:
        with self.atomic():
            step = self.get_step(step_id)
            count = self.conn.execute("SELECT count(*) FROM steps WHERE interview_id = ?", [step.interview_id]).fetchone()[0]
            new_position = max(1, min(new_position, count))
            if new_position == step.position:
                return step
            self.conn.execute("UPDATE steps SET position = 0 WHERE id = ?", [step_id])
            if new_position < step.position:
                self._shift(step.interview_id, new_position, step.position - 1, +1)
            else:
                self._shift(step.interview_id, step.position + 1, new_position, -1)
            self.conn.execute("UPDATE steps SET position = ? WHERE id = ?", [new_position, step_id])
        return self.get_step(step_id)
