"""The keys that work on the current step from anywhere on the interview screen (moment of truth, questions
asked on request), and the ``ask: on_request`` rule of the question-set format in the engine."""

from __future__ import annotations

from klantreis_tui.engine import InterviewState, LoopPrompt, Slot
from klantreis_tui.models import Answer, Step
from klantreis_tui.models.question_set import QuestionKind, QuestionSet
from klantreis_tui.question_sets import bundled_dir, load_question_set
from tests.uihelpers import answer_widget, build_app, position, press, screen, type_answer


def to_the_loop(services, interview_id: str) -> None:
    """Answer every question before the step loop through the services (yes, the first choice, a text)."""
    while not isinstance(slot := (state := services.state(interview_id)).current(), LoopPrompt):
        kind = state.question(slot).kind
        raw = True if kind is QuestionKind.yes_no else "1" if "choice" in kind.value else "Tekst"
        services.answer(interview_id, slot, raw, state)


async def start(services, pilot_app) -> str:
    study = services.create_study("Paspoort")
    interview = services.start_interview(study.id, "vng-algemeen", respondent_code="R01", interviewer="AB")
    to_the_loop(services, interview.id)
    pilot_app.open_interview(interview.id)
    return interview.id


async def first_questions(pilot, score_key: str) -> None:
    await press(pilot, "j")  # a step
    await type_answer(pilot, "Belt de gemeente")
    await type_answer(pilot, "oriëntatie")
    await type_answer(pilot, "Gemeente KCC")
    await type_answer(pilot, "telefoon")
    await press(pilot, score_key)


async def test_the_moment_question_is_asked_only_after_a_strong_score(services):
    app = build_app(services)
    async with app.run_test(size=(100, 30)) as pilot:
        interview_id = await start(services, app)
        await pilot.pause()
        await first_questions(pilot, "2")  # -1: mild
        assert position(app) == Slot("stap_citaat", screen(app).state.steps[0].id)
        for _ in range(3):
            await type_answer(pilot, "")
        await press(pilot, "j")  # another step
        await type_answer(pilot, "Moet een nummertje trekken")
        for text in ("aanvraag", "Burgerzaken", "balie"):
            await type_answer(pilot, text)
        await press(pilot, "1")  # -2: the moment question comes
        second = screen(app).state.steps[1].id
        assert position(app) == Slot("stap_keerpunt", second)
        await press(pilot, "j")
        assert services.state(interview_id).step(second).moment_of_truth is True


async def test_one_key_toggles_the_moment_of_truth_and_keeps_what_is_typed(services):
    app = build_app(services)
    async with app.run_test(size=(100, 30)) as pilot:
        interview_id = await start(services, app)
        await pilot.pause()
        await first_questions(pilot, "2")
        step_id = screen(app).state.steps[0].id
        await pilot.press(*"Het bandje")  # typing the quote
        await press(pilot, "alt+m")
        assert services.state(interview_id).step(step_id).moment_of_truth is True
        assert answer_widget(app).text == "Het bandje"  # nothing typed was lost
        assert position(app) == Slot("stap_citaat", step_id)
        await press(pilot, "alt+m")
        assert services.state(interview_id).step(step_id).moment_of_truth is False
        assert answer_widget(app).text == "Het bandje"


async def test_questions_on_request_are_skipped_unless_asked_for_with_a_key(services):
    app = build_app(services)
    async with app.run_test(size=(100, 30)) as pilot:
        interview_id = await start(services, app)
        await pilot.pause()
        await first_questions(pilot, "2")
        step_id = screen(app).state.steps[0].id
        assert position(app) == Slot("stap_citaat", step_id)  # no emotion words asked
        await press(pilot, "alt+e")
        assert position(app) == Slot("stap_woorden", step_id)
        await press(pilot, "alt+e")  # again: the next one asked on request
        assert position(app) == Slot("stap_duur", step_id)
        await press(pilot, "alt+e")
        assert position(app) == Slot("stap_woorden", step_id)
        await type_answer(pilot, "geërgerd, boos")
        assert services.state(interview_id).step(step_id).emotion_words == ["geërgerd", "boos"]
        assert position(app) == Slot("stap_citaat", step_id)  # back where the interview was
        for _ in range(3):
            await type_answer(pilot, "")
        assert isinstance(position(app), LoopPrompt)
        await press(pilot, "alt+e")  # at "another step?": still the last step's
        assert position(app) == Slot("stap_duur", step_id)
        await press(pilot, "escape")
        assert isinstance(position(app), LoopPrompt)
        assert services.state(interview_id).step(step_id).duration == ""


async def test_the_key_asks_nothing_while_an_answer_is_being_typed(services):
    app = build_app(services)
    async with app.run_test(size=(100, 30)) as pilot:
        await start(services, app)
        await pilot.pause()
        await first_questions(pilot, "2")
        await pilot.press(*"Het bandje")
        await press(pilot, "alt+e")
        assert position(app).question_id == "stap_citaat"
        assert answer_widget(app).text == "Het bandje"


def make_step(position: int, **fields) -> Step:
    return Step(id=f"s{position}", interview_id="i", position=position, **fields)


def make_answer(question_id: str, value, step_id: str = "") -> Answer:
    return Answer(interview_id="i", question_id=question_id, step_id=step_id, revision=1, value=value)


def vng() -> QuestionSet:
    return load_question_set(bundled_dir() / "vng-algemeen.yaml")


def test_the_engine_asks_a_question_on_request_only_once_it_is_answered():
    qs = vng()
    step = make_step(position=1)
    slots = InterviewState(qs, [], [step]).slots()
    assert Slot("stap_woorden", step.id) not in slots and Slot("stap_duur", step.id) not in slots
    state = InterviewState(qs, [], [step])
    assert state.on_request(step.id) == [Slot("stap_woorden", step.id), Slot("stap_duur", step.id)]
    answered = InterviewState(qs, [make_answer("stap_woorden", "moe", step_id=step.id)], [step])
    assert Slot("stap_woorden", step.id) in answered.slots()
    assert answered.on_request(step.id) == [Slot("stap_duur", step.id)]


def test_the_moment_question_follows_the_score_also_one_set_in_the_step_editor():
    qs = vng()
    mild, strong, edited = make_step(position=1), make_step(position=2), make_step(position=3, emotion=2)
    answers = [
        make_answer("stap_emotie", -1, step_id=mild.id),
        make_answer("stap_emotie", -2, step_id=strong.id),
    ]
    slots = InterviewState(qs, answers, [mild, strong, edited]).slots()
    assert Slot("stap_keerpunt", mild.id) not in slots
    assert Slot("stap_keerpunt", strong.id) in slots
    assert Slot("stap_keerpunt", edited.id) in slots  # +2 set in the editor, no answer


async def test_the_moment_key_can_be_remapped(services):
    from klantreis_tui.ui.app import binding_ids

    assert {"interview.toggle_moment", "interview.ask_on_request", "home.practice"} <= binding_ids()
    app = build_app(services, keymap={"interview.toggle_moment": "f7"})
    async with app.run_test(size=(100, 30)) as pilot:
        interview_id = await start(services, app)
        await pilot.pause()
        await first_questions(pilot, "2")
        await press(pilot, "f7")
        assert services.state(interview_id).steps[0].moment_of_truth is True
