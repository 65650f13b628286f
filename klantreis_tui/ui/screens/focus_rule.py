"""The interview screen's focus rule: the current question's input has focus unless the interviewer moved it.

The journey panel and the chat take focus only when the interviewer moves it there (F2, Tab); each shows a focus
frame and its own keys in the footer. Closing a panel, dialog or editor puts focus back on the current question.
A printable key is never dropped silently or run as a command where no command is visibly active: it goes to
the answer, or the screen says what happened to it.
"""

from __future__ import annotations

from textual import events
from textual.screen import Screen
from textual.widget import Widget

from klantreis_tui.i18n import t
from klantreis_tui.ui.widgets.answer_area import AnswerArea
from klantreis_tui.ui.widgets.chat_log import ChatLog
from klantreis_tui.ui.widgets.journey_panel import JourneyPanel


class FocusRule(Screen[None]):
    """Where focus is and where a typed key goes, for the interview screen (a base class of it)."""

    AUTO_FOCUS = ""  # never Textual's first focusable widget (the chat): the question's input takes focus itself
    #: focus was sent back to the question while its input was still being mounted: that input takes it
    focus_pending = False

    def _within(self, container: Widget) -> bool:
        focused = self.focused
        return focused is not None and container in focused.ancestors_with_self

    def focus_question(self) -> None:
        """Focus on the current question's input (and the narrow screen's journey overlay closed)."""
        self.query_one(JourneyPanel).remove_class("shown")
        widget = self.query_one(AnswerArea).input_widget
        if widget is not None and widget.is_mounted and widget.display and widget.focusable:
            self.set_focus(widget)
        else:
            self.focus_pending = True  # the input being mounted takes focus when it is ready
            self.set_focus(None)

    def _input_may_take_focus(self) -> bool:
        """A new question's input takes focus unless the interviewer works in the journey panel or the chat."""
        if self.focus_pending:
            self.focus_pending = False
            return True
        return not (self._within(self.query_one(JourneyPanel)) or self._within(self.query_one(ChatLog)))

    def on_screen_resume(self) -> None:
        """A dialog, editor or help closed (saved or Esc): back to the current question."""
        self.focus_question()

    def action_journey(self) -> None:
        """F2: into the journey panel, or out of it back to the question."""
        if self._within(self.query_one(JourneyPanel)):
            self.focus_question()
            return
        panel = self.query_one(JourneyPanel)
        if self.has_class("narrow"):
            panel.add_class("shown")
        self.query_one("#steps").focus()

    def leave_panels(self) -> bool:
        """Esc in the journey panel or the chat: back to the question. False when focus was not there."""
        if self._within(self.query_one(JourneyPanel)) or self._within(self.query_one(ChatLog)):
            self.focus_question()
            return True
        return False

    def on_key(self, event: events.Key) -> None:
        """A printable key that no widget took on its way up: where it goes (it never reaches the app's keys)."""
        if not event.is_printable:
            return
        active = self.active_bindings.get(event.key)
        if active is not None and isinstance(active.node, Widget) and not isinstance(active.node, Screen):
            if active.enabled and self._within(active.node):
                return  # a key of the focused widget (a step-list key, space in a choice list): its binding acts
        event.stop()
        event.prevent_default()
        character = event.character or event.key
        area = self.query_one(AnswerArea)
        if self._within(self.query_one(JourneyPanel)):
            self.notify(
                t('"{key}" is not a key of the journey panel, which has focus: nothing was typed. Esc or F2 goes back to the question.', key=character),
                severity="warning",
            )
            return
        if self._within(area):
            area.refuse_key(character)  # a choice list that has no such choice: refused, and the screen says so
            return
        widget = area.input_widget
        if widget is None or not widget.display:
            area.show_error(t('"{key}" was not typed: there is no question to answer now.', key=character))
            return
        self.set_focus(widget)  # nothing (or the chat) had focus: the key goes to the answer
        widget.post_message(events.Key(event.key, event.character))
