"""A one-line text prompt: a theme's name, for example."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from klantreis_tui.i18n import t
from klantreis_tui.ui.keys import N_, word_bindings


class PromptScreen(ModalScreen[str | None]):
    """Enter gives the typed text (an empty one counts as cancel), Esc cancels."""

    BINDINGS = [Binding("escape", "cancel", N_('Cancel'), id=N_('Cancel'))]

    def __init__(self, question: str, value: str = ""):
        super().__init__()
        self.question = question
        self.value = value
        word_bindings(self)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.question), classes="dialog-text")
            yield Input(self.value, id="prompt-input", placeholder=t('Type and press Enter'))

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
