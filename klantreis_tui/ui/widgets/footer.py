"""The footer that rebuilds only when the keys it shows change."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.screen import Screen
from textual.widgets import Footer


class StableFooter(Footer):
    """A footer that rebuilds only when the keys it shows change, not on every focus change.

    Textual's footer recomposes whenever focus moves; in an interview focus moves with every answer.
    """

    _shown: tuple[tuple[str, str, bool], ...] | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: the keys are on screen (composed once the screen's bindings were known, and refreshed since)
        self.drawn = False
        self._when_drawn: list[Callable[[], object]] = []

    def when_drawn(self, callback: Callable[[], object]) -> None:
        """Call ``callback`` once the footer's keys are on screen: the last part of a screen's first frame."""
        if self.drawn:
            callback()
        else:
            self._when_drawn.append(callback)

    async def recompose(self) -> None:
        await super().recompose()
        if self._bindings_ready and not self.drawn:
            self.call_after_refresh(self._keys_drawn)

    def _keys_drawn(self) -> None:
        self.drawn = True
        waiting, self._when_drawn = self._when_drawn, []
        for callback in waiting:
            callback()

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
