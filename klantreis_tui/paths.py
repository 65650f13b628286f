"""Where klantreis keeps its files by default (platformdirs): database, configuration, exports, user lists.

Nothing is created here, not even at import: callers make a folder when they first write into it.
"""

from __future__ import annotations

from pathlib import Path

APP_NAME = "klantreis"


def user_data_dir() -> Path:
    """The app's own data folder (the database, the user's question sets and assistant lists)."""
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def user_cache_dir() -> Path:
    """Where derived files go that can always be made again (the bundled templates compiled)."""
    from platformdirs import user_cache_path

    return user_cache_path(APP_NAME, appauthor=False)


def default_db_path() -> Path:
    return user_data_dir() / "klantreis.db"


def default_config_path() -> Path:
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False) / "config.toml"


def default_export_dir() -> Path:
    """Exports made in the app go to the user's documents, in a folder of their own."""
    from platformdirs import user_documents_path

    return user_documents_path() / APP_NAME


def user_assist_dir() -> Path:
    return user_data_dir() / "assist"


def user_question_set_dir() -> Path:
    return user_data_dir() / "question_sets"


def synced_acknowledgements_path() -> Path:
    """The folders whose sync warning (OneDrive, Dropbox, ...) the user acknowledged."""
    return user_data_dir() / "synced-folders-acknowledged.json"


def bundled_question_set_dir() -> Path:
    """The folder of the bundled question sets (inside the wheel, or the source checkout)."""
    here = Path(__file__).resolve().parent
    packaged = here / "question_sets"
    return packaged if packaged.is_dir() else here.parent / "question_sets"
