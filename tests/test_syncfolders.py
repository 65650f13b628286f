"""Synced folders (syncfolders.py): a table of paths per platform and a negative table, markers, acknowledgements."""

from __future__ import annotations

import json
import sys
from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest

from klantreis_tui.syncfolders import (
    DROPBOX,
    GOOGLE_DRIVE,
    ICLOUD,
    NEXTCLOUD,
    ONEDRIVE,
    ONEDRIVE_BUSINESS,
    Acknowledgements,
    by_markers,
    by_path,
    synced_folder,
)

# (platform, path, service, root of the synced folder)
SYNCED = [
    # Windows: OneDrive personal and for Business (Known Folder Move puts Documenten there), Dropbox, Google, iCloud
    ("win32", r"C:\Users\Ömer\OneDrive\Documenten\klantreis\klantreis.db", ONEDRIVE, r"C:\Users\Ömer\OneDrive"),
    ("win32", r"C:\Users\jdevries\OneDrive - Gemeente Utrecht\Documenten\klantreis.db", ONEDRIVE_BUSINESS,
     r"C:\Users\jdevries\OneDrive - Gemeente Utrecht"),
    ("win32", r"C:\Users\a.bakker\onedrive - gemeente x\Bureaublad\export", ONEDRIVE_BUSINESS,
     r"C:\Users\a.bakker\onedrive - gemeente x"),
    ("win32", r"D:\Data\Dropbox\Klantreizen\klantreis.db", DROPBOX, r"D:\Data\Dropbox"),
    ("win32", r"C:\Users\Ömer\Dropbox (Gemeente Zwolle)\Onderzoek\k.db", DROPBOX, r"C:\Users\Ömer\Dropbox (Gemeente Zwolle)"),
    ("win32", r"G:\My Drive\Klantreis\klantreis.db", GOOGLE_DRIVE, "G:\\My Drive"),
    ("win32", r"G:\Mijn Drive\klantreis.db", GOOGLE_DRIVE, "G:\\Mijn Drive"),
    ("win32", r"G:\Gedeelde drives\Team Sociaal Domein\k.db", GOOGLE_DRIVE, "G:\\Gedeelde drives"),
    ("win32", r"C:\Users\Ömer\Google Drive\klantreis.db", GOOGLE_DRIVE, r"C:\Users\Ömer\Google Drive"),
    ("win32", r"C:\Users\Ömer\iCloudDrive\Documenten\klantreis.db", ICLOUD, r"C:\Users\Ömer\iCloudDrive"),
    # macOS: File Provider folders in ~/Library/CloudStorage, iCloud Drive in ~/Library/Mobile Documents
    ("darwin", "/Users/omer/Library/CloudStorage/OneDrive-Personal/Documents/klantreis.db", ONEDRIVE,
     "/Users/omer/Library/CloudStorage/OneDrive-Personal"),
    ("darwin", "/Users/omer/Library/CloudStorage/OneDrive-GemeenteUtrecht/klantreis.db", ONEDRIVE_BUSINESS,
     "/Users/omer/Library/CloudStorage/OneDrive-GemeenteUtrecht"),
    ("darwin", "/Users/omer/Library/CloudStorage/Dropbox/Onderzoek/k.db", DROPBOX, "/Users/omer/Library/CloudStorage/Dropbox"),
    ("darwin", "/Users/omer/Library/CloudStorage/GoogleDrive-omer@example.nl/My Drive/k.db", GOOGLE_DRIVE,
     "/Users/omer/Library/CloudStorage/GoogleDrive-omer@example.nl"),
    ("darwin", "/Users/omer/Library/Mobile Documents/com~apple~CloudDocs/klantreis/k.db", ICLOUD,
     "/Users/omer/Library/Mobile Documents"),
    ("darwin", "/Users/omer/Dropbox/k.db", DROPBOX, "/Users/omer/Dropbox"),
    ("darwin", "/Volumes/GoogleDrive/My Drive/k.db", GOOGLE_DRIVE, "/Volumes/GoogleDrive"),
    # Linux: the clients' default folders
    ("linux", "/home/omer/Dropbox/klantreis/klantreis.db", DROPBOX, "/home/omer/Dropbox"),
    ("linux", "/home/omer/OneDrive/klantreis.db", ONEDRIVE, "/home/omer/OneDrive"),
    ("linux", "/home/omer/Nextcloud/Onderzoek/k.db", NEXTCLOUD, "/home/omer/Nextcloud"),
]

NOT_SYNCED = [
    ("win32", r"C:\Users\Ömer\AppData\Local\klantreis\klantreis.db"),
    ("win32", r"C:\Users\Ömer\Documenten\klantreis\klantreis.db"),
    ("win32", r"C:\Users\Ömer\Documents\OneDrive-notities\k.db"),
    ("win32", r"C:\Users\Ömer\Documents\Mijn Drive\k.db"),  # not a drive of its own
    ("win32", r"D:\Dropboxes\k.db"),
    ("win32", r"\\server\share\Onderzoek\k.db"),
    ("darwin", "/Users/omer/Library/Application Support/klantreis/klantreis.db"),
    ("darwin", "/Users/omer/Documents/klantreis/k.db"),
    ("darwin", "/Users/omer/CloudStorage/k.db"),
    ("linux", "/home/omer/.local/share/klantreis/klantreis.db"),
    ("linux", "/home/omer/Documents/dropbox-export/k.db"),
    ("linux", "/tmp/klantreis.db"),
]


@pytest.mark.parametrize(("platform", "path", "service", "root"), SYNCED)
def test_synced_folders_by_name(platform: str, path: str, service: str, root: str):
    found = by_path(path, platform=platform, environ={})
    assert found is not None, path
    flavour = PureWindowsPath if platform == "win32" else PurePosixPath
    assert (found.service, found.root) == (service, flavour(root))


@pytest.mark.parametrize(("platform", "path"), NOT_SYNCED)
def test_folders_that_are_not_synced(platform: str, path: str):
    assert by_path(path, platform=platform, environ={}) is None


def test_windows_onedrive_variables_name_a_renamed_root():
    """OneDrive sets %OneDriveCommercial% and %OneDriveConsumer%: a root with any name is found through them."""
    environ = {"OneDriveCommercial": r"C:\Users\Ömer\Gemeente X", "OneDriveConsumer": r"E:\Privé wolk"}
    business = by_path(r"c:\users\ömer\gemeente x\Onderzoek\k.db", platform="win32", environ=environ)
    assert business is not None and business.service == ONEDRIVE_BUSINESS
    personal = by_path(r"E:\Privé wolk\k.db", platform="win32", environ=environ)
    assert personal is not None and personal.service == ONEDRIVE
    assert by_path(r"C:\Users\Ömer\Gemeente Y\k.db", platform="win32", environ=environ) is None


# --- markers on the file system ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("marker", "is_dir", "service"),
    [
        (".dropbox", False, DROPBOX),
        (".dropbox.cache", True, DROPBOX),
        (".tmp.drivedownload", True, GOOGLE_DRIVE),
        (".sync_5f3a0b1c2d.db", False, NEXTCLOUD),
        ("._sync_5f3a0b1c2d.db", False, NEXTCLOUD),
    ],
)
def test_a_client_marker_in_an_ancestor_folder(tmp_path: Path, marker: str, is_dir: bool, service: str):
    root = tmp_path / "Werk map"
    (root / "Onderzoek 2026" / "Ömer").mkdir(parents=True)
    if is_dir:
        (root / marker).mkdir()
    else:
        (root / marker).write_bytes(b"")
    found = by_markers(root / "Onderzoek 2026" / "Ömer" / "klantreis.db", home=tmp_path / "home", environ={})
    assert found is not None
    assert (found.service, found.root) == (service, root)


def test_no_marker_no_synced_folder(tmp_path: Path):
    (tmp_path / "gewoon" / "map").mkdir(parents=True)
    (tmp_path / "gewoon" / "dropbox.txt").write_text("geen marker", encoding="utf-8")
    assert by_markers(tmp_path / "gewoon" / "map" / "k.db", home=tmp_path / "home", environ={}) is None
    assert synced_folder(tmp_path / "gewoon" / "map" / "k.db", home=tmp_path / "home", environ={}) is None


def test_the_dropbox_clients_own_list_of_folders(tmp_path: Path):
    """Dropbox keeps the folders it syncs in info.json: a renamed Dropbox folder is found through it."""
    home = tmp_path / "home"
    (home / ".dropbox").mkdir(parents=True)
    team = tmp_path / "Team Sociaal Domein"
    (home / ".dropbox" / "info.json").write_text(
        json.dumps({"business": {"path": str(team), "host": 1}, "personal": {"path": str(home / "Privé")}}),
        encoding="utf-8",
    )
    found = by_markers(team / "k.db", home=home, environ={})
    assert found is not None and (found.service, found.root) == (DROPBOX, team)
    assert by_markers(tmp_path / "elders" / "k.db", home=home, environ={}) is None


def test_icloud_desktop_and_documents_on_macos(tmp_path: Path):
    """With iCloud's "Desktop & Documents Folders", iCloud Drive holds a Documents entry for ~/Documents."""
    home = tmp_path / "omer"
    (home / "Documents" / "klantreis").mkdir(parents=True)
    assert by_markers(home / "Documents" / "klantreis" / "k.db", home=home, environ={}, platform="darwin") is None
    (home / "Library" / "Mobile Documents" / "com~apple~CloudDocs" / "Documents").mkdir(parents=True)
    found = by_markers(home / "Documents" / "klantreis" / "k.db", home=home, environ={}, platform="darwin")
    assert found is not None and (found.service, found.root) == (ICLOUD, home / "Documents")
    assert by_markers(home / "Muziek" / "k.db", home=home, environ={}, platform="darwin") is None


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need developer mode or admin rights on Windows")
def test_a_link_into_a_synced_folder_counts(tmp_path: Path):
    target = tmp_path / "Dropbox" / "Onderzoek"
    target.mkdir(parents=True)
    link = tmp_path / "snelkoppeling"
    link.symlink_to(target, target_is_directory=True)
    found = synced_folder(link / "k.db", home=tmp_path / "home", environ={}, markers=False)
    assert found is not None and found.service == DROPBOX


# --- acknowledgements ---------------------------------------------------------------------------------------


def test_an_acknowledgement_covers_the_folder_and_what_is_inside_it(tmp_path: Path):
    file = tmp_path / "data" / "synced-folders-acknowledged.json"
    known = Acknowledgements(file)
    folder = tmp_path / "OneDrive - Gemeente X" / "Onderzoek Ömer"
    assert not known.covers(folder)
    known.add(folder)
    known.add(folder)  # once is enough
    assert known.covers(folder)
    assert known.covers(folder / "backups")
    assert not known.covers(folder.parent)
    assert json.loads(file.read_text(encoding="utf-8")) == {"folders": [str(folder)]}
    assert not list(file.parent.glob("*.tmp"))


def test_a_damaged_acknowledgement_file_means_none(tmp_path: Path):
    file = tmp_path / "ack.json"
    file.write_text("{kapot", encoding="utf-8")
    assert Acknowledgements(file).folders() == []
    Acknowledgements(file).add(tmp_path / "map")
    assert Acknowledgements(file).covers(tmp_path / "map")
