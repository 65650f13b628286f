"""Where an interview stands: a question to ask (Slot), the step-loop prompt (LoopPrompt), or the end (Ended)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Slot:
    """One question to ask; ``step_id`` is set for step-loop questions."""

    question_id: str
    step_id: str = ""


@dataclass(frozen=True)
class LoopPrompt:
    """The step loop asks whether there is another step (or a first one)."""

    section_id: str
    step_count: int


@dataclass(frozen=True)
class Ended:
    """Nothing left to ask: ``refused`` when consent to take part was not given."""

    refused: bool = False


Position = Slot | LoopPrompt | Ended
