"""The multi-line answer input."""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.message import Message
from textual.widgets import TextArea

from klantreis_tui.ui.widgets.answer_widget import AnswerWidget


class LongTextArea(AnswerWidget, TextArea):
    """Multi-line answer: Enter submits, Ctrl+J (or Alt+Enter) starts a new line."""

    @dataclass
    class Submitted(Message):
        area: "LongTextArea"
        value: str

    async def _on_key(self, event: events.Key) -> None:
        if self.hold(event) or self.submit_on_enter(event, self.Submitted(self, self.text)):
            return
        if event.key in ("ctrl+j", "alt+enter"):
            event.stop()
            event.prevent_default()
            self.insert("\n")
            return
        if await self.run_own_binding(event):
            return
        await super()._on_key(event)
