"""The improvement plan as data: ranked actions with the residents' words behind each (rendering, office formats)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from klantreis_tui.models.personas import Action

#: What a piece of evidence behind an action is: a step's pain point, its idea (opportunity), or one of its quotes.
WordKind = Literal["pain_point", "idea", "quote"]


class PlanWords(BaseModel):
    """One pain point, idea or quote of one step, behind an action."""

    model_config = ConfigDict(extra="forbid")

    kind: WordKind
    text: str
    code: str  # the respondent's code
    number: int  # the step's number in the interview
    phase: str
    themes: list[str] = []  # the names of the action's themes this piece is assigned to
    idea: bool = False  # the step is one the action is drawn from (its idea)


class PlanAction(BaseModel):
    """One action of the plan with what makes it weigh: the respondents and their words behind it."""

    model_config = ConfigDict(extra="forbid")

    rank: int  # 1, 2, ... in the plan; 0 for a dropped action
    action: Action
    organisation: str  # the owning organisation under its canonical name
    respondent_count: int  # distinct respondents behind its themes and ideas
    respondents: list[str]  # their codes, sorted
    themes: list[str]  # theme names, in the study's order
    personas: list[str]  # persona names, in the study's order
    words: list[PlanWords]  # by respondent code and step number


class ImprovementPlan(BaseModel):
    """A study's improvement plan (verbeterplan): the actions ranked, the dropped ones apart."""

    model_config = ConfigDict(extra="forbid")

    study_id: str
    study_title: str
    respondent_count: int  # respondents of the study with steps (the ranking's denominator)
    actions: list[PlanAction]  # every action not dropped, ranked
    dropped: list[PlanAction]
    redacted: bool  # personal data in free text replaced by labels (the default for anything exported)
    quotes_withheld: bool  # some quotes were left out for want of consent
