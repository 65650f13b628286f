"""The focus rule of the interview screen: where typed characters land after every way focus can move."""

from __future__ import annotations

import pytest
from textual.widgets import Input, OptionList

from klantreis_tui.engine import LoopPrompt, Slot
from klantreis_tui.errors import SaveFailed
from klantreis_tui.ui.dialogs.help import HelpScreen
from klantreis_tui.ui.dialogs.step_editor import StepEditor
from klantreis_tui.ui.screens.interview import InterviewScreen
from klantreis_tui.ui.widgets.answer_area import AnswerArea
from klantreis_tui.ui.widgets.chat_log import ChatLog
from klantreis_tui.ui.widgets.journey_panel import JourneyPanel
from tests.uihelpers import answer_widget, build_app, position, press, type_answer

SIZES = [(80, 24), (100, 30)]


def at_age_question(services):
    """The small script, consent given: the age question (a text input) is asked."""
    study = services.create_study("Focus")
    interview = services.start_interview(study.id, "klein")
    services.answer(interview.id, Slot("mee"), "j")
    services.answer(interview.id, Slot("citaten"), "j")
    return interview


def in_first_step(services, description: str = "Formulier ingevuld"):
    """The small script up to its first step, whose 'what happened' is answered: 'with whom' is asked."""
    interview = at_age_question(services)
    for question, value in (("leeftijd", "40"), ("digitaal", "web"), ("postcode", "Noord")):
        services.answer(interview.id, Slot(question), value)
    services.loop_answer(interview.id, services.state(interview.id).current(), True)
    step = services.steps(interview.id)[0]
    services.answer(interview.id, Slot("wat", step.id), description)
    return interview


def typed(app) -> str:
    widget = answer_widget(app)
    return widget.value if isinstance(widget, Input) else widget.text


def step_rows(services, interview):
    return [s.model_dump(exclude={"updated_at"}) for s in services.steps(interview.id)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_f2_there_and_back_puts_focus_on_the_question_and_typing_lands_in_the_answer(services, size):
    interview = at_age_question(services)
    app = build_app(services)
    async with app.run_test(size=size) as pilot:
        app.open_interview(interview.id)
        await pilot.pause()
        await press(pilot, "4")
        await press(pilot, "f2")
        assert isinstance(app.focused, OptionList) and app.focused.id == "steps"
        await press(pilot, "f2")
        assert app.focused is answer_widget(app)
        await press(pilot, "2")  # added to what was typed before, not replacing it
        assert typed(app) == "42"
        panel = app.screen.query_one(JourneyPanel)
        assert not panel.has_class("shown")  # the narrow overlay closed with it


async def test_escape_from_the_step_editor_gives_focus_back_to_the_question_not_the_step_list(services):
    interview = in_first_step(services)
    before = step_rows(services, interview)
    app = build_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_interview(interview.id)
        await pilot.pause()
        await press(pilot, *"ge")
        await press(pilot, "f2")
        app.screen.query_one("#steps", OptionList).highlighted = 0
        await press(pilot, "e")
        assert isinstance(app.screen, StepEditor)
        await press(pilot, "escape")
        assert isinstance(app.screen, InterviewScreen)
        assert app.focused is answer_widget(app)
        # a sentence full of step-list keys (a, i, m, e, x) goes into the answer, not into step commands,
        # after what was typed before the editor opened
        await press(pilot, *"meente aix")
        assert typed(app) == "gemeente aix"
        assert len(app.screen_stack) == 2
    assert step_rows(services, interview) == before


async def test_saving_the_step_editor_gives_focus_back_to_the_question(services):
    interview = in_first_step(services)
    app = build_app(services)
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_interview(interview.id)
        await pilot.pause()
        await press(pilot, "f2")
        app.screen.query_one("#steps", OptionList).highlighted = 0
        await press(pilot, "enter")
        assert isinstance(app.screen, StepEditor)
        app.screen.query_one("#step-channels", Input).value = "Website"
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, InterviewScreen)
        assert app.focused is answer_widget(app)
        await press(pilot, *"Gemeente")
        assert typed(app) == "Gemeente"
    assert services.steps(interview.id)[0].channels == ["Website"]


async def test_a_question_mark_in_an_answer_is_text_or_a_visible_refusal_never_help(services):
    interview = at_age_question(services)
    app = build_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_interview(interview.id)
        await pilot.pause()
        await press(pilot, "question_mark")
        assert not isinstance(app.screen, HelpScreen)
        assert typed(app) == "?"
        await type_answer(pilot, "40")
        assert position(app) == Slot("digitaal")  # a choice list: "?" is no choice
        await press(pilot, "question_mark")
        assert not isinstance(app.screen, HelpScreen)
        error = str(app.screen.query_one("#answer-error").render())
        assert '"?"' in error and "[1]" not in error or "cijfer" in error
        assert position(app) == Slot("digitaal")


async def test_e_with_no_step_highlighted_neither_answers_nor_creates_a_step(services):
    interview = at_age_question(services)
    app = build_app(services)
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_interview(interview.id)
        await pilot.pause()
        await press(pilot, "f2")
        await press(pilot, "e")
        assert isinstance(app.screen, InterviewScreen)
        assert services.steps(interview.id) == []
        assert position(app) == Slot("leeftijd")
        assert any("geen stap" in n.message for n in app._notifications)


async def test_a_second_step_action_while_the_editor_opens_does_not_pile_up_dialogs(services):
    interview = in_first_step(services)
    app = build_app(services)
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_interview(interview.id)
        await pilot.pause()
        panel = app.screen.query_one(JourneyPanel)
        step = services.steps(interview.id)[0]
        for _ in range(3):  # three keys that reached the panel before the first editor was on screen
            panel.post_message(JourneyPanel.StepActionChosen("edit", step))
        await pilot.pause()
        await pilot.pause()
        assert sum(isinstance(s, StepEditor) for s in app.screen_stack) == 1


async def test_a_letter_typed_in_the_chat_goes_to_the_answer(services):
    interview = at_age_question(services)
    app = build_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_interview(interview.id)
        await pilot.pause()
        app.screen.query_one(ChatLog).focus()
        await pilot.pause()
        await press(pilot, *"4x")
        assert app.focused is answer_widget(app)
        assert typed(app) == "4x"


async def test_a_letter_that_is_no_step_key_in_the_panel_is_refused_visibly_and_changes_nothing(services):
    interview = in_first_step(services)
    before = step_rows(services, interview)
    app = build_app(services)
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_interview(interview.id)
        await pilot.pause()
        await press(pilot, "f2")
        await press(pilot, "b")
        assert any('"b"' in n.message for n in app._notifications)
        await press(pilot, "escape")  # Esc in the panel: back to the question
        assert app.focused is answer_widget(app)
    assert step_rows(services, interview) == before


async def test_a_failed_save_keeps_the_step_editor_open_with_its_edits(services, monkeypatch):
    interview = in_first_step(services)
    app = build_app(services)

    def disk_full(step_id, **fields):
        raise SaveFailed("db.write_failed", path="k.db", error="the disk is full")

    async with app.run_test(size=(80, 24)) as pilot:
        app.open_interview(interview.id)
        await pilot.pause()
        await press(pilot, "f2")
        app.screen.query_one("#steps", OptionList).highlighted = 0
        await press(pilot, "enter")
        editor = app.screen
        assert isinstance(editor, StepEditor)
        editor.query_one("#step-pain_point", Input).value = "Lange wachttijd"
        monkeypatch.setattr(services, "update_step", disk_full)
        await press(pilot, "ctrl+s")
        assert app.screen is editor
        assert editor.query_one("#step-pain_point", Input).value == "Lange wachttijd"
        assert "NIET opgeslagen" in str(editor.query_one("#form-error").render())
        monkeypatch.undo()
        await press(pilot, "ctrl+s")  # the disk has room again: the same edits are saved
        assert isinstance(app.screen, InterviewScreen)
    assert services.steps(interview.id)[0].pain_point == "Lange wachttijd"


async def test_a_probe_line_disappears_with_its_question(services):
    interview = at_age_question(services)
    for question, value in (("leeftijd", "40"), ("digitaal", "web"), ("postcode", "Noord")):
        services.answer(interview.id, Slot(question), value)
    services.loop_answer(interview.id, services.state(interview.id).current(), True)
    app = build_app(services)
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_interview(interview.id)
        await pilot.pause()
        screen = app.screen
        monkey = "Kunt u een voorbeeld geven?"
        screen.services.probes_after = lambda *args: [monkey]  # a probe after every answer
        await type_answer(pilot, "Gebeld")
        assert monkey in str(screen.query_one("#assist").render())
        await press(pilot, "ctrl+s")  # skip 'with whom': the next question has no probe of its own
        assert position(app) == Slot("emotie", services.steps(interview.id)[0].id)
        assert monkey not in str(screen.query_one("#assist").render())


async def test_the_chat_shows_a_value_changed_in_the_editor_and_a_field_filled_there_counts_as_answered(services):
    interview = in_first_step(services, description="Brief gekregen")
    app = build_app(services)
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_interview(interview.id)
        await pilot.pause()
        step_id = services.steps(interview.id)[0].id
        assert position(app) == Slot("wie", step_id)
        await press(pilot, "f2")
        app.screen.query_one("#steps", OptionList).highlighted = 0
        await press(pilot, "enter")
        app.screen.query_one("#step-description", Input).value = "Brief van de gemeente gekregen"
        app.screen.query_one("#step-instances", Input).value = "Gemeente"
        await press(pilot, "ctrl+s")
        items = {item.slot.question_id: item for item in app.screen.query_one(ChatLog).items() if item.kind == "answered" and item.slot}
        assert items["wat"].detail[0] == "Brief van de gemeente gekregen"
        assert "gewijzigd in de stapbewerker" in items["wat"].detail
        assert items["wie"].detail == ["Gemeente", "ingevuld in de stapbewerker"]
        assert items["wie"].saved
        assert position(app) == Slot("emotie", step_id)  # 'with whom' is not asked again
        assert app.focused is answer_widget(app)


async def test_a_typed_answer_after_the_loop_prompt_is_a_command_only_on_its_key(services):
    interview = at_age_question(services)
    for question, value in (("leeftijd", "40"), ("digitaal", "web"), ("postcode", "Noord")):
        services.answer(interview.id, Slot(question), value)
    app = build_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_interview(interview.id)
        await pilot.pause()
        assert isinstance(position(app), LoopPrompt)
        await press(pilot, *"eaix")  # none is the loop's yes or no
        assert services.steps(interview.id) == []
        assert "j" in str(app.screen.query_one(AnswerArea).query_one("#answer-error").render())
