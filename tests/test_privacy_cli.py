"""The privacy and robustness commands as a user runs them: encrypted bundles, identities, forget, purge,
backup and restore. Every refusal is a message, never a traceback, and changes nothing."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from klantreis_tui.question_sets import bundled_dir
from klantreis_tui.services import Services
from tests.test_cli import klantreis
from tests.test_privacy import QUOTE, interview

PASS = {"KLANTREIS_PASSPHRASE": "correct paard batterij niet"}


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    """A database with two completed interviews (R01 with a key-table entry, R02) in one study."""
    db = tmp_path / "k.db"
    services = Services.open(db, [bundled_dir()])
    try:
        study = services.create_study("Huurtoeslag")
        first = interview(services, study.id, "R01", stap_knelpunt="bel 06-12345678")
        interview(services, study.id, "R02")
        services.set_identity(services.interview(first).respondent_id, name="Jan Jansen", contact="jan@example.nl")
    finally:
        services.close()
    return db


def count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(f"select count(*) from {table}").fetchone()[0]


def run(db: Path, *args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return klantreis("--db", str(db), *args, env=env, home=db.parent / "home")


# --- encrypted bundles ------------------------------------------------------------------------------------


def test_encrypted_bundle_round_trip(filled, tmp_path):
    sealed = tmp_path / "reis.klantreis"
    result = run(filled, "export", "--encrypt", "-o", str(sealed), env=PASS)
    assert result.returncode == 0, result.stderr
    assert "Versleutelde bundel geschreven" in result.stderr
    data = sealed.read_bytes()
    assert data.startswith(b"KLANTREIS-SEALED")
    assert QUOTE.encode() not in data and b"Huurtoeslag" not in data

    other = tmp_path / "other.db"
    result = run(other, "import", str(sealed), env=PASS)
    assert result.returncode == 0, result.stderr
    assert count(other, "interviews") == 2 and count(other, "identities") == 0


@pytest.mark.parametrize("damage", ["wrong passphrase", "flipped byte", "truncated"])
def test_a_bad_encrypted_bundle_imports_nothing(filled, tmp_path, damage):
    sealed = tmp_path / "reis.klantreis"
    assert run(filled, "export", "--encrypt", "-o", str(sealed), env=PASS).returncode == 0
    env = PASS
    data = bytearray(sealed.read_bytes())
    if damage == "wrong passphrase":
        env = {"KLANTREIS_PASSPHRASE": "verkeerde wachtwoordzin"}
    elif damage == "flipped byte":
        data[len(data) // 2] ^= 0x01
    else:
        data = data[: len(data) - 20]
    sealed.write_bytes(bytes(data))
    other = tmp_path / "other.db"
    run(other, "db", "info")  # nothing there yet
    result = run(other, "import", str(sealed), env=env)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "Er is niets geïmporteerd" in result.stderr
    if damage != "truncated":
        assert "verkeerde wachtwoordzin, of het bestand is onderweg veranderd" in result.stderr
    assert not other.exists() or count(other, "interviews") == 0


def test_an_encrypted_bundle_without_a_passphrase_is_a_message(filled, tmp_path):
    sealed = tmp_path / "reis.klantreis"
    assert run(filled, "export", "--encrypt", "-o", str(sealed), env=PASS).returncode == 0
    result = run(tmp_path / "other.db", "import", str(sealed))
    assert result.returncode == 1
    assert "is versleuteld: geef de wachtwoordzin" in result.stderr and "KLANTREIS_PASSPHRASE" in result.stderr


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["export", "--encrypt"], PASS, "geef -o BESTAND"),
        (["export", "--encrypt", "-o", "x.klantreis"], {"KLANTREIS_PASSPHRASE": "kort"}, "minstens 10 tekens"),
        (["export", "--encrypt", "-o", "x.klantreis"], {}, "geef de wachtwoordzin"),
        (["export", "--format", "csv", "--include-identities"], {}, "alleen voor een JSON-bundel"),
    ],
)
def test_export_refusals_write_nothing(filled, tmp_path, args, env, message):
    result = klantreis("--db", str(filled), *args, env=env, home=tmp_path / "home")
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not Path("x.klantreis").exists()


# --- identities and personal data ---------------------------------------------------------------------


def test_identities_leave_only_with_the_switch_and_a_warning(filled, tmp_path):
    plain = run(filled, "export")
    assert plain.returncode == 0 and "Jan Jansen" not in plain.stdout
    assert json.loads(plain.stdout)["identities"] == []
    assert "06-12345678" not in plain.stdout and "[telefoonnummer]" in plain.stdout

    full = run(filled, "export", "--include-identities", "--keep-personal-data")
    assert full.returncode == 0
    bundle = json.loads(full.stdout)
    assert [i["name"] for i in bundle["identities"]] == ["Jan Jansen"] and bundle["pseudonymous"] is False
    assert "06-12345678" in full.stdout
    assert "LET OP: deze export bevat namen en contactgegevens" in full.stderr
    assert "niet weggelakt" in full.stderr


def test_summary_redacts_unless_asked(filled):
    assert "[telefoonnummer]" in run(filled, "summary", "--respondent", "R01").stdout
    kept = run(filled, "summary", "--respondent", "R01", "--keep-personal-data")
    assert "06-12345678" in kept.stdout


# --- forget and purge ------------------------------------------------------------------------------------


def test_forget_without_a_terminal_needs_yes(filled):
    result = run(filled, "forget", "R01")
    assert result.returncode == 1
    assert "Respondent R01 in onderzoek 'Huurtoeslag': 1 interview, 1 stap en 26 antwoorden" in result.stdout
    assert "en de gegevens in de sleuteltabel" in result.stdout
    assert "Bevestiging nodig" in result.stderr
    assert count(filled, "respondents") == 2


def test_forget_with_yes(filled):
    result = run(filled, "forget", "R01", "--yes")
    assert result.returncode == 0, result.stderr
    assert "Respondent R01 is vergeten: 1 interview, 26 antwoorden en 1 stap verwijderd" in result.stdout
    assert count(filled, "respondents") == 1 and count(filled, "identities") == 0
    assert b"Jan Jansen" not in filled.read_bytes()
    with sqlite3.connect(filled) as conn:
        [(action, detail)] = conn.execute("select action, detail from privacy_log").fetchall()
    assert action == "forget" and "Jan" not in detail and "jan@example.nl" not in detail
    # the code is not given out again: a paper key list may still hold it
    services = Services.open(filled, [bundled_dir()])
    try:
        assert services.next_respondent_code(services.list_studies()[0].study.id) == "R03"
    finally:
        services.close()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["forget", "R09", "--yes"], "Geen respondent met code R09"),
        (["forget", "R01", "--study", "Bestaat niet", "--yes"], "Geen onderzoek 'Bestaat niet' (geef de titel, id of korte id)"),
        (["purge"], "Geef --expired"),
    ],
)
def test_forget_and_purge_refusals(filled, args, message):
    result = run(filled, *args)
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    assert count(filled, "respondents") == 2


def test_forget_an_ambiguous_code_asks_for_the_study(filled):
    services = Services.open(filled, [bundled_dir()])
    try:
        other = services.create_study("Paspoort")
        services.start_interview(other.id, "vng-algemeen", respondent_code="R01")
    finally:
        services.close()
    result = run(filled, "forget", "R01", "--yes")
    assert result.returncode == 1 and "of het onderzoek met --study" in result.stderr
    assert f"in 'Paspoort' (onderzoek {other.id[:8]})" in result.stderr
    assert run(filled, "forget", "R01", "--study", "Paspoort", "--yes").returncode == 0
    assert count(filled, "respondents") == 2


def test_purge_expired(filled):
    assert "Geen onderzoeken over hun bewaartermijn" in run(filled, "purge", "--expired", "--yes").stdout
    with sqlite3.connect(filled) as conn:
        conn.execute("update studies set retention_until = ?", [(date.today() - timedelta(days=1)).isoformat()])
    result = run(filled, "purge", "--expired", "--yes")
    assert result.returncode == 0, result.stderr
    assert "Huurtoeslag (bewaren tot" in result.stdout
    assert "1 onderzoek verwijderd: 2 interviews van 2 respondenten" in result.stdout
    assert count(filled, "studies") == 0 and count(filled, "answers") == 0


# --- backup and restore ----------------------------------------------------------------------------------


def test_backup_then_restore(filled):
    result = run(filled, "backup")
    assert result.returncode == 0, result.stderr
    assert "Reservekopie gemaakt" in result.stdout
    backup = Path(result.stdout.splitlines()[0].split(": ", 1)[1])
    assert backup.exists()

    assert run(filled, "forget", "R02", "--yes").returncode == 0
    # the forgotten respondent is gone from the backup too: restoring cannot bring it back
    assert count(backup, "respondents") == 1

    listing = run(filled, "restore")
    assert str(backup) in listing.stdout
    refused = run(filled, "restore", str(backup))
    assert refused.returncode == 1 and "Bevestiging nodig" in refused.stderr
    restored = run(filled, "restore", str(backup), "--yes")
    assert restored.returncode == 0, restored.stderr
    assert "Teruggezet" in restored.stdout
    assert count(filled, "respondents") == 1


def test_forget_and_restore_refuse_while_another_window_works(filled):
    services = Services.open(filled, [bundled_dir()])  # the app in another window, with R01 open
    try:
        first = services.select_interviews(respondent="R01")[0]
        assert services.claim_interview(first) is None
        forget = run(filled, "forget", "R01", "--yes")
        assert forget.returncode == 1
        assert "open is in een ander klantreis-venster" in forget.stderr
        assert "worden definitief verwijderd" not in forget.stdout  # refused before asking anything
        made = run(filled, "backup")
        backup = made.stdout.splitlines()[0].split(": ", 1)[1]
        restore = run(filled, "restore", backup, "--yes")
        assert restore.returncode == 1 and "open in een ander venster" in restore.stderr
        assert count(filled, "respondents") == 2
    finally:
        services.close()


def test_restore_of_a_bad_file_is_refused_before_anything_is_asked(filled, tmp_path):
    bad = tmp_path / "geen-backup.json"
    bad.write_text('{"format": "iets anders"}', encoding="utf-8")
    result = run(filled, "restore", str(bad))
    assert result.returncode == 1
    assert "wordt vervangen" not in result.stdout  # nothing announced, nothing asked
    assert "dit is geen databasebestand" in result.stderr and "Traceback" not in result.stderr
    assert count(filled, "respondents") == 2


def test_json_export_to_a_file_says_what_it_wrote(filled, tmp_path):
    out = tmp_path / "uit.json"
    result = run(filled, "export", "-o", str(out))
    assert result.returncode == 0
    assert f"Bundel geschreven: {out} (2 interviews)." in result.stderr


def test_forget_in_english_counts_and_mentions_earlier_exports(filled):
    result = run(filled, "--lang", "en", "forget", "R02", "--yes")
    assert result.returncode == 0, result.stderr
    assert "Respondent R02 is forgotten: 1 interview, 26 answers and 1 step deleted" in result.stdout
    assert "Exports and summaries made earlier" in result.stdout


def test_db_info_shows_backups_and_the_privacy_log(filled):
    assert run(filled, "backup").returncode == 0
    assert run(filled, "forget", "R02", "--yes").returncode == 0
    result = run(filled, "db", "info")
    assert result.returncode == 0, result.stderr
    assert "Reservekopieën: 1 (laatste: " in result.stdout
    assert "Privacylog (vergeten, opgeschoond): 1 regel" in result.stdout
    assert "forget  1 interview, 26 antwoorden, 1 stap verwijderd" in result.stdout
    assert "R02" not in result.stdout.split("Privacylog")[1]  # the log line holds no code, no content


def test_an_encrypted_bundle_with_a_damaged_first_line_is_named_as_such(filled, tmp_path):
    sealed = tmp_path / "reis.klantreis"
    assert run(filled, "export", "--encrypt", "-o", str(sealed), env=PASS).returncode == 0
    data = bytearray(sealed.read_bytes())
    data[3] ^= 0x20  # "KLANTREIS-SEALED" becomes "KLAnTREIS-SEALED"
    sealed.write_bytes(bytes(data))
    result = run(tmp_path / "other.db", "import", str(sealed), env=PASS)
    assert result.returncode == 1
    assert "de versleutelde bundel is beschadigd of onvolledig" in result.stderr  # not "geen UTF-8-tekst"
