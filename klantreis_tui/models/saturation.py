"""Saturation: per interview, in the order they were held, how many themes, organisations and pain points it
brought that no earlier interview had; and the interviews at the end that brought nothing new."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from klantreis_tui.models.names import name_key
from klantreis_tui.models.records import InterviewRecord
from klantreis_tui.models.themes import ThemeLink


class SaturationRow(BaseModel):
    code: str
    new_themes: int
    new_organisations: int
    new_pain_points: int

    @property
    def nothing_new(self) -> bool:
        return not (self.new_themes or self.new_organisations or self.new_pain_points)


class Saturation(BaseModel):
    """The rows in the order the interviews were held, and the codes of the interviews at the end that brought
    nothing new (none with fewer than two interviews: one interview cannot repeat another)."""

    rows: list[SaturationRow] = []
    saturated_codes: list[str] = []


@dataclass(frozen=True)
class HeldStep:
    """What saturation reads of a step."""

    id: str
    instances: list[str]
    pain_point: str


@dataclass(frozen=True)
class Held:
    """An interview as saturation reads it: who, when, and its steps (``HeldStep``s or the records' steps)."""

    code: str
    started_at: datetime
    steps: Sequence[Any]


def held(record: InterviewRecord) -> Held:
    return Held(record.respondent.code, record.interview.started_at, record.steps)


def saturation(
    interviews: Iterable[Held], links: Iterable[ThemeLink], organisations: Callable[[list[str]], list[str]]
) -> Saturation:
    """``interviews``: those of a synthesis; ``links``: the study's theme assignments; ``organisations``: a
    step's organisations under their canonical names. A pain point is new unless it is assigned to a theme an
    earlier interview had already; an organisation is new by its canonical name."""
    step_themes: dict[str, set[str]] = {}
    pain_themes: dict[str, set[str]] = {}
    for link in links:
        step_themes.setdefault(link.step_id, set()).add(link.theme_id)
        if link.field == "pain_point":
            pain_themes.setdefault(link.step_id, set()).add(link.theme_id)
    seen_themes: set[str] = set()
    seen_orgs: set[str] = set()
    rows = []
    for record in sorted(interviews, key=lambda r: (r.started_at, r.code)):
        themes_here = set().union(*(step_themes.get(s.id, set()) for s in record.steps))
        orgs_here = {name_key(o) for s in record.steps for o in organisations(s.instances)}
        new_pains = sum(
            1 for s in record.steps
            if s.pain_point.strip() and not (pain_themes.get(s.id, set()) & seen_themes)
        )
        rows.append(SaturationRow(
            code=record.code,
            new_themes=len(themes_here - seen_themes),
            new_organisations=len(orgs_here - seen_orgs),
            new_pain_points=new_pains,
        ))
        seen_themes |= themes_here
        seen_orgs |= orgs_here
    quiet: list[str] = []
    for row in reversed(rows):
        if not row.nothing_new:
            break
        quiet.insert(0, row.code)
    return Saturation(rows=rows, saturated_codes=quiet if len(rows) > 1 else [])
