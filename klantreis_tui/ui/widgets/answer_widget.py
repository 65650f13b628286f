"""The base of every answer input: a spent input holds the keys typed ahead and hands them to the next one."""

from __future__ import annotations

from textual import events
from textual.message import Message
from textual.widget import Widget


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

    async def run_own_binding(self, event: events.Key) -> bool:
        """Run this input's own binding for the key (backspace, arrows, home, end, → completing) now, in key
        order. Textual runs a focused widget's bindings only once the key has bubbled up to the app, while the
        input goes on with the keys after it: in a burst ("abc", backspace, "d") the backspace came after the
        "d". The same binding as Textual would pick (the keymap applied; the input's before the screen's),
        and the key goes no further."""
        bindings = self._bindings.copy()  # type: ignore[attr-defined]
        keymap = self.app._keymap  # type: ignore[attr-defined]
        if keymap:
            bindings.apply_keymap(keymap)
        for binding in bindings.key_to_bindings.get(event.key, ()):
            if not binding.priority and await self.app.run_action(binding.action, self):  # type: ignore[attr-defined]
                event.stop()
                event.prevent_default()
                return True
        return False

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
