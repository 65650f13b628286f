"""The persona screen driven by keys (opened with p from the home screen), the database checked after each edit."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from textual.widgets import OptionList, SelectionList, Static, TextArea

from klantreis_tui.services import Services
from klantreis_tui.ui.dialogs.confirm import ConfirmScreen
from klantreis_tui.ui.dialogs.personas import DesiredForm, PersonaForm, ProposalsDialog, RespondentsDialog
from klantreis_tui.ui.dialogs.prompt import PromptScreen
from klantreis_tui.ui.screens.personas import PersonasScreen
from tests.personas_study import build
from tests.uihelpers import build_app, press


def query(db: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def delete_elsewhere(db: Path, persona_id: str) -> None:
    """The persona deleted by another window (its own connection)."""
    other = sqlite3.connect(db)
    try:
        other.execute("DELETE FROM personas WHERE id = ?", [persona_id])
        other.commit()
    finally:
        other.close()


async def type_in(pilot, text: str) -> None:
    await pilot.press(*text)
    await pilot.pause()


async def test_make_a_persona_choose_respondents_and_set_the_desired_journey(services: Services, tmp_path: Path):
    built = build(services)
    db = tmp_path / "k.db"
    app = build_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await press(pilot, "p")
        screen = app.screen
        assert isinstance(screen, PersonasScreen)
        assert screen.personas == [] and screen.view is None

        # n: a new persona, typed field by field, saved with ctrl+s
        await press(pilot, "n")
        assert isinstance(app.screen, PersonaForm)
        await type_in(pilot, "Zelfstandige")
        await press(pilot, "enter")  # to the segment
        await type_in(pilot, "ZZP")
        await press(pilot, "enter")
        await type_in(pilot, "Snel weer inkomen")
        await press(pilot, "ctrl+s")
        assert app.screen is screen
        assert query(db, "SELECT name, segment, goal FROM personas") == [("Zelfstandige", "ZZP", "Snel weer inkomen")]

        # r: its respondents; the first proposal (segment ZZP: R01, R02) taken with a, saved with ctrl+s
        await press(pilot, "r")
        dialog = app.screen
        assert isinstance(dialog, RespondentsDialog)
        assert "R01, R02" in str(dialog.query_one("#persona-proposal", Static).render())
        await press(pilot, "a")
        assert set(dialog.query_one(SelectionList).selected) == {built.respondents["R01"], built.respondents["R02"]}
        await press(pilot, "ctrl+s")
        assert sorted(r for (r,) in query(db, "SELECT respondent_id FROM persona_respondents")) == sorted(
            [built.respondents["R01"], built.respondents["R02"]])

        # the derived heartbeat: aanvraag is the second phase, median -0,75 over two respondents
        phases = screen.query_one("#persona-phases", OptionList)
        rows = [str(phases.get_option_at_index(i).prompt) for i in range(phases.option_count)]
        assert rows[1].startswith("aanvraag") and "-0,75" in rows[1] and "n=2" in rows[1]
        assert "n=0" in rows[2]  # wachten: nobody
        assert rows[4].startswith("nazorg?")  # not one of the study's phases

        # the desired score of aanvraag: Enter on the phase, type +1 and two ideas
        phases.focus()
        phases.highlighted = 1
        await press(pilot, "enter")
        form = app.screen
        assert isinstance(form, DesiredForm)
        await type_in(pilot, "1")
        form.query_one("#desired-ideas", TextArea).load_text("Eén loket\nVaste contactpersoon")
        await press(pilot, "ctrl+s")
        assert query(db, "SELECT phase, score, ideas FROM desired_scores") == [
            ("aanvraag", 1, '["Eén loket", "Vaste contactpersoon"]')]
        assert "◇ +1" in str(phases.get_option_at_index(1).prompt)

        # + and - on the highlighted phase: saved at once
        await press(pilot, "plus")
        assert query(db, "SELECT score FROM desired_scores") == [(2,)]
        await press(pilot, "plus")  # +2 is the top of the scale
        await press(pilot, "minus")
        assert query(db, "SELECT score FROM desired_scores") == [(1,)]
        assert "◇ +1" in str(phases.get_option_at_index(1).prompt)

        # a score off the scale: the form stays open and nothing is stored
        await press(pilot, "enter")
        form = app.screen
        form.query_one("#desired-score").value = "5"
        await press(pilot, "ctrl+s")
        assert app.screen is form and query(db, "SELECT score FROM desired_scores") == [(1,)]
        await press(pilot, "escape")
        assert isinstance(app.screen, ConfirmScreen)  # something was changed: asked first
        await press(pilot, "j")
        assert app.screen is screen


async def test_proposal_edit_reorder_and_delete(services: Services, tmp_path: Path):
    built = build(services)
    db = tmp_path / "k.db"
    services.create_persona(built.study_id, "Eerste")
    app = build_app(services)
    async with app.run_test(size=(100, 30)) as pilot:
        app.push_screen(PersonasScreen(services, built.study_id))
        await pilot.pause()
        screen = app.screen

        # g: the proposals; the second (R03 and R04, alike journeys) becomes persona 'Bellers'
        await press(pilot, "g")
        assert isinstance(app.screen, ProposalsDialog)
        await press(pilot, "down")
        await press(pilot, "enter")
        assert isinstance(app.screen, PromptScreen)
        app.screen.query_one("#prompt-input").value = "Bellers"
        await press(pilot, "enter")
        assert query(db, "SELECT p.name, r.code FROM personas p JOIN persona_respondents pr ON pr.persona_id = p.id "
                         "JOIN respondents r ON r.id = pr.respondent_id ORDER BY r.code") == [("Bellers", "R03"), ("Bellers", "R04")]
        assert screen.current().name == "Bellers"

        # shift+up: Bellers first
        await press(pilot, "shift+up")
        assert query(db, "SELECT name FROM personas ORDER BY position") == [("Bellers",), ("Eerste",)]

        # e: rename to a name that is taken: refused in the form, nothing stored
        await press(pilot, "e")
        form = app.screen
        assert isinstance(form, PersonaForm)
        form.query_one("#persona-name").value = "eerste"
        await press(pilot, "ctrl+s")
        assert app.screen is form
        assert "eerste" in str(form.query_one("#form-error", Static).render()).casefold()
        form.query_one("#persona-name").value = "Bellers bij UWV"
        await press(pilot, "ctrl+s")
        assert query(db, "SELECT name FROM personas ORDER BY position") == [("Bellers bij UWV",), ("Eerste",)]

        # delete: asked first; n keeps it, then j deletes it with its respondents
        await press(pilot, "delete")
        assert isinstance(app.screen, ConfirmScreen)
        await press(pilot, "n")
        assert len(query(db, "SELECT id FROM personas")) == 2
        await press(pilot, "delete")
        await press(pilot, "j")
        assert query(db, "SELECT name FROM personas") == [("Eerste",)]
        assert query(db, "SELECT count(*) FROM persona_respondents") == [(0,)]
        await press(pilot, "escape")
        assert not isinstance(app.screen, PersonasScreen)


async def test_control_characters_in_a_persona_are_shown_as_symbols(services: Services):
    built = build(services)
    persona = services.create_persona(built.study_id, "Zelf\x1b[2Jstandige", goal="Rust\x1b]0;titel\x07")
    services.set_desired(persona.id, "aanvraag", 1, ["Eén\x9b31m loket"])
    app = build_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(PersonasScreen(services, built.study_id))
        await pilot.pause()
        screen = app.screen
        phases = screen.query_one("#persona-phases", OptionList)
        phases.highlighted = 1
        await pilot.pause()
        shown = [str(screen.query_one(f"#{name}", Static).render()) for name in ("persona-card", "persona-phase")]
        shown.append(str(screen.query_one("#personas-list", OptionList).get_option_at_index(0).prompt))
        assert "standige" in shown[0] and "Eén" in shown[1]
        assert not any(ch in text for text in shown for ch in "\x1b\x07\x9b")


async def test_at_80_columns_the_footer_shows_the_desired_score_and_close_keys(services: Services, english):
    """In Dutch and in English, w (the desired journey), p (the poster) and esc are in the footer at 80x24, whole."""
    from klantreis_tui.i18n import set_language
    from tests.uihelpers import footer_keys_in_view

    build(services)
    for lang in ("nl", "en"):
        set_language(lang)
        app = build_app(services, lang)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await press(pilot, "p")
            assert isinstance(app.screen, PersonasScreen)
            assert {"n", "e", "w", "p", "esc"} <= set(footer_keys_in_view(app)), lang


async def test_the_phase_details_say_which_phase_they_are_about(services: Services):
    """The lines under the curve (main steps, organisations, ...) begin with the highlighted phase's name: with
    the persona list in focus the curve's highlight is hard to see."""
    built = build(services)
    persona = services.create_persona(built.study_id, "Zelfstandige")
    services.set_persona_respondents(persona.id, [built.respondents["R01"], built.respondents["R02"]])
    app = build_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "p")
        screen = app.screen
        assert isinstance(screen, PersonasScreen)
        detail = lambda: str(screen.query_one("#persona-phase", Static).render())  # noqa: E731
        assert detail().startswith("In de fase ‘oriëntatie’:") and "Website bekeken" in detail()
        await press(pilot, "enter", "down")
        assert detail().startswith("In de fase ‘aanvraag’:") and "Formulier ingevuld" in detail()


async def test_x_writes_the_persona_poster_for_a3(services: Services, tmp_path: Path):
    import xml.etree.ElementTree as ET

    built = build(services)
    persona = services.create_persona(built.study_id, "Zelfstandige", goal="Snel weer inkomen")
    services.set_persona_respondents(persona.id, [built.respondents["R01"], built.respondents["R02"]])
    services.set_desired(persona.id, "aanvraag", 1, ["Eén loket"])
    app = build_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(PersonasScreen(services, built.study_id, tmp_path / "uit"))
        await pilot.pause()
        await press(pilot, "p")
    written = sorted(p.name for p in (tmp_path / "uit").iterdir())
    assert [Path(n).suffix for n in written] == [".html", ".svg"]
    assert all(n.startswith("Bijstand-Zelfstandige-poster-") for n in written)
    html = next((tmp_path / "uit").glob("*.html")).read_text(encoding="utf-8")
    assert "size: A3 landscape" in html and "Zelfstandige" in html
    svg = ET.parse(next((tmp_path / "uit").glob("*.svg")))
    texts = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")]
    # the persona's derived journey: its main steps, the quote with consent, n per phase, the desired curve
    assert {"Zelfstandige", "Formulier ingevuld", "Gebeld", "“Ik werd van het kastje naar de muur gestuurd.”"} <= set(texts)
    assert texts.count("n = 2") >= 2 and "n = 0" in texts and "gewenste hartslag" in texts


def respondents_of(db: Path, persona_id: str) -> list[str]:
    return sorted(r for (r,) in query(db, f"SELECT r.code FROM persona_respondents pr JOIN respondents r ON r.id = pr.respondent_id "
                                          f"WHERE pr.persona_id = '{persona_id}'"))


async def test_a_respondents_save_the_disk_refuses_keeps_the_dialog_open_with_the_ticks(services: Services, tmp_path: Path, english):
    """A read-only database refuses the save: the dialog stays, says why in English, keeps what was ticked and
    changes nothing; once the database is writable again the same ticks are saved with ctrl+s."""
    built = build(services)
    db = tmp_path / "k.db"
    persona = services.create_persona(built.study_id, "Zelfstandige")
    services.set_persona_respondents(persona.id, [built.respondents["R03"]])
    app = build_app(services, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(PersonasScreen(services, built.study_id))
        await pilot.pause()
        screen = app.screen
        await press(pilot, "r")
        dialog = app.screen
        assert isinstance(dialog, RespondentsDialog)
        await press(pilot, "a")  # the proposal: R01, R02
        conn = services.store.db.conn
        conn.execute("PRAGMA query_only = 1")
        await press(pilot, "ctrl+s")
        assert app.screen is dialog
        error = dialog.query_one("#choose-error", Static)
        assert error.display and str(error.render()).startswith("NOT saved:") and "readonly" in str(error.render())
        assert set(dialog.query_one(SelectionList).selected) == {built.respondents["R01"], built.respondents["R02"]}
        assert respondents_of(db, persona.id) == ["R03"]
        conn.execute("PRAGMA query_only = 0")
        await press(pilot, "ctrl+s")
        assert app.screen is screen
        assert respondents_of(db, persona.id) == ["R01", "R02"]
        assert screen.view is not None and screen.view.respondents == ("R01", "R02")


async def test_a_respondent_forgotten_in_another_window_is_refused_in_the_dialog(services: Services, tmp_path: Path):
    """R02 is forgotten (by another window) while the dialog is open with R02 ticked: ctrl+s is refused with the
    reason in Dutch, nothing changes; unticking R02 and saving again stores the rest."""
    built = build(services)
    db = tmp_path / "k.db"
    persona = services.create_persona(built.study_id, "Zelfstandige")
    app = build_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(PersonasScreen(services, built.study_id))
        await pilot.pause()
        screen = app.screen
        await press(pilot, "r")
        dialog = app.screen
        await press(pilot, "a")  # R01, R02
        other = Services.open(db, [])
        try:
            other.forget_respondent(built.respondents["R02"])
        finally:
            other.close()
        await press(pilot, "ctrl+s")
        assert app.screen is dialog
        shown = str(dialog.query_one("#choose-error", Static).render())
        assert shown.startswith("NIET opgeslagen:") and "hoort niet meer bij dit onderzoek" in shown
        assert query(db, "SELECT count(*) FROM persona_respondents") == [(0,)]
        await press(pilot, "down", "space")  # R02 is the second row: untick it
        await press(pilot, "ctrl+s")
        assert app.screen is screen and respondents_of(db, persona.id) == ["R01"]


async def test_arrows_compute_each_persona_view_once_and_draw_it_once(services: Services, monkeypatch):
    """Moving between two persona's with the arrows computes each one's journey once (until the database
    changes), and a persona or a phase is drawn once per change, not again for the highlight's own message."""
    import klantreis_tui.ui.screens.personas as module

    built = build(services)
    first = services.create_persona(built.study_id, "Zelfstandige")
    services.set_persona_respondents(first.id, [built.respondents["R01"], built.respondents["R02"]])
    services.create_persona(built.study_id, "Bellers")
    computed: list[str] = []
    real_view = services.persona_view
    monkeypatch.setattr(services, "persona_view", lambda pid, **kw: computed.append(pid) or real_view(pid, **kw))
    rows: list[str] = []
    real_row = module.curve_row
    monkeypatch.setattr(module, "curve_row", lambda phase: rows.append(phase.name) or real_row(phase))
    app = build_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(PersonasScreen(services, built.study_id))
        await pilot.pause()
        screen = app.screen
        phases = len(screen.view.phases)
        assert computed == [first.id] and len(rows) == phases  # opened: one view, its curve drawn once
        await press(pilot, "down")
        other = len(screen.view.phases)  # Bellers has no respondents: the study's phases only
        await press(pilot, "up", "down", "up")
        assert computed == [first.id, screen.personas[1].id]
        assert len(rows) == 3 * phases + 2 * other  # each highlight drawn once
        # a change (the desired score, +) is computed and drawn once more, with the new score
        await press(pilot, "enter", "down", "plus")
        assert len(computed) == 3 and len(rows) == 4 * phases + 2 * other
        assert "◇ 0" in str(screen.query_one("#persona-phases", OptionList).get_option_at_index(1).prompt)


async def test_a_persona_deleted_in_another_window_is_said_not_a_traceback(services: Services, tmp_path: Path):
    """Another window deletes the highlighted persona: an edit, choosing respondents or moving to it says it is
    gone, in the UI language, and the list is read again; nothing is written."""
    built = build(services)
    first = services.create_persona(built.study_id, "Zelfstandige")
    second = services.create_persona(built.study_id, "Starter")
    db = tmp_path / "k.db"
    app = build_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await press(pilot, "p")
        screen = app.screen
        assert isinstance(screen, PersonasScreen)
        listing = screen.query_one("#personas-list", OptionList)
        listing.highlighted = [p.id for p in screen.personas].index(second.id)
        await pilot.pause()
        delete_elsewhere(db, second.id)

        await press(pilot, "e")
        assert app.screen is screen  # no form for a persona that is not there
        said = [n.message for n in app._notifications]
        assert any("bestaat niet meer" in m for m in said), said
        assert [p.id for p in screen.personas] == [first.id]  # the list read again, the one left highlighted
        assert screen.current().id == first.id
    assert query(db, "SELECT id FROM personas") == [(first.id,)]
    assert query(db, "SELECT count(*) FROM persona_respondents") == [(0,)]


async def test_a_persona_deleted_while_the_list_shows_it_is_dropped_on_the_next_arrow(services: Services, tmp_path: Path):
    built = build(services)
    first = services.create_persona(built.study_id, "Zelfstandige")
    second = services.create_persona(built.study_id, "Starter")
    db = tmp_path / "k.db"
    app = build_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await press(pilot, "p")
        screen = app.screen
        ids = [p.id for p in screen.personas]
        listing = screen.query_one("#personas-list", OptionList)
        listing.focus()
        listing.highlighted = 0
        await pilot.pause()
        delete_elsewhere(db, ids[1])
        await press(pilot, "down")  # to the deleted one: its journey cannot be read
        assert app.screen is screen and app.return_code is None
        assert [p.id for p in screen.personas] == [ids[0]]
        assert any("bestaat niet meer" in n.message for n in app._notifications)
        assert screen.current().id == ids[0]
    assert {first.id, second.id} == set(ids)
