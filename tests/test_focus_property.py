"""A property of the interview screen: random sequences of the documented keys mixed with text never lose a
typed character, never change a step without its command key, and never show ✓ for what is not stored."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.widgets import Input, TextArea

from klantreis_tui.engine import Slot
from klantreis_tui.ui.screens.interview import InterviewScreen
from klantreis_tui.ui.widgets.answer_area import AnswerArea
from klantreis_tui.ui.widgets.chat_log import ChatLog
from klantreis_tui.ui.widgets.journey_panel import JourneyPanel
from tests.uihelpers import build_app

#: the documented keys that move focus or open and close things, without saving or changing a step themselves
MOVES = ["f2", "escape", "tab", "shift+tab", "f1", "up", "down", "ctrl+o"]
#: step commands: they act only in the journey panel, which shows them in the footer while it has focus
STEP_KEYS = set("aeimx")
TEXT = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ?0123456789", min_size=1, max_size=6)
ACTIONS = st.lists(st.one_of(st.sampled_from(MOVES), TEXT), min_size=1, max_size=8)


def where(screen) -> str:
    """Where a printable key goes now: the answer (text input), a choice list, the panel, or nowhere."""
    focused = screen.focused
    if focused is None:
        return "none"
    if screen.query_one(JourneyPanel) in focused.ancestors_with_self:
        return "panel"
    if isinstance(focused, (Input, TextArea)) and screen.query_one(AnswerArea) in focused.ancestors_with_self:
        return "text"
    if screen.query_one(ChatLog) is focused:
        return "chat"
    return "other"


def answer_text(screen) -> str:
    widget = screen.query_one(AnswerArea).input_widget
    if isinstance(widget, Input):
        return widget.value
    if isinstance(widget, TextArea):
        return widget.text
    return ""


def inserted(before: str, after: str, character: str) -> bool:
    """``after`` is ``before`` with ``character`` put in somewhere: nothing typed earlier was lost or replaced."""
    return any(after[i] == character and after[:i] + after[i + 1:] == before for i in range(len(after)))


def steps_of(services, interview_id):
    return [s.model_dump(exclude={"updated_at"}) for s in services.steps(interview_id)]


def check_saved_marks(services, interview_id, screen) -> None:
    """Every chat item shown with ✓ is in the database: the answer, or the step field it stands for."""
    state = services.state(interview_id)
    for item in screen.query_one(ChatLog).items():
        if item.saved:
            assert item.slot is not None
            assert state.answer(item.slot) is not None or state.is_done(item.slot), item


@settings(max_examples=8, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
@given(actions=ACTIONS)
async def test_typed_characters_land_in_the_answer_or_are_visibly_refused(tmp_path_factory, actions):
    from klantreis_tui.question_sets import bundled_dir
    from klantreis_tui.services import Services
    from tests.conftest import SMALL_SET

    folder = tmp_path_factory.mktemp("prop")
    (folder / "klein.yaml").write_text(SMALL_SET, encoding="utf-8")
    services = Services.open(folder / "k.db", [bundled_dir(), folder])
    study = services.create_study("Eigenschap")
    interview = services.start_interview(study.id, "klein")
    for question, value in (("mee", "j"), ("citaten", "j"), ("leeftijd", "40"), ("digitaal", "web"), ("postcode", "Noord")):
        services.answer(interview.id, Slot(question), value)
    services.loop_answer(interview.id, services.state(interview.id).current(), True)
    services.insert_step(interview.id, description="Tweede stap")
    app = build_app(services)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            app.open_interview(interview.id)
            await pilot.pause()
            for action in actions:
                if not isinstance(app.screen, InterviewScreen):  # help or a dialog: close it as the user would
                    await pilot.press("escape")
                    await pilot.pause()
                screen = app.screen
                assert isinstance(screen, InterviewScreen)
                if action in MOVES:
                    steps_before = steps_of(services, interview.id)
                    await pilot.press(action)
                    await pilot.pause()
                    if not isinstance(app.screen, InterviewScreen):
                        continue
                    assert steps_of(services, interview.id) == steps_before, action
                    continue
                for character in action:
                    key = "space" if character == " " else ("question_mark" if character == "?" else character)
                    place = where(screen)
                    before_text = answer_text(screen)
                    steps_before = steps_of(services, interview.id)
                    notes_before = len(app._notifications)
                    asked_before = screen.asked
                    await pilot.press(key)
                    await pilot.pause()
                    if place == "panel" and character in STEP_KEYS:
                        break  # a step command, visibly active in the panel: it may open the editor
                    assert isinstance(app.screen, InterviewScreen), (action, character, place)  # never Help on "?"
                    assert steps_of(services, interview.id) == steps_before, (action, character, place)
                    if place == "panel":
                        assert len(app._notifications) > notes_before, (action, character)  # said: not typed
                    elif place == "text" or (place in ("none", "chat") and isinstance(
                            screen.query_one(AnswerArea).input_widget, (Input, TextArea))):
                        # typed into the answer (from nowhere or the chat, the key was sent there)
                        assert inserted(before_text, answer_text(screen), character), (
                            action, character, place, before_text, answer_text(screen))
                    else:  # a choice list: the key is a choice (the answer moves on) or refused under the input
                        error = str(screen.query_one("#answer-error").render())
                        moved_on = screen.asked != asked_before
                        assert moved_on or f'"{character}"' in error or key in ("space",), (action, character, error)
                check_saved_marks(services, interview.id, screen) if isinstance(app.screen, InterviewScreen) else None
    finally:
        services.close()
