"""The confirmation dialog: a yes/no question."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from klantreis_tui.i18n import t


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question; j/y confirms, n/Esc cancels."""

    BINDINGS = [
        Binding("escape,n", "answer(False)", t("confirm.no"), id="confirm.no"),
        Binding("j,y", "answer(True)", t("confirm.yes"), id="confirm.yes"),
    ]

    def __init__(self, question: str, lang: str):
        super().__init__()
        self.question = question
        self.lang = lang

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.question), classes="dialog-text")
            with Horizontal(classes="buttons"):
                yield Button(t("confirm.yes", self.lang), id="yes", variant="primary")
                yield Button(t("confirm.no", self.lang), id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)
