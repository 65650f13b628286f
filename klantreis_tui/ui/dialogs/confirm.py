"""The confirmation dialog: a yes/no question."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from klantreis_tui.i18n import current_language, t
from klantreis_tui.safetext import visible
from klantreis_tui.ui.keys import N_, word_bindings


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question; j/y confirms, n/Esc cancels."""

    BINDINGS = [
        Binding("escape,n", "answer(False)", N_('No'), id=N_('No')),
        Binding("j,y", "answer(True)", N_('Yes'), id=N_('Yes')),
        Binding("f1", "app.help", N_('Help'), id="confirm.help", show=False),  # a modal screen hides the app's keys
    ]

    def __init__(self, question: str):
        lang = current_language()
        super().__init__()
        self.question = question
        self.lang = lang
        word_bindings(self)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(visible(self.question)), classes="dialog-text")
            with Horizontal(classes="buttons"):
                yield Button(t('Yes'), id="yes", variant="primary")
                yield Button(t('No'), id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)
