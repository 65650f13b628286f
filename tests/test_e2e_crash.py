"""End to end: the real command in a pseudo-terminal, killed with SIGKILL mid-interview.

Every answer the screen showed as saved (``› answer  ✓``) must be in the database after the kill, an
answer that was typed but not submitted must not be, and the restarted app must resume at the same
question with the same transcript.

The terminal output is fed into a VT emulator (pyte), so the test reads the screen as the
interviewer sees it instead of matching escape sequences. Every wait is on screen state, with a
deadline; a failure prints the screen.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    sys.platform == "win32", reason="a POSIX pseudo-terminal (pexpect.spawn) and SIGKILL; Windows has neither"
)
pexpect = pytest.importorskip("pexpect")
pyte = pytest.importorskip("pyte")

from klantreis_tui.question_sets import bundled_dir  # noqa: E402
from klantreis_tui.services import Services  # noqa: E402

ROWS, COLS = 30, 100
START_TIMEOUT = 90.0  # a cold start imports Textual; an upper bound, generous for loaded machines
#: the longest wait for one step (a screen, a row, the transcript after a restart): an upper bound, not a pace (every
#: wait returns as soon as its condition holds), so generous that only something really wrong reaches it at load 15
STEP_TIMEOUT = 60.0
F6 = "\x1b[17~"
# The focus colour of the answer input (border of Input/TextArea, highlighted option) in Textual's
# default theme, as pyte reports it in 256-colour mode (TERM=xterm-256color, no COLORTERM).
FOCUS_COLOUR = "0087d7"
SCROLLBAR = set(" ▁▂▃▄▅▆▇█▔")  # a vertical scrollbar: the last two columns of a scrolling widget

# Prompts as written in question_sets/vng-algemeen.yaml (Dutch).
PROMPT = {
    "toestemming_deelname": "Wilt u meedoen aan dit interview?",
    "toestemming_opname": "Mogen we het gesprek opnemen?",
    "toestemming_citaten": "Mogen we uitspraken van u zonder naam als citaat gebruiken?",
    "leeftijd": "In welke leeftijdsgroep valt u?",
    "huishouden": "Hoe ziet uw huishouden eruit?",
    "werk": "Wat doet u overdag (werk, school, zorg)?",
    "digitaal": "Hoe regelt u zaken met instanties online?",
    "segment": "Samenvatting voor de interviewer: in welke groep past deze respondent?",
    "aanleiding": "Wat gebeurde er waardoor u met dit onderwerp te maken kreeg?",
    "verwachting": "Wat verwachtte u toen dat er zou gebeuren?",
    "stap_wat": "Wat deed u of wat gebeurde er?",
    "stap_fase": "In welke fase van de reis hoort deze stap?",
    "stap_instantie": "Met wie had u toen contact?",
    "stap_kanaal": "Hoe ging dat contact?",
    "stap_emotie": "Hoe voelde u zich daarbij?",
    "stap_woorden": "Welke woorden passen bij dat gevoel?",
    "stap_citaat": "Citaat: wat zei de respondent letterlijk?",
    "stap_knelpunt": "Wat ging er mis of kostte extra moeite?",
    "stap_kans": "Wat had u op dat moment geholpen?",
    "stap_duur": "Hoe lang duurde dit?",
    "stap_keerpunt": "Voor de interviewer: was dit een keerpunt in de reis (moment van de waarheid)?",
}
LOOP_FIRST = "Eerste stap van de reis beginnen?"
LOOP_MORE = "Nog een stap? (nu 1 stap)"


@dataclass(frozen=True)
class Answer:
    """One answer as the interviewer gives it: the keys, what the chat shows, what is stored."""

    question: str
    step: int  # 0 outside the step loop, else the step's position
    keys: str  # a single key for choices; text (typed, then Enter) otherwise
    shown: str
    stored: object
    widget: str  # the input the question gets: "yes_no", "choices:N", "text" or "long"

    @property
    def typed(self) -> bool:
        return self.widget in ("text", "long")


LONG = {"aanleiding", "verwachting", "stap_wat", "stap_citaat", "stap_knelpunt", "stap_kans"}
CHOICES = {"leeftijd": 7, "huishouden": 5, "digitaal": 3, "stap_emotie": 5}


def key(question: str, digit: str, shown: str, stored: object, step: int = 0) -> Answer:
    widget = f"choices:{CHOICES[question]}" if question in CHOICES else "yes_no"
    return Answer(question, step, digit, shown, stored, widget)


def text(question: str, value: str, step: int = 0, stored: object = None) -> Answer:
    widget = "long" if question in LONG else "text"
    return Answer(question, step, value, value, value if stored is None else stored, widget)


BEFORE_STEPS = [
    key("toestemming_deelname", "j", "ja", True),
    key("toestemming_opname", "j", "ja", True),
    key("toestemming_citaten", "j", "ja", True),
    key("leeftijd", "4", "45-54", "45-54"),
    key("huishouden", "1", "Alleenstaand", "alleen"),
    text("werk", "Buschauffeur in ploegendienst"),
    key("digitaal", "1", "Regelt alles zelf online", "zelf"),  # 'zelf': no follow-up question
    text("segment", "Werkende ouder, digitaal vaardig"),
    text("aanleiding", "Brief over terugbetalen huurtoeslag"),
    text("verwachting", "Dat de gemeente snel zou helpen"),
]
STEP_ONE = [
    text("stap_wat", "Belde het nummer op de brief", 1),
    text("stap_fase", "oriëntatie", 1),
    text("stap_instantie", "Belastingdienst", 1, stored=["Belastingdienst"]),
    text("stap_kanaal", "telefoon", 1, stored=["telefoon"]),
    key("stap_emotie", "2", "-1 ☹ negatief", -1, step=1),
    text("stap_citaat", "Ik hing een uur in de wacht", 1),
    text("stap_knelpunt", "Niemand wist het antwoord", 1),
    text("stap_kans", "Eén vast aanspreekpunt", 1),
]  # feeling words and duration are asked on request only; a mild score asks no moment of truth
STEP_TWO = [
    text("stap_wat", "Ging langs bij het wijkteam", 2),
    text("stap_fase", "aanvraag", 2),
]
UNSUBMITTED = "Wijkteam Zuid nooit bevestigd"  # typed for stap_instantie of step 2, no Enter


# --- reading the screen -----------------------------------------------------------------------


@dataclass
class ChatEntry:
    prompt: str
    answer: str | None = None
    saved: bool = False
    open: bool = True  # still collecting wrapped prompt lines


def parse_chat(lines: list[str]) -> list[ChatEntry]:
    """The ◆ messages visible in the chat column, with their answers (``› text  ✓``)."""
    entries: list[ChatEntry] = []
    current: ChatEntry | None = None
    for line in lines:
        if line.startswith("◆ "):
            current = ChatEntry(line[2:].strip())
            entries.append(current)
        elif current is None:
            continue  # the top of a message that scrolled out of view
        elif line.startswith("› "):
            body = line[2:]
            current.answer = body.split("  ✓")[0].rstrip()
            current.saved = "  ✓" in body
            current.open = False
        elif not line.strip() or line.startswith(("──", "▸", "  ")):
            current.open = False  # blank, a header, or a hint/probe line
        elif current.open:
            current.prompt += " " + line.strip()  # the prompt wrapped
    return entries


class Terminal:
    """The app running in a pseudo-terminal, its output kept on a virtual screen."""

    def __init__(self, args: list[str], env: dict[str, str], cwd: Path):
        self.screen = pyte.Screen(COLS, ROWS)
        self.stream = pyte.ByteStream(self.screen)
        self.child = pexpect.spawn(
            sys.executable, ["-m", "klantreis_tui", *args], env=env, cwd=str(cwd), dimensions=(ROWS, COLS)
        )
        self.eof = False

    # raw screen

    def lines(self) -> list[str]:
        return [line.rstrip() for line in self.screen.display]

    def text(self) -> str:
        return "\n".join(self.lines())

    def _read(self, timeout: float) -> None:
        if self.eof:
            time.sleep(timeout)
            return
        try:
            data = self.child.read_nonblocking(65536, timeout=timeout)
        except pexpect.TIMEOUT:
            return
        except pexpect.EOF:
            self.eof = True
            return
        self.stream.feed(data)

    def wait_for(self, condition: Callable[[], object], what: str, timeout: float = STEP_TIMEOUT) -> None:
        """Read output until ``condition()`` holds; fail with the screen when the deadline passes."""
        deadline = time.monotonic() + timeout
        while True:
            if condition():
                return
            if self.eof:
                raise AssertionError(
                    f"the app exited (status {self.child.exitstatus}, signal {self.child.signalstatus}) "
                    f"while waiting for {what}\n{self.dump()}"
                )
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}\n{self.dump()}")
            self._read(0.05)

    def dump(self) -> str:
        return "--- screen ---\n" + self.text() + "\n--------------"

    def send(self, data: str) -> None:
        self.child.send(data)

    # the interview screen: chat column (left), answer area (below the chat), journey panel (right)

    def _columns(self) -> tuple[int, int, int] | None:
        """(row of the top border, left border x, right border x) of the chat column."""
        for row, line in enumerate(self.lines()):
            left = line.find("╭─ Gesprek")
            if left >= 0:
                right = line.find("╮", left)
                if right > left:
                    return row, left, right
        return None

    def _inside(self, left: int, right: int, top: int) -> list[str]:
        rows = []
        for line in self.lines()[top + 1 :]:
            if line[left : left + 1] == "╰":
                break
            inner = line[left + 1 : right].ljust(right - left - 1)
            if set(inner[-2:]) <= SCROLLBAR:
                inner = inner[:-2]
            rows.append(inner.rstrip())
        return rows

    def _chat_and_answer(self) -> tuple[list[str], list[str]]:
        rows, split = self._chat_rows()
        return (rows, []) if split is None else (rows[:split], rows[split + 1 :])

    def _chat_rows(self) -> tuple[list[str], int | None]:
        """The rows inside the chat column and the index of the rule above the answer input."""
        found = self._columns()
        if found is None:
            return [], None
        top, left, right = found
        rows = self._inside(left, right, top)
        for index, row in enumerate(rows):
            if len(row) > 20 and set(row) == {"─"}:
                return rows, index
        return rows, None

    def answer_input_ready(self, widget: str) -> bool:
        """The input for a question of kind ``widget`` is the only one shown, and it has focus.

        The app focuses a new input only after the screen showing it has been refreshed
        (``call_after_refresh(widget.focus)``), and keys that arrive before are lost. So the test
        waits for the focus colour, and for the previous input to be gone, before it types.
        """
        found = self._columns()
        rows, split = self._chat_rows()
        if found is None or split is None:
            return False
        top, left, _ = found
        first = top + 1 + split + 1  # screen row of the first line under the rule
        area = rows[split + 1 :]
        cells = [self.screen.buffer[first + i] for i in range(len(area))]
        if widget in ("text", "long"):
            tops = [i for i, row in enumerate(area) if row.startswith("▊▔")]
            bottoms = [i for i, row in enumerate(area) if row.startswith("▊▁")]
            if len(tops) != 1 or len(bottoms) != 1:
                return False  # no input yet, or the previous one is still shown
            inner = bottoms[0] - tops[0] - 1
            if inner != (1 if widget == "text" else 3):  # Input: one line; TextArea: height 5
                return False
            return cells[tops[0]][left + 1].fg == FOCUS_COLOUR
        # a choice list opens with nothing highlighted: the bar on the left of its options shows the focus
        if widget == "yes_no":
            option_rows = [i for i, row in enumerate(area) if row in ("▊ja", "▊nee")]
            if [area[i] for i in option_rows] != ["▊ja", "▊nee"]:
                return False
        else:
            count = int(widget.split(":")[1])
            option_rows = [i for i, row in enumerate(area) if re.match(r"▊\[\d\] ", row)]
            if [area[i][:5] for i in option_rows] != [f"▊[{n}] " for n in range(1, count + 1)]:
                return False
        return bool(option_rows) and all(cells[i][left + 1].fg == FOCUS_COLOUR for i in option_rows)

    def chat_lines(self) -> list[str]:
        return self._chat_and_answer()[0]

    def answer_area(self) -> str:
        return "\n".join(self._chat_and_answer()[1])

    def journey_lines(self) -> list[str]:
        found = self._columns()
        if found is None:
            return []
        top, _, right = found
        line = self.lines()[top]
        left = line.find("╭", right)
        end = line.find("╮", left)
        return self._inside(left, end, top) if 0 <= left < end else []

    def chat(self) -> list[ChatEntry]:
        return parse_chat(self.chat_lines())

    def asking(self) -> str | None:
        """The prompt of the message being asked now (the last ◆ without an answer), if any."""
        entries = self.chat()
        if entries and entries[-1].answer is None:
            return entries[-1].prompt
        return None

    def shows_saved(self, prompt: str, shown: str) -> bool:
        return any(e.prompt == prompt and e.answer == shown and e.saved for e in self.chat())

    def on_home(self) -> bool:
        screen = self.text()
        return "Onderzoeken" in screen and "Interviews" in screen and "r Hervatten" in screen

    # life cycle

    def kill(self) -> None:
        if self.child.isalive():
            os.kill(self.child.pid, signal.SIGKILL)
        self.child.close(force=True)


def app_env(home: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("KLANTREIS_", "TEXTUAL", "XDG_"))
        and k not in ("COLUMNS", "LINES", "NO_COLOR", "COLORTERM", "FORCE_COLOR")
    }
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        TERM="xterm-256color",
        PYTHONUTF8="1",
    )
    return env


def processes_using(marker: str) -> list[str]:
    """Command lines of running processes that mention ``marker`` (our database path)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
            state = next(
                (line for line in (entry / "status").read_text().splitlines() if line.startswith("State:")), ""
            )
        except OSError:
            continue
        if "zombie" in state:
            continue
        if any(marker.encode() in arg for arg in argv):
            found.append(f"{entry.name}: {b' '.join(argv).decode(errors='replace')}")
    return found


def latest_answers(
    db_path: Path, interview_id: str
) -> tuple[dict[tuple[str, int], tuple[object, bool, bool]], list[str]]:
    """Latest revision per (question, step position): (value, skipped, retracted); and the step descriptions."""
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
        where = [interview_id]
        positions = dict(conn.execute("SELECT id, position FROM steps WHERE interview_id = ?", where))
        steps = [
            row[0]
            for row in conn.execute("SELECT description FROM steps WHERE interview_id = ? ORDER BY position", where)
        ]
        latest: dict[tuple[str, int], tuple[int, tuple[object, bool, bool]]] = {}
        for question, step_id, revision, value, skipped, retracted in conn.execute(
            "SELECT question_id, step_id, revision, value, skipped, retracted FROM answers WHERE interview_id = ?",
            where,
        ):
            slot = (question, positions.get(step_id, 0) if step_id else 0)
            stored = json.loads(value) if value is not None else None
            if slot not in latest or revision > latest[slot][0]:
                latest[slot] = (revision, (stored, bool(skipped), bool(retracted)))
    conn.close()
    return {slot: row for slot, (_, row) in latest.items()}, steps


# --- driving the interview (shared with test_e2e_crash_random.py) -----------------------------


def give_answer(term: Terminal, item: Answer, prompt: str | None = None) -> None:
    """Wait for the question and its focused input, answer it, wait for ``› shown  ✓``."""
    prompt = prompt or PROMPT[item.question]
    assert len(f"› {item.shown}  ✓") < 50, "keep answers on one chat line"
    term.wait_for(lambda: term.asking() == prompt, f"the question {prompt!r} (step {item.step})")
    term.wait_for(lambda: term.answer_input_ready(item.widget), f"the focused {item.widget} input for {prompt!r}")
    if item.typed:
        term.send(item.keys)
        term.wait_for(lambda: item.keys in term.answer_area(), f"{item.keys!r} typed into the answer input")
        term.send("\r")
    else:
        term.send(item.keys)
    term.wait_for(lambda: term.shows_saved(prompt, item.shown), f"'› {item.shown}  ✓' under {prompt!r}")


def start_step(term: Terminal, loop_prompt: str, number: int) -> None:
    """Answer 'ja' to the step-loop prompt and wait for step ``number`` to open."""
    term.wait_for(lambda: term.asking() == loop_prompt, f"the step-loop prompt {loop_prompt!r}")
    term.wait_for(lambda: term.answer_input_ready("yes_no"), "the focused yes/no input of the step loop")
    term.send("j")
    term.wait_for(
        lambda: any(line.startswith(f"▸ Stap {number}") for line in term.chat_lines())
        and term.asking() == PROMPT["stap_wat"],
        f"step {number} opened",
    )


def resume(term: Terminal) -> None:
    """From the home screen, resume the unfinished interview with ``r``."""
    term.wait_for(term.on_home, "the home screen", timeout=START_TIMEOUT)
    term.wait_for(lambda: "bezig" in term.text(), "the unfinished interview listed")
    term.send("r")
    term.wait_for(lambda: term.asking() is not None, "the resumed interview")


def sigkill(term: Terminal) -> None:
    """Kill the app with SIGKILL now and wait until its terminal has closed."""
    os.kill(term.child.pid, signal.SIGKILL)
    term.wait_for(lambda: term.eof, "the killed app's terminal to close")
    term.child.close(force=True)
    assert term.child.signalstatus == signal.SIGKILL, (term.child.exitstatus, term.child.signalstatus)


# --- the test ---------------------------------------------------------------------------------


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs a Linux pseudo-terminal and /proc")
def test_sigkill_mid_interview_loses_nothing_shown_as_saved(tmp_path):
    db_path = tmp_path / "crash.db"
    svc = Services.open(db_path, [bundled_dir()])
    study = svc.create_study("E2E")
    interview = svc.start_interview(study.id, "vng-algemeen")
    svc.close()
    env = app_env(tmp_path)
    args = ["--db", str(db_path), "--lang", "nl"]
    terminals: list[Terminal] = []
    seen_saved: list[Answer] = []

    def answer(term: Terminal, item: Answer) -> None:
        give_answer(term, item)
        seen_saved.append(item)

    started = time.monotonic()
    try:
        # --- first run: answer, type one more answer without Enter, then SIGKILL ---
        first = Terminal(args, env, tmp_path)
        terminals.append(first)
        resume(first)
        for item in BEFORE_STEPS:
            answer(first, item)
        start_step(first, LOOP_FIRST, 1)
        for item in STEP_ONE:
            answer(first, item)
        start_step(first, LOOP_MORE, 2)
        for item in STEP_TWO:
            answer(first, item)
        first.wait_for(lambda: first.asking() == PROMPT["stap_instantie"], "the question of step 2 left open")
        first.wait_for(lambda: first.answer_input_ready("text"), "the focused input of the open question")
        first.send(UNSUBMITTED)
        first.wait_for(lambda: UNSUBMITTED in first.answer_area(), "the unsubmitted answer in the input")
        chat_before, journey_before = first.chat_lines(), first.journey_lines()
        sigkill(first)

        # --- the database, read without the app: everything shown as saved is there ---
        stored, steps = latest_answers(db_path, interview.id)
        missing = []
        for item in seen_saved:
            row = stored.get((item.question, item.step))
            if row != (item.stored, False, False):
                missing.append(f"{item.question} (step {item.step}): expected {item.stored!r}, found {row!r}")
        assert not missing, "answers shown as saved but not (correctly) stored:\n" + "\n".join(missing)
        assert len(seen_saved) == len(BEFORE_STEPS) + len(STEP_ONE) + len(STEP_TWO)
        assert ("stap_instantie", 2) not in stored, f"an unsubmitted answer was stored: {stored[('stap_instantie', 2)]}"
        with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
            values = [row[0] for row in conn.execute("SELECT value FROM answers")]
        conn.close()
        assert not any(UNSUBMITTED in (value or "") for value in values)
        assert steps == [STEP_ONE[0].stored, STEP_TWO[0].stored], steps

        # --- second run: resume lands on the same question with the same transcript ---
        second = Terminal(args, env, tmp_path)
        terminals.append(second)
        resume(second)
        second.wait_for(
            lambda: second.asking() == PROMPT["stap_instantie"],
            f"the question that was open before the kill ({PROMPT['stap_instantie']!r})",
        )
        second.wait_for(
            lambda: second.chat_lines() == chat_before,
            "the same transcript as before the kill:\n" + "\n".join(chat_before),
            timeout=STEP_TIMEOUT,
        )
        second.wait_for(
            lambda: second.journey_lines() == journey_before,
            "the same journey panel as before the kill:\n" + "\n".join(journey_before),
            timeout=STEP_TIMEOUT,
        )
        visible_saved = [(e.prompt, e.answer) for e in second.chat() if e.saved]
        for item in STEP_TWO + STEP_ONE[-2:]:
            assert (PROMPT[item.question], item.shown) in visible_saved, (
                f"{item.question} (step {item.step}) not shown as saved after the restart\n{second.dump()}"
            )
        assert UNSUBMITTED not in second.text(), f"the unsubmitted answer came back\n{second.dump()}"
        assert "Wijkteam" not in second.answer_area(), second.dump()

        # --- a clean exit: pause to the home screen, quit ---
        second.send(F6)
        second.wait_for(second.on_home, "the home screen after pausing (F6)")
        second.send("q")
        second.wait_for(lambda: second.eof, "the app to quit on q", timeout=STEP_TIMEOUT)
        second.child.close()
        assert second.child.exitstatus == 0, (second.child.exitstatus, second.child.signalstatus)
    finally:
        for term in terminals:
            term.kill()
    assert not any(term.child.isalive() for term in terminals)
    leftovers = processes_using(str(db_path))
    assert not leftovers, f"processes left behind: {leftovers}"
    assert time.monotonic() - started < 120, "far slower than expected"
