"""The base of the store: the connection, one transaction per logical change, and row helpers."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

from klantreis_tui.errors import SaveFailed, StorageError
from klantreis_tui.storage.connection import connect, sqlite_reason

if TYPE_CHECKING:
    from sqlite_utils import Database

def _json_text() -> Callable[[Any], str]:
    """json.dumps(value, ensure_ascii=False), the same text, without building an encoder on every call:
    ``JSONEncoder.encode`` makes a new C encoder for each value (most of the time of a short list), this
    one is made once (without the check for circular lists, which a value read from JSON cannot have)."""
    from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]

    plain = json.JSONEncoder(ensure_ascii=False)
    if c_make_encoder is None:  # a Python without the C accelerator
        return plain.encode
    encoder = c_make_encoder(None, plain.default, encode_basestring, None, ": ", ", ", False, False, True)
    return lambda value: "".join(encoder(value, 0))


#: json.dumps(value, ensure_ascii=False) (bulk writes call it per cell)
_dumps = _json_text()


def _loads_many(texts: list[str]) -> list[Any]:
    """Decode many JSON texts (as this store wrote them) in one call."""
    return json.loads("[" + ",".join(texts) + "]") if texts else []


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


class StoreBase:
    """What every part of the store builds on: the database, its path, transactions and row queries.

    The parts (records, steps, privacy, claims) are mixed into the one ``Store`` and use each other's methods
    through it (a withdrawal reads the interview, an import writes steps).
    """

    def __init__(self, conn: sqlite3.Connection, path: str):
        self.conn = conn
        self.path = path
        self._presence: Any = None
        self._db: Database | None = None
        #: called (once) before the first transaction: waits for the start-up backup made on another thread
        self.before_first_write: Callable[[], None] | None = None
        #: the connection may be read-only (the file was, when it was opened, or a write was refused as
        #: read-only): the next write opens it again first, so a file that became writable is used again
        self.reopen_before_write = path != ":memory:" and not os.access(path, os.W_OK)
        #: how many times the connection was opened again (part of ``change_mark``: a new connection counts anew)
        self.reopened = 0

    @property
    def db(self) -> Database:
        """sqlite-utils' view of the connection, made when first needed: reading needs only the connection, so
        sqlite-utils (with click and pluggy) is not loaded before the first frame."""
        if self._db is None:
            from sqlite_utils import Database

            self._db = Database(self.conn, execute_plugins=False)
        return self._db

    def warm_up(self) -> None:
        """Import sqlite-utils (any thread): the first write that needs it then does not wait for the import."""
        import sqlite_utils  # noqa: F401

    def _reopen(self) -> None:
        """Open the database again (for writing, if the file allows it now); the old connection is closed."""
        try:
            conn = connect(self.path)
        except (StorageError, sqlite3.Error):
            return  # still not usable: the write fails as before and says why
        old, self.conn, self._db = self.conn, conn, None
        self.reopened += 1
        self.reopen_before_write = False
        try:
            old.close()
        except sqlite3.Error:
            pass

    def atomic(self) -> "Transaction":
        """One transaction (joined when one is open already): all of it is committed, or none.

        A write that the disk refuses raises SaveFailed with a message for the user.
        """
        return Transaction(self)

    def _failed(self, exc: BaseException) -> SaveFailed:
        """What a write that SQLite refused raises: the transaction rolled back, the reason worded."""
        # IntegrityError: the row it refers to is gone (deleted by another window, e.g. forget)
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")
        if "readonly" in str(exc).lower():
            self.reopen_before_write = True  # retried on the next save, on a connection opened again
        return self._write_failed(exc)

    def _write_failed(self, exc: BaseException) -> SaveFailed:
        return SaveFailed("db.write_failed", path=self.path, error=sqlite_reason(exc))

    def _rows(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        cursor = self.conn.execute(sql, params)
        columns = [c[0] for c in cursor.description]
        return [dict(zip(columns, row)) for row in cursor.fetchall()]

    def _insert_many(self, table: str, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        columns = list(rows[0])
        sql = f"INSERT INTO [{table}] ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
        self.conn.executemany(sql, [[row[c] for c in columns] for row in rows])

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
            self.conn.execute(query, chunk)


#: what SQLite raises for a write it refuses (a full disk, a read-only file, a row that is gone)
_REFUSED = (sqlite3.OperationalError, sqlite3.IntegrityError)


class Transaction:
    """``StoreBase.atomic``'s block: BEGIN IMMEDIATE on entry and COMMIT on a clean exit, or ROLLBACK; inside
    an open transaction it joins it (that one's commit or rollback covers it). A plain class rather than a
    generator: every save enters it two or three times, nested."""

    __slots__ = ("store", "outer")

    def __init__(self, store: StoreBase):
        self.store = store
        self.outer = False

    def __enter__(self) -> None:
        store = self.store
        if store.conn.in_transaction:
            return
        if store.reopen_before_write:
            store._reopen()
        if store.before_first_write is not None:
            wait, store.before_first_write = store.before_first_write, None
            wait()
        try:
            # IMMEDIATE takes the write lock up front, so a second instance waits instead of failing midway
            store.conn.execute("BEGIN IMMEDIATE")
        except _REFUSED as exc:
            raise store._failed(exc) from exc
        self.outer = True

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, trace: Any) -> bool:
        store = self.store
        if isinstance(exc, _REFUSED):
            raise store._failed(exc) from exc  # nested too: the whole transaction is rolled back
        if not self.outer:
            return False
        try:
            if exc is None:
                store.conn.execute("COMMIT")
            elif store.conn.in_transaction:
                store.conn.execute("ROLLBACK")
        except _REFUSED as error:
            raise store._failed(error) from error
        return False
