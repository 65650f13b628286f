"""The interview screen driven with Pilot: a whole interview, resume, step editing, marking, refusal."""

from __future__ import annotations

import sqlite3

from textual.widgets import Checkbox, Input, OptionList

from klantreis_tui.engine import Ended, LoopPrompt, Slot
from klantreis_tui.models import InterviewStatus
from klantreis_tui.ui.dialogs.confirm import ConfirmScreen
from klantreis_tui.ui.dialogs.help import HelpScreen
from klantreis_tui.ui.dialogs.step_editor import StepEditor
from klantreis_tui.ui.screens.home import HomeScreen
from klantreis_tui.ui.widgets.chat_log import ChatLog
from tests.conftest import load_journey
from tests.uihelpers import (
    answer_widget,
    answer_step_questions,
    build_app,
    is_loop_prompt,
    position,
    press,
    screen,
    type_answer,
)

CONTEXT = {
    "werk": "Was magazijnmedewerker, nu zonder werk",
    "segment": None,  # from the journey
    "aanleiding": None,
    "verwachting": None,
    "hulp_van": "",
}


async def answer_up_to_loop(pilot, journey) -> None:
    """Consent (all yes), context and trigger of the general script."""
    for _ in range(3):
        await press(pilot, "j")
    await press(pilot, "4")  # leeftijd: 45-54
    assert screen(pilot.app).state.value(Slot("leeftijd")) == "45-54"
    await press(pilot, "1")  # huishouden: alleen
    await type_answer(pilot, CONTEXT["werk"])
    await press(pilot, "1")  # digitaal: zelf (so no follow-up on who helps)
    await type_answer(pilot, journey["respondent"]["segment"])
    await type_answer(pilot, journey["trigger"])
    await type_answer(pilot, journey["expectation"])


async def run_debts_interview(pilot, journey, steps=None) -> None:
    await answer_up_to_loop(pilot, journey)
    for step in journey["steps"] if steps is None else steps:
        assert is_loop_prompt(pilot.app)
        await press(pilot, "j")
        await answer_step_questions(pilot, step)


async def test_whole_debts_interview_from_consent_to_finish(services, tmp_path):
    journey = load_journey("jan-schulden")
    study = services.create_study(journey["study"])
    interview = services.start_interview(study.id, "vng-algemeen", respondent_code="R02", interviewer="AB")
    app = build_app(services)
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_interview(interview.id)
        await pilot.pause()
        await run_debts_interview(pilot, journey)
        await press(pilot, "n")  # no more steps
        assert position(app) == Slot("klopt_beeld")
        await press(pilot, "j")
        await type_answer(pilot, "De deurwaarder tijdens het traject")
        await type_answer(pilot, "Budgetbeheer")
        await type_answer(pilot, "Schuldeisers wisten niet van elkaar")
        await type_answer(pilot, "Eén loket")
        await type_answer(pilot, "")  # aanvulling: skipped
        await press(pilot, "n")  # verslag
        assert isinstance(position(app), Ended)

        # change an earlier answer: back to 'een_ding', retype (a new revision)
        for _ in range(3):
            await press(pilot, "ctrl+o")
        assert position(app) == Slot("een_ding")
        await type_answer(pilot, "Eén contactpersoon voor alles")

        # step 5 is the moment of truth: set it in the step editor from the journey panel
        await press(pilot, "f2")
        steps_list = app.screen.query_one("#steps", OptionList)
        assert app.screen.focused is steps_list
        steps_list.highlighted = 4
        await press(pilot, "e")
        assert isinstance(app.screen, StepEditor)
        app.screen.query_one("#step-moment_of_truth", Checkbox).value = True
        await press(pilot, "ctrl+s")
        assert not isinstance(app.screen, StepEditor)

        await press(pilot, "f10")
        assert isinstance(app.screen, HomeScreen)

    conn = sqlite3.connect(tmp_path / "k.db")
    rows = conn.execute(
        "SELECT position, phase, description, instances, channels, emotion, emotion_words, quotes, pain_point, "
        "opportunity, moment_of_truth FROM steps WHERE interview_id = ? ORDER BY position",
        [interview.id],
    ).fetchall()
    expected = journey["steps"]
    assert len(rows) == len(expected) == 6
    for row, step in zip(rows, expected):
        assert row[1] == step["phase"]
        assert row[2] == step["step"]
        assert row[3] == str([p.strip() for p in step["instance"].split(",")]).replace("'", '"')
        assert row[4] == f'["{step["channel"]}"]'
        assert row[5] == step["emotion"]
        assert row[7] == f'["{step["quote"]}"]'
        assert row[8] == (step["pain_point"] or "")
        assert row[9] == (step["opportunity"] or "")
        assert row[10] == int(step.get("moment_of_truth", False))
    consent = conn.execute("SELECT item, granted, text_version FROM consents ORDER BY item").fetchall()
    assert consent == [("audio", 1, "2026-1"), ("participation", 1, "2026-1"), ("quotes", 1, "2026-1")]
    revisions = conn.execute(
        "SELECT revision, value FROM answers WHERE question_id = 'een_ding' ORDER BY revision"
    ).fetchall()
    assert revisions == [(1, '"Eén loket"'), (2, '"Eén contactpersoon voor alles"')]
    assert conn.execute("SELECT status FROM interviews").fetchone() == ("afgerond",)


async def test_resume_mid_step_loop_restores_question_transcript_and_journey(services):
    journey = load_journey("jan-schulden")
    study = services.create_study(journey["study"])
    interview = services.start_interview(study.id, "vng-algemeen")
    app = build_app(services)
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_interview(interview.id)
        await pilot.pause()
        await run_debts_interview(pilot, journey, steps=journey["steps"][:2])
        await press(pilot, "j")
        await type_answer(pilot, journey["steps"][2]["step"])
        await type_answer(pilot, journey["steps"][2]["phase"])
        await press(pilot, "enter")  # not one of the study's phases: added after the last one
        before_position = position(app)
        before_chat = [(i.key, i.text, i.detail) for i in app.screen.query_one(ChatLog).items()]
        before_steps = [s.model_dump() for s in screen(app).state.steps]
        # the app stops here (the end-to-end test kills the process; here the app simply exits)

    app2 = build_app(services)
    async with app2.run_test(size=(100, 30)) as pilot:
        await press(pilot, "r")  # resume the unfinished interview with one key
        assert position(app2) == before_position == Slot("stap_instantie", before_steps[2]["id"])
        after_chat = [(i.key, i.text, i.detail) for i in app2.screen.query_one(ChatLog).items()]
        assert after_chat == before_chat
        assert [s.model_dump() for s in screen(app2).state.steps] == before_steps
        assert len(before_steps) == 3


async def test_step_editing_insert_move_merge_delete(services):
    study = services.create_study("Stappen")
    interview = services.start_interview(study.id, "vng-algemeen")
    for position_, text in enumerate(["A", "B", "C"], 1):
        services.insert_step(interview.id, description=text, emotion=-1 if text != "B" else 2)
    app = build_app(services)

    def descriptions():
        return [(s.position, s.description) for s in services.steps(interview.id)]

    async with app.run_test(size=(100, 30)) as pilot:
        app.open_interview(interview.id)
        await pilot.pause()
        await press(pilot, "f2")
        steps_list = app.screen.query_one("#steps", OptionList)
        # insert before B
        steps_list.highlighted = 1
        await press(pilot, "i")
        assert isinstance(app.screen, StepEditor)
        app.screen.query_one("#step-description", Input).value = "A2"
        await press(pilot, "ctrl+s")
        assert descriptions() == [(1, "A"), (2, "A2"), (3, "B"), (4, "C")]
        # the saved editor gives focus back to the question; F2 goes to the steps again
        assert app.focused is answer_widget(app)
        await press(pilot, "f2")
        # move C up twice
        steps_list.highlighted = 3
        await press(pilot, "shift+up")
        await press(pilot, "shift+up")
        assert descriptions() == [(1, "A"), (2, "C"), (3, "A2"), (4, "B")]
        # merge A2 with B
        steps_list.highlighted = 2
        await press(pilot, "m")
        steps = services.steps(interview.id)
        assert [(s.position, s.description) for s in steps] == [(1, "A"), (2, "C"), (3, "A2 / B")]
        assert steps[2].emotion == 2
        # delete C, after confirmation
        steps_list.highlighted = 1
        await press(pilot, "delete")
        assert isinstance(app.screen, ConfirmScreen)
        await press(pilot, "j")
        assert descriptions() == [(1, "A"), (2, "A2 / B")]
        # the panel shows what is stored
        labels = [str(steps_list.get_option_at_index(i).prompt) for i in range(steps_list.option_count)]
        assert labels[0].strip().startswith("1 A") and labels[1].strip().startswith("2 A2 / B")


async def test_marking_an_answer_as_quote_pain_point_and_idea(services):
    study = services.create_study("Markeren")
    interview = services.start_interview(study.id, "vng-algemeen")
    app = build_app(services)
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_interview(interview.id)
        await pilot.pause()
        for _ in range(3):
            await press(pilot, "j")
        for key in ("4", "1"):
            await press(pilot, key)
        await type_answer(pilot, "geen werk")
        await press(pilot, "1")
        await type_answer(pilot, "gescheiden")
        await type_answer(pilot, "Scheiding")
        await type_answer(pilot, "Hulp")
        await press(pilot, "j")
        await type_answer(pilot, "Belt de woningcorporatie")
        step_id = screen(app).state.steps[0].id
        await press(pilot, "alt+c")  # the last answer becomes a quote of its step
        await press(pilot, "alt+c")  # marking it again does not duplicate it
        await type_answer(pilot, "voor de hulp")
        await press(pilot, "enter")  # not one of the study's phases: added after the last one
        await type_answer(pilot, "Woningcorporatie")
        await press(pilot, "alt+k")  # ... a pain point
        await press(pilot, "alt+i")  # ... and an idea
    step = services.store.get_step(step_id)
    assert step.quotes == ["Belt de woningcorporatie"]
    assert step.pain_point == "Woningcorporatie"
    assert step.opportunity == "Woningcorporatie"


async def test_refused_consent_stores_only_the_refusal(services, tmp_path):
    study = services.create_study("Weigering")
    interview = services.start_interview(study.id, "vng-algemeen")
    app = build_app(services)
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_interview(interview.id)
        await pilot.pause()
        await press(pilot, "n")
        assert position(app) == Ended(refused=True)
        chat = app.screen.query_one(ChatLog).items()
        assert chat[-1].kind == "end" and "Geen toestemming" in chat[-1].text
        await press(pilot, "f10")
        assert isinstance(app.screen, HomeScreen)
    conn = sqlite3.connect(tmp_path / "k.db")
    assert conn.execute("SELECT status FROM interviews").fetchall() == [("geen toestemming",)]
    assert conn.execute("SELECT item, granted FROM consents").fetchall() == [("participation", 0)]
    assert conn.execute("SELECT question_id, value FROM answers").fetchall() == [("toestemming_deelname", "false")]
    assert conn.execute("SELECT count(*) FROM steps").fetchone() == (0,)


async def open_with_consent(app, pilot, interview) -> None:
    """Open an interview of the small script and give both consents."""
    app.open_interview(interview.id)
    await pilot.pause()
    await press(pilot, "j")
    await press(pilot, "j")


async def test_invalid_answer_stays_on_screen_and_is_not_saved(services, tmp_path):
    study = services.create_study("Fout")
    interview = services.start_interview(study.id, "klein")
    app = build_app(services)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_with_consent(app, pilot, interview)
        await type_answer(pilot, "twaalf")
        assert position(app) == Slot("leeftijd")
        assert str(app.screen.query_one("#answer-error").render()) == "Vul een getal in."
        assert answer_widget(app).value == "twaalf"
        await type_answer(pilot, "12")
        assert str(app.screen.query_one("#answer-error").render()) == "Tussen 18 en 120."
    assert services.state(interview.id).value(Slot("leeftijd")) is None


async def test_disk_failure_is_reported_and_the_answer_kept(services, monkeypatch):
    from klantreis_tui.storage import SaveFailed

    study = services.create_study("Schijf")
    interview = services.start_interview(study.id, "klein")
    app = build_app(services)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_with_consent(app, pilot, interview)

        def full_disk(*args, **kwargs):
            raise SaveFailed("Niet opgeslagen: database or disk is full")

        monkeypatch.setattr(services.store, "add_answer", full_disk)
        await type_answer(pilot, "44")
        assert position(app) == Slot("leeftijd")
        error = str(app.screen.query_one("#answer-error").render())
        assert error.startswith("NIET opgeslagen") and "disk is full" in error
        assert answer_widget(app).value == "44"
        assert not [i for i in app.screen.query_one(ChatLog).items() if i.kind == "answered" and i.slot == Slot("leeftijd")]
        monkeypatch.undo()
        await press(pilot, "enter")  # retry
        assert position(app) == Slot("digitaal")
        saved = [i for i in app.screen.query_one(ChatLog).items() if i.kind == "answered" and i.slot == Slot("leeftijd")]
        assert saved and saved[0].saved and saved[0].detail[0] == "44"


async def test_undo_skip_pause_and_abandon(services):
    study = services.create_study("Navigatie")
    interview = services.start_interview(study.id, "klein")
    app = build_app(services)
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_interview(interview.id)
        await pilot.pause()
        await press(pilot, "j")
        await press(pilot, "ctrl+s")  # skip the optional quotes consent
        assert position(app) == Slot("leeftijd")
        await press(pilot, "ctrl+z")  # undo the skip
        assert position(app) == Slot("citaten")
        await press(pilot, "j")
        await press(pilot, "f6")  # pause: back home, still 'bezig'
        assert isinstance(app.screen, HomeScreen)
        assert services.interview(interview.id).status is InterviewStatus.bezig
        app.open_interview(interview.id)
        await pilot.pause()
        assert position(app) == Slot("leeftijd")
        await press(pilot, "f8")
        assert isinstance(app.screen, ConfirmScreen)
        await press(pilot, "n")  # not yet
        assert services.interview(interview.id).status is InterviewStatus.bezig
        await press(pilot, "f8")
        await press(pilot, "j")
        assert isinstance(app.screen, HomeScreen)
    assert services.interview(interview.id).status is InterviewStatus.afgebroken


async def test_help_screen_lists_every_key_and_follows_the_keymap(services):
    study = services.create_study("Help")
    interview = services.start_interview(study.id, "klein")
    app = build_app(services, keymap={"interview.skip": "f5"})
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_interview(interview.id)
        await pilot.pause()
        await press(pilot, "j")
        await press(pilot, "f5")  # remapped skip
        assert position(app) == Slot("leeftijd")
        await press(pilot, "f1")
        assert isinstance(app.screen, HelpScreen)
        rows = dict((desc, key) for key, desc in app.screen.rows)
        assert rows["Overslaan"] == "f5"
        for description in ("Nieuwe stap", "Vorige vraag", "Ongedaan maken", "Citaat", "Knelpunt", "Kans",
                            "Pauze", "Afronden", "Afbreken", "Stap omhoog", "Samenvoegen met volgende"):
            assert description in rows


async def test_english_interface(services):
    study = services.create_study("English")
    interview = services.start_interview(study.id, "vng-algemeen")
    app = build_app(services, lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_interview(interview.id)
        await pilot.pause()
        chat = app.screen.query_one(ChatLog).items()
        assert chat[-1].text == "Do you want to take part in this interview?"
        await press(pilot, "y")  # y/n in English
        assert position(app) == Slot("toestemming_opname")


async def test_keys_typed_ahead_in_one_burst_land_in_the_right_answers(services):
    """A fast typist (or a paste) does not lose keys or push them into the previous answer."""
    from textual import events

    study = services.create_study("Snel typen")
    interview = services.start_interview(study.id, "vng-algemeen")
    app = build_app(services)
    burst = ["j", "j", "j", "4", "1", *"Buschauffeur", "enter", "1", *"Werkende ouder", "enter"]
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_interview(interview.id)
        await pilot.pause()
        for key in burst:  # posted at once, without waiting for the screen between keys
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        for _ in range(20):
            await pilot.pause()
        assert position(app) == Slot("aanleiding")
    state = services.state(interview.id)
    assert [state.value(Slot(q)) for q in ("toestemming_deelname", "toestemming_opname", "toestemming_citaten")] == [
        True, True, True,
    ]
    assert state.value(Slot("leeftijd")) == "45-54"
    assert state.value(Slot("huishouden")) == "alleen"
    assert state.value(Slot("werk")) == "Buschauffeur"
    assert state.value(Slot("digitaal")) == "zelf"
    assert state.value(Slot("segment")) == "Werkende ouder"


async def test_an_interview_whose_question_set_is_missing_is_not_opened(services):
    study = services.create_study("Elders gemaakt")
    interview = services.start_interview(study.id, "klein")
    services.catalog.sets.pop("klein")  # e.g. imported from a laptop that has this set
    app = build_app(services)
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_interview(interview.id)
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert any("vragenlijst 'klein' (versie 2)" in str(n.message) for n in app._notifications)
    assert services.busy_interviews() == {}
