"""The study synthesis is built in a worker: a loading indicator meanwhile, the text when it is ready, and Esc
closes the screen at once while it is still being built."""

from __future__ import annotations

import threading

from textual.widgets import LoadingIndicator

from klantreis_tui.services import Services
from klantreis_tui.ui.screens.summary import SummaryScreen
from klantreis_tui.ui.widgets.markdown_view import MarkdownView
from tests.test_themes import fill
from tests.uihelpers import build_app, press


async def test_synthesis_appears_after_the_loading_indicator(services: Services):
    study_id = fill(services)
    ids = services.select_interviews(study=study_id)
    release = threading.Event()
    built = services.summary_text_apart

    def slow(interview_ids, synthesis=False):  # type: ignore[no-untyped-def]
        release.wait(10)
        return built(interview_ids, synthesis=synthesis)

    services.summary_text_apart = slow  # type: ignore[method-assign]
    app = build_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_summary(ids, study=True)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SummaryScreen)
        view = screen.query_one(MarkdownView)
        assert screen.query_one(LoadingIndicator).display and view.source == ""
        assert view.styles.visibility == "hidden"
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not screen.query_one(LoadingIndicator).display and view.styles.visibility == "visible"
        assert "lang wachten" in view.source
        assert any("lang wachten" in row for row in view.document.plain_rows())


async def test_escape_closes_the_screen_while_the_synthesis_is_built(services: Services):
    study_id = fill(services)
    ids = services.select_interviews(study=study_id)
    release = threading.Event()
    calls: list[str] = []

    def slow(interview_ids, synthesis=False):  # type: ignore[no-untyped-def]
        release.wait(10)
        calls.append("built")
        return "# late"

    services.summary_text_apart = slow  # type: ignore[method-assign]
    app = build_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_summary(ids, study=True)
        await pilot.pause()
        await press(pilot, "escape")
        assert not isinstance(app.screen, SummaryScreen)  # at once, while the worker still waits
        assert calls == []
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert calls == ["built"] and not isinstance(app.screen, SummaryScreen)


async def test_the_beginning_of_a_long_synthesis_is_shown_while_the_rest_is_read(services: Services, monkeypatch):
    from klantreis_tui.ui.screens import summary

    study_id = fill(services)
    ids = services.select_interviews(study=study_id)
    text = services.summary_text_apart(ids, synthesis=True)
    longer = text + "\n\n" + "\n\n".join(f"- R{n:04d}, stap 3: lang wachten op een besluit" for n in range(3000))
    services.summary_text_apart = lambda interview_ids, synthesis=False: longer  # type: ignore[method-assign]
    release = threading.Event()
    read: list[int] = []
    parse = summary.parse

    def slow_parse(markdown):  # type: ignore[no-untyped-def]
        read.append(len(markdown))
        if len(read) == 2:  # the whole text waits until the test has seen its beginning
            release.wait(10)
        return parse(markdown)

    monkeypatch.setattr(summary, "parse", slow_parse)
    app = build_app(services)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_summary(ids, study=True)
        await pilot.pause()
        screen = app.screen
        view = screen.query_one(MarkdownView)
        for _ in range(500):  # bounded: the beginning comes after the first parse
            if view.source:
                break
            await pilot.pause(0.01)
        assert read[0] < len(longer) and longer.startswith(view.source) and view.source != longer
        assert not screen.query_one(LoadingIndicator).display and view.styles.visibility == "visible"
        assert any("lang wachten" in row or "Synthese" in row for row in view.document.plain_rows())
        view.scroll_to(0, 5, animate=False, immediate=True)
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert read == [read[0], len(longer)] and view.source == longer
        assert view.scroll_y == 5  # the reader kept their place
        assert any("R2999" in row for row in view.document.plain_rows())
