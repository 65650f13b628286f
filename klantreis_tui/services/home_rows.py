"""The home screen's rows for the UI: studies, a study's interviews, their step counts, who has what open.

Light on purpose (no models, no sqlite-utils, no other service part): the app draws its first frame from a
``HomeRows`` over the database's connection before the rest of the services is loaded; ``Services.home_rows``
gives the same over its store. Also the claim rules and the short id, which the home screen shows.
"""

from __future__ import annotations

import socket
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any, Protocol

from klantreis_tui.storage.home_rows import InterviewLine, StudyLine, claim_rows, interview_lines, step_counts, study_lines
from klantreis_tui.system import process_alive

__all__ = ["Busy", "HomeRows", "InterviewLine", "StudyLine", "expired", "short_id", "stale_claim"]

#: An open interview's claim is refreshed this often (seconds) and counts as gone after CLAIM_TIMEOUT.
CLAIM_REFRESH = 30
CLAIM_TIMEOUT = 120
#: how many characters of an id are shown as its short id (and typed back)
SHORT_ID = 8


class Retained(Protocol):
    retention_until: date | None


def short_id(full_id: str) -> str:
    """The first characters of an id: what a list of candidates shows and what may be typed back."""
    return full_id[:SHORT_ID]


def expired(study: Retained, today: date | None = None) -> bool:
    """Whether the study's retention date has passed."""
    return study.retention_until is not None and study.retention_until < (today or date.today())


@dataclass(frozen=True)
class Busy:
    """Another app instance has the interview open."""

    host: str
    pid: int
    since: datetime

    @classmethod
    def from_claim(cls, row: dict[str, Any]) -> "Busy":
        return cls(host=row["host"], pid=row["pid"], since=datetime.fromisoformat(row["heartbeat_at"]))


def stale_claim(row: dict[str, Any]) -> bool:
    """A claim whose instance is gone: its process ended (same machine), or it stopped refreshing."""
    age = (datetime.now(timezone.utc) - datetime.fromisoformat(row["heartbeat_at"])).total_seconds()
    if age > CLAIM_TIMEOUT:
        return True
    if row["host"] == socket.gethostname():
        # not os.kill(pid, 0): on Windows signal 0 is a Ctrl+C to the other window
        return process_alive(row["pid"]) is False
    return False


class HomeRows:
    """What the home screen lists, read over ``connection()`` (the database's one connection, on the event
    loop's thread: asked for each time, since the store opens it again after a refused write);
    ``instance_id``: this app instance, whose own claims are not "busy"."""

    def __init__(self, connection: Callable[[], sqlite3.Connection], instance_id: str) -> None:
        self.connection = connection
        self.instance_id = instance_id

    @property
    def conn(self) -> sqlite3.Connection:
        return self.connection()

    def studies(self) -> list[StudyLine]:
        return study_lines(self.conn)

    def interviews(self, study_id: str, limit: int | None = None) -> list[InterviewLine]:
        return interview_lines(self.conn, study_id, limit)

    def step_counts(self, interview_ids: list[str]) -> dict[str, int]:
        return step_counts(self.conn, interview_ids)

    def busy_interviews(self) -> dict[str, Busy]:
        """Interviews another live instance has open."""
        return {
            interview_id: Busy.from_claim(row)
            for interview_id, row in claim_rows(self.conn).items()
            if row["owner"] != self.instance_id and not stale_claim(row)
        }

    def data_version(self) -> int:
        return self.conn.execute("PRAGMA data_version").fetchone()[0]
