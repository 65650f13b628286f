"""End to end: the real app killed with SIGKILL at random moments, run after run, on one interview.

One database and one interview carry all runs: each run starts the real command in a pseudo-terminal,
resumes the interview, checks that it lands on the expected question with the expected transcript,
answers a random number of further questions and is then killed at a moment chosen at random: while
starting, while resuming, right after a ✓ appeared, while the next question waits, right after Enter
(or a choice key) before the ✓ appears, halfway through typing an answer, at a step-loop prompt or
right after answering it. After every kill the database is read with sqlite3 (latest revision per
question and step): every answer that was shown as saved is there with its value, an answer that was
typed but not submitted is not, and nothing else is.

The random choices come from one seed, printed with every failure; set ``KLANTREIS_CRASH_SEED`` to
replay a run and ``KLANTREIS_CRASH_RUNS`` to change the number of kills (default 22).
"""

from __future__ import annotations

import os
import random
import sqlite3
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.test_e2e_crash import (
    BEFORE_STEPS,
    F6,
    LOOP_FIRST,
    PROMPT,
    START_TIMEOUT,
    STEP_TIMEOUT,
    Answer,
    Terminal,
    app_env,
    give_answer,
    key,
    latest_answers,
    processes_using,
    resume,
    sigkill,
    start_step,
    text,
)
from klantreis_tui.question_sets import bundled_dir
from klantreis_tui.services import Services

pytestmark = pytest.mark.skipif(
    sys.platform == "win32", reason="a POSIX pseudo-terminal (pexpect.spawn) and SIGKILL; Windows has neither"
)

RUNS = int(os.environ.get("KLANTREIS_CRASH_RUNS", "22"))

# --- the interview script: the general script's questions before the loop, then steps without end ---


@dataclass(frozen=True)
class LoopStep:
    """'ja' to the step-loop prompt, which opens step ``number``."""

    number: int
    widget: str = "yes_no"
    typed: bool = False
    keys: str = "j"

    @property
    def prompt(self) -> str:
        return LOOP_FIRST if self.number == 1 else f"Nog een stap? (nu {self.number - 1} stap{'' if self.number == 2 else 'pen'})"


Item = Answer | LoopStep

WHAT = ["Belde het nummer op de brief", "Ging langs bij het wijkteam", "Vulde het formulier in", "Wachtte op bericht"]
PHASES = ["oriëntatie", "aanvraag", "wachten", "besluit", "nazorg"]
INSTANCES = ["Belastingdienst", "UWV", "Wijkteam", "Voedselbank"]
CHANNELS = ["telefoon", "balie", "brief", "website"]
EMOTIONS = [-1, -2, 0, 1, 2]
EMOTION_LABEL = {-2: "-2 ☹☹ zeer negatief", -1: "-1 ☹ negatief", 0: "0 ~ neutraal", 1: "+1 ☺ positief",
                 2: "+2 ☺☺ zeer positief"}
EMOTION_KEY = {-2: "1", -1: "2", 0: "3", 1: "4", 2: "5"}
STEP_LENGTH = 11  # the loop prompt and at most ten questions (nine, and the moment of truth after a strong score)


def step_answers(number: int) -> list[Answer]:
    """The answers for journey step ``number``; each text names its step, so a mix-up shows."""
    i = number - 1
    instance, channel, emotion = INSTANCES[i % 4], CHANNELS[i % 4], EMOTIONS[i % 5]
    # feeling words and duration are asked on request only; a strong score asks the moment of truth
    moment = [key("stap_keerpunt", "n", "nee", False, step=number)] if abs(emotion) == 2 else []
    return [
        text("stap_wat", f"{WHAT[i % 4]} ({number})", number),
        text("stap_fase", PHASES[i % 5], number),
        text("stap_instantie", instance, number, stored=[instance]),
        text("stap_kanaal", channel, number, stored=[channel]),
        key("stap_emotie", EMOTION_KEY[emotion], EMOTION_LABEL[emotion], emotion, step=number),
        *moment,
        text("stap_citaat", f"Ik hing een uur in de wacht ({number})", number),
        text("stap_knelpunt", f"Niemand wist het antwoord ({number})", number),
        text("stap_kans", f"Eén vast aanspreekpunt ({number})", number),
    ]


def script_item(index: int) -> Item:
    if index < len(BEFORE_STEPS):
        return BEFORE_STEPS[index]
    offset, number = index - len(BEFORE_STEPS), 1
    while offset > len(step_answers(number)):  # steps differ in length: a strong score adds a question
        offset -= 1 + len(step_answers(number))
        number += 1
    return LoopStep(number) if offset == 0 else step_answers(number)[offset - 1]


def prompt_of(item: Item) -> str:
    return item.prompt if isinstance(item, LoopStep) else PROMPT[item.question]


# --- what the test knows ----------------------------------------------------------------------------

# How a run ends. Each appears about as often as listed; the order is shuffled by the seed.
KILL_MODES = (
    ["while_starting"] * 2
    + ["while_resuming"] * 1
    + ["right_after_saved"] * 3
    + ["question_waiting"] * 3
    + ["after_enter"] * 5
    + ["mid_typing"] * 3
    + ["loop_prompt_waiting"] * 2
    + ["after_loop_enter"] * 3
)


@dataclass
class Journal:
    """The interview as the test has seen it: items confirmed on screen, and the one in doubt."""

    done: int = 0  # script items shown as saved (or found stored), in order
    pending: Item | None = None  # sent, then killed before the screen showed it saved
    pending_shown_saved: bool = False  # ... but the screen at death did show it saved
    snapshots: dict[int, tuple[list[str], list[str]]] = field(default_factory=dict)  # chat, journey per index
    log: list[str] = field(default_factory=list)

    def confirmed(self) -> list[Item]:
        return [script_item(i) for i in range(self.done)]


def expected_rows(items: list[Item]) -> dict[tuple[str, int], tuple[object, bool, bool]]:
    return {(a.question, a.step): (a.stored, False, False) for a in items if isinstance(a, Answer)}


def saved_pairs(items: list[Item]) -> list[tuple[str, str]]:
    """(prompt, shown) of every answer in chat order; loop prompts leave no answer in the chat."""
    return [(PROMPT[a.question], a.shown) for a in items if isinstance(a, Answer)]


def integrity(db_path: Path) -> str:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def last_answered(term: Terminal):
    answered = [entry for entry in term.chat() if entry.answer is not None]
    return answered[-1] if answered else None


PLACEHOLDER = "Typ het antwoord en druk Enter"  # the one-line input's placeholder (iv.input_text)


def input_text(term: Terminal) -> str:
    """What stands in the text input (Input or TextArea) of the answer area, borders removed."""
    rows = term.answer_area().splitlines()
    tops = [i for i, row in enumerate(rows) if row.startswith("▊▔")]
    bottoms = [i for i, row in enumerate(rows) if row.startswith("▊▁")]
    if len(tops) != 1 or len(bottoms) != 1:
        return ""
    content = "\n".join(row.strip("▊▎ ") for row in rows[tops[0] + 1 : bottoms[0]]).strip()
    return "" if content == PLACEHOLDER else content


def settled(term: Terminal, quiet: float = 0.3, timeout: float = STEP_TIMEOUT) -> tuple[list[str], list[str]]:
    """The chat and journey panel once they stopped changing for ``quiet`` seconds."""
    deadline = time.monotonic() + timeout
    last = (term.chat_lines(), term.journey_lines())
    since = time.monotonic()
    while time.monotonic() < deadline:
        term._read(0.03)
        now = (term.chat_lines(), term.journey_lines())
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return now
    raise AssertionError(f"the chat kept changing for {timeout:.0f}s\n{term.dump()}")


def pause_reading(term: Terminal, seconds: float) -> None:
    """Let the app run for ``seconds`` while its output is read (a full pty would block it)."""
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0 and not term.eof:
        term._read(min(left, 0.02))


LOOP_MODES = ("loop_prompt_waiting", "after_loop_enter")


def choose_mode(pool: list[str], done: int) -> str:
    """The next kill mode from the shuffled pool: a step-loop mode when a loop prompt is near.

    Reaching a loop prompt on purpose costs up to ten answers, so the loop modes wait for the
    interview to come near one (an unanswered loop prompt stays next, and so near, for the next run).
    """
    distance = next(n for n in range(STEP_LENGTH + 1) if isinstance(script_item(done + n), LoopStep))
    near = distance <= 2
    for index, mode in enumerate(pool):
        if (mode in LOOP_MODES) == near:
            return pool.pop(index)
    return pool.pop(0)


# --- the test --------------------------------------------------------------------------------------


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs a Linux pseudo-terminal and /proc")
def test_sigkill_at_random_moments_never_loses_an_answer_shown_as_saved(tmp_path):
    seed = int(os.environ.get("KLANTREIS_CRASH_SEED") or random.SystemRandom().randrange(2**32))
    rng = random.Random(seed)
    print(f"KLANTREIS_CRASH_SEED={seed}")
    pool = [KILL_MODES[i % len(KILL_MODES)] for i in range(RUNS)]
    rng.shuffle(pool)
    plan: list[str] = []

    db_path = tmp_path / "crash.db"
    svc = Services.open(db_path, [bundled_dir()])
    study = svc.create_study("E2E willekeurig")
    interview = svc.start_interview(study.id, "vng-algemeen")
    svc.close()
    env = app_env(tmp_path)
    args = ["--db", str(db_path), "--lang", "nl"]
    journal = Journal()
    terminals: list[Terminal] = []

    def answer_next(term: Terminal) -> None:
        item = script_item(journal.done)
        if isinstance(item, LoopStep):
            start_step(term, item.prompt, item.number)
        else:
            give_answer(term, item)
        journal.done += 1

    def wait_ready(term: Terminal) -> Item:
        """Wait until the next item's question is asked with its input focused; keep the settled screen."""
        item = script_item(journal.done)
        term.wait_for(lambda: term.asking() == prompt_of(item), f"the question {prompt_of(item)!r}")
        term.wait_for(lambda: term.answer_input_ready(item.widget), f"the focused input for {prompt_of(item)!r}")
        journal.snapshots[journal.done] = settled(term)
        return item

    def check_database(death_screen: Terminal | None) -> None:
        """After a kill: the database holds exactly the answers shown as saved (and perhaps the one in doubt)."""
        assert integrity(db_path) == "ok"
        stored, steps = latest_answers(db_path, interview.id)
        pending, journal.pending = journal.pending, None
        if pending is not None and death_screen is not None:
            # the output the app wrote before it died was read up to the end of the terminal
            if isinstance(pending, LoopStep):
                shown = any(line.startswith(f"▸ Stap {pending.number}") for line in death_screen.chat_lines())
            else:
                last = last_answered(death_screen)
                shown = last is not None and last.saved and (last.prompt, last.answer) == (
                    PROMPT[pending.question], pending.shown)
            journal.log[-1] += f", shown as saved before the kill: {shown}"
            if isinstance(pending, LoopStep):
                created = len(steps) == pending.number
                assert created or not shown, f"step {pending.number} was shown as opened but is not stored"
                assert len(steps) in (pending.number - 1, pending.number), steps
                if created:
                    journal.done += 1
            else:
                slot = (pending.question, pending.step)
                assert slot in stored or not shown, f"{slot} was shown as saved but is not stored"
                if slot in stored:
                    journal.done += 1
        confirmed = journal.confirmed()
        expected = expected_rows(confirmed)
        missing = [f"{slot}: expected {row!r}, found {stored.get(slot)!r}" for slot, row in expected.items()
                   if stored.get(slot) != row]
        assert not missing, "answers shown as saved but not (correctly) stored:\n" + "\n".join(missing)
        extra = {slot: row for slot, row in stored.items() if slot not in expected}
        assert not extra, f"answers stored that were never submitted: {extra}"
        opened = sum(isinstance(item, LoopStep) for item in confirmed)
        descriptions = {a.step: a.stored for a in confirmed if isinstance(a, Answer) and a.question == "stap_wat"}
        assert steps == [descriptions.get(n, "") for n in range(1, opened + 1)], steps

    def check_resumed(term: Terminal) -> None:
        """The restarted app asks the next question, with the transcript and journey seen before."""
        item = script_item(journal.done)
        term.wait_for(lambda: term.asking() == prompt_of(item), f"the resumed question {prompt_of(item)!r}")
        term.wait_for(lambda: term.answer_input_ready(item.widget), f"the focused input for {prompt_of(item)!r}")
        before = journal.snapshots.get(journal.done)
        if before is not None:
            chat_before, journey_before = before
            term.wait_for(lambda: term.chat_lines() == chat_before,
                          "the transcript seen before the kill:\n" + "\n".join(chat_before), timeout=STEP_TIMEOUT)
            term.wait_for(lambda: term.journey_lines() == journey_before,
                          "the journey panel seen before the kill:\n" + "\n".join(journey_before), timeout=STEP_TIMEOUT)
        entries = term.chat()
        assert all(e.saved for e in entries if e.answer is not None), f"an unsaved answer in the chat\n{term.dump()}"
        visible = [(e.prompt, e.answer) for e in entries if e.answer is not None]
        expected = saved_pairs(journal.confirmed())
        assert visible == expected[len(expected) - len(visible):], (
            f"the chat does not end with the saved answers {expected[-4:]}\n{term.dump()}")
        assert visible or not expected, f"no saved answer visible after resuming\n{term.dump()}"
        if item.typed:
            assert input_text(term) == "", f"the answer input is not empty after resuming\n{term.dump()}"

    def advance_to(term: Terminal, wanted) -> None:
        while not wanted(script_item(journal.done)):
            answer_next(term)

    started = time.monotonic()
    run, mode = -1, "setup"
    try:
        for run in range(RUNS):
            mode = choose_mode(pool, journal.done)
            plan.append(mode)
            journal.log.append(f"run {run}: {mode} at item {journal.done}")
            term = Terminal(args, env, tmp_path)
            terminals.append(term)
            if mode == "while_starting":
                pause_reading(term, rng.uniform(0.0, 0.8))
                journal.log[-1] += f", home screen shown: {term.on_home()}"
                sigkill(term)
                check_database(None)
                continue
            if mode == "while_resuming":
                term.wait_for(term.on_home, "the home screen", timeout=START_TIMEOUT)
                term.send("r")
                pause_reading(term, rng.uniform(0.0, 0.3))
                sigkill(term)
                check_database(None)
                continue

            resume(term)
            check_resumed(term)
            for _ in range(rng.randint(1 if mode == "right_after_saved" else 0, 2)):
                answer_next(term)
            journal.log[-1] += f", answered up to item {journal.done}"

            if mode == "right_after_saved":
                pause_reading(term, rng.choice([0.0, rng.uniform(0.0, 0.1)]))
            elif mode in ("question_waiting", "loop_prompt_waiting"):
                if mode == "loop_prompt_waiting":
                    advance_to(term, lambda item: isinstance(item, LoopStep))
                wait_ready(term)
                pause_reading(term, rng.uniform(0.0, 0.2))
            elif mode in ("after_enter", "after_loop_enter"):
                if mode == "after_loop_enter":
                    advance_to(term, lambda item: isinstance(item, LoopStep))
                item = wait_ready(term)
                if item.typed:
                    term.send(item.keys)
                    term.wait_for(lambda: item.keys in term.answer_area(), f"{item.keys!r} typed")
                    term.send("\r")
                else:
                    term.send(item.keys)
                journal.pending = item
                delay = rng.choice([0.0, rng.uniform(0.0, 0.03), rng.uniform(0.03, 0.15)])
                journal.log[-1] += f", killed {delay * 1000:.0f} ms after sending {item.keys!r}"
                if delay:
                    time.sleep(delay)  # not reading: as fast as the kill can follow
            elif mode == "mid_typing":
                advance_to(term, lambda item: getattr(item, "typed", False))
                item = wait_ready(term)
                cut = rng.randint(1, len(item.keys) - 1)
                for chunk in (item.keys[: cut // 2], item.keys[cut // 2 : cut]):
                    term.send(chunk)
                    pause_reading(term, rng.uniform(0.0, 0.03))
                if rng.random() < 0.5:
                    term.wait_for(lambda: item.keys[:cut] in term.answer_area(), "the typed part")
                journal.log[-1] += f", killed after typing {item.keys[:cut]!r}"
            else:
                raise AssertionError(mode)
            sigkill(term)
            check_database(term)

        # --- a last run: resume, check, then a clean exit ---
        run, mode = len(plan), "clean exit"
        journal.log.append(f"run {run}: {mode} at item {journal.done}")
        term = Terminal(args, env, tmp_path)
        terminals.append(term)
        resume(term)
        check_resumed(term)
        term.send(F6)
        term.wait_for(term.on_home, "the home screen after pausing (F6)")
        term.send("q")
        term.wait_for(lambda: term.eof, "the app to quit on q", timeout=STEP_TIMEOUT)
        term.child.close()
        assert term.child.exitstatus == 0, (term.child.exitstatus, term.child.signalstatus)
        check_database(None)
    except AssertionError as error:
        raise AssertionError(
            f"KLANTREIS_CRASH_SEED={seed}, run {run} ({mode}):\n{error}\n\nruns:\n" + "\n".join(journal.log)
        ) from error
    finally:
        for term in terminals:
            term.kill()
    elapsed = time.monotonic() - started
    print(f"{len(plan)} kills, {journal.done} items answered, {elapsed:.1f}s")
    assert sum(mode not in ("while_starting", "while_resuming") for mode in plan) >= 15
    assert journal.done > len(BEFORE_STEPS) + 1 + len(step_answers(1)), "the runs should reach the second step"
    assert not any(term.child.isalive() for term in terminals)
    leftovers = processes_using(str(db_path))
    assert not leftovers, f"processes left behind: {leftovers}"
