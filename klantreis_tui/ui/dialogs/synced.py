"""The notice at start that the database or the export folder lies in a synced folder (OneDrive, Dropbox, ...)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from klantreis_tui.i18n import t
from klantreis_tui.services import SyncWarning
from klantreis_tui.ui.keys import N_, word_bindings


class SyncedFolderScreen(ModalScreen[bool]):
    """The risk in one paragraph; dismissed with True when the user acknowledges it for this folder."""

    BINDINGS = [
        Binding("escape", "later", N_('Remind me next time'), id="synced.later"),
        Binding("ctrl+s", "acknowledge", N_('Do not warn again for this folder'), id="synced.acknowledge"),
    ]

    def __init__(self, warning: SyncWarning):
        super().__init__()
        self.warning = warning
        word_bindings(self)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog synced"):
            yield Static(Text(t('Synced folder: {service}', service=self.warning.synced.service), style="bold"), classes="dialog-title")
            with VerticalScroll(classes="synced-text"):
                yield Static(Text(self.warning.text()), id="synced-text")
            with Horizontal(classes="buttons"):
                yield Button(t('Do not warn again for this folder'), id="acknowledge", variant="primary")
                yield Button(t('Remind me next time'), id="later")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "acknowledge")

    def action_acknowledge(self) -> None:
        self.dismiss(True)

    def action_later(self) -> None:
        self.dismiss(False)
