"""A database opened for the app's first frame, and the services over it loaded afterwards.

Light on purpose: opening checks the file (damaged, foreign, newer: refused as ``Services.open`` refuses it)
and holds it, and ``home`` reads what the home screen lists; the services, their models and sqlite-utils
are loaded when ``services()`` is first called (after the first frame, or when the user first needs them).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from klantreis_tui.services.home_rows import HomeRows
from klantreis_tui.storage.connection import EarlyCheck
from klantreis_tui.storage.opening import open_database

if TYPE_CHECKING:
    from klantreis_tui.services.facade import Services

__all__ = ["EarlyCheck", "Opening"]


class Opening:
    """The database at ``db_path``, open and checked; ``services()`` gives the one ``Services`` over it.

    ``ready``: called with the services right after they are made, before anyone gets them (the app
    starts the session's backup there, so that the first write finds the backup under way and waits).
    """

    def __init__(self, db_path: str | Path, question_set_dirs: list[Path], assist_dir: Path | None = None,
                 early_check: EarlyCheck | None = None) -> None:
        self.path = str(db_path)
        self.question_set_dirs = list(question_set_dirs)
        self.assist_dir = assist_dir
        self.conn, self._presence = open_database(self.path, early_check=early_check)
        #: over the store's connection once the services are made (it opens it again after a refused write)
        self.home = HomeRows(lambda: self.conn if self._services is None else self._services.store.conn, uuid.uuid4().hex)
        #: set on the services when they are made
        self.code_prefix = ""
        self.question_set_dir: Path | None = None
        self.ready: Callable[[Services], None] | None = None
        self._services: Services | None = None
        self._thread = threading.get_ident()

    @staticmethod
    def load() -> None:
        """Import the services' modules (any thread: the warm-up after the first frame does it there)."""
        import klantreis_tui.services.facade  # noqa: F401

    @property
    def loaded(self) -> bool:
        return self._services is not None

    def services(self) -> Services:
        """The services over this database, made on first call (on the thread that opened it: SQLite's rule)."""
        if self._services is None:
            if threading.get_ident() != self._thread:
                raise RuntimeError("the services are made on the thread that opened the database")
            from klantreis_tui.services.facade import Services
            from klantreis_tui.storage.store import Store

            services = Services.over(Store.over(self.conn, self.path, self._presence), self.question_set_dirs, self.assist_dir)
            services.code_prefix = self.code_prefix
            services.question_set_dir = self.question_set_dir
            services.instance_id = self.home.instance_id  # one instance: its own claims are not "busy" at home
            self._services = services
            if self.ready is not None:
                self.ready(services)
        return self._services

    def close(self) -> None:
        if self._services is not None:
            self._services.close()
            return
        self.conn.close()
        if self._presence is not None:
            self._presence.close()
