"""The summary screen: the draft write-up of an interview or the synthesis of a study, with export."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import LoadingIndicator, Static
from textual.worker import get_current_worker

from klantreis_tui.errors import KlantreisError, TemplateProblem
from klantreis_tui.i18n import current_language, t
from klantreis_tui.safetext import visible
from klantreis_tui.services import Services, gc_paused
from klantreis_tui.ui.keys import N_, word_bindings
from klantreis_tui.ui.markdown_lines import Document
from klantreis_tui.ui.markdown_reader import head, parse
from klantreis_tui.ui.widgets.footer import StableFooter
from klantreis_tui.ui.widgets.markdown_view import MarkdownView


class SteadyLoading(LoadingIndicator):
    """Textual's loading indicator drawn 4 times a second instead of 16: each frame needs the interpreter,
    which the worker building the synthesis needs more (the dots still move)."""

    @property
    def auto_refresh(self) -> float | None:
        return LoadingIndicator.auto_refresh.fget(self)  # type: ignore[attr-defined]

    @auto_refresh.setter
    def auto_refresh(self, interval: float | None) -> None:  # the indicator's own mount handler sets 1/16
        LoadingIndicator.auto_refresh.fset(self, None if interval is None else max(interval, 1 / 4))  # type: ignore[attr-defined]


class SummaryScreen(Screen[None]):
    """Shows the rendered Markdown (in a view that draws only the rows on screen, so that the synthesis of a
    thousand interviews shows as fast as one summary); exports Markdown, HTML, Word, a JSON bundle, an Excel
    workbook, a REFI-QDA project or codebook, or the interview's poster to the export folder."""

    BINDINGS = [
        Binding("m", "export('md')", N_('Markdown'), id="summary.export_md", show=False),
        Binding("h", "export('html')", N_('HTML'), id="summary.export_html"),
        Binding("b", "export('json')", N_('Bundle'), id="summary.export_bundle", show=False),
        Binding("r", "export_research('qdpx')", N_('QDA project'), id="summary.export_qdpx"),
        Binding("c", "export_research('qdc')", N_('Codebook (QDA)'), id="summary.export_qdc", show=False),
        Binding("p", "poster", N_('Poster'), id="summary.poster"),
        Binding("x", "export('xlsx')", N_('Excel'), id="summary.export_xlsx"),
        Binding("w", "export('docx')", N_('Word'), id="summary.export_docx"),
        Binding("escape,q", "close", N_('Close'), id="summary.close"),
        # the arrows, PageUp/PageDown and Home/End scroll the text (keys of the scrolling area); Space too
        Binding("space", "page('down')", N_('Next page'), id="summary.page_down", show=False),
        Binding("shift+space", "page('up')", N_('Previous page'), id="summary.page_up", show=False),
        Binding("f1", "app.help", N_('Help'), id="summary.help", show=False),
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
        loading = SteadyLoading(id="summary-loading")
        loading.display = False
        yield loading
        yield MarkdownView(id="summary-scroll")
        yield StableFooter()

    def render_text(self, fmt: str) -> str:
        return self.services.summary_text(self.interview_ids, fmt, synthesis=self.study)

    def on_mount(self) -> None:
        self.query_one("#summary-title", Static).update(
            # one line at 80 columns, naming every export key (esc is in the footer)
            t('Study synthesis (completed interviews) · m/h/w/x/b/r/c export · F1 all keys') if self.study
            else t('Interview summary (draft) · m/h/w/x/b/r/c export · p poster · F1 all keys')
        )
        self.view = view = self.query_one(MarkdownView)
        view.focus()
        if not self.study:
            view.update(visible(self.render_text_or_problem()))
            return
        # a study's synthesis can take a while: built, read and laid out in a worker thread, the screen stays
        # responsive and Esc closes it at once (the worker's result is then dropped)
        self.query_one(LoadingIndicator).display = True
        view.styles.visibility = "hidden"  # keeps its place, so its width is known to the worker
        self.run_worker(self._build_synthesis, thread=True, exclusive=True, group="synthesis")

    def render_text_or_problem(self) -> str:
        try:
            return self.render_text("md")
        except (TemplateProblem, ValueError) as exc:
            return f"**{t('The summary could not be made')}**\n\n```\n{exc}\n```"

    def _build_synthesis(self) -> None:
        worker = get_current_worker()
        try:
            text = self.services.summary_text_apart(self.interview_ids, synthesis=True)
        except (KlantreisError, ValueError) as exc:  # its own connection may fail too: never out of the worker
            text = f"**{t('The summary could not be made')}**\n\n```\n{exc}\n```"
        if worker.is_cancelled:
            return
        text = visible(text)
        # the first screens are shown as soon as they are read, while the rest (a thousand interviews: tens of
        # thousands of lines) is read and laid out; the beginning read alone gives the same rows
        beginning = head(text, 2 * max(24, self.view.size.height))
        if beginning is not None:
            document = parse(beginning)
            document.layout(self.view.text_width)
            if worker.is_cancelled:
                return
            self.app.call_from_thread(self.show_document, document)
        with gc_paused():  # tens of thousands of small objects, no cycles: the collector would find nothing
            document = parse(text)
            if worker.is_cancelled:
                return
            document.layout(self.view.text_width)
        if not worker.is_cancelled:
            self.app.call_from_thread(self.show_document, document, beginning is not None)

    def show_document(self, document: Document, rest: bool = False) -> None:
        """Show the synthesis read on the worker: its beginning, or all of it (``rest``: after its beginning,
        the reader keeps their place)."""
        if not self.is_attached:
            return
        self.query_one(LoadingIndicator).display = False
        view = self.query_one(MarkdownView)
        view.styles.visibility = "visible"
        view.show(document, keep_place=rest)  # laid out already unless the width changed meanwhile

    def action_page(self, direction: str) -> None:
        scroll = self.query_one(MarkdownView)
        if direction == "down":
            scroll.scroll_page_down(animate=False)
        else:
            scroll.scroll_page_up(animate=False)

    def action_export(self, fmt: str) -> None:
        if fmt in ("xlsx", "docx"):  # a whole study takes a moment: built in a worker over its own connection
            self._export_in_worker(
                lambda: self.services.export_write_up_apart(self.interview_ids, self.study, fmt, self.export_dir),
                "office-export",
            )
            return
        try:
            path = self.services.export_write_up(self.interview_ids, self.study, fmt, self.export_dir)
        except (OSError, KlantreisError, ValueError) as exc:
            self.notify(t('Export failed: {error}', error=exc), severity="error")
            return
        self.notify(t('Exported to {path}', path=path), timeout=8)

    def action_export_research(self, fmt: str) -> None:
        """The interview (or the study's interviews) as a REFI-QDA project, or their codes as a codebook: built
        in a worker thread (a whole study takes a moment); the message comes when the file is written."""
        self._export_in_worker(
            lambda: self.services.export_research_file_apart(self.interview_ids, self.study, fmt, self.export_dir),
            "research-export",
        )

    def _export_in_worker(self, write: Callable[[], Path], group: str) -> None:
        """Run ``write`` (an export over its own connection) on a thread; the message where the file went, or
        why it was not written, comes on the app, also when this screen was closed meanwhile. Every refusal of
        ours is caught: an exception leaving the worker would end the app."""
        app = self.app

        def work() -> None:
            try:
                path = write()
            except (OSError, KlantreisError, ValueError) as exc:
                app.call_from_thread(app.notify, visible(t('Export failed: {error}', error=exc)), severity="error")
                return
            app.call_from_thread(app.notify, visible(t('Exported to {path}', path=path)), timeout=8)

        self.run_worker(work, thread=True, group=group)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The poster is drawn for one interview: not offered on a study's synthesis."""
        if action == "poster" and self.study:
            return False
        return True

    def action_poster(self) -> None:
        """Write the interview's poster (redacted) to the export folder: HTML to print on A3, SVG to edit."""
        try:
            paths = self.services.export_poster(self.interview_ids[0], self.export_dir)
        except (OSError, KlantreisError, ValueError) as exc:
            self.notify(t('The poster could not be written: {error}', error=visible(str(exc))), severity="error")
            return
        self.notify(t('Poster written: {paths}', paths=visible(", ".join(str(p) for p in paths))), timeout=10)

    def action_close(self) -> None:
        self.workers.cancel_group(self, "synthesis")
        self.dismiss()
