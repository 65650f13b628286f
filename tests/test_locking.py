"""The presence lock through its interface (storage/locking.py), across two real processes, on every platform."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from klantreis_tui.models.records import Study
from klantreis_tui.storage import StorageError, Store
from klantreis_tui.storage.backup import make_backup, restore
from klantreis_tui.storage.locking import hold_presence, in_use_elsewhere, presence_path, sole_user

ROOT = Path(__file__).resolve().parent.parent

#: a second klantreis: opens the store (taking the presence lock), says so, and keeps it open until stdin closes
HOLDER = """
import sys
from klantreis_tui.storage import Store
store = Store.open(sys.argv[1])
print("open", flush=True)
sys.stdin.read()
store.close()
print("closed", flush=True)
"""


@contextmanager
def other_process(db: Path) -> Iterator[subprocess.Popen]:
    """Another process with ``db`` open through klantreis, for the length of the block."""
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        cwd=ROOT, encoding="utf-8",
    )
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "open"
        yield child
    finally:
        out, _ = child.communicate("", timeout=60)
    assert out.strip() == "closed"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "Gedeelde map Ömer" / "klantreis.db"
    store = Store.open(path)
    store.add_study(Study(title="Schulden"))
    store.close()
    return path


def test_a_second_process_sees_the_database_in_use(db: Path):
    assert not in_use_elsewhere(db)
    with other_process(db):
        assert in_use_elsewhere(db)
    assert not in_use_elsewhere(db)  # the lock went with the process


def test_two_open_instances_both_hold_the_shared_lock(db: Path):
    """Two windows on one database is allowed (claims keep their interviews apart): shared locks do not clash."""
    with other_process(db):
        mine = hold_presence(str(db))
        assert mine is not None and mine.held
        mine.close()
        assert not mine.held
        assert in_use_elsewhere(db)


def test_the_restore_guard_refuses_while_another_process_has_it_open(db: Path, tmp_path: Path):
    backup = make_backup(db)
    before = db.read_bytes()
    with other_process(db):
        with pytest.raises(StorageError) as refused:
            restore(db, backup)
        assert refused.value.reason == "backup.in_use"
        assert db.read_bytes() == before
        assert not list(db.parent.glob("*.before-restore-*"))
    assert restore(db, backup) is not None  # closed there: now it is allowed


def test_cli_restore_refuses_while_the_app_has_it_open(db: Path, tmp_path: Path):
    backup = make_backup(db)
    environment = {k: v for k, v in os.environ.items() if not k.startswith("KLANTREIS_")}
    environment.update(HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data"), KLANTREIS_LANG="en")
    with other_process(db):
        result = subprocess.run(
            [sys.executable, "-m", "klantreis_tui", "--db", str(db), "restore", str(backup), "--yes"],
            capture_output=True, text=True, encoding="utf-8", env=environment, cwd=ROOT, timeout=60,
        )
    assert result.returncode == 1
    assert "open in another window" in result.stderr


def test_while_a_restore_runs_a_starting_klantreis_gets_no_presence(db: Path):
    """The restore holds the lock exclusively: the guard is not raced by a klantreis that starts meanwhile."""
    Store.open(db).close()  # leaves the marker file, as every opened database has
    with sole_user(db) as alone:
        assert alone
        assert hold_presence(str(db)) is None
    again = hold_presence(str(db))
    assert again is not None
    again.close()


def test_no_lock_in_memory_and_no_marker_made_by_checking(tmp_path: Path):
    assert hold_presence(":memory:") is None
    assert not in_use_elsewhere(tmp_path / "nie-geopend.db")
    assert not presence_path(tmp_path / "nie-geopend.db").exists()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes; on Windows the folder protects it (test_system.py)")
def test_the_marker_file_is_private_on_posix(db: Path):
    assert presence_path(db).stat().st_mode & 0o777 == 0o600



def test_a_lock_taken_through_portalocker_and_one_through_fcntl_exclude_each_other(db: Path, monkeypatch):
    """Linux and macOS lock with fcntl.flock directly, other platforms through portalocker: the two are the
    same lock (an older klantreis, which always went through portalocker, and this one see each other). On
    Windows both sides are portalocker."""
    from klantreis_tui.storage import locking

    shared = hold_presence(str(db))  # fcntl
    assert shared is not None and shared.held
    monkeypatch.setattr(locking, "_flock", lambda: None)  # as on Windows: portalocker
    assert in_use_elsewhere(db)  # its exclusive lock is refused while the shared one is held
    also_shared = hold_presence(str(db))
    assert also_shared is not None
    shared.close()
    assert in_use_elsewhere(db)  # portalocker's shared lock, seen through portalocker
    monkeypatch.undo()
    assert in_use_elsewhere(db)  # and through fcntl
    also_shared.close()
    assert not in_use_elsewhere(db)
