"""The answer area: the input for the question being asked, its help, errors, warnings and proposals."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Static, TextArea

from klantreis_tui.i18n import current_language, t
from klantreis_tui.models.question_set import Question, QuestionKind, QuestionSet
from klantreis_tui.ui.transcript import FACES, emotion_label
from klantreis_tui.ui.widgets.answer_input import AnswerInput, ListSuggester
from klantreis_tui.ui.widgets.answer_widget import AnswerWidget, HandOver
from klantreis_tui.ui.widgets.key_choices import NOTHING, KeyChoices, NothingChosen
from klantreis_tui.ui.widgets.long_text_area import LongTextArea
from klantreis_tui.ui.widgets.multi_choices import MultiChoices


class AnswerArea(Vertical):
    """The input for the question being asked; its shape follows the question kind."""

    @dataclass
    class Submitted(Message):
        raw: Any

    def __init__(self, **kwargs: Any):
        lang = current_language()
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
                        focus: bool | Callable[[], bool], took_focus: bool = False) -> None:
        await mounted
        if generation != self._generation or widget.parent is None:
            return
        if callable(focus):  # decided now, not when asked: focus may have come back from a dialog meanwhile
            # the input it replaces had focus: Textual moved it on (to the chat) when that input was hidden
            focus = took_focus or focus()
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
        self._probe = Text(message.replace("\n", " · "), style="italic", no_wrap=True, overflow="ellipsis") if message else None
        self._show_assist()

    def _show_assist(self) -> None:
        """The chips, else the probe, on the assist line; nothing is redrawn when the line stays the same
        (most keys), and never laid out: the line is one row high whatever it shows."""
        shown = getattr(self, "_chips", None) or getattr(self, "_probe", None) or Text()
        key = (shown.plain, tuple(shown.spans), str(shown.style))
        if key == getattr(self, "_assist_shown", None):
            return
        self._assist_shown = key
        self.query_one("#assist", Static).update(shown, layout=False)

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

    def show_help(self, text: str) -> None:
        """Replace the line under the input that says how to answer."""
        self._help(text)

    def _help(self, text: str) -> None:
        self._help_text = text
        self.query_one("#answer-help", Static).update(Text(text))

    def refuse_key(self, character: str) -> None:
        """A printable key that the input shown does not take (a choice list): refused, and said so."""
        self.show_error(t('"{key}" is not an answer to this question: {help}', key=character, help=getattr(self, "_help_text", "")))

    def ask(
        self,
        qs: QuestionSet | None,
        question: Question | None,
        value: Any = None,
        suggestions: list[str] | None = None,
        focus: bool | Callable[[], bool] = True,
    ) -> None:
        """Show the input for ``question`` (or the step-loop prompt when ``question`` is None)."""
        took_focus = self.input_widget is not None and self.input_widget.has_focus
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
                [(t('yes'), True), (t('no'), False)], {yes: True, no: False}, classes="answer-input"
            )
            self._help(t('[{yes}] yes   [{no}] no', yes=yes, no=no))
        else:
            kind = question.kind
            self.kind = kind.value
            shown = NOTHING if value is None else value  # an answer given before: the list opens on it
            if kind is QuestionKind.yes_no:
                widget = KeyChoices(
                    [(t('yes'), True), (t('no'), False)], {yes: True, no: False}, shown, classes="answer-input"
                )
                self._help(t('[{yes}] yes   [{no}] no', yes=yes, no=no))
            elif kind is QuestionKind.emotion:
                options = [(f"[{i}] {emotion_label(score)}", score) for i, score in enumerate(FACES, 1)]
                widget = KeyChoices(options, {str(i): s for i, s in enumerate(FACES, 1)}, shown, classes="answer-input")
                self._help(t('Choose with a number or arrows + Enter'))
            elif kind is QuestionKind.single_choice:
                choices = qs.choices_for(question) if qs else []
                options = [(f"[{i}] {c.label.get(lang)}", c.value) for i, c in enumerate(choices, 1)]
                widget = KeyChoices(options, {str(i): c.value for i, c in enumerate(choices[:9], 1)}, shown,
                                    classes="answer-input")
                self._help(t('Choose with a number or arrows + Enter'))
            elif kind is QuestionKind.multiple_choice:
                choices = qs.choices_for(question) if qs else []
                chosen = set(value or [])
                widget = MultiChoices(
                    *[(f"[{i}] {c.label.get(lang)}", c.value, c.value in chosen) for i, c in enumerate(choices, 1)],
                    shown=value is not None, classes="answer-input",
                )
                self._help(t('Number or space toggles, Enter saves'))
            elif kind is QuestionKind.long_text:
                widget = LongTextArea(str(value or ""), classes="answer-input", soft_wrap=True, show_line_numbers=False)
                self._help(t('Type the answer; Enter saves, Ctrl+J starts a new line'))
            else:
                text = ", ".join(value) if isinstance(value, list) else ("" if value is None else str(value))
                suggester = ListSuggester(suggestions) if suggestions else None
                widget = AnswerInput(text, classes="answer-input", suggester=suggester, placeholder=t('Type the answer and press Enter'),
                                     select_on_focus=False)  # focus coming back must not let the next key replace the text
                self._help(t('Separate several with a comma; → completes') if kind in (QuestionKind.instance, QuestionKind.channel) else t('Type the answer and press Enter'))
        self.input_widget = widget
        self._generation += 1
        mounted = self.mount(widget, before=self.query_one("#answer-error"))
        self.call_later(self._activate, widget, previous, self._generation, mounted, focus, took_focus)

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

    def on_nothing_chosen(self, event: NothingChosen) -> None:
        """Enter on a list where nothing was chosen on this question: nothing is picked; the help line says
        how to choose (in its own words, so a second Enter does not repeat it)."""
        event.stop()
        if self.kind == "multiple_choice":
            hint = t('Nothing ticked yet: a number or space ticks, then Enter saves; to save it empty, move with an arrow first')
        else:
            hint = t('Nothing chosen yet: {help}', help=getattr(self, "_help_text", ""))
        self.query_one("#answer-help", Static).update(Text(hint, style="bold"))

    def on_key_choices_picked(self, event: KeyChoices.Picked) -> None:
        event.stop()
        self.post_message(self.Submitted(event.value))

    def on_multi_choices_picked(self, event: MultiChoices.Picked) -> None:
        event.stop()
        self.post_message(self.Submitted(event.value))

    def replace_text(self, start: int, end: int, new: str) -> None:
        """Put ``new`` in place of the typed text between two offsets (an accepted name), the cursor after it
        (or at the end, where it was)."""
        widget = self.input_widget
        if isinstance(widget, Input):
            at_end = widget.cursor_position >= len(widget.value)
            widget.value = widget.value[:start] + new + widget.value[end:]
            widget.cursor_position = len(widget.value) if at_end else start + len(new)
        elif isinstance(widget, TextArea):
            widget.text = widget.text[:start] + new + widget.text[end:]

    def current_text(self) -> str:
        widget = self.input_widget
        if isinstance(widget, Input):
            return widget.value
        if isinstance(widget, TextArea):
            return widget.text
        return ""
