"""The help dialog: every key of the screen it was opened from, in a list that scrolls."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from klantreis_tui.i18n import current_language, t
from klantreis_tui.ui.keys import N_, word_bindings


class HelpScreen(ModalScreen[None]):
    """Every key of the screen it was opened from, with what it does; arrows, PageUp/PageDown, Home/End and
    Space scroll it."""

    BINDINGS = [
        Binding("escape,f1,q,question_mark", "dismiss", N_('Close'), id="help.close"),
        Binding("space", "page('down')", N_('Next page'), id="help.page_down", show=False),
        Binding("shift+space", "page('up')", N_('Previous page'), id="help.page_up", show=False),
    ]

    def __init__(self, rows: list[tuple[str, str]], config_path: str):
        lang = current_language()
        super().__init__()
        self.lang = lang
        word_bindings(self)
        self.rows = rows
        self.config_path = config_path

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help"):
            yield Static(Text(t('Keys'), style="bold"), classes="dialog-title")
            yield Static(Text(t('All keys of this screen. Keys can be remapped in {path}.', path=self.config_path), style="dim"))
            with VerticalScroll(id="help-scroll"):
                yield Static(self._table(), id="help-table")
            yield Static(Text(t('↑↓ PgUp PgDn Home End Space: scroll · Esc: close'), style="dim"), classes="help-keys")

    def _table(self) -> Table:
        table = Table(box=None, show_header=True, header_style="bold", pad_edge=False, expand=True)
        table.add_column(t('Key'), no_wrap=True, style="bold")
        table.add_column(t('Action'), ratio=1)
        for key, description in self.rows:
            table.add_row(Text(key), Text(description))
        return table

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()

    def action_page(self, direction: str) -> None:
        scroll = self.query_one("#help-scroll", VerticalScroll)
        if direction == "down":
            scroll.scroll_page_down(animate=False)
        else:
            scroll.scroll_page_up(animate=False)
