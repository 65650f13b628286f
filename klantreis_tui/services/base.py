"""What every service part shares: the store, the question sets, the language; pausing the cycle collector."""

from __future__ import annotations

import gc
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from klantreis_tui.i18n import current_language
from klantreis_tui.storage import Store

if TYPE_CHECKING:  # loading them (with PyYAML) waits until the question sets are first needed
    from klantreis_tui.question_sets import Catalog


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cycle collector while many small objects are built (records of a whole study): it
    would run again and again and find nothing, since records hold no cycles. Restored afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def file_stem(*parts: str) -> str:
    """The parts of an export's file name (a study title, a respondent code, a persona's name) made safe for
    every file system: letters, digits, ``-`` and ``_`` kept, anything else a ``-``, runs of ``-`` as one, at
    most 120 characters; "klantreis" when nothing is left."""
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in "-".join(parts))
    return "-".join(piece for piece in safe.split("-") if piece)[:120] or "klantreis"


def stamped(folder: Path, stem: str, suffix: str = "") -> Path:
    """``folder/stem-YYYYMMDD-HHMM`` plus ``suffix``: the app's exports are named by the minute they were made."""
    return folder / f"{stem}-{datetime.now():%Y%m%d-%H%M}{suffix}"


class ServiceBase:
    """The state the service parts work on; each part (interviews, steps, exchange, ...) is a mixin of this."""

    def __init__(self, store: Store, catalog: Catalog | Callable[[], Catalog], assist_dir: Path | None = None):
        lang = current_language()
        self.store = store
        #: the question sets, or how to load them (on first use: the first frame does not need them)
        self._catalog = catalog
        self._catalog_lock = threading.Lock()
        self.lang = lang
        #: the user's assistant lists: files here extend the bundled ones, a subfolder per study id more so
        self.assist_dir = assist_dir
        self._assistants: dict[str, Any] = {}
        self._assistant_lock = threading.Lock()
        #: this app instance, for claims on open interviews
        self.instance_id = uuid.uuid4().hex
        #: refusals committed in this call, whose traces are still to be cleared from the log and backups
        self._refused: list[tuple[str, set[str]]] = []
        #: this laptop's (interviewer's) respondent-code prefix: "AB" hands out AB-R01, AB-R02, ... ("" gives R01)
        self.code_prefix = ""
        #: where question sets from a study kit are put (the user's question-set folder); None: nowhere
        self.question_set_dir: Path | None = None

    @property
    def catalog(self) -> Catalog:
        """The question sets; loaded on first use, also from another thread (the app warms it up there)."""
        if callable(self._catalog):
            with self._catalog_lock:
                if callable(self._catalog):
                    self._catalog = self._catalog()
        return self._catalog

    def warm_up(self) -> None:
        """Import, on a thread of the caller's, what the first write and the interview need (sqlite-utils, the
        personal-data check, the assistant's code), so that the first answer does not wait for it."""
        import klantreis_tui.assist  # noqa: F401
        import klantreis_tui.pii  # noqa: F401

        self.store.warm_up()

    def close(self) -> None:
        try:
            self.store.release_all(self.instance_id)
        except Exception:  # closing must not fail because the disk did; a stale claim expires by itself
            pass
        self.store.close()

    @contextmanager
    def apart(self) -> Iterator[Any]:
        """These services over a database connection of their own, for a worker thread (a connection stays
        on the thread that opened it), sharing the word lists loaded here; in memory, these very ones."""
        if self.store.path == ":memory:":
            yield self
            return
        other = type(self)(Store.open(self.store.path, create=False, presence=False), self.catalog, self.assist_dir)
        # the assistant is read-only once loaded: its lists are not read a second time
        other._assistants, other._assistant_lock = self._assistants, self._assistant_lock
        try:
            yield other
        finally:
            other.store.close()

    def data_version(self) -> int:
        """Changes whenever another connection (window, command) commits to the database."""
        return self.store.data_version()

    def change_mark(self) -> tuple[int, int, int]:
        """Changes whenever the database changes, by these services or another connection: the key of what a
        screen computes from it once (a persona's journey)."""
        return self.store.change_mark()

