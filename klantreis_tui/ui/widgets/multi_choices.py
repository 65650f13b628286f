"""Several choices toggled with digits or space."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import events
from textual.message import Message
from textual.widgets import SelectionList

from klantreis_tui.ui.widgets.answer_widget import AnswerWidget
from klantreis_tui.ui.widgets.key_choices import NothingChosen


class MultiChoices(AnswerWidget, SelectionList[str]):
    """Several choices: digits or space toggle, Enter submits.

    Enter saves only once the interviewer touched the list on this question (ticked, or moved the highlight)
    or when it shows an answer given before (``shown``): an Enter typed out of habit after the previous
    answer does not save the ticks as they happen to be. Moving first and then Enter saves it empty."""

    def __init__(self, *selections: Any, shown: bool = False, **kwargs: Any):
        super().__init__(*selections, **kwargs)
        self.touched = shown

    @dataclass
    class Picked(Message):
        value: list[str]

    def toggle(self, selection: Any) -> "MultiChoices":
        self.touched = True  # a digit, space or a click
        return super().toggle(selection)

    async def on_key(self, event: events.Key) -> None:
        if self.hold(event):
            return
        if event.character and event.character.isdigit():
            index = int(event.character) - 1
            if 0 <= index < self.option_count:
                event.stop()
                self.toggle(self.get_option_at_index(index).value)
        elif event.key == "enter":
            event.stop()
            event.prevent_default()
            if not self.touched:
                self.post_message(NothingChosen())
                return
            self.spend()
            self.post_message(self.Picked(list(self.selected)))
        elif event.key == "space":  # here, in key order (the binding would tick through a later message)
            event.stop()
            event.prevent_default()
            self._toggle_highlighted_selection()
        elif await self.run_own_binding(event):
            self.touched = True  # moved with the arrows (home, end, page keys)
