"""Snapshot tests that fix the look of the key screens, at 80x24 and at a wide size."""

from __future__ import annotations

import pytest

from textual.css.query import NoMatches
from textual.widgets import Input

from klantreis_tui.engine import Ended, LoopPrompt
from klantreis_tui.ui.dialogs.step_editor import StepEditor
from klantreis_tui.ui.screens.interview import InterviewScreen
from klantreis_tui.ui.widgets.markdown_view import MarkdownView
from tests.conftest import load_journey
from tests.uihelpers import FIXED_NOW, answer_widget, build_app, steady_cursor, until

SIZES = [(80, 24), (130, 36)]


def fill_debts_interview(services, steps: int, extra: dict[str, str] | None = None):
    """The debts journey entered through the services, stopped in the step loop."""
    journey = load_journey("jan-schulden")
    study = services.create_study(journey["study"])
    other = services.start_interview(study.id, "schuldhulpverlening", respondent_code="R01", interviewer="AB")
    services.finish(other.id)
    interview = services.start_interview(study.id, "vng-algemeen", respondent_code="R02", interviewer="AB")
    fixed = {
        "toestemming_deelname": "j", "toestemming_opname": "j", "toestemming_citaten": "j",
        "leeftijd": "45-54", "huishouden": "alleen", "werk": "Zonder werk", "digitaal": "zelf",
        "segment": journey["respondent"]["segment"], "aanleiding": journey["trigger"],
        "verwachting": journey["expectation"],
    }
    todo = list(journey["steps"][:steps])
    current = None
    extra = extra or {}
    while not isinstance(position := services.state(interview.id).current(), Ended):
        if isinstance(position, LoopPrompt):
            if not todo:
                break
            services.loop_answer(interview.id, position, True)
            current = todo.pop(0)
            continue
        if position.step_id:
            typed = {
                "stap_wat": current["step"], "stap_fase": current["phase"], "stap_instantie": current["instance"],
                "stap_kanaal": current["channel"], "stap_emotie": str(current["emotion"]),
                "stap_woorden": ", ".join(current["emotion_words"]), "stap_citaat": current["quote"] or "",
                "stap_knelpunt": current["pain_point"] or "", "stap_kans": current["opportunity"] or "",
            }
            if not todo and position.question_id in extra:
                break
            services.answer(interview.id, position, typed.get(position.question_id, ""))
        else:
            services.answer(interview.id, position, fixed[position.question_id])
    # fixed times, so that dates and the elapsed clock are the same on every run
    services.store.db.execute("UPDATE interviews SET started_at = ?", [FIXED_NOW.replace(minute=7).isoformat()])
    services.store.db.execute("UPDATE studies SET created_at = ?", [FIXED_NOW.isoformat()])
    return interview


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_home_screen(snap_compare, services, size):
    fill_debts_interview(services, steps=2)
    services.create_study("Paspoort aanvragen")
    services.store.db.execute("UPDATE studies SET created_at = ?", [FIXED_NOW.isoformat()])
    assert snap_compare(build_app(services), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_interview_mid_loop_with_journey_and_curve(snap_compare, services, size):
    interview = fill_debts_interview(services, steps=5, extra={"stap_emotie": ""})
    app = build_app(services)

    async def open_it(pilot):
        app.open_interview(interview.id)
        await until(pilot, lambda: asking(app), "the interview asking its question")
        if size[0] < 100:
            await pilot.press("f2")  # at 80 columns the journey panel opens with F2
            await until(pilot, lambda: app.focused is app.screen.query_one("#steps"), "the journey panel's steps")
        await steady_cursor(pilot)

    assert snap_compare(app, terminal_size=size, run_before=open_it)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_help_screen(snap_compare, services, size):
    interview = fill_debts_interview(services, steps=1)
    app = build_app(services)

    async def open_help(pilot):
        app.open_interview(interview.id)
        await until(pilot, lambda: asking(app), "the interview asking its question")
        await pilot.press("f1")
        await until(pilot, lambda: not isinstance(app.screen, InterviewScreen), "the help screen")

    assert snap_compare(app, terminal_size=size, run_before=open_help)


def asking(app) -> bool:
    """The interview screen is shown with its answer input focused."""
    if not isinstance(app.screen, InterviewScreen):
        return False
    try:
        return app.focused is answer_widget(app)
    except NoMatches:  # not composed yet
        return False


async def _press(pilot, *keys):
    for key in keys:
        await pilot.press(key)
        await pilot.pause()


def test_new_study_form_at_80x24(snap_compare, services):
    async def open_form(pilot):
        await _press(pilot, "n", *"Paspoort", "tab", *"Inwoners", "tab", "tab", "tab", "tab")
        await steady_cursor(pilot)

    assert snap_compare(build_app(services), terminal_size=(80, 24), run_before=open_form)


def test_step_editor_at_80x24(snap_compare, services):
    interview = fill_debts_interview(services, steps=2)
    app = build_app(services)

    async def open_editor(pilot):
        app.open_interview(interview.id)
        await until(pilot, lambda: asking(app), "the interview asking its question")
        await _press(pilot, "f2")
        await until(pilot, lambda: app.focused is app.screen.query_one("#steps"), "the journey panel's steps focused")
        app.screen.query_one("#steps").highlighted = 0
        await _press(pilot, "enter")
        await until(pilot, lambda: isinstance(app.screen, StepEditor) and isinstance(app.focused, Input),
                    "the step editor with its first field focused")
        await steady_cursor(pilot)  # a blink 0.5 s after the focus would hide the cursor in a slow capture

    assert snap_compare(app, terminal_size=(80, 24), run_before=open_editor)


def test_help_scrolled_to_its_end_at_80x24(snap_compare, services):
    interview = fill_debts_interview(services, steps=1)
    app = build_app(services)

    async def open_help(pilot):
        app.open_interview(interview.id)
        await until(pilot, lambda: asking(app), "the interview asking its question")
        await _press(pilot, "f1", "end")

    assert snap_compare(app, terminal_size=(80, 24), run_before=open_help)


def test_summary_scrolled_down_at_80x24(snap_compare, services):
    interview = fill_debts_interview(services, steps=3)
    app = build_app(services)

    async def open_summary(pilot):
        app.open_summary([interview.id], study=False)

        def laid_out() -> bool:  # the text is read and laid out to the view's size: longer than the screen
            view = app.screen.query(MarkdownView)
            return bool(view) and view.first().virtual_size.height > view.first().size.height > 0

        await until(pilot, laid_out, "the summary laid out")
        await _press(pilot, "pagedown", "pagedown")

    assert snap_compare(app, terminal_size=(80, 24), run_before=open_summary)
