"""The SQLite store: the only code that knows table names and SQL, with ``Store`` as its one API.

``Store`` is composed of its parts (records, steps, privacy, claims: sibling modules on ``base.StoreBase``);
opening and checking a file is ``opening.py`` and ``connection.py``.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from klantreis_tui.errors import SaveFailed, StorageError
from klantreis_tui.models import steps as step_fields
from klantreis_tui.storage.actions import ActionsPart
from klantreis_tui.storage.claims import ClaimsPart
from klantreis_tui.storage.connection import _inspect, sqlite_reason
from klantreis_tui.storage.locking import hold_presence, in_use_elsewhere, presence_path
from klantreis_tui.storage.opening import open_database
from klantreis_tui.storage.practice import PracticePart
from klantreis_tui.storage.names import NamesPart
from klantreis_tui.storage.deliverables import DeliverablesPart
from klantreis_tui.storage.personas import PersonasPart
from klantreis_tui.storage.privacy import PrivacyPart
from klantreis_tui.storage.records import InterviewRow, RecordsPart, StudyRow
from klantreis_tui.storage.schema import SCHEMA_VERSION, migrations
from klantreis_tui.storage.steps import StepsPart
from klantreis_tui.storage.themes import ThemesPart

# imported from here by other code
__all__ = [
    "SCHEMA_VERSION", "InterviewRow", "SaveFailed", "StorageError", "Store", "StudyRow", "_inspect",
    "hold_presence", "in_use_elsewhere", "presence_path", "sqlite_reason",
]

TABLES = ("studies", "respondents", "interviews", "consents", "answers", "steps")
JSON_STEP_FIELDS = step_fields.LIST_NAMES
STEP_COLUMNS = step_fields.NAMES


class Store(
    RecordsPart, StepsPart, PrivacyPart, ClaimsPart, PracticePart, NamesPart, ThemesPart, ActionsPart, PersonasPart,
    DeliverablesPart,
):
    """A klantreis database. Every public write is one transaction, committed before it returns."""

    # --- opening -------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, create: bool = True, presence: bool = True) -> "Store":
        """Open (and if needed create and migrate) the database at ``path``.

        Raises StorageError (worded by its reason) for a damaged, foreign or newer file. ``presence``:
        hold the shared lock that tells a restore that klantreis has this database open.
        """
        path = str(path)
        conn, presence_lock = open_database(path, create=create, presence=presence)
        return cls.over(conn, path, presence_lock)

    @classmethod
    def over(cls, conn: sqlite3.Connection, path: str, presence_lock: Any = None) -> "Store":
        """The store over a connection that ``opening.open_database`` made (and its presence lock)."""
        store = cls(conn, path)
        store._presence = presence_lock
        return store

    def close(self) -> None:
        self.conn.close()
        if self._presence is not None:
            self._presence.close()

    def size(self) -> int:
        """The database file's size in bytes (0 in memory)."""
        return 0 if self.path == ":memory:" else Path(self.path).stat().st_size

    def data_version(self) -> int:
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def change_mark(self) -> tuple[int, int, int]:
        """Differs after every change to the database, this connection's or another's: (connections opened
        again, PRAGMA data_version for the commits of other connections, the rows this connection wrote).
        A rolled-back write changes it too: a cache keyed on it is computed again, never kept when stale."""
        return self.reopened, self.data_version(), self.conn.total_changes

    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def applied_migrations(self) -> list[str]:
        return [m.name for m in migrations.applied(self.db)]

    def counts(self) -> dict[str, int]:
        return {name: self.conn.execute(f"SELECT count(*) FROM [{name}]").fetchone()[0] for name in TABLES}

    # --- added for the services package (house refactor C1) ---------------------------------------

    def in_transaction(self) -> bool:
        """Whether a transaction is open on this connection (a caller's ``atomic`` block not yet committed)."""
        return self.conn.in_transaction

    def single_file(self) -> None:
        """Leave write-ahead logging: the database stays one file, no -wal/-shm (a backup copy)."""
        self.conn.execute("PRAGMA journal_mode = DELETE")
