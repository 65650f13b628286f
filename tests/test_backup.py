"""Backups (storage/backup.py): consistent copies of a live database, rotation, and restoring with checks."""

from __future__ import annotations

import errno
import hashlib
import os
import sqlite3
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from klantreis_tui import i18n
from klantreis_tui.models.records import Respondent, Study
from klantreis_tui.storage import SCHEMA_VERSION, StorageError, Store
from klantreis_tui.storage import backup as backup_module
from klantreis_tui.storage.backup import backup_dir, latest_backup, list_backups, make_backup, restore

T0 = datetime(2024, 3, 5, 9, 30, 0)


@pytest.fixture(autouse=True)
def dutch(monkeypatch):
    monkeypatch.setattr(i18n, "_current", "nl")


def snapshot(folder: Path) -> dict[str, str]:
    """Every file directly in ``folder`` by name with the hash of its bytes (-wal/-shm included)."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def titles(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return sorted(row[0] for row in conn.execute("SELECT title FROM studies"))
    finally:
        conn.close()


def make_db(path: Path, *study_titles: str) -> Path:
    store = Store.open(path)
    for title in study_titles:
        study = store.add_study(Study(title=title))
        store.add_respondent(Respondent(study_id=study.id, code="R01"))
    store.close()
    return path


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return make_db(tmp_path / "k.db", "Schulden")


# --- making a backup -----------------------------------------------------------------------------


def test_backup_holds_exactly_the_committed_data(tmp_path: Path, db: Path):
    """Another connection has committed one change and holds another uncommitted: only the first is copied."""
    writer = Store.open(db)
    writer.add_study(Study(title="Toeslagen"))  # committed, still in the -wal
    assert Path(f"{db}-wal").stat().st_size > 0
    writer.db.conn.execute("BEGIN IMMEDIATE")
    writer.db.conn.execute(
        "INSERT INTO studies (id, title, created_at) VALUES ('x', 'Niet vastgelegd', '2024-01-01T00:00:00+00:00')"
    )
    try:
        made = make_backup(db, now=T0)
    finally:
        writer.db.conn.execute("ROLLBACK")
        writer.close()

    assert made == backup_dir(db) / "k-20240305-093000.sqlite"
    assert titles(made) == ["Schulden", "Toeslagen"]
    assert titles(db) == ["Schulden", "Toeslagen"]
    conn = sqlite3.connect(made)
    assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one self-contained file
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()
    if sys.platform != "win32":  # POSIX modes; Windows has none (the profile folder protects the files there)
        assert made.stat().st_mode & 0o777 == 0o600
        assert backup_dir(db).stat().st_mode & 0o777 == 0o700
    # the backup, and what the database was like when it was made (so that an unchanged one is not copied again)
    assert sorted(p.name for p in backup_dir(db).iterdir()) == [".k.db.state", "k-20240305-093000.sqlite"]


def test_backup_is_a_klantreis_database_that_opens(db: Path):
    made = make_backup(db, now=T0)
    store = Store.open(made, create=False)
    try:
        assert [row.study.title for row in store.list_studies()] == ["Schulden"]
    finally:
        store.close()


def test_backup_does_not_change_the_live_database(tmp_path: Path, db: Path):
    before = snapshot(tmp_path)
    make_backup(db, now=T0)
    assert snapshot(tmp_path) == before


def test_rotation_keeps_the_newest(tmp_path: Path, db: Path):
    made = [make_backup(db, keep=3, now=T0 + timedelta(minutes=i)) for i in range(6)]
    backups = list_backups(db)
    assert [b.path for b in backups] == list(reversed(made[-3:]))
    assert [b.created for b in backups] == [T0 + timedelta(minutes=i) for i in (5, 4, 3)]
    assert all(b.size == b.path.stat().st_size > 0 for b in backups)
    assert sorted(p.name for p in backup_dir(db).iterdir()) == sorted([".k.db.state", *(p.name for p in made[-3:])])
    assert latest_backup(db) == made[-1]


def test_two_backups_in_one_second_get_numbered_names(db: Path):
    first = make_backup(db, now=T0)
    second = make_backup(db, now=T0)
    third = make_backup(db, now=T0)
    assert [p.name for p in (first, second, third)] == [
        "k-20240305-093000.sqlite",
        "k-20240305-093000-1.sqlite",
        "k-20240305-093000-2.sqlite",
    ]
    assert [b.path for b in list_backups(db)] == [third, second, first]


def test_rotation_leaves_other_databases_backups_alone(tmp_path: Path, db: Path):
    other = make_db(tmp_path / "k-oud.db", "Ander")
    longer = make_db(tmp_path / "kk.db", "Nog een")
    kept_other = make_backup(other, now=T0)
    kept_longer = make_backup(longer, now=T0)
    (backup_dir(db) / "notities.txt").write_text("van de gebruiker")
    (backup_dir(db) / "k-2024.sqlite").write_text("geen reservekopie")
    for i in range(4):
        make_backup(db, keep=1, now=T0 + timedelta(hours=i))

    assert [b.path.name for b in list_backups(db)] == ["k-20240305-123000.sqlite"]
    assert [b.path for b in list_backups(other)] == [kept_other]
    assert [b.path for b in list_backups(longer)] == [kept_longer]
    assert (backup_dir(db) / "notities.txt").exists()
    assert (backup_dir(db) / "k-2024.sqlite").exists()


def test_keep_must_be_positive(db: Path):
    with pytest.raises(ValueError):
        make_backup(db, keep=0)


def test_no_backup_of_a_missing_database(tmp_path: Path):
    assert make_backup(tmp_path / "geen.db") is None
    assert not backup_dir(tmp_path / "geen.db").exists()
    assert list_backups(tmp_path / "geen.db") == []
    assert latest_backup(tmp_path / "geen.db") is None


def test_no_backup_of_a_database_without_tables(tmp_path: Path):
    empty = tmp_path / "leeg.db"
    empty.write_bytes(b"")
    assert make_backup(empty) is None
    assert not backup_dir(empty).exists()
    assert empty.read_bytes() == b""


def test_backup_of_a_damaged_database_fails_and_keeps_older_backups(tmp_path: Path, db: Path):
    good = make_backup(db, keep=1, now=T0)
    data = bytearray(db.read_bytes())
    data[0:16] = b"Geen SQLite hier"
    db.write_bytes(bytes(data))
    before = snapshot(tmp_path)

    with pytest.raises(StorageError) as info:
        make_backup(db, keep=1, now=T0 + timedelta(days=1))
    assert "Er is geen reservekopie gemaakt van" in str(info.value)
    assert [b.path for b in list_backups(db)] == [good]
    assert snapshot(tmp_path) == before


def test_backup_folder_that_cannot_be_made_is_a_clear_error(tmp_path: Path, db: Path):
    """A regular file where the backups folder should be: mkdir fails, also when running as root."""
    backup_dir(db).write_text("geen map")
    before = snapshot(tmp_path)

    with pytest.raises(StorageError) as info:
        make_backup(db, now=T0)
    message = str(info.value)
    assert message.startswith(f"Er is geen reservekopie gemaakt van {db} in {backup_dir(db)}: ")
    assert message.endswith("De database zelf is niet gewijzigd.")
    assert snapshot(tmp_path) == before


def test_backup_into_a_read_only_folder_is_a_clear_error(tmp_path: Path, db: Path, monkeypatch):
    """A folder that refuses new files (read-only medium, no permission), as the operating system reports it;
    simulated at the call that creates the file, since chmod does not stop root (the tests may run as root)."""
    backup_dir(db).mkdir()

    def refused(*args, **kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(backup_dir(db)))

    monkeypatch.setattr(backup_module.tempfile, "mkstemp", refused)
    with pytest.raises(StorageError) as info:
        make_backup(db, now=T0)
    assert "Er is geen reservekopie gemaakt van" in str(info.value)
    assert os.strerror(errno.EACCES) in str(info.value)
    assert list(backup_dir(db).iterdir()) == []


def test_disk_full_while_renaming_leaves_no_partial_backup(tmp_path: Path, db: Path, monkeypatch):
    def full(src, dst):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    make_backup(db, now=T0)
    monkeypatch.setattr(backup_module.os, "replace", full)
    with pytest.raises(StorageError) as info:
        make_backup(db, now=T0 + timedelta(days=1))
    assert os.strerror(errno.ENOSPC) in str(info.value)
    assert sorted(p.name for p in backup_dir(db).iterdir()) == [".k.db.state", "k-20240305-093000.sqlite"]  # no temp file left


def test_backup_in_english(db: Path, monkeypatch):
    monkeypatch.setattr(i18n, "_current", "en")
    backup_dir(db).write_text("not a folder")
    with pytest.raises(StorageError) as info:
        make_backup(db)
    assert str(info.value).startswith(f"No backup was made of {db}")


# --- restoring -------------------------------------------------------------------------------------


def test_restore_round_trip_keeps_the_old_database_aside(tmp_path: Path, db: Path):
    made = make_backup(db, now=T0)
    store = Store.open(db)
    store.add_study(Study(title="Na de reservekopie"))
    store.close()

    aside = restore(db, made, now=T0 + timedelta(days=1))

    assert aside == tmp_path / "k.db.before-restore-20240306-093000"
    assert titles(aside) == ["Na de reservekopie", "Schulden"]
    assert titles(made) == ["Schulden"]  # the backup itself is only read
    store = Store.open(db, create=False)
    try:
        assert [row.study.title for row in store.list_studies()] == ["Schulden"]
    finally:
        store.close()
    if sys.platform != "win32":  # POSIX modes; Windows has none (the profile folder protects the file there)
        assert db.stat().st_mode & 0o777 == 0o600


def test_restore_moves_the_wal_aside_with_the_database(tmp_path: Path, db: Path):
    """A database left with committed data in its -wal (a crash): the aside copy still holds that data."""
    made = make_backup(db, now=T0)
    crashed = tmp_path / "crash"
    crashed.mkdir()
    store = Store.open(db)
    store.add_study(Study(title="Alleen in de wal"))
    for suffix in ("", "-wal"):
        (crashed / f"k.db{suffix}").write_bytes(Path(f"{db}{suffix}").read_bytes())
    store.close()
    target = crashed / "k.db"

    aside = restore(target, made, now=T0)

    assert sorted(p.name for p in crashed.iterdir()) == [
        "k.db", "k.db.before-restore-20240305-093000", "k.db.before-restore-20240305-093000-wal"
    ]
    assert titles(aside) == ["Alleen in de wal", "Schulden"]
    assert titles(target) == ["Schulden"]


def test_restore_twice_in_one_second_keeps_both_old_files(tmp_path: Path, db: Path):
    made = make_backup(db, now=T0)
    first = restore(db, made, now=T0)
    second = restore(db, made, now=T0)
    assert first != second
    assert first.exists() and second.exists()
    assert second.name == "k.db.before-restore-20240305-093000-1"


def test_restore_into_a_missing_database(tmp_path: Path, db: Path):
    made = make_backup(db, now=T0)
    target = tmp_path / "nieuw" / "k.db"
    assert restore(target, made) is None
    assert titles(target) == ["Schulden"]


def test_restore_a_backup_that_is_in_wal_mode_brings_its_wal(tmp_path: Path, db: Path):
    """Restoring from a file in WAL mode (for example an earlier aside copy) copies what is in its -wal too."""
    source_dir = tmp_path / "bron"
    source_dir.mkdir()
    store = Store.open(db)
    store.add_study(Study(title="In de wal"))
    for suffix in ("", "-wal"):
        (source_dir / f"k.db{suffix}").write_bytes(Path(f"{db}{suffix}").read_bytes())
    store.close()
    target = tmp_path / "doel.db"
    restore(target, source_dir / "k.db")
    assert titles(target) == ["In de wal", "Schulden"]


def damage_middle(path: Path) -> None:
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) >= 5 * page
    data[2 * page : 4 * page] = bytes(2 * page)
    path.write_bytes(bytes(data))


@pytest.fixture
def bigger_db(tmp_path: Path) -> Path:
    """A database of several pages, so that damage can sit in the middle of it."""
    path = tmp_path / "k.db"
    store = Store.open(path)
    for number in range(40):
        study = store.add_study(Study(title=f"Onderzoek {number} " + "x" * 300))
        store.add_respondent(Respondent(study_id=study.id, code="R01"))
    store.close()
    return path


def test_restore_refuses_a_damaged_backup_and_changes_nothing(tmp_path: Path, bigger_db: Path):
    made = make_backup(bigger_db, now=T0)
    damage_middle(made)
    before_db, before_backups = snapshot(tmp_path), snapshot(backup_dir(bigger_db))

    with pytest.raises(StorageError) as info:
        restore(bigger_db, made)
    message = str(info.value)
    assert message.startswith(f"De reservekopie {made} is beschadigd of geen klantreis-database (")
    assert message.endswith(f"Er is niets teruggezet; de database {bigger_db} is niet gewijzigd.")
    assert snapshot(tmp_path) == before_db
    assert snapshot(backup_dir(bigger_db)) == before_backups


@pytest.mark.parametrize("content", [b"", b"SQLite format 3\x00" + bytes(4080), os.urandom(8192)],
                         ids=["empty", "header-only", "random"])
def test_restore_refuses_files_that_are_not_backups(tmp_path: Path, db: Path, content: bytes):
    fake = tmp_path / "fake.sqlite"
    fake.write_bytes(content)
    before = snapshot(tmp_path)
    with pytest.raises(StorageError) as info:
        restore(db, fake)
    assert str(fake) in str(info.value)
    assert "Er is niets teruggezet" in str(info.value)
    assert snapshot(tmp_path) == before


def test_restore_refuses_a_backup_from_a_newer_version(tmp_path: Path, db: Path):
    made = make_backup(db, now=T0)
    conn = sqlite3.connect(made, isolation_level=None)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before_db, before_backups = snapshot(tmp_path), snapshot(backup_dir(db))

    with pytest.raises(StorageError) as info:
        restore(db, made)
    message = str(info.value)
    assert message.startswith(f"De reservekopie {made} is niet teruggezet; de database {db} is niet gewijzigd.")
    assert "nieuwere versie van klantreis" in message
    assert snapshot(tmp_path) == before_db
    assert snapshot(backup_dir(db)) == before_backups


def test_restore_refuses_a_foreign_database(tmp_path: Path, db: Path):
    foreign = tmp_path / "ander.sqlite"
    conn = sqlite3.connect(foreign, isolation_level=None)
    conn.execute("CREATE TABLE notities (tekst TEXT)")
    conn.close()
    before = snapshot(tmp_path)
    with pytest.raises(StorageError) as info:
        restore(db, foreign)
    assert "ander programma" in str(info.value)
    assert snapshot(tmp_path) == before


def test_restore_refuses_the_database_itself(tmp_path: Path, db: Path):
    before = snapshot(tmp_path)
    with pytest.raises(StorageError) as info:
        restore(db, db)
    assert str(info.value) == f"{db} is de database zelf, geen reservekopie. Er is niets gewijzigd."
    with pytest.raises(StorageError):
        restore(db, tmp_path / "." / "k.db")
    assert snapshot(tmp_path) == before


def test_restore_of_a_missing_backup(tmp_path: Path, db: Path):
    before = snapshot(tmp_path)
    with pytest.raises(StorageError) as info:
        restore(db, tmp_path / "weg.sqlite")
    assert "bestaat niet" in str(info.value)
    with pytest.raises(StorageError):
        restore(db, tmp_path)  # a folder is not a backup
    assert snapshot(tmp_path) == before


def test_restore_that_fails_halfway_puts_the_old_database_back(tmp_path: Path, db: Path, monkeypatch):
    made = make_backup(db, now=T0)
    store = Store.open(db)
    store.add_study(Study(title="Blijft"))
    store.close()
    before = snapshot(tmp_path)
    real_replace = os.replace

    def fail_into_place(src, dst):
        if ".restore-" in Path(src).name:  # the checked copy of the backup, on its way into place
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_replace(src, dst)

    monkeypatch.setattr(backup_module.os, "replace", fail_into_place)
    with pytest.raises(StorageError) as info:
        restore(db, made, now=T0)
    assert str(info.value).endswith("De database is niet gewijzigd.")
    assert snapshot(tmp_path) == before
    assert titles(db) == ["Blijft", "Schulden"]


def test_restore_that_cannot_put_the_old_database_back_says_where_it_is(tmp_path: Path, db: Path, monkeypatch):
    made = make_backup(db, now=T0)
    real_replace = os.replace

    def fail_towards_db(src, dst):
        if Path(dst) == db:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        real_replace(src, dst)

    monkeypatch.setattr(backup_module.os, "replace", fail_towards_db)
    with pytest.raises(StorageError) as info:
        restore(db, made, now=T0)
    aside = tmp_path / "k.db.before-restore-20240305-093000"
    assert str(info.value).endswith(f"De vorige database staat nog in {aside}; zet die zelf terug.")
    assert titles(aside) == ["Schulden"]
    assert not [p for p in tmp_path.iterdir() if ".restore-" in p.name]  # no temp file left


# --- the start-up backup: skipped when nothing changed, made after the first frame, before the first write ----


def test_a_backup_is_current_until_something_is_committed(db: Path):
    assert not backup_module.backup_is_current(db)  # none made yet
    make_backup(db, now=T0)
    assert backup_module.backup_is_current(db)
    store = Store.open(db)  # opening and reading (as a start does) changes nothing
    store.list_studies()
    assert backup_module.backup_is_current(db)
    store.add_study(Study(title="Nieuw"))
    assert not backup_module.backup_is_current(db)
    store.close()
    assert not backup_module.backup_is_current(db)


def test_a_backup_is_not_current_once_it_is_gone_or_another_is_newer(db: Path):
    first = make_backup(db, now=T0)
    assert first is not None
    first.unlink()
    assert not backup_module.backup_is_current(db)
    make_backup(db, now=T0 + timedelta(seconds=1))
    assert backup_module.backup_is_current(db)
    (backup_dir(db) / f"{db.stem}-20990101-000000.sqlite").write_bytes((backup_dir(db) / list_backups(db)[0].path.name).read_bytes())
    assert not backup_module.backup_is_current(db)  # the newest is not the one recorded


def test_backup_now_if_changed_copies_only_after_a_change(db: Path):
    from klantreis_tui.services import backup_now

    assert backup_now(db, if_changed=True) is not None
    assert backup_now(db, if_changed=True) is None
    assert len(list_backups(db)) == 1
    store = Store.open(db)
    store.add_study(Study(title="Nieuw"))
    store.close()
    assert backup_now(db, if_changed=True) is not None
    assert len(list_backups(db)) == 2


def test_the_first_write_of_a_session_waits_for_the_start_up_backup(db: Path, monkeypatch):
    import threading

    from klantreis_tui.question_sets import bundled_dir
    from klantreis_tui.services import Services

    release = threading.Event()
    order: list[str] = []
    real = backup_module.make_backup

    def slow_backup(path, keep=10, now=None):  # type: ignore[no-untyped-def]
        release.wait(5)
        made = real(path, keep=keep, now=now)
        order.append("backup")
        return made

    monkeypatch.setattr(backup_module, "make_backup", slow_backup)
    services = Services.open(db, [bundled_dir()])
    errors: list[object] = []
    services.start_up_backup(errors.append)
    assert services.list_studies()  # reading does not wait
    # the database connection belongs to this thread: write here, release the backup from a timer
    threading.Timer(0.2, release.set).start()
    services.create_study("Tweede")
    order.append("write")
    services.close()
    assert order == ["backup", "write"]
    assert errors == [None]
    assert "Tweede" not in titles(list_backups(db)[0].path)  # the copy holds the state before the session


def test_a_failed_start_up_backup_is_reported_and_writing_goes_on(db: Path, monkeypatch):
    from klantreis_tui.question_sets import bundled_dir
    from klantreis_tui.services import Services

    def failing(path, keep=10, now=None):  # type: ignore[no-untyped-def]
        raise StorageError("backup.failed", path=path, folder=path, error="No space left on device")

    monkeypatch.setattr(backup_module, "make_backup", failing)
    services = Services.open(db, [bundled_dir()])
    errors: list[object] = []
    services.start_up_backup(errors.append).join(5)
    services.create_study("Tweede")
    services.close()
    assert [type(e) for e in errors] == [StorageError]
    assert "Tweede" in titles(db)
