"""An interview's status (stored as its value; without pydantic, so the command line and the first frame can
use it before the models are loaded)."""

from __future__ import annotations

from enum import Enum


class InterviewStatus(str, Enum):
    bezig = "bezig"
    afgerond = "afgerond"
    afgebroken = "afgebroken"
    geen_toestemming = "geen toestemming"
