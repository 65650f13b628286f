"""The assistant in the interview screen: chips under the input, accept stores, dismiss does not, probes."""

from __future__ import annotations

from klantreis_tui.engine import LoopPrompt, Slot
from tests.uihelpers import answer_widget, build_app, looked_at, position, press, screen, type_answer


async def start_step(services, app, pilot) -> str:
    """Open an interview of the general script at the first question of the first step."""
    study = services.create_study("Assistent")
    interview = services.start_interview(study.id, "vng-algemeen")
    for question, value in (("toestemming_deelname", "j"), ("toestemming_opname", "j"), ("toestemming_citaten", "j"),
                            ("leeftijd", "4"), ("huishouden", "1"), ("werk", "geen"), ("digitaal", "1"),
                            ("segment", "x"), ("aanleiding", "Schulden"), ("verwachting", "Hulp")):
        services.answer(interview.id, Slot(question), value)
    services.loop_answer(interview.id, services.state(interview.id).current(), True)
    app.open_interview(interview.id)
    await pilot.pause()
    return interview.id


async def type_only(pilot, text: str) -> None:
    widget = answer_widget(pilot.app)
    widget.load_text(text) if hasattr(widget, "load_text") else setattr(widget, "value", text)
    await looked_at(pilot)


def chips_text(app) -> str:
    return str(app.screen.query_one("#assist").render())


async def test_accepting_a_chip_fills_the_step_and_is_stored(services):
    app = build_app(services)
    async with app.run_test(size=(110, 32)) as pilot:
        interview_id = await start_step(services, app, pilot)
        assert position(app).question_id == "stap_wat"
        await type_only(pilot, "Ik heb het UWV gebeld en was erg boos, het duurde zes weken.")
        chips = chips_text(app)
        assert "UWV" in chips and "telefoon" in chips and "zes weken" in chips.replace("6 weken", "zes weken")
        step_id = screen(app).state.steps[0].id
        # the first chip is the organisation; accept it
        first = screen(app).proposals[0]
        assert (first.kind, first.value) == ("instance", "UWV")
        await press(pilot, "f3")
        step = services.store.get_step(step_id)
        assert step.instances == ["UWV"]
        assert "UWV" not in chips_text(app)
        # nothing else was stored: the channel and emotion are still only proposals
        assert step.channels == [] and step.emotion is None
        assert [p.kind for p in screen(app).proposals][:1] == ["channel"]


async def test_dismissing_a_chip_stores_nothing(services):
    app = build_app(services)
    async with app.run_test(size=(110, 32)) as pilot:
        await start_step(services, app, pilot)
        await type_only(pilot, "Ik heb het UWV gebeld.")
        step_id = screen(app).state.steps[0].id
        before = services.store.get_step(step_id)
        await press(pilot, "f4")
        await press(pilot, "f4")
        assert screen(app).proposals == []
        assert services.store.get_step(step_id) == before
        # dismissed proposals do not come back while typing on
        await type_only(pilot, "Ik heb het UWV gebeld. Daarna niets.")
        assert screen(app).proposals == []


async def test_strongly_negative_emotion_brings_a_probe(services):
    app = build_app(services)
    async with app.run_test(size=(110, 32)) as pilot:
        await start_step(services, app, pilot)
        await type_answer(pilot, "Belde de gemeente over de aanvraag")
        await type_answer(pilot, "aanvraag")
        await type_answer(pilot, "Gemeente")
        await type_answer(pilot, "telefoon")
        assert position(app).question_id == "stap_emotie"
        await press(pilot, "1")  # -2, zeer negatief
        probe = str(app.screen.query_one("#assist").render())
        assert probe.startswith("Doorvragen:")


async def test_short_answer_brings_a_probe_and_a_rich_one_does_not(services):
    app = build_app(services)
    async with app.run_test(size=(110, 32)) as pilot:
        await start_step(services, app, pilot)
        await type_answer(pilot, "Gebeld")
        assert str(app.screen.query_one("#assist").render()).startswith("Doorvragen:")
        await type_answer(pilot, "In de fase dat ik op de uitkering wachtte, lang en onzeker")
        await press(pilot, "enter")  # not one of the study's phases: added after the last one
        assert str(app.screen.query_one("#assist").render()) == ""


async def test_reminder_before_closing_a_step_without_organisation(services):
    app = build_app(services)
    async with app.run_test(size=(110, 32)) as pilot:
        interview_id = await start_step(services, app, pilot)
        await type_answer(pilot, "Zocht informatie op internet over schuldhulp")
        while not isinstance(position(app), LoopPrompt):
            question = screen(app).state.question(position(app))
            if question.kind.value == "emotion":
                await press(pilot, "3")
            else:
                await type_answer(pilot, "")
        reminder = str(app.screen.query_one("#assist").render())
        assert reminder != "" and services.steps(interview_id)[0].instances == []
