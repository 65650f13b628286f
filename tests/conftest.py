"""Shared fixtures (a database with the bundled question sets, a small test script) and record builders.

The builders (``make_study``, ``make_respondent``, ``make_interview``, ``make_step``) are what tests and the bundle
corpus (tests/bundles/make_bundles.py) make records with.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from klantreis_tui.models.records import Interview, Respondent, Step, Study
from klantreis_tui import i18n
from klantreis_tui.question_sets import bundled_dir, parse_question_set
from klantreis_tui.services import Services

FIXTURES = Path(__file__).parent / "fixtures"


def pytest_configure(config: pytest.Config) -> None:
    """The user's cache (compiled templates, parsed question sets) in a folder of this run, for the tests and
    the commands they start, never the developer's own (on Linux and the BSDs, where platformdirs reads it)."""
    import os
    import tempfile

    config._klantreis_cache = os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="klantreis-test-cache-")  # type: ignore[attr-defined]


def pytest_unconfigure(config: pytest.Config) -> None:
    import shutil

    folder = getattr(config, "_klantreis_cache", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)

SMALL_SET = """
id: klein
version: "2"
title: Klein script
description: Een kort script voor tests.
choice_lists:
  kanaal:
    - {value: web, label: Website}
    - {value: tel, label: Telefoon}
sections:
  - id: toestemming
    kind: consent
    text_version: "t1"
    title: Toestemming
    questions:
      - {id: mee, kind: yes_no, consent: participation, required: true, prompt: "Doet u mee?"}
      - {id: citaten, kind: yes_no, consent: quotes, prompt: "Citaten?"}
  - id: context
    title: Context
    questions:
      - {id: leeftijd, kind: number, prompt: "Leeftijd?", validation: {min: 18, max: 120, message: "Tussen 18 en 120."}}
      - {id: digitaal, kind: single_choice, choices: kanaal, prompt: "Hoe regelt u het?"}
      - id: hulp
        kind: text
        prompt: "Wie helpt?"
        when: {question: digitaal, equals: tel}
      - {id: postcode, kind: text, prompt: "Wijk?", validation: {pattern: "[A-Za-z ]+", message: "Alleen letters."}}
  - id: reis
    kind: step_loop
    title: Stappen
    questions:
      - {id: wat, kind: text, field: description, required: true, prompt: "Wat gebeurde er?"}
      - {id: wie, kind: instance, field: instances, prompt: "Met wie?"}
      - {id: emotie, kind: emotion, field: emotion, prompt: "Hoe voelde dat?"}
      - id: waarom
        kind: text
        field: pain_point
        prompt: "Wat ging er mis?"
        when: {question: emotie, at_most: -1}
  - id: slot
    title: Afsluiting
    questions:
      - {id: nog_iets, kind: long_text, prompt: "Nog iets?"}
"""


@pytest.fixture(autouse=True)
def _language_put_back():
    """Every test starts in Dutch, the default, whatever language an earlier test chose."""
    i18n.set_language("nl")
    yield
    i18n.set_language("nl")


@pytest.fixture
def english():
    """The test runs with English texts (the language is chosen once per process, so it is put back after)."""
    before = i18n.current_language()
    i18n.set_language("en")
    yield
    i18n.set_language(before)


@pytest.fixture
def small_set():
    return parse_question_set(SMALL_SET, "klein.yaml")


@pytest.fixture
def qs_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "sets"
    folder.mkdir()
    (folder / "klein.yaml").write_text(SMALL_SET, encoding="utf-8")
    return folder


@pytest.fixture
def services(tmp_path: Path, qs_dir: Path):
    svc = Services.open(tmp_path / "k.db", [bundled_dir(), qs_dir])
    yield svc
    svc.close()


def load_journey(name: str) -> dict:
    return json.loads((FIXTURES / "journeys" / f"{name}.json").read_text(encoding="utf-8"))


# --- builders: records with the fields a test does not care about filled in ---------------------------------


def make_study(title: str = "Schulden", **fields: Any) -> Study:
    return Study(title=title, **fields)


def make_respondent(study_id: str, code: str = "R01", **fields: Any) -> Respondent:
    return Respondent(study_id=study_id, code=code, **fields)


def make_interview(study_id: str, respondent_id: str, **fields: Any) -> Interview:
    """An interview with the small test script (``klein``, version 2) unless ``fields`` say otherwise."""
    script = {"question_set_id": "klein", "question_set_version": "2"}
    return Interview(study_id=study_id, respondent_id=respondent_id, **{**script, **fields})


def make_step(interview_id: str, position: int = 1, **fields: Any) -> Step:
    return Step(interview_id=interview_id, position=position, **fields)
