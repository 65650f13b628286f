"""SQLite storage (sqlite-utils): schema migrations and the Store.

The names below are loaded when first used (PEP 562): a light module of this package (``home_rows``,
``opening``) can be imported before the first frame without the store and its models.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from klantreis_tui.storage.schema import SCHEMA_VERSION
    from klantreis_tui.storage.store import InterviewRow, SaveFailed, Store, StorageError, StudyRow

__all__ = ["SCHEMA_VERSION", "InterviewRow", "SaveFailed", "Store", "StorageError", "StudyRow"]

_HOMES = {"SCHEMA_VERSION": "klantreis_tui.storage.schema"}


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(_HOMES.get(name, "klantreis_tui.storage.store")), name)
