"""A study's phases: the list helpers, the migration, proposing, choosing by number or name, import merging,
the synthesis in the study's order, and the step loop's phase dialog."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from sqlite_utils import Database, Migrations

from klantreis_tui.engine import LoopPrompt, Slot
from klantreis_tui.models import Consent, InterviewRecord, InterviewStatus
from klantreis_tui.models.phases import merged_phases, parse_phases, phase_order, resolve_phase, with_phase
from klantreis_tui.rendering.summary import study_context
from klantreis_tui.services import Services
from klantreis_tui.storage import Store
from klantreis_tui.storage.schema import MIGRATION_SET, migrations
from klantreis_tui.ui.dialogs.phase_place import PhasePlaceScreen
from tests.conftest import make_interview, make_respondent, make_step, make_study
from tests.uihelpers import build_app, position, press, type_answer

PHASES = ["oriëntatie", "aanvraag", "wachten", "besluit", "nazorg"]


# --- the list helpers ------------------------------------------------------------------------------------


def test_a_phase_is_chosen_by_number_or_by_name_in_any_case():
    assert resolve_phase(PHASES, "2") == ("aanvraag", True)
    assert resolve_phase(PHASES, " Wachten ") == ("wachten", True)
    assert resolve_phase(PHASES, "6") == ("6", False)  # no sixth phase: the text as typed
    assert resolve_phase(PHASES, "bezwaar  maken") == ("bezwaar maken", False)


def test_typed_lists_new_places_and_merging_keep_the_order():
    assert parse_phases("oriëntatie, aanvraag; ,Aanvraag , wachten") == ["oriëntatie", "aanvraag", "wachten"]
    assert with_phase(PHASES, "bezwaar", 4) == ["oriëntatie", "aanvraag", "wachten", "besluit", "bezwaar", "nazorg"]
    assert with_phase(PHASES, "Besluit", 0) == PHASES  # already there: unchanged
    theirs = ["oriëntatie", "aanvraag", "bezwaar", "nazorg", "evaluatie"]
    assert merged_phases(PHASES, theirs) == [
        "oriëntatie", "aanvraag", "bezwaar", "wachten", "besluit", "nazorg", "evaluatie"
    ]
    assert merged_phases(merged_phases(PHASES, theirs), theirs) == merged_phases(PHASES, theirs)
    assert phase_order(["a", "b"], ["x", "B", "", "a", "y", "X"]) == [("a", True), ("b", True), ("x", False), ("y", False)]


# --- storage --------------------------------------------------------------------------------------------


def test_migration_gives_existing_studies_an_empty_phase_list(tmp_path: Path):
    path = tmp_path / "old.db"
    old = Migrations(MIGRATION_SET)
    old._migrations = [m for m in migrations.built()._migrations if m.name in ("0001_initial", "0002_privacy")]
    db = Database(path)
    old.apply(db)
    db.execute(
        "INSERT INTO studies (id, title, created_at) VALUES ('s1', 'Oud onderzoek', '2026-01-05T10:00:00+00:00')"
    )
    db.conn.commit()
    db.close()
    store = Store.open(path)
    try:
        assert {"0003_practice", "0004_study_phases", "0005_name_variants", "0006_themes"} <= set(store.applied_migrations())
        tables = {r[0] for r in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()}
        assert {"name_variants", "themes", "theme_links"} <= tables
        study = store.get_study("s1")
        assert study.title == "Oud onderzoek" and study.phases == []
        store.update_study(study.model_copy(update={"phases": ["aanvraag", "wachten"]}))
    finally:
        store.close()
    raw = sqlite3.connect(path)
    assert json.loads(raw.execute("SELECT phases FROM studies").fetchone()[0]) == ["aanvraag", "wachten"]
    raw.close()


# --- services -------------------------------------------------------------------------------------------


def test_first_interview_gives_the_study_its_question_set_phases(services: Services):
    study = services.create_study("Schulden")
    services.start_interview(study.id, "schuldhulpverlening")
    expected = ["voor de hulp", "aanmelding", "wachten", "stabilisatie", "traject", "nazorg"]
    assert services.study_phases(study.id) == expected
    services.start_interview(study.id, "vng-algemeen")  # a second script does not replace the list
    assert services.study_phases(study.id) == expected
    assert services.known_values(study.id, "phase")[:6] == expected
    own = services.create_study("Eigen fasen", phases=["melding", "afhandeling"])
    services.start_interview(own.id, "vng-algemeen")
    assert services.study_phases(own.id) == ["melding", "afhandeling"]


def test_choosing_and_adding_phases(services: Services):
    study = services.create_study("Paspoort", phases=list(PHASES))
    assert services.choose_phase(study.id, "4") == ("besluit", True)
    assert services.choose_phase(study.id, "herinnering") == ("herinnering", False)
    services.add_phase(study.id, "herinnering", 5)
    assert services.study_phases(study.id) == [*PHASES, "herinnering"]


def test_import_merges_phases_into_a_known_study_by_name_and_idempotently(services: Services, tmp_path: Path):
    study = services.create_study("Gedeeld", phases=["aanvraag", "besluit"])
    interview = services.start_interview(study.id, "klein")
    bundle = services.export_bundle([interview.id], keep_personal_data=True)
    changed = bundle.model_copy(
        update={"studies": [bundle.studies[0].model_copy(update={"phases": ["aanvraag", "wachten", "besluit", "nazorg"]})]}
    )
    services.update_study(services.study(study.id).model_copy(update={"phases": ["aanvraag", "besluit", "bezwaar"]}))
    for _ in range(2):
        services.import_bundle(changed)
        # ours stay in our order; theirs that we lack come right after the phase they follow in the bundle
        assert services.study_phases(study.id) == ["aanvraag", "wachten", "besluit", "nazorg", "bezwaar"]


# --- the synthesis --------------------------------------------------------------------------------------


def _record(study, code, steps):
    respondent = make_respondent(study.id, code, id=f"r-{code}")
    interview = make_interview(study.id, respondent.id, id=f"i-{code}", status=InterviewStatus.afgerond)
    consent = Consent(
        interview_id=interview.id, item="participation", granted=True, text_version="1", question_set_version="2"
    )
    built = [make_step(interview.id, n, **fields) for n, fields in enumerate(steps, 1)]
    return InterviewRecord(study=study, respondent=respondent, interview=interview, consents=[consent], steps=built)


def test_synthesis_follows_the_study_order_and_keeps_other_phases(small_set):
    study = make_study("Volgorde", phases=["oriëntatie", "aanvraag", "wachten", "besluit"])
    records = [
        _record(study, "R01", [
            {"phase": "besluit", "emotion": 1}, {"phase": "bezwaar", "emotion": -2}, {"phase": "Aanvraag", "emotion": -1},
        ]),
        _record(study, "R02", [{"phase": "aanvraag", "emotion": -2}, {"phase": "", "emotion": 0},
                               {"phase": "oriëntatie", "emotion": 2}]),
    ]
    context = study_context(study, records, {"klein": small_set})
    rows = [(p["name"], p["respondent_count"], p["step_count"], p["median"], p["outside"]) for p in context["phases"]]
    assert rows == [
        ("oriëntatie", 1, 1, 2, False),
        ("aanvraag", 2, 2, -1.5, False),
        ("wachten", 0, 0, None, False),  # in the study's list, no step: still shown in its place
        ("besluit", 1, 1, 1, False),
        ("bezwaar", 1, 1, -2, True),  # not one of the study's phases: shown as such, after them
        ("(geen fase)", 1, 1, 0, False),
    ]


# --- the step loop --------------------------------------------------------------------------------------


async def _at_phase_question(services: Services, pilot, app, study_id: str) -> str:
    interview = services.start_interview(study_id, "vng-algemeen")
    for question, value in (("toestemming_deelname", "j"), ("toestemming_opname", "j"), ("toestemming_citaten", "j"),
                            ("leeftijd", "4"), ("huishouden", "1"), ("werk", "geen"), ("digitaal", "1"),
                            ("segment", "x"), ("aanleiding", "Paspoort verlopen"), ("verwachting", "Snel klaar")):
        services.answer(interview.id, Slot(question), value)
    services.loop_answer(interview.id, services.state(interview.id).current(), True)
    app.open_interview(interview.id)
    await pilot.pause()
    await type_answer(pilot, "Vraagt een afspraak aan")
    assert position(app).question_id == "stap_fase"
    return interview.id


async def test_phase_by_number_and_a_new_phase_placed_by_the_interviewer(services: Services):
    study = services.create_study("Paspoort")
    app = build_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        interview_id = await _at_phase_question(services, pilot, app, study.id)
        help_line = str(app.screen.query_one("#answer-help").render())
        assert "[1] oriëntatie" in help_line and "[5] nazorg" in help_line
        await type_answer(pilot, "2")
        assert services.steps(interview_id)[0].phase == "aanvraag"

        # the next step: a phase the study lacks; Esc goes back with nothing stored
        first_step = services.steps(interview_id)[0].id
        while not (isinstance(pos := position(app), Slot) and pos.question_id == "stap_fase" and pos.step_id != first_step):
            if isinstance(pos, LoopPrompt):
                await press(pilot, "j")
            elif pos.question_id == "stap_emotie":
                await press(pilot, "3")
            else:
                await type_answer(pilot, "Bezwaar gemaakt" if pos.question_id == "stap_wat" else "")
        await type_answer(pilot, "bezwaar")
        assert isinstance(app.screen, PhasePlaceScreen)
        await press(pilot, "escape")
        assert position(app).question_id == "stap_fase"
        assert services.steps(interview_id)[1].phase == ""
        assert services.study_phases(study.id) == PHASES

        await press(pilot, "enter")  # the typed text is still there: the dialog again
        assert isinstance(app.screen, PhasePlaceScreen)
        await press(pilot, "up")  # from "after nazorg" to "after besluit"
        await press(pilot, "enter")
        assert not isinstance(app.screen, PhasePlaceScreen)
    assert services.steps(interview_id)[1].phase == "bezwaar"
    assert services.study_phases(study.id) == ["oriëntatie", "aanvraag", "wachten", "besluit", "bezwaar", "nazorg"]


async def test_a_phase_only_for_this_step_leaves_the_study_list_alone(services: Services):
    study = services.create_study("Paspoort")
    app = build_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        interview_id = await _at_phase_question(services, pilot, app, study.id)
        await type_answer(pilot, "even iets anders")
        assert isinstance(app.screen, PhasePlaceScreen)
        await press(pilot, "end")
        await press(pilot, "enter")
    assert services.steps(interview_id)[0].phase == "even iets anders"
    assert services.study_phases(study.id) == PHASES


def test_a_kit_carries_the_phases_in_the_startdocument(tmp_path: Path):
    from klantreis_tui.question_sets import bundled_dir

    a = Services.open(tmp_path / "a.db", [bundled_dir()], tmp_path / "a-assist")
    b = Services.open(tmp_path / "b.db", [bundled_dir()], tmp_path / "b-assist")
    try:
        study = a.create_study("Paspoort", phases=["melding", "afspraak", "ophalen"])
        kit = a.export_kit("Paspoort", ["vng-algemeen"])
        assert kit.study.phases == kit.phases == ["melding", "afspraak", "ophalen"]
        b.import_kit(kit)
        assert b.study(study.id).phases == ["melding", "afspraak", "ophalen"]
        a.add_phase(study.id, "bezwaar", 2)
        b.import_kit(a.export_kit("Paspoort", ["vng-algemeen"]))  # a later kit: the new phase merged in place
        assert b.study_phases(study.id) == ["melding", "afspraak", "bezwaar", "ophalen"]
    finally:
        a.close()
        b.close()


def test_a_phase_typed_without_its_accent_is_the_known_phase():
    assert resolve_phase(["oriëntatie", "aanvraag"], "orientatie") == ("oriëntatie", True)
    assert resolve_phase(["oriëntatie", "aanvraag"], "Oriëntatie ") == ("oriëntatie", True)
    assert resolve_phase(["oriëntatie", "aanvraag"], "oriënteren") == ("oriënteren", False)
