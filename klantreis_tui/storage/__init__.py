"""SQLite storage (sqlite-utils): schema migrations and the Store."""

from klantreis_tui.storage.schema import SCHEMA_VERSION
from klantreis_tui.storage.store import InterviewRow, SaveFailed, Store, StorageError, StudyRow

__all__ = ["SCHEMA_VERSION", "InterviewRow", "SaveFailed", "Store", "StorageError", "StudyRow"]
