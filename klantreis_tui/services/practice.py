"""The practice study: the three example journeys as completed interviews, for trying every key before the
first real interview; marked as practice, kept out of exports unless asked, removed in one action."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from klantreis_tui.i18n import t
from klantreis_tui.models.positions import Ended, LoopPrompt
from klantreis_tui.models.question_set import Question, QuestionKind
from klantreis_tui.models.records import Study
from klantreis_tui.services.base import ServiceBase

JOURNEYS_DIR = Path(__file__).resolve().parent / "practice_journeys"
JOURNEYS = ("johan-paspoort", "jan-schulden", "dennis-werkbedrijf")
PRACTICE_SET = "vng-algemeen"


def practice_journeys() -> list[dict[str, Any]]:
    return [json.loads((JOURNEYS_DIR / f"{name}.json").read_text(encoding="utf-8")) for name in JOURNEYS]


def _step_value(question: Question, step: dict[str, Any]) -> Any:
    """What the example journey answers to a step-loop question (None: skipped)."""
    return {
        "description": step["step"],
        "phase": step["phase"],
        "instances": step["instance"],
        "channels": step["channel"],
        "emotion": step["emotion"],
        "emotion_words": ", ".join(step["emotion_words"]),
        "quote": step.get("quote") or None,
        "pain_point": step.get("pain_point") or None,
        "opportunity": step.get("opportunity") or None,
        "duration": step.get("duration") or None,
        "moment_of_truth": bool(step.get("moment_of_truth")),
    }.get(question.field or "")


class PracticeServices(ServiceBase):
    """Making, finding and removing the practice study."""

    def has_practice_study(self) -> bool:
        return bool(self.store.practice_study_ids())

    def is_practice(self, study_id: str) -> bool:
        return study_id in self.store.practice_study_ids()

    def create_practice_study(self) -> Study:
        """A study with the example journeys as completed interviews of the general script, marked as practice."""
        study = self.store.add_study(
            Study(
                title=t('Practice study (example journeys)'),
                doelgroep=t('Practice only: three example journeys, no real respondents'),
            )
        )
        self.store.mark_practice(study.id)
        for journey in practice_journeys():
            self._practice_interview(study.id, journey)
        return study

    def remove_practice_studies(self) -> int:
        """Delete every practice study with its interviews; the number of studies removed."""
        ids = sorted(self.store.practice_study_ids())
        if ids:
            self.store.delete_studies(ids)
        return len(ids)

    def _practice_interview(self, study_id: str, journey: dict[str, Any]) -> None:
        iid = self.start_interview(study_id, PRACTICE_SET, respondent_code=journey["respondent"]["code"]).id  # type: ignore[attr-defined]
        steps = journey["steps"]
        while not isinstance(position := (state := self.state(iid)).current(), Ended):  # type: ignore[attr-defined]
            if isinstance(position, LoopPrompt):
                self.loop_answer(iid, position, len(state.steps) < len(steps))  # type: ignore[attr-defined]
                continue
            question = state.question(position)
            if position.step_id:
                step = steps[len(state.steps) - 1]
                self.answer(iid, position, _step_value(question, step), state)  # type: ignore[attr-defined]
                if question.kind is QuestionKind.emotion:  # the feeling words, asked on request
                    for extra in state.on_request(position.step_id):
                        if state.question(extra).field == "emotion_words" and step["emotion_words"]:
                            self.answer(iid, extra, _step_value(state.question(extra), step))  # type: ignore[attr-defined]
            else:
                self.answer(iid, position, self._context_value(question, journey), state)  # type: ignore[attr-defined]
        for stored, step in zip(self.state(iid).steps, steps):  # type: ignore[attr-defined]
            if step.get("moment_of_truth") and not stored.moment_of_truth:  # a mild step: set as with the key
                self.store.update_step(stored.id, moment_of_truth=True)
        self.finish(iid)  # type: ignore[attr-defined]

    @staticmethod
    def _context_value(question: Question, journey: dict[str, Any]) -> Any:
        respondent = journey["respondent"]
        by_field = {
            "trigger": journey["trigger"],
            "expectation": journey["expectation"],
            "segment": respondent["segment"],
            "age_band": respondent["age_band"],
        }
        if question.field in by_field:
            return by_field[question.field]
        if question.kind is QuestionKind.yes_no:
            return True
        if question.kind in (QuestionKind.single_choice, QuestionKind.multiple_choice):
            return "1"
        return None
