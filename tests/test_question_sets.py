"""Tests for loading and validating question-set files: bundled sets, the broken corpus, the catalog."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pydantic import BaseModel

from klantreis_tui import i18n
from klantreis_tui.models.question_set import QuestionSet, SectionKind, Text
from klantreis_tui.question_sets import (
    QuestionSetError,
    bundled_dir,
    load_catalog,
    load_question_set,
    parse_question_set,
)

BROKEN_DIR = Path(__file__).parent / "question_sets" / "broken"
BUNDLED = sorted(p for p in bundled_dir().iterdir() if p.suffix in (".yaml", ".yml"))
BROKEN = sorted(BROKEN_DIR.glob("*.yaml"))

#: Corpus files whose ``.expected`` holds the output the loader *should* give, not what it gives today.
#: Remove an entry once the loader is fixed (strict xfail turns a fix into a failure, as a reminder).
KNOWN_LOADER_ISSUES: dict[str, str] = {}

#: Bundled sets with texts that have no English yet (Dutch text containing letters, without ``en``).
KNOWN_MISSING_ENGLISH: dict[str, str] = {}

MINIMAL = """\
id: {id}
version: "1"
title: {title}
description: Een kleine vragenlijst.
sections:
  - id: vragen
    title: Vragen
    questions:
      - id: werk
        kind: text
        prompt: Wat doet u overdag?
"""


def problem_lines(path: Path, lang: str = "nl") -> list[str]:
    """The problems the loader reports for ``path``, as ``str(problem)`` lines with the bare file name."""
    with i18n.using_language(lang), pytest.raises(QuestionSetError) as caught:
        parse_question_set(path.read_text(encoding="utf-8"), name=path.name)
    return [str(problem) for problem in caught.value.problems]


def texts_without_english(node: object, where: str = "") -> list[str]:
    """Every Text in a loaded model whose Dutch has letters but which has no English."""
    found: list[str] = []
    if isinstance(node, Text):
        if not node.en and any(ch.isalpha() for ch in node.nl):
            found.append(f"{where}: {node.nl!r}")
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            found += texts_without_english(getattr(node, name), f"{where}.{name}" if where else name)
    elif isinstance(node, (list, tuple)):
        for index, item in enumerate(node):
            found += texts_without_english(item, f"{where}[{index}]")
    elif isinstance(node, dict):
        for key, item in node.items():
            found += texts_without_english(item, f"{where}.{key}")
    return found


# --- bundled sets ------------------------------------------------------------------------------


def test_bundled_folder_has_the_themed_sets() -> None:
    names = {p.name for p in BUNDLED}
    assert {"vng-algemeen.yaml", "schuldhulpverlening.yaml", "werk-en-inkomen.yaml"} <= names


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_bundled_set_loads_as_a_full_interview(path: Path) -> None:
    qs = load_question_set(path)
    assert qs.id == path.stem
    kinds = [s.kind for s in qs.sections]
    assert kinds[0] is SectionKind.consent
    assert kinds.count(SectionKind.step_loop) == 1
    consent = qs.consent_section()
    assert consent is not None and consent.text_version
    assert {q.consent.value for q in consent.questions if q.consent} == {"participation", "audio", "quotes"}


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(
            p, marks=pytest.mark.xfail(reason=KNOWN_MISSING_ENGLISH[p.name], raises=AssertionError, strict=True)
        )
        if p.name in KNOWN_MISSING_ENGLISH
        else p
        for p in BUNDLED
    ],
    ids=lambda p: p.name,
)
def test_bundled_set_has_english_for_every_text(path: Path) -> None:
    assert texts_without_english(load_question_set(path)) == []


def test_debt_set_uses_conditions_and_a_number_rule() -> None:
    qs = load_question_set(bundled_dir() / "schuldhulpverlening.yaml")
    creditors = qs.question("aantal_schuldeisers")
    assert creditors.kind.value == "number"
    assert creditors.validation is not None
    assert (creditors.validation.min, creditors.validation.max) == (0, 99)
    assert creditors.validation.message.en
    assert qs.question("soort_schuldeisers").when is not None
    assert qs.question("beslag_rondkomen").when is not None


def test_work_and_income_set_uses_conditions_and_a_number_rule() -> None:
    qs = load_question_set(bundled_dir() / "werk-en-inkomen.yaml")
    managers = qs.question("aantal_klantmanagers")
    assert managers.validation is not None
    assert (managers.validation.min, managers.validation.max) == (0, 30)
    assert qs.question("bewijslast").when is not None
    assert qs.question("terugvordering_verhaal").when is not None


# --- the broken corpus ------------------------------------------------------------------------


def test_broken_corpus_is_complete() -> None:
    assert len(BROKEN) >= 18
    expected = {p.stem for p in BROKEN_DIR.glob("*.expected")}
    assert {p.stem for p in BROKEN} == expected


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(
            p, marks=pytest.mark.xfail(reason=KNOWN_LOADER_ISSUES[p.stem], raises=AssertionError, strict=True)
        )
        if p.stem in KNOWN_LOADER_ISSUES
        else p
        for p in BROKEN
    ],
    ids=lambda p: p.stem,
)
def test_broken_file_gives_exactly_the_expected_problems(path: Path) -> None:
    expected = path.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    assert problem_lines(path) == expected


def test_problems_in_english() -> None:
    assert problem_lines(BROKEN_DIR / "duplicate_question_id.yaml", lang="en") == [
        "duplicate_question_id.yaml:16: sections[1].questions[0].id: question id 'werk' is already used (line 10)"
    ]
    assert problem_lines(BROKEN_DIR / "missing_dutch.yaml", lang="en") == [
        "missing_dutch.yaml:8: sections[0].title.nl: Dutch text is missing (key 'nl')"
    ]
    assert problem_lines(BROKEN_DIR / "consent_without_participation.yaml", lang="en") == [
        "consent_without_participation.yaml:11: sections[0].questions: "
        "the consent section needs a question with 'consent: participation'"
    ]


def test_load_question_set_names_the_path(tmp_path: Path) -> None:
    path = tmp_path / "kapot.yaml"
    shutil.copy(BROKEN_DIR / "unknown_key.yaml", path)
    with pytest.raises(QuestionSetError) as caught:
        load_question_set(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:13: sections[0].questions[0].hint_text: onbekende sleutel"
    ]


def test_recursive_alias_is_reported_not_a_crash() -> None:
    with pytest.raises(QuestionSetError):
        parse_question_set("a: &x [*x]\n", name="lus.yaml")


# --- texts -----------------------------------------------------------------------------------


def test_plain_string_text_is_dutch() -> None:
    qs = parse_question_set(MINIMAL.format(id="klein", title="Alleen Nederlands"), name="klein.yaml")
    assert isinstance(qs, QuestionSet)
    assert qs.title.nl == "Alleen Nederlands"
    assert qs.title.en is None
    assert qs.title.get("en") == "Alleen Nederlands"  # falls back to Dutch
    assert qs.question("werk").prompt.nl == "Wat doet u overdag?"


def test_mapping_text_gives_both_languages() -> None:
    text = MINIMAL.format(id="klein", title='{nl: "Klein", en: "Small"}')
    qs = parse_question_set(text, name="klein.yaml")
    assert (qs.title.get("nl"), qs.title.get("en")) == ("Klein", "Small")


# --- the catalog -----------------------------------------------------------------------------


def test_catalog_keeps_good_sets_and_reports_broken_ones(tmp_path: Path) -> None:
    good = tmp_path / "goed.yaml"
    good.write_text(MINIMAL.format(id="goed", title="Goed"), encoding="utf-8")
    broken = tmp_path / "kapot.yaml"
    shutil.copy(BROKEN_DIR / "duplicate_question_id.yaml", broken)
    (tmp_path / "notities.txt").write_text("geen vragenlijst", encoding="utf-8")

    catalog = load_catalog([tmp_path])

    assert list(catalog.sets) == ["goed"]
    assert catalog.paths["goed"] == good
    assert catalog.get("goed").title.nl == "Goed"
    assert [str(p) for p in catalog.problems] == [
        f"{broken}:16: sections[1].questions[0].id: vraag-id 'werk' komt al eerder voor (regel 10)"
    ]


def test_catalog_reports_two_files_with_the_same_id(tmp_path: Path) -> None:
    first = tmp_path / "a.yaml"
    second = tmp_path / "b.yaml"
    first.write_text(MINIMAL.format(id="dubbel", title="Eerste"), encoding="utf-8")
    second.write_text(MINIMAL.format(id="dubbel", title="Tweede"), encoding="utf-8")

    catalog = load_catalog([tmp_path])

    assert catalog.get("dubbel").title.nl == "Eerste"
    assert catalog.paths["dubbel"] == first
    assert [(p.file, p.line, p.key) for p in catalog.problems] == [(str(second), None, "id")]
    assert catalog.problems[0].message == f"vragenlijst-id 'dubbel' wordt ook gebruikt door {first}"


def test_catalog_over_the_bundled_folder_has_no_problems() -> None:
    catalog = load_catalog([bundled_dir()])
    assert catalog.problems == []
    assert set(catalog.sets) == {p.stem for p in BUNDLED}


def test_a_choice_list_named_by_a_number_is_a_problem_not_a_crash():
    # found by the fuzz test: choice_lists with a key written as a number, and a question naming a missing list
    text = """\
id: lijst
version: "1"
title: Lijst
choice_lists:
  1:
    - {value: a, label: A}
  leeftijd:
    - {value: b, label: B}
sections:
  - id: vragen
    title: Vragen
    questions:
      - id: keuze
        kind: single_choice
        choices: onbekend
        prompt: Welke?
"""
    with pytest.raises(QuestionSetError) as caught:
        parse_question_set(text, name="lijst.yaml")
    messages = [str(problem) for problem in caught.value.problems]
    assert any("'onbekend'" in m and "1, leeftijd" in m for m in messages), messages


# --- kept parsed in the user's cache ------------------------------------------------------------------------


@pytest.fixture
def cache(tmp_path: Path, monkeypatch) -> Path:
    from klantreis_tui import paths

    monkeypatch.setattr(paths, "user_cache_dir", lambda: tmp_path / "cache")
    return tmp_path / "cache" / "question_sets"


def _parses(monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    """Every parse of a YAML text from now on (by name)."""
    from klantreis_tui import question_sets

    names: list[str] = []
    real = question_sets.parse_question_set

    def counted(text: str, name: str) -> QuestionSet:
        names.append(name)
        return real(text, name)

    monkeypatch.setattr(question_sets, "parse_question_set", counted)
    return names


def test_a_set_parsed_once_is_read_from_the_cache_the_next_time(tmp_path: Path, cache: Path, monkeypatch) -> None:
    path = tmp_path / "set.yaml"
    shutil.copy(BUNDLED[0], path)
    parses = _parses(monkeypatch)
    first = load_question_set(path)
    assert parses == [str(path)] and len(list(cache.glob("*.json"))) == 1
    again = load_question_set(path)
    assert parses == [str(path)]  # not parsed again
    assert again == first and again == parse_question_set(BUNDLED[0].read_text(encoding="utf-8"), "x")


def test_a_changed_file_is_parsed_again(tmp_path: Path, cache: Path, monkeypatch) -> None:
    path = tmp_path / "set.yaml"
    text = BUNDLED[0].read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    first = load_question_set(path)
    parses = _parses(monkeypatch)
    changed = text.replace(first.title.nl, "Een andere titel", 1)
    assert changed != text
    path.write_text(changed, encoding="utf-8")
    assert load_question_set(path).title.nl == "Een andere titel" and parses == [str(path)]


def test_a_set_with_a_not_condition_is_kept_and_read_back_the_same(tmp_path: Path, cache: Path, monkeypatch) -> None:
    # the model names the field ``not_`` and reads it as ``not``: the entry is written by its alias
    broken = (BROKEN_DIR / "condition_nested_unknown.yaml").read_text(encoding="utf-8")
    path = tmp_path / "set.yaml"
    path.write_text(broken.replace("question: werkt", "question: werk"), encoding="utf-8")
    first = load_question_set(path)
    parses = _parses(monkeypatch)
    assert len(list(cache.glob("*.json"))) == 1
    again = load_question_set(path)
    assert parses == [] and again == first
    assert "not" in again.sections[0].questions[2].model_dump(by_alias=True)["when"]["all"][1]


def test_the_cache_entries_are_for_this_user_only(tmp_path: Path, cache: Path) -> None:
    import os
    import stat

    load_question_set(BUNDLED[0])
    (entry,) = cache.glob("*.json")
    if os.name == "posix":
        assert stat.S_IMODE(entry.stat().st_mode) == 0o600
        assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    assert not [p for p in cache.iterdir() if p.name.startswith(".")]  # no half-written file left


@pytest.mark.parametrize("damage", ["garbage", "invalid set", "other version", "empty"])
def test_a_damaged_or_foreign_cache_entry_is_parsed_again(tmp_path: Path, cache: Path, monkeypatch, damage: str) -> None:
    path = tmp_path / "set.yaml"
    shutil.copy(BUNDLED[0], path)
    expected = load_question_set(path)
    (entry,) = cache.glob("*.json")
    magic, _, body = entry.read_bytes().partition(b"\n")
    entry.write_bytes({
        "garbage": magic + b"\n" + b"\x00\xff{not json",
        "invalid set": magic + b"\n" + b'{"id": "x"}',
        "other version": b"klantreis question set 0.0 0000\n" + body,
        "empty": b"",
    }[damage])
    parses = _parses(monkeypatch)
    assert load_question_set(path) == expected and parses == [str(path)]
    assert entry.read_bytes().startswith(magic + b"\n{")  # kept anew


def test_a_set_with_problems_is_never_kept_and_its_problems_come_in_the_language_of_the_day(
    tmp_path: Path, cache: Path, monkeypatch
) -> None:
    path = tmp_path / "set.yaml"
    shutil.copy(BROKEN[0], path)
    messages = []
    for language in ("nl", "en"):
        monkeypatch.setattr(i18n, "_current", language)
        with pytest.raises(QuestionSetError) as info:
            load_question_set(path)
        messages.append(str(info.value))
    assert messages[0] != messages[1]  # worded anew each time: nothing of it was kept
    assert not cache.exists() or not list(cache.glob("*.json"))


def test_a_cache_folder_that_cannot_be_written_is_left_alone(tmp_path: Path, monkeypatch) -> None:
    from klantreis_tui import paths

    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would be")
    monkeypatch.setattr(paths, "user_cache_dir", lambda: blocked)
    first = load_question_set(BUNDLED[0])
    assert load_question_set(BUNDLED[0]) == first and blocked.read_text().startswith("a file")
