"""The escape bundle on a terminal: ``klantreis import`` and ``klantreis summary`` in a pseudo-terminal send no
byte of its escape sequences; in the app (Pilot) the summary screen, the step editor, the start form and the
notifications show them as symbols, and saving the step editor untouched keeps the stored text."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pexpect
import pyte
from textual.widgets import Input, TextArea

from klantreis_tui.exchange import read_bundle
from klantreis_tui.question_sets import bundled_dir, load_catalog
from klantreis_tui.safetext import visible
from klantreis_tui.services import Services
from klantreis_tui.storage import Store
from klantreis_tui.ui.dialogs.step_editor import StepEditor
from klantreis_tui.ui.screens.summary import SummaryScreen
from klantreis_tui.ui.widgets.markdown_view import MarkdownView
from tests.bundles.hostile import make_hostile as hostile
from tests.test_hostile_bundles import HOSTILE, sets_dir
from tests.uihelpers import build_app, press

ESCAPES = HOSTILE / "escapes.json"
#: the bytes of the bundle's sequences that a terminal would act on: ESC ] (window title, clipboard), ESC [ 2 J,
#: the one-byte CSI (U+009B as UTF-8), BEL, the right-to-left override
DATA_BYTES = [b"\x1b]0;gehackt", b"\x1b]52;", b"\x1b[2J", "\x9b".encode(), b"\x07", "\u202e".encode()]
RAW = ["\x1b", "\x9b", "\x07", "\u202e"]


def run_in_pty(args: list[str], cwd: Path) -> tuple[bytes, pyte.Screen, int]:
    """Run klantreis in a pseudo-terminal until it exits: every byte it wrote, the screen, the exit status."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KLANTREIS_")}
    env.update(HOME=str(cwd / "home"), XDG_DATA_HOME=str(cwd / "home" / "data"), TERM="xterm-256color")
    child = pexpect.spawn(sys.executable, ["-m", "klantreis_tui", *args], env=env, cwd=str(cwd), dimensions=(40, 200))
    screen = pyte.Screen(200, 40)
    stream = pyte.ByteStream(screen)
    output = b""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            data = child.read_nonblocking(65536, timeout=1)
        except pexpect.TIMEOUT:
            continue
        except pexpect.EOF:
            break
        output += data
        stream.feed(data)
    child.close()
    return output, screen, child.exitstatus


def test_import_and_summary_in_a_terminal_send_no_escape_byte(tmp_path):
    common = ["--db", str(tmp_path / "k.db"), "--question-sets", str(sets_dir(tmp_path))]
    output, screen, status = run_in_pty(["import", str(ESCAPES), *common], tmp_path)
    assert status == 0, output
    assert "WAARSCHUWING" in output.decode("utf-8")
    assert b"\x1b" not in output and not any(seq in output for seq in DATA_BYTES)
    output, screen, status = run_in_pty(["summary", "--keep-personal-data", *common], tmp_path)
    assert status == 0, output
    assert b"\x1b" not in output, output[output.find(b"\x1b") - 40 : output.find(b"\x1b") + 40]
    assert not any(seq in output for seq in DATA_BYTES)
    shown = "\n".join(screen.display)
    assert "␛[2J␛]0;gehackt␇" in shown or "␛[2J␛]0;gehackt␇" in output.decode("utf-8")


def escape_services(tmp_path: Path) -> Services:
    services = Services(Store.open(tmp_path / "k.db"), load_catalog([bundled_dir(), sets_dir(tmp_path)]), None)
    services.import_bundle(read_bundle(ESCAPES))
    return services


def screen_rows(app) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


async def shown_on_screen(pilot, text: str) -> list[str]:
    """The screen's rows once ``text`` is on them (the Markdown widget and toasts render after their update:
    the app is let work until then, a bounded number of times)."""
    for _ in range(100):
        rows = screen_rows(pilot.app)
        if any(text in row for row in rows):
            return rows
        await pilot.pause()
    raise AssertionError(f"{text!r} never shown:\n" + "\n".join(rows))


async def test_summary_screen_shows_escape_sequences_as_symbols(tmp_path):
    services = escape_services(tmp_path)
    try:
        first = services.select_interviews()[0]
        app = build_app(services)
        async with app.run_test(size=(100, 30)) as pilot:
            app.open_summary([first], study=False)
            await pilot.pause()
            assert isinstance(app.screen, SummaryScreen)
            source = app.screen.query_one(MarkdownView).source
            assert not any(ch in source for ch in RAW)
            assert "␛[2J␛]0;gehackt␇" in source
            rows = await shown_on_screen(pilot, "␛[2J")
            assert not any(ch in row for row in rows for ch in RAW)
    finally:
        services.close()


async def test_step_editor_shows_symbols_and_keeps_untouched_text(tmp_path):
    services = escape_services(tmp_path)
    try:
        interview = services.select_interviews()[0]
        step = services.steps(interview)[0]
        assert hostile.ESCAPES in step.description
        app = build_app(services)
        results: list[dict] = []
        async with app.run_test(size=(100, 30)) as pilot:
            app.push_screen(StepEditor(step), results.append)
            await pilot.pause()
            editor = app.screen
            description = editor.query_one("#step-description", Input)
            assert description.value == visible(step.description, multiline=False)
            assert "␛]52;c;" in description.value and not any(ch in description.value for ch in RAW)
            quotes = editor.query_one("#step-quotes", TextArea)
            assert not any(ch in quotes.text for ch in RAW) and "␛[2J" in quotes.text
            rows = screen_rows(app)
            assert not any(ch in row for row in rows for ch in RAW)
            await press(pilot, "ctrl+s")  # saved untouched: the stored text comes back, not the symbols
            assert results[0]["description"] == step.description.strip()
            assert results[0]["quotes"] == [q.strip() for q in step.quotes]
            app.push_screen(StepEditor(step), results.append)
            await pilot.pause()
            app.screen.query_one("#step-description", Input).value = "Nieuwe omschrijving"
            await press(pilot, "ctrl+s")
            assert results[1]["description"] == "Nieuwe omschrijving"
            assert results[1]["pain_point"] == step.pain_point.strip()
    finally:
        services.close()


async def test_notifications_and_home_show_symbols(tmp_path):
    services = escape_services(tmp_path)
    try:
        app = build_app(services)
        async with app.run_test(size=(100, 30)) as pilot:
            title = services.list_studies()[0].study.title
            app.notify(f"Geëxporteerd: {title}")
            rows = await shown_on_screen(pilot, "␛[2J")
            assert not any(ch in row for row in rows for ch in RAW)
    finally:
        services.close()
