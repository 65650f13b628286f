"""The step-list keys of the journey panel: real bindings with ids, listed in help and remappable."""

from __future__ import annotations

from textual.widgets import OptionList

from klantreis_tui.ui.app import binding_ids
from klantreis_tui.ui.dialogs.help import HelpScreen
from klantreis_tui.ui.widgets.journey_panel import JourneyPanel
from tests.uihelpers import build_app, press

STEP_IDS = {"steps.edit", "steps.after", "steps.before", "steps.up", "steps.down", "steps.merge", "steps.delete",
            "steps.back"}


def _interview_with_steps(services, *descriptions: str):
    study = services.create_study("Stappen")
    interview = services.start_interview(study.id, "vng-algemeen")
    for text in descriptions:
        services.insert_step(interview.id, description=text)
    return interview


def test_the_step_keys_are_bindings_of_the_panel_that_a_config_may_remap():
    ids = {binding.id for binding in JourneyPanel.BINDINGS}
    assert ids == STEP_IDS
    assert STEP_IDS <= binding_ids()


async def test_the_step_keys_are_listed_in_help_while_the_answer_input_has_focus(services):
    interview = _interview_with_steps(services, "A")
    app = build_app(services)
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_interview(interview.id)
        await pilot.pause()
        await press(pilot, "f1")
        assert isinstance(app.screen, HelpScreen)
        rows = dict((desc, key) for key, desc in app.screen.rows)
    assert rows["Stap bewerken"] == "e"
    assert rows["Stap erna"] == "a"
    assert rows["Stap ervoor"] == "i"
    assert rows["Stap omhoog"] == "shift+↑"
    assert rows["Stap omlaag"] == "shift+↓"
    assert rows["Samenvoegen met volgende"] == "m"
    assert rows["Stap verwijderen"] == "del, x"


async def test_a_step_key_remapped_in_the_keymap_works_and_shows_in_help(services):
    interview = _interview_with_steps(services, "A", "B")
    app = build_app(services, keymap={"steps.merge": "g"})

    def descriptions():
        return [(s.position, s.description) for s in services.steps(interview.id)]

    async with app.run_test(size=(100, 30)) as pilot:
        app.open_interview(interview.id)
        await pilot.pause()
        await press(pilot, "f2")
        steps_list = app.screen.query_one("#steps", OptionList)
        assert app.focused is steps_list
        steps_list.highlighted = 0
        await press(pilot, "m")  # no longer the merge key
        assert descriptions() == [(1, "A"), (2, "B")]
        await press(pilot, "g")
        assert descriptions() == [(1, "A / B")]
        await press(pilot, "f1")
        rows = dict((desc, key) for key, desc in app.screen.rows)
    assert rows["Samenvoegen met volgende"] == "g"


async def test_enter_on_a_step_opens_the_step_editor(services):
    from klantreis_tui.ui.dialogs.step_editor import StepEditor

    interview = _interview_with_steps(services, "A", "B")
    app = build_app(services)
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_interview(interview.id)
        await pilot.pause()
        await press(pilot, "f2")
        app.screen.query_one("#steps", OptionList).highlighted = 1
        await press(pilot, "enter")
        assert isinstance(app.screen, StepEditor)
        assert app.screen.step.description == "B"
