"""Hostile question sets: patterns that backtrack or that RE2 cannot run, huge prompts, too many questions,
files that are not files. Each gets its message naming file, line and key; a CLI check exits non-zero."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from klantreis_tui.engine import validate_answer
from klantreis_tui.errors import AnswerInvalid
from klantreis_tui.models import patterns
from klantreis_tui.question_sets import (
    MAX_FILE_BYTES,
    QuestionSetError,
    load_catalog,
    load_question_set,
    parse_question_set,
)
from tests.test_cli import klantreis

BROKEN = Path(__file__).parent / "question_sets" / "broken"
UNSUPPORTED = sorted(BROKEN.glob("pattern_*.yaml"))

SET = """\
id: vijandig
version: "1"
title: Vijandig
description: Een vragenlijst van buiten.
sections:
  - id: vragen
    title: Vragen
    questions:
{questions}"""


def question(index: int, prompt: str = "Wat is er gebeurd?", extra: str = "") -> str:
    return f"      - id: v{index}\n        kind: text\n        prompt: {prompt}\n{extra}"


def with_pattern(pattern: str) -> str:
    rule = f"        validation:\n          pattern: '{pattern}'\n          message: Dat klopt niet.\n"
    return SET.format(questions=question(1, extra=rule))


# --- patterns: RE2, linear time -------------------------------------------------------------------------------


def test_a_backtracking_pattern_answers_at_once():
    # with Python's re, each extra 'a' doubles the time: 31 of them took minutes, 40 take hours. The check runs
    # in a child process so that a regression fails on its time-out instead of hanging the suite.
    code = (
        "from klantreis_tui.question_sets import parse_question_set\n"
        "from klantreis_tui.engine import validate_answer\n"
        "from klantreis_tui.errors import AnswerInvalid\n"
        "from tests.test_hostile_question_sets import with_pattern\n"
        "qs = parse_question_set(with_pattern('^(a+)+$'), 'v.yaml')\n"
        "q = qs.question('v1')\n"
        "for answer in ('a' * 31 + '!', 'a' * 40 + '!', 'a' * 100_000 + '!'):\n"
        "    try:\n"
        "        validate_answer(qs, q, answer)\n"
        "    except AnswerInvalid as exc:\n"
        "        print(exc.reason, exc.message)\n"
        "print(validate_answer(qs, q, 'a' * 100_000) == 'a' * 100_000)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["answer.rule Dat klopt niet."] * 3 + ["True"]
    assert result.stderr == ""  # RE2 logs nothing over the screen


def test_patterns_keep_matching_the_whole_answer():
    qs = parse_question_set(with_pattern("[0-9]{4} ?[A-Z]{2}"), "v.yaml")
    q = qs.question("v1")
    assert validate_answer(qs, q, "1234 AB") == "1234 AB"
    for wrong in ("1234 AB extra", "x1234AB", "12345 AB"):
        with pytest.raises(AnswerInvalid):
            validate_answer(qs, q, wrong)


def test_an_answer_with_a_lone_surrogate_is_checked_not_a_crash():
    # RE2 reads UTF-8, which has no lone surrogates; Python's re took them, so the answer must still be judged
    qs = parse_question_set(with_pattern("[a-z]+.?"), "v.yaml")
    q = qs.question("v1")
    assert validate_answer(qs, q, "ab\ud800") == "ab\ud800"
    with pytest.raises(AnswerInvalid):
        validate_answer(qs, q, "\ud800ab")


@pytest.mark.parametrize("path", UNSUPPORTED, ids=lambda p: p.stem)
def test_question_sets_check_refuses_a_pattern_re2_cannot_run(path, tmp_path):
    result = klantreis("question-sets", "check", str(path), home=tmp_path)
    assert result.returncode == 1
    expected = path.with_suffix(".expected").read_text(encoding="utf-8").strip()
    assert f"  {path.parent}/{expected}" in result.stderr.splitlines()
    assert "sections[0].questions[0].validation.pattern" in expected and ":14: " in expected
    assert "Traceback" not in result.stderr and "re2.cc" not in result.stderr


def test_loading_leaves_a_set_with_an_unsupported_pattern_out_of_the_catalog(tmp_path):
    (tmp_path / "terug.yaml").write_text(with_pattern(r"^(\w)\1$"), encoding="utf-8")
    catalog = load_catalog([tmp_path])
    assert catalog.sets == {}
    assert [str(p) for p in catalog.problems] == [
        f"{tmp_path / 'terug.yaml'}:13: sections[0].questions[0].validation.pattern: terugverwijzingen (\\1, (?P=naam)) "
        "worden niet ondersteund: patronen worden met RE2 gematcht, in lineaire tijd, zonder backtracking"
    ]


def test_an_unsupported_pattern_in_english(english):
    with pytest.raises(QuestionSetError) as caught:
        parse_question_set(with_pattern("^(?=.*[0-9]).+$"), "v.yaml")
    assert str(caught.value) == (
        "v.yaml:13: sections[0].questions[0].validation.pattern: look-ahead and look-behind ((?=...), (?!...), (?<=...), "
        "(?<!...)) are not supported: patterns are matched by RE2, in linear time, without backtracking"
    )


def test_a_pattern_re2_cannot_run_is_refused_by_reason():
    with pytest.raises(patterns.PatternUnsupported) as caught:
        patterns.compile_pattern("(a)\\1")
    assert caught.value.reason == "pattern.backreference"
    with pytest.raises(patterns.PatternUnsupported) as caught:
        patterns.compile_pattern("\\pL{1000}\\pL{1000}\\pL{1000}\\pL{1000}")
    assert caught.value.reason == "pattern.too_large"


# --- size limits ------------------------------------------------------------------------------------------------


def test_a_5_mb_prompt_is_refused_at_load(tmp_path):
    path = tmp_path / "groot.yaml"
    path.write_text(SET.format(questions=question(1, prompt="x" * 5_000_000)), encoding="utf-8")
    with pytest.raises(QuestionSetError) as caught:
        load_question_set(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:11: het bestand is te groot (5.0 MB); een vragenlijst mag hoogstens 1.0 MB zijn"
    ]
    result = klantreis("question-sets", "check", str(path), home=tmp_path)
    assert result.returncode == 1 and "het bestand is te groot (5.0 MB)" in result.stderr


def test_the_file_size_limit_holds_for_text_too():
    text = SET.format(questions=question(1)) + "# " + "x" * MAX_FILE_BYTES + "\n"
    with pytest.raises(QuestionSetError, match=r"^v\.yaml:12: het bestand is te groot \(1\.0 MB\)"):
        parse_question_set(text, "v.yaml")


def test_a_long_prompt_names_its_line_and_key():
    text = SET.format(questions=question(1) + question(2, prompt="y" * 5001))
    with pytest.raises(QuestionSetError) as caught:
        parse_question_set(text, "v.yaml")
    assert str(caught.value) == "v.yaml:14: sections[0].questions[1].prompt: tekst te lang: 5001 tekens (hoogstens 5000)"


def test_too_many_questions(tmp_path):
    path = tmp_path / "veel.yaml"
    path.write_text(SET.format(questions="".join(question(i) for i in range(501))), encoding="utf-8")
    with pytest.raises(QuestionSetError) as caught:
        load_question_set(path)
    assert [str(p) for p in caught.value.problems] == [f"{path}:5: sections: te veel vragen: 501 (hoogstens 500)"]
    result = klantreis("question-sets", "check", str(path), home=tmp_path)
    assert result.returncode == 1 and "te veel vragen: 501 (hoogstens 500)" in result.stderr
    # 500 are allowed
    path.write_text(SET.format(questions="".join(question(i) for i in range(500))), encoding="utf-8")
    assert len(load_question_set(path).questions()) == 500


def test_too_many_sections_choices_and_choice_lists():
    section = "  - id: s{i}\n    title: S\n    questions:\n      - {{id: q{i}, kind: text, prompt: Wat?}}\n"
    head = SET.split("sections:")[0]
    choices = "".join(f"      - {{value: c{i}, label: C}}\n" for i in range(201))
    lists = "".join(f"  l{i}:\n    - {{value: a, label: A}}\n" for i in range(101))
    text = head + "choice_lists:\n  groot:\n" + choices + lists + "sections:\n" + "".join(section.format(i=i) for i in range(51))
    with pytest.raises(QuestionSetError) as caught:
        parse_question_set(text, "v.yaml")
    assert [p.message for p in caught.value.problems] == [
        "te veel keuzelijsten: 102 (hoogstens 100)",
        "te veel keuzes in deze lijst: 201 (hoogstens 200)",
        "te veel secties: 51 (hoogstens 50)",
    ]
    assert [p.key for p in caught.value.problems] == ["choice_lists", "choice_lists.groot", "sections"]


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "pijp.yaml"
    os.mkfifo(fifo)
    with pytest.raises(QuestionSetError) as caught:
        load_question_set(fifo)
    assert str(caught.value) == f"{fifo}: geen gewoon bestand"
    result = klantreis("question-sets", "check", str(fifo), home=tmp_path)
    assert result.returncode == 1 and f"{fifo}: geen gewoon bestand" in result.stderr


# --- in the app: the interview answers at once, the oversized set is not offered ---------------------------------


async def test_the_interview_screen_answers_a_backtracking_pattern_at_once(tmp_path):
    from klantreis_tui.engine import Slot
    from klantreis_tui.services import Services
    from tests.uihelpers import build_app, position, type_answer

    folder = tmp_path / "sets"
    folder.mkdir()
    (folder / "vijandig.yaml").write_text(with_pattern("^(a+)+$"), encoding="utf-8")
    (folder / "groot.yaml").write_text(SET.format(questions=question(1, prompt="x" * 5_000_000)).replace("vijandig", "groot"), encoding="utf-8")
    services = Services.open(tmp_path / "k.db", [folder])
    try:
        assert sorted(services.catalog.sets) == ["vijandig"]
        assert [p.message for p in services.catalog.problems] == [
            "het bestand is te groot (5.0 MB); een vragenlijst mag hoogstens 1.0 MB zijn"
        ]
        study = services.create_study("Vijandig")
        interview = services.start_interview(study.id, "vijandig", respondent_code="R01")
        app = build_app(services)
        async with app.run_test(size=(80, 24)) as pilot:
            app.open_interview(interview.id)
            await pilot.pause()
            await type_answer(pilot, "a" * 40 + "!")  # hours with Python's re
            assert str(app.screen.query_one("#answer-error").render()) == "Dat klopt niet."
            assert position(app) == Slot("v1")
            assert services.interview_record(interview.id).answers == []
            await type_answer(pilot, "a" * 40)
            assert [a.value for a in services.interview_record(interview.id).answers] == ["a" * 40]
    finally:
        services.close()


def test_keyed_stays_a_function_after_its_table_was_loaded():
    # was: a question-set message looked a keyed text up, which imported the table module, then named i18n/keyed.py, and bound it over
    # the function; the UI imported after that got the module (TypeError: 'module' object is not callable)
    code = (
        "from klantreis_tui.i18n import keyed\n"
        "keyed('status.afgerond')\n"
        "from klantreis_tui.ui.screens import home\n"
        "print(callable(home.keyed), home.keyed('status.afgerond'))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == ["True", "completed"], result.stderr
