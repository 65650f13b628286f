"""The study kit: what every laptop of a team needs to interview for one study, without any interview."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from klantreis_tui.i18n import t
from klantreis_tui.models.bundle import deliverable_problems, twice
from klantreis_tui.models.personas import Action, ActionLink, DesiredScore, Persona, PersonaRespondent
from klantreis_tui.models.records import Record, Study, now

KIT_FORMAT = "klantreis-kit"
KIT_VERSION = 1
#: the assistant's word-list files a kit may carry (the study's own folder holds these names)
WORD_LIST_FILES = ("instances.yaml", "channels.yaml", "emotions.yaml", "probes.yaml")
#: the file in a study's assistant folder that holds its phase list (one phase a line in a YAML list)
PHASES_FILE = "phases.yaml"


class KitQuestionSet(Record):
    """One question-set file as the exporting laptop has it: id, version and the YAML text."""

    id: str = Field(min_length=1)
    version: str = Field(min_length=1)
    text: str


class KitFile(Record):
    """One of the study's own assistant word lists (``instances.yaml`` ...) with its YAML text."""

    name: Literal["instances.yaml", "channels.yaml", "emotions.yaml", "probes.yaml"]
    text: str


class Kit(Record):
    """The startdocument, the phase list, the question sets and the study's word lists. Strict like a bundle."""

    format: Literal["klantreis-kit"]
    schema_version: int
    app_version: str
    exported_at: datetime = Field(default_factory=now)
    study: Study
    phases: list[str] = []
    question_sets: list[KitQuestionSet] = []
    word_lists: list[KitFile] = []
    #: the study's persona's and their desired journey, and the improvement plan (no interview, so the
    #: respondents behind a persona and the ideas of steps travel in bundles; a kit that names them is
    #: checked against this database)
    personas: list[Persona] = []
    persona_respondents: list[PersonaRespondent] = []
    desired_scores: list[DesiredScore] = []
    actions: list[Action] = []
    action_links: list[ActionLink] = []

    @model_validator(mode="after")
    def _consistent(self) -> "Kit":
        problems = []
        if self.schema_version != KIT_VERSION:
            problems.append(t('schema_version {found}, expected {expected}', found=self.schema_version, expected=KIT_VERSION))
        ids = [q.id for q in self.question_sets]
        problems += [twice("question set", i, ids.count(i)) for i in sorted(set(ids)) if ids.count(i) > 1]
        names = [f.name for f in self.word_lists]
        problems += [twice("word list", n, names.count(n)) for n in sorted(set(names)) if names.count(n) > 1]
        if self.exported_at.tzinfo is None:
            problems.append(t("exported_at: time without time zone"))
        if self.study.created_at.tzinfo is None:
            problems.append(t("study {id} {field}: time without time zone", id=self.study.id, field="created_at"))
        problems += deliverable_problems(self, {self.study.id})
        if problems:
            raise PydanticCustomError("kit_links", "{problems}", {"problems": "; ".join(problems)})
        return self
