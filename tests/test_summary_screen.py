"""The summary screen in the app: rendered draft, export from there."""

from __future__ import annotations

from klantreis_tui.ui.screens.summary import SummaryScreen
from klantreis_tui.ui.widgets.markdown_view import MarkdownView
from tests.test_snapshots import fill_debts_interview
from tests.uihelpers import build_app, open_interview_summary, press


def markdown_source(app) -> str:
    return app.screen.query_one(MarkdownView).source


async def test_interview_summary_shown_and_exported(services, tmp_path):
    interview = fill_debts_interview(services, steps=6)
    services.finish(interview.id)
    app = build_app(services)
    app.export_dir = tmp_path / "export"
    async with app.run_test(size=(100, 30)) as pilot:
        await open_interview_summary(pilot, app, interview.id)
        assert isinstance(app.screen, SummaryScreen)
        source = markdown_source(app)
        assert "CONCEPT" in source and "R02" in source
        assert "Loonbeslag tijdens het traject" in source
        await press(pilot, "m")
        await press(pilot, "h")
        await press(pilot, "b")
    # each export stamps its own minute into its name: sort by kind, as the minute may turn between two exports
    files = [p.name for p in (tmp_path / "export").iterdir()]
    assert sorted(f.rsplit(".", 1)[1] for f in files) == ["html", "json", "md"]
    md = next((tmp_path / "export").glob("*.md")).read_text(encoding="utf-8")
    assert md == services.interview_summary(interview.id, "md")
    html = next((tmp_path / "export").glob("*.html")).read_text(encoding="utf-8")
    assert "<svg" in html


async def test_study_synthesis_from_home(services, tmp_path):
    interview = fill_debts_interview(services, steps=3)
    services.finish(interview.id)
    app = build_app(services)
    app.export_dir = tmp_path / "export"
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, "y")
        assert isinstance(app.screen, SummaryScreen)
        source = markdown_source(app)
        # the synthesis covers the two completed interviews of the study (R01 and R02)
        assert "Schuldhulpverlening" in source
        await press(pilot, "escape")
        assert not isinstance(app.screen, SummaryScreen)


async def test_the_line_above_names_every_export_key_on_one_line_at_80_columns(services, english):
    """It named only m, h and b (and p) while w, x, r and c export too; the synthesis's line took two rows."""
    from textual.widgets import Static

    from klantreis_tui.i18n import set_language

    interview = fill_debts_interview(services, steps=3)
    services.finish(interview.id)
    for lang in ("nl", "en"):
        set_language(lang)
        for key in ("v", "y"):
            app = build_app(services, lang)
            async with app.run_test(size=(80, 24)) as pilot:
                if key == "v":
                    await press(pilot, "tab")
                await press(pilot, key)
                assert isinstance(app.screen, SummaryScreen)
                title = app.screen.query_one("#summary-title", Static)
                text = str(title.render())
                assert "m/h/w/x/b/r/c" in text and "F1" in text, (lang, key, text)
                assert ("p poster" in text) == (key == "v")
                assert title.region.height == 1, (lang, key, text)
