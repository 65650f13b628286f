"""Paths as municipal laptops have them: spaces, non-ASCII letters, long names; files replaced atomically."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from klantreis_tui.question_sets import bundled_dir
from klantreis_tui.services import Services, backup_now, list_backups, restore_backup, write_file
from klantreis_tui.system import protection
from tests.conftest import make_interview, make_respondent, make_study
from tests.test_cli import klantreis
from tests.test_synced_cli import make_db

#: a folder name near the length limits: 100 characters (Windows without long paths allows 260 in all)
LONG = ("Klantreizen gemeente 's-Hertogenbosch — schuldhulpverlening en inkomen, ronde één, "
        "najaar 2026, interviews ÆØÅ")[:100]


@pytest.fixture
def odd_folder(tmp_path: Path) -> Path:
    assert len(LONG) == 100
    # Windows without long paths stops at 260 characters in all, and its temporary folder is long already
    name = LONG[:60] if sys.platform == "win32" else LONG
    return tmp_path / "Ömer Yılmaz" / "Documenten van Ömer" / name


def test_store_backup_restore_and_export_in_an_odd_folder(odd_folder: Path, qs_dir: Path):
    db = odd_folder / "klantreis gesprekken 2026.db"
    services = Services.open(db, [bundled_dir(), qs_dir])
    try:
        study = services.store.add_study(make_study("Schulden ë"))
        respondent = services.store.add_respondent(make_respondent(study.id))
        interview = services.store.add_interview(make_interview(study.id, respondent.id))
    finally:
        services.close()
    made = backup_now(db)
    assert made is not None and made.parent == odd_folder / "backups"
    assert [b.path for b in list_backups(db)] == [made]

    services = Services.open(db, [bundled_dir(), qs_dir])
    try:
        services.store.add_study(make_study("Na de kopie"))
        target = odd_folder / "Export – één bestand.json"
        target.write_text("oud", encoding="utf-8")
        write_file(target, services.bundle_bytes(services.export_bundle([interview.id])))
    finally:
        services.close()
    exported = json.loads(target.read_text(encoding="utf-8"))
    assert exported["format"] == "klantreis-bundle"
    assert not [p for p in odd_folder.iterdir() if p.name.endswith(".tmp")]  # replaced through a rename

    aside = restore_backup(db, made)
    assert aside is not None and aside.parent == odd_folder
    services = Services.open(db, [bundled_dir(), qs_dir], create=False)
    try:
        assert [row.study.title for row in services.store.list_studies()] == ["Schulden ë"]
    finally:
        services.close()


def test_the_cli_with_an_odd_database_path(odd_folder: Path, tmp_path: Path):
    db = odd_folder / "klantreis.db"
    make_db(db)
    made = klantreis("--db", str(db), "backup", home=tmp_path)
    assert made.returncode == 0, made.stderr
    assert len(list_backups(db)) == 1
    bundle = odd_folder / "Export van Ömer" / "R01 – één.json"
    exported = klantreis("--db", str(db), "export", "-o", str(bundle), home=tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert json.loads(bundle.read_text(encoding="utf-8"))["format"] == "klantreis-bundle"
    info = klantreis("--lang", "en", "--db", str(db), "db", "info", home=tmp_path)
    assert info.returncode == 0, info.stderr
    assert f"Database: {db}" in info.stdout
    kind, value = protection(db)
    if sys.platform == "win32":
        assert kind == "profile" and "only you and the administrators" in info.stdout
    else:
        assert (kind, value) == ("mode", "0600")
        assert "Protection: file mode 0600 (0600: only you can read and change it)" in info.stdout
