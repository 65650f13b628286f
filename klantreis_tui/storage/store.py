"""The SQLite store: the only code that knows table names and SQL."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter
from sqlite_utils import Database

from klantreis_tui.i18n import t
from klantreis_tui.models.records import (
    Answer,
    Consent,
    Identity,
    Interview,
    InterviewStatus,
    Respondent,
    Step,
    Study,
)
from klantreis_tui.models import steps as step_fields
from klantreis_tui.storage.schema import MIGRATION_SET, SCHEMA_VERSION, known_migrations, migrations

TABLES = ("studies", "respondents", "interviews", "consents", "answers", "steps")
JSON_STEP_FIELDS = step_fields.LIST_NAMES
STEP_COLUMNS = step_fields.NAMES


_ANSWERS = TypeAdapter(list[Answer])


class StorageError(Exception):
    """The database cannot be used; the message is meant for the user."""


class SaveFailed(StorageError):
    """A write did not reach the database (disk full, read-only file, locked, I/O error); nothing of it is stored."""


@dataclass(frozen=True)
class StudyRow:
    study: Study
    interview_count: int


@dataclass(frozen=True)
class InterviewRow:
    interview: Interview
    respondent_code: str
    step_count: int


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


def sqlite_reason(exc: BaseException) -> str:
    """SQLite's (English) error in the UI language, its own words kept after it for whoever looks further."""
    raw = str(exc)
    for fragment, key in _SQLITE_REASONS.items():
        if fragment in raw.lower():
            return f"{t(key)} [{raw}]"
    return raw


def _loads_many(texts: list[str]) -> list[Any]:
    """Decode many JSON texts (as this store wrote them) in one call."""
    return json.loads("[" + ",".join(texts) + "]") if texts else []


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _inspect(conn: sqlite3.Connection, path: str, quick_check_limit: int = 16 * 2**20) -> None:
    """Refuse, before anything is written, a file that is damaged, foreign or from a newer version.

    Damage raises sqlite3.DatabaseError (the caller words the message); foreign and newer raise StorageError.
    A file up to ``quick_check_limit`` bytes gets a full PRAGMA quick_check (about 15 ms for 14 MiB, 1,000
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
            raise sqlite3.DatabaseError(t("db.no_database"))
        if wal_empty and page_count * page_size > size:
            raise sqlite3.DatabaseError(t("db.truncated", size=size, expected=page_count * page_size))
        if size <= quick_check_limit:
            problems = [row[0] for row in conn.execute("PRAGMA quick_check(5)")]
            if problems != ["ok"]:
                raise sqlite3.DatabaseError(t("db.check_failed", problems="; ".join(problems)[:300]))
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
        raise StorageError(t("db.newer", path=path, found=found, known=SCHEMA_VERSION))
    if not applied and tables - {"_sqlite_migrations"}:
        # tables, but none of our migrations: another program's database (even if a name matches ours)
        raise StorageError(t("db.foreign", path=path, tables=", ".join(sorted(tables))))


def presence_path(path: str | Path) -> Path:
    """The file every open klantreis holds a shared lock on while it has the database open."""
    return Path(f"{path}.open")


def hold_presence(path: str) -> Any:
    """A shared lock that says "klantreis has this database open" (POSIX; elsewhere: None)."""
    if path == ":memory:":
        return None
    try:
        import fcntl
    except ImportError:  # Windows: an open database file cannot be moved away there anyway
        return None
    try:
        handle = open(presence_path(path), "a+b")  # noqa: SIM115 - held until close
        os.chmod(handle.name, 0o600)
        fcntl.flock(handle.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        return None  # a read-only folder, or a restore holds it exclusively right now: opening still works
    return handle


def in_use_elsewhere(path: str | Path) -> bool:
    """Whether another process has the database open through klantreis (POSIX only)."""
    try:
        import fcntl
    except ImportError:
        return False
    marker = presence_path(path)
    if not marker.exists():
        return False
    try:
        with open(marker, "a+b") as handle:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return True
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    except OSError:
        return False
    return False


class Store:
    """A klantreis database. Every public write is one transaction, committed before it returns."""

    def __init__(self, db: Database, path: str):
        self.db = db
        self.path = path
        self._presence: Any = None

    # --- opening -------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, create: bool = True, presence: bool = True) -> "Store":
        """Open (and if needed create and migrate) the database at ``path``.

        Raises StorageError with a user-facing message for a damaged, foreign or newer file. ``presence``:
        hold the shared lock that tells a restore that klantreis has this database open.
        """
        path = str(path)
        if path != ":memory:":
            file = Path(path)
            if not file.exists():
                if not create:
                    raise StorageError(t("cli.db_info.missing", path=path))
                try:
                    file.parent.mkdir(parents=True, exist_ok=True)
                    # interview data: readable by this user only (SQLite gives -wal/-shm the same mode)
                    os.close(os.open(file, os.O_CREAT | os.O_WRONLY, 0o600))
                except OSError as exc:
                    raise StorageError(t("db.unwritable", path=path, error=exc.strerror or exc)) from None
        try:
            conn = sqlite3.connect(path, isolation_level=None, timeout=10)
        except sqlite3.Error as exc:
            raise StorageError(t("db.unwritable", path=path, error=sqlite_reason(exc))) from None
        try:
            _inspect(conn, path)
            conn.execute("PRAGMA busy_timeout = 10000")
            conn.execute("PRAGMA foreign_keys = ON")
            if path != ":memory:":
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            # deleted content is overwritten in the file, whatever SQLite's compile-time default
            conn.execute("PRAGMA secure_delete = ON")
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
            raise StorageError(t("db.unwritable", path=path, error=exc.strerror or exc)) from None
        except sqlite3.DatabaseError as exc:
            conn.close()
            if any(word in str(exc) for word in ("readonly", "unable to open", "database is locked")):
                raise StorageError(t("db.unwritable", path=path, error=sqlite_reason(exc))) from None
            # imported here: backup.py builds on this module
            from klantreis_tui.storage.backup import list_backups

            backups = list_backups(Path(path)) if path != ":memory:" else []
            if backups:
                when = backups[0].created.strftime("%Y-%m-%d %H:%M")
                raise StorageError(
                    t("db.damaged_backup", path=path, error=sqlite_reason(exc), backup=backups[0].path, when=when)
                ) from None
            raise StorageError(t("db.damaged", path=path, error=sqlite_reason(exc))) from None
        store = cls(db, path)
        store._presence = hold_presence(path) if presence else None
        return store

    def close(self) -> None:
        self.db.close()
        if self._presence is not None:
            self._presence.close()

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """One transaction (a savepoint when nested): all of it is committed, or none.

        A write that the disk refuses raises SaveFailed with a message for the user.
        """
        conn = self.db.conn
        try:
            if conn.in_transaction:
                # inside an outer transaction: its commit or rollback covers this block too
                yield
                return
            # IMMEDIATE takes the write lock up front, so a second instance waits instead of failing midway
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        except (sqlite3.OperationalError, sqlite3.IntegrityError) as exc:
            # IntegrityError: the row it refers to is gone (deleted by another window, e.g. forget)
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise SaveFailed(t("db.write_failed", path=self.path, error=sqlite_reason(exc))) from exc

    def size(self) -> int:
        """The database file's size in bytes (0 in memory)."""
        return 0 if self.path == ":memory:" else Path(self.path).stat().st_size

    def data_version(self) -> int:
        return self.db.execute("PRAGMA data_version").fetchone()[0]

    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def applied_migrations(self) -> list[str]:
        return [m.name for m in migrations.applied(self.db)]

    def counts(self) -> dict[str, int]:
        return {name: self.db.execute(f"SELECT count(*) FROM [{name}]").fetchone()[0] for name in TABLES}

    def _rows(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        cursor = self.db.execute(sql, params)
        columns = [c[0] for c in cursor.description]
        return [dict(zip(columns, row)) for row in cursor.fetchall()]

    # --- studies -----------------------------------------------------------------------

    def add_study(self, study: Study) -> Study:
        with self.atomic():
            self.db["studies"].insert(self._study_row(study))
        return study

    def update_study(self, study: Study) -> Study:
        with self.atomic():
            self.db["studies"].update(study.id, self._study_row(study))
        return study

    @staticmethod
    def _study_row(study: Study) -> dict[str, Any]:
        row = study.model_dump()
        row["retention_until"] = study.retention_until.isoformat() if study.retention_until else None
        row["created_at"] = _iso(study.created_at)
        return row

    def get_study(self, study_id: str) -> Study:
        rows = self._rows("SELECT * FROM studies WHERE id = ?", [study_id])
        if not rows:
            raise KeyError(study_id)
        return Study.model_validate(rows[0])

    def list_studies(self) -> list[StudyRow]:
        rows = self._rows(
            """
            SELECT s.*, (SELECT count(*) FROM interviews i WHERE i.study_id = s.id) AS interview_count
            FROM studies s ORDER BY s.created_at DESC, s.title
            """
        )
        return [StudyRow(Study.model_validate({k: v for k, v in r.items() if k != "interview_count"}), r["interview_count"]) for r in rows]

    # --- respondents -------------------------------------------------------------------

    def add_respondent(self, respondent: Respondent) -> Respondent:
        with self.atomic():
            self.db["respondents"].insert(respondent.model_dump())
        return respondent

    def get_respondent(self, respondent_id: str) -> Respondent:
        rows = self._rows("SELECT * FROM respondents WHERE id = ?", [respondent_id])
        if not rows:
            raise KeyError(respondent_id)
        return self._respondent(rows[0])

    @staticmethod
    def _respondent(row: dict[str, Any]) -> Respondent:
        return Respondent.model_validate({**row, "tags": json.loads(row["tags"])})

    def step_values(self, study_id: str, field: str) -> list[str]:
        """The distinct values of a list or text step field used in a study, most used first."""
        if field in ("instances", "channels"):
            sql = f"""
                SELECT j.value AS v, count(*) AS n FROM steps s JOIN interviews i ON i.id = s.interview_id,
                json_each(s.{field}) j WHERE i.study_id = ? GROUP BY v ORDER BY n DESC, v"""
        elif field == "phase":
            sql = """
                SELECT s.phase AS v, count(*) AS n FROM steps s JOIN interviews i ON i.id = s.interview_id
                WHERE i.study_id = ? AND s.phase != '' GROUP BY v ORDER BY n DESC, v"""
        else:
            raise ValueError(field)
        return [row[0] for row in self.db.execute(sql, [study_id]).fetchall()]

    def respondents_of(self, study_id: str) -> list[Respondent]:
        return [self._respondent(r) for r in self._rows("SELECT * FROM respondents WHERE study_id = ? ORDER BY code", [study_id])]

    def set_respondent_field(self, respondent_id: str, field: str, value: str) -> None:
        if field not in ("age_band", "segment"):
            raise ValueError(field)
        with self.atomic():
            self.db.execute(f"UPDATE respondents SET {field} = ? WHERE id = ?", [value, respondent_id])

    # --- interviews -------------------------------------------------------------------

    def add_interview(self, interview: Interview) -> Interview:
        with self.atomic():
            self.db["interviews"].insert(self._interview_row(interview))
        return interview

    @staticmethod
    def _interview_row(interview: Interview) -> dict[str, Any]:
        row = interview.model_dump()
        row["status"] = interview.status.value
        row["started_at"] = _iso(interview.started_at)
        row["ended_at"] = _iso(interview.ended_at)
        return row

    def get_interview(self, interview_id: str) -> Interview:
        rows = self._rows("SELECT * FROM interviews WHERE id = ?", [interview_id])
        if not rows:
            raise KeyError(interview_id)
        return Interview.model_validate(rows[0])

    def list_interviews(self, study_id: str | None = None) -> list[InterviewRow]:
        where, params = ("WHERE i.study_id = ?", [study_id]) if study_id else ("", [])
        rows = self._rows(
            f"""
            SELECT i.*, r.code AS respondent_code,
                   (SELECT count(*) FROM steps s WHERE s.interview_id = i.id) AS step_count
            FROM interviews i JOIN respondents r ON r.id = i.respondent_id
            {where}
            ORDER BY i.status != 'bezig', i.started_at DESC
            """,
            params,
        )
        result = []
        for r in rows:
            code, count = r.pop("respondent_code"), r.pop("step_count")
            result.append(InterviewRow(Interview.model_validate(r), code, count))
        return result

    def set_status(self, interview_id: str, status: InterviewStatus, ended_at: datetime | None) -> None:
        with self.atomic():
            self.db.execute(
                "UPDATE interviews SET status = ?, ended_at = ? WHERE id = ?",
                [status.value, _iso(ended_at), interview_id],
            )

    # --- consent -----------------------------------------------------------------------

    def record_consent(self, consent: Consent) -> Consent:
        row = consent.model_dump()
        row["recorded_at"] = _iso(consent.recorded_at)
        with self.atomic():
            self.db["consents"].upsert(row, pk=("interview_id", "item"))
        return consent

    def consents_of(self, interview_id: str) -> list[Consent]:
        rows = self._rows("SELECT * FROM consents WHERE interview_id = ? ORDER BY recorded_at, item", [interview_id])
        return [Consent.model_validate({**r, "granted": bool(r["granted"])}) for r in rows]

    # --- answers -----------------------------------------------------------------------

    def add_answer(
        self,
        interview_id: str,
        question_id: str,
        value: Any,
        *,
        step_id: str = "",
        skipped: bool = False,
        retracted: bool = False,
    ) -> Answer:
        """Append a revision of an answer (never overwrites) and return it, committed."""
        with self.atomic():
            revision = 1 + self.db.execute(
                "SELECT coalesce(max(revision), 0) FROM answers WHERE interview_id = ? AND question_id = ? AND step_id = ?",
                [interview_id, question_id, step_id],
            ).fetchone()[0]
            answer = Answer(
                interview_id=interview_id,
                question_id=question_id,
                step_id=step_id,
                revision=revision,
                value=value,
                skipped=skipped,
                retracted=retracted,
            )
            row = answer.model_dump()
            row["value"] = json.dumps(value, ensure_ascii=False)
            row["recorded_at"] = _iso(answer.recorded_at)
            self._insert_many("answers", [row])  # plain SQL: the hot path of every answer
        return answer

    def answers_of(self, interview_id: str) -> list[Answer]:
        """Every revision of every answer of an interview, in the order they were recorded."""
        rows = self._rows("SELECT * FROM answers WHERE interview_id = ? ORDER BY rowid", [interview_id])
        for row in rows:
            row["value"] = json.loads(row["value"])
            row["skipped"], row["retracted"] = bool(row["skipped"]), bool(row["retracted"])
        return _ANSWERS.validate_python(rows)

    def _insert_many(self, table: str, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        columns = list(rows[0])
        sql = f"INSERT INTO [{table}] ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
        self.db.conn.executemany(sql, [[row[c] for c in columns] for row in rows])

    def insert_records(
        self,
        studies: list[Study] = (),  # type: ignore[assignment]
        respondents: list[Respondent] = (),  # type: ignore[assignment]
        interviews: list[Interview] = (),  # type: ignore[assignment]
        consents: list[Consent] = (),  # type: ignore[assignment]
        answers: list[Answer] = (),  # type: ignore[assignment]
        steps: list[Step] = (),  # type: ignore[assignment]
    ) -> None:
        """Insert many records exactly as they are (bundle import), in one transaction."""
        def answer_row(answer: Answer) -> dict[str, Any]:
            row = answer.model_dump()
            row["value"] = json.dumps(answer.value, ensure_ascii=False)
            row["recorded_at"] = _iso(answer.recorded_at)
            return row

        def consent_row(consent: Consent) -> dict[str, Any]:
            row = consent.model_dump()
            row["recorded_at"] = _iso(consent.recorded_at)
            return row

        def respondent_row(respondent: Respondent) -> dict[str, Any]:
            row = respondent.model_dump()
            row["tags"] = json.dumps(row["tags"], ensure_ascii=False)
            return row

        with self.atomic():
            self._insert_many("studies", [self._study_row(s) for s in studies])
            self._insert_many("respondents", [respondent_row(r) for r in respondents])
            self._insert_many("interviews", [self._interview_row(i) for i in interviews])
            self._insert_many("consents", [consent_row(c) for c in consents])
            self._insert_many("answers", [answer_row(a) for a in answers])
            self._insert_many("steps", [self._step_row(s) for s in steps])

    # --- many interviews at once (exports, syntheses) ---------------------------------------------

    @staticmethod
    def _chunked(sql: str, ids: list[str]) -> Iterator[tuple[str, list[str]]]:
        """``sql`` with ``{ids}`` for a list of placeholders, in chunks under SQLite's variable limit."""
        for start in range(0, len(ids), 900):
            chunk = ids[start : start + 900]
            yield sql.format(ids=", ".join("?" for _ in chunk)), chunk

    def _rows_for(self, sql: str, ids: list[str]) -> list[dict[str, Any]]:
        return [row for query, chunk in self._chunked(sql, ids) for row in self._rows(query, chunk)]

    def _execute_for(self, sql: str, ids: list[str]) -> None:
        for query, chunk in self._chunked(sql, ids):
            self.db.execute(query, chunk)

    def bulk_records(self, interview_ids: list[str], step_answers: bool = True) -> dict[str, Any]:
        """Everything linked to the given interviews in six queries: studies, respondents, interviews,
        consents, answers (every revision, in recorded order; without ``step_answers`` only those outside the
        step loop, whose content the steps hold anyway) and steps (in order)."""
        interviews = TypeAdapter(list[Interview]).validate_python(
            self._rows_for("SELECT * FROM interviews WHERE id IN ({ids})", interview_ids)
        )
        study_ids = sorted({i.study_id for i in interviews})
        respondent_ids = sorted({i.respondent_id for i in interviews})
        studies = TypeAdapter(list[Study]).validate_python(
            self._rows_for("SELECT * FROM studies WHERE id IN ({ids})", study_ids)
        )
        respondent_rows = self._rows_for("SELECT * FROM respondents WHERE id IN ({ids})", respondent_ids)
        for row in respondent_rows:
            row["tags"] = json.loads(row["tags"])
        consent_rows = self._rows_for(
            "SELECT * FROM consents WHERE interview_id IN ({ids}) ORDER BY recorded_at, item", interview_ids
        )
        for row in consent_rows:
            row["granted"] = bool(row["granted"])
        only = "" if step_answers else "AND step_id = ''"
        answer_rows = self._rows_for(
            f"SELECT * FROM answers WHERE interview_id IN ({{ids}}) {only} ORDER BY rowid", interview_ids
        )
        # one json.loads over all values: far quicker than one call per row
        for row, value in zip(answer_rows, _loads_many([row["value"] for row in answer_rows])):
            row["value"] = value
            row["skipped"], row["retracted"] = bool(row["skipped"]), bool(row["retracted"])
        step_rows = self._rows_for(
            "SELECT * FROM steps WHERE interview_id IN ({ids}) ORDER BY interview_id, position", interview_ids
        )
        for name in JSON_STEP_FIELDS:
            for row, value in zip(step_rows, _loads_many([row[name] for row in step_rows])):
                row[name] = value
        for row in step_rows:
            row["moment_of_truth"] = bool(row["moment_of_truth"])
        return {
            "studies": studies,
            "respondents": TypeAdapter(list[Respondent]).validate_python(respondent_rows),
            "interviews": interviews,
            "consents": TypeAdapter(list[Consent]).validate_python(consent_rows),
            "answers": TypeAdapter(list[Answer]).validate_python(answer_rows),
            "steps": TypeAdapter(list[Step]).validate_python(step_rows),
        }

    def has_row(self, table: str, row_id: str) -> bool:
        if table not in ("studies", "respondents", "interviews"):
            raise ValueError(table)
        return self.db.execute(f"SELECT 1 FROM [{table}] WHERE id = ?", [row_id]).fetchone() is not None

    def has_step(self, step_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM steps WHERE id = ?", [step_id]).fetchone() is not None

    def respondent_study(self, respondent_id: str) -> str | None:
        row = self.db.execute("SELECT study_id FROM respondents WHERE id = ?", [respondent_id]).fetchone()
        return row[0] if row else None

    def respondent_code_owner(self, study_id: str, code: str) -> str | None:
        row = self.db.execute("SELECT id FROM respondents WHERE study_id = ? AND code = ?", [study_id, code]).fetchone()
        return row[0] if row else None

    # --- steps -------------------------------------------------------------------------

    def steps_of(self, interview_id: str) -> list[Step]:
        rows = self._rows("SELECT * FROM steps WHERE interview_id = ? ORDER BY position", [interview_id])
        return [self._step(r) for r in rows]

    def get_step(self, step_id: str) -> Step:
        rows = self._rows("SELECT * FROM steps WHERE id = ?", [step_id])
        if not rows:
            raise KeyError(step_id)
        return self._step(rows[0])

    @staticmethod
    def _step(row: dict[str, Any]) -> Step:
        data = dict(row)
        for name in JSON_STEP_FIELDS:
            data[name] = json.loads(data[name])
        data["moment_of_truth"] = bool(data["moment_of_truth"])
        return Step.model_validate(data)

    @staticmethod
    def _step_row(step: Step) -> dict[str, Any]:
        row = step.model_dump()
        for name in JSON_STEP_FIELDS:
            row[name] = json.dumps(row[name], ensure_ascii=False)
        row["moment_of_truth"] = int(step.moment_of_truth)
        return row

    def insert_step(self, interview_id: str, position: int | None = None, **fields: Any) -> Step:
        """Insert a step at ``position`` (1-based; default: at the end), shifting later steps down."""
        with self.atomic():
            count = self.db.execute("SELECT count(*) FROM steps WHERE interview_id = ?", [interview_id]).fetchone()[0]
            position = count + 1 if position is None else max(1, min(position, count + 1))
            self._shift(interview_id, position, count, +1)
            step = Step(interview_id=interview_id, position=position, **fields)
            self.db["steps"].insert(self._step_row(step))
        return step

    def _shift(self, interview_id: str, start: int, end: int, delta: int) -> None:
        """Move positions start..end by delta, in an order that never collides."""
        if start > end:
            return
        self.db.execute(
            "UPDATE steps SET position = -(position + ?) WHERE interview_id = ? AND position BETWEEN ? AND ?",
            [delta, interview_id, start, end],
        )
        self.db.execute("UPDATE steps SET position = -position WHERE interview_id = ? AND position < 0", [interview_id])

    def update_step(self, step_id: str, **fields: Any) -> Step:
        """Change some fields of a step; the result is validated before it is written.

        Only content fields; position and ownership change through insert, move and delete.
        """
        unknown = set(fields) - set(STEP_COLUMNS)
        if unknown:
            raise ValueError(f"not a step content field: {', '.join(sorted(unknown))}")
        if not fields:
            return self.get_step(step_id)
        with self.atomic():
            step = self.get_step(step_id).model_copy(update=fields)
            step = Step.model_validate(step.model_dump())
            row = self._step_row(step)
            assignments = ", ".join(f"{name} = ?" for name in fields)
            self.db.execute(f"UPDATE steps SET {assignments} WHERE id = ?", [*(row[k] for k in fields), step_id])
        return step

    def delete_step(self, step_id: str) -> None:
        with self.atomic():
            step = self.get_step(step_id)
            self.db.execute("DELETE FROM steps WHERE id = ?", [step_id])
            count = self.db.execute("SELECT count(*) FROM steps WHERE interview_id = ?", [step.interview_id]).fetchone()[0]
            self._shift(step.interview_id, step.position + 1, count + 1, -1)

    def move_step(self, step_id: str, new_position: int) -> Step:
        with self.atomic():
            step = self.get_step(step_id)
            count = self.db.execute("SELECT count(*) FROM steps WHERE interview_id = ?", [step.interview_id]).fetchone()[0]
            new_position = max(1, min(new_position, count))
            if new_position == step.position:
                return step
            self.db.execute("UPDATE steps SET position = 0 WHERE id = ?", [step_id])
            if new_position < step.position:
                self._shift(step.interview_id, new_position, step.position - 1, +1)
            else:
                self._shift(step.interview_id, step.position + 1, new_position, -1)
            self.db.execute("UPDATE steps SET position = ? WHERE id = ?", [new_position, step_id])
        return self.get_step(step_id)

    def delete_interview_data(self, interview_id: str, keep_questions: set[str] = frozenset()) -> None:
        """Remove the answers (but those to ``keep_questions``) and steps of an interview."""
        keep = sorted(keep_questions)
        marks = ", ".join("?" for _ in keep)
        with self.atomic():
            self.db.execute(
                f"DELETE FROM answers WHERE interview_id = ? AND question_id NOT IN ({marks})", [interview_id, *keep]
            )
            self.db.execute("DELETE FROM steps WHERE interview_id = ?", [interview_id])

    def withdraw(self, interview_id: str, keep_questions: set[str]) -> None:
        """A respondent who no longer takes part: the interview's answers (but the consent ones) and steps,
        what those answers put on the respondent (age band, segment) and the key-table entry go."""
        respondent_id = self.get_interview(interview_id).respondent_id
        with self.atomic():
            self.delete_interview_data(interview_id, keep_questions)
            self.db.execute("UPDATE respondents SET age_band = '', segment = '' WHERE id = ?", [respondent_id])
            self.delete_identity(respondent_id)

    def retired_codes(self, study_id: str) -> set[str]:
        """Codes of forgotten respondents of a study: never given out again (paper key lists may hold them)."""
        rows = self.db.execute(
            "SELECT json_extract(detail, '$.code') FROM privacy_log WHERE action = 'forget' "
            "AND json_extract(detail, '$.study_id') = ?",
            [study_id],
        ).fetchall()
        return {row[0] for row in rows if row[0]}

    def replace_answers(self, interview_id: str, questions: set[str], answers: list[Answer]) -> None:
        """Make the revisions of ``questions`` in an interview exactly ``answers`` (a backup catching up)."""
        marks = ", ".join("?" for _ in questions)
        with self.atomic():
            self.db.execute(
                f"DELETE FROM answers WHERE interview_id = ? AND question_id IN ({marks})", [interview_id, *sorted(questions)]
            )
            self.insert_records(answers=answers)

    def forgotten_respondents(self) -> set[str]:
        """Ids of respondents deleted by forget: an old bundle must not bring them back."""
        rows = self.db.execute(
            "SELECT json_extract(detail, '$.respondent_id') FROM privacy_log WHERE action = 'forget' "
            "UNION SELECT j.value FROM privacy_log, json_each(privacy_log.detail, '$.respondent_ids') j "
            "WHERE action = 'purge'"
        ).fetchall()
        return {row[0] for row in rows if row[0]}

    def next_respondent_code(self, study_id: str, prefix: str = "R") -> str:
        codes = {r.code for r in self.respondents_of(study_id)} | self.retired_codes(study_id)
        number = 1
        while f"{prefix}{number:02d}" in codes:
            number += 1
        return f"{prefix}{number:02d}"

    # --- identities (the key table) ---------------------------------------------------------

    @staticmethod
    def _identity_row(identity: Identity) -> dict[str, Any]:
        return {**identity.model_dump(), "recorded_at": _iso(identity.recorded_at)}

    def set_identity(self, identity: Identity) -> Identity:
        with self.atomic():
            self.db["identities"].upsert(self._identity_row(identity), pk="respondent_id")
        return identity

    def identity_of(self, respondent_id: str) -> Identity | None:
        rows = self._rows("SELECT * FROM identities WHERE respondent_id = ?", [respondent_id])
        return Identity.model_validate(rows[0]) if rows else None

    def identities_for(self, respondent_ids: list[str]) -> list[Identity]:
        rows = self._rows_for("SELECT * FROM identities WHERE respondent_id IN ({ids})", respondent_ids)
        return sorted((Identity.model_validate(r) for r in rows), key=lambda i: i.respondent_id)

    def delete_identity(self, respondent_id: str) -> None:
        with self.atomic():
            self.db.execute("DELETE FROM identities WHERE respondent_id = ?", [respondent_id])

    def insert_identities(self, identities: list[Identity]) -> None:
        with self.atomic():
            self._insert_many("identities", [self._identity_row(i) for i in identities])

    # --- claims: which instance has an interview open ---------------------------------------------

    def claims(self) -> dict[str, dict[str, Any]]:
        return {r["interview_id"]: r for r in self._rows("SELECT * FROM interview_claims")}

    def claim(self, interview_id: str, owner: str, host: str, pid: int, at: datetime, stale: Any) -> dict[str, Any] | None:
        """Claim an interview for ``owner``; returns the other live claim instead if there is one.

        ``stale(row)`` tells whether another owner's claim may be taken over (its process is gone).
        """
        with self.atomic():
            rows = self._rows("SELECT * FROM interview_claims WHERE interview_id = ?", [interview_id])
            if rows and rows[0]["owner"] != owner and not stale(rows[0]):
                return rows[0]
            self.db.execute(
                "INSERT OR REPLACE INTO interview_claims (interview_id, owner, host, pid, heartbeat_at) VALUES (?, ?, ?, ?, ?)",
                [interview_id, owner, host, pid, _iso(at)],
            )
        return None

    def refresh_claims(self, owner: str, at: datetime) -> None:
        with self.atomic():
            self.db.execute("UPDATE interview_claims SET heartbeat_at = ? WHERE owner = ?", [_iso(at), owner])

    def release_all(self, owner: str) -> None:
        with self.atomic():
            self.db.execute("DELETE FROM interview_claims WHERE owner = ?", [owner])

    def release(self, interview_id: str, owner: str) -> None:
        with self.atomic():
            self.db.execute("DELETE FROM interview_claims WHERE interview_id = ? AND owner = ?", [interview_id, owner])

    # --- deleting for privacy (forget, purge) ---------------------------------------------------------

    def delete_respondents(self, respondent_ids: list[str]) -> dict[str, int]:
        """Delete respondents and everything linked (interviews, consents, answers, steps, identity).

        Deleted content is overwritten in the file (secure_delete, on since ``open``); call ``compact``
        afterwards to rebuild the file and empty the write-ahead log.
        """
        counts = {"respondents": len(respondent_ids)}
        with self.atomic():
            interview_ids = [
                r["id"] for r in self._rows_for("SELECT id FROM interviews WHERE respondent_id IN ({ids})", respondent_ids)
            ]
            counts["interviews"] = len(interview_ids)
            for table in ("answers", "steps", "consents"):
                counts[table] = sum(
                    r["n"] for r in self._rows_for(f"SELECT count(*) AS n FROM [{table}] WHERE interview_id IN ({{ids}})", interview_ids)
                )
            # ON DELETE CASCADE removes interviews, consents, answers, steps, claims and the identity
            self._execute_for("DELETE FROM respondents WHERE id IN ({ids})", respondent_ids)
        return counts

    def delete_studies(self, study_ids: list[str]) -> dict[str, int]:
        with self.atomic():
            respondent_ids = [
                r["id"] for r in self._rows_for("SELECT id FROM respondents WHERE study_id IN ({ids})", study_ids)
            ]
            counts = self.delete_respondents(respondent_ids) if respondent_ids else {"respondents": 0, "interviews": 0}
            counts["studies"] = len(study_ids)
            self._execute_for("DELETE FROM studies WHERE id IN ({ids})", study_ids)
        return counts

    #: Up to this size a refusal also rebuilds the file (a fraction of a second); above it, it relies on
    #: secure_delete (always on) and only empties the log, so the interview screen does not stall for seconds.
    QUICK_VACUUM_BYTES = 16 * 1024 * 1024

    def compact(self, vacuum: bool = True) -> bool:
        """Rebuild the file without free pages (VACUUM, unless ``vacuum`` is False) and empty the write-ahead log.

        Returns False when another connection kept the log from being emptied.
        """
        try:
            if vacuum:
                self.db.execute("VACUUM")
            if self.path == ":memory:":
                return True
            busy, _log, _done = self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except sqlite3.OperationalError as exc:
            raise SaveFailed(t("db.write_failed", path=self.path, error=sqlite_reason(exc))) from exc
        return busy == 0

    def log_privacy(self, action: str, detail: dict[str, Any], at: datetime) -> None:
        with self.atomic():
            self.db.execute(
                "INSERT INTO privacy_log (at, action, detail) VALUES (?, ?, ?)",
                [_iso(at), action, json.dumps(detail, ensure_ascii=False, sort_keys=True)],
            )

    def privacy_log(self) -> list[dict[str, Any]]:
        rows = self._rows("SELECT at, action, detail FROM privacy_log ORDER BY id")
        for row in rows:
            row["detail"] = json.loads(row["detail"])
        return rows

    # --- added for the services package (house refactor C1) ---------------------------------------

    def in_transaction(self) -> bool:
        """Whether a transaction is open on this connection (a caller's ``atomic`` block not yet committed)."""
        return self.db.conn.in_transaction

    def single_file(self) -> None:
        """Leave write-ahead logging: the database stays one file, no -wal/-shm (a backup copy)."""
        self.db.execute("PRAGMA journal_mode = DELETE")
