"""The study-kit dialog: the file a kit is written to (export) or read from (import)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Input, Label, Static

from klantreis_tui.i18n import t
from klantreis_tui.ui.dialogs.forms import FormScreen


class KitForm(FormScreen):
    """Asks for the kit file; returns ``{"path": ...}``."""

    def __init__(self, title: str, explanation: str, path: str = "", save_label: str = ""):
        super().__init__()
        self.title_text = title
        self.explanation = explanation
        self.path = path
        self.save_label = save_label or self.save_label

    def fields(self) -> ComposeResult:
        yield Static(self.explanation, classes="dialog-text")
        yield Label(t('Kit file'))
        yield Input(self.path, id="kit-path")

    def validate(self) -> dict[str, Any] | None:
        path = self.value("kit-path")
        if not path:
            self.error(t('Give the file of the kit.'))
            return None
        return {"path": path}
