"""The chat log: the conversation as one scrolling list; an answered message can be chosen to change it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from klantreis_tui.models.positions import Slot
from klantreis_tui.safetext import visible
from klantreis_tui.ui.keys import N_, word_bindings
from klantreis_tui.ui.transcript import ChatItem


def render_item(item: ChatItem) -> Text:
    text = Text()
    if item.kind == "section":
        text.append(f"── {visible(item.text)} ", style="bold")
    elif item.kind == "step":
        text.append(f"▸ {visible(item.text)}", style="bold")
    elif item.kind in ("current", "loop"):
        text.append("◆ ", style="bold")
        text.append(visible(item.text), style="bold")
        for line in item.detail:
            text.append(f"\n  {visible(line)}", style="dim italic")
    elif item.kind == "answered":
        text.append("◆ ", style="dim")
        text.append(visible(item.text), style="dim")
        answer, *rest = item.detail
        text.append("\n› ")
        text.append(visible(answer))
        if item.saved:
            text.append("  ✓", style="green bold")
        for line in rest:
            text.append(f" ({visible(line)})", style="dim")
    else:
        text.append(visible(item.text), style="italic")
    text.append("\n")
    return text


class ChatLog(OptionList):
    """The conversation as one scrolling list (cheap at hundreds of messages).

    Answered messages can be highlighted: Enter changes that answer, the mark keys mark it.
    """

    @dataclass
    class AnswerChosen(Message):
        """An answered message was chosen (Enter) to change it."""

        slot: Slot

    BINDINGS = [
        # shown in the footer while the chat has focus (Tab or shift+Tab from the answer)
        Binding("escape", "screen.cancel_edit", N_('Back to the question'), id="chat.back"),
        Binding("enter", "select", N_('Change answer'), id="chat.change"),
    ]

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        word_bindings(self)
        self._items: list[ChatItem] = []

    def sync(self, items: list[ChatItem]) -> None:
        """Show ``items``: keep the unchanged head, replace changed prompts, rebuild the tail."""
        old = self._items
        keep = 0
        while keep < min(len(old), len(items)) and old[keep].key == items[keep].key:
            if old[keep] != items[keep]:
                self.replace_option_prompt_at_index(keep, render_item(items[keep]))
            keep += 1
        for index in range(len(old) - 1, keep - 1, -1):
            self.remove_option_at_index(index)
        self.add_options(
            [Option(render_item(item), disabled=item.kind != "answered") for item in items[keep:]]
        )
        self._items = list(items)
        self.call_after_refresh(self.scroll_end, animate=False)

    def items(self) -> list[ChatItem]:
        return list(self._items)

    def on_resize(self) -> None:
        if not self.has_focus:  # keep the question being asked in view when the layout changes
            self.call_after_refresh(self.scroll_end, animate=False)

    def highlighted_item(self) -> ChatItem | None:
        if self.highlighted is None or not self.has_focus:
            return None
        return self._items[self.highlighted]

    def _on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        item = self._items[event.option_index]
        if item.slot is not None:
            self.post_message(self.AnswerChosen(item.slot))
