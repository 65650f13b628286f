"""The SQLite store: migrations, pragmas, round trips, refusals, transactions and step bookkeeping."""

from __future__ import annotations

import hashlib
import random
import sqlite3
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from klantreis_tui import i18n
from klantreis_tui.models.records import (
    Answer,
    Consent,
    Interview,
    InterviewStatus,
    Respondent,
    Step,
    Study,
)
from klantreis_tui.storage import SCHEMA_VERSION, InterviewRow, SaveFailed, StorageError, Store, StudyRow
from klantreis_tui.storage.schema import MIGRATION_SET, known_migrations

from tests.conftest import make_interview, make_respondent, make_step, make_study

T0 = datetime(2024, 3, 5, 9, 0, 0, 250000, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def dutch(monkeypatch):
    """User-facing messages in the default language, whatever other tests did before."""
    monkeypatch.setattr(i18n, "_current", "nl")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "k.db"


@pytest.fixture
def store(db_path: Path):
    s = Store.open(db_path)
    yield s
    s.close()


@pytest.fixture
def study(store: Store) -> Study:
    return store.add_study(make_study("Schulden"))


@pytest.fixture
def respondent(store: Store, study: Study) -> Respondent:
    return store.add_respondent(make_respondent(study.id, "R01"))


@pytest.fixture
def interview(store: Store, study: Study, respondent: Respondent) -> Interview:
    return store.add_interview(make_interview(study.id, respondent.id))


def snapshot(folder: Path) -> dict[str, str]:
    """Every file in ``folder`` by name, with the hash of its bytes (sidecar -wal/-shm files included)."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def raw(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


def make_klantreis_db(path: Path) -> None:
    """A real klantreis database with a little data, fully checkpointed and closed."""
    s = Store.open(path)
    st = s.add_study(make_study("Oud"))
    s.add_respondent(make_respondent(st.id, "R01"))
    s.close()
    assert not Path(f"{path}-wal").exists()


# --- migrations and pragmas ----------------------------------------------------------------


def test_new_database_is_migrated(store: Store):
    assert store.applied_migrations() == known_migrations()
    assert store.schema_version() == SCHEMA_VERSION >= 1
    assert store.counts() == dict.fromkeys(("studies", "respondents", "interviews", "consents", "answers", "steps"), 0)


def test_migrations_are_idempotent(db_path: Path):
    first = Store.open(db_path)
    study = first.add_study(make_study("Blijft"))
    applied = first.applied_migrations()
    rows = first.db.execute("SELECT * FROM _sqlite_migrations ORDER BY rowid").fetchall()
    schema = first.db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
    first.close()

    for _ in range(2):
        again = Store.open(db_path)
        try:
            assert again.applied_migrations() == applied == known_migrations()
            assert again.db.execute("SELECT * FROM _sqlite_migrations ORDER BY rowid").fetchall() == rows
            assert again.db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall() == schema
            assert again.schema_version() == SCHEMA_VERSION
            assert again.get_study(study.id) == study
        finally:
            again.close()
    assert len(rows) == len(known_migrations())


def test_pragmas_in_force(store: Store):
    conn = store.db.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000


def test_missing_user_version_is_repaired(db_path: Path):
    """Migrations committed but user_version not yet written (e.g. a crash in between): the next open fixes it."""
    Store.open(db_path).close()
    conn = raw(db_path)
    conn.execute("PRAGMA user_version = 0")
    conn.close()
    s = Store.open(db_path)
    try:
        assert s.applied_migrations() == known_migrations()
        assert s.schema_version() == SCHEMA_VERSION
    finally:
        s.close()


def test_pragmas_set_by_store_not_by_defaults(db_path: Path, monkeypatch):
    """Some SQLite builds default to synchronous NORMAL (or OFF); the store must set FULL itself."""
    real_connect = sqlite3.connect

    def weak_connect(*args, **kwargs):
        conn = real_connect(*args, **kwargs)
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA foreign_keys = OFF")
        return conn

    monkeypatch.setattr(sqlite3, "connect", weak_connect)
    s = Store.open(db_path)
    try:
        assert s.db.execute("PRAGMA synchronous").fetchone()[0] == 2
        assert s.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert s.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        s.close()


def test_pragmas_in_force_after_reopen(db_path: Path):
    Store.open(db_path).close()
    s = Store.open(db_path)
    try:
        assert s.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert s.db.execute("PRAGMA synchronous").fetchone()[0] == 2
    finally:
        s.close()


def test_change_mark_moves_with_every_write_of_this_or_another_connection(db_path: Path, store: Store, study: Study):
    """The key of what a screen computes once: the same while nothing is written, another after a write of this
    connection (which PRAGMA data_version alone does not see), of another one, and after the connection is opened
    again (a new connection counts its rows from 0)."""
    mark = store.change_mark()
    store.get_study(study.id)
    assert store.change_mark() == mark  # reading changes nothing
    store.add_respondent(make_respondent(study.id, "R07"))
    assert store.change_mark() != mark
    mark = store.change_mark()
    other = raw(db_path)
    other.execute("UPDATE studies SET title = 'Elders' WHERE id = ?", [study.id])
    other.close()
    assert store.change_mark() != mark
    mark = store.change_mark()
    store._reopen()
    assert store.change_mark() != mark


def test_foreign_keys_enforced(store: Store, study: Study):
    ghost = make_respondent(study.id, "R09")  # never stored
    # a refused write is a message for the user (e.g. the interview was deleted from another window)
    with pytest.raises(SaveFailed, match="FOREIGN KEY constraint failed"):
        store.add_interview(make_interview(study.id, ghost.id))
    assert store.list_interviews() == []
    assert store.db.conn.in_transaction is False


# --- round trips ---------------------------------------------------------------------------


def test_study_round_trip(store: Store):
    study = make_study(
        "Paspoort aanvragen",
        doelgroep="Inwoners 18+",
        trigger="Paspoort verlopen",
        journey_start="Merkt dat paspoort verloopt",
        journey_end="Paspoort opgehaald",
        retention_until=date(2027, 1, 31),
        created_at=T0,
    )
    store.add_study(study)
    got = store.get_study(study.id)
    assert got == study
    assert got.retention_until == date(2027, 1, 31) and type(got.retention_until) is date
    assert got.created_at == T0 and got.created_at.utcoffset() == timedelta(0)
    assert [row.study for row in store.list_studies()] == [study]

    changed = study.model_copy(update={"title": "Nieuw", "retention_until": None})
    store.update_study(changed)
    assert store.get_study(study.id) == changed
    assert store.get_study(study.id).retention_until is None


def test_get_missing_raises_keyerror(store: Store):
    for getter in (store.get_study, store.get_respondent, store.get_interview, store.get_step):
        with pytest.raises(KeyError):
            getter("bestaat-niet")


def test_respondent_round_trip(store: Store, study: Study):
    r = make_respondent(study.id, "R_12-b", age_band="65+", segment="ondernemer", tags=["kwetsbaar", "één", "a,b"])
    store.add_respondent(r)
    assert store.get_respondent(r.id) == r
    assert store.get_respondent(r.id).tags == ["kwetsbaar", "één", "a,b"]
    assert store.respondents_of(study.id) == [r]

    store.set_respondent_field(r.id, "segment", "huurder")
    assert store.get_respondent(r.id).segment == "huurder"
    with pytest.raises(ValueError):
        store.set_respondent_field(r.id, "code", "X")
    assert store.get_respondent(r.id).code == "R_12-b"


@pytest.mark.parametrize("status", list(InterviewStatus))
def test_interview_round_trip(store: Store, study: Study, respondent: Respondent, status: InterviewStatus):
    iv = make_interview(
        study.id,
        respondent.id,
        interviewer="Kees",
        started_at=T0,
        ended_at=T0 + timedelta(hours=1, microseconds=7),
        status=status,
    )
    store.add_interview(iv)
    got = store.get_interview(iv.id)
    assert got == iv
    assert got.status is status
    assert [row.interview for row in store.list_interviews()] == [iv]


def test_interview_round_trip_open_ended(store: Store, study: Study, respondent: Respondent):
    iv = make_interview(study.id, respondent.id, started_at=T0)
    store.add_interview(iv)
    assert store.get_interview(iv.id) == iv
    assert store.get_interview(iv.id).ended_at is None


def test_set_status(store: Store, interview: Interview):
    end = T0 + timedelta(days=1)
    store.set_status(interview.id, InterviewStatus.afgebroken, end)
    got = store.get_interview(interview.id)
    assert got.status is InterviewStatus.afgebroken
    assert got.ended_at == end
    assert got.started_at == interview.started_at


def test_consent_round_trip(store: Store, interview: Interview):
    a = Consent(interview_id=interview.id, item="participation", granted=True, text_version="t1", question_set_version="2", recorded_at=T0)
    b = Consent(interview_id=interview.id, item="quotes", granted=False, text_version="t1", question_set_version="2", recorded_at=T0 + timedelta(seconds=5))
    store.record_consent(a)
    store.record_consent(b)
    assert store.consents_of(interview.id) == [a, b]
    assert [c.granted for c in store.consents_of(interview.id)] == [True, False]

    # Answering an item again replaces it (one row per item).
    b2 = b.model_copy(update={"granted": True, "text_version": "t2", "recorded_at": T0 + timedelta(seconds=9)})
    store.record_consent(b2)
    assert store.consents_of(interview.id) == [a, b2]


ANSWER_VALUES = [
    "tekst met één trema",
    "",
    42,
    -3.5,
    3.0,
    True,
    False,
    None,
    ["web", "tel"],
    [],
    {"a": 1, "b": [None, "x"], "c": {"d": False}},
]


def test_answer_round_trip(store: Store, interview: Interview):
    added = [store.add_answer(interview.id, f"q{i}", value) for i, value in enumerate(ANSWER_VALUES)]
    added.append(store.add_answer(interview.id, "overgeslagen", None, skipped=True))
    added.append(store.add_answer(interview.id, "wat", "Belde", step_id="stap-1", retracted=True))
    got = store.answers_of(interview.id)
    assert got == added
    for answer, value in zip(got, ANSWER_VALUES):
        assert answer.value == value
        assert type(answer.value) is type(value)
    assert got[-2].skipped is True and got[-2].retracted is False
    assert got[-1].retracted is True and got[-1].step_id == "stap-1"


def test_step_round_trip_every_field(store: Store, interview: Interview):
    fields = dict(
        id="stap-vast",
        phase="Oriëntatie",
        description="Zocht op de website",
        instances=["gemeente", "UWV"],
        channels=["web", "tel"],
        emotion=-2,
        emotion_words=["verward", "boos"],
        quotes=['"Ik snapte er niets van."', "tweede"],
        pain_point="Onduidelijke tekst",
        opportunity="Eenvoudige taal",
        duration="3 dagen",
        moment_of_truth=True,
    )
    step = store.insert_step(interview.id, **fields)
    assert step == make_step(interview.id, 1, **fields)
    assert store.get_step("stap-vast") == step
    assert store.steps_of(interview.id) == [step]
    assert set(fields) | {"interview_id", "position"} == set(Step.model_fields)

    changed = dict(
        phase="Actie",
        description="Belde",
        instances=[],
        channels=["balie"],
        emotion=2,
        emotion_words=["blij"],
        quotes=[],
        pain_point="",
        opportunity="Meer van dit",
        duration="1 uur",
        moment_of_truth=False,
    )
    updated = store.update_step(step.id, **changed)
    assert updated == step.model_copy(update=changed)
    assert store.get_step(step.id) == updated


def test_step_emotion_none_round_trip(store: Store, interview: Interview):
    step = store.insert_step(interview.id, emotion=1)
    store.update_step(step.id, emotion=None)
    assert store.get_step(step.id).emotion is None


# --- refusing files that are not ours --------------------------------------------------------


def test_newer_user_version_refused_unchanged(tmp_path: Path):
    path = tmp_path / "nieuw.db"
    make_klantreis_db(path)
    conn = raw(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = snapshot(tmp_path)

    with pytest.raises(StorageError) as info:
        Store.open(path)
    message = str(info.value)
    assert "nieuwere versie" in message
    assert f"schemaversie {SCHEMA_VERSION + 1}" in message
    assert str(path) in message
    assert snapshot(tmp_path) == before

    conn = raw(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    conn.close()


def test_unknown_migration_refused_unchanged(tmp_path: Path):
    path = tmp_path / "nieuw.db"
    make_klantreis_db(path)
    conn = raw(path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (?, ?, ?)",
        [MIGRATION_SET, "9999_uit_de_toekomst", "2099-01-01 00:00:00+00:00"],
    )
    conn.close()
    before = snapshot(tmp_path)

    with pytest.raises(StorageError) as info:
        Store.open(path)
    assert "nieuwere versie" in str(info.value)
    assert snapshot(tmp_path) == before


def test_other_migration_sets_do_not_block(tmp_path: Path):
    path = tmp_path / "k.db"
    make_klantreis_db(path)
    conn = raw(path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('plugin', 'x1', '2024-01-01')"
    )
    conn.close()
    s = Store.open(path)
    try:
        assert s.applied_migrations() == known_migrations()
        assert len(s.list_studies()) == 1
    finally:
        s.close()


@pytest.mark.parametrize(
    "content",
    [
        random.Random(20240305).randbytes(16384),
        ("Dit is een tekstbestand, geen database.\n" * 200).encode(),
        b"SQLite format 3\x00" + random.Random(7).randbytes(4080),
    ],
    ids=["random", "text", "fake-header"],
)
def test_damaged_file_refused_unchanged(tmp_path: Path, content: bytes):
    path = tmp_path / "kapot.db"
    path.write_bytes(content)
    before = snapshot(tmp_path)

    with pytest.raises(StorageError) as info:
        Store.open(path)
    message = str(info.value)
    assert "beschadigd" in message
    assert str(path) in message
    assert snapshot(tmp_path) == before
    assert path.read_bytes() == content


def test_damaged_klantreis_db_refused_unchanged(tmp_path: Path):
    """A real database whose first page (the schema) was overwritten."""
    path = tmp_path / "k.db"
    make_klantreis_db(path)
    data = bytearray(path.read_bytes())
    data[100:4096] = random.Random(3).randbytes(3996)
    path.write_bytes(bytes(data))
    before = snapshot(tmp_path)

    with pytest.raises(StorageError) as info:
        Store.open(path)
    assert "beschadigd" in str(info.value)
    assert snapshot(tmp_path) == before


def test_foreign_database_refused_unchanged(tmp_path: Path):
    path = tmp_path / "ander.db"
    conn = raw(path)
    conn.execute("CREATE TABLE notities (id INTEGER PRIMARY KEY, tekst TEXT)")
    conn.execute("INSERT INTO notities (tekst) VALUES ('boodschappen')")
    conn.close()
    before = snapshot(tmp_path)

    with pytest.raises(StorageError) as info:
        Store.open(path)
    message = str(info.value)
    assert "ander programma" in message
    assert "notities" in message
    assert snapshot(tmp_path) == before

    conn = raw(path)
    assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")] == ["notities"]
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 0
    conn.close()


@pytest.mark.parametrize("table", ["steps", "studies"])
def test_foreign_database_with_our_table_name_refused_unchanged(tmp_path: Path, table: str):
    """Another program's database that happens to use one of our table names is not ours either."""
    path = tmp_path / "ander.db"
    conn = raw(path)
    conn.execute(f"CREATE TABLE {table} (x TEXT)")
    conn.execute(f"INSERT INTO {table} VALUES ('van een ander')")
    conn.close()
    before = snapshot(tmp_path)

    with pytest.raises(StorageError):
        Store.open(path)
    assert snapshot(tmp_path) == before

    conn = raw(path)
    assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == [table]
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()


def test_open_missing_without_create(tmp_path: Path):
    path = tmp_path / "sub" / "geen.db"
    with pytest.raises(StorageError):
        Store.open(path, create=False)
    assert not path.exists()
    assert not path.parent.exists()


# --- transactions ------------------------------------------------------------------------------


class Boom(Exception):
    pass


def test_failed_atomic_block_rolls_back_whole(store: Store, db_path: Path, interview: Interview):
    store.add_answer(interview.id, "voor", "bestaand")
    counts = store.counts()

    with pytest.raises(Boom):
        with store.atomic():
            step = store.insert_step(interview.id, description="Half")
            store.add_answer(interview.id, "wat", "Half", step_id=step.id)
            store.add_answer(interview.id, "voor", "tweede")
            raise Boom

    assert store.counts() == counts
    assert store.steps_of(interview.id) == []
    assert [(a.question_id, a.value) for a in store.answers_of(interview.id)] == [("voor", "bestaand")]
    assert store.db.conn.in_transaction is False
    other = raw(db_path)
    assert other.execute("SELECT count(*) FROM steps").fetchone()[0] == 0
    assert other.execute("SELECT count(*) FROM answers").fetchone()[0] == 1
    other.close()
    # The rolled-back revision is not counted: the next one is revision 2, not 3.
    assert store.add_answer(interview.id, "voor", "echt").revision == 2


def test_constraint_violation_rolls_back_block(store: Store, study: Study, respondent: Respondent, interview: Interview):
    counts = store.counts()
    with pytest.raises(SaveFailed, match="UNIQUE constraint failed"):
        with store.atomic():
            store.add_respondent(make_respondent(study.id, "R02"))
            store.insert_step(interview.id, description="Mee in de blok")
            store.add_answer(interview.id, "q", 1)
            store.add_respondent(make_respondent(study.id, "R02"))  # duplicate code
            store.add_answer(interview.id, "q", 2)

    assert store.counts() == counts
    assert [r.code for r in store.respondents_of(study.id)] == ["R01"]
    assert store.steps_of(interview.id) == []
    assert store.answers_of(interview.id) == []
    assert store.db.conn.in_transaction is False
    # The store is still usable afterwards.
    store.add_respondent(make_respondent(study.id, "R02"))
    assert [r.code for r in store.respondents_of(study.id)] == ["R01", "R02"]


def test_duplicate_code_outside_block(store: Store, study: Study, respondent: Respondent):
    with pytest.raises(SaveFailed, match="Niet opgeslagen"):
        store.add_respondent(make_respondent(study.id, "R01"))
    assert store.db.conn.in_transaction is False
    assert len(store.respondents_of(study.id)) == 1
    # The same code in another study is fine.
    other = store.add_study(make_study("Ander"))
    store.add_respondent(make_respondent(other.id, "R01"))
    assert [r.code for r in store.respondents_of(other.id)] == ["R01"]


def test_add_answer_is_committed(store: Store, db_path: Path, interview: Interview):
    answer = store.add_answer(interview.id, "leeftijd", 44)
    assert store.db.conn.in_transaction is False
    other = sqlite3.connect(db_path)
    try:
        rows = other.execute(
            "SELECT interview_id, question_id, step_id, revision, value FROM answers"
        ).fetchall()
    finally:
        other.close()
    assert rows == [(interview.id, "leeftijd", "", 1, "44")]
    assert answer.revision == 1


def test_writes_visible_to_second_connection(store: Store, db_path: Path, interview: Interview):
    step = store.insert_step(interview.id, description="Zichtbaar")
    store.record_consent(Consent(interview_id=interview.id, item="participation", granted=True, text_version="t", question_set_version="2"))
    other = sqlite3.connect(db_path)
    try:
        assert other.execute("SELECT description FROM steps WHERE id = ?", [step.id]).fetchone() == ("Zichtbaar",)
        assert other.execute("SELECT granted FROM consents").fetchall() == [(1,)]
        assert other.execute("SELECT count(*) FROM interviews").fetchone()[0] == 1
    finally:
        other.close()


# --- answers ---------------------------------------------------------------------------------


def test_answers_are_append_only_revisions(store: Store, interview: Interview):
    first = store.add_answer(interview.id, "leeftijd", 40)
    second = store.add_answer(interview.id, "leeftijd", 41)
    assert (first.revision, second.revision) == (1, 2)
    got = store.answers_of(interview.id)
    assert [(a.question_id, a.revision, a.value) for a in got] == [("leeftijd", 1, 40), ("leeftijd", 2, 41)]
    assert got[0] == first
    third = store.add_answer(interview.id, "leeftijd", None, retracted=True)
    assert third.revision == 3
    assert [a.value for a in store.answers_of(interview.id)] == [40, 41, None]


def test_answers_listed_in_recording_order_when_clock_steps_back(store: Store, interview: Interview, monkeypatch):
    """The wall clock can be set back (NTP, manual fix); answers_of must still list answers in the order they were
    added, since undo takes the last element as the most recent action."""
    from klantreis_tui.models import records

    times = iter([T0 + timedelta(minutes=10), T0])  # the second answer gets an earlier timestamp

    class SteppingClock(datetime):
        @classmethod
        def now(cls, tz=None):
            return next(times)

    monkeypatch.setattr(records, "datetime", SteppingClock)
    store.add_answer(interview.id, "leeftijd", 40)
    store.add_answer(interview.id, "postcode", "Noord")
    assert [a.question_id for a in store.answers_of(interview.id)] == ["leeftijd", "postcode"]


def test_revision_counters_are_separate(store: Store, study: Study, respondent: Respondent, interview: Interview):
    assert store.add_answer(interview.id, "wat", "a", step_id="s1").revision == 1
    assert store.add_answer(interview.id, "wat", "b", step_id="s2").revision == 1
    assert store.add_answer(interview.id, "wat", "c", step_id="s1").revision == 2
    assert store.add_answer(interview.id, "wat", "d").revision == 1
    assert store.add_answer(interview.id, "ander", "e", step_id="s1").revision == 1
    other = store.add_interview(make_interview(study.id, respondent.id))
    assert store.add_answer(other.id, "wat", "f", step_id="s1").revision == 1

    got = [(a.step_id, a.revision, a.value) for a in store.answers_of(interview.id) if a.question_id == "wat"]
    assert got == [("s1", 1, "a"), ("s2", 1, "b"), ("s1", 2, "c"), ("", 1, "d")]
    assert [a.value for a in store.answers_of(other.id)] == ["f"]


def test_answer_with_the_revision_the_caller_knows(store: Store, db_path: Path, interview: Interview):
    """The save path passes the revision its state expects; when another window took that one meanwhile, the
    answer gets the next free one: nothing overwritten, nothing refused."""
    assert store.add_answer(interview.id, "leeftijd", 40, revision=1).revision == 1
    other = Store.open(db_path)
    try:
        assert other.add_answer(interview.id, "leeftijd", 41).revision == 2  # the other window
    finally:
        other.close()
    late = store.add_answer(interview.id, "leeftijd", 42, revision=2)  # what this window still expects
    assert late.revision == 3
    got = store.answers_of(interview.id)
    assert [(a.revision, a.value) for a in got] == [(1, 40), (2, 41), (3, 42)]
    assert got[-1] == late
    assert store.in_transaction() is False


def test_answer_the_model_refuses_is_not_committed(store: Store, interview: Interview):
    """The answer is checked inside its transaction: what the model refuses leaves no row behind."""
    with pytest.raises(ValidationError):
        store.add_answer(interview.id, 5, 40)  # type: ignore[arg-type]  # SQLite would take it as '5'
    assert store.answers_of(interview.id) == []
    assert store.in_transaction() is False


def test_failure_inside_a_nested_block_rolls_back_the_outer_one(store: Store, interview: Interview):
    """A write SQLite refuses in an inner block (here: an answer whose interview is gone) rolls back the whole
    transaction and says why, in the UI language; the store takes the next save."""
    with pytest.raises(SaveFailed, match="Niet opgeslagen") as raised:
        with store.atomic():
            store.add_answer(interview.id, "voor", "weg")
            with store.atomic():
                store.add_answer("geen-interview", "wat", "x")
    assert isinstance(raised.value.__cause__, sqlite3.IntegrityError)
    assert store.answers_of(interview.id) == []
    assert store.in_transaction() is False
    assert store.add_answer(interview.id, "voor", "echt").revision == 1


def test_profile_field_set_through_the_interview(store: Store, study: Study, respondent: Respondent, interview: Interview):
    other = store.add_respondent(make_respondent(study.id, "R02"))
    store.set_interview_respondent_field(interview.id, "age_band", "35-44")
    store.set_interview_respondent_field(interview.id, "segment", "ondernemer")
    got = store.get_respondent(respondent.id)
    assert (got.age_band, got.segment) == ("35-44", "ondernemer")
    assert store.get_respondent(other.id) == other  # only the interview's own respondent
    with pytest.raises(ValueError):
        store.set_interview_respondent_field(interview.id, "code", "R09")
    assert store.get_respondent(respondent.id).code == "R01"


def test_answers_consents_and_steps_saved_without_sqlite_utils(store: Store, interview: Interview, monkeypatch):
    """The save path is plain sqlite3 with prepared statements: sqlite-utils (its table lookups, its SQL built
    anew each time) is not used to save an answer, a consent, a profile field or a step."""
    def no_sqlite_utils(self):
        raise AssertionError("sqlite-utils used on the save path")

    monkeypatch.setattr(Store, "db", property(no_sqlite_utils))
    step = store.insert_step(interview.id, description="Belde")
    store.add_answer(interview.id, "wat", "Belde", step_id=step.id, revision=1)
    store.update_step(step.id, step, description="Belde op", instances=["Gemeente"])
    store.set_interview_respondent_field(interview.id, "age_band", "25-34")
    store.record_consent(Consent(interview_id=interview.id, item="quotes", granted=True, text_version="t",
                                 question_set_version="2"))
    store.record_consent(Consent(interview_id=interview.id, item="quotes", granted=False, text_version="t2",
                                 question_set_version="2"))
    monkeypatch.undo()
    assert store.get_step(step.id).instances == ["Gemeente"]
    assert [(c.granted, c.text_version) for c in store.consents_of(interview.id)] == [(False, "t2")]
    assert store.get_respondent(interview.respondent_id).age_band == "25-34"


# --- steps -----------------------------------------------------------------------------------


def layout(store: Store, interview_id: str) -> list[tuple[int, str]]:
    return [(s.position, s.description) for s in store.steps_of(interview_id)]


def test_insert_steps(store: Store, interview: Interview):
    for name in "ABC":
        store.insert_step(interview.id, description=name)
    assert layout(store, interview.id) == [(1, "A"), (2, "B"), (3, "C")]

    z = store.insert_step(interview.id, 1, description="Z")
    assert z.position == 1
    assert layout(store, interview.id) == [(1, "Z"), (2, "A"), (3, "B"), (4, "C")]

    store.insert_step(interview.id, 3, description="M")
    assert layout(store, interview.id) == [(1, "Z"), (2, "A"), (3, "M"), (4, "B"), (5, "C")]

    end = store.insert_step(interview.id, 99, description="E")
    assert end.position == 6
    assert layout(store, interview.id)[-1] == (6, "E")
    # Positions stored match what get_step reports.
    for step in store.steps_of(interview.id):
        assert store.get_step(step.id).position == step.position


def test_steps_of_other_interview_untouched(store: Store, study: Study, respondent: Respondent, interview: Interview):
    other = store.add_interview(make_interview(study.id, respondent.id))
    for name in "XY":
        store.insert_step(other.id, description=name)
    for name in "AB":
        store.insert_step(interview.id, description=name)
    store.insert_step(interview.id, 1, description="Z")
    victim = store.steps_of(interview.id)[1]
    store.move_step(victim.id, 3)
    store.delete_step(store.steps_of(interview.id)[0].id)
    assert layout(store, other.id) == [(1, "X"), (2, "Y")]
    assert layout(store, interview.id) == [(1, "B"), (2, "A")]


def test_move_steps(store: Store, interview: Interview):
    ids = {name: store.insert_step(interview.id, description=name).id for name in "ABCD"}

    moved = store.move_step(ids["D"], 2)  # up
    assert moved.position == 2
    assert layout(store, interview.id) == [(1, "A"), (2, "D"), (3, "B"), (4, "C")]

    moved = store.move_step(ids["A"], 3)  # down
    assert moved.position == 3
    assert layout(store, interview.id) == [(1, "D"), (2, "B"), (3, "A"), (4, "C")]

    store.move_step(ids["C"], 1)  # to the top
    assert layout(store, interview.id) == [(1, "C"), (2, "D"), (3, "B"), (4, "A")]

    store.move_step(ids["C"], 4)  # to the bottom
    assert layout(store, interview.id) == [(1, "D"), (2, "B"), (3, "A"), (4, "C")]

    store.move_step(ids["B"], 99)  # clamped to the end
    assert layout(store, interview.id) == [(1, "D"), (2, "A"), (3, "C"), (4, "B")]

    store.move_step(ids["B"], 0)  # clamped to the start
    assert layout(store, interview.id) == [(1, "B"), (2, "D"), (3, "A"), (4, "C")]

    unchanged = store.move_step(ids["D"], 2)  # already there
    assert unchanged.position == 2
    assert layout(store, interview.id) == [(1, "B"), (2, "D"), (3, "A"), (4, "C")]


def test_delete_steps_renumbers(store: Store, interview: Interview):
    ids = {name: store.insert_step(interview.id, description=name).id for name in "ABCDE"}
    store.delete_step(ids["B"])
    assert layout(store, interview.id) == [(1, "A"), (2, "C"), (3, "D"), (4, "E")]
    store.delete_step(ids["A"])
    assert layout(store, interview.id) == [(1, "C"), (2, "D"), (3, "E")]
    store.delete_step(ids["E"])
    assert layout(store, interview.id) == [(1, "C"), (2, "D")]
    with pytest.raises(KeyError):
        store.get_step(ids["B"])
    store.insert_step(interview.id, description="F")
    assert layout(store, interview.id) == [(1, "C"), (2, "D"), (3, "F")]
    store.delete_step(ids["C"])
    store.delete_step(ids["D"])
    assert layout(store, interview.id) == [(1, "F")]


def test_update_step_validates(store: Store, interview: Interview):
    step = store.insert_step(interview.id, description="Belde", emotion=1, pain_point="Wachten")
    with pytest.raises(ValidationError):
        store.update_step(step.id, emotion=5)
    assert store.get_step(step.id) == step

    with pytest.raises(ValidationError):
        store.update_step(step.id, description="Veranderd", emotion=-3)
    assert store.get_step(step.id) == step
    assert store.db.conn.in_transaction is False

    updated = store.update_step(step.id, emotion=-1, pain_point="Lang wachten")
    assert (updated.emotion, updated.pain_point, updated.description) == (-1, "Lang wachten", "Belde")
    assert store.get_step(step.id) == updated


def test_update_step_leaves_the_known_step_as_it_was(store: Store, interview: Interview):
    """The step the caller holds (its state's) is not changed by the update: the new one is a copy."""
    step = store.insert_step(interview.id, description="Belde", quotes=["Lang gewacht"])
    before = step.model_dump()
    updated = store.update_step(step.id, step, description="Belde twee keer", quotes=["Nieuw", "Lang gewacht"])
    assert step.model_dump() == before
    assert store.get_step(step.id) == updated
    assert (updated.description, updated.quotes) == ("Belde twee keer", ["Nieuw", "Lang gewacht"])
    with pytest.raises(ValidationError):
        store.update_step(step.id, updated, emotion=3)  # the changed field is still checked
    assert store.get_step(step.id) == updated


def test_update_step_rejects_unknown_field(store: Store, interview: Interview):
    step = store.insert_step(interview.id, description="Belde")
    with pytest.raises((ValueError, KeyError)):
        store.update_step(step.id, onbekend="x")
    assert store.get_step(step.id) == step


@pytest.mark.parametrize("field", ["position", "id", "interview_id"])
def test_update_step_refuses_structural_fields(
    store: Store, study: Study, respondent: Respondent, interview: Interview, field: str
):
    """Position, id and interview are managed by insert/move/delete; update_step must not bypass them."""
    other = store.add_interview(make_interview(study.id, respondent.id))
    value = {"position": 9, "id": "nieuw-id", "interview_id": other.id}[field]
    a = store.insert_step(interview.id, description="A")
    b = store.insert_step(interview.id, description="B")
    with pytest.raises((ValueError, KeyError)):
        store.update_step(a.id, **{field: value})
    assert store.steps_of(interview.id) == [a, b]
    assert layout(store, interview.id) == [(1, "A"), (2, "B")]
    assert store.steps_of(other.id) == []


def test_insert_step_validates(store: Store, interview: Interview):
    with pytest.raises(ValidationError):
        store.insert_step(interview.id, emotion=3)
    assert store.steps_of(interview.id) == []
    store.insert_step(interview.id, description="A")
    with pytest.raises(ValidationError):
        store.insert_step(interview.id, 1, description="B", emotion=-7)
    # The failed insert at position 1 did not leave the shift behind.
    assert layout(store, interview.id) == [(1, "A")]


# --- respondent codes ----------------------------------------------------------------------------


def test_next_respondent_code(store: Store, study: Study):
    assert store.next_respondent_code(study.id) == "R01"
    store.add_respondent(make_respondent(study.id, store.next_respondent_code(study.id)))
    assert store.next_respondent_code(study.id) == "R02"
    store.add_respondent(make_respondent(study.id, "R02"))
    store.add_respondent(make_respondent(study.id, "R04"))
    assert store.next_respondent_code(study.id) == "R03"
    store.add_respondent(make_respondent(study.id, "R03"))
    assert store.next_respondent_code(study.id) == "R05"
    assert store.next_respondent_code(study.id, prefix="P") == "P01"

    other = store.add_study(make_study("Ander"))
    assert store.next_respondent_code(other.id) == "R01"


# --- listings ------------------------------------------------------------------------------------


def test_list_interviews_order_and_counts(store: Store, study: Study):
    r1 = store.add_respondent(make_respondent(study.id, "R01"))
    r2 = store.add_respondent(make_respondent(study.id, "R02"))
    day = timedelta(days=1)
    done_old = store.add_interview(make_interview(study.id, r1.id, started_at=T0, status=InterviewStatus.afgerond))
    busy_old = store.add_interview(make_interview(study.id, r2.id, started_at=T0 + day))
    stopped_new = store.add_interview(make_interview(study.id, r1.id, started_at=T0 + 3 * day, status=InterviewStatus.afgebroken))
    busy_new = store.add_interview(make_interview(study.id, r1.id, started_at=T0 + 2 * day))
    for name in "ABC":
        store.insert_step(busy_old.id, description=name)
    store.insert_step(done_old.id, description="X")

    other_study = store.add_study(make_study("Ander"))
    r_other = store.add_respondent(make_respondent(other_study.id, "R01"))
    elsewhere = store.add_interview(make_interview(other_study.id, r_other.id, started_at=T0 + 9 * day))

    rows = store.list_interviews(study.id)
    assert all(isinstance(r, InterviewRow) for r in rows)
    assert [r.interview.id for r in rows] == [busy_new.id, busy_old.id, stopped_new.id, done_old.id]
    assert [r.step_count for r in rows] == [0, 3, 0, 1]
    assert [r.respondent_code for r in rows] == ["R01", "R02", "R01", "R01"]
    assert rows[2].interview == stopped_new

    everything = store.list_interviews()
    assert [r.interview.id for r in everything] == [
        elsewhere.id,
        busy_new.id,
        busy_old.id,
        stopped_new.id,
        done_old.id,
    ]


def test_list_studies_counts_interviews(store: Store):
    older = store.add_study(make_study("Oud", created_at=T0))
    newer = store.add_study(make_study("Nieuw", created_at=T0 + timedelta(days=1)))
    r = store.add_respondent(make_respondent(older.id, "R01"))
    store.add_interview(make_interview(older.id, r.id))
    store.add_interview(make_interview(older.id, r.id))

    rows = store.list_studies()
    assert all(isinstance(row, StudyRow) for row in rows)
    assert [(row.study.id, row.interview_count) for row in rows] == [(newer.id, 0), (older.id, 2)]
    assert rows[1].study == older


# --- deleting data -------------------------------------------------------------------------------


def test_delete_interview_data_keeps_named_answers(store: Store, study: Study, respondent: Respondent, interview: Interview):
    other = store.add_interview(make_interview(study.id, respondent.id))
    step = store.insert_step(interview.id, description="A")
    store.insert_step(other.id, description="B")
    store.add_answer(interview.id, "mee", True)
    store.add_answer(interview.id, "citaten", False)
    store.add_answer(interview.id, "citaten", True)
    store.add_answer(interview.id, "leeftijd", 50)
    store.add_answer(interview.id, "wat", "Belde", step_id=step.id)
    store.add_answer(other.id, "leeftijd", 30)
    consent = store.record_consent(
        Consent(interview_id=interview.id, item="participation", granted=True, text_version="t", question_set_version="2")
    )

    store.delete_interview_data(interview.id, keep_questions={"mee", "citaten"})

    kept = [(a.question_id, a.revision, a.value) for a in store.answers_of(interview.id)]
    assert kept == [("mee", 1, True), ("citaten", 1, False), ("citaten", 2, True)]
    assert store.steps_of(interview.id) == []
    assert [a.value for a in store.answers_of(other.id)] == [30]
    assert layout(store, other.id) == [(1, "B")]
    assert store.consents_of(interview.id) == [consent]
    assert store.get_interview(interview.id) == interview


def test_delete_interview_data_without_keep(store: Store, interview: Interview):
    store.add_answer(interview.id, "mee", True)
    store.add_answer(interview.id, "leeftijd", 50)
    store.insert_step(interview.id, description="A")
    store.delete_interview_data(interview.id)
    assert store.answers_of(interview.id) == []
    assert store.steps_of(interview.id) == []


def test_steps_table_columns_are_the_keys_and_the_step_fields(tmp_path):
    from klantreis_tui.models import steps as step_fields

    store = Store.open(tmp_path / "k.db")
    try:
        columns = [row[1] for row in store.db.execute("PRAGMA table_info(steps)").fetchall()]
    finally:
        store.close()
    assert columns == ["id", "interview_id", "position", *step_fields.NAMES]


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(_JSON)
def test_the_stored_json_text_is_what_json_dumps_writes(value):
    # answer values and step lists are written with an encoder made once: the same text as json.dumps
    import json

    from klantreis_tui.storage.base import _dumps

    assert _dumps(value) == json.dumps(value, ensure_ascii=False)


def test_a_step_row_holds_what_model_dump_gives(tmp_path):
    # a step is written from its fields as they are (no copy through model_dump): the same row, with its lists
    # as JSON text and its flags as numbers; a field that is no flat value would show here
    import json

    from klantreis_tui.models import steps as step_fields
    from klantreis_tui.models.records import Step

    step = Step(interview_id="i", position=2, phase="aanvraag", instances=["UWV", "Gemeente"], channels=["telefoon"],
                emotion=-1, emotion_words=["boos"], quotes=["“zo ging het”"], moment_of_truth=True)
    expected = step.model_dump()
    for name in step_fields.LIST_NAMES:
        expected[name] = json.dumps(expected[name], ensure_ascii=False)
    for name in step_fields.FLAG_NAMES:
        expected[name] = int(expected[name])
    assert Store._step_row(step) == expected
    assert step.instances == ["UWV", "Gemeente"]  # the step itself unchanged
