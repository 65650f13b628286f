"""Enter on a choice list confirms only a choice made on this question: an Enter typed out of habit after the
key that answered the previous question (``j`` Enter, a digit Enter) picks nothing and says how to choose."""

from __future__ import annotations

import sqlite3

from klantreis_tui.engine import LoopPrompt, Slot
from klantreis_tui.models.question_set import QuestionKind
from klantreis_tui.ui.widgets.answer_area import AnswerArea
from tests.conftest import load_journey
from tests.uihelpers import build_app, position, press, screen


def answer_rows(tmp_path, question_id: str) -> list[tuple]:
    conn = sqlite3.connect(tmp_path / "k.db")
    try:
        return conn.execute("SELECT revision, value, skipped FROM answers WHERE question_id = ? ORDER BY revision",
                            [question_id]).fetchall()
    finally:
        conn.close()


def help_line(app) -> str:
    return str(app.screen.query_one("#answer-help").render())


def answer_until(services, interview_id: str, stop) -> None:
    """Answer through the services (yes, the first choice, a short text; one step) until ``stop(position)`` holds."""
    state = services.state(interview_id)
    while not stop(pos := state.current()):
        if isinstance(pos, LoopPrompt):
            state = services.loop_answer(interview_id, pos, not state.steps).state  # one step
            continue
        question = state.question(pos)
        if question.kind is QuestionKind.yes_no:
            raw = True
        elif question.kind is QuestionKind.emotion:
            raw = 2  # strong: the turning-point question follows
        elif question.kind is QuestionKind.single_choice:
            raw = state.qs.choices_for(question)[0].value
        elif question.kind is QuestionKind.multiple_choice:
            raw = [state.qs.choices_for(question)[0].value]
        elif question.kind is QuestionKind.number:
            raw = "1"
        else:
            raw = "Iets"
        state = services.answer(interview_id, pos, raw, state).state


def start(services, script: str = "vng-algemeen") -> str:
    study = services.create_study(load_journey("jan-schulden")["study"])
    return services.start_interview(study.id, script, respondent_code="R02", interviewer="AB").id


async def open_at(pilot, app, interview_id: str) -> None:
    app.open_interview(interview_id)
    await pilot.pause()


async def test_yes_then_enter_leaves_the_next_choice_question_unanswered(services, tmp_path):
    interview_id = start(services)
    app = build_app(services)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_at(pilot, app, interview_id)
        for _ in range(3):  # consent: yes
            await press(pilot, "j")
        assert position(app) == Slot("leeftijd")
        await press(pilot, "enter")  # out of habit, after the j
        assert position(app) == Slot("leeftijd")
        assert answer_rows(tmp_path, "leeftijd") == []
        assert help_line(app) == "Nog niets gekozen: Kies met een cijfer of pijltjes + Enter"
        await press(pilot, "enter")  # again: the hint is not repeated inside itself
        assert help_line(app) == "Nog niets gekozen: Kies met een cijfer of pijltjes + Enter"
        assert answer_rows(tmp_path, "leeftijd") == []
        await press(pilot, "4")  # a digit still answers at once
        assert answer_rows(tmp_path, "leeftijd") == [(1, '"45-54"', 0)]
        assert position(app) == Slot("huishouden")
        await press(pilot, "enter")  # out of habit, after the digit
        assert answer_rows(tmp_path, "huishouden") == []
        assert position(app) == Slot("huishouden")


async def test_arrows_then_enter_answer(services, tmp_path):
    interview_id = start(services)
    answer_until(services, interview_id, lambda pos: pos == Slot("leeftijd"))
    app = build_app(services, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_at(pilot, app, interview_id)
        widget = screen(app).query_one(AnswerArea).input_widget
        assert widget.highlighted is None and widget.has_focus  # nothing highlighted; the bar shows the focus
        await press(pilot, "enter")
        assert help_line(app) == "Nothing chosen yet: Choose with a number or arrows + Enter"
        await press(pilot, "down")  # the first option
        await press(pilot, "down")
        await press(pilot, "enter")
        assert answer_rows(tmp_path, "leeftijd") == [(1, '"25-34"', 0)]
        assert position(app) == Slot("huishouden")


async def test_enter_on_an_answer_shown_again_keeps_it(services, tmp_path):
    interview_id = start(services)
    answer_until(services, interview_id, lambda pos: pos == Slot("leeftijd"))
    app = build_app(services)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_at(pilot, app, interview_id)
        await press(pilot, "5")  # 55-64
        await press(pilot, "ctrl+o")  # back to it
        assert position(app) == Slot("leeftijd")
        await press(pilot, "enter")  # the answer shown is the one Enter confirms
        assert [value for _, value, _ in answer_rows(tmp_path, "leeftijd")][-1] == '"55-64"'
        assert screen(app).state.value(Slot("leeftijd")) == "55-64"
        assert position(app) == Slot("huishouden")
        await press(pilot, "ctrl+o")
        await press(pilot, "up")  # from the answer shown, one up
        await press(pilot, "enter")
        assert screen(app).state.value(Slot("leeftijd")) == "45-54"


async def test_enter_after_the_last_step_answer_does_not_start_another_step(services, tmp_path):
    interview_id = start(services)
    answer_until(services, interview_id, lambda pos: isinstance(pos, LoopPrompt) and services.state(interview_id).steps)
    app = build_app(services)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_at(pilot, app, interview_id)
        steps = len(screen(app).state.steps)
        assert isinstance(position(app), LoopPrompt)  # after the step's last answer: "another step?"
        await press(pilot, "enter")
        assert isinstance(position(app), LoopPrompt)
        assert len(screen(app).state.steps) == len(services.state(interview_id).steps) == steps
        assert help_line(app) == "Nog niets gekozen: [j] ja   [n] nee"
        await press(pilot, "down", "enter")  # arrows + Enter: yes, another step
        assert len(services.state(interview_id).steps) == steps + 1


async def test_yes_then_enter_does_not_save_a_multiple_choice(services, tmp_path):
    interview_id = start(services, "schuldhulpverlening")
    answer_until(services, interview_id, lambda pos: pos == Slot("beslag_gehad"))
    app = build_app(services)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_at(pilot, app, interview_id)
        await press(pilot, "j")
        assert position(app) == Slot("beslag_soort")
        await press(pilot, "enter")  # out of habit: the ticks as they are (none) are not saved
        assert answer_rows(tmp_path, "beslag_soort") == []
        assert position(app) == Slot("beslag_soort")
        assert help_line(app).startswith("Nog niets aangevinkt")
        await press(pilot, "2", "space", "enter")  # a digit ticks the second, space the first (highlighted)
        choices = screen(app).state.qs.choices_for(screen(app).state.question(Slot("beslag_soort")))
        assert screen(app).state.value(Slot("beslag_soort")) == [choices[1].value, choices[0].value]
        assert len(answer_rows(tmp_path, "beslag_soort")) == 1


async def test_a_multiple_choice_is_saved_empty_after_moving_first(services, tmp_path):
    interview_id = start(services, "schuldhulpverlening")
    answer_until(services, interview_id, lambda pos: pos == Slot("hulpvorm"))
    app = build_app(services)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_at(pilot, app, interview_id)
        await press(pilot, "enter")
        assert answer_rows(tmp_path, "hulpvorm") == []
        await press(pilot, "down", "enter")  # moved: a deliberate Enter saves it empty (optional: skipped)
        assert answer_rows(tmp_path, "hulpvorm") == [(1, 'null', 1)]
        assert position(app) != Slot("hulpvorm")
