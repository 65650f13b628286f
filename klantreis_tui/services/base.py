"""What every service part shares: the store, the question sets, the language; pausing the cycle collector."""

from __future__ import annotations

import gc
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from klantreis_tui.question_sets import Catalog
from klantreis_tui.storage import Store
from klantreis_tui.i18n import current_language


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


class ServiceBase:
    """The state the service parts work on; each part (interviews, steps, exchange, ...) is a mixin of this."""

    def __init__(self, store: Store, catalog: Catalog, assist_dir: Path | None = None):
        lang = current_language()
        self.store = store
        self.catalog = catalog
        self.lang = lang
        #: the user's assistant lists: files here extend the bundled ones, a subfolder per study id more so
        self.assist_dir = assist_dir
        self._assistants: dict[str, Any] = {}
        #: this app instance, for claims on open interviews
        self.instance_id = uuid.uuid4().hex
        #: refusals committed in this call, whose traces are still to be cleared from the log and backups
        self._refused: list[tuple[str, set[str]]] = []
        #: this laptop's (interviewer's) respondent-code prefix: "AB" hands out AB-R01, AB-R02, ... ("" gives R01)
        self.code_prefix = ""
        #: where question sets from a study kit are put (the user's question-set folder); None: nowhere
        self.question_set_dir: Path | None = None

    def close(self) -> None:
        try:
            self.store.release_all(self.instance_id)
        except Exception:  # closing must not fail because the disk did; a stale claim expires by itself
            pass
        self.store.close()

    def data_version(self) -> int:
        """Changes whenever another connection (window, command) commits to the database."""
        return self.store.data_version()

