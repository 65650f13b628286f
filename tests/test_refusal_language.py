"""A hostile bundle, kit, question set or configuration is refused through the real command line with every reason
in the UI language: Dutch by default, English with --lang en, the place (record, field) named, nothing changed."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from klantreis_tui import sealed
from tests.bundles import make_bundles as corpus
from tests.conftest import SMALL_SET
from tests.test_exchange import VALID, cli, db_digest, other_data

PASSPHRASE = "een lange geheime zin"

#: the English reasons a refusal could hold: pydantic's and json's own texts, and the ones of our checks
ENGLISH_REASONS = (
    "Field required", "Extra inputs are not permitted", "Input should", "String should", "should have at",
    "Value error", "Expecting", "Unterminated", "Invalid", "invalid", "Extra data", "is not allowed", "missing",
    "time without time zone", "is not a UUID", "is not an id", "is not a version", "at most", "characters",
    "appears", "belongs to another study", "are not 1..", "larger than", "not a finite number", "not valid",
    "required field", "required key", "unknown", "must be", "Nothing was",
)
#: Dutch words of the reasons (an English refusal holds none of them)
DUTCH_REASONS = (
    "ontbreekt", "tijdzone", "geen UUID", "hoogstens", "tekens", "komt 2 keer", "onbekend", "moet", "verplicht",
    "klopt niet", "ongeldig", "niet toegestaan", "geen geldige", "niets",
)

Change = Callable[[dict[str, Any]], Any]


def _valid() -> dict[str, Any]:
    return json.loads(VALID.read_text(encoding="utf-8"))


def _edit(change: Change) -> Callable[[], bytes]:
    def make() -> bytes:
        data = _valid()
        change(data)
        return json.dumps(data, ensure_ascii=False).encode("utf-8")

    return make


def _replaced(old: str, new: str) -> Callable[[], bytes]:
    """Every occurrence of one id replaced (the links stay whole: only the id's form is wrong)."""
    return lambda: VALID.read_bytes().replace(old.encode(), new.encode())


def _twice(table: str) -> Change:
    return lambda b: b[table].append(copy.deepcopy(b[table][0]))


def _drop(table: str, index: int, field: str) -> Change:
    return lambda b: b[table][index].pop(field)


def _set(table: str, index: int, **values: Any) -> Change:
    return lambda b: b[table][index].update(values)


def _sealed(header: Callable[[dict[str, Any]], Any]) -> Callable[[], bytes]:
    """The valid bundle encrypted, its header line changed by ``header`` (the parsed header, or None: not JSON)."""

    def make() -> bytes:
        data = sealed.seal(VALID.read_bytes(), PASSPHRASE, n=sealed.MIN_N)
        magic, line, rest = data.split(b"\n", 2)
        fields = json.loads(line)
        changed = header(fields)
        line = b"{not json" if changed is None else json.dumps(fields).encode("ascii")
        return b"\n".join([magic, line, rest])

    return make


#: name -> (the file's bytes, a fragment of the Dutch message, a fragment of the English message)
BUNDLES: dict[str, tuple[Callable[[], bytes], str, str]] = {
    "missing study": (
        _edit(lambda b: b.update(studies=[])),
        f"respondent R01: onderzoek {corpus.STUDY} ontbreekt", f"respondent R01: study {corpus.STUDY} missing",
    ),
    "time without zone": (
        _edit(_set("interviews", 1, started_at="2026-02-10T10:00:00")),
        f"interview {corpus.I2} started_at: tijd zonder tijdzone", f"interview {corpus.I2} started_at: time without time zone",
    ),
    "study time without zone": (
        _edit(_set("studies", 0, created_at="2026-02-10T10:00:00")),
        f"onderzoek {corpus.STUDY} created_at: tijd zonder tijdzone", f"study {corpus.STUDY} created_at: time without time zone",
    ),
    "unknown field": (
        _edit(_set("respondents", 0, naam="Jan")), "respondents.0.naam: onbekend veld", "respondents.0.naam: unknown field",
    ),
    "unknown top-level field": (_edit(lambda b: b.update(opmerking="x")), "opmerking: onbekend veld", "opmerking: unknown field"),
    "missing field": (
        _edit(_drop("interviews", 0, "respondent_id")),
        "interviews.0.respondent_id: verplicht veld ontbreekt", "interviews.0.respondent_id: required field is missing",
    ),
    "number as text": (
        _edit(_set("steps", 0, emotion="laag")), "steps.0.emotion: moet een geheel getal zijn", "steps.0.emotion: must be a whole number",
    ),
    "text as number": (_edit(_set("studies", 0, title=5)), "studies.0.title: moet tekst zijn", "studies.0.title: must be text"),
    "list as text": (_edit(_set("steps", 0, channels="brief")), "steps.0.channels: moet een lijst zijn", "steps.0.channels: must be a list"),
    "bool as text": (
        _edit(_set("steps", 0, moment_of_truth="ja")),
        "steps.0.moment_of_truth: moet true of false zijn", "steps.0.moment_of_truth: must be true or false",
    ),
    "out of range": (_edit(_set("steps", 0, emotion=5)), "steps.0.emotion: mag hoogstens 2 zijn", "steps.0.emotion: must be at most 2"),
    "not a time": (
        _edit(_set("interviews", 0, started_at="gisteren")),
        "interviews.0.started_at: moet een datum en tijd zijn", "interviews.0.started_at: must be a date and time",
    ),
    "not a choice": (
        _edit(_set("interviews", 0, status="klaar")),
        "interviews.0.status: moet een van deze zijn: 'bezig', 'afgerond', 'afgebroken', 'geen toestemming'",
        "interviews.0.status: must be one of: 'bezig', 'afgerond', 'afgebroken', 'geen toestemming'",
    ),
    "version as text": (
        _edit(lambda b: b.update(schema_version="1")), "schema_version: moet een geheel getal zijn", "schema_version: must be a whole number",
    ),
    "too long text": (
        _edit(_set("steps", 0, description="x" * 100_001)),
        "steps.0.description: tekst van 100001 tekens (hoogstens 100000)",
        "steps.0.description: text of 100001 characters (at most 100000)",
    ),
    "too many items": (
        _edit(_set("steps", 0, channels=["brief"] * 1001)),
        "steps.0.channels: 1001 items (hoogstens 1000)", "steps.0.channels: 1001 items (at most 1000)",
    ),
    "duplicate id": (
        _edit(_twice("interviews")), f"interview {corpus.I1} komt 2 keer voor", f"interview {corpus.I1} appears 2 times",
    ),
    "bad uuid": (
        _replaced(corpus.R01, "../R01"), "respondents.0.id: '../R01' is geen UUID", "respondents.0.id: '../R01' is not a UUID",
    ),
    "broken link": (
        _edit(_set("answers", 0, interview_id=corpus.MISSING)),
        f"antwoord van interview {corpus.MISSING}: interview ontbreekt", f"answer of interview {corpus.MISSING}: interview missing",
    ),
    "respondent missing": (
        _edit(_set("interviews", 0, respondent_id=corpus.MISSING)),
        f"interview {corpus.I1}: respondent {corpus.MISSING} ontbreekt", f"interview {corpus.I1}: respondent {corpus.MISSING} missing",
    ),
    "step positions": (
        _edit(_set("steps", 2, position=5)),
        f"stappen van interview {corpus.I1}: posities [1, 2, 5] zijn niet 1..3",
        f"steps of interview {corpus.I1}: positions [1, 2, 5] are not 1..3",
    ),
    "truncated": (
        lambda: VALID.read_bytes()[: len(VALID.read_bytes()) // 2],
        "geen geldige JSON (regel", "not valid JSON (line",
    ),
    "nan": (
        lambda: VALID.read_bytes().replace(b'"emotion": -2', b'"emotion": NaN', 1),
        "NaN is niet toegestaan in JSON", "NaN is not allowed in JSON",
    ),
    "control characters in an id": (
        _replaced(corpus.STUDY, "\\u001b]0;pwned\\u0007"), r"studies.0.id: '\x1b]0;pwned\x07' is geen UUID",
        r"studies.0.id: '\x1b]0;pwned\x07' is not a UUID",
    ),
    "raw control character": (
        _replaced(corpus.STUDY, "\x1b]0;pwned"), "ongeldig stuurteken", "a control character inside a text",
    ),
    "encrypted, header not JSON": (
        _sealed(lambda h: None), "de versleutelde bundel is beschadigd of onvolledig", "is damaged or incomplete (header is not JSON)",
    ),
    "encrypted, hostile key derivation": (
        _sealed(lambda h: h.update(n=3) or h), "de versleutelde bundel is beschadigd of onvolledig",
        "(scrypt parameters refused: n must be a power of two from 1024 to 1048576)",
    ),
    "control characters in a field name": (
        _edit(_set("respondents", 0, **{"na\x1b[2Jam": 1})), "onbekend veld", "unknown field",
    ),
}


def _kit(tmp_path: Path, change: Change) -> Callable[[], bytes]:
    def make() -> bytes:
        from tests.test_team import laptop

        a = laptop(tmp_path / "maker", "a", with_small_set=True)
        a.create_study("Schuldhulpverlening 2026")
        a.write_kit(tmp_path / "kit.json", a.export_kit("Schuldhulpverlening 2026", ["klein"]))
        a.close()
        data = json.loads((tmp_path / "kit.json").read_text(encoding="utf-8"))
        change(data)
        return json.dumps(data, ensure_ascii=False).encode("utf-8")

    return make


#: name -> (a change of a valid kit, or None for a truncated one; the Dutch fragment; the English fragment)
KITS: dict[str, tuple[Change | None, str, str]] = {
    "unknown field": (lambda k: k.update(extra=1), "extra: onbekend veld", "extra: unknown field"),
    "missing field": (lambda k: k["study"].pop("title"), "study.title: verplicht veld ontbreekt", "study.title: required field is missing"),
    "wrong type": (lambda k: k.update(phases=[1]), "phases.0: moet tekst zijn", "phases.0: must be text"),
    "time without zone": (
        lambda k: k.update(exported_at="2026-02-10T10:00:00"), "exported_at: tijd zonder tijdzone", "exported_at: time without time zone",
    ),
    "bad uuid": (lambda k: k["study"].update(id="../x"), "study.id: '../x' is geen UUID", "study.id: '../x' is not a UUID"),
    "duplicate question set": (
        lambda k: k["question_sets"].append(dict(k["question_sets"][0])),
        "vragenlijst klein komt 2 keer voor", "question set klein appears 2 times",
    ),
    "question set with an unknown key": (
        lambda k: k["question_sets"][0].update(text=SMALL_SET + "\nextra_key: 1\n"),
        "klein.yaml:45: extra_key: onbekende sleutel", "klein.yaml:45: extra_key: unknown key",
    ),
    "question set with a wrong type": (
        lambda k: k["question_sets"][0].update(text=SMALL_SET.replace("title: Klein script", "title: [1, 2]")),
        "klein.yaml:4: title: ongeldige waarde", "klein.yaml:4: title: invalid value",
    ),
    "question set of another version": (
        lambda k: k["question_sets"][0].update(version="3"),
        "het bestand is vragenlijst klein versie 2, niet klein versie 3", "its file is question set klein version 2, not klein version 3",
    ),
    "truncated": (None, "geen geldige JSON (regel", "not valid JSON (line"),
}


def _cli_with_passphrase(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``tests.test_exchange.cli`` with the passphrase of the encrypted bundles in the environment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KLANTREIS_")}
    env.update(HOME=str(tmp_path / "home"), XDG_DATA_HOME=str(tmp_path / "home" / "data"),
               XDG_CONFIG_HOME=str(tmp_path / "home" / "config"), PYTHONIOENCODING="utf-8", KLANTREIS_PASSPHRASE=PASSPHRASE)
    return subprocess.run([sys.executable, "-m", "klantreis_tui", *args], capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=120, cwd=tmp_path)


def _refused(tmp_path: Path, lang: str, name: str, data: bytes) -> str:
    """The command line's refusal of ``data`` in ``lang``: exit 1, no traceback, the database unchanged."""
    folder = tmp_path / lang
    folder.mkdir()
    db, sets = folder / "k.db", folder / "sets"
    sets.mkdir()
    other_data(db)
    before = db_digest(db)
    path = folder / name
    path.write_bytes(data)
    result = _cli_with_passphrase(tmp_path, *(["--lang", "en"] if lang == "en" else []), "--db", str(db),
                                  "--question-sets", str(sets), "import", str(path))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr  # control characters shown as symbols
    assert db_digest(db) == before and list(sets.iterdir()) == []
    return result.stderr


def _in_its_language(message: str, lang: str, fragment: str) -> None:
    assert fragment in message, message
    if lang == "nl":
        assert [w for w in ENGLISH_REASONS if w in message] == [], message
    else:
        assert [w for w in DUTCH_REASONS if w in message] == [], message


@pytest.mark.parametrize("name", list(BUNDLES))
def test_a_hostile_bundle_is_refused_in_the_ui_language(tmp_path, name):
    make, dutch, english = BUNDLES[name]
    data = make()
    for lang, fragment in (("nl", dutch), ("en", english)):
        message = _refused(tmp_path, lang, "bundle.json", data)
        assert "bundle.json: " in message  # the file
        _in_its_language(message, lang, fragment)


@pytest.mark.parametrize("name", list(KITS))
def test_a_hostile_study_kit_is_refused_in_the_ui_language(tmp_path, name):
    change, dutch, english = KITS[name]
    if change is None:
        whole = _kit(tmp_path, lambda k: None)()
        data = whole[: len(whole) // 2]
    else:
        data = _kit(tmp_path, change)()
    for lang, fragment in (("nl", dutch), ("en", english)):
        message = _refused(tmp_path, lang, "kit.json", data)
        _in_its_language(message, lang, fragment)



#: name -> (a question set's YAML, the Dutch fragment, the English fragment) for ``question-sets check``
QUESTION_SETS: dict[str, tuple[str, str, str]] = {
    "unknown key": (SMALL_SET + "\nextra_key: 1\n", "extra_key: onbekende sleutel", "extra_key: unknown key"),
    "text as a list": (
        SMALL_SET.replace("title: Klein script", "title: [1, 2]"),
        "title: ongeldige waarde: moet tekst zijn, of een mapping met de sleutels 'nl' en 'en'",
        "title: invalid value: must be text, or a mapping with the keys 'nl' and 'en'",
    ),
    "unknown kind": (
        SMALL_SET.replace("kind: yes_no, consent: quotes", "kind: nope, consent: quotes"),
        "'number', 'date', 'emotion', 'instance', 'channel'", "'number', 'date', 'emotion', 'instance', 'channel'",
    ),
    "number as text": (
        SMALL_SET.replace("min: 18", "min: laag"), "validation.min: ongeldige waarde: moet een getal zijn",
        "validation.min: invalid value: must be a number",
    ),
    "bool as text": (
        SMALL_SET.replace("required: true", 'required: "ja"'), "required: ongeldige waarde: moet true of false zijn",
        "required: invalid value: must be true or false",
    ),
}


@pytest.mark.parametrize("name", list(QUESTION_SETS))
def test_a_hostile_question_set_is_refused_in_the_ui_language(tmp_path, name):
    text, dutch, english = QUESTION_SETS[name]
    path = tmp_path / "klein.yaml"
    path.write_text(text, encoding="utf-8")
    for lang, fragment in (("nl", dutch), ("en", english)):
        result = cli(tmp_path, *(["--lang", "en"] if lang == "en" else []), "question-sets", "check", str(path))
        message = result.stdout + result.stderr
        assert result.returncode == 1 and "Traceback" not in message, message
        assert "klein.yaml:" in message  # the file and its line
        _in_its_language(message, lang, fragment)


#: name -> (a configuration file, the Dutch fragment, the English fragment)
CONFIGS: dict[str, tuple[str, str, str]] = {
    "unknown key": ('colour = "red"\n', "colour: onbekend veld", "colour: unknown field"),
    "wrong type": ("respondent_prefix = 5\n", "respondent_prefix: moet tekst zijn", "respondent_prefix: must be text"),
    "wrong value": ('language = "fr"\n', "language: heeft niet de vereiste vorm", "language: does not have the required form"),
    "key as a number": ("[keys]\nquit = 3\n", "keys.quit: moet tekst zijn", "keys.quit: must be text"),
    "broken TOML": ("language = \n", "regel 1, kolom 12: ongeldige waarde", "line 1, column 12: Invalid value"),
    "open table name": ("[keys\n", "regel 1, kolom 6: na de naam van een tabel hoort ']'",
                        "line 1, column 6: Expected ']' at the end of a table declaration"),
    "a key twice": ("language = \"nl\"\nlanguage = \"en\"\n", "regel 2, kolom", "line 2, column"),
    "cut off": ("keys = [1,\n", "aan het einde van het bestand", "at the end of the file"),
}


@pytest.mark.parametrize("name", list(CONFIGS))
def test_a_hostile_configuration_is_refused_in_the_ui_language(tmp_path, name):
    text, dutch, english = CONFIGS[name]
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    db = tmp_path / "k.db"
    for lang, fragment in (("nl", dutch), ("en", english)):
        result = cli(tmp_path, *(["--lang", "en"] if lang == "en" else []), "--config", str(path), "--db", str(db), "run")
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert "config.toml" in result.stderr
        _in_its_language(result.stderr, lang, fragment)
    assert not db.exists()  # refused before the database is opened
