"""Themes (codes) of a study and what is assigned to them: pain points, ideas and quotes of its steps."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from klantreis_tui.models.records import Record, new_id

#: The step fields whose content can be assigned to a theme; a quote is one item of the step's quote list.
EVIDENCE_FIELDS: tuple[str, ...] = ("pain_point", "opportunity", "quotes")

EvidenceField = Literal["pain_point", "opportunity", "quotes"]


def theme_key(name: str) -> str:
    """How themes are matched by name (on import): case and spacing do not count."""
    return " ".join(name.split()).casefold()


class Theme(Record):
    id: str = Field(default_factory=new_id)
    study_id: str
    name: str = Field(min_length=1)
    description: str = ""
    colour: str = ""  # a CSS colour name or #rrggbb; "" lets the app choose


class ThemeLink(Record):
    """One piece of evidence assigned to a theme: a step's pain point or idea, or one of its quotes."""

    theme_id: str
    step_id: str
    field: EvidenceField
    item: int = Field(default=0, ge=0)  # the quote's index in the step's list; 0 for the text fields
