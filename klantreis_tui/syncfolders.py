"""Folders synced by OneDrive, Dropbox, Google Drive, iCloud or Nextcloud: detection, and the user's acknowledgements.

A sync program copies a file while klantreis writes to it, and may bring back an older copy or a conflicting
one: SQLite's documentation warns that a database in such a folder can be damaged. Detection looks at the
path first (the folder names each service uses on Windows, macOS and Linux, and the OneDrive variables
Windows sets), then, where ``markers`` is on, at the file system (the marker files each client leaves in the
root of the folder it syncs). Nothing here words a message or imports anything of klantreis.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath

ONEDRIVE = "OneDrive"
ONEDRIVE_BUSINESS = "OneDrive for Business"
DROPBOX = "Dropbox"
GOOGLE_DRIVE = "Google Drive"
ICLOUD = "iCloud Drive"
NEXTCLOUD = "Nextcloud"


@dataclass(frozen=True)
class SyncedFolder:
    """The service that syncs a path, and the root of the folder it syncs (as far as it is known)."""

    service: str
    root: PurePath


def _flavour(platform: str) -> type[PurePath]:
    return PureWindowsPath if platform == "win32" else PurePosixPath


def _fold(part: str) -> str:
    return part.casefold()  # Windows and macOS compare names without case


#: the top folders of a Google Drive for desktop drive (G:\My Drive), in English and Dutch
_DRIVE_TOPS = {"my drive", "mijn drive", "shared drives", "gedeelde drives", "other computers", "andere computers"}


def _by_name(part: str, parent: PurePath, platform: str) -> str | None:
    """The service whose folder is called ``part`` (a folder inside ``parent``), on any platform."""
    name = _fold(part)
    if name == "onedrive":
        return ONEDRIVE
    if name.startswith("onedrive - "):  # "OneDrive - Gemeente X": the business account of an organisation
        return ONEDRIVE_BUSINESS
    if name == "dropbox" or (name.startswith("dropbox (") and name.endswith(")")):  # "Dropbox (Gemeente X)"
        return DROPBOX
    if name in ("google drive", "googledrive"):
        return GOOGLE_DRIVE
    if name in ("iclouddrive", "icloud drive"):
        return ICLOUD
    if name == "nextcloud":
        return NEXTCLOUD
    if name in _DRIVE_TOPS and platform == "win32" and parent == PureWindowsPath(parent.anchor):
        return GOOGLE_DRIVE  # a drive letter of its own: G:\My Drive
    return None


def _cloud_storage(name: str) -> str:
    """The service behind a folder in macOS's ~/Library/CloudStorage (File Provider), by its name."""
    folded = _fold(name)
    if folded.startswith("onedrive-personal"):
        return ONEDRIVE
    if folded.startswith("onedrive"):
        return ONEDRIVE_BUSINESS  # OneDrive-GemeenteX
    if folded.startswith("dropbox"):
        return DROPBOX
    if folded.startswith("googledrive"):
        return GOOGLE_DRIVE
    return name.split("-", 1)[0] or name  # Box-Box, pCloud...: a sync service all the same


def _env_roots(environ: Mapping[str, str], platform: str) -> list[tuple[PurePath, str]]:
    if platform != "win32":
        return []
    roots = []
    for variable, service in (("OneDriveCommercial", ONEDRIVE_BUSINESS), ("OneDriveConsumer", ONEDRIVE), ("OneDrive", ONEDRIVE)):
        value = environ.get(variable)
        if value:
            roots.append((PureWindowsPath(value), service))
    return roots


def _under(path: PurePath, root: PurePath) -> bool:
    parts, top = [_fold(p) for p in path.parts], [_fold(p) for p in root.parts]
    return len(parts) >= len(top) and parts[: len(top)] == top


def by_path(path: str | PurePath, platform: str | None = None, environ: Mapping[str, str] | None = None) -> SyncedFolder | None:
    """The synced folder that ``path`` is in, told from the path alone (no file is looked at)."""
    platform = platform or sys.platform
    environ = os.environ if environ is None else environ
    pure = _flavour(platform)(str(path))
    for root, service in _env_roots(environ, platform):
        if _under(pure, root):
            return SyncedFolder(service, root)
    parts = pure.parts
    for index in range(1, len(parts)):
        folded = [_fold(p) for p in parts[: index + 1]]
        here = _flavour(platform)(*parts[: index + 1])
        if platform == "darwin" and index >= 2 and folded[index - 2 : index] == ["library", "cloudstorage"]:
            return SyncedFolder(_cloud_storage(parts[index]), here)
        if platform == "darwin" and index >= 1 and folded[index - 1 : index + 1] == ["library", "mobile documents"]:
            return SyncedFolder(ICLOUD, here)
        if platform == "darwin" and folded[: index + 1] == ["/", "volumes", "googledrive"]:
            return SyncedFolder(GOOGLE_DRIVE, here)
        service = _by_name(parts[index], here.parent, platform)
        if service is not None:
            return SyncedFolder(service, here)
    return None


def _marker_service(folder: Path) -> str | None:
    """The service whose client left its marker in ``folder`` (the root of what it syncs)."""
    try:
        if (folder / ".dropbox").is_file() or (folder / ".dropbox.cache").is_dir():
            return DROPBOX
        if (folder / ".tmp.drivedownload").is_dir() or (folder / ".tmp.driveupload").is_dir():
            return GOOGLE_DRIVE
        with os.scandir(folder) as entries:
            for entry in entries:
                # the Nextcloud and ownCloud clients keep their journal in the root they sync
                if entry.name.startswith((".sync_", "._sync_")) and entry.name.endswith(".db"):
                    return NEXTCLOUD
    except OSError:
        return None
    return None


def _dropbox_roots(home: Path, environ: Mapping[str, str]) -> list[Path]:
    """The folders the Dropbox client says it syncs (its info.json: personal and business accounts)."""
    places = [home / ".dropbox" / "info.json"]
    places += [Path(environ[v]) / "Dropbox" / "info.json" for v in ("LOCALAPPDATA", "APPDATA") if environ.get(v)]
    roots = []
    for place in places:
        try:
            accounts = json.loads(place.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(accounts, dict):
            roots += [Path(a["path"]) for a in accounts.values() if isinstance(a, dict) and isinstance(a.get("path"), str)]
    return roots


def by_markers(path: Path, home: Path | None = None, environ: Mapping[str, str] | None = None, platform: str | None = None) -> SyncedFolder | None:
    """The synced folder that ``path`` is in, told from the file system: marker files, the Dropbox client's
    list of folders, and iCloud's "Desktop & Documents" (on macOS a link in iCloud Drive points at them)."""
    platform = platform or sys.platform
    environ = os.environ if environ is None else environ
    home = home or Path.home()
    path = Path(os.path.abspath(path))
    for root in _dropbox_roots(home, environ):
        if _under(path, root):
            return SyncedFolder(DROPBOX, root)
    if platform == "darwin":
        cloud_docs = home / "Library" / "Mobile Documents" / "com~apple~CloudDocs"
        for name in ("Desktop", "Documents"):
            if _under(path, home / name) and (cloud_docs / name).exists():
                return SyncedFolder(ICLOUD, home / name)
    for folder in (path, *path.parents):
        service = _marker_service(folder)
        if service is not None:
            return SyncedFolder(service, folder)
    return None


def synced_folder(path: str | Path, home: Path | None = None, environ: Mapping[str, str] | None = None, markers: bool = True) -> SyncedFolder | None:
    """The synced folder that the file or folder ``path`` is in on this machine, or None."""
    absolute = Path(os.path.abspath(path))
    found = by_path(absolute, environ=environ)
    if found is None and absolute != absolute.resolve():
        found = by_path(absolute.resolve(), environ=environ)  # a link into a synced folder
    if found is None and markers:
        found = by_markers(absolute, home=home, environ=environ)
    return found


# --- acknowledgements: "I know, keep it there" once per folder ---------------------------------------------


class Acknowledgements:
    """The folders whose sync warning the user acknowledged, kept in a small JSON file (the data folder's)."""

    def __init__(self, file: Path):
        self.file = Path(file)

    def folders(self) -> list[Path]:
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        listed = data.get("folders", []) if isinstance(data, dict) else []
        return [Path(f) for f in listed if isinstance(f, str)]

    def covers(self, folder: str | Path) -> bool:
        """Whether ``folder`` or a folder it is in was acknowledged."""
        target = Path(os.path.abspath(folder))
        return any(_under(target, known) for known in self.folders())

    def add(self, folder: str | Path) -> None:
        """Remember ``folder`` (written through a temporary file and a rename). Raises OSError."""
        known = [str(f) for f in self.folders()]
        entry = str(Path(os.path.abspath(folder)))
        if entry in known:
            return
        text = json.dumps({"folders": [*known, entry]}, ensure_ascii=False, indent=2) + "\n"
        self.file.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.file.parent, prefix=f".{self.file.name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(text.encode("utf-8"))
            os.replace(temporary, self.file)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
