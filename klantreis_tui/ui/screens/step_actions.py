"""The interview screen's work on the journey steps: the panel, new steps, the step editor and the step-list keys."""

from __future__ import annotations

from typing import Any

from klantreis_tui.errors import StorageError
from klantreis_tui.i18n import t
from klantreis_tui.services import InterviewState, Services
from klantreis_tui.ui.dialogs.confirm import ConfirmScreen
from klantreis_tui.ui.dialogs.step_editor import StepEditor
from klantreis_tui.ui.screens.focus_rule import FocusRule
from klantreis_tui.ui.widgets.journey_panel import JourneyPanel


class StepActions(FocusRule):
    """The step actions of the interview screen (its base class): they change steps through the services and
    show the result with ``reload``."""

    services: Services
    interview_id: str
    lang: str
    state: InterviewState

    def reload(self, highlight: str | None = None) -> None:
        raise NotImplementedError

    def dialog_open(self) -> bool:
        """Whether a dialog is over this screen: a second one is not opened on top of it (keys typed ahead
        while the first was opening would pile them up)."""
        return self.app.screen is not self

    def action_new_step(self) -> None:
        panel = self.query_one(JourneyPanel)
        steps_focused = self.focused is self.query_one("#steps")
        selected = panel.selected_step() if steps_focused else None
        position = selected.position + 1 if selected else None
        self._insert_and_edit(position)

    def _insert_and_edit(self, position: int | None) -> None:
        try:
            step = self.services.insert_step(self.interview_id, position)
        except StorageError as exc:
            self.notify(str(exc), severity="error")
            return
        self.reload(highlight=step.id)
        self.edit_step(step.id)

    def edit_step(self, step_id: str) -> None:
        step = next((s for s in self.state.steps if s.id == step_id), None)
        if step is None or self.dialog_open():
            return

        def save(result: dict[str, Any]) -> None:
            """Committed before the editor closes: a refused save keeps it open with every edit."""
            self.services.update_step(step_id, **result)

        def saved(result: dict[str, Any] | None) -> None:
            if result is not None:
                self.notify(t('Step {n} saved.', n=step.position))
            self.reload(highlight=step_id)

        self.app.push_screen(StepEditor(step, apply=save), saved)

    def on_journey_panel_step_action_chosen(self, event: JourneyPanel.StepActionChosen) -> None:
        """A key of the step list: edit, insert, move, merge, delete."""
        event.stop()
        action, step = event.action, event.step
        if self.dialog_open():
            return
        if step is None and action not in ("after", "before"):
            self.notify(t('No step is highlighted: choose one with the arrow keys first.'), severity="warning")
            return
        if action == "after":
            self._insert_and_edit(step.position + 1 if step else None)
        elif action == "before" and step is None:
            self._insert_and_edit(None)
        elif action == "before":
            self._insert_and_edit(step.position)
        elif action == "edit":
            self.edit_step(step.id)
        elif action in ("up", "down"):
            try:
                moved = self.services.move_step(step.id, step.position + (-1 if action == "up" else 1))
            except StorageError as exc:
                self.notify(str(exc), severity="error")
                return
            self.reload(highlight=moved.id)
        elif action == "merge":
            self.merge_with_next(step)
        else:
            self.delete_step(step)

    def merge_with_next(self, step: Any) -> None:
        following = [s for s in self.state.steps if s.position == step.position + 1]
        if not following:
            self.notify(t('This is the last step; there is no next step to merge with.'), severity="warning")
            return
        try:
            merged = self.services.merge_steps(step.id, following[0].id)
        except StorageError as exc:
            self.notify(str(exc), severity="error")
            return
        self.notify(t('Steps {n} and {m} merged.', n=step.position, m=step.position + 1))
        self.reload(highlight=merged.id)

    def delete_step(self, step: Any) -> None:
        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.services.delete_step(step.id)
            except StorageError as exc:
                self.notify(str(exc), severity="error")
                return
            self.notify(t('Step {n} deleted.', n=step.position))
            self.reload()

        text = step.description or "…"
        if self.dialog_open():
            return
        self.app.push_screen(ConfirmScreen(t('Delete step {n}: {text}?', n=step.position, text=text)), confirmed)
