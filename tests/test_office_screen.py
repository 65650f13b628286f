"""The office formats from the app's summary screen: x writes the Excel workbook, w the Word document."""

from __future__ import annotations

import io

import docx
import openpyxl

from klantreis_tui.ui.app import binding_ids
from klantreis_tui.ui.screens.summary import SummaryScreen
from tests.test_snapshots import fill_debts_interview
from tests.uihelpers import build_app, open_interview_summary, press


def test_the_keys_have_ids():
    assert {"summary.export_xlsx", "summary.export_docx"} <= binding_ids()


async def test_x_and_w_write_the_workbook_and_the_word_document(services, tmp_path):
    interview = fill_debts_interview(services, steps=6)
    services.finish(interview.id)
    app = build_app(services)
    app.export_dir = tmp_path / "export"
    async with app.run_test(size=(80, 24)) as pilot:
        await open_interview_summary(pilot, app, interview.id)
        assert isinstance(app.screen, SummaryScreen)
        await press(pilot, "x")
        await press(pilot, "w")
        await app.screen.workers.wait_for_complete()  # both are built in a worker thread
        await pilot.pause()
        messages = [n.message for n in app._notifications]
    written = sorted((tmp_path / "export").iterdir(), key=lambda p: p.suffix)
    assert [p.suffix for p in written] == [".docx", ".xlsx"]
    assert all(any(p.name in m.replace("\n", "") for m in messages) for p in written)  # each file named
    workbook = openpyxl.load_workbook(io.BytesIO(written[1].read_bytes()))
    steps = [row for row in workbook["Stappen"].iter_rows(min_row=2, values_only=True)]
    assert [row[5] for row in steps] == [s.description for s in services.steps(interview.id)]
    document = docx.Document(io.BytesIO(written[0].read_bytes()))
    assert [p.text for p in document.paragraphs if p.style.name == "Title"] == ["Samenvatting interview R02"]
    assert len(document.tables[0].rows) == 1 + 6 and len(document.inline_shapes) == 1


async def test_the_synthesis_screen_writes_the_study_in_word(services, tmp_path):
    interview = fill_debts_interview(services, steps=3)
    services.finish(interview.id)
    app = build_app(services)
    app.export_dir = tmp_path / "export"
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, "y")
        assert isinstance(app.screen, SummaryScreen)
        await press(pilot, "w")
        await app.screen.workers.wait_for_complete()
    (path,) = (tmp_path / "export").iterdir()
    assert "synthese" in path.name and path.suffix == ".docx"
    document = docx.Document(io.BytesIO(path.read_bytes()))
    titles = [p.text for p in document.paragraphs if p.style.name == "Title"]
    assert titles == ["Synthese onderzoek: Schuldhulpverlening"]
    codes = [row.cells[0].text for row in document.tables[0].rows[1:]]
    assert codes == ["R01", "R02"]  # the study's two completed interviews


def test_the_office_libraries_load_only_when_a_file_is_written():
    """openpyxl, python-docx and Pillow are heavy: importing the app, its screens and the CLI loads none of them."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import klantreis_tui.cli.commands, klantreis_tui.cli.office, klantreis_tui.ui.app, klantreis_tui.services\n"
        "import klantreis_tui.ui.screens.summary, klantreis_tui.services.office, klantreis_tui.services.word\n"
        "heavy = ['openpyxl', 'docx', 'PIL', 'lxml', 'klantreis_tui.formats.xlsx', 'klantreis_tui.formats.docx']\n"
        "print(' '.join(m for m in heavy if m in sys.modules) or 'none')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "none", result.stdout + result.stderr


async def test_an_export_folder_that_cannot_be_written_gives_a_message(services, tmp_path):
    interview = fill_debts_interview(services, steps=2)
    services.finish(interview.id)
    blocked = tmp_path / "geen-map"
    blocked.write_text("een bestand, geen map")
    app = build_app(services)
    app.export_dir = blocked
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "y")
        await press(pilot, "x")
        await app.screen.workers.wait_for_complete()
        await pilot.pause()
        errors = [n for n in app._notifications if n.severity == "error"]
        assert len(errors) == 1 and "Exporteren mislukt" in errors[0].message
        assert isinstance(app.screen, SummaryScreen)  # the app carries on
    assert blocked.read_text() == "een bestand, geen map"


async def test_an_export_in_the_worker_that_cannot_open_its_connection_is_a_message_not_the_end_of_the_app(
    services, tmp_path, monkeypatch
):
    """The worker exports (Excel, Word, REFI-QDA) open a connection of their own; a database that cannot be
    used there raises a StorageError, which must come back as a message: an exception out of a worker
    thread ends a Textual app."""
    from klantreis_tui.errors import StorageError

    interview = fill_debts_interview(services, steps=2)
    services.finish(interview.id)

    def locked(*args, **kwargs):
        raise StorageError("db.locked", "database is locked")

    monkeypatch.setattr(services, "export_write_up_apart", locked)
    monkeypatch.setattr(services, "export_research_file_apart", locked)
    app = build_app(services)
    app.export_dir = tmp_path / "export"
    async with app.run_test(size=(100, 30)) as pilot:
        await open_interview_summary(pilot, app, interview.id)
        assert isinstance(app.screen, SummaryScreen)
        for key in ("x", "w", "r"):
            await press(pilot, key)
            await app.screen.workers.wait_for_complete()
            await pilot.pause()
        assert app.is_running and isinstance(app.screen, SummaryScreen)
        failures = [n.message for n in app._notifications if n.severity == "error"]
    assert len(failures) == 3 and all(m.startswith("Exporteren mislukt: database is locked") for m in failures)
    assert not (tmp_path / "export").exists() or not any((tmp_path / "export").iterdir())
