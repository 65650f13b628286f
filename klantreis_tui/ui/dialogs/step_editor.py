"""The step editor: every field of one step in a form."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult
from textual.widgets import Checkbox, Input, Label, TextArea

from klantreis_tui.i18n import keyed, t
from klantreis_tui.models.records import Step
from klantreis_tui.ui.dialogs.forms import FormScreen


class StepEditor(FormScreen):
    """Every field of one step."""

    def __init__(self, step: Step, apply: Callable[[dict[str, Any]], Any] | None = None):
        super().__init__(apply)
        self.step = step
        self.title_text = t('Edit step {n}', n=step.position)

    def fields(self) -> ComposeResult:
        step = self.step
        texts = {
            "phase": step.phase,
            "description": step.description,
            "instances": ", ".join(step.instances),
            "channels": ", ".join(step.channels),
            "emotion": "" if step.emotion is None else f"{step.emotion:+d}".replace("+0", "0"),
            "emotion_words": ", ".join(step.emotion_words),
            "pain_point": step.pain_point,
            "opportunity": step.opportunity,
            "duration": step.duration,
        }
        for name, value in texts.items():
            yield Label(t(keyed(f"step.{name}")))
            yield Input(self.shown(f"step-{name}", value), id=f"step-{name}")
        yield Label(t('Quotes (one per line)'))
        yield TextArea(self.shown("step-quotes", "\n".join(step.quotes), multiline=True), id="step-quotes", soft_wrap=True)
        yield Checkbox(t('Moment of truth'), step.moment_of_truth, id="step-moment_of_truth")

    def validate(self) -> dict[str, Any] | None:
        def split(text: str) -> list[str]:
            return list(dict.fromkeys(p.strip() for p in re.split(r"[,;]", text) if p.strip()))

        emotion_text = self.value("step-emotion").replace("+", "")
        emotion: int | None = None
        if emotion_text:
            try:
                emotion = int(emotion_text)
            except ValueError:
                emotion = 99
            if not -2 <= emotion <= 2:
                self.error(t('Choose a score from -2 to +2.'))
                return None
        return {
            "phase": self.value("step-phase"),
            "description": self.value("step-description"),
            "instances": split(self.value("step-instances")),
            "channels": split(self.value("step-channels")),
            "emotion": emotion,
            "emotion_words": split(self.value("step-emotion_words")),
            "quotes": [line.strip() for line in self.value("step-quotes").splitlines() if line.strip()],
            "pain_point": self.value("step-pain_point"),
            "opportunity": self.value("step-opportunity"),
            "duration": self.value("step-duration"),
            "moment_of_truth": self.query_one("#step-moment_of_truth", Checkbox).value,
        }
