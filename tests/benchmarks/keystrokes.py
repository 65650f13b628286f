"""Keys in a running interview, in a pseudo-terminal, one at a time as a person types them.

For every key: the time until the typed character is on the screen, and until the screen has settled (the
last output before a quiet spell). The reference is a stock Textual Input in the same layout, built of the same
kinds of widget (the chat of as many messages as one OptionList, as the interview's chat is; a side panel with
the steps as an OptionList; a top bar and the footer), driven the same way, interleaved run by run. (It used to
be a column of one Static per message: Textual's Input lays out the whole screen on every key, and with 633
widgets to arrange that reference took 28 ms a key, twice the interview itself.)
"""

from __future__ import annotations

import string
import time
from pathlib import Path

from tests.benchmarks.common import Row, Terminal, environment, footer_drawn, median, p99, python

BARE_INTERVIEW = '''
"""A bare Textual app in the interview screen's layout, built of the same kinds of widget: the chat of N
messages as one OptionList, a stock Input under it with lines for help and proposals, a side panel with a
status line, the steps as an OptionList and a curve; a one-line top bar and the footer."""
import sys

from textual.app import App
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Input, OptionList, Static


class BareInterview(App):
    BINDINGS = [("f10", "quit", "Quit")]
    CSS = """
    #top { height: 1; }
    #left { width: 3fr; border: round $primary-background; }
    #chat { height: 1fr; border: none; padding: 0; }
    #area { height: auto; max-height: 12; border-top: solid $primary-background; }
    #assist { height: 1; }
    #panel { width: 2fr; min-width: 34; border: round $primary-background; }
    #steps { height: 1fr; border: none; }
    #curve { height: 7; }
    """

    def compose(self):
        yield Static("bare interview", id="top")
        with Horizontal():
            with Vertical(id="left"):
                yield OptionList(*[f"\u25c6 vraag {n}: wat gebeurde er toen, en met wie had u contact?\\n\u203a antwoord {n}  \u2713\\n"
                                   for n in range(int(sys.argv[1]))], id="chat")
                with Vertical(id="area"):
                    yield Static("Typ het antwoord en druk op Enter", id="help")
                    yield Input(id="answer", placeholder="Typ het antwoord en druk Enter")
                    yield Static("", id="assist")
            with Vertical(id="panel"):
                yield Static("R-001 \u00b7 bezig")
                yield OptionList(*[f"{n:>2} stap {n}\\n   fase \u00b7 gemeente \u00b7 balie" for n in range(60)], id="steps")
                yield Static("Hartslag")
                yield Static("\\n".join("\u2581\u2583\u2585\u2587" * 8 for _ in range(7)), id="curve")
        yield Footer()

    def on_mount(self):
        self.query_one("#chat").scroll_end(animate=False)
        self.query_one("#answer").focus()


BareInterview().run()
'''

QUIET = 0.06  # seconds without output that count as "settled"


def prepare(db: Path) -> tuple[str, int]:
    """An unfinished interview of 60 steps, standing at a one-line text question in the step loop."""
    from klantreis_tui.engine import Slot
    from klantreis_tui.models import InterviewStatus
    from klantreis_tui.question_sets import bundled_dir
    from klantreis_tui.services import Services
    from klantreis_tui.ui.transcript import build_transcript
    from tests.benchmarks.synthetic import make_bundle

    services = Services.open(db, [bundled_dir()])
    bundle = make_bundle(1, steps_per_interview=60, seed=3)
    bundle = bundle.model_copy(
        update={"interviews": [bundle.interviews[0].model_copy(update={"status": InterviewStatus.bezig})]}
    )
    services.import_bundle(bundle)
    interview_id = bundle.interviews[0].id
    for step in services.steps(interview_id):
        for question, value in (("stap_fase", step.phase), ("stap_instantie", ", ".join(step.instances)),
                                ("stap_kanaal", ", ".join(step.channels)), ("stap_woorden", "boos")):
            services.answer(interview_id, Slot(question, step.id), value)
    typed = {"yes_no": "j", "emotion": "1", "single_choice": "1", "multiple_choice": "1", "number": "1"}
    from klantreis_tui.models.positions import LoopPrompt

    while True:
        state = services.state(interview_id)
        position = state.current()
        if isinstance(position, LoopPrompt):  # "another step?": yes, and its questions come
            services.loop_answer(interview_id, position, True)
            continue
        kind = state.question(position).kind.value
        if position.step_id and kind == "text":
            break
        services.answer(interview_id, position, typed.get(kind, "tekst"))
    messages = len(build_transcript(services.state(interview_id)))
    services.close()
    return interview_id, messages


PLACEHOLDER = "Typ het antwoord en druk Enter"  # the interview's, given to the bare Input too


def _input_columns(terminal: Terminal) -> tuple[int, int]:
    """The row of the empty answer input (its placeholder) and the columns between its left and right edge."""
    for row, line in enumerate(terminal.display()):
        if PLACEHOLDER in line:
            left = line.rindex("\u258a", 0, line.index(PLACEHOLDER))  # the edges of Textual's "tall" border
            return row, left + 1, line.index("\u258e", left)
    raise RuntimeError(f"no empty answer input on screen: {terminal.display()}")


def _type(terminal: Terminal, count: int) -> tuple[list[float], list[float]]:
    """Type ``count`` letters one by one; per key the seconds until the input shows the text typed so far (in
    the input, not merely somewhere on the screen: a first "a" is on every screen), and until the screen
    settles."""
    shown, settled = [], []
    typed = ""
    letters = string.ascii_lowercase
    row, left, right = _input_columns(terminal)

    def showing() -> str:
        return terminal.display()[row][left:right].strip()

    for number in range(count):
        letter = letters[number % len(letters)]
        if len(typed) >= 30:  # keep the text inside the input's width: start again
            for _ in typed:
                terminal.send("\x7f")
            terminal.wait_for(lambda display: display[row][left:right].strip() in ("", PLACEHOLDER),
                              limit=time.perf_counter() - terminal.started + 10)
            terminal.settle(QUIET)
            typed = ""
        typed += letter
        before = showing()
        start = time.perf_counter()
        terminal.send(letter)
        # the text typed, perhaps followed by a completion (the phase question completes from the study's
        # phases); changed, so that an earlier completion that starts the same way does not count
        while (now := showing()) == before or not now.startswith(typed):
            if time.perf_counter() - start > 5:
                raise RuntimeError(f"{typed!r} did not appear: {terminal.display()}")
            terminal.pump(0.001)
        shown.append(time.perf_counter() - start)
        settled.append(terminal.settle(QUIET) - start)
    return shown, settled


def bench_keys(runs: int, keys: int, workdir: Path) -> list[Row]:
    env = environment(workdir)
    db = workdir / "keys.db"
    _, messages = prepare(db)
    bare_dir = workdir / "bare"
    bare_dir.mkdir(exist_ok=True)
    (bare_dir / "bare_interview.py").write_text(BARE_INTERVIEW, encoding="utf-8")
    bare_env = {**env, "PYTHONPATH": str(bare_dir)}

    ours_shown, ours_settled, bare_shown, bare_settled, first, opened = [], [], [], [], [], []
    for _ in range(runs):
        with Terminal([python(), "-m", "klantreis_tui", "--db", str(db)], env) as terminal:
            terminal.wait_for(footer_drawn())
            terminal.settle(0.3)
            terminal.send("r")  # resume the unfinished interview
            start = time.perf_counter()
            # open when its answer input is on screen (the chat's frame comes a moment before it)
            terminal.wait_for(lambda display: any(PLACEHOLDER in line for line in display))
            opened.append(time.perf_counter() - start)
            terminal.settle(0.3)
            shown, settled = _type(terminal, keys)
            first.append(settled[0])
            ours_shown += shown[1:]
            ours_settled += settled[1:]
        with Terminal([python(), "-m", "bare_interview", str(messages)], bare_env) as terminal:
            terminal.wait_for(footer_drawn("Quit"))
            terminal.settle(0.3)
            shown, settled = _type(terminal, keys)
            bare_shown += shown[1:]
            bare_settled += settled[1:]
    ms = 1000
    return [
        Row(f"3 key: character on screen ({messages} msgs)", median(ours_shown) * ms, "ms", median(bare_shown) * ms,
            "ratio <= 1.5, p99 < 16 ms", median(ours_shown) / median(bare_shown) <= 1.5 and p99(ours_shown) < 0.016,
            f"p99 {p99(ours_shown) * ms:.1f} (bare {p99(bare_shown) * ms:.1f})"),
        Row("3 key: screen settled", median(ours_settled) * ms, "ms", median(bare_settled) * ms, "< 16 ms",
            median(ours_settled) < 0.016,
            f"p99 {p99(ours_settled) * ms:.1f} (bare {p99(bare_settled) * ms:.1f})"),
        Row("3 first character typed in an interview", median(first) * ms, "ms", None, "< 16 ms",
            median(first) < 0.016,
            "typed 0.3 s after the screen is quiet; each run: " + ", ".join(f"{f * ms:.0f}" for f in first)),
        Row(f"3 open an interview ({messages} msgs)", median(opened) * ms, "ms", None, "-", True,
            "r on the home screen until its input is on screen"),
    ]
