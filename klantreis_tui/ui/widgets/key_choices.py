"""One choice picked with a key (a digit, or j/n) or with arrows and Enter."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import events
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from klantreis_tui.ui.widgets.answer_widget import AnswerWidget


class KeyChoices(AnswerWidget, OptionList):
    """Options picked with a key (a digit, or j/n) or with arrows and Enter."""

    def __init__(self, options: list[tuple[str, Any]], keys: dict[str, Any], **kwargs: Any):
        super().__init__(*[Option(label, id=str(i)) for i, (label, _) in enumerate(options)], **kwargs)
        self.values = [value for _, value in options]
        self.keys = keys

    @dataclass
    class Picked(Message):
        value: Any

    def on_key(self, event: events.Key) -> None:
        if self.hold(event):
            return
        key = (event.character or event.key).lower()
        if key in self.keys:
            event.stop()
            self._pick(self.keys[key])

    def _pick(self, value: Any) -> None:
        if self.spent:
            return
        self.spend()
        self.post_message(self.Picked(value))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._pick(self.values[event.option_index])
