"""Synced folders on the command line: warned before writing, in the UI language, acknowledged once per folder."""

from __future__ import annotations

import json
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


def test_a_database_in_dropbox_is_warned_about_until_acknowledged(tmp_path: Path):
    db = make_db(tmp_path / "Dropbox" / "Onderzoek Ömer" / "klantreis.db")
    first = klantreis("--db", str(db), "db", "info", home=tmp_path)
    assert first.returncode == 0
    assert "klantreis: waarschuwing: De database" in first.stderr
    assert "Dropbox synchroniseert" in first.stderr
    local = tmp_path / "data" / "klantreis" / "klantreis.db"
    assert f'--db "{local}"' in first.stderr  # the local data folder is proposed
    assert "--accept-synced-folder" in first.stderr

    noted = klantreis("--db", str(db), "--accept-synced-folder", "db", "info", home=tmp_path)
    assert noted.returncode == 0
    assert "klantreis: waarschuwing" not in noted.stderr
    assert f"Vastgelegd: geen waarschuwingen meer over de gesynchroniseerde map {db.parent}." in noted.stderr
    file = tmp_path / "data" / "klantreis" / "synced-folders-acknowledged.json"
    assert json.loads(file.read_text(encoding="utf-8")) == {"folders": [str(db.parent)]}

    again = klantreis("--db", str(db), "backup", home=tmp_path)
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
