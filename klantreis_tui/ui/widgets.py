"""Widgets of the interview screen: the chat log, the answer input and the journey panel."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.suggester import Suggester
from textual.widget import Widget
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, SelectionList, Static, TextArea
from textual.widgets.option_list import Option

from klantreis_tui.engine import Slot
from klantreis_tui.i18n import t
from klantreis_tui.models.question_set import Question, QuestionKind, QuestionSet
from klantreis_tui.models.records import Step
from klantreis_tui.rendering.heartbeat import ascii_heartbeat
from klantreis_tui.ui.transcript import FACES, ChatItem, emotion_label

# --- chat ------------------------------------------------------------------------------------


def render_item(item: ChatItem) -> Text:
    text = Text()
    if item.kind == "section":
        text.append(f"── {item.text} ", style="bold")
    elif item.kind == "step":
        text.append(f"▸ {item.text}", style="bold")
    elif item.kind in ("current", "loop"):
        text.append("◆ ", style="bold")
        text.append(item.text, style="bold")
        for line in item.detail:
            text.append(f"\n  {line}", style="dim italic")
    elif item.kind == "answered":
        text.append("◆ ", style="dim")
        text.append(item.text, style="dim")
        answer, *rest = item.detail
        text.append("\n› ")
        text.append(answer)
        if item.saved:
            text.append("  ✓", style="green bold")
        for line in rest:
            text.append(f" ({line})", style="dim")
    else:
        text.append(item.text, style="italic")
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

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
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


# --- answer input ---------------------------------------------------------------------------


class ListSuggester(Suggester):
    """Completes the last comma-separated part of the input from a list of known values."""

    def __init__(self, values: list[str]):
        super().__init__(use_cache=False, case_sensitive=False)
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


class LongTextArea(TextArea):
    """Multi-line answer: Enter submits, Ctrl+J (or Alt+Enter) starts a new line."""

    @dataclass
    class Submitted(Message):
        area: "LongTextArea"
        value: str

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.post_message(self.Submitted(self, self.text))
            return
        if event.key in ("ctrl+j", "alt+enter"):
            event.stop()
            event.prevent_default()
            self.insert("\n")
            return
        await super()._on_key(event)


class KeyChoices(OptionList):
    """Options picked with a key (a digit, or j/n) or with arrows and Enter."""

    def __init__(self, options: list[tuple[str, Any]], keys: dict[str, Any], **kwargs: Any):
        super().__init__(*[Option(label, id=str(i)) for i, (label, _) in enumerate(options)], **kwargs)
        self.values = [value for _, value in options]
        self.keys = keys

    @dataclass
    class Picked(Message):
        value: Any

    def on_key(self, event: events.Key) -> None:
        key = (event.character or event.key).lower()
        if key in self.keys:
            event.stop()
            self.post_message(self.Picked(self.keys[key]))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.Picked(self.values[event.option_index]))


class MultiChoices(SelectionList[str]):
    """Several choices: digits or space toggle, Enter submits."""

    @dataclass
    class Picked(Message):
        value: list[str]

    def on_key(self, event: events.Key) -> None:
        if event.character and event.character.isdigit():
            index = int(event.character) - 1
            if 0 <= index < self.option_count:
                event.stop()
                self.toggle(self.get_option_at_index(index).value)
        elif event.key == "enter":
            event.stop()
            self.post_message(self.Picked(list(self.selected)))


class AnswerArea(Vertical):
    """The input for the question being asked; its shape follows the question kind."""

    @dataclass
    class Submitted(Message):
        raw: Any

    def __init__(self, lang: str, **kwargs: Any):
        super().__init__(**kwargs)
        self.lang = lang
        self.kind: str = "none"
        self.input_widget: Widget | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="answer-help", classes="answer-help")
        yield Static("", id="answer-error", classes="answer-error")

    def _clear_inputs(self) -> None:
        if self.input_widget is not None:
            self.input_widget.remove()
            self.input_widget = None

    def show_error(self, message: str) -> None:
        error = self.query_one("#answer-error", Static)
        error.update(Text(message))
        error.display = bool(message)

    def _help(self, text: str) -> None:
        self.query_one("#answer-help", Static).update(Text(text))

    def ask(
        self,
        qs: QuestionSet | None,
        question: Question | None,
        value: Any = None,
        suggestions: list[str] | None = None,
        focus: bool = True,
    ) -> None:
        """Show the input for ``question`` (or the step-loop prompt when ``question`` is None)."""
        self._clear_inputs()
        self.show_error("")
        lang = self.lang
        yes, no = ("y", "n") if lang == "en" else ("j", "n")
        widget: Widget
        if question is None:  # loop prompt: yes/no
            self.kind = "loop"
            widget = KeyChoices(
                [(t("yes", lang), True), (t("no", lang), False)], {yes: True, no: False}, classes="answer-input"
            )
            self._help(t("iv.keys_yes_no", lang, yes=yes, no=no))
        else:
            kind = question.kind
            self.kind = kind.value
            if kind is QuestionKind.yes_no:
                widget = KeyChoices(
                    [(t("yes", lang), True), (t("no", lang), False)], {yes: True, no: False}, classes="answer-input"
                )
                self._help(t("iv.keys_yes_no", lang, yes=yes, no=no))
            elif kind is QuestionKind.emotion:
                options = [(f"[{i}] {emotion_label(score, lang)}", score) for i, score in enumerate(FACES, 1)]
                widget = KeyChoices(options, {str(i): s for i, s in enumerate(FACES, 1)}, classes="answer-input")
                self._help(t("iv.keys_choice", lang))
            elif kind is QuestionKind.single_choice:
                choices = qs.choices_for(question) if qs else []
                options = [(f"[{i}] {c.label.get(lang)}", c.value) for i, c in enumerate(choices, 1)]
                widget = KeyChoices(options, {str(i): c.value for i, c in enumerate(choices[:9], 1)}, classes="answer-input")
                self._help(t("iv.keys_choice", lang))
            elif kind is QuestionKind.multiple_choice:
                choices = qs.choices_for(question) if qs else []
                chosen = set(value or [])
                widget = MultiChoices(
                    *[(f"[{i}] {c.label.get(lang)}", c.value, c.value in chosen) for i, c in enumerate(choices, 1)],
                    classes="answer-input",
                )
                self._help(t("iv.keys_multi", lang))
            elif kind is QuestionKind.long_text:
                widget = LongTextArea(str(value or ""), classes="answer-input", soft_wrap=True, show_line_numbers=False)
                self._help(t("iv.input_long", lang))
            else:
                text = ", ".join(value) if isinstance(value, list) else ("" if value is None else str(value))
                suggester = ListSuggester(suggestions) if suggestions else None
                widget = Input(text, classes="answer-input", suggester=suggester, placeholder=t("iv.input_text", lang))
                self._help(t("iv.input_list", lang) if kind in (QuestionKind.instance, QuestionKind.channel) else t("iv.input_text", lang))
        self.input_widget = widget
        self.mount(widget, before=self.query_one("#answer-error"))
        if focus:
            self.call_after_refresh(widget.focus)

    def clear(self, message: str = "") -> None:
        self._clear_inputs()
        self.show_error("")
        self.kind = "none"
        self._help(message)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Submitted(event.value))

    def on_long_text_area_submitted(self, event: LongTextArea.Submitted) -> None:
        event.stop()
        self.post_message(self.Submitted(event.value))

    def on_key_choices_picked(self, event: KeyChoices.Picked) -> None:
        event.stop()
        self.post_message(self.Submitted(event.value))

    def on_multi_choices_picked(self, event: MultiChoices.Picked) -> None:
        event.stop()
        self.post_message(self.Submitted(event.value))

    def current_text(self) -> str:
        widget = self.input_widget
        if isinstance(widget, Input):
            return widget.value
        if isinstance(widget, TextArea):
            return widget.text
        return ""


# --- journey panel ------------------------------------------------------------------------------


def step_label(step: Step, width: int) -> Text:
    """Two lines per step: number, what happened and the emotion mark; then phase, instance, channel."""
    mark = FACES.get(step.emotion, "") if step.emotion is not None else ""
    room = max(8, width - 5)
    first = f"{step.position:>2} {step.description or '…'}"
    first = first if len(first) <= room else first[: room - 1] + "…"
    text = Text(first.ljust(room))
    text.append(f" {mark:<2}", style="bold red" if (step.emotion or 0) < 0 else "bold green")
    parts = [step.phase, ", ".join(step.instances), ", ".join(step.channels)]
    second = "   " + ("★ " if step.moment_of_truth else "") + " · ".join(p for p in parts if p)
    text.append("\n" + (second if len(second) <= width else second[: width - 1] + "…"), style="dim")
    return text


class JourneyPanel(Vertical):
    """The journey so far: status, the steps and the heartbeat curve."""

    def __init__(self, lang: str, **kwargs: Any):
        super().__init__(**kwargs)
        self.lang = lang
        self.steps: list[Step] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="journey-status")
        yield OptionList(id="steps")
        yield Static(t("iv.heartbeat", self.lang), id="heartbeat-title")
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
            steps_list.add_option(Option(Text(t("iv.no_steps", self.lang), style="dim"), disabled=True))
        curve = ascii_heartbeat([s.emotion for s in steps], width=width)
        self.query_one("#heartbeat", Static).update(Text("\n".join(curve)))

    def selected_step(self) -> Step | None:
        steps_list = self.query_one("#steps", OptionList)
        if not self.steps or steps_list.highlighted is None:
            return None
        return self.steps[min(steps_list.highlighted, len(self.steps) - 1)]


class StableFooter(Footer):
    """A footer that rebuilds only when the keys it shows change, not on every focus change.

    Textual's footer recomposes whenever focus moves; in an interview focus moves with every answer.
    """

    _shown: tuple[tuple[str, str, bool], ...] | None = None

    def bindings_changed(self, screen: Screen) -> None:
        shown = tuple(
            (key, active.binding.description, active.enabled)
            for key, active in screen.active_bindings.items()
            if active.binding.show
        )
        if shown == self._shown and self._bindings_ready:
            return
        self._shown = shown
        super().bindings_changed(screen)
