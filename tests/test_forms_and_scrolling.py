"""Forms at 80x24 (label of the focused field in view, buttons reachable, Esc asks, F1), the scrolling summary and
help, a read-only database that becomes writable, and two windows proposing the same respondent code."""

from __future__ import annotations

import sqlite3

import pytest
from textual.containers import VerticalScroll
from textual.widgets import Button, Input, Label

from klantreis_tui.engine import Slot
from klantreis_tui.errors import AnswerInvalid, SaveFailed
from klantreis_tui.question_sets import bundled_dir
from klantreis_tui.services import Services
from klantreis_tui.ui.dialogs.confirm import ConfirmScreen
from klantreis_tui.ui.dialogs.forms import StudyForm
from klantreis_tui.ui.dialogs.help import HelpScreen
from klantreis_tui.ui.screens.home import HomeScreen
from klantreis_tui.ui.screens.summary import SummaryScreen
from klantreis_tui.ui.widgets.markdown_view import MarkdownView
from tests.uihelpers import build_app, press


def in_view(widget, scroll) -> bool:
    top, bottom = scroll.region.y, scroll.region.y + scroll.region.height
    return top <= widget.region.y and widget.region.y + widget.region.height <= bottom


async def test_the_new_study_form_at_80x24_shows_the_focused_fields_label_and_its_buttons(services):
    app = build_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "n")
        form = app.screen
        assert isinstance(form, StudyForm)
        scroll = form.query_one(".form-fields", VerticalScroll)
        buttons = list(form.query(Button))
        screen_rows = range(0, 24)
        for _ in StudyForm.FIELDS:
            field = app.focused
            assert isinstance(field, Input)
            label = field.parent.children[field.parent.children.index(field) - 1]
            assert isinstance(label, Label)
            await pilot.pause()
            await pilot.pause()
            assert in_view(field, scroll) and in_view(label, scroll), field.id
            assert all(b.region.y in screen_rows and b.region.height for b in buttons)
            await press(pilot, "tab")


async def test_escape_on_a_changed_form_asks_before_discarding_and_f1_opens_help(services):
    app = build_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "n")
        await press(pilot, *"Paspoort")
        await press(pilot, "f1")
        assert isinstance(app.screen, HelpScreen)
        rows = dict((desc, key) for key, desc in app.screen.rows)
        assert rows["Opslaan"] == "^s" and rows["Annuleren"] == "esc"
        await press(pilot, "escape")
        assert isinstance(app.screen, StudyForm)
        await press(pilot, "escape")
        assert isinstance(app.screen, ConfirmScreen)  # six filled fields are not thrown away on one key
        await press(pilot, "n")
        assert isinstance(app.screen, StudyForm)
        assert app.screen.query_one("#study-title", Input).value == "Paspoort"
        await press(pilot, "escape")
        await press(pilot, "j")
        assert isinstance(app.screen, HomeScreen)
        await press(pilot, "n")
        await press(pilot, "escape")  # nothing typed: closes at once
        assert isinstance(app.screen, HomeScreen)
    assert services.list_studies() == []


async def test_a_study_form_whose_save_fails_stays_open_with_what_was_typed(services, monkeypatch):
    def disk_full(title, **fields):
        raise SaveFailed("db.write_failed", path="k.db", error="the disk is full")

    monkeypatch.setattr(services, "create_study", disk_full)
    app = build_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "n")
        await press(pilot, *"Paspoort")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, StudyForm)
        assert app.screen.query_one("#study-title", Input).value == "Paspoort"
        assert "NIET opgeslagen" in str(app.screen.query_one("#form-error").render())


def long_interview(services):
    study = services.create_study("Lang")
    interview = services.start_interview(study.id, "klein")
    for question, value in (("mee", "j"), ("citaten", "j"), ("leeftijd", "40"), ("digitaal", "web"), ("postcode", "Noord")):
        services.answer(interview.id, Slot(question), value)
    for n in range(12):
        services.insert_step(interview.id, description=f"Stap nummer {n + 1} van een lange reis", emotion=-1)
    return interview


@pytest.mark.parametrize("keys", [("pagedown",), ("down",) * 5, ("end",), ("space",)])
async def test_the_summary_scrolls_with_the_keys_people_expect(services, keys):
    interview = long_interview(services)
    app = build_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_summary([interview.id], study=False)
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        scroll = app.screen.query_one("#summary-scroll", MarkdownView)
        assert scroll.max_scroll_y > 0 and scroll.scroll_y == 0
        await press(pilot, *keys)
        await pilot.pause()
        assert scroll.scroll_y > 0
        await press(pilot, "home")
        await pilot.pause()
        assert scroll.scroll_y == 0


async def test_help_shows_readable_key_names_and_scrolls_to_its_end_at_80x24(services):
    interview = long_interview(services)
    app = build_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_interview(interview.id)
        await pilot.pause()
        await press(pilot, "f1")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        keys = [key for key, _ in help_screen.rows]
        assert not any("question_mark" in key or "delete" in key for key in keys)
        scroll = help_screen.query_one("#help-scroll", VerticalScroll)
        assert scroll.max_scroll_y > 0
        await press(pilot, "end")
        await pilot.pause()
        assert scroll.scroll_y == scroll.max_scroll_y


def test_a_database_read_only_at_first_is_written_again_on_the_next_save(tmp_path):
    services = Services.open(tmp_path / "k.db", [bundled_dir()])
    store = services.store
    writable = store.conn
    # as SQLite opens a file this user may not write: a read-only connection
    store.conn = sqlite3.connect(f"file:{tmp_path / 'k.db'}?mode=ro", uri=True, isolation_level=None)
    with pytest.raises(SaveFailed) as refused:
        services.create_study("Eerst")
    assert "alleen-lezen" in str(refused.value)
    assert store.reopen_before_write
    writable.close()
    # the file is writable (it always was here): the next save opens it again and is stored
    study = services.create_study("Daarna")
    assert [row.study.title for row in services.list_studies()] == ["Daarna"]
    assert services.study(study.id).title == "Daarna"
    services.close()


def test_two_windows_with_the_same_proposed_code_get_the_next_free_one(tmp_path):
    first = Services.open(tmp_path / "k.db", [bundled_dir()])
    second = Services.open(tmp_path / "k.db", [bundled_dir()])
    study = first.create_study("Twee vensters")
    proposed = [first.next_respondent_code(study.id), second.next_respondent_code(study.id)]
    assert proposed == ["R01", "R01"]
    a = first.start_interview(study.id, "vng-algemeen", respondent_code="R01", code_proposed=True)
    b = second.start_interview(study.id, "vng-algemeen", respondent_code="R01", code_proposed=True)
    codes = [first.respondent(a.respondent_id).code, second.respondent(b.respondent_id).code]
    assert codes == ["R01", "R02"]
    # a code typed by hand that is taken: a clear refusal, not SQLite's words, and nothing stored
    with pytest.raises(AnswerInvalid) as taken:
        second.start_interview(study.id, "vng-algemeen", respondent_code="R02")
    assert str(taken.value) == "Code R02 is al gebruikt in dit onderzoek."
    assert len(first.list_interviews(study.id)) == 2
    first.close()
    second.close()


async def test_the_start_form_gives_the_next_free_code_when_another_window_took_the_proposed_one(services):
    from klantreis_tui.ui.dialogs.forms import StartInterviewForm
    from klantreis_tui.ui.screens.interview import InterviewScreen

    study = services.create_study("Twee vensters")
    app = build_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await press(pilot, "s")
        assert isinstance(app.screen, StartInterviewForm)
        assert app.screen.query_one("#start-code", Input).value == "R01"
        services.start_interview(study.id, "vng-algemeen", respondent_code="R01")  # the other window, meanwhile
        await press(pilot, "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)
        assert app.screen.respondent.code == "R02"
        assert any("R02" in n.message and "R01" in n.message for n in app._notifications)
