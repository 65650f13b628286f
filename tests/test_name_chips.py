"""Merge proposals while typing: an organisation or channel typed as a near-duplicate of a name of the study is
offered under that name in the chip line; F3 puts the name in the answer and keeps the spelling as a variant
(in the database), F4 leaves the spelling as typed."""

from __future__ import annotations

import sqlite3
import time

from klantreis_tui.assist.names import NameMatcher
from klantreis_tui.engine import Slot
from klantreis_tui.models import InterviewStatus
from tests.conftest import make_interview, make_respondent, make_step
from tests.test_assist_screen import chips_text, type_only
from tests.uihelpers import answer_widget, build_app, position, press, screen, type_answer


def earlier_interview(services, study_id: str, **step) -> None:
    respondent = make_respondent(study_id, "R01")
    interview = make_interview(study_id, respondent.id, status=InterviewStatus.afgerond)
    services.store.insert_records(respondents=[respondent], interviews=[interview],
                                  steps=[make_step(interview.id, 1, **step)])


async def at_organisation_question(services, app, pilot) -> str:
    study = services.create_study("Toeslagen")
    earlier_interview(services, study.id, instances=["Belastingdienst", "Gemeente schuldhulpverlening"],
                      channels=["brief"])
    services.merge_names(study.id, "instances", ["de belastingen"], "Belastingdienst")
    interview = services.start_interview(study.id, "vng-algemeen")
    for question, value in (("toestemming_deelname", "j"), ("toestemming_opname", "j"), ("toestemming_citaten", "j"),
                            ("leeftijd", "4"), ("huishouden", "1"), ("werk", "geen"), ("digitaal", "1"),
                            ("segment", "x"), ("aanleiding", "Schulden"), ("verwachting", "Hulp")):
        services.answer(interview.id, Slot(question), value)
    services.loop_answer(interview.id, services.state(interview.id).current(), True)
    app.open_interview(interview.id)
    await pilot.pause()
    await type_answer(pilot, "Kreeg een brief over de toeslag")
    await type_answer(pilot, "aanvraag")
    assert position(app).question_id == "stap_instantie"
    return study.id


def variants(path) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT field, variant, canonical FROM name_variants ORDER BY variant").fetchall()
    conn.close()
    return rows


async def test_a_typo_of_the_studys_name_is_offered_and_accepting_stores_the_name(services, tmp_path):
    app = build_app(services)
    async with app.run_test(size=(100, 30)) as pilot:
        await at_organisation_question(services, app, pilot)
        await type_only(pilot, "Belastingsdienst")
        first = screen(app).proposals[0]
        assert (first.kind, first.value, first.text) == ("name", "Belastingdienst", "Belastingsdienst")
        assert "Belastingdienst? (schrijfwijze)" in chips_text(app)
        step_id = screen(app).state.steps[0].id
        await press(pilot, "f3")
        assert answer_widget(app).value == "Belastingdienst"
        # the spelling typed is kept as a variant of the name, committed before the answer is saved
        assert ("instances", "Belastingsdienst", "Belastingdienst") in variants(tmp_path / "k.db")
        assert "Belastingdienst?" not in chips_text(app)
        await press(pilot, "enter")
        assert services.store.get_step(step_id).instances == ["Belastingdienst"]


async def test_each_part_of_a_list_is_matched_and_a_merged_spelling_gets_its_name(services, tmp_path):
    app = build_app(services)
    async with app.run_test(size=(100, 30)) as pilot:
        await at_organisation_question(services, app, pilot)
        await type_only(pilot, "de belastingen, Gemeente schuldhulpverleninng")
        assert [(p.text, p.value) for p in screen(app).proposals if p.kind == "name"] == [
            # a merged spelling: its name; a typo the assistant knows the name of: that name, as `klantreis names`
            # proposes afterwards
            ("de belastingen", "Belastingdienst"), ("Gemeente schuldhulpverleninng", "Schuldhulpverlening"),
        ]
        await press(pilot, "f3", "f3")
        assert answer_widget(app).value == "Belastingdienst, Schuldhulpverlening"


async def test_dismissing_keeps_the_spelling_as_typed_and_stores_no_variant(services, tmp_path):
    app = build_app(services)
    async with app.run_test(size=(100, 30)) as pilot:
        await at_organisation_question(services, app, pilot)
        before = variants(tmp_path / "k.db")
        await type_only(pilot, "Belastingsdienst")
        step_id = screen(app).state.steps[0].id
        await press(pilot, "f4")
        assert not [p for p in screen(app).proposals if p.kind == "name"]
        await press(pilot, "enter")
        assert services.store.get_step(step_id).instances == ["Belastingsdienst"]
        assert variants(tmp_path / "k.db") == before


async def test_a_name_of_the_study_or_an_unlike_one_brings_no_name_chip(services):
    app = build_app(services)
    async with app.run_test(size=(100, 30)) as pilot:
        await at_organisation_question(services, app, pilot)
        for typed in ("Belastingdienst", "belastingdienst", "Voedselbank", "Gemeente"):
            await type_only(pilot, typed)
            assert not [p for p in screen(app).proposals if p.kind == "name"], typed


def test_matching_a_typed_part_costs_microseconds_with_thousands_of_names():
    names = [f"Organisatie nummer {n}" for n in range(1999)] + ["Belastingdienst"]
    matcher = NameMatcher(names)
    assert matcher.propose("Belastingsdienst") == [(0, 16, "Belastingsdienst", "Belastingdienst")]
    started = time.perf_counter()
    for n in range(200):  # every key typed is a new text: nothing remembered helps
        matcher.propose(f"Belastingsdiens{n}")
    per_key = (time.perf_counter() - started) / 200
    assert per_key < 0.016  # well within a frame, even on a busy machine (about 0.1 ms on a quiet one)
