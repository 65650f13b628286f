"""The practice study: the example journeys as completed interviews, offered on a first start, marked as practice,
kept out of exports unless asked, removed in one action; ``--include-practice`` on the command line."""

from __future__ import annotations

import json

from klantreis_tui.models import InterviewStatus
from klantreis_tui.question_sets import bundled_dir
from klantreis_tui.services import Services
from klantreis_tui.services.practice import practice_journeys
from klantreis_tui.ui.app import make_app
from klantreis_tui.ui.dialogs.confirm import ConfirmScreen
from klantreis_tui.ui.screens.home import HomeScreen
from tests.conftest import load_journey
from tests.test_cli import klantreis
from tests.uihelpers import fixed_clock, press, until


def test_the_practice_journeys_are_the_example_journeys():
    assert practice_journeys() == [load_journey(n) for n in ("johan-paspoort", "jan-schulden", "dennis-werkbedrijf")]


def test_the_practice_study_holds_the_example_journeys_as_completed_interviews(services):
    study = services.create_practice_study()
    assert services.is_practice(study.id) and services.has_practice_study()
    rows = {r.respondent_code: r for r in services.list_interviews(study.id)}
    assert sorted(rows) == ["R01", "R02", "R03"]
    assert {r.interview.status for r in rows.values()} == {InterviewStatus.afgerond}
    johan = load_journey("johan-paspoort")
    steps = services.steps(rows["R01"].interview.id)
    assert [s.description for s in steps] == [s["step"] for s in johan["steps"]]
    assert [s.emotion for s in steps] == [s["emotion"] for s in johan["steps"]]
    assert [s.emotion_words for s in steps] == [s["emotion_words"] for s in johan["steps"]]  # asked on request
    assert [s.moment_of_truth for s in steps] == [bool(s.get("moment_of_truth")) for s in johan["steps"]]
    summary = services.interview_summary(rows["R01"].interview.id)
    assert "Eerst belt de respondent de gemeente voor een afspraak." in summary
    assert "“Ik had toch een afspraak?”" in summary  # quote consent given in the practice interviews


def test_practice_interviews_stay_out_of_exports_unless_asked(services):
    real = services.create_study("Echt onderzoek")
    services.start_interview(real.id, "vng-algemeen")
    practice = services.create_practice_study()
    assert len(services.select_interviews()) == 1
    assert len(services.select_interviews(include_practice=True)) == 4
    assert len(services.select_interviews(study=practice.id)) == 3  # named: asked for
    assert services.remove_practice_studies() == 1
    assert not services.has_practice_study()
    assert [r.study.title for r in services.list_studies()] == ["Echt onderzoek"]
    assert len(services.select_interviews(include_practice=True)) == 1


async def test_a_first_start_offers_the_practice_study_and_o_removes_it(services):
    app = make_app(services, clock=fixed_clock, offer_practice=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the offer of the practice study")
        await press(pilot, "j")
        await until(pilot, services.has_practice_study, "the practice study added")
        assert isinstance(app.screen, HomeScreen)
        assert len(app.screen.interview_rows) == 3  # shown at once
        await press(pilot, "o")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the question to remove it")
        await press(pilot, "j")
        await until(pilot, lambda: not services.has_practice_study(), "the practice study removed")
        assert services.list_studies() == []
        assert isinstance(app.screen, HomeScreen)


async def test_no_offer_when_the_database_has_studies_or_the_app_was_not_asked(services):
    services.create_study("Echt onderzoek")
    app = make_app(services, clock=fixed_clock, offer_practice=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.past_first_frame, "the work after the first frame")  # an offer: shown by then
        assert isinstance(app.screen, HomeScreen)
        await press(pilot, "o")  # added with one key
        await until(pilot, services.has_practice_study, "the practice study added")
        assert isinstance(app.screen, HomeScreen)


def test_export_leaves_the_practice_study_out_unless_asked(tmp_path):
    db = tmp_path / "k.db"
    svc = Services.open(db, [bundled_dir()])
    svc.create_practice_study()
    svc.close()
    left_out = klantreis("--db", str(db), "export", home=tmp_path / "home")
    assert left_out.returncode == 1 and "Geen interviews" in left_out.stderr
    asked = klantreis("--db", str(db), "export", "--include-practice", home=tmp_path / "home")
    assert asked.returncode == 0, asked.stderr
    assert sorted(r["code"] for r in json.loads(asked.stdout)["respondents"]) == ["R01", "R02", "R03"]
