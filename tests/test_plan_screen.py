"""The plan screen driven by keys as a team would, with the database checked after every change."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from textual.widgets import Input, OptionList, SelectionList, Static

from klantreis_tui.errors import SaveFailed
from klantreis_tui.i18n import set_language
from klantreis_tui.services import Services
from klantreis_tui.ui.app import make_app
from klantreis_tui.ui.dialogs.action_form import ActionForm
from klantreis_tui.ui.dialogs.choose import ChooseScreen
from klantreis_tui.ui.dialogs.confirm import ConfirmScreen
from klantreis_tui.ui.screens.plan import PlanScreen
from tests.test_plan import PHONE, build
from tests.uihelpers import fixed_clock, press


def query(db: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def app_for(services: Services, tmp_path: Path, keymap=None):
    set_language("nl")
    return make_app(services, keymap=keymap, clock=fixed_clock, export_dir=tmp_path / "out")


def titles(screen: PlanScreen) -> list[str]:
    return [e.action.title for e in screen.entries]


def detail(screen: PlanScreen) -> str:
    return str(screen.query_one("#plan-detail", Static).render())


async def open_plan(pilot, key: str = "a") -> PlanScreen:
    await press(pilot, key)
    screen = pilot.app.screen
    assert isinstance(screen, PlanScreen), type(screen)
    return screen


async def test_ranked_list_evidence_edit_status_and_links(services: Services, tmp_path: Path):
    ids = build(services)
    db = tmp_path / "k.db"
    app = app_for(services, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_plan(pilot)
        assert titles(screen) == ["Alles beter", "Wachttijd korter", "Vaste contactpersoon", "Brief herschrijven", "Tweede contact", "Brieven weg"]
        # the evidence of the highlighted action: its residents' words, unredacted on the laptop's own screen
        actions = screen.query_one("#plan-actions", OptionList)
        actions.highlighted = 1
        await pilot.pause()
        shown = detail(screen)
        assert "Wachttijd korter" in shown and "lang wachten" in shown and "“Het duurde eindeloos.”" in shown
        assert PHONE in shown and "Niemand wist het" not in shown

        # edit: Enter opens the form with the stored values; change the owner and the cost, Ctrl+S
        await press(pilot, "enter")
        form = app.screen
        assert isinstance(form, ActionForm)
        assert form.query_one("#action-title", Input).value == "Wachttijd korter"
        form.query_one("#action-owner_role", Input).value = "klantmanager"
        form.query_one("#action-cost_estimate", Input).value = "€ 15.000"
        await press(pilot, "ctrl+s")
        assert app.screen is screen
        assert query(db, f"SELECT owner_role, cost_estimate FROM actions WHERE id = '{ids['A']}'") == [("klantmanager", "€ 15.000")]
        assert "€ 15.000" in detail(screen)

        # status cycle: proposed -> planned -> in progress
        await press(pilot, "s")
        await press(pilot, "s")
        assert query(db, f"SELECT status FROM actions WHERE id = '{ids['A']}'") == [("in_progress",)]
        assert "in uitvoering" in detail(screen)

        # link themes: Wachten is ticked already; tick Brieven (the second), Ctrl+S
        await press(pilot, "t")
        chooser = app.screen
        assert isinstance(chooser, ChooseScreen)
        items = chooser.query_one(SelectionList)
        assert items.selected == [ids["wait"]]
        await press(pilot, "down", "space")
        await press(pilot, "ctrl+s")
        assert sorted(query(db, f"SELECT target_id FROM action_links WHERE action_id = '{ids['A']}' AND kind = 'theme'")) == sorted(
            [(ids["wait"],), (ids["letters"],)])
        # the persona: p, tick Sandra
        await press(pilot, "p")
        await press(pilot, "space", "ctrl+s")
        assert query(db, f"SELECT target_id FROM action_links WHERE action_id = '{ids['A']}' AND kind = 'persona'") == [("p1",)]
        assert "Sandra" in detail(screen)
        # ideas: i, untick nothing, Esc changes nothing
        await press(pilot, "i")
        await press(pilot, "space", "escape")
        assert query(db, f"SELECT count(*) FROM action_links WHERE action_id = '{ids['A']}' AND kind = 'idea'") == [(0,)]
        assert isinstance(app.screen, PlanScreen)


async def test_proposals_become_actions_or_are_dropped(services: Services, tmp_path: Path):
    ids = build(services)
    db = tmp_path / "k.db"
    app = app_for(services, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_plan(pilot)
        proposals = screen.query_one("#plan-proposals", OptionList)
        await press(pilot, "tab")
        assert screen.focused is proposals
        assert [p.title for p in screen.proposals] == ["Bereikbaarheid", "een terugbelafspraak"]
        assert "Voorstel" in detail(screen) and "Bereikbaarheid" in detail(screen)
        # into the evidence pane (to scroll it): it keeps showing the proposal, the keys keep acting on it
        await press(pilot, "tab")
        assert screen.focused is screen.query_one("#plan-detail-pane") and "Bereikbaarheid" in detail(screen)
        # drop the theme's proposal: it stays as a dropped action
        await press(pilot, "d")
        assert query(db, "SELECT status FROM actions WHERE title = 'Bereikbaarheid'") == [("dropped",)]
        assert [p.title for p in screen.proposals] == ["een terugbelafspraak"]
        # the idea's: Enter opens the form filled in from it; the owner typed, Ctrl+S
        await press(pilot, "enter")
        form = app.screen
        assert isinstance(form, ActionForm) and form.query_one("#action-title", Input).value == "een terugbelafspraak"
        form.query_one("#action-organisation", Input).value = "Gemeente"
        await press(pilot, "ctrl+s")
        row = query(db, "SELECT id, organisation, status FROM actions WHERE title = 'een terugbelafspraak'")
        assert [(r[1], r[2]) for r in row] == [("Gemeente", "proposed")]
        assert sorted(query(db, f"SELECT kind, target_id FROM action_links WHERE action_id = '{row[0][0]}'")) == sorted(
            [("idea", ids["R03.1"]), ("theme", ids["digital"]), ("persona", "p1")])
        assert screen.proposals == [] and screen.focused is screen.query_one("#plan-actions", OptionList)
        assert screen.highlighted_entry().action.title == "een terugbelafspraak"


async def test_an_empty_plan_starts_on_the_proposals(services: Services, tmp_path: Path):
    ids = build(services)
    for action in services.actions(ids["study"]):
        services.delete_action(action.id)
    app = app_for(services, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_plan(pilot)
        assert screen.entries == [] and screen.focused is screen.query_one("#plan-proposals", OptionList)
        # every idea (R01.2, R02.1, R03.1, R04.1) and every theme (3) is proposed, most respondents first
        assert [(p.kind, p.respondent_count) for p in screen.proposals][:1] == [("theme", 3)]
        assert len(screen.proposals) == 7 and "Wachten" in detail(screen)
        await press(pilot, "s")  # no action to act on: said, nothing changed
        assert services.actions(ids["study"]) == []


async def test_new_delete_with_confirm_and_move(services: Services, tmp_path: Path):
    ids = build(services)
    db = tmp_path / "k.db"
    app = app_for(services, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_plan(pilot)
        await press(pilot, "n")
        form = app.screen
        assert isinstance(form, ActionForm)
        await press(pilot, "ctrl+s")  # no title: the form stays open and says why
        assert app.screen is form and "verplicht" in str(form.query_one("#form-error", Static).render())
        await pilot.press(*"Loket op afspraak")
        await press(pilot, "ctrl+s")
        assert query(db, "SELECT title, status FROM actions WHERE title = 'Loket op afspraak'") == [("Loket op afspraak", "proposed")]
        assert screen.highlighted_entry().action.title == "Loket op afspraak"
        # no respondents behind it: it ranks last but one (the dropped one stays last)
        assert titles(screen)[-2:] == ["Loket op afspraak", "Brieven weg"]

        # move: "Tweede contact" (1 respondent) goes up past "Brief herschrijven" (1), not past B (2)
        screen.query_one("#plan-actions", OptionList).highlighted = titles(screen).index("Tweede contact")
        await press(pilot, "minus")
        assert titles(screen)[3:5] == ["Tweede contact", "Brief herschrijven"]
        await press(pilot, "minus")
        assert titles(screen)[3] == "Tweede contact"

        # delete asks first: n keeps it, j deletes it
        await press(pilot, "d")
        assert isinstance(app.screen, ConfirmScreen)
        await press(pilot, "n")
        assert query(db, f"SELECT count(*) FROM actions WHERE id = '{ids['E']}'") == [(1,)]
        await press(pilot, "d")
        await press(pilot, "j")
        assert query(db, f"SELECT count(*) FROM actions WHERE id = '{ids['E']}'") == [(0,)]
        assert "Tweede contact" not in titles(screen)
        await press(pilot, "escape")
        assert not isinstance(app.screen, PlanScreen)


async def test_a_failed_save_keeps_the_form_open_and_nothing_changes(services: Services, tmp_path: Path, monkeypatch):
    ids = build(services)
    db = tmp_path / "k.db"
    app = app_for(services, tmp_path)

    def refused(*args, **kwargs):
        raise SaveFailed("db.write_failed", path=str(db), error="disk full")

    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_plan(pilot)
        await press(pilot, "enter")
        form = app.screen
        form.query_one("#action-title", Input).value = "Iets anders"
        monkeypatch.setattr(services, "update_action", refused)
        await press(pilot, "ctrl+s")
        assert app.screen is form and "NIET opgeslagen" in str(form.query_one("#form-error", Static).render())
        assert query(db, f"SELECT title FROM actions WHERE id = '{ids['D']}'") == [("Alles beter",)]
        assert titles(screen)[0] == "Alles beter"


async def test_export_from_the_screen_is_redacted(services: Services, tmp_path: Path):
    build(services)
    app = app_for(services, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_plan(pilot)
        await press(pilot, "m")
        await press(pilot, "h")
    written = sorted((tmp_path / "out").iterdir())
    assert [p.suffix for p in written] == [".html", ".md"] and all(p.name.startswith("Bijstand-verbeterplan-") for p in written)
    for path in written:
        text = path.read_text(encoding="utf-8")
        assert "Alles beter" in text and PHONE not in text and "[telefoonnummer]" in text


async def test_the_key_is_remappable_and_listed_in_help(services: Services, tmp_path: Path):
    build(services)
    app = app_for(services, tmp_path, keymap={"home.plan": "f6"})
    async with app.run_test(size=(100, 30)) as pilot:
        rows = dict((description, keys) for keys, description in app.help_rows(app.screen))
        assert rows["Verbeterplan"] == "f6"
        await press(pilot, "a")
        assert not isinstance(app.screen, PlanScreen)
        screen = await open_plan(pilot, "f6")
        help_rows = {description for _, description in app.help_rows(screen)}
        assert {"Nieuwe actie", "Status", "Thema's", "Persona's", "Ideeën", "Markdown", "HTML"} <= help_rows


async def test_a_change_from_another_window_is_shown(services: Services, tmp_path: Path):
    from klantreis_tui.question_sets import bundled_dir

    ids = build(services)
    app = app_for(services, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_plan(pilot)
        other = Services.open(tmp_path / "k.db", [bundled_dir()])
        try:
            other.create_action(ids["study"], "Uit een ander venster", links=[("theme", ids["wait"])])
        finally:
            other.close()
        screen.follow_other_windows()  # what the screen's timer calls every two seconds
        await pilot.pause()
        assert "Uit een ander venster" in titles(screen)
        assert titles(screen).index("Uit een ander venster") == 2  # three respondents, after "Wachttijd korter"


async def test_control_characters_in_stored_text_are_shown_as_symbols(services: Services, tmp_path: Path):
    ids = build(services)
    hostile = "Bel\x1b[2J terug\u202e"
    services.update_action(ids["study"], ids["D"], title=hostile, owner_role="rol\x07", description="regel\x1b]0;x\x07")
    app = app_for(services, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_plan(pilot)
        shown = detail(screen)
        label = str(screen.query_one("#plan-actions", OptionList).get_option_at_index(0).prompt)
        for text in (shown, label):
            assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text
        assert "Bel" in label and "terug" in label
    md = services.plan_text(ids["study"], "md")
    assert "\x1b" not in md and "\u202e" not in md


async def test_at_80_columns_the_footer_keeps_delete_and_close_whole_and_the_hint_fits(services: Services, tmp_path: Path, english):
    from tests.uihelpers import footer_keys_in_view

    build(services)
    for lang in ("nl", "en"):
        app = app_for(services, tmp_path)
        set_language(lang)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_plan(pilot)
            assert {"n", "e", "s", "d", "esc"} <= set(footer_keys_in_view(app)), lang
            hint = str(screen.query_one("#plan-status", Static).render())
            assert "F1" in hint and "…" not in hint, (lang, hint)


async def test_the_evidence_pane_is_drawn_once_per_highlight(services: Services, tmp_path: Path, monkeypatch):
    """Opening the plan, moving with the arrows and changing a status draw the evidence once each (it was
    drawn again for every highlight message the redrawn lists sent)."""
    build(services)
    drawn: list[str] = []
    real = PlanScreen._append_words
    monkeypatch.setattr(PlanScreen, "_append_words", lambda self, text, words: drawn.append(text.plain.split("\n")[0]) or real(self, text, words))
    app = app_for(services, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_plan(pilot)
        assert drawn == ["Alles beter"]
        await press(pilot, "down", "down", "up")
        assert drawn == ["Alles beter", "Wachttijd korter", "Vaste contactpersoon", "Wachttijd korter"]
        await press(pilot, "s")
        assert drawn[4:] == ["Wachttijd korter"] and "gepland" in detail(screen)
        await press(pilot, "tab", "down")  # the proposals
        assert len(drawn) == 7 and drawn[5] != drawn[6]
