"""Persona's of a study, their desired journey, and the improvement plan's actions (VNG: Design and Deliver)."""

from __future__ import annotations

from enum import Enum
from typing import Literal

from pydantic import Field

from klantreis_tui.models.records import EMOTION_MAX, EMOTION_MIN, Record, new_id


class Persona(Record):
    """A persona built from chosen respondents; its journey is derived from theirs, never typed."""

    id: str = Field(default_factory=new_id)
    study_id: str
    name: str = Field(min_length=1)
    story: str = ""  # a short story
    goal: str = ""  # what the person wants to reach
    context: str = ""  # household, digital skills, who helps
    segment: str = ""


class PersonaRespondent(Record):
    persona_id: str
    respondent_id: str


class DesiredScore(Record):
    """The desired score of one phase for one persona (gewenste hartslag), and the ideas that would get it there."""

    persona_id: str
    phase: str = Field(min_length=1)
    score: int | None = Field(default=None, ge=EMOTION_MIN, le=EMOTION_MAX)
    ideas: list[str] = []


class ActionStatus(str, Enum):
    proposed = "proposed"
    planned = "planned"
    in_progress = "in_progress"
    done = "done"
    dropped = "dropped"


class Action(Record):
    """One action of the improvement plan (verbeterplan): who owns it, when, at what cost."""

    id: str = Field(default_factory=new_id)
    study_id: str
    title: str = Field(min_length=1)
    description: str = ""
    organisation: str = ""  # the organisation that owns it
    owner_role: str = ""
    time_estimate: str = ""
    cost_estimate: str = ""
    status: ActionStatus = ActionStatus.proposed


ActionLinkKind = Literal["theme", "persona", "idea"]


class ActionLink(Record):
    """What an action answers: a theme, a persona, or the step whose idea (opportunity) it is drawn from."""

    action_id: str
    kind: ActionLinkKind
    target_id: str
