"""Messages that screens post up to the app: open an interview, its summary or a study's synthesis."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class OpenInterview(Message):
    """Open this interview (unless it is open in another window)."""

    interview_id: str


@dataclass
class OpenSummary(Message):
    """Show the summary of one interview."""

    interview_id: str


@dataclass
class OpenSynthesis(Message):
    """Show the synthesis of these interviews of one study."""

    interview_ids: list[str]


@dataclass
class OpenAnalysis(Message):
    """Show the analysis screen (themes) of one study."""

    study_id: str


@dataclass
class OpenPersonas(Message):
    """Show the persona screen of one study."""

    study_id: str


@dataclass
class OpenPlan(Message):
    """Show the improvement plan (verbeterplan) of one study."""

    study_id: str
