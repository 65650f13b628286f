"""The app's start: the session's backup is made after the first frame, on a thread, before the first write."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from klantreis_tui.question_sets import bundled_dir
from klantreis_tui.services import Services, list_backups
from klantreis_tui.storage import StorageError
from klantreis_tui.storage import backup as backup_module
from klantreis_tui.ui.app import make_app
from klantreis_tui.ui.screens.home import HomeScreen


async def after_the_first_frame(app, pilot) -> None:  # type: ignore[no-untyped-def]
    """Until the app has begun what follows its first frame (the backup, the warm-up): a moment after the footer."""
    for _ in range(400):  # bounded: 20 s
        if app.past_first_frame:
            return
        await pilot.pause(0.05)
    raise AssertionError("the work after the first frame did not begin")


def database(tmp_path: Path) -> Path:
    path = tmp_path / "k.db"
    services = Services.open(path, [bundled_dir()])
    services.create_study("Schulden")
    services.close()
    return path


async def test_the_first_frame_does_not_wait_for_the_backup(tmp_path, monkeypatch):
    path = database(tmp_path)
    release = threading.Event()
    real = backup_module.make_backup

    def slow(db_path, keep=10, now=None):  # type: ignore[no-untyped-def]
        release.wait(10)
        return real(db_path, keep=keep, now=now)

    monkeypatch.setattr(backup_module, "make_backup", slow)
    services = Services.open(path, [bundled_dir()])
    app = make_app(services, backup_at_start=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "Schulden" in app.screen.query_one("#studies").get_row_at(0)[0]  # drawn while the copy waits
        await after_the_first_frame(app, pilot)
        assert app.backup_thread is not None and app.backup_thread.is_alive()
        assert list_backups(path) == []
        release.set()
        app.backup_thread.join(10)
        assert len(list_backups(path)) == 1
    services.close()


async def test_an_unchanged_database_is_not_copied_again(tmp_path):
    path = database(tmp_path)
    for _ in range(2):
        services = Services.open(path, [bundled_dir()])
        app = make_app(services, backup_at_start=True)
        async with app.run_test(size=(80, 24)) as pilot:
            await after_the_first_frame(app, pilot)
            app.backup_thread.join(10)
        services.close()
    assert len(list_backups(path)) == 1


async def test_a_backup_that_fails_is_said_on_screen(tmp_path, monkeypatch):
    path = database(tmp_path)

    def failing(db_path, keep=10, now=None):  # type: ignore[no-untyped-def]
        raise StorageError("backup.failed", path=db_path, folder=db_path.parent, error="No space left on device")

    monkeypatch.setattr(backup_module, "make_backup", failing)
    services = Services.open(path, [bundled_dir()])
    app = make_app(services, backup_at_start=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await after_the_first_frame(app, pilot)
        app.backup_thread.join(10)
        await pilot.pause()
        await pilot.pause()
        shown = [str(n.message) for n in app._notifications]
        assert any("No space left on device" in text and "LET OP" in text for text in shown), shown
    services.close()


async def test_a_large_study_is_listed_a_page_at_a_time_and_the_filter_sees_every_row(tmp_path, monkeypatch):
    from textual.widgets import DataTable

    from klantreis_tui.ui.screens import home
    from tests.benchmarks.synthetic import make_bundle

    monkeypatch.setattr(home, "PAGE", 8)
    path = tmp_path / "groot.db"
    services = Services.open(path, [bundled_dir()])
    services.import_bundle(make_bundle(30, steps_per_interview=2, seed=2))
    app = make_app(services)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#interviews", DataTable)
        pane = app.screen.query_one("#interviews-pane")
        assert table.row_count == 8 and pane.border_subtitle.split(" · ")[0] == "8 van 30"
        table.focus()
        for _ in range(6):  # near the end of the page: the next one comes
            await pilot.press("down")
        assert table.row_count == 16 and pane.border_subtitle.split(" · ")[0] == "16 van 30"
        await pilot.press("ctrl+end")  # to the bottom: the real end, not the end of the page
        await pilot.pause()
        assert table.row_count == 30 and table.cursor_row == 29 and "van 30" not in pane.border_subtitle
        # every row as the full records have it: code, question set, status, date and the steps of each page
        full = services.list_interviews(services.list_studies()[0].study.id)
        expected = [
            (r.respondent_code, r.interview.question_set_id, r.interview.status.value,
             r.interview.started_at.astimezone().strftime("%Y-%m-%d %H:%M"), str(r.step_count))
            for r in full
        ]
        assert [tuple(str(c) for c in table.get_row_at(i)) for i in range(30)] == expected
        assert {r.step_count for r in full} != {0}
        codes = sorted(row.respondent_code for row in services.list_interviews(services.list_studies()[0].study.id))
        last = codes[-1]
        app.screen.query_one("#filter").value = last  # a code that was not on the first page
        await pilot.pause()
        assert [table.get_row_at(i)[0] for i in range(table.row_count)] == [last]
    services.close()


def large_study(tmp_path, monkeypatch, rest_on_its_own: bool = False):  # type: ignore[no-untyped-def]
    """A study of 30 interviews with a table page of 8, its services, its id and the app over them; unless
    ``rest_on_its_own``, the rest of the study is never read after the first frame by itself."""
    from klantreis_tui.ui.screens import home
    from tests.benchmarks.synthetic import make_bundle

    monkeypatch.setattr(home, "PAGE", 8)
    services = Services.open(tmp_path / "groot.db", [bundled_dir()])
    services.import_bundle(make_bundle(30, steps_per_interview=2, seed=2))
    app = make_app(services)
    if not rest_on_its_own:
        monkeypatch.setattr(app, "_after_first_frame", lambda: None)
    return services, services.list_studies()[0].study.id, app


async def test_before_the_first_frame_only_the_first_page_of_a_large_study_is_read(tmp_path, monkeypatch):
    from textual.widgets import DataTable

    from klantreis_tui.services.home_rows import HomeRows

    reads: list[tuple[int | None, int, bool]] = []  # (limit, rows read, past the first frame)
    real = HomeRows.interviews

    def counted(self, study_id, limit=None):  # type: ignore[no-untyped-def]
        rows = real(self, study_id, limit)
        reads.append((limit, len(rows), app.past_first_frame))
        return rows

    monkeypatch.setattr(HomeRows, "interviews", counted)
    services, study_id, app = large_study(tmp_path, monkeypatch, rest_on_its_own=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        table = screen.query_one("#interviews", DataTable)
        pane = screen.query_one("#interviews-pane")
        assert reads[0] == (8, 8, False)  # the first frame: one page read, of a study of 30
        assert table.row_count == 8 and pane.border_subtitle.split(" · ")[0] == "8 van 30"
        shown = [table.get_row_at(i) for i in range(8)]
        await after_the_first_frame(app, pilot)
        assert reads[1] == (None, 30, True)  # the rest, after it
        assert len(screen._matching) == 30 and screen._partial is None
        assert [table.get_row_at(i) for i in range(8)] == shown and pane.border_subtitle.split(" · ")[0] == "8 van 30"
        full = [r.interview.id for r in services.list_interviews(study_id)]
        assert [row.id for _, row in screen._matching] == full  # the page and the rest in the one order
    services.close()


async def test_a_filter_typed_before_the_rest_is_read_searches_every_row(tmp_path, monkeypatch):
    from textual.widgets import DataTable

    services, study_id, app = large_study(tmp_path, monkeypatch)
    last = services.list_interviews(study_id)[-1]
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        table = screen.query_one("#interviews", DataTable)
        assert screen._partial == study_id and table.row_count == 8
        screen.query_one("#filter").value = last.respondent_code  # a code beyond the first page
        await pilot.pause()
        assert [table.get_row_at(i)[0] for i in range(table.row_count)] == [last.respondent_code]
        assert screen._partial is None
    services.close()


async def test_rows_changed_between_the_first_page_and_the_rest_are_listed_anew(tmp_path, monkeypatch):
    from textual.widgets import DataTable

    services, study_id, app = large_study(tmp_path, monkeypatch)
    monkeypatch.setattr(HomeScreen, "follow_other_windows", lambda self: None)  # this path only
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        table = screen.query_one("#interviews", DataTable)
        assert table.row_count == 8
        other = Services.open(tmp_path / "groot.db", [bundled_dir()])  # another window starts an interview meanwhile
        started = other.start_interview(study_id, respondent_code="R99", question_set_id=other.question_sets()[0].id)
        other.close()
        assert screen.read_every_row() is True  # listed anew
        await pilot.pause()
        assert table.get_row_at(0)[0] == "R99"  # unfinished: first
        assert len(screen._matching) == 31 and pane_total(screen) == "8 van 31"
        assert started.id == table.coordinate_to_cell_key((0, 0)).row_key.value
    services.close()


@pytest.mark.parametrize("key", ["down", "ctrl+end"])
async def test_the_cursor_at_the_end_of_the_first_page_reads_the_rest_first(tmp_path, monkeypatch, key):
    from textual.widgets import DataTable

    services, _, app = large_study(tmp_path, monkeypatch)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        table = screen.query_one("#interviews", DataTable)
        table.focus()
        assert screen._partial and table.row_count == 8
        for _ in range(6 if key == "down" else 1):
            await pilot.press(key)
        await pilot.pause()
        assert screen._partial is None and len(screen._matching) == 30
        if key == "down":  # near the end of the page: the next page, as with every row read
            assert table.row_count == 16 and table.cursor_row == 6 and pane_total(screen) == "16 van 30"
        else:  # the real end
            assert table.row_count == 30 and table.cursor_row == 29
    services.close()


def pane_total(screen) -> str:  # type: ignore[no-untyped-def]
    return screen.query_one("#interviews-pane").border_subtitle.split(" · ")[0]


def test_the_command_line_does_not_scan_for_pydantic_plugins(tmp_path):
    import os
    import subprocess
    import sys

    code = (
        "import contextlib, io\n"
        "from klantreis_tui.cli import commands\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    commands.main(['--db', {str(tmp_path / 'k.db')!r}, 'question-sets', 'list'])\n"
        "from pydantic.plugin import _loader\n"
        "print(_loader._plugins)\n"  # None: the entry points were never scanned
    )
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert result.stdout.strip() == "None", result.stderr


def test_the_first_frame_loads_none_of_what_only_later_screens_need(tmp_path):
    import subprocess
    import sys

    path = database(tmp_path)
    code = f"""
import asyncio, sys
from pathlib import Path
from klantreis_tui.cli import commands
from klantreis_tui.services import Services
from klantreis_tui.ui import app as app_module

loaded = {{}}
app_module.KlantreisApp._after_first_frame = lambda self: loaded.update(modules=set(sys.modules))

async def start():
    services = Services.open({str(path)!r}, [Path({str(bundled_dir())!r})])
    app = app_module.make_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(400):  # bounded: until the work after the first frame would begin
            if loaded:
                break
            await pilot.pause(0.05)
    services.close()

asyncio.run(start())
later = ["yaml", "sqlite_utils", "click", "pluggy", "jinja2", "markdown_it", "klantreis_tui.question_sets",
         "klantreis_tui.assist", "klantreis_tui.pii", "klantreis_tui.rendering", "klantreis_tui.ui.screens.interview",
         "klantreis_tui.ui.screens.summary", "klantreis_tui.ui.dialogs.forms"]
print(" ".join(m for m in later if m in loaded["modules"]) or "none")
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "none", result.stdout + result.stderr


def test_a_key_typed_while_the_word_lists_load_waits_for_that_load(tmp_path, monkeypatch):
    from klantreis_tui import assist

    path = database(tmp_path)
    services = Services.open(path, [bundled_dir()])
    entered, release = threading.Event(), threading.Event()
    calls: list[int] = []
    real = assist.Assistant.load

    def slow_load(folders):  # type: ignore[no-untyped-def]
        calls.append(1)
        entered.set()
        release.wait(10)
        return real(folders)

    monkeypatch.setattr(assist.Assistant, "load", staticmethod(slow_load))
    study_id = services.list_studies()[0].study.id
    loaded: list[object] = []
    opening = threading.Thread(target=lambda: loaded.append(services.assistant(study_id)))
    opening.start()  # as the interview screen does when it opens
    assert entered.wait(10)
    threading.Timer(0.2, release.set).start()
    first_key = services.assistant(study_id)  # the first key, while the lists are still being read
    opening.join(10)
    services.close()
    assert calls == [1]
    assert loaded == [first_key]


async def test_after_the_first_frame_the_app_loads_what_the_first_summary_needs(tmp_path, monkeypatch):
    from klantreis_tui import pii
    from klantreis_tui.rendering import templates

    path = database(tmp_path)
    pii.names.not_names.cache_clear()  # as in a fresh process: nothing of the summary loaded yet
    templates._environment.cache_clear()
    services = Services.open(path, [bundled_dir()])
    interview = services.start_interview(services.list_studies()[0].study.id, "vng-algemeen")
    app = make_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(500):  # bounded: until the warm-up after the first frame is done
            await pilot.pause()
            if getattr(services, "summaries_warm", False):
                break
        assert services.summaries_warm
    built = pii.names.not_names.cache_info().misses
    compiled = templates.environment().cache
    assert compiled is not None and any("interview.md.j2" in str(key) for key in compiled.keys())
    assert "CONCEPT" in services.interview_summary(interview.id, "md")
    assert pii.names.not_names.cache_info().misses == built  # the name lists were read before, not now
    services.close()


def _studies_in(path: Path) -> list[str]:
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        return sorted(row[0] for row in conn.execute("SELECT title FROM studies"))
    finally:
        conn.close()


def _slow_backups(monkeypatch) -> threading.Event:  # type: ignore[no-untyped-def]
    """Backups wait for the returned event (as a copy of a large file takes its time)."""
    release = threading.Event()
    real = backup_module.make_backup

    def slow(db_path, keep=10, now=None):  # type: ignore[no-untyped-def]
        release.wait(10)
        return real(db_path, keep=keep, now=now)

    monkeypatch.setattr(backup_module, "make_backup", slow)
    return release


async def test_over_an_opened_database_the_first_write_waits_for_the_backup(tmp_path, monkeypatch):
    from klantreis_tui.services.opening import Opening

    path = database(tmp_path)
    release = _slow_backups(monkeypatch)
    opening = Opening(path, [bundled_dir()])
    app = make_app(opening, backup_at_start=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Schulden" in app.screen.query_one("#studies").get_row_at(0)[0]
        await after_the_first_frame(app, pilot)
        await app.workers.wait_for_complete()  # the warm-up after the first frame made the services
        assert opening.loaded and app.backup_thread is not None and app.backup_thread.is_alive()
        assert list_backups(path) == []
        threading.Timer(0.3, release.set).start()
        app.services.create_study("Nieuw")  # the first write: waits until the backup is made
        backups = list_backups(path)
        assert len(backups) == 1
        assert _studies_in(backups[0].path) == ["Schulden"]  # made before the write
        assert _studies_in(path) == ["Nieuw", "Schulden"]
    opening.close()


async def test_a_write_before_the_warm_up_made_the_services_waits_for_the_backup_too(tmp_path, monkeypatch):
    from klantreis_tui.services.opening import Opening

    path = database(tmp_path)
    release = _slow_backups(monkeypatch)
    loading = threading.Event()
    monkeypatch.setattr(Opening, "load", staticmethod(lambda: loading.wait(10)))  # the warm-up still importing
    opening = Opening(path, [bundled_dir()])
    app = make_app(opening, backup_at_start=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await after_the_first_frame(app, pilot)
        assert not opening.loaded and app.backup_thread is None
        threading.Timer(0.3, release.set).start()
        app.services.create_study("Nieuw")  # a key that needs the services: they are made now, the backup first
        assert app.backup_thread is not None
        backups = list_backups(path)
        assert len(backups) == 1 and _studies_in(backups[0].path) == ["Schulden"]
        assert _studies_in(path) == ["Nieuw", "Schulden"]
        loading.set()
        await app.workers.wait_for_complete()
    opening.close()


def test_the_services_over_an_opening_are_the_instance_its_home_rows_know(tmp_path):
    from klantreis_tui.services.opening import Opening

    path = database(tmp_path)
    opening = Opening(path, [bundled_dir()])
    services = opening.services()
    interview = services.start_interview(services.list_studies()[0].study.id, "vng-algemeen")
    assert services.claim_interview(interview.id) is None
    assert opening.home.busy_interviews() == {}  # our own claim: not "in use" on the home screen
    other = Services.open(path, [bundled_dir()])
    assert interview.id in other.busy_interviews()  # another window's claim is
    other.close()
    opening.close()


def test_the_command_line_draws_the_first_frame_without_the_models(tmp_path):
    import os
    import subprocess
    import sys

    path = database(tmp_path)
    code = f"""
import asyncio, sys
from klantreis_tui.cli import commands
from klantreis_tui.ui import app as app_module

seen = {{}}
first_frame = app_module.KlantreisApp._after_first_frame

def after_first_frame(self):
    seen["modules"] = set(sys.modules)
    first_frame(self)

def run(self, *args, **kwargs):
    async def headless():
        async with self.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            seen["study"] = str(self.screen.query_one("#studies").get_row_at(0)[0])
            for _ in range(400):  # bounded: until the warm-up after the first frame began
                if self.past_first_frame:
                    break
                await pilot.pause(0.05)
            await self.workers.wait_for_complete()
            seen["made"] = self._opening.loaded
    asyncio.run(headless())

app_module.KlantreisApp._after_first_frame = after_first_frame
app_module.KlantreisApp.run = run
commands.main(["--db", {str(path)!r}])
later = ["pydantic", "sqlite_utils", "click", "yaml", "jinja2", "markdown_it", "klantreis_tui.models.records",
         "klantreis_tui.models.question_set", "klantreis_tui.services.facade", "klantreis_tui.storage.store",
         "klantreis_tui.question_sets", "klantreis_tui.engine"]
print(" ".join(m for m in later if m in seen["modules"]) or "none", seen["study"], seen["made"])
"""
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_DATA_HOME": str(tmp_path / "data")}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert result.stdout.split() == ["none", "Schulden", "True"], result.stdout + result.stderr


def test_the_home_rows_follow_the_store_when_it_opens_its_connection_again(tmp_path):
    """After a refused write the store opens its connection again: the home screen reads over the new one."""
    from klantreis_tui.services.opening import Opening

    path = database(tmp_path)
    opening = Opening(path, [bundled_dir()])
    services = opening.services()
    services.store._reopen()  # as the next save does after a write refused as read-only
    assert [row.title for row in opening.home.studies()] == ["Schulden"]
    assert opening.home.data_version() > 0
    assert [row.title for row in services.home_rows().studies()] == ["Schulden"]
    opening.close()


async def test_a_filter_typed_in_one_go_after_the_slash_goes_into_the_filter(tmp_path):
    """"/r1" read in one piece (typed quickly, or pasted): the "r" is not Resume and nothing goes to the list."""
    from textual import events

    path = tmp_path / "k.db"
    services = Services.open(path, [bundled_dir()])
    study = services.create_study("Schulden")
    services.start_interview(study.id, question_set_id=services.question_sets()[0].id)  # unfinished: r would open it
    app = make_app(services)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and app.focused.id == "studies"
        for key, character in (("slash", "/"), ("r", "r"), ("1", "1")):  # as the driver hands them on: at once
            app.post_message(events.Key(key, character))
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)  # no interview resumed
        assert app.focused.id == "filter" and app.screen.query_one("#filter").value == "r1"
        for key, character in (("slash", "/"), ("x", "x")):  # a "/" in the filter is a character of it
            app.post_message(events.Key(key, character))
        await pilot.pause()
        assert app.screen.query_one("#filter").value == "r1/x"
    services.close()
