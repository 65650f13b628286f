"""The command line: version, help, question-set commands, db info and bad input, as a user runs them."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from klantreis_tui import __version__
from klantreis_tui.storage import SCHEMA_VERSION, Store
from tests.conftest import SMALL_SET

BROKEN = """id: kapot
version: "1"
title: Kapot
description: Een kapot script.
sections:
  - id: vragen
    title: Vragen
    questions:
      - id: eerste
        kind: text
        promt: Wat is er gebeurd?
"""


def klantreis(*args: str, env: dict[str, str] | None = None, home: Path | None = None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("KLANTREIS_")}
    if home is not None:  # keep the user's data folder out of the tests
        environment["HOME"] = str(home)
        environment["XDG_DATA_HOME"] = str(home / "data")
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "klantreis_tui", *args], capture_output=True, text=True, env=environment, timeout=60
    )


def test_version(tmp_path):
    result = klantreis("--version", home=tmp_path)
    assert result.returncode == 0
    assert result.stdout.strip() == f"klantreis {__version__}"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--help"], "vragenlijsten bekijken en controleren"),
        (["--lang", "en", "--help"], "list and check question sets"),
        (["question-sets", "--help"], "gebruik: klantreis question-sets"),
        (["question-sets", "check", "--help"], "controleer vragenlijstbestanden"),
        (["db", "info", "--help"], "pad, schemaversie en aantallen per tabel"),
        (["run", "--help"], "start de app"),
    ],
)
def test_help_in_the_ui_language(tmp_path, args, expected):
    result = klantreis(*args, home=tmp_path)
    assert result.returncode == 0
    assert expected in result.stdout


def test_help_language_from_environment(tmp_path):
    result = klantreis("--help", env={"KLANTREIS_LANG": "en"}, home=tmp_path)
    assert "show this help message and exit" in result.stdout


def test_bad_argument_is_a_message_not_a_traceback(tmp_path):
    result = klantreis("db", "info", "--bogus", home=tmp_path)
    assert result.returncode == 2
    assert "onbekende argumenten: --bogus" in result.stderr
    assert "Traceback" not in result.stderr


def test_question_sets_list_shows_the_bundled_sets(tmp_path):
    result = klantreis("question-sets", "list", home=tmp_path)
    assert result.returncode == 0, result.stderr
    ids = {line.split()[0] for line in result.stdout.splitlines()[1:]}
    assert {"vng-algemeen", "schuldhulpverlening", "werk-en-inkomen"} <= ids


def test_question_sets_check_bundled_is_clean(tmp_path):
    result = klantreis("question-sets", "check", home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "vng-algemeen" in result.stdout


def test_question_sets_check_names_file_line_and_key(tmp_path):
    broken = tmp_path / "kapot.yaml"
    broken.write_text(BROKEN, encoding="utf-8")
    good = tmp_path / "klein.yaml"
    good.write_text(SMALL_SET, encoding="utf-8")
    result = klantreis("question-sets", "check", str(broken), str(good), home=tmp_path)
    assert result.returncode == 1
    assert f"{broken}:11: sections[0].questions[0].promt: onbekende sleutel" in result.stderr
    assert f"{broken}:9: sections[0].questions[0].prompt: verplichte sleutel ontbreekt" in result.stderr
    assert f"{good}: in orde (klein versie 2)" in result.stdout
    assert "Traceback" not in result.stderr


def test_question_sets_check_in_english(tmp_path):
    broken = tmp_path / "kapot.yaml"
    broken.write_text(BROKEN, encoding="utf-8")
    result = klantreis("--lang", "en", "question-sets", "check", str(broken), home=tmp_path)
    assert result.returncode == 1
    assert "promt: unknown key" in result.stderr


def test_question_sets_check_missing_path(tmp_path):
    result = klantreis("question-sets", "check", str(tmp_path / "nergens.yaml"), home=tmp_path)
    assert result.returncode == 1
    assert "nergens.yaml: bestaat niet" in result.stderr


def test_db_info_counts_tables(tmp_path, qs_dir):
    db = tmp_path / "k.db"
    store = Store.open(db)
    store.close()
    result = klantreis("db", "info", "--db", str(db), home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"Database: {db}" in result.stdout
    assert f"Schemaversie: {SCHEMA_VERSION}" in result.stdout
    assert "interviews" in result.stdout and "answers" in result.stdout


def test_db_path_from_environment(tmp_path):
    db = tmp_path / "env.db"
    Store.open(db).close()
    result = klantreis("db", "info", env={"KLANTREIS_DB": str(db)}, home=tmp_path)
    assert f"Database: {db}" in result.stdout


def test_db_info_on_a_missing_database_creates_nothing(tmp_path):
    db = tmp_path / "nieuw.db"
    result = klantreis("db", "info", "--db", str(db), home=tmp_path)
    assert result.returncode == 1
    assert "bestaat (nog) niet" in result.stderr
    assert not db.exists()


def test_newer_database_is_refused_and_left_alone(tmp_path):
    db = tmp_path / "nieuwer.db"
    Store.open(db).close()
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    for args in (["db", "info", "--db", str(db)], ["--db", str(db)]):
        result = klantreis(*args, home=tmp_path)
        assert result.returncode == 1
        assert "nieuwere versie van klantreis" in result.stderr
        assert "Traceback" not in result.stderr
    assert db.read_bytes() == before


def test_damaged_database_is_refused(tmp_path):
    db = tmp_path / "kapot.db"
    db.write_bytes(b"dit is geen database" * 100)
    before = db.read_bytes()
    result = klantreis("--db", str(db), home=tmp_path)
    assert result.returncode == 1
    assert "beschadigd" in result.stderr
    assert "Traceback" not in result.stderr
    assert db.read_bytes() == before


def test_readme_example_question_set_is_valid(tmp_path):
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    example = readme.split("A complete example:\n\n```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "paspoort.yaml"
    path.write_text(example, encoding="utf-8")
    result = klantreis("question-sets", "check", str(path), home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "in orde (paspoort versie 1.0)" in result.stdout


def test_broken_config_file_is_a_message(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[keys\n"interview.skip" = "f5"\n', encoding="utf-8")
    result = klantreis("--db", str(tmp_path / "k.db"), "--config", str(config), home=tmp_path)
    assert result.returncode == 1
    assert f"Het configuratiebestand {config} klopt niet" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "k.db").exists()


def test_config_with_unknown_key_binding_or_setting(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[keys]\n"interview.skipp" = "f5"\n', encoding="utf-8")
    result = klantreis("--db", str(tmp_path / "k.db"), home=tmp_path, env={"KLANTREIS_CONFIG": str(config)})
    assert result.returncode == 1
    assert "interview.skipp" in result.stderr and "interview.skip" in result.stderr
    config.write_text('taal = "en"\n', encoding="utf-8")
    result = klantreis("--db", str(tmp_path / "k.db"), "--config", str(config), home=tmp_path)
    assert result.returncode == 1
    assert "taal" in result.stderr


def test_export_to_an_unwritable_place_is_a_message(tmp_path):
    from klantreis_tui.question_sets import bundled_dir
    from klantreis_tui.services import Services

    db = tmp_path / "k.db"
    services = Services.open(db, [bundled_dir()])
    services.start_interview(services.create_study("Export").id, "vng-algemeen")
    services.close()
    blocker = tmp_path / "bestand"
    blocker.write_text("geen map", encoding="utf-8")
    result = klantreis("--db", str(db), "export", "-o", str(blocker / "x.json"), home=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"Kan niet schrijven naar {blocker}" in result.stderr
    assert blocker.read_text(encoding="utf-8") == "geen map"


def test_default_paths_create_nothing(tmp_path, monkeypatch):
    from klantreis_tui import paths

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    found = [paths.default_db_path(), paths.default_config_path(), paths.user_assist_dir(),
             paths.user_question_set_dir(), paths.default_export_dir()]
    assert found[0] == tmp_path / "data" / "klantreis" / "klantreis.db"
    assert found[1] == tmp_path / "config" / "klantreis" / "config.toml"
    assert found[2].parent == found[3].parent == found[0].parent
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "command",
    [["db", "info"], ["question-sets", "list"], ["export"], ["export", "--format", "md"], ["summary", "--study", "Pijp"], ["--help"]],
    ids=lambda c: " ".join(c),
)
def test_a_closed_pipe_ends_a_command_without_a_traceback(tmp_path, command):
    """As with ``klantreis db info | head -1``: the reader is gone before anything is written."""
    from klantreis_tui.engine import Slot
    from klantreis_tui.question_sets import bundled_dir
    from klantreis_tui.services import Services

    db = tmp_path / "k.db"
    services = Services.open(db, [bundled_dir()])
    study = services.create_study("Pijp")
    for _ in range(3):
        interview = services.start_interview(study.id, "vng-algemeen")
        services.answer(interview.id, Slot("toestemming_deelname"), "j")
        services.insert_step(interview.id, description="Stap " * 200)
        services.finish(interview.id)
    services.close()
    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody will read: every write to the pipe fails
    env = {k: v for k, v in os.environ.items() if not k.startswith("KLANTREIS_")}
    try:
        result = subprocess.run(
            [sys.executable, "-m", "klantreis_tui", "--db", str(db), *command],
            stdout=write_end, stderr=subprocess.PIPE, text=True, env={**env, "HOME": str(tmp_path)}, timeout=120,
        )
    finally:
        os.close(write_end)
    assert "Traceback" not in result.stderr and "BrokenPipeError" not in result.stderr, result.stderr
    assert "Exception ignored" not in result.stderr
    assert result.returncode == 0


@pytest.mark.parametrize(
    ("lang", "command", "message"),
    [
        ("nl", ["poster", "R99", "-o", "poster.html"], "klantreis: fout: Geen respondent met code R99."),
        ("en", ["poster", "R99", "-o", "poster.html"], "klantreis: error: No respondent with code R99."),
        ("en", ["plan", "Onbekend"], "klantreis: error: No study 'Onbekend' (give its title, id or short id)."),
        ("nl", ["forget", "R99", "--yes"], "klantreis: fout: Geen respondent met code R99."),
    ],
)
def test_a_command_that_fails_says_why_exits_non_zero_and_closes_the_database(tmp_path, monkeypatch, capsys, lang, command, message):
    """The commands open the database through one helper: what stops a command inside it is said in the UI
    language, the exit status is 1, and the database is closed (its connection refuses every query after)."""
    from klantreis_tui import i18n
    from klantreis_tui.cli.commands import main
    from klantreis_tui.question_sets import bundled_dir
    from klantreis_tui.services import Services

    monkeypatch.setattr(i18n, "_current", i18n.current_language())  # main sets the language: restored after
    for name in ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "k.db"
    services = Services.open(db, [bundled_dir()])
    services.start_interview(services.create_study("Schulden").id, "vng-algemeen")
    services.close()
    opened: list[Services] = []
    real_open = Services.open.__func__

    def recorded(cls, *args, **kwargs):  # type: ignore[no-untyped-def]
        services = real_open(cls, *args, **kwargs)
        opened.append(services)
        return services

    monkeypatch.setattr(Services, "open", classmethod(recorded))
    status = main(["--lang", lang, "--db", str(db), *command])
    err = capsys.readouterr().err
    assert status == 1
    assert message in err and "Traceback" not in err
    assert len(opened) == 1
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        opened[0].store.conn.execute("SELECT 1")
    assert not (tmp_path / "poster.html").exists()
