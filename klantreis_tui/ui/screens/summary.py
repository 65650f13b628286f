"""The summary screen: the draft write-up of an interview or the synthesis of a study, with export."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Markdown, Static

from klantreis_tui.errors import TemplateProblem
from klantreis_tui.i18n import current_language, t
from klantreis_tui.safetext import visible
from klantreis_tui.services import Services
from klantreis_tui.ui.keys import N_, word_bindings
from klantreis_tui.ui.widgets.footer import StableFooter


class SummaryScreen(Screen[None]):
    """Shows the rendered Markdown; exports Markdown, HTML or a JSON bundle to the export folder."""

    BINDINGS = [
        Binding("m", "export('md')", N_('Markdown'), id="summary.export_md"),
        Binding("h", "export('html')", N_('HTML'), id="summary.export_html"),
        Binding("b", "export('json')", N_('Bundle'), id="summary.export_bundle"),
        Binding("escape,q", "close", N_('Close'), id="summary.close"),
    ]

    def __init__(self, services: Services, interview_ids: list[str], study: bool, export_dir: Path):
        lang = current_language()
        super().__init__()
        self.services = services
        self.interview_ids = interview_ids
        self.study = study
        self.lang = lang
        word_bindings(self)
        self.export_dir = export_dir

    def compose(self) -> ComposeResult:
        yield Static("", id="summary-title")
        yield Markdown(id="summary")
        yield StableFooter()

    def render_text(self, fmt: str) -> str:
        return self.services.summary_text(self.interview_ids, fmt, synthesis=self.study)

    def on_mount(self) -> None:
        try:
            text = self.render_text("md")
        except (TemplateProblem, ValueError) as exc:
            text = f"**{t('The summary could not be made')}**\n\n```\n{exc}\n```"
        self.query_one("#summary-title", Static).update(
            t('Synthesis of the study (completed interviews): m, h or b exports, Esc closes' if self.study else 'Draft summary of the interview: m, h or b exports, Esc closes')
        )
        self.query_one(Markdown).update(visible(text))
        self.query_one(Markdown).focus()

    def action_export(self, fmt: str) -> None:
        try:
            path = self.services.export_write_up(self.interview_ids, self.study, fmt, self.export_dir)
        except (OSError, TemplateProblem, ValueError) as exc:
            self.notify(t('Export failed: {error}', error=exc), severity="error")
            return
        self.notify(t('Exported to {path}', path=path), timeout=8)

    def action_close(self) -> None:
        self.dismiss()
