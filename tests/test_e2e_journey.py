"""End to end: one whole example journey (Johan's passport, five steps) typed into the real command in a
pseudo-terminal with the documented keys only, then the database read without the app.

Keys used: ``r`` (resume, home screen), ``j``/``n`` (yes/no, another step), digits (choices, the score), text and
Enter, ``alt+e`` (the feeling words, asked on request), ``F10`` (complete) and ``q`` (quit). The moment of truth is
asked by the script after a strong score. Every wait is on the screen (``tests/test_e2e_crash.py``'s terminal).
"""

from __future__ import annotations

import json
import sqlite3
import sys

import pytest

from klantreis_tui.question_sets import bundled_dir
from klantreis_tui.services import Services
from tests.conftest import load_journey
from tests.test_e2e_crash import (
    LOOP_FIRST,
    PROMPT,
    START_TIMEOUT,
    STEP_TIMEOUT,
    Terminal,
    app_env,
    processes_using,
    resume,
    start_step,
)

from klantreis_tui.models.phases import DEFAULT_PHASES, phase_key

pytest.importorskip("pexpect")
pytest.importorskip("pyte")

F10 = "\x1b[21~"
ALT_E = "\x1be"
EMOTION_KEY = {-2: "1", -1: "2", 0: "3", 1: "4", 2: "5"}
MORE_PROMPTS = {
    "klopt_beeld": "Klopt dit beeld van uw reis?",
    "dieptepunt": "Wat was voor u het dieptepunt?",
    "hoogtepunt": "En wat was het hoogtepunt?",
    "samenwerking": "Waar werkten organisaties niet goed samen?",
    "een_ding": "Als u één ding mocht veranderen, wat zou dat zijn?",
    "aanvulling": "Wilt u nog iets toevoegen?",
    "verslag": "Wilt u de uitwerking van het gesprek ontvangen?",
}
LONG = {"aanleiding", "verwachting", "stap_wat", "stap_citaat", "stap_knelpunt", "stap_kans", *list(MORE_PROMPTS)[1:6]}


def ask(term: Terminal, question: str, keys: str, widget: str | None = None) -> None:
    """Wait for ``question`` and its focused input, then give ``keys`` (text gets Enter after it)."""
    prompt = PROMPT.get(question) or MORE_PROMPTS[question]
    widget = widget or ("long" if question in LONG else "text")
    term.wait_for(lambda: term.asking() == prompt, f"the question {prompt!r}")
    term.wait_for(lambda: term.answer_input_ready(widget), f"the focused {widget} input for {prompt!r}")
    term.send(keys + ("\r" if widget in ("text", "long") else ""))


def loop_prompt(number: int) -> str:
    return LOOP_FIRST if number == 1 else f"Nog een stap? (nu {number - 1} stap{'' if number == 2 else 'pen'})"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs a Linux pseudo-terminal")
def test_a_whole_example_journey_with_the_documented_keys(tmp_path):
    journey = load_journey("johan-paspoort")
    db_path = tmp_path / "journey.db"
    svc = Services.open(db_path, [bundled_dir()])
    interview = svc.start_interview(svc.create_study(journey["study"]).id, "vng-algemeen", respondent_code="R01")
    svc.close()
    term = Terminal(["--db", str(db_path), "--lang", "nl"], app_env(tmp_path), tmp_path)
    try:
        resume(term)
        for question in ("toestemming_deelname", "toestemming_opname", "toestemming_citaten"):
            ask(term, question, "j", "yes_no")
        ask(term, "leeftijd", "6", "choices:7")  # 65-74
        ask(term, "huishouden", "1", "choices:5")
        ask(term, "werk", "Gepensioneerd")
        ask(term, "digitaal", "1", "choices:3")
        ask(term, "segment", journey["respondent"]["segment"])
        ask(term, "aanleiding", journey["trigger"])
        ask(term, "verwachting", journey["expectation"])
        for number, step in enumerate(journey["steps"], start=1):
            start_step(term, loop_prompt(number), number)
            ask(term, "stap_wat", step["step"])
            ask(term, "stap_fase", step["phase"])
            if phase_key(step["phase"]) not in {phase_key(p) for p in DEFAULT_PHASES}:
                # a phase the study does not have: the app asks where it goes; this one is for the step only
                term.wait_for(lambda: "is geen fase van het onderzoek" in term.text(), "the question where the phase goes")
                term.send("\x1b[F\r")  # End, Enter: the last choice, "only for this step"
            ask(term, "stap_instantie", step["instance"])
            ask(term, "stap_kanaal", step["channel"])
            ask(term, "stap_emotie", EMOTION_KEY[step["emotion"]], "choices:5")
            term.wait_for(lambda: term.asking() != PROMPT["stap_emotie"], "the score saved")
            term.send(ALT_E)  # the feeling words: asked only on request, the question shown under the input
            term.wait_for(lambda: PROMPT["stap_woorden"] in term.answer_area(), "the extra question under the input")
            term.wait_for(lambda: term.answer_input_ready("text"), "the focused input of the extra question")
            term.send(", ".join(step["emotion_words"]) + "\r")
            term.wait_for(lambda: PROMPT["stap_woorden"] not in term.answer_area(), "the extra question answered")
            if abs(step["emotion"]) == 2:  # a strong score: the moment of truth is asked
                ask(term, "stap_keerpunt", "j" if step.get("moment_of_truth") else "n", "yes_no")
            ask(term, "stap_citaat", step["quote"] or "")
            ask(term, "stap_knelpunt", step["pain_point"] or "")
            ask(term, "stap_kans", step["opportunity"] or "")
        term.wait_for(lambda: term.asking() == loop_prompt(6), "the step-loop prompt after step 5")
        term.wait_for(lambda: term.answer_input_ready("yes_no"), "the yes/no input of the step loop")
        term.send("n")
        ask(term, "klopt_beeld", "j", "yes_no")
        for question, text in (
            ("dieptepunt", "Het nummertje ondanks de afspraak"),
            ("hoogtepunt", "De medewerker die de tijd nam"),
            ("samenwerking", ""),
            ("een_ding", "Afspraak ook telefonisch"),
            ("aanvulling", ""),
        ):
            ask(term, question, text)
        ask(term, "verslag", "n", "yes_no")
        term.wait_for(lambda: "F10 rondt het interview af" in term.text(), "the end of the question set")
        term.send(F10)
        term.wait_for(term.on_home, "the home screen after F10")
        term.wait_for(lambda: "afgerond" in term.text(), "the interview listed as completed")
        term.send("q")
        term.wait_for(lambda: term.eof, "the app to quit on q", timeout=STEP_TIMEOUT)
        term.child.close()
        assert term.child.exitstatus == 0
    finally:
        term.kill()
    assert not processes_using(str(db_path))

    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
        conn.row_factory = sqlite3.Row
        status = conn.execute("SELECT status FROM interviews WHERE id = ?", [interview.id]).fetchone()["status"]
        steps = conn.execute("SELECT * FROM steps WHERE interview_id = ? ORDER BY position", [interview.id]).fetchall()
        trigger = conn.execute(
            "SELECT value FROM answers WHERE interview_id = ? AND question_id = 'aanleiding' ORDER BY revision DESC",
            [interview.id],
        ).fetchone()["value"]
    conn.close()
    assert status == "afgerond"
    assert json.loads(trigger) == journey["trigger"]
    assert len(steps) == len(journey["steps"])
    for row, step in zip(steps, journey["steps"]):
        assert row["description"] == step["step"]
        assert phase_key(row["phase"]) == phase_key(step["phase"])  # in the study's spelling ("oriëntatie")
        assert json.loads(row["instances"]) == step["instance"].split(", ")
        assert json.loads(row["channels"]) == [step["channel"]]
        assert row["emotion"] == step["emotion"]
        assert json.loads(row["emotion_words"]) == step["emotion_words"]
        assert json.loads(row["quotes"]) == [step["quote"]]
        assert row["pain_point"] == (step["pain_point"] or "")
        assert row["opportunity"] == (step["opportunity"] or "")
        assert bool(row["moment_of_truth"]) is bool(step.get("moment_of_truth"))
        assert row["duration"] == ""  # asked only on request, and not asked


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs a Linux pseudo-terminal")
def test_demo_starts_on_a_fresh_practice_database_and_throws_it_away(tmp_path):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**app_env(tmp_path), "TMPDIR": str(scratch)}
    term = Terminal(["--demo", "--lang", "nl"], env, tmp_path)
    try:
        term.wait_for(lambda: "Oefenonderzoek (voorbeeldreizen)" in term.text(), "the practice study", timeout=START_TIMEOUT)
        term.wait_for(lambda: term.text().count("afgerond") == 3, "the three example journeys")
        assert [p.name for p in scratch.iterdir()][0].startswith("klantreis-demo-")
        term.send("q")
        term.wait_for(lambda: term.eof, "the app to quit on q", timeout=STEP_TIMEOUT)
        term.child.close()
        assert term.child.exitstatus == 0
    finally:
        term.kill()
    assert list(scratch.iterdir()) == []  # nothing of the training session is left
    assert not (tmp_path / "data" / "klantreis").exists() or not any((tmp_path / "data" / "klantreis").glob("*.db"))
