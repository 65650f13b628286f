"""Helpers for driving the app with Pilot as an interviewer would."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timezone

from textual.widgets import Input, TextArea

from klantreis_tui.i18n import set_language
from klantreis_tui.engine import LoopPrompt, Slot
from klantreis_tui.ui.app import make_app
from klantreis_tui.ui.dialogs.phase_place import PhasePlaceScreen
from klantreis_tui.ui.screens.interview import InterviewScreen

FIXED_NOW = datetime(2026, 3, 2, 10, 30, tzinfo=timezone.utc)


def fixed_clock() -> datetime:
    return FIXED_NOW


def build_app(services, lang: str = "nl", keymap=None):
    """The app as the CLI builds it, in ``lang`` (chosen process-wide, as ``--lang`` does; conftest puts it back)."""
    set_language(lang)
    return make_app(services, keymap=keymap, clock=fixed_clock)


def screen(app) -> InterviewScreen:
    assert isinstance(app.screen, InterviewScreen), type(app.screen)
    return app.screen


def position(app):
    s = screen(app)
    return s.editing or s.state.current()


async def type_answer(pilot, text: str) -> None:
    """Fill the answer input as typing would, then press Enter."""
    widget = answer_widget(pilot.app)
    if isinstance(widget, Input):
        widget.value = text
        widget.cursor_position = len(text)
    elif isinstance(widget, TextArea):
        widget.load_text(text)
    else:
        raise AssertionError(f"not a text input: {widget!r}")
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


def answer_widget(app):
    from klantreis_tui.ui.widgets.answer_area import AnswerArea

    return app.screen.query_one(AnswerArea).input_widget


async def looked_at(pilot) -> None:
    """Wait until the interview has looked at the text typed (personal data, the assistant's chips): it does
    once the typed character is drawn, after the next refresh."""
    for _ in range(50):
        await pilot.pause()
        if not getattr(pilot.app.screen, "_assist_due", False):
            return
    raise AssertionError("the typed text was not looked at")


#: the longest a test waits for a condition the app reaches on its own (a screen after a worker, a dialog after a
#: refresh): generous, so that only something really wrong fails it on a loaded machine
UNTIL_LIMIT = 30.0


async def until(pilot, condition: Callable[[], object], what: str, limit: float = UNTIL_LIMIT) -> None:
    """Let the app run until ``condition()`` holds (checked after each short pause); fail naming ``what``."""
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {limit:.0f}s for {what}; the screen is {type(pilot.app.screen).__name__}")
        await pilot.pause(0.02)


async def steady_cursor(pilot) -> None:
    """Stop the focused input's cursor from blinking, shown: a screenshot then does not depend on how long the
    capture took (a blink every 0.5 s hides the cursor on a slow machine)."""
    focused = pilot.app.focused
    if focused is not None and hasattr(focused, "cursor_blink"):
        focused.cursor_blink = False
    await pilot.pause()


async def press(pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await pilot.pause()


EMOTION_KEY = {-2: "1", -1: "2", 0: "3", 1: "4", 2: "5"}


async def answer_step_questions(pilot, step: dict) -> None:
    """Answer the general script's step-loop questions for one journey step."""
    typed = {
        "stap_wat": step["step"],
        "stap_fase": step["phase"],
        "stap_instantie": step["instance"],
        "stap_kanaal": step["channel"],
        "stap_woorden": ", ".join(step["emotion_words"]),
        "stap_citaat": step["quote"] or "",
        "stap_knelpunt": step["pain_point"] or "",
        "stap_kans": step["opportunity"] or "",
        "stap_duur": step.get("duration", ""),
    }
    while isinstance(pos := position(pilot.app), Slot) and pos.step_id:
        if pos.question_id == "stap_emotie":
            await press(pilot, EMOTION_KEY[step["emotion"]])
            if step.get("emotion_words"):  # asked on request: one key opens the question
                await press(pilot, "alt+e")
                assert position(pilot.app).question_id == "stap_woorden"
                await type_answer(pilot, typed["stap_woorden"])
        elif pos.question_id == "stap_keerpunt":
            await press(pilot, "j" if step.get("moment_of_truth") else "n")
        else:
            await type_answer(pilot, typed[pos.question_id])
            if isinstance(pilot.app.screen, PhasePlaceScreen):
                await press(pilot, "enter")  # a phase the study lacks: added after the last one


def is_loop_prompt(app) -> bool:
    return isinstance(position(app), LoopPrompt)


def footer_keys_in_view(app) -> list[str]:
    """The keys of the footer that are shown whole: left of the command palette's key and inside the screen."""
    from textual.widgets._footer import FooterKey

    keys = list(app.screen.query(FooterKey))
    palette = next((k.region.x for k in keys if k.has_class("-command-palette")), app.size.width)
    return [k.key_display for k in keys if not k.has_class("-command-palette") and k.region.width
            and k.region.right <= min(palette, app.size.width)]


async def open_interview_summary(pilot, app, interview_id: str) -> None:
    """From the home screen: to the interviews table, the interview highlighted, ``v`` for its summary."""
    await press(pilot, "tab")  # to the interviews table
    table = app.screen.query_one("#interviews")
    rows = [table.coordinate_to_cell_key((i, 0)).row_key.value for i in range(table.row_count)]
    table.move_cursor(row=rows.index(interview_id))
    await press(pilot, "v")
