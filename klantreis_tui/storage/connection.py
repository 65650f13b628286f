"""The SQLite connection: open with klantreis's pragmas, inspect a file first, SQLite's reasons.

The store and the backups both build on it, so neither imports the other's internals; the presence lock is
``locking.py``.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from klantreis_tui.errors import KlantreisError, StorageError
from klantreis_tui.system import PRIVATE_FILE
from klantreis_tui.storage.schema import MIGRATION_SET, SCHEMA_VERSION, known_migrations, migrations

_SQLITE_REASONS = {
    "database or disk is full": "sqlite.full",
    "attempt to write a readonly database": "sqlite.readonly",
    "file is not a database": "sqlite.not_a_database",
    "database disk image is malformed": "sqlite.malformed",
    "disk i/o error": "sqlite.io",
    "unable to open database file": "sqlite.cannot_open",
    "database is locked": "sqlite.locked",
    "constraint failed": "sqlite.constraint",
}


class SqliteProblem(KlantreisError):
    """SQLite's (English) error by reason; shown in the UI language, its own words kept after it."""

    def __str__(self) -> str:
        worded = super().__str__()
        return self.message if worded == self.message else f"{worded} [{self.message}]"


class DamagedFile(KlantreisError, sqlite3.DatabaseError):
    """Damage that SQLite itself does not report (a truncated file, failed checks): caught as SQLite's own."""


def sqlite_reason(exc: BaseException) -> KlantreisError:
    """Why SQLite refused, by reason (``sqlite.full``, ...); worded where shown, SQLite's own words kept after it."""
    raw = str(exc)
    for fragment, key in _SQLITE_REASONS.items():
        if fragment in raw.lower():
            return SqliteProblem(key, raw)
    # our own finding (DamagedFile) stays worded where it is shown
    return exc if isinstance(exc, KlantreisError) else SqliteProblem("sqlite.other", raw)


def quick_check(conn: sqlite3.Connection) -> None:
    """PRAGMA quick_check; DamagedFile with the first problems it finds."""
    problems = [row[0] for row in conn.execute("PRAGMA quick_check(5)")]
    if problems != ["ok"]:
        raise DamagedFile("db.check_failed", problems="; ".join(problems)[:300])


#: a file up to this size gets a full PRAGMA quick_check when it is opened (see ``_inspect``)
QUICK_CHECK_LIMIT = 16 * 2**20


class EarlyCheck:
    """The PRAGMA quick_check of a file, begun on a thread of its own before the app's modules are imported:
    SQLite checks without holding Python's lock, so the check (15 ms at 1,000 interviews) runs on the other
    core while the interpreter imports. ``connect`` asks for its verdict where it would otherwise check:
    a sound verdict stands; any other (damage found, or the file could not be read that way) is left to the
    check on the connection, as without it, so a damaged file is refused at the same point and in the same
    words. Only for a file whose write-ahead log is absent or empty (it holds nothing the file does not; a
    log that holds commits is read by the connection's own check): read as immutable, so that nothing is
    created beside it and no lock is taken."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.sound = False  # the check found nothing
        self._state = self._now()
        self._thread = threading.Thread(target=self._run, name="klantreis-early-check", daemon=True)
        self._thread.start()

    @classmethod
    def start(cls, path: Path) -> "EarlyCheck | None":
        """The check of the file at ``path``, begun; None where ``connect`` would not run one (no file yet,
        an empty one, or one larger than the limit) or where its write-ahead log holds anything."""
        try:
            size = path.stat().st_size
            wal = Path(f"{path}-wal")
            if wal.exists() and wal.stat().st_size > 0:
                return None
        except OSError:
            return None
        return cls(path) if 0 < size <= QUICK_CHECK_LIMIT else None

    def _now(self) -> tuple[Any, ...]:
        """What a write by another window changes: the file's size and time, and those of its log and its
        journal where they hold anything (opening the file makes an empty log: that changes nothing)."""
        state: list[Any] = []
        for name in (str(self.path), f"{self.path}-wal", f"{self.path}-journal"):
            try:
                info = os.stat(name)
            except OSError:
                state.append(None)
                continue
            state.append((info.st_size, info.st_mtime_ns) if info.st_size or name == str(self.path) else None)
        return tuple(state)

    def _run(self) -> None:
        try:
            # (absolute, not resolved: a mapped network drive would become a UNC name, which SQLite's URIs refuse)
            conn = sqlite3.connect(f"{self.path.absolute().as_uri()}?mode=ro&immutable=1", uri=True)
            try:
                self.sound = [row[0] for row in conn.execute("PRAGMA quick_check(5)")] == ["ok"]
            finally:
                conn.close()
        except (sqlite3.Error, OSError, ValueError):
            return  # damaged, or not readable from here: the connection's own check says which

    def wait(self) -> bool:
        """Whether the file was found sound (after the check has ended) and is still as it was checked."""
        self._thread.join()
        return self.sound and self._now() == self._state

    def __call__(self, conn: sqlite3.Connection) -> None:
        """Raises what quick_check on ``conn`` would; checks on ``conn`` unless the file was found sound."""
        if not self.wait():
            quick_check(conn)


def _inspect(conn: sqlite3.Connection, path: str,
             deep_check: Callable[[sqlite3.Connection], None] = quick_check) -> list[str]:
    """Refuse, before anything is written, a file that is damaged, foreign or from a newer version; return the
    names of the migrations applied to it.

    Damage raises sqlite3.DatabaseError (DamagedFile for what SQLite does not see); foreign and newer raise StorageError.
    A file up to ``QUICK_CHECK_LIMIT`` bytes gets a full PRAGMA quick_check, ``deep_check`` (about 15 ms for 14 MiB, 1,000
    interviews; 150-250 ms warm and ~3 s cold for 143 MiB, 10,000 interviews). A larger file only gets the cheap
    checks: size against the header's page count, the schema, and the first and last row of every table;
    damage deeper inside it shows on the first query that reads it.
    """
    user_version = conn.execute("PRAGMA user_version").fetchone()[0]
    schema = conn.execute("SELECT type, name, rootpage, sql FROM sqlite_master").fetchall()
    tables = {row[1] for row in schema if row[0] == "table"}
    if path != ":memory:":
        size = Path(path).stat().st_size
        wal = Path(f"{path}-wal")
        wal_empty = not wal.exists() or wal.stat().st_size == 0
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        page_count = conn.execute("PRAGMA page_count").fetchone()[0]
        if size > 0 and page_count == 0:
            # sqlite treats a 1-byte file as a new, empty database and would write over it
            raise DamagedFile("db.no_database")
        if wal_empty and page_count * page_size > size:
            raise DamagedFile("db.truncated", size=size, expected=page_count * page_size)
        if size <= QUICK_CHECK_LIMIT:
            deep_check(conn)
        else:
            for kind, name, rootpage, sql in schema:
                if kind == "table" and rootpage:
                    conn.execute(f"SELECT * FROM [{name}] LIMIT 1").fetchall()
                    if "WITHOUT ROWID" not in (sql or "").upper():
                        conn.execute(f"SELECT * FROM [{name}] ORDER BY rowid DESC LIMIT 1").fetchall()
    applied: list[str] = []
    if "_sqlite_migrations" in tables:
        applied = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid", [MIGRATION_SET]
            )
        ]
    unknown = [name for name in applied if name not in known_migrations()]
    if user_version > SCHEMA_VERSION or unknown:
        found = max(user_version, len(applied))
        raise StorageError("db.newer", path=path, found=found, known=SCHEMA_VERSION)
    if not applied and tables - {"_sqlite_migrations"}:
        # tables, but none of our migrations: another program's database (even if a name matches ours)
        raise StorageError("db.foreign", path=path, tables=", ".join(sorted(tables)))
    return applied


def connect(path: str, *, create: bool = True, early_check: EarlyCheck | None = None) -> sqlite3.Connection:
    """Open (and if needed create and migrate) the database at ``path``, checked before anything is written
    (``early_check``: the file's quick_check begun earlier, whose verdict is taken instead of checking).

    Raises StorageError for a missing (without ``create``), foreign, newer or unwritable file, and
    sqlite3.DatabaseError for a damaged one (the store words that, naming the latest backup).
    """
    if path != ":memory:":
        file = Path(path)
        if not file.exists():
            if not create:
                raise StorageError("cli.db_info.missing", path=path)
            try:
                file.parent.mkdir(parents=True, exist_ok=True)
                # interview data: readable by this user only (SQLite gives -wal/-shm the same mode); Windows
                # has no mode bits and ignores them: there the profile folder's access rights protect the file
                os.close(os.open(file, os.O_CREAT | os.O_WRONLY, PRIVATE_FILE))
            except OSError as exc:
                raise StorageError("db.unwritable", path=path, error=exc.strerror or exc) from None
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=10)
    except sqlite3.Error as exc:
        raise StorageError("db.unwritable", path=path, error=sqlite_reason(exc)) from None
    try:
        applied = _inspect(conn, path, deep_check=early_check or quick_check)
        conn.execute("PRAGMA busy_timeout = 10000")
        conn.execute("PRAGMA foreign_keys = ON")
        if path != ":memory:":
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        # deleted content is overwritten in the file, whatever SQLite's compile-time default
        conn.execute("PRAGMA secure_delete = ON")
        if set(known_migrations()) - set(applied):  # sqlite-utils is loaded only when there is work for it
            from sqlite_utils import Database

            db = Database(conn, execute_plugins=False)
            if migrations.pending(db):
                migrations.apply(db)
        if conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except StorageError:
        conn.close()
        raise
    except OSError as exc:
        conn.close()
        raise StorageError("db.unwritable", path=path, error=exc.strerror or exc) from None
    except sqlite3.DatabaseError as exc:
        conn.close()
        if any(word in str(exc) for word in ("readonly", "unable to open", "database is locked")):
            raise StorageError("db.unwritable", path=path, error=sqlite_reason(exc)) from None
        raise
    return conn
