"""One choice picked with a key (a digit, or j/n) or with arrows and Enter."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual import events
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from klantreis_tui.ui.widgets.answer_widget import AnswerWidget

#: no answer shown: the list opens with nothing highlighted
NOTHING = object()


class NothingChosen(Message):
    """Enter reached a choice list where the interviewer has chosen nothing yet on this question."""


class KeyChoices(AnswerWidget, OptionList):
    """Options picked with a key (a digit, or j/n) or with arrows and Enter.

    The list opens with no option highlighted, unless it shows an answer given before (``chosen``): Enter
    only confirms a choice made on this question, never a default. An Enter typed out of habit after a key
    that answered the question before (``j`` Enter) picks nothing here; the help line says how to choose."""

    def __init__(self, options: list[tuple[str, Any]], keys: dict[str, Any], chosen: Any = NOTHING, **kwargs: Any):
        super().__init__(*[Option(label, id=str(i)) for i, (label, _) in enumerate(options)], **kwargs)
        self.values = [value for _, value in options]
        self.keys = keys
        shown = [i for i, value in enumerate(self.values) if chosen is not NOTHING and value == chosen]
        self.highlighted = shown[0] if shown else None

    @dataclass
    class Picked(Message):
        value: Any

    async def on_key(self, event: events.Key) -> None:
        if self.hold(event):
            return
        key = (event.character or event.key).lower()
        if key in self.keys:
            event.stop()
            self._pick(self.keys[key])
        elif event.key == "enter":  # here, in key order: the keys after it must not overtake it
            event.stop()
            event.prevent_default()
            if self.highlighted is None:
                self.post_message(NothingChosen())
            else:
                self._pick(self.values[self.highlighted])
        else:
            await self.run_own_binding(event)  # arrows now, so that an Enter right after them sees the highlight

    def _pick(self, value: Any) -> None:
        if self.spent:
            return
        self.spend()
        self.post_message(self.Picked(value))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()  # a click
        self._pick(self.values[event.option_index])
