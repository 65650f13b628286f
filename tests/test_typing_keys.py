"""Keys in the interview: typing lays out nothing, the assistant looks at the text after the character is drawn
(for the question it was typed for, once for keys that came together), and its lists are loaded when the
interview opens."""

from __future__ import annotations

import threading

from textual import events
from textual.screen import Screen

from klantreis_tui import pii
from klantreis_tui.ui.widgets.answer_area import AnswerArea
from tests.test_assist_screen import chips_text, start_step
from tests.test_name_chips import at_organisation_question
from tests.uihelpers import answer_widget, build_app, looked_at, position, screen


def typed(app) -> str:
    return app.screen.query_one(AnswerArea).current_text()


async def test_typing_an_answer_lays_out_nothing_and_keeps_the_cursor_in_view(services, monkeypatch):
    app = build_app(services)
    layouts = []
    original = Screen._refresh_layout
    monkeypatch.setattr(Screen, "_refresh_layout", lambda self, *a, **k: (layouts.append(self), original(self, *a, **k))[1])
    text = "gemeente, het loket van de sociale dienst, de schuldhulpverlening en nog iemand"
    async with app.run_test(size=(80, 24)) as pilot:
        await at_organisation_question(services, app, pilot)  # a one-line answer
        await pilot.pause()
        layouts.clear()
        await pilot.press(*text)
        await pilot.pause()
        widget = answer_widget(app)
        assert widget.value == text
        assert layouts == []  # Textual's Input asks for a layout of the whole screen on every key
        # longer than the input is wide: scrolled so that the cursor, at the end, is on screen
        assert widget.scroll_x > 0
        assert widget.region.contains(*widget.cursor_screen_offset)
        await pilot.press("home")
        assert widget.scroll_x == 0


async def test_keys_that_came_together_are_all_typed_and_looked_at_as_one_text(services, monkeypatch):
    app = build_app(services)
    looked: list[str] = []
    original = type(services).proposals
    monkeypatch.setattr(type(services), "proposals", lambda self, study_id, text, *a: (looked.append(text), original(self, study_id, text, *a))[1])
    text = "Ik heb het UWV gebeld"
    async with app.run_test(size=(100, 30)) as pilot:
        await start_step(services, app, pilot)
        await pilot.pause()
        for key in text:  # posted at once, as a fast typist or a paste sends them
            app.post_message(events.Key("space" if key == " " else key, key))
        await looked_at(pilot)
        assert typed(app) == text
        assert "UWV" in chips_text(app)
        assert looked[-1] == text
        # not once per key: the look comes after the screen is drawn, for the text typed by then
        assert len(looked) < len(text)
        assert len(looked) == len(set(looked))  # no text looked at twice
        assert all(text.startswith(seen) for seen in looked)


async def test_a_look_still_due_when_the_answer_is_saved_does_not_reach_the_next_question(services):
    app = build_app(services)
    text = "Ik heb het UWV gebeld"
    async with app.run_test(size=(100, 30)) as pilot:
        interview_id = await start_step(services, app, pilot)
        await pilot.pause()
        for key in [*text, "enter"]:
            app.post_message(events.Key("space" if key == " " else key, key if len(key) == 1 else None))
        await looked_at(pilot)
        assert position(app).question_id != "stap_wat"
        assert services.state(interview_id).steps[-1].description == text
        assert "UWV" not in chips_text(app)  # the chips of the saved answer are gone with it
        assert screen(app).proposals == []


async def test_f3_with_a_look_still_due_accepts_the_proposal_for_the_text_as_typed(services):
    app = build_app(services)
    async with app.run_test(size=(100, 30)) as pilot:
        await at_organisation_question(services, app, pilot)
        await pilot.pause()
        interview = screen(app)
        answer_widget(app).value = "Belastingsdienst"
        # the text reached the screen, but its look comes after the next refresh; F3 comes first
        interview.text_changed(AnswerArea.TextChanged("Belastingsdienst"))
        assert interview.proposals == []
        interview.action_accept_proposal()
        await pilot.pause()
        assert answer_widget(app).value == "Belastingdienst"


async def test_opening_an_interview_loads_the_assistant_and_the_name_check_on_a_thread(services, monkeypatch):
    app = build_app(services)
    calls: list[tuple[str, bool]] = []
    assistant, not_names = type(services).assistant, pii.not_names

    def spy_assistant(self, study_id):
        calls.append(("assistant", threading.current_thread() is threading.main_thread()))
        return assistant(self, study_id)

    def spy_not_names(extra=()):
        calls.append(("not_names", threading.current_thread() is threading.main_thread()))
        return not_names(extra)

    monkeypatch.setattr(type(services), "assistant", spy_assistant)
    monkeypatch.setattr(pii, "not_names", spy_not_names)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_step(services, app, pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert typed(app) == ""  # no key typed
        assert ("assistant", False) in calls  # on the interview's worker thread
        assert ("not_names", False) in calls


async def test_completing_the_last_organisation_keeps_the_ones_typed_before_as_typed(services):
    app = build_app(services)
    async with app.run_test(size=(100, 30)) as pilot:
        await at_organisation_question(services, app, pilot)
        await pilot.press(*"Gemeente schuldhulpverlening, bel")
        await pilot.pause()
        await pilot.press("right")  # → completes from the study's names
        await pilot.pause()
        assert answer_widget(app).value == "Gemeente schuldhulpverlening, Belastingdienst"


async def test_editing_keys_in_a_burst_act_in_the_order_typed(services):
    """Backspace, arrows and End are bindings of the input, which Textual runs once the key has bubbled up to the
    app: in a burst they came after the letters typed behind them ("abcdxy", then the editing keys)."""
    burst = ["a", "b", "c", "backspace", "d", "left", "left", "x", "end", "y"]
    for reach in (at_organisation_question, start_step):  # a one-line answer, then a long one
        app = build_app(services)
        async with app.run_test(size=(100, 30)) as pilot:
            await reach(services, app, pilot)
            await pilot.pause()
            for key in burst:
                app.post_message(events.Key(key, key if len(key) == 1 else None))
            for _ in range(5):
                await pilot.pause()
            assert typed(app) == "axbdy"


async def test_the_interview_hands_the_interpreter_back_to_the_keys_sooner_while_it_is_open(services):
    import sys

    from klantreis_tui.ui.screens.interview import SWITCH_INTERVAL

    before = sys.getswitchinterval()
    app = build_app(services)
    async with app.run_test(size=(100, 30)) as pilot:
        await start_step(services, app, pilot)
        assert sys.getswitchinterval() == min(before, SWITCH_INTERVAL) < 0.005  # Python's default: 5 ms
        await pilot.press("f6")  # pause: back to the home screen
        await pilot.pause()
        assert sys.getswitchinterval() == before
