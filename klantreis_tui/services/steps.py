"""The steps of a journey: insert, update, move, delete, merge, and marking quotes, pain points and ideas."""

from __future__ import annotations

from typing import Any

from klantreis_tui.errors import AnswerInvalid
from klantreis_tui.models import steps as step_fields
from klantreis_tui.models.records import Step
from klantreis_tui.models.steps import merged_value
from klantreis_tui.services.base import ServiceBase


class StepServices(ServiceBase):
    """Editing the steps of an interview; every change committed."""

    def steps(self, interview_id: str) -> list[Step]:
        return self.store.steps_of(interview_id)

    def step(self, step_id: str) -> Step:
        return self.store.get_step(step_id)

    def insert_step(self, interview_id: str, position: int | None = None, **fields: Any) -> Step:
        return self.store.insert_step(interview_id, position, **fields)

    def update_step(self, step_id: str, **fields: Any) -> Step:
        if "quotes" in fields:
            step = self.store.get_step(step_id)
            if set(fields["quotes"]) - set(step.quotes) and self._quotes_refused(step.interview_id):
                raise AnswerInvalid("mark.quote_refused")
        return self.store.update_step(step_id, **fields)

    def _quotes_refused(self, interview_id: str) -> bool:
        return any(c.item == "quotes" and not c.granted for c in self.store.consents_of(interview_id))

    def move_step(self, step_id: str, position: int) -> Step:
        return self.store.move_step(step_id, position)

    def delete_step(self, step_id: str) -> None:
        self.store.delete_step(step_id)

    def merge_steps(self, keep_id: str, other_id: str) -> Step:
        """Merge step ``other_id`` into ``keep_id`` (texts joined, lists combined) and delete it."""
        keep, other = self.store.get_step(keep_id), self.store.get_step(other_id)
        if keep.interview_id != other.interview_id or keep.id == other.id:
            raise ValueError("steps of different interviews, or the same step")

        fields = {f.name: merged_value(f, getattr(keep, f.name), getattr(other, f.name)) for f in step_fields.FIELDS}
        with self.store.atomic():
            merged = self.store.update_step(keep_id, **fields)
            self.store.delete_step(other_id)
        return self.store.get_step(merged.id)

    def mark(self, step_id: str, kind: str, text: str) -> Step:
        """Mark ``text`` as a quote, pain point or opportunity (idea) of a step."""
        text = text.strip()
        step = self.store.get_step(step_id)
        if kind == "quote" and self._quotes_refused(step.interview_id):
            raise AnswerInvalid("mark.quote_refused")
        if kind == "quote":
            return self.store.update_step(step_id, quotes=list(dict.fromkeys([*step.quotes, text])))
        if kind not in ("pain_point", "opportunity"):
            raise ValueError(kind)
        current: str = getattr(step, kind)
        if text in current.split("; "):
            return step
        return self.store.update_step(step_id, **{kind: "; ".join(x for x in (current, text) if x)})
