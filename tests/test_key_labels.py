"""Key labels in the language the app was built in, not the language of the moment the package was imported."""

from __future__ import annotations

import pytest
from textual.widgets._footer import FooterKey

from klantreis_tui.i18n import current_language, set_language
from klantreis_tui.ui import app as app_module  # imported (in Dutch) before the English app is built
from klantreis_tui.ui.dialogs.help import HelpScreen
from tests.uihelpers import build_app, press


@pytest.fixture
def english():
    """As `klantreis --lang en` does: the process language first, then the app."""
    before = current_language()
    set_language("en")
    yield
    set_language(before)


def footer_labels(app) -> set[str]:
    return {key.description for key in app.screen.query(FooterKey)}


async def test_footer_and_help_are_english_in_an_english_app(services, english):
    assert app_module.HomeScreen.BINDINGS[0].description == "New study"  # the source text, worded when shown
    study = services.create_study("English")
    interview = services.start_interview(study.id, "klein")
    app = build_app(services, lang="en")
    async with app.run_test(size=(130, 30)) as pilot:
        await pilot.pause()
        labels = footer_labels(app)
        assert {"New study", "Quit"} <= labels
        assert "Nieuw onderzoek" not in labels
        app.open_interview(interview.id)
        await pilot.pause()
        labels = footer_labels(app)
        assert {"New step", "Undo", "Complete"} <= labels
        await press(pilot, "f1")
        assert isinstance(app.screen, HelpScreen)
        rows = dict((desc, key) for key, desc in app.screen.rows)
        for description in ("New step", "Undo", "Skip", "Step up", "Merge with next", "Edit step", "Help"):
            assert description in rows
        assert "Nieuwe stap" not in rows


async def test_footer_and_help_are_dutch_by_default(services):
    study = services.create_study("Nederlands")
    interview = services.start_interview(study.id, "klein")
    app = build_app(services)
    async with app.run_test(size=(130, 30)) as pilot:
        await pilot.pause()
        assert {"Nieuw onderzoek", "Afsluiten"} <= footer_labels(app)
        app.open_interview(interview.id)
        await pilot.pause()
        assert {"Nieuwe stap", "Ongedaan maken", "Afronden"} <= footer_labels(app)
        await press(pilot, "f1")
        rows = dict((desc, key) for key, desc in app.screen.rows)
        for description in ("Nieuwe stap", "Overslaan", "Stap omhoog", "Stap bewerken", "Help"):
            assert description in rows
        # Textual's own keys keep their Dutch words in help
        assert "Geselecteerde tekst kopiëren" in rows


@pytest.mark.parametrize(("lang", "theme", "quit_", "placeholder"), [
    ("nl", "Thema", "Afsluiten", "Opdracht zoeken…"),
    ("en", "Theme", "Quit", "Search for commands…"),
])
async def test_textual_commands_in_the_palette_follow_the_app_language(services, lang, theme, quit_, placeholder):
    from textual.command import CommandInput, CommandPalette

    app = build_app(services, lang=lang)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert theme in titles and quit_ in titles
        await press(pilot, "ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        assert app.screen.query_one(CommandInput).placeholder == placeholder
