"""Widgets of the interview screen: the chat log, the answer input and the journey panel."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len, set_cell_size
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

from klantreis_tui.models.positions import Slot
from klantreis_tui.i18n import t
from klantreis_tui.models.question_set import Question, QuestionKind, QuestionSet
from klantreis_tui.models.records import Step
from klantreis_tui.services import heartbeat_lines
from klantreis_tui.ui.transcript import FACES, ChatItem, emotion_label, visible

# --- chat ------------------------------------------------------------------------------------


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


class HandOver(Message):
    """Sent to a spent input: every key it received before this has been held; pass them on."""

    def __init__(self, successor: Widget | None):
        super().__init__()
        self.successor = successor


class AnswerWidget:
    """Mixin for answer inputs. Once an answer is submitted the input is *spent*: keys that still reach it
    (typed ahead while the answer is saved and the next question appears) are held in order and handed to
    the next input, so nothing typed ahead is lost or lands in the previous answer."""

    spent: bool = False
    successor: Widget | None = None
    held: list[events.Key]

    def area(self) -> "AnswerArea | None":
        return next((a for a in self.ancestors if isinstance(a, AnswerArea)), None)  # type: ignore[attr-defined]

    def spend(self) -> None:
        self.spent = True
        self.held = []

    def submit_on_enter(self, event: events.Key, submitted: Message) -> bool:
        """Enter submits here, in key order (not through a later binding), so that keys typed after it
        never end up in this answer."""
        if event.key != "enter":
            return False
        event.stop()
        event.prevent_default()
        self.spend()
        self.post_message(submitted)  # type: ignore[attr-defined]
        return True

    def hold(self, event: events.Key) -> bool:
        """Keep (or pass on) a key that reached this input after it was spent. Each concrete input calls
        this first in its own key handler, since Textual runs the handlers of a class's MRO in order."""
        if not self.spent:
            return False
        event.stop()
        event.prevent_default()
        copy = events.Key(event.key, event.character)
        if self.successor is not None:
            self.successor.post_message(copy)
        else:
            self.held.append(copy)
        return True

    def on_hand_over(self, message: HandOver) -> None:
        message.stop()
        held, self.held = self.held, []
        if message.successor is self or message.successor is None:
            self.spent = False  # the answer was not accepted: the keys belong here after all
            target: Widget = self  # type: ignore[assignment]
        else:
            self.successor = message.successor
            target = message.successor
        for event in held:
            target.post_message(event)
        target.screen.set_focus(target)


class AnswerInput(AnswerWidget, Input):
    """Single-line answer; Enter submits."""

    async def _on_key(self, event: events.Key) -> None:
        if self.hold(event) or self.submit_on_enter(event, self.Submitted(self, self.value)):
            return
        await super()._on_key(event)

    async def action_submit(self) -> None:
        if not self.spent:
            self.spend()
            await super().action_submit()


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
        await super()._on_key(event)


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
        self._generation = 0

    def resume(self) -> None:
        """The answer was not accepted: the input shown takes its held keys back and stays in use."""
        widget = self.input_widget
        if isinstance(widget, AnswerWidget) and widget.spent:
            widget.post_message(HandOver(widget))

    async def _activate(self, widget: Widget, previous: Widget | None, generation: int, mounted: Any,
                        focus: bool) -> None:
        await mounted
        if generation != self._generation or widget.parent is None:
            return
        if isinstance(previous, AnswerWidget) and previous.spent and previous.parent is not None:
            # through the previous input's own queue: it passes on every key it got before this
            previous.post_message(HandOver(widget if focus else None))
        elif focus:
            self.screen.set_focus(widget)

    @dataclass
    class TextChanged(Message):
        """The text of the answer being typed changed (for the assistant's proposals)."""

        text: str

    def compose(self) -> ComposeResult:
        yield Static("", id="answer-help", classes="answer-help")
        yield Static("", id="answer-error", classes="answer-error")
        yield Static("", id="pii-warning", classes="pii-warning")
        # one line, always there, so the chat above does not jump while proposals come and go
        yield Static("", id="assist", classes="assist")

    def show_chips(self, labels: list[str], keys_hint: str) -> None:
        """The assistant's proposals as chips under the input; the first is the one the keys act on."""
        shown = (tuple(labels), keys_hint)
        if shown == getattr(self, "_chips_shown", None):
            return  # most keys change nothing here: no repaint then
        self._chips_shown = shown
        chips = Text(no_wrap=True, overflow="ellipsis")
        for index, label in enumerate(labels):
            chips.append(f" {label} ", style="reverse bold" if index == 0 else "reverse dim")
            chips.append(" ")
        if labels:
            chips.append(keys_hint, style="dim")
        self._chips = chips if labels else None
        self._show_assist()

    def show_probe(self, message: str) -> None:
        """A probe or reminder for the interviewer, shown while no proposals are."""
        self._chips_shown = None  # what the line shows changes: the next chips are drawn again
        self._probe = Text(message.replace("\n", " · "), style="italic", no_wrap=True, overflow="ellipsis")
        self._show_assist()

    def _show_assist(self) -> None:
        chips, probe = getattr(self, "_chips", None), getattr(self, "_probe", None)
        self.query_one("#assist", Static).update(chips or probe or "")

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()  # nothing above needs the raw event: it would only travel up on every key
        if event.input is self.input_widget:
            self.post_message(self.TextChanged(event.value))

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        if event.text_area is self.input_widget:
            self.post_message(self.TextChanged(event.text_area.text))

    def _clear_inputs(self) -> Widget | None:
        """Hide the current input (it may still be passing on keys) and remove older ones."""
        previous = self.input_widget
        for child in list(self.children):
            if child is not previous and isinstance(child, AnswerWidget):
                child.remove()
        if previous is not None:
            previous.display = False
        self.input_widget = None
        return previous

    def show_error(self, message: str) -> None:
        error = self.query_one("#answer-error", Static)
        error.update(Text(message))
        error.display = bool(message)

    def show_warning(self, message: str) -> None:
        """A warning about the text being typed (personal data); empty hides it."""
        warning = self.query_one("#pii-warning", Static)
        if getattr(self, "_warning", "") != message:
            self._warning = message
            warning.update(Text(message))
        warning.display = bool(message)

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
        previous = self._clear_inputs()
        self.show_error("")
        self.show_warning("")
        self.show_chips([], "")
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
                widget = AnswerInput(text, classes="answer-input", suggester=suggester, placeholder=t("iv.input_text", lang))
                self._help(t("iv.input_list", lang) if kind in (QuestionKind.instance, QuestionKind.channel) else t("iv.input_text", lang))
        self.input_widget = widget
        self._generation += 1
        mounted = self.mount(widget, before=self.query_one("#answer-error"))
        self.call_later(self._activate, widget, previous, self._generation, mounted, focus)

    def clear(self, message: str = "") -> None:
        self._clear_inputs()
        self.show_chips([], "")
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
        curve = heartbeat_lines([s.emotion for s in steps], width=width)
        self.query_one("#heartbeat", Static).update(Text("\n".join(curve)))

    def selected_step(self) -> Step | None:
        steps_list = self.query_one("#steps", OptionList)
        if not self.steps or steps_list.highlighted is None:
            return None
        return self.steps[min(steps_list.highlighted, len(self.steps) - 1)]


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
