"""The single-line answer input, with completion from known values."""

from __future__ import annotations

from textual import events
from textual.geometry import Size
from textual.reactive import Reactive
from textual.suggester import Suggester
from textual.widgets import Input

from klantreis_tui.ui.widgets.answer_widget import AnswerWidget


class ListSuggester(Suggester):
    """Completes the last comma-separated part of the input from a list of known values."""

    def __init__(self, values: list[str]):
        # the case is ignored here, in the comparison: Textual's case-insensitive suggesters are handed the value
        # casefolded, and the parts typed before the last one would come back in lower case ("balie, brief")
        super().__init__(use_cache=False, case_sensitive=True)
        self.values = values

    async def get_suggestion(self, value: str) -> str | None:
        head, _, last = value.rpartition(",")
        typed = last.lstrip()
        if not typed:
            return None
        lowered = typed.lower()
        for candidate in self.values:
            if candidate.lower().startswith(lowered) and candidate.lower() != lowered:
                prefix = f"{head}, " if head else ""
                return prefix + candidate
        return None


class AnswerInput(AnswerWidget, Input):
    """Single-line answer; Enter submits."""

    #: Textual's Input sets its virtual size (the text's width) on every key, and the widget's virtual size
    #: asks for a layout of the whole screen when it changes: one reflow per key, which also repaints the
    #: scrollbars of the chat and the journey panel in a frame of their own. This input's region comes from
    #: the stylesheet (one line, the column's width), never from its text, so the new size only needs the
    #: repaint (Input asks for the layout itself where its dimensions are ``auto``); the horizontal scrolling
    #: reads the value as before.
    virtual_size = Reactive(Size(0, 0), layout=False)

    async def _on_key(self, event: events.Key) -> None:
        if self.hold(event) or self.submit_on_enter(event, self.Submitted(self, self.value)):
            return
        if await self.run_own_binding(event):
            return
        await super()._on_key(event)

    async def action_submit(self) -> None:
        if not self.spent:
            self.spend()
            await super().action_submit()
