"""Two keys of the interview screen that work on the current step from anywhere: the moment of truth on or off,
and the step questions asked only on request (``ask: on_request``)."""

from __future__ import annotations

from typing import Any

from textual.binding import Binding

from klantreis_tui.errors import AnswerInvalid, StorageError
from klantreis_tui.i18n import t
from klantreis_tui.models.positions import Slot
from klantreis_tui.ui.keys import N_
from klantreis_tui.ui.screens.step_actions import StepActions
from klantreis_tui.ui.widgets.answer_area import AnswerArea
from klantreis_tui.ui.widgets.journey_panel import JourneyPanel


class StepKeys(StepActions):
    """The moment-of-truth key and the on-request key (a base class of the interview screen; its bindings are
    merged into the screen's)."""

    BINDINGS = [
        Binding("alt+m", "toggle_moment", N_('Moment of truth on/off'), id="interview.toggle_moment", priority=True,
                show=False),
        Binding("alt+e", "ask_on_request", N_('Extra question (feeling, duration)'), id="interview.ask_on_request",
                priority=True, show=False),
    ]

    editing: Slot | None
    asked: Any

    def ask(self) -> None:
        raise NotImplementedError

    def _current_step(self) -> Any:
        """The step the keys work on: the one of the question asked (or being changed), the step chosen in the
        journey panel while it has focus, else the last step."""
        position = self.editing or self.state.current()
        if isinstance(position, Slot) and position.step_id:
            return self.state.step(position.step_id)
        panel = self.query_one(JourneyPanel)
        if self.focused is not None and panel in self.focused.ancestors_with_self and panel.selected_step():
            return panel.selected_step()
        return self.state.steps[-1] if self.state.steps else None

    def action_toggle_moment(self) -> None:
        step = self._current_step()
        if step is None:
            self.notify(t('There is no step yet.'), severity="warning")
            return
        wanted = not step.moment_of_truth
        loop = self.state.qs.step_loop()
        question = next((q for q in loop.questions if q.field == "moment_of_truth"), None) if loop else None
        slot = Slot(question.id, step.id) if question is not None else None
        try:
            if slot is not None and (self.state.applies(slot) or self.state.answer(slot) is not None):
                saved = self.services.answer(self.interview_id, slot, wanted, self.state)  # the chat shows it too
                self.state = saved.state
            else:
                self.services.update_step(step.id, moment_of_truth=wanted)
        except (StorageError, AnswerInvalid) as exc:
            self.notify(t('NOT saved: {error}', error=exc), severity="error")
            return
        if wanted:
            self.notify(t('Step {n} is a moment of truth.', n=step.position))
        else:
            self.notify(t('Step {n} is no longer a moment of truth.', n=step.position))
        self.reload(highlight=step.id)

    def action_ask_on_request(self) -> None:
        """Ask the next question of the current step that is asked only on request; again for the one after."""
        step = self._current_step()
        if step is None:
            self.notify(t('There is no step yet.'), severity="warning")
            return
        area = self.query_one(AnswerArea)
        open_slots = self.state.on_request(step.id)
        if self.editing in open_slots:  # pressed again: the next one, round the list
            index = open_slots.index(self.editing)
            open_slots = open_slots[index + 1:] + open_slots[:index]
        elif area.current_text().strip():
            self.notify(t('Save the answer being typed first (Enter); then ask the extra question.'), severity="warning")
            return
        if not open_slots:
            self.notify(t('Step {n} has no further questions to ask on request.', n=step.position))
            return
        slot = open_slots[0]
        self.editing = slot
        self.asked = None
        self.ask()
        prompt = self.state.question(slot).prompt.get(self.lang)
        area.show_error(t('Extra question for step {n} (Esc: back to the current question): {prompt}', n=step.position, prompt=prompt))
