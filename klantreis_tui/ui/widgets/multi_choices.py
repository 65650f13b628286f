"""Several choices toggled with digits or space."""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.message import Message
from textual.widgets import SelectionList

from klantreis_tui.ui.widgets.answer_widget import AnswerWidget


class MultiChoices(AnswerWidget, SelectionList[str]):
    """Several choices: digits or space toggle, Enter submits."""

    @dataclass
    class Picked(Message):
        value: list[str]

    def on_key(self, event: events.Key) -> None:
        if self.hold(event):
            return
        if event.character and event.character.isdigit():
            index = int(event.character) - 1
            if 0 <= index < self.option_count:
                event.stop()
                self.toggle(self.get_option_at_index(index).value)
        elif event.key == "enter":
            event.stop()
            self.spend()
            self.post_message(self.Picked(list(self.selected)))
