"""Synced folders on the command line: warned before writing, in the UI language, acknowledged once per folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from klantreis_tui.services import acknowledge_synced_folder, synced_folder_warnings
from klantreis_tui.storage import Store
from tests.conftest import make_interview, make_respondent, make_study
from tests.test_cli import klantreis


def make_db(path: Path) -> Path:
    store = Store.open(path)
    study = store.add_study(make_study())
    respondent = store.add_respondent(make_respondent(study.id))
    store.add_interview(make_interview(study.id, respondent.id))
    store.close()
    return path


def data_folder(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """Environment that keeps the user's data folder inside ``tmp_path`` on every platform, and that folder."""
    env = {"WIN_PD_OVERRIDE_LOCAL_APPDATA": str(tmp_path / "data")}  # Windows; Linux: XDG_DATA_HOME, macOS: HOME
    environment = {**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data"), **env}
    code = "from klantreis_tui.paths import user_data_dir; print(user_data_dir())"
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=environment, timeout=60)
    return env, Path(shown.stdout.strip())


def test_a_database_in_dropbox_is_warned_about_until_acknowledged(tmp_path: Path):
    db = make_db(tmp_path / "Dropbox" / "Onderzoek Ömer" / "klantreis.db")
    env, data = data_folder(tmp_path)
    assert tmp_path in data.parents
    first = klantreis("--db", str(db), "db", "info", home=tmp_path, env=env)
    assert first.returncode == 0
    assert "klantreis: waarschuwing: De database" in first.stderr
    assert "Dropbox synchroniseert" in first.stderr
    assert f'--db "{data / "klantreis.db"}"' in first.stderr  # the local data folder is proposed
    assert "--accept-synced-folder" in first.stderr

    noted = klantreis("--db", str(db), "--accept-synced-folder", "db", "info", home=tmp_path, env=env)
    assert noted.returncode == 0
    assert "klantreis: waarschuwing" not in noted.stderr
    assert f"Vastgelegd: geen waarschuwingen meer over de gesynchroniseerde map {db.parent}." in noted.stderr
    file = data / "synced-folders-acknowledged.json"
    assert json.loads(file.read_text(encoding="utf-8")) == {"folders": [str(db.parent)]}

    again = klantreis("--db", str(db), "backup", home=tmp_path, env=env)
    assert again.returncode == 0
    assert again.stderr == ""


def test_an_export_into_onedrive_is_warned_about_in_english(tmp_path: Path):
    db = make_db(tmp_path / "lokaal" / "k.db")
    target = tmp_path / "OneDrive - Gemeente X" / "Export"
    result = klantreis("--lang", "en", "--db", str(db), "export", "-o", str(target / "schulden.json"), home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "klantreis: warning: The export folder" in result.stderr
    assert "OneDrive for Business synchronises" in result.stderr
    assert "The database" not in result.stderr  # the database itself is local
    assert (target / "schulden.json").is_file()


def test_a_local_database_says_nothing(tmp_path: Path):
    db = make_db(tmp_path / "lokaal" / "k.db")
    result = klantreis("--db", str(db), "db", "info", home=tmp_path)
    assert result.returncode == 0
    assert result.stderr == ""


def test_the_service_words_and_acknowledges(tmp_path: Path, english):
    ack = tmp_path / "ack.json"
    db = tmp_path / "Google Drive" / "k.db"
    exports = tmp_path / "Nextcloud" / "klantreis"
    warnings = synced_folder_warnings(db, exports, acknowledged=ack)
    assert [(w.role, w.synced.service, w.folder) for w in warnings] == [
        ("database", "Google Drive", db.parent), ("export", "Nextcloud", exports)
    ]
    assert "SQLite warns that a database can be damaged" in warnings[0].text()
    acknowledge_synced_folder(warnings[0], ack)
    assert [w.role for w in synced_folder_warnings(db, exports, acknowledged=ack)] == ["export"]
    assert synced_folder_warnings(Path(":memory:"), None, acknowledged=ack) == []
