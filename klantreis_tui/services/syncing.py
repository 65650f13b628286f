"""Synced folders (OneDrive, Dropbox, Google Drive, iCloud): which of klantreis's places lie in one, worded once.

The UI shows these warnings at start, the CLI prints them before it writes; both word them here, so the
paragraph is the same everywhere. A folder the user acknowledged is not warned about again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from klantreis_tui.i18n import t
from klantreis_tui.paths import default_db_path, synced_acknowledgements_path
from klantreis_tui.syncfolders import Acknowledgements, SyncedFolder, synced_folder

DATABASE = "database"
EXPORT = "export"


@dataclass(frozen=True)
class SyncWarning:
    """A place of klantreis (the database with its backups, or an export folder) inside a synced folder."""

    role: str  # DATABASE or EXPORT
    folder: Path  # the folder that is acknowledged: the database's folder, or the export folder
    path: Path  # the database file, or the export folder
    synced: SyncedFolder

    def text(self) -> str:
        """The risk in one paragraph, in the UI language, with what to do instead."""
        service, root = self.synced.service, self.synced.root
        if self.role == DATABASE:
            local = default_db_path()
            return t(
                'The database {path} and its backups are in a folder that {service} synchronises ({root}). A sync '
                'program copies the file while klantreis writes to it, and can put back an older copy or make a '
                'conflicting one: SQLite warns that a database can be damaged that way and answers lost. The '
                'interviews also leave this laptop for the cloud, which your privacy officer may not have approved. '
                'Keep the database in the local data folder instead: close klantreis, move the file to {local} and '
                'start with --db "{local}" (or leave out --db).',
                path=self.path, service=service, root=root, local=local,
            )
        return t(
            'The export folder {path} is in a folder that {service} synchronises ({root}): every summary or bundle '
            'written there is copied to the cloud, with the answers in it. Check that this is allowed for the study, '
            'or export to a folder on this laptop that is not synced.',
            path=self.path, service=service, root=root,
        )


def synced_folder_warnings(
    db_path: Path | None = None, export_dir: Path | None = None, acknowledged: Path | None = None,
) -> list[SyncWarning]:
    """The warnings for the database (with its backups) and the export folder that were not acknowledged."""
    known = Acknowledgements(acknowledged or synced_acknowledgements_path())
    found: list[SyncWarning] = []
    places = []
    if db_path is not None and str(db_path) != ":memory:":
        places.append((DATABASE, Path(db_path).parent, Path(db_path)))
    if export_dir is not None:
        places.append((EXPORT, Path(export_dir), Path(export_dir)))
    for role, folder, path in places:
        synced = synced_folder(path)
        if synced is not None and not known.covers(folder):
            found.append(SyncWarning(role, folder, path, synced))
    return found


def acknowledge_synced_folder(warning: SyncWarning, acknowledged: Path | None = None) -> None:
    """Do not warn about this folder again (nor the folders inside it). Raises OSError."""
    Acknowledgements(acknowledged or synced_acknowledgements_path()).add(warning.folder)
