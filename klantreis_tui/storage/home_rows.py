"""The home screen's rows in plain sqlite3: studies with their counts, a study's interviews, step counts.

Light on purpose (no models, no sqlite-utils): the first frame is drawn from these before the rest of the
app is loaded. The full records (``records.py``) stay the API for everything else.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from klantreis_tui.models.status import InterviewStatus
from klantreis_tui.storage.base import StoreBase


#: the stored status of an interview still going on (listed first)
UNFINISHED = InterviewStatus.bezig.value


@dataclass(frozen=True)
class StudyLine:
    """A study as the home screen lists it."""

    id: str
    title: str
    interview_count: int
    retention_until: date | None


class InterviewLine(NamedTuple):
    """An interview as the home screen lists it: a tuple as read, made quickly for a study of 10,000 (its
    start time is parsed and its step count read for the rows shown only)."""

    id: str
    respondent_id: str
    respondent_code: str
    question_set_id: str
    question_set_version: str
    status: str
    started: str

    @property
    def started_at(self) -> datetime:
        return datetime.fromisoformat(self.started)

    @property
    def unfinished(self) -> bool:
        return self.status == UNFINISHED


def study_lines(conn: sqlite3.Connection) -> list[StudyLine]:
    """Every study, newest first (the order of ``list_studies``)."""
    rows = conn.execute(
        "SELECT s.id, s.title, (SELECT count(*) FROM interviews i WHERE i.study_id = s.id), s.retention_until "
        "FROM studies s ORDER BY s.created_at DESC, s.title"
    ).fetchall()
    return [StudyLine(i, title, count, date.fromisoformat(until) if until else None) for i, title, count, until in rows]


def interview_lines(conn: sqlite3.Connection, study_id: str, limit: int | None = None) -> list[InterviewLine]:
    """The study's interviews, unfinished first, then newest first (the order of ``list_interviews``); the
    first ``limit`` of them when given."""
    rows = conn.execute(
        "SELECT i.id, i.respondent_id, r.code, i.question_set_id, i.question_set_version, i.status, i.started_at "
        "FROM interviews i JOIN respondents r ON r.id = i.respondent_id WHERE i.study_id = ? "
        "ORDER BY i.status != ?, i.started_at DESC, i.id LIMIT ?",
        [study_id, UNFINISHED, -1 if limit is None else limit],
    ).fetchall()
    return list(map(InterviewLine._make, rows))


def step_counts(conn: sqlite3.Connection, interview_ids: list[str]) -> dict[str, int]:
    """How many steps each of these interviews has (absent: none)."""
    counts: dict[str, int] = {}
    sql = "SELECT interview_id, count(*) FROM steps WHERE interview_id IN ({ids}) GROUP BY interview_id"
    for query, chunk in StoreBase._chunked(sql, interview_ids):
        counts.update(conn.execute(query, chunk).fetchall())
    return counts


def claim_rows(conn: sqlite3.Connection) -> dict[str, dict[str, Any]]:
    """Every open-interview claim by interview id (as ``ClaimsPart.claims``)."""
    cursor = conn.execute("SELECT * FROM interview_claims")
    names = [column[0] for column in cursor.description]
    return {row["interview_id"]: row for row in (dict(zip(names, values)) for values in cursor)}
