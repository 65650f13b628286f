"""A corpus of damaged database files, made from a real klantreis database: each gets its own clear message."""

from __future__ import annotations

import hashlib
import random
import re
import string
import sqlite3
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from klantreis_tui import i18n
from klantreis_tui.i18n.reasons import REASONS
from klantreis_tui.storage import SCHEMA_VERSION, StorageError, Store
from klantreis_tui.storage.backup import make_backup, restore
from klantreis_tui.storage.schema import MIGRATION_SET

T0 = datetime(2024, 3, 5, 9, 30, 0)


@pytest.fixture(autouse=True)
def dutch(monkeypatch):
    monkeypatch.setattr(i18n, "_current", "nl")


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> bytes:
    """The bytes of a real klantreis database: a dozen imported interviews, about 60 pages, checkpointed."""
    from klantreis_tui.question_sets import bundled_dir
    from klantreis_tui.services import Services
    from tests.benchmarks.synthetic import make_bundle

    path = tmp_path_factory.mktemp("pristine") / "k.db"
    services = Services.open(path, [bundled_dir()])
    services.import_bundle(make_bundle(12, steps_per_interview=15, seed=5))
    services.close()
    assert not Path(f"{path}-wal").exists()
    return path.read_bytes()


def page_size(data: bytes) -> int:
    size = int.from_bytes(data[16:18], "big")
    return 65536 if size == 1 else size


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` by relative path with the hash of its bytes; folders by name."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "<dir>"
        for p in sorted(folder.rglob("*"))
    }


def expected(key: str, message: str, **known: object) -> bool:
    """Whether ``message`` is the Dutch text of ``key``, with ``known`` fields filled in and any text elsewhere."""
    template = i18n.catalog("nl").gettext(REASONS[key])
    pattern = ""
    for literal, field, _, _ in string.Formatter().parse(template):
        pattern += re.escape(literal)
        if field is not None:
            pattern += re.escape(str(known[field])) if field in known else ".*"
    return re.fullmatch(pattern, message, flags=re.DOTALL) is not None


# --- the corpus: each case turns the pristine bytes into a damaged file at ``path`` ------------------------


def truncated_half(path: Path, data: bytes) -> None:
    path.write_bytes(data[: len(data) // 2])


def truncated_100(path: Path, data: bytes) -> None:
    path.write_bytes(data[:100])


def schema_pages(data: bytes) -> set[int]:
    """The 0-based pages of the file that hold the schema table (page 1 and, once it grows, more)."""
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "copy.db"
        copy.write_bytes(data)
        conn = sqlite3.connect(copy)
        try:
            rows = conn.execute("SELECT pageno FROM dbstat WHERE name = 'sqlite_schema'").fetchall()
        finally:
            conn.close()
    return {row[0] - 1 for row in rows}


def zeroed_middle_pages(path: Path, data: bytes) -> None:
    """Four data pages from the middle of the file zeroed: the schema pages are left whole, so the file opens."""
    size = page_size(data)
    pages = len(data) // size
    keep = schema_pages(data)
    start = next(p for p in range(pages // 2, pages - 4) if not keep & set(range(p, p + 4)))
    middle = bytearray(data)
    middle[start * size : (start + 4) * size] = bytes(4 * size)
    path.write_bytes(bytes(middle))


def zeroed_first_page(path: Path, data: bytes) -> None:
    size = page_size(data)
    path.write_bytes(bytes(size) + data[size:])


def wrong_header(path: Path, data: bytes) -> None:
    path.write_bytes(b"SQLite format 4\x00" + data[16:])


def scrambled_schema_page(path: Path, data: bytes) -> None:
    size = page_size(data)
    path.write_bytes(data[:100] + random.Random(3).randbytes(size - 100) + data[size:])


def random_bytes(path: Path, data: bytes) -> None:
    path.write_bytes(random.Random(20240305).randbytes(len(data)))


def one_byte(path: Path, data: bytes) -> None:
    # sqlite itself takes a 1-byte file for a new, empty database and would write over it
    path.write_bytes(b"\n")


def few_bytes(path: Path, data: bytes) -> None:
    path.write_bytes(b"  \n\t\n")


def zeros(path: Path, data: bytes) -> None:
    path.write_bytes(bytes(4096))


def text_file(path: Path, data: bytes) -> None:
    path.write_text("Notulen van het overleg.\n" * 100, encoding="utf-8")


def newer_user_version(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()


def newer_migration(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (?, ?, ?)",
        [MIGRATION_SET, "9999_uit_de_toekomst", "2099-01-01 00:00:00+00:00"],
    )
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()


def foreign(path: Path, data: bytes) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("CREATE TABLE boodschappen (id INTEGER PRIMARY KEY, wat TEXT)")
    conn.execute("INSERT INTO boodschappen (wat) VALUES ('brood')")
    conn.close()


def directory(path: Path, data: bytes) -> None:
    path.mkdir()
    (path / "iets.txt").write_text("een map, geen database")


CORPUS: list[tuple[str, Callable[[Path, bytes], None], str]] = [
    ("truncated-half", truncated_half, "db.damaged"),
    ("truncated-100-bytes", truncated_100, "db.damaged"),
    ("zeroed-middle-pages", zeroed_middle_pages, "db.damaged"),
    ("zeroed-first-page", zeroed_first_page, "db.damaged"),
    ("wrong-header", wrong_header, "db.damaged"),
    ("scrambled-schema-page", scrambled_schema_page, "db.damaged"),
    ("random-bytes", random_bytes, "db.damaged"),
    ("one-byte", one_byte, "db.damaged"),
    ("few-bytes", few_bytes, "db.damaged"),
    ("zeros", zeros, "db.damaged"),
    ("text-file", text_file, "db.damaged"),
    ("newer-user-version", newer_user_version, "db.newer"),
    ("newer-migration", newer_migration, "db.newer"),
    ("foreign", foreign, "db.foreign"),
    ("directory", directory, "db.unwritable"),
]


@pytest.mark.parametrize(("make", "key"), [(make, key) for _, make, key in CORPUS], ids=[c[0] for c in CORPUS])
def test_damaged_file_is_refused_with_its_message_and_left_alone(tmp_path: Path, pristine: bytes, make, key):
    path = tmp_path / "k.db"
    make(path, pristine)
    before = snapshot(tmp_path)

    with pytest.raises(StorageError) as info:
        Store.open(path)
    message = str(info.value)
    assert expected(key, message, path=path), message
    assert str(path) in message
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(("make", "key"), [(make, key) for _, make, key in CORPUS], ids=[c[0] for c in CORPUS])
def test_the_check_begun_before_the_imports_refuses_as_the_open_does(tmp_path: Path, pristine: bytes, make, key):
    """The command line begins the file's quick_check on a thread before it imports the app (``EarlyCheck``):
    every damaged file is refused with the same message as without it, and nothing is changed or made beside
    it (the file is read as immutable)."""
    from klantreis_tui.services.opening import Opening
    from klantreis_tui.storage import connection

    path = tmp_path / "k.db"
    make(path, pristine)
    before = snapshot(tmp_path)
    early = connection.EarlyCheck.start(path)
    if early is not None:
        sound = early.wait()
        assert snapshot(tmp_path) == before
        if make in (zeroed_middle_pages, truncated_half):  # damage only the check itself sees
            assert not sound
        if key in ("db.newer", "db.foreign"):  # sound files, refused for what they hold
            assert sound
    with pytest.raises(StorageError) as info:
        Opening(path, [], early_check=early)
    message = str(info.value)
    assert expected(key, message, path=path), message
    assert snapshot(tmp_path) == before


def test_a_sound_file_checked_early_opens_without_a_second_check(tmp_path: Path, pristine: bytes, monkeypatch):
    from klantreis_tui.services.opening import Opening
    from klantreis_tui.storage import connection

    path = tmp_path / "k.db"
    path.write_bytes(pristine)
    early = connection.EarlyCheck.start(path)
    assert early is not None and early.wait()
    calls: list[int] = []
    real = connection.quick_check
    monkeypatch.setattr(connection, "quick_check", lambda conn: (calls.append(1), real(conn)))
    opened = Opening(path, [], early_check=early)
    try:
        assert calls == []
        assert opened.home.studies()[0].interview_count == 12
    finally:
        opened.close()
    assert connection.EarlyCheck.start(path) is not None
    Path(f"{path}-wal").write_bytes(b"")  # left empty by a window that ended without closing: it holds nothing
    assert connection.EarlyCheck.start(path) is not None
    Path(f"{path}-wal").write_bytes(bytes(4096))  # commits not yet in the file: checked on the connection
    assert connection.EarlyCheck.start(path) is None


def test_a_file_written_after_the_early_check_is_checked_on_the_connection(tmp_path: Path, pristine: bytes, monkeypatch):
    """Another window wrote between the early check and the open: its verdict no longer holds."""
    from klantreis_tui.services.opening import Opening
    from klantreis_tui.storage import connection

    path = tmp_path / "k.db"
    path.write_bytes(pristine)
    early = connection.EarlyCheck.start(path)
    assert early is not None and early._thread.join() is None and early.sound
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("PRAGMA journal_mode = WAL")
    other.execute("UPDATE studies SET title = 'Ander venster'")
    calls: list[int] = []
    real = connection.quick_check
    monkeypatch.setattr(connection, "quick_check", lambda conn: (calls.append(1), real(conn)))
    opened = Opening(path, [], early_check=early)
    try:
        assert calls == [1] and not early.wait()
        assert opened.home.studies()[0].title == "Ander venster"
    finally:
        opened.close()
        other.close()


def test_a_file_the_early_check_cannot_read_is_checked_on_the_connection(tmp_path: Path, pristine: bytes, monkeypatch):
    from klantreis_tui.services.opening import Opening
    from klantreis_tui.storage import connection

    path = tmp_path / "k.db"
    zeroed_middle_pages(path, pristine)
    real_connect = sqlite3.connect

    def refusing(database, *args, **kwargs):  # type: ignore[no-untyped-def]
        if kwargs.get("uri"):
            raise sqlite3.OperationalError("unable to open database file")
        return real_connect(database, *args, **kwargs)

    monkeypatch.setattr(connection.sqlite3, "connect", refusing)
    early = connection.EarlyCheck.start(path)
    assert early is not None
    with pytest.raises(StorageError) as info:
        Opening(path, [], early_check=early)
    assert not early.wait() and expected("db.damaged", str(info.value), path=path)


@pytest.mark.parametrize(("make", "key"), [(make, key) for _, make, key in CORPUS if key == "db.damaged"],
                         ids=[c[0] for c in CORPUS if c[2] == "db.damaged"])
def test_damaged_file_message_names_the_latest_backup(tmp_path: Path, pristine: bytes, make, key):
    path = tmp_path / "k.db"
    path.write_bytes(pristine)
    make_backup(path, now=datetime(2024, 3, 4, 8, 0, 0))
    latest = make_backup(path, now=T0)
    path.unlink()
    make(path, pristine)
    before = snapshot(tmp_path)

    with pytest.raises(StorageError) as info:
        Store.open(path)
    message = str(info.value)
    assert expected("db.damaged_backup", message, path=path, backup=latest, when="2024-03-05 09:30"), message
    assert f'klantreis restore --db "{path}" "{latest}"' in message
    assert snapshot(tmp_path) == before


def test_damaged_file_with_backup_in_english(tmp_path: Path, pristine: bytes, monkeypatch):
    monkeypatch.setattr(i18n, "_current", "en")
    path = tmp_path / "k.db"
    path.write_bytes(pristine)
    latest = make_backup(path, now=T0)
    zeroed_middle_pages(path, pristine)
    with pytest.raises(StorageError) as info:
        Store.open(path)
    assert f"The latest backup is {latest} (2024-03-05 09:30); restore it with" in str(info.value)


def test_damaged_then_restored_opens_with_the_backup_data(tmp_path: Path, pristine: bytes):
    """The whole path a user takes: damage, the message names the backup, restore, open."""
    path = tmp_path / "k.db"
    path.write_bytes(pristine)
    latest = make_backup(path, now=T0)
    zeroed_middle_pages(path, pristine)
    damaged = path.read_bytes()
    with pytest.raises(StorageError):
        Store.open(path)

    aside = restore(path, latest, now=T0)

    assert aside.read_bytes() == damaged  # kept, never deleted
    store = Store.open(path)
    try:
        assert store.counts()["interviews"] == 12
        assert store.counts()["steps"] == 12 * 15
    finally:
        store.close()


def test_opening_a_damaged_file_does_not_change_its_bytes(tmp_path: Path, pristine: bytes):
    path = tmp_path / "k.db"
    zeroed_middle_pages(path, pristine)
    damaged = path.read_bytes()
    for _ in range(3):
        with pytest.raises(StorageError):
            Store.open(path)
        with pytest.raises(StorageError):
            Store.open(path, create=False)
    assert path.read_bytes() == damaged
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k.db"]


def test_garbage_wal_next_to_a_good_database_is_ignored(tmp_path: Path, pristine: bytes):
    """A -wal that is garbage (a torn write during a crash) holds no committed frame: sqlite ignores it and
    the database opens with all its data; refusing it would lock the interviewer out after every such crash."""
    path = tmp_path / "k.db"
    path.write_bytes(pristine)
    Path(f"{path}-wal").write_bytes(random.Random(9).randbytes(20000))
    store = Store.open(path)
    try:
        assert store.counts()["interviews"] == 12
        assert store.counts()["steps"] == 12 * 15
    finally:
        store.close()


def test_large_file_path_still_catches_truncation_and_a_damaged_root(tmp_path: Path, pristine: bytes, monkeypatch):
    """Above the quick_check size limit only cheap checks run: size against the header, schema, each table's
    first and last row. Those still catch a truncated file and a table whose root page is gone."""
    from klantreis_tui.storage import connection

    monkeypatch.setattr(connection, "QUICK_CHECK_LIMIT", 0)
    path = tmp_path / "k.db"
    path.write_bytes(pristine)
    store = Store.open(path)  # a sound file passes the cheap checks
    store.close()

    truncated_half(path, pristine)
    with pytest.raises(StorageError) as info:
        Store.open(path)
    assert expected("db.damaged", str(info.value), path=path)

    path.write_bytes(pristine)
    conn = sqlite3.connect(path)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'steps'").fetchone()[0]
    conn.close()
    size = page_size(pristine)
    data = bytearray(pristine)
    data[(root - 1) * size : root * size] = bytes(size)
    path.write_bytes(bytes(data))
    before = snapshot(tmp_path)
    with pytest.raises(StorageError) as info:
        Store.open(path)
    assert expected("db.damaged", str(info.value), path=path)
    assert snapshot(tmp_path) == before


def test_zeroed_middle_pages_look_fine_until_the_integrity_check(tmp_path: Path, pristine: bytes):
    """The header, the version and the schema of this file read fine; only the quick_check at open finds it."""
    path = tmp_path / "k.db"
    zeroed_middle_pages(path, pristine)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert "steps" in {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
    with pytest.raises(StorageError) as info:
        Store.open(path)
    assert expected("db.damaged", str(info.value), path=path)


def test_a_one_byte_file_is_not_overwritten(tmp_path: Path):
    """sqlite opens a 1-byte file as a new database; klantreis refuses rather than write over the user's file."""
    path = tmp_path / "k.db"
    path.write_bytes(b"x")
    with pytest.raises(StorageError) as info:
        Store.open(path)
    assert "het bestand is niet leeg maar bevat geen database" in str(info.value)
    assert path.read_bytes() == b"x"


def test_an_empty_file_is_a_new_database(tmp_path: Path):
    path = tmp_path / "k.db"
    path.write_bytes(b"")
    store = Store.open(path)
    try:
        assert store.schema_version() == SCHEMA_VERSION
    finally:
        store.close()
