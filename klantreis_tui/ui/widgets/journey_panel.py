"""The journey panel: status, the steps so far and the heartbeat curve."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from klantreis_tui.i18n import current_language, t
from klantreis_tui.models.records import Step
from klantreis_tui.services import heartbeat_lines
from klantreis_tui.ui.keys import N_, word_bindings
from klantreis_tui.safetext import visible
from klantreis_tui.ui.transcript import FACES


def step_label(step: Step, width: int) -> Text:
    """Two lines per step: number, what happened and the emotion mark; then phase, instance, channel."""
    mark = FACES.get(step.emotion, "") if step.emotion is not None else ""
    room = max(8, width - 5)
    first = visible(f"{step.position:>2} {step.description or '…'}")
    # cut and pad by screen cells, not characters: wide (CJK, emoji) text must not overflow
    first = first if cell_len(first) <= room else set_cell_size(first, room - 1) + "…"
    text = Text(set_cell_size(first, room))
    text.append(f" {mark:<2}", style="bold red" if (step.emotion or 0) < 0 else "bold green")
    parts = [step.phase, ", ".join(step.instances), ", ".join(step.channels)]
    second = visible("   " + ("★ " if step.moment_of_truth else "") + " · ".join(p for p in parts if p))
    text.append("\n" + (second if cell_len(second) <= width else set_cell_size(second, width - 1) + "…"), style="dim")
    return text


class JourneyPanel(Vertical):
    """The journey so far: status, the steps and the heartbeat curve.

    The keys of the step list are its bindings: each posts a ``StepActionChosen`` for the highlighted step.
    """

    BINDINGS = [
        # shown in the footer while the panel has focus (its focus frame says so); inactive elsewhere
        Binding("escape", "screen.cancel_edit", N_('Back to the question'), id="steps.back"),
        Binding("e", "step('edit')", N_('Edit step'), id="steps.edit"),
        Binding("a", "step('after')", N_('Step after'), id="steps.after"),
        Binding("i", "step('before')", N_('Step before'), id="steps.before"),
        Binding("shift+up", "step('up')", N_('Step up'), id="steps.up", show=False),
        Binding("shift+down", "step('down')", N_('Step down'), id="steps.down", show=False),
        Binding("m", "step('merge')", N_('Merge with next'), id="steps.merge"),
        Binding("delete,x", "step('delete')", N_('Delete step'), id="steps.delete"),
    ]

    @dataclass
    class StepActionChosen(Message):
        """A key of the step list was pressed: ``action`` (edit, after, before, up, down, merge, delete) on
        ``step``, the highlighted step (None when there are no steps)."""

        action: str
        step: Step | None

    def __init__(self, **kwargs: Any):
        lang = current_language()
        super().__init__(**kwargs)
        self.lang = lang
        word_bindings(self)
        self.steps: list[Step] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="journey-status")
        yield OptionList(id="steps")
        yield Static(t('Heartbeat'), id="heartbeat-title")
        yield Static("", id="heartbeat")

    def show(self, steps: list[Step], status: str, highlight: str | None = None) -> None:
        self.steps = steps
        self.status = status
        self._draw(highlight)

    def on_resize(self) -> None:
        if self.steps or getattr(self, "status", None):
            self._draw(None)

    def _draw(self, highlight: str | None) -> None:
        steps = self.steps
        self.query_one("#journey-status", Static).update(Text(self.status))
        steps_list = self.query_one("#steps", OptionList)
        previous = steps_list.highlighted
        width = max(20, (self.content_region.width or 36) - 2)
        steps_list.clear_options()
        if steps:
            steps_list.add_options([Option(step_label(step, width), id=step.id) for step in steps])
            if highlight is not None:
                steps_list.highlighted = next((i for i, s in enumerate(steps) if s.id == highlight), 0)
            elif previous is not None:
                steps_list.highlighted = min(previous, len(steps) - 1)
        else:
            steps_list.add_option(Option(Text(t('No steps yet.'), style="dim"), disabled=True))
        curve = heartbeat_lines([s.emotion for s in steps], width=width)
        self.query_one("#heartbeat", Static).update(Text("\n".join(curve)))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on a step edits it."""
        event.stop()
        step = next((s for s in self.steps if s.id == event.option.id), None) if event.option.id else None
        if step is not None:
            self.post_message(self.StepActionChosen("edit", step))

    def action_step(self, action: str) -> None:
        self.post_message(self.StepActionChosen(action, self.selected_step()))

    def selected_step(self) -> Step | None:
        steps_list = self.query_one("#steps", OptionList)
        if not self.steps or steps_list.highlighted is None:
            return None
        return self.steps[min(steps_list.highlighted, len(self.steps) - 1)]
