"""The notice at start when the database or the export folder lies in a synced folder, in the app's language."""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import Static

from klantreis_tui.i18n import set_language
from klantreis_tui.question_sets import bundled_dir
from klantreis_tui.services import Services, synced_folder_warnings
from klantreis_tui.ui.app import make_app
from klantreis_tui.ui.dialogs.synced import SyncedFolderScreen
from klantreis_tui.ui.screens.home import HomeScreen
from tests.uihelpers import fixed_clock, until


def notice(app) -> str:
    """The synced-folder dialog's text, or "" while no such dialog is composed."""
    if not isinstance(app.screen, SyncedFolderScreen):
        return ""
    found = app.screen.query("#synced-text")
    return str(found.first(Static).render()) if found else ""


def app_for(services, warnings, ack: Path, lang: str = "nl"):
    set_language(lang)
    return make_app(services, clock=fixed_clock, synced=warnings, synced_acknowledgements=ack)


async def test_the_notice_explains_and_the_acknowledgement_is_kept(tmp_path: Path, qs_dir: Path):
    db = tmp_path / "OneDrive - Gemeente X" / "Onderzoek" / "klantreis.db"
    exports = tmp_path / "OneDrive - Gemeente X" / "Documenten" / "klantreis"
    ack = tmp_path / "data" / "ack.json"
    services = Services.open(db, [bundled_dir(), qs_dir])
    try:
        app = app_for(services, synced_folder_warnings(db, exports, acknowledged=ack), ack)
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: notice(app), "the synced-folder notice")
            text = notice(app)
            assert f"De database {db}" in text and "OneDrive for Business synchroniseert" in text
            assert "lokale gegevensmap" in text
            await pilot.click("#acknowledge")
            # the second place: the export folder; reminded next time instead
            await until(pilot, lambda: "De exportmap" in notice(app), "the notice about the export folder")
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), "the home screen")
        assert json.loads(ack.read_text(encoding="utf-8")) == {"folders": [str(db.parent)]}
        left = synced_folder_warnings(db, exports, acknowledged=ack)
        assert [w.role for w in left] == ["export"]
    finally:
        services.close()


async def test_the_notice_in_english_and_without_warnings_no_dialog(tmp_path: Path, qs_dir: Path):
    db = tmp_path / "Dropbox" / "k.db"
    ack = tmp_path / "ack.json"
    services = Services.open(db, [bundled_dir(), qs_dir])
    try:
        app = app_for(services, synced_folder_warnings(db, None, acknowledged=ack), ack, lang="en")
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: "Dropbox synchronises" in notice(app), "the notice in English")
            await pilot.press("ctrl+s")
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), "the home screen")
        assert synced_folder_warnings(db, None, acknowledged=ack) == []
        quiet = app_for(services, [], ack, lang="en")
        async with quiet.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: quiet.past_first_frame, "the work after the first frame")  # a notice: long shown
            assert isinstance(quiet.screen, HomeScreen)
    finally:
        services.close()
