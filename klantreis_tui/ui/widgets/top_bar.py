"""The top bar: one line of status that repaints without a relayout."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widget import Widget


class TopBar(Widget):
    """One line of status. It changes every second (the clock), so it repaints without a relayout."""

    DEFAULT_CSS = "TopBar { height: 1; }"

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        self.text = ""

    def show(self, text: str) -> None:
        if text != self.text:
            self.text = text
            self.refresh()  # same size: no layout needed

    def render(self) -> Text:
        return Text(self.text, no_wrap=True, overflow="ellipsis")
