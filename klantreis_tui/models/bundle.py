"""The JSON bundle that carries interviews between laptops: complete, versioned, checked whole."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from klantreis_tui.models.names import NameVariant
from klantreis_tui.models.phases import phase_key
from klantreis_tui.models.personas import Action, ActionLink, DesiredScore, Persona, PersonaRespondent
from klantreis_tui.models.themes import Theme, ThemeLink
from klantreis_tui.models.limits import id_problems, size_problems
from klantreis_tui.models.records import Answer, Consent, Identity, Interview, Record, Respondent, Step, Study, now

BUNDLE_FORMAT = "klantreis-bundle"
BUNDLE_VERSION = 1


class Bundle(Record):
    """Every row an export holds. Unknown keys, wrong types and broken links are errors."""

    format: Literal["klantreis-bundle"]
    schema_version: int
    app_version: str
    exported_at: datetime = Field(default_factory=now)
    pseudonymous: bool = True  # False when the key table (identities) is included
    personal_data_redacted: bool = False
    studies: list[Study] = []
    respondents: list[Respondent] = []
    interviews: list[Interview] = []
    consents: list[Consent] = []
    answers: list[Answer] = []
    steps: list[Step] = []
    identities: list[Identity] = []
    #: a study's merged spellings of organisations and channels (what was typed stays in the steps)
    spellings: list[NameVariant] = []
    #: a study's themes and what of the bundle's steps is assigned to them (merged by name on import)
    themes: list[Theme] = []
    theme_links: list[ThemeLink] = []
    #: a study's persona's, the respondents behind each, their desired journey (merged by name on import)
    personas: list[Persona] = []
    persona_respondents: list[PersonaRespondent] = []
    desired_scores: list[DesiredScore] = []
    #: the improvement plan's actions and what each answers (merged by id on import)
    actions: list[Action] = []
    action_links: list[ActionLink] = []

    @model_validator(mode="after")
    def _complete_and_consistent(self) -> "Bundle":
        if self.schema_version != BUNDLE_VERSION:
            raise PydanticCustomError(
                "bundle_version", "bundle schema version {found}, expected {expected}",
                {"found": self.schema_version, "expected": BUNDLE_VERSION},
            )
        problems: list[str] = []

        def duplicates(kind: str, keys: list[object]) -> None:
            for key, count in Counter(keys).items():
                if count > 1:
                    problems.append(f"{kind} {key} x{count}")

        duplicates("study", [s.id for s in self.studies])
        duplicates("respondent", [r.id for r in self.respondents])
        duplicates("respondent code", [(r.study_id, r.code) for r in self.respondents])
        duplicates("interview", [i.id for i in self.interviews])
        duplicates("step", [s.id for s in self.steps])
        duplicates("step position", [(s.interview_id, s.position) for s in self.steps])
        duplicates("consent", [(c.interview_id, c.item) for c in self.consents])
        duplicates("answer", [(a.interview_id, a.question_id, a.step_id, a.revision) for a in self.answers])
        studies = {s.id for s in self.studies}
        respondents = {r.id: r for r in self.respondents}
        interviews = {i.id for i in self.interviews}
        for respondent in self.respondents:
            if respondent.study_id not in studies:
                problems.append(f"respondent {respondent.code}: study {respondent.study_id} missing")
        for interview in self.interviews:
            respondent = respondents.get(interview.respondent_id)
            if interview.study_id not in studies:
                problems.append(f"interview {interview.id}: study {interview.study_id} missing")
            if respondent is None:
                problems.append(f"interview {interview.id}: respondent {interview.respondent_id} missing")
            elif respondent.study_id != interview.study_id:
                problems.append(f"interview {interview.id}: respondent belongs to another study")
        for kind, rows in (("consent", self.consents), ("answer", self.answers), ("step", self.steps)):
            for row in rows:
                if row.interview_id not in interviews:
                    problems.append(f"{kind} of interview {row.interview_id}: interview missing")
        duplicates("identity", [x.respondent_id for x in self.identities])
        theme_ids = {th.id for th in self.themes}
        step_ids = {s.id for s in self.steps}
        for theme in self.themes:
            if theme.study_id not in studies:
                problems.append(f"theme {theme.name}: study {theme.study_id} missing")
        for link in self.theme_links:
            if link.theme_id not in theme_ids or link.step_id not in step_ids:
                problems.append(f"theme link {link.theme_id}/{link.step_id}: theme or step missing")
        for variant in self.spellings:
            if variant.study_id not in studies:
                problems.append(f"name variant {variant.variant}: study {variant.study_id} missing")
        problems.extend(deliverable_problems(self, studies))
        for identity in self.identities:
            if identity.respondent_id not in respondents:
                problems.append(f"identity of respondent {identity.respondent_id}: respondent missing")
        times = [("exported_at", self.exported_at)]
        times += [(f"study {x.id} created_at", x.created_at) for x in self.studies]
        times += [(f"interview {x.id} started_at", x.started_at) for x in self.interviews]
        times += [(f"interview {x.id} ended_at", x.ended_at) for x in self.interviews if x.ended_at]
        times += [(f"consent of interview {x.interview_id}", x.recorded_at) for x in self.consents]
        times += [(f"answer of interview {x.interview_id}", x.recorded_at) for x in self.answers]
        times += [(f"identity of respondent {x.respondent_id}", x.recorded_at) for x in self.identities]
        problems.extend(f"{where}: time without time zone" for where, value in times if value.tzinfo is None)
        positions: dict[str, list[int]] = {}
        for step in self.steps:
            positions.setdefault(step.interview_id, []).append(step.position)
        for interview_id, found in positions.items():
            if sorted(found) != list(range(1, len(found) + 1)):
                problems.append(f"steps of interview {interview_id}: positions {sorted(found)} are not 1..{len(found)}")
        if problems:
            raise PydanticCustomError("bundle_links", "{problems}", {"problems": _first(problems)})
        return self


def deliverable_problems(holder: object, studies: set[str]) -> list[str]:
    """The structure of the persona and plan lists of a bundle or kit (``holder``): no record twice, every
    persona and action of a study the file holds. (What they point to, respondents, themes, phases, steps,
    is checked against the file and this database by the import, which names what is missing.)"""
    problems: list[str] = []

    def duplicates(kind: str, keys: list[object]) -> None:
        problems.extend(f"{kind} {key} x{count}" for key, count in Counter(keys).items() if count > 1)

    personas, actions = getattr(holder, "personas"), getattr(holder, "actions")
    duplicates("persona", [p.id for p in personas])
    duplicates("persona name", [(p.study_id, " ".join(p.name.split()).casefold()) for p in personas])
    duplicates("persona respondent", [(x.persona_id, x.respondent_id) for x in getattr(holder, "persona_respondents")])
    duplicates("desired score", [(x.persona_id, phase_key(x.phase)) for x in getattr(holder, "desired_scores")])
    duplicates("action", [a.id for a in actions])
    duplicates("action link", [(x.action_id, x.kind, x.target_id) for x in getattr(holder, "action_links")])
    problems.extend(f"persona {p.name}: study {p.study_id} missing" for p in personas if p.study_id not in studies)
    problems.extend(f"action {a.title}: study {a.study_id} missing" for a in actions if a.study_id not in studies)
    return problems


#: the record lists of a bundle
TABLES = ("studies", "respondents", "interviews", "consents", "answers", "steps", "identities")
#: the lists of a study's deliverables (persona's and the improvement plan), in a bundle and in a kit
DELIVERABLE_TABLES = ("personas", "persona_respondents", "desired_scores", "actions", "action_links")


def limit_problems(bundle: Bundle) -> list[str]:
    """What in a bundle from outside is over the limits of ``models.limits``: ids that are no UUIDs (checked
    before anything uses one as a name), text and lists too long. Not part of validation: an export of
    what is stored here is never refused."""
    tables = {name: getattr(bundle, name) for name in (*TABLES, *DELIVERABLE_TABLES)}
    return [*id_problems(tables), *size_problems(tables)]


def _first(problems: list[str]) -> str:
    """The first five problems, and how many more there are."""
    return "; ".join(problems[:5]) + (f" (+{len(problems) - 5})" if len(problems) > 5 else "")
