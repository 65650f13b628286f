"""A journey as the deliverables draw it: the study's phases in order, and per phase what the person did and met.

One interview and one persona are both shown this way, so the klantreis visual (the poster), the persona screen
and the office formats draw from the same shape. Building a view is the services' work; drawing it is rendering's.
The view holds text as typed (already redacted where it leaves the laptop): drawing never reads the database.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

ViewKind = Literal["interview", "persona"]


@dataclass(frozen=True)
class ViewStep:
    """One step of the journey as drawn: for a persona, one of the main steps of its respondents."""

    description: str
    instances: tuple[str, ...] = ()  # canonical organisation names
    channels: tuple[str, ...] = ()  # canonical channel names
    emotion: int | None = None  # -2..+2; None when not scored (or, for a persona, not a per-step score)
    pain_point: str = ""
    opportunity: str = ""
    quotes: tuple[str, ...] = ()
    moment_of_truth: bool = False


@dataclass(frozen=True)
class ViewScore:
    """How a phase felt: for an interview the scores of its steps, for a persona those of its respondents."""

    median: float | None = None  # None when nobody scored this phase ("n = 0")
    low: float | None = None  # the spread: lowest and highest score (a persona: of its respondents' phase
    high: float | None = None  # scores, each the median of their steps there, so possibly x.5)
    n: int = 0  # how many scores (an interview: steps; a persona: respondents)

    @classmethod
    def of(cls, scores: Sequence[float]) -> ViewScore:
        """The phase score of ``scores`` (an interview's or a study's steps there, a persona's respondents):
        their median, the spread (lowest and highest) and n; no median and ``n = 0`` when nothing was scored.
        The one computation of every phase score (journey views, persona's, the study synthesis). The median
        is ``statistics.median``'s: a whole score stays whole (shown "+1"), the middle of two may be x.5."""
        if not scores:
            return cls()
        return cls(median=statistics.median(scores), low=min(scores), high=max(scores), n=len(scores))


@dataclass(frozen=True)
class ViewPhase:
    name: str
    known: bool = True  # False: a phase typed at a step that is not in the study's list (shown as such)
    steps: tuple[ViewStep, ...] = ()
    score: ViewScore = field(default_factory=ViewScore)
    desired: float | None = None  # the desired score (gewenste hartslag), -2..+2, when the team set one
    desired_ideas: tuple[str, ...] = ()  # the ideas that would get the phase there
    organisations: tuple[str, ...] = ()  # in order of first appearance
    channels: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()  # names of the themes (knelpunten) that weigh most here, heaviest first
    pain_points: tuple[str, ...] = ()  # knelpunten as typed
    opportunities: tuple[str, ...] = ()  # kansen / ideas as typed
    quotes: tuple[str, ...] = ()  # only quotes that may be shown (consent)
    moments_of_truth: tuple[str, ...] = ()  # descriptions of the steps marked as a moment of truth


@dataclass(frozen=True)
class JourneyView:
    kind: ViewKind
    title: str  # the respondent code, or the persona's name
    subtitle: str = ""  # study name, segment, life event
    phases: tuple[ViewPhase, ...] = ()
    respondents: tuple[str, ...] = ()  # respondent codes behind it (an interview: its own code)
    story: str = ""  # persona only
    goal: str = ""
    context: str = ""

    @property
    def has_desired(self) -> bool:
        return any(phase.desired is not None for phase in self.phases)
