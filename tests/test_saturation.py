"""Saturation of a study from the database (the service the home screen uses, the same figures as the
synthesis), its wording, and the note on the home screen, computed after the first frame."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

from klantreis_tui.i18n import using_language
from klantreis_tui.models import Consent, InterviewStatus
from klantreis_tui.models.saturation import Saturation, SaturationRow
from klantreis_tui.services import Services
from klantreis_tui.services.saturation import saturation_note
from klantreis_tui.ui.screens.home import HomeScreen
from tests.conftest import make_interview, make_respondent, make_step
from tests.uihelpers import build_app

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=timezone.utc)


def add(services: Services, study_id: str, code: str, day: int, steps: list[dict], status=InterviewStatus.afgerond,
        participation: bool = True) -> list[str]:
    respondent = make_respondent(study_id, code)
    interview = make_interview(study_id, respondent.id, status=status, started_at=T0 + timedelta(days=day))
    consent = Consent(interview_id=interview.id, item="participation", granted=participation, text_version="t1",
                      question_set_version="2")
    built = [make_step(interview.id, n, **fields) for n, fields in enumerate(steps, 1)]
    services.store.insert_records(respondents=[respondent], interviews=[interview], consents=[consent], steps=built)
    return [s.id for s in built]


def study(services: Services) -> tuple[str, dict[str, list[str]]]:
    """R01 brings a theme, two organisations and two pain points; R02 one organisation (a typo merged into one
    R01 brought does not count) and a pain point of R01's theme; R03 nothing new; R04 is not completed and R05
    refused to take part: neither counts."""
    made = services.create_study("Schulden")
    steps = {
        "R01": add(services, made.id, "R01", 1, [
            {"instances": ["Gemeente"], "pain_point": "lang wachten"},
            {"instances": ["UWV"], "pain_point": "brief onduidelijk"},
        ]),
        "R02": add(services, made.id, "R02", 2, [
            {"instances": ["Gemeentee", "Deurwaarder"], "pain_point": "zes weken gewacht"},
        ]),
        "R03": add(services, made.id, "R03", 3, [{"instances": ["UWV"], "pain_point": "wachttijd"}]),
        "R04": add(services, made.id, "R04", 4, [{"instances": ["Bank"], "pain_point": "nieuw"}],
                   status=InterviewStatus.bezig),
        "R05": add(services, made.id, "R05", 5, [{"instances": ["Bank"], "pain_point": "nieuw"}], participation=False),
    }
    services.merge_names(made.id, "instances", ["Gemeentee"], "Gemeente")
    wait = services.create_theme(made.id, "Wachten")
    evidence = {(e.step_id, e.field): e for e in services.evidence(made.id)}
    services.assign(made.id, wait.id, [evidence[(steps[c][0], "pain_point")] for c in ("R01", "R02", "R03")])
    return made.id, steps


def test_saturation_per_completed_interview_in_the_order_held(services: Services):
    study_id, _ = study(services)
    found = services.study_saturation(study_id)
    assert [(r.code, r.new_themes, r.new_organisations, r.new_pain_points) for r in found.rows] == [
        ("R01", 1, 2, 2), ("R02", 0, 1, 0), ("R03", 0, 0, 0),
    ]
    assert found.saturated_codes == ["R03"]
    # the synthesis shows the same figures
    text = services.summary_text(services.select_interviews(study=study_id), synthesis=True)
    assert "| R02 | 0 | 1 | 0 |" in text and "R03: niets nieuws meer." in text
    assert services.study_saturation_apart(study_id) == found


def test_saturation_of_a_study_without_completed_interviews_is_empty(services: Services):
    made = services.create_study("Leeg")
    add(services, made.id, "R01", 1, [{"instances": ["UWV"]}], status=InterviewStatus.bezig)
    assert services.study_saturation(made.id) == Saturation()


def rows(*news: tuple[str, int, int, int]) -> list[SaturationRow]:
    return [SaturationRow(code=c, new_themes=a, new_organisations=b, new_pain_points=p) for c, a, b, p in news]


def test_the_note_names_the_quiet_interviews_or_what_the_last_one_brought():
    with using_language("nl"):
        assert saturation_note(Saturation(rows=rows(("R01", 1, 1, 1), ("R02", 0, 0, 0)), saturated_codes=["R02"])) \
            == "R02 bracht niets nieuws"
        two = Saturation(rows=rows(("R01", 1, 1, 1), ("R08", 0, 0, 0), ("R09", 0, 0, 0)), saturated_codes=["R08", "R09"])
        assert saturation_note(two) == "R08 en R09 brachten niets nieuws"
        many = Saturation(rows=rows(*[(f"R{n:02d}", 0, 0, 0) for n in range(1, 7)]),
                          saturated_codes=[f"R{n:02d}" for n in range(2, 7)])
        assert saturation_note(many) == "De laatste 5 interviews brachten niets nieuws (sinds R02)"
        news = Saturation(rows=rows(("R01", 2, 2, 2), ("R02", 0, 1, 3)))
        assert saturation_note(news) == "R02 bracht nieuw: 1 organisatie, 3 knelpunten"
        assert saturation_note(Saturation(rows=rows(("R01", 2, 2, 2)))) == ""
    with using_language("en"):
        assert saturation_note(two) == "R08 and R09 brought nothing new"


async def wait_for(pilot, condition, limit: float = 10.0) -> None:
    deadline = time.monotonic() + limit
    while not condition() and time.monotonic() < deadline:
        await pilot.pause(0.05)
    assert condition()


async def test_home_shows_the_note_of_the_highlighted_study_after_the_first_frame(services: Services):
    study_id, steps = study(services)
    other = services.create_study("Andere studie")
    add(services, other.id, "R01", 1, [{"instances": ["UWV"], "pain_point": "wachten"}])
    add(services, other.id, "R02", 2, [{"instances": ["Bank"], "pain_point": "rente"}])
    app = build_app(services)
    async with app.run_test(size=(100, 30)) as pilot:
        home = app.screen
        assert isinstance(home, HomeScreen)
        pane = home.query_one("#interviews-pane")
        table = home.query_one("#studies")
        table.move_cursor(row=home.study_ids.index(study_id))
        await wait_for(pilot, lambda: pane.border_subtitle == "R03 bracht niets nieuws")
        table.move_cursor(row=home.study_ids.index(other.id))
        await wait_for(pilot, lambda: pane.border_subtitle == "R02 bracht nieuw: 1 organisatie, 1 knelpunt")
        # a new interview that brings nothing new: after it the note names R03 and R06
        add(services, study_id, "R06", 6, [{"instances": ["UWV"], "pain_point": ""}])
        table.move_cursor(row=home.study_ids.index(study_id))
        await wait_for(pilot, lambda: pane.border_subtitle == "R03 en R06 brachten niets nieuws")
