"""Rotating backups of a klantreis database (SQLite online backup API), and restoring one of them."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from klantreis_tui.errors import KlantreisError, StorageError
from klantreis_tui.storage.connection import _inspect, quick_check, sqlite_reason
from klantreis_tui.storage.locking import in_use_elsewhere, sole_user
from klantreis_tui.system import PRIVATE_FILE, PRIVATE_FOLDER

BACKUP_FOLDER = "backups"
BACKUP_SUFFIX = ".sqlite"
STAMP_FORMAT = "%Y%m%d-%H%M%S"
DEFAULT_KEEP = 10


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: datetime
    size: int


def backup_dir(db_path: Path) -> Path:
    """The folder that holds the backups of the databases in ``db_path``'s folder."""
    return Path(db_path).parent / BACKUP_FOLDER


def _name_pattern(db_path: Path) -> re.Pattern[str]:
    # exactly "<stem>-YYYYMMDD-HHMMSS[-n].sqlite": another database's backups in the same folder never match
    return re.compile(rf"^{re.escape(Path(db_path).stem)}-(\d{{8}}-\d{{6}})(?:-(\d+))?{re.escape(BACKUP_SUFFIX)}$")


def list_backups(db_path: Path) -> list[BackupInfo]:
    """The backups of this database, newest first (an unreadable or missing folder has none)."""
    pattern = _name_pattern(db_path)
    found: list[tuple[datetime, int, BackupInfo]] = []
    try:
        entries = list(os.scandir(backup_dir(db_path)))
    except OSError:
        return []
    for entry in entries:
        match = pattern.match(entry.name)
        if not match:
            continue
        try:
            created = datetime.strptime(match.group(1), STAMP_FORMAT)
            if not entry.is_file():
                continue
            size = entry.stat().st_size
        except (ValueError, OSError):
            continue
        number = int(match.group(2) or 0)
        found.append((created, number, BackupInfo(Path(entry.path), created, size)))
    found.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [info for _, _, info in found]


def latest_backup(db_path: Path) -> Path | None:
    backups = list_backups(db_path)
    return backups[0].path if backups else None


def _fsync_dir(folder: Path) -> None:
    # the rename is durable only once the folder entry is on disk; some file systems cannot do this
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _fsync_file(path: Path) -> None:
    # read-write: on Windows os.fsync (FlushFileBuffers) refuses a handle opened for reading only
    fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy_database(source: sqlite3.Connection, target: Path) -> None:
    """Copy ``source`` (a consistent snapshot of its committed data) into the empty file ``target``.

    The copy is a single self-contained file (rollback journal, no -wal), checked and fsynced.
    """
    dest = sqlite3.connect(target, isolation_level=None)
    try:
        source.backup(dest)
        dest.execute("PRAGMA journal_mode = DELETE")
        quick_check(dest)
    finally:
        dest.close()
    _fsync_file(target)


def _temp_file(folder: Path, prefix: str) -> Path:
    # mkstemp creates the file with mode 0600 before any data is in it
    fd, name = tempfile.mkstemp(dir=folder, prefix=prefix, suffix=".tmp")
    os.close(fd)
    return Path(name)


def _remove(path: Path | None) -> None:
    if path is None:
        return
    for leftover in (path, Path(f"{path}-journal"), Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            leftover.unlink()
        except OSError:
            pass


def _free_name(folder: Path, stem: str, stamp: str, suffix: str) -> Path:
    candidate = folder / f"{stem}-{stamp}{suffix}"
    number = 0
    while candidate.exists() or candidate.is_symlink():
        number += 1
        candidate = folder / f"{stem}-{stamp}-{number}{suffix}"
    return candidate


def _state_file(db_path: Path) -> Path:
    return backup_dir(db_path) / f".{db_path.name}.state"


def _file_state(db_path: Path) -> list[list[int]] | None:
    """What changes when a commit reaches the database: identity, size and modification time of the file and
    of its write-ahead log (an empty log, as every open creates one, counts as none). None: no file."""
    try:
        main = db_path.stat()
    except OSError:
        return None
    state = [[main.st_ino, main.st_size, main.st_mtime_ns]]
    try:
        wal = Path(f"{db_path}-wal").stat()
    except OSError:
        return state
    if wal.st_size:
        state.append([wal.st_ino, wal.st_size, wal.st_mtime_ns])
    return state


def _record_state(db_path: Path, backup: Path, state: list[list[int]] | None) -> None:
    try:
        fd = os.open(_state_file(db_path), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(json.dumps({"backup": backup.name, "state": state}))
    except OSError:
        pass  # then the next start makes a backup again: nothing is lost


def backup_is_current(db_path: Path) -> bool:
    """Whether the newest backup holds the database as it is now: nothing was committed since it was made
    (by this or any program) and it is still there. Then a start-up backup would only copy it again."""
    db_path = Path(db_path)
    try:
        recorded = json.loads(_state_file(db_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    newest = latest_backup(db_path)
    return (
        isinstance(recorded, dict)
        and newest is not None
        and recorded.get("backup") == newest.name
        and recorded.get("state") == _file_state(db_path)
    )


def make_backup(db_path: Path, keep: int = DEFAULT_KEEP, now: datetime | None = None) -> Path | None:
    """Copy the live database into ``backups/`` next to it and keep only its ``keep`` newest backups.

    Uses the SQLite online backup API, so the copy holds exactly the committed data even while another
    connection is writing. Returns the new backup's path, or None (nothing made) when the database does not
    exist or holds no tables. Raises StorageError when no sound backup could be written; the live database
    is only read.
    """
    if keep < 1:
        raise ValueError("keep must be at least 1")
    db_path = Path(db_path)
    if not db_path.is_file():
        return None
    folder = backup_dir(db_path)
    temp: Path | None = None
    state = _file_state(db_path)  # before the copy: a commit during it makes the next start copy again
    try:
        # a normal (not mode=ro) connection: read-only opening of a WAL database leaves -wal/-shm behind
        source = sqlite3.connect(db_path, isolation_level=None, timeout=10)
        try:
            source.execute("PRAGMA query_only = ON")
            if source.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0] == 0:
                return None
            folder.mkdir(mode=PRIVATE_FOLDER, exist_ok=True)  # Windows ignores the mode
            temp = _temp_file(folder, f".{db_path.stem}-")
            _copy_database(source, temp)
        finally:
            source.close()
        stamp = (now or datetime.now()).strftime(STAMP_FORMAT)
        final = _free_name(folder, db_path.stem, stamp, BACKUP_SUFFIX)
        os.replace(temp, final)
        temp = None
        _fsync_dir(folder)
    except (OSError, sqlite3.Error) as exc:
        _remove(temp)
        error = _reason(exc)
        raise StorageError("backup.failed", path=db_path, folder=folder, error=error) from None
    try:
        for old in list_backups(db_path)[keep:]:
            old.path.unlink()
    except OSError as exc:
        raise StorageError("backup.rotate_failed", backup=final, folder=folder, error=exc.strerror or exc) from None
    _record_state(db_path, final, state)
    return final


def _reason(exc: OSError | sqlite3.Error) -> str | KlantreisError:
    """Why a file operation failed, as the system words it (SQLite's words explained in the UI language)."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return sqlite_reason(exc)


def _check_backup(backup: Path, db_path: Path) -> None:
    """Refuse a backup that is damaged, foreign, from a newer version or empty; nothing is written to it."""
    try:
        conn = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        raise StorageError("backup.damaged", backup=backup, path=db_path, error=sqlite_reason(exc)) from None
    try:
        quick_check(conn)
        _inspect(conn, str(backup))
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except StorageError as exc:
        raise StorageError("backup.refused", backup=backup, path=db_path, reason=exc) from None
    except sqlite3.Error as exc:
        raise StorageError("backup.damaged", backup=backup, path=db_path, error=sqlite_reason(exc)) from None
    finally:
        conn.close()
    if "_sqlite_migrations" not in tables:
        raise StorageError("backup.empty", backup=backup, path=db_path)


def _sidecars(path: Path) -> list[tuple[Path, str]]:
    return [(path, ""), (Path(f"{path}-wal"), "-wal"), (Path(f"{path}-shm"), "-shm"), (Path(f"{path}-journal"), "-journal")]


def set_aside(db_path: Path) -> list[Path]:
    """The databases a restore moved aside (``<name>.before-restore-<stamp>``), oldest first."""
    db_path = Path(db_path)
    try:
        return sorted(
            p for p in db_path.parent.glob(f"{db_path.name}.before-restore-*")
            if p.is_file() and not p.name.endswith(("-wal", "-shm", "-journal"))
        )
    except OSError:
        return []


def check_restore(db_path: Path, backup: Path) -> None:
    """Everything ``restore`` checks before it changes anything (StorageError with the message)."""
    db_path = Path(db_path)
    backup = Path(backup)
    if not backup.is_file():
        raise StorageError("backup.missing", backup=backup, path=db_path)
    try:
        same = db_path.exists() and os.path.samefile(db_path, backup)
    except OSError:
        same = False
    if same:
        raise StorageError("backup.same", backup=backup, path=db_path)
    if in_use_elsewhere(db_path):
        # a running app would go on writing into the file moved aside: answers shown as saved, but lost
        raise StorageError("backup.in_use", path=db_path)
    _check_backup(backup, db_path)


def restore(db_path: Path, backup: Path, now: datetime | None = None) -> Path | None:
    """Put ``backup`` in place of the database at ``db_path``; run it only while klantreis is not running.

    The backup is checked first (damaged, foreign, newer or empty: StorageError, nothing changed). The current
    database and its -wal/-shm files are moved aside, never deleted, to ``<name>.before-restore-<stamp>``
    (and ``...-wal``/``...-shm``, so that the old file opens with its journal); that path is returned, or None
    when there was no database to move aside.
    """
    db_path = Path(db_path)
    backup = Path(backup)
    check_restore(db_path, backup)
    with sole_user(db_path) as alone:
        if not alone:  # a klantreis started between the check and now
            raise StorageError("backup.in_use", path=db_path)
        return _put_in_place(db_path, backup, now)


def _put_in_place(db_path: Path, backup: Path, now: datetime | None) -> Path | None:
    """Replace the database by a copy of ``backup``, the current files moved aside (see ``restore``)."""
    folder = db_path.parent
    temp: Path | None = None
    moved: list[tuple[Path, Path]] = []
    aside: Path | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temp = _temp_file(folder, f".{db_path.name}.restore-")
        source = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
        try:
            # the backup API, not a byte copy: a backup in WAL mode brings its -wal content along
            _copy_database(source, temp)
        finally:
            source.close()
        present = [(path, suffix) for path, suffix in _sidecars(db_path) if path.exists() or path.is_symlink()]
        if present:
            stamp = (now or datetime.now()).strftime(STAMP_FORMAT)
            aside = _free_aside(db_path, stamp)
            for path, suffix in present:
                target = Path(f"{aside}{suffix}")
                os.replace(path, target)
                moved.append((path, target))
        os.replace(temp, db_path)
        temp = None
        _fsync_dir(folder)
    except (OSError, sqlite3.Error) as exc:
        _remove(temp)
        error = _reason(exc)
        restored_all = True
        for original, target in reversed(moved):
            try:
                os.replace(target, original)
            except OSError:
                restored_all = False
        if restored_all:
            raise StorageError("backup.restore_failed", backup=backup, path=db_path, error=error) from None
        raise StorageError(
            "backup.restore_failed_aside", backup=backup, path=db_path, error=error, aside=aside
        ) from None
    return aside


def _free_aside(db_path: Path, stamp: str) -> Path:
    base = f"{db_path.name}.before-restore-{stamp}"
    number = 0
    while True:
        candidate = db_path.with_name(base if number == 0 else f"{base}-{number}")
        if not any(path.exists() or path.is_symlink() for path, _ in _sidecars(candidate)):
            return candidate
        number += 1
