"""Themes: the proposed grouping, the service (assign, merge, split, undo), bundles merging themes by name,
and the analysis screen driven by keys with the database checked."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from textual.widgets import OptionList

from klantreis_tui.assist.themes import propose_groups
from klantreis_tui.models import Consent, InterviewStatus
from klantreis_tui.question_sets import bundled_dir
from klantreis_tui.services import Services
from klantreis_tui.ui.dialogs.prompt import PromptScreen
from klantreis_tui.ui.screens.analysis import AnalysisScreen
from tests.conftest import make_interview, make_respondent, make_step
from tests.uihelpers import build_app, press

STEPS = {
    "R01": [{"pain_point": "lang wachten", "quotes": ["Het duurde eindeloos."]}, {"pain_point": "brief was onduidelijk"}],
    "R02": [{"pain_point": "zes weken gewacht", "opportunity": "een vaste contactpersoon"}],
    "R03": [{"pain_point": "wachttijd"}, {"pain_point": "ik snapte de brief niet"}],
}


def fill(services: Services) -> str:
    study = services.create_study("Bijstand")
    for code, steps in STEPS.items():
        respondent = make_respondent(study.id, code)
        interview = make_interview(study.id, respondent.id, status=InterviewStatus.afgerond)
        consent = Consent(interview_id=interview.id, item="participation", granted=True, text_version="t1",
                          question_set_version="2")
        built = [make_step(interview.id, n, emotion=-1, **fields) for n, fields in enumerate(steps, 1)]
        services.store.insert_records(respondents=[respondent], interviews=[interview], consents=[consent], steps=built)
    return study.id


def links(path: Path) -> list[tuple[str, str]]:
    """(theme name, evidence text) in the database, sorted."""
    conn = sqlite3.connect(path)
    rows = conn.execute(
        """SELECT t.name, CASE l.field WHEN 'pain_point' THEN s.pain_point WHEN 'opportunity' THEN s.opportunity
                  ELSE json_extract(s.quotes, '$[' || l.item || ']') END
           FROM theme_links l JOIN themes t ON t.id = l.theme_id JOIN steps s ON s.id = l.step_id ORDER BY 1, 2"""
    ).fetchall()
    conn.close()
    return rows


def test_waiting_in_different_words_lands_in_one_group():
    items = list(enumerate(["lang wachten", "zes weken gewacht", "wachttijd", "wachtijd te lang", "brief was onduidelijk",
                            "onduidelijke brieven", "een vaste contactpersoon"]))
    groups = {frozenset(g.members) for g in propose_groups(items)}
    assert groups == {frozenset({0, 1, 2, 3}), frozenset({4, 5})}


def test_assign_merge_split_and_undo(services: Services, tmp_path: Path):
    study_id = fill(services)
    evidence = {e.text: e for e in services.evidence(study_id)}
    assert set(evidence) >= {"lang wachten", "Het duurde eindeloos.", "een vaste contactpersoon"}
    wait = services.create_theme(study_id, "Wachten")
    slow = services.create_theme(study_id, "Traag")
    services.assign(study_id, wait.id, [evidence["lang wachten"], evidence["wachttijd"]])
    services.assign(study_id, slow.id, [evidence["zes weken gewacht"], evidence["Het duurde eindeloos."]])
    services.merge_themes(study_id, wait.id, [slow.id])
    db = tmp_path / "k.db"
    assert links(db) == [("Wachten", "Het duurde eindeloos."), ("Wachten", "lang wachten"),
                         ("Wachten", "wachttijd"), ("Wachten", "zes weken gewacht")]
    services.split_theme(study_id, wait.id, "Gevoel", [evidence["Het duurde eindeloos."]])
    assert ("Gevoel", "Het duurde eindeloos.") in links(db) and ("Wachten", "Het duurde eindeloos.") not in links(db)
    assert services.undo_themes(study_id)  # the split undone
    assert ("Wachten", "Het duurde eindeloos.") in links(db) and [t.name for t in services.themes(study_id)] == ["Wachten"]
    assert services.undo_themes(study_id)  # the merge undone
    assert sorted(t.name for t in services.themes(study_id)) == ["Traag", "Wachten"]


def test_bundle_carries_themes_and_import_merges_them_by_name(services: Services, tmp_path: Path):
    study_id = fill(services)
    evidence = {e.text: e for e in services.evidence(study_id)}
    wait = services.create_theme(study_id, "Wachten", description="Lang wachten op een besluit", colour="orange")
    services.assign(study_id, wait.id, [evidence["lang wachten"], evidence["wachttijd"]])
    bundle = services.export_bundle(services.select_interviews(study=study_id))
    assert [t.name for t in bundle.themes] == ["Wachten"] and len(bundle.theme_links) == 2

    other = Services.open(tmp_path / "other.db", [bundled_dir()])
    try:
        other.import_bundle(bundle)
        assert [(t.name, t.description, t.colour) for t in other.themes(study_id)] == [
            ("Wachten", "Lang wachten op een besluit", "orange")]
        # there the same theme was made by hand under another id, with one more card
        other.store.db.execute("DELETE FROM themes")
        here = other.create_theme(study_id, "wachten")
        other.assign(study_id, here.id, [e for e in other.evidence(study_id) if e.text == "zes weken gewacht"])
        for _ in range(2):
            other.import_bundle(bundle)
            assert [t.name for t in other.themes(study_id)] == ["wachten"]
            assert sorted(e.text for e in other.evidence(study_id) if here.id in e.theme_ids) == [
                "lang wachten", "wachttijd", "zes weken gewacht"]
    finally:
        other.close()


async def test_analysis_screen_assign_merge_split_undo(services: Services, tmp_path: Path):
    study_id = fill(services)
    db = tmp_path / "k.db"
    app = build_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(AnalysisScreen(services, study_id))
        await pilot.pause()
        screen = app.screen
        cards = screen.query_one("#analysis-cards", OptionList)
        texts = [e.text for e in screen.cards]
        assert texts[:3] == ["lang wachten", "Het duurde eindeloos.", "brief was onduidelijk"]

        await press(pilot, "p")  # the proposed grouping
        assert links(db) == [("brief", "brief was onduidelijk"), ("brief", "ik snapte de brief niet"),
                             ("wachten", "lang wachten"), ("wachten", "wachttijd"), ("wachten", "zes weken gewacht")]

        # rename the proposed "brief" (third on the left: all cards, without theme, wachten, brief)
        themes = screen.query_one("#analysis-themes", OptionList)
        themes.highlighted = 3
        await press(pilot, "r")
        assert isinstance(app.screen, PromptScreen)
        app.screen.query_one("#prompt-input").value = "Brieven"
        await press(pilot, "enter")
        assert ("Brieven", "brief was onduidelijk") in links(db)

        # a new theme from the marked idea
        cards.highlighted = texts.index("een vaste contactpersoon")
        await press(pilot, "space")
        await press(pilot, "n")
        await pilot.press(*"Contact")
        await press(pilot, "enter")
        assert ("Contact", "een vaste contactpersoon") in links(db)

        # assign the quote to "wachten": choose the theme on the left, back to the cards, a
        themes.focus()
        themes.highlighted = 2  # all, without theme, then wachten
        await press(pilot, "enter")
        screen.view = "__all__"
        screen.refresh_cards()
        cards.highlighted = [e.text for e in screen.cards].index("Het duurde eindeloos.")
        await press(pilot, "a")
        assert ("wachten", "Het duurde eindeloos.") in links(db)

        # merge "Brieven" into "wachten" (marked on the left), then undo it
        themes.focus()
        themes.highlighted = 3
        await press(pilot, "space")
        themes.highlighted = 2
        await press(pilot, "m")
        assert [n for n, _ in links(db)] == ["Contact"] + ["wachten"] * 6
        await press(pilot, "u")
        assert ("Brieven", "ik snapte de brief niet") in links(db)

        # split: open "wachten", mark the quote, s, name it
        themes.highlighted = 2
        await press(pilot, "enter")
        cards.highlighted = [e.text for e in screen.cards].index("Het duurde eindeloos.")
        await press(pilot, "space")
        await press(pilot, "s")
        await pilot.press(*"Gevoel")
        await press(pilot, "enter")
        assert ("Gevoel", "Het duurde eindeloos.") in links(db) and ("wachten", "Het duurde eindeloos.") not in links(db)
        await press(pilot, "escape")
        assert not isinstance(app.screen, AnalysisScreen)
