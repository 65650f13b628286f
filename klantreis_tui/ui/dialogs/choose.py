"""Choosing several items from a list (the themes, persona's or ideas an action answers; a persona's respondents)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import SelectionList, Static
from textual.widgets.selection_list import Selection

from klantreis_tui.errors import KlantreisError
from klantreis_tui.i18n import current_language, t
from klantreis_tui.safetext import visible
from klantreis_tui.ui.keys import N_, word_bindings
from klantreis_tui.ui.widgets.footer import StableFooter


class ChooseScreen(ModalScreen[list[str] | None]):
    """Space or Enter ticks an item; Ctrl+S saves the ticked ones (committed through ``apply`` first, the list
    stays open with a message when that fails); Esc cancels.

    A dialog built on it changes ``hint`` (the line under the heading) and ``below_list`` (what it shows under
    the list), and adds its own bindings; saving, the error line and cancelling stay here."""

    BINDINGS = [
        Binding("ctrl+s", "save", N_('Save'), id="choose.save"),
        Binding("escape", "cancel", N_('Cancel'), id="choose.cancel"),
        Binding("f1", "app.help", N_('Help'), id="choose.help", show=False),
    ]

    def __init__(
        self, heading: str, choices: list[tuple[str, str]], chosen: set[str], empty: str,
        apply: Callable[[list[str]], Any] | None = None,
    ):
        lang = current_language()
        super().__init__()
        self.lang = lang
        word_bindings(self)
        self.heading = heading
        self.choices = choices  # (label, id)
        self.chosen = chosen
        self.empty = empty
        self.apply = apply

    def hint(self) -> str:
        """The keys, named under the heading."""
        return t('Space ticks or unticks; Ctrl+S saves, Esc cancels.')

    def below_list(self) -> ComposeResult:
        """What a dialog built on this one shows under the list (above the error line)."""
        yield from ()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog choose"):
            yield Static(Text(visible(self.heading, multiline=False), style="bold"), classes="dialog-title")
            yield Static(Text(self.hint(), style="dim"), classes="dialog-text")
            if self.choices:
                yield SelectionList[str](
                    *(Selection(Text(visible(label, multiline=False)), value, value in self.chosen) for label, value in self.choices),
                    id="choose-list",
                )
            else:
                yield Static(Text(self.empty), classes="dialog-text", id="choose-empty")
            yield from self.below_list()
            yield Static("", id="choose-error", classes="answer-error")
        yield StableFooter()

    def on_mount(self) -> None:
        self.query_one("#choose-error", Static).display = False
        if self.choices:
            self.query_one(SelectionList).focus()

    def ticked(self) -> list[str]:
        if not self.choices:
            return []
        chosen = set(self.query_one(SelectionList).selected)
        return [value for _, value in self.choices if value in chosen]  # in the list's order

    def action_save(self) -> None:
        result = self.ticked()
        if self.apply is not None:
            try:
                self.apply(result)
            except KlantreisError as exc:
                error = self.query_one("#choose-error", Static)
                error.update(Text(visible(t('NOT saved: {error}', error=exc))))
                error.display = True
                return
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)
