"""Hostile bundles (tests/bundles/hostile/) through the real command line: each refused one gets its message,
a non-zero exit and the database bytes unchanged; the escape bundle imports with a warning and its escape
sequences never reach the terminal, the summary, the CSV files or a message. Also the study id that would
name a folder, the cost of the nesting count, and the rule that every CLI message goes through ``say``."""

from __future__ import annotations

import ast
import csv
import io
import json
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from klantreis_tui.exchange import MAX_BUNDLE_BYTES, BundleError, nesting_depth, read_bundle
from klantreis_tui.question_sets import bundled_dir
from klantreis_tui.safetext import visible
from klantreis_tui.services import Services
from tests.bundles import make_bundles as corpus
from tests.bundles.hostile import make_hostile as hostile
from tests.conftest import SMALL_SET
from tests.test_exchange import cli, db_digest, other_data

HOSTILE = Path(hostile.__file__).parent
TITLE = corpus.valid().studies[0].title  # the corpus study's title, before the escapes
#: what must never reach a terminal: ESC, the one-byte CSI, BEL, a right-to-left override (as UTF-8 or raw)
RAW = ["\x1b", "\x9b", "\x07", "\u202e"]


def sets_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "sets"
    folder.mkdir(exist_ok=True)
    (folder / "klein.yaml").write_text(SMALL_SET, encoding="utf-8")
    return folder


def kr(tmp_path: Path, *args: str):  # type: ignore[no-untyped-def]
    return cli(tmp_path, *args, "--db", str(tmp_path / "k.db"), "--question-sets", str(sets_dir(tmp_path)))


def bundle_path(tmp_path: Path, name: str) -> Path:
    if name in hostile.LARGE:
        path = tmp_path / name
        path.write_bytes(hostile.LARGE[name]())
        return path
    return HOSTILE / name


def test_hostile_files_are_what_the_generator_makes():
    made = hostile.build_small()
    assert sorted(made) == sorted(p.name for p in HOSTILE.glob("*.json"))
    stale = [name for name, data in made.items() if (HOSTILE / name).read_bytes() != data]
    assert stale == [], "run: python tests/bundles/hostile/make_hostile.py"
    assert sorted(hostile.REFUSED) == sorted(set(made) - {"escapes.json"} | set(hostile.LARGE))


@pytest.mark.parametrize("name", sorted(hostile.REFUSED))
def test_hostile_bundle_is_refused_with_its_message_and_nothing_changes(tmp_path, name):
    other_data(tmp_path / "k.db")
    before = db_digest(tmp_path / "k.db")
    result = kr(tmp_path, "import", str(bundle_path(tmp_path, name)))
    assert result.returncode == 1, result.stdout + result.stderr
    assert hostile.REFUSED[name] in result.stderr, result.stderr[:2000]
    assert result.stderr.startswith("klantreis: fout: ") and result.stderr.rstrip().endswith("Er is niets geïmporteerd.")
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert not any(ch in result.stderr for ch in RAW)  # the id '\x1b[2J' is quoted, not sent
    assert db_digest(tmp_path / "k.db") == before


def test_a_bundle_over_the_size_limit_is_refused_unread(tmp_path):
    other_data(tmp_path / "k.db")
    before = db_digest(tmp_path / "k.db")
    huge = tmp_path / "groot.json"
    with huge.open("wb") as file:  # a sparse file: no disk space used
        file.truncate(MAX_BUNDLE_BYTES + 1)
    result = kr(tmp_path, "import", str(huge))
    assert result.returncode == 1
    assert f"{huge}: te groot voor een bundel ({MAX_BUNDLE_BYTES + 1} bytes, hoogstens {MAX_BUNDLE_BYTES})" in result.stderr
    assert db_digest(tmp_path / "k.db") == before


def test_the_nesting_count_is_exact_and_ignores_brackets_in_strings():
    assert nesting_depth(b'{"a": [1, "[[[\\"[", {}]}', 1) == 3
    assert nesting_depth(b'{"a": [1, "[[[\\"[", {}]}', 3) is None
    assert nesting_depth(b'[["\\\\"]]', 1) == 2  # an escaped backslash does not escape the quote
    assert nesting_depth(b"[" * 50 + b"]" * 50, 32) == 50
    assert nesting_depth(b"[[[", 32) is None  # truncated, not deep: the parser says so
    assert nesting_depth((HOSTILE / "deep_nesting.json").read_bytes(), 32) == 100_003


def test_the_nesting_count_of_a_large_bundle_is_cheap():
    data = (HOSTILE.parent / "valid.json").read_bytes() * 1000  # 10 MB
    started = time.perf_counter()
    assert nesting_depth(data, 32) is None
    # a figure, not a timing test: printed with -s
    print(f"nesting count: {(time.perf_counter() - started) * 1000 / (len(data) / 1e6):.1f} ms per MB")


# --- the escape bundle --------------------------------------------------------------------------------


def test_escape_bundle_imports_with_a_warning_and_keeps_the_data_as_stored(tmp_path):
    result = kr(tmp_path, "import", str(HOSTILE / "escapes.json"))
    assert result.returncode == 0, result.stderr
    assert "WAARSCHUWING: " in result.stderr and "stuurtekens of escapereeksen (bijvoorbeeld studies.0.title)" in result.stderr
    assert not any(ch in result.stdout + result.stderr for ch in RAW)
    services = Services.open(tmp_path / "k.db", [bundled_dir(), sets_dir(tmp_path)])
    try:
        study = services.list_studies()[0].study
        assert study.title == TITLE + hostile.ESCAPES  # stored as it came: the bundle is a record
    finally:
        services.close()
    # the JSON bundle keeps the data (escaped as JSON) and reads back the same
    exported = kr(tmp_path, "export", "--format", "json", "--keep-personal-data")
    assert exported.returncode == 0, exported.stderr
    assert not any(ch in exported.stdout for ch in RAW) and "\\u001b[2J" in exported.stdout
    assert json.loads(exported.stdout)["studies"][0]["title"] == TITLE + hostile.ESCAPES


def test_escape_bundle_summary_and_csv_show_symbols(tmp_path):
    assert kr(tmp_path, "import", str(HOSTILE / "escapes.json")).returncode == 0
    for args in (["summary"], ["summary", "--study", TITLE + hostile.ESCAPES], ["export", "--format", "md"],
                 ["export", "--format", "html"]):
        result = kr(tmp_path, *args, "--keep-personal-data")
        assert result.returncode == 0, (args, result.stderr)
        assert not any(ch in result.stdout for ch in RAW), args
        assert "␛[2J␛]0;gehackt␇" in result.stdout, args
    out = tmp_path / "samenvatting.md"
    assert kr(tmp_path, "summary", "-o", str(out)).returncode == 0
    assert not any(ch in out.read_text(encoding="utf-8") for ch in RAW) and "␛]52;c;" in out.read_text(encoding="utf-8")
    folder = tmp_path / "csv"
    result = kr(tmp_path, "export", "--format", "csv", "-o", str(folder), "--keep-personal-data")
    assert result.returncode == 0, result.stderr
    for name in ("interviews.csv", "steps.csv", "answers.csv"):
        text = (folder / name).read_text(encoding="utf-8")
        assert not any(ch in text for ch in RAW), name
    steps = list(csv.DictReader(io.StringIO((folder / "steps.csv").read_text(encoding="utf-8"))))
    assert steps[0]["phase"] == visible("oriëntatie" + hostile.ESCAPES)


def test_purge_and_forget_show_titles_as_symbols(tmp_path):
    other_data(tmp_path / "k.db")  # its respondent is R01 too, in another study
    assert kr(tmp_path, "import", str(HOSTILE / "escapes.json")).returncode == 0
    forget = kr(tmp_path, "forget", "R01")
    assert forget.returncode == 1
    assert f"{TITLE}␛[2J" in forget.stderr and "komt overeen met 2 respondenten" in forget.stderr
    assert not any(ch in forget.stderr for ch in RAW)
    services = Services.open(tmp_path / "k.db", [bundled_dir(), sets_dir(tmp_path)])
    try:
        study = next(r.study for r in services.list_studies() if r.study.title.startswith(TITLE))
        services.update_study(study.model_copy(update={"retention_until": date.today() - timedelta(days=1)}))
    finally:
        services.close()
    purge = kr(tmp_path, "purge", "--expired", "--yes")
    assert purge.returncode == 0, purge.stderr
    assert f"{TITLE}␛[2J" in purge.stdout and not any(ch in purge.stdout for ch in RAW)
    info = kr(tmp_path, "db", "info")
    assert info.returncode == 0 and not any(ch in info.stdout for ch in RAW)


def test_every_cli_message_goes_through_say():
    """The CLI modules print only through ``cli.common.say`` (the one text rule), never with a bare print."""
    folder = Path(__file__).parent.parent / "klantreis_tui" / "cli"
    bare = []
    for path in sorted(folder.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        allowed = {"say", "Progress"} if path.name == "common.py" else set()
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name in allowed:
                node.body = []  # the two places that do print: say itself and the progress bar (no data)
        bare += [f"{path.name}:{n.lineno}" for n in ast.walk(tree)
                 if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "print"]
    assert bare == []


# --- a study id is never a path ---------------------------------------------------------------------------


def test_a_study_id_that_is_a_path_never_names_a_folder(tmp_path):
    assist = tmp_path / "assist"
    assist.mkdir()
    elsewhere = tmp_path / "some" / "folder"
    elsewhere.mkdir(parents=True)
    (elsewhere / "instances.yaml").write_text("instances:\n  - name: Stichting Van Elders\n", encoding="utf-8")
    own = assist / "6f1c2a8e-2b7d-4c1e-9a55-0d3b4e5f6a7b"
    own.mkdir()
    (own / "instances.yaml").write_text("instances:\n  - name: Stichting Eigen Lijst\n", encoding="utf-8")
    services = Services.open(tmp_path / "k.db", [bundled_dir()], assist_dir=assist)
    try:
        for hostile_id in (str(elsewhere), "../some/folder", f"{own.name}/../../some/folder"):
            assert "Stichting Van Elders" not in services.assistant(hostile_id).names("instances"), hostile_id
        assert "Stichting Eigen Lijst" in services.assistant(own.name).names("instances")  # a UUID: its own lists
    finally:
        services.close()


def test_a_bundle_with_a_path_as_study_id_is_refused_before_use():
    with pytest.raises(BundleError, match="studies.0.id: '/some/folder' is geen UUID"):
        read_bundle(HOSTILE / "study_id_path.json")



# --- study kits: their ids and versions name folders and files ------------------------------------------------


def hostile_kit(tmp_path: Path, change) -> Path:  # type: ignore[no-untyped-def]
    from tests.test_team import laptop

    a = laptop(tmp_path, "a", with_small_set=True)
    a.create_study("Schuldhulpverlening 2026")
    a.write_kit(tmp_path / "kit.json", a.export_kit("Schuldhulpverlening 2026", ["klein"]))
    a.close()
    data = json.loads((tmp_path / "kit.json").read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "hostile-kit.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "change, fragment",
    [
        (lambda k: k["study"].update(id="/some/folder"), "study.id: '/some/folder' is geen UUID"),
        (lambda k: k["question_sets"][0].update(version="../../../x"), "question_sets.0.version: '../../../x' is geen versie"),
        (lambda k: k.update(phases=[json.loads("[" * 100 + "]" * 100)]), "de JSON is 102 niveaus diep genest"),
    ],
    ids=["study-id-path", "version-path", "deep"],
)
def test_a_hostile_study_kit_is_refused_before_any_file_is_written(tmp_path, change, fragment):
    path = hostile_kit(tmp_path, change)
    home = tmp_path / "b"
    sets = home / "sets"
    sets.mkdir(parents=True)
    result = cli(tmp_path, "--db", str(home / "k.db"), "--question-sets", str(sets), "import", str(path))
    assert result.returncode == 1, result.stderr
    assert fragment in result.stderr and "Traceback" not in result.stderr
    assert list(sets.iterdir()) == []
    assert not (tmp_path / "some").exists() and not (tmp_path / "x").exists()
