"""The help dialog: every key of the screen it was opened from."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from klantreis_tui.i18n import current_language, t
from klantreis_tui.ui.keys import N_, word_bindings


class HelpScreen(ModalScreen[None]):
    """Every key of the screen it was opened from, with what it does."""

    BINDINGS = [Binding("escape,f1,q,question_mark", "dismiss", N_('Close'), id="help.close")]

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
            table: DataTable[str] = DataTable(id="help-table", cursor_type="row", show_cursor=False)
            yield table

    def on_mount(self) -> None:
        table = self.query_one("#help-table", DataTable)
        table.add_columns(t('Key'), t('Action'))
        for key, description in self.rows:
            table.add_row(key, description)
