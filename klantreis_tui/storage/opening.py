"""Opening a database file: checked, migrated and held (the presence lock), with the store's wording of a
damaged file; light (no models, no sqlite-utils unless a migration is due), so the first frame can use it."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from klantreis_tui.errors import StorageError
from klantreis_tui.storage.backup import list_backups
from klantreis_tui.storage.connection import EarlyCheck, connect, sqlite_reason
from klantreis_tui.storage.locking import hold_presence


def open_database(path: str, *, create: bool = True, presence: bool = True,
                  early_check: EarlyCheck | None = None) -> tuple[sqlite3.Connection, Any]:
    """The connection to the database at ``path`` and its presence lock (None without ``presence``);
    ``early_check``: its quick_check, begun earlier (see ``EarlyCheck``).

    Raises StorageError (worded by its reason) for a damaged, foreign or newer file; a damaged one names
    the latest backup.
    """
    try:
        conn = connect(path, create=create, early_check=early_check)
    except sqlite3.DatabaseError as exc:
        backups = list_backups(Path(path)) if path != ":memory:" else []
        if backups:
            when = backups[0].created.strftime("%Y-%m-%d %H:%M")
            raise StorageError(
                "db.damaged_backup", path=path, error=sqlite_reason(exc), backup=backups[0].path, when=when
            ) from None
        raise StorageError("db.damaged", path=path, error=sqlite_reason(exc)) from None
    return conn, hold_presence(path) if presence else None
