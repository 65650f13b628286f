"""The JSON bundle that carries interviews between laptops: complete, versioned, checked whole."""

from __future__ import annotations

import sys
from collections import Counter
from datetime import datetime
from types import SimpleNamespace
from typing import Any, Literal

from pydantic import Field, ValidationInfo, model_validator
from pydantic_core import PydanticCustomError

from klantreis_tui.i18n import N_, t
from klantreis_tui.models.names import NameVariant, name_key
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
    def _complete_and_consistent(self, info: ValidationInfo) -> "Bundle":
        if self.schema_version != BUNDLE_VERSION:
            raise PydanticCustomError(
                "bundle_version", "bundle schema version {found}, expected {expected}",
                {"found": self.schema_version, "expected": BUNDLE_VERSION},
            )
        if info.context and info.context.get("links") is False:  # the envelope of a stream: links come later
            return self
        links = BundleLinks()
        links.exported(self.exported_at)
        for table in TABLE_MODELS:
            for record in getattr(self, table):
                links.add(table, record)
        problems = links.problems()
        if problems:
            raise PydanticCustomError("bundle_links", "{problems}", {"problems": _first(problems)})
        return self


class BundleLinks:
    """The checks across the records of a bundle (duplicates, links, times with a zone, step positions), fed
    one record at a time in any order (a bundle read as a stream) and asked at the end. It keeps ids and
    keys, not records: a few dozen bytes a row."""

    def __init__(self) -> None:
        self._seen: dict[str, dict[Any, int]] = {kind: {} for kind in _DUPLICATE_KINDS}
        self._twice: dict[str, dict[Any, int]] = {kind: {} for kind in _DUPLICATE_KINDS}
        self._respondent_study: dict[str, str] = {}
        self._respondent_codes: list[tuple[str, str]] = []  # (code, study id), in order
        self._interviews: list[tuple[str, str, str]] = []  # (id, study id, respondent id)
        self._rows_of: dict[str, list[list[Any]]] = {"consent": [], "answer": [], "step": []}  # runs [interview, n]
        self._themes: list[tuple[str, str, str]] = []  # (id, name, study id)
        self._theme_links: list[tuple[str, str]] = []
        self._spellings: list[tuple[str, str]] = []  # (variant, study id)
        self._identities: list[str] = []
        self._deliverables: dict[str, list[Any]] = {table: [] for table in DELIVERABLE_TABLES}  # small: kept whole
        self._naive: list[tuple[str, str, str]] = []  # (kind, id, field) of a time without a zone
        self._positions: dict[str, list[int]] = {}
        self._short: dict[str, int] = {}  # interview and step ids as small numbers in the keys

    def _number(self, value: str) -> int:
        return self._short.setdefault(value, len(self._short))

    def _key(self, kind: str, key: Any, shown: Any) -> None:
        seen = self._seen[kind]
        if key in seen:
            twice = self._twice[kind]
            twice[shown] = twice.get(shown, 1) + 1
        else:
            seen[key] = len(seen)

    def _run(self, kind: str, interview_id: str) -> None:
        runs = self._rows_of[kind]
        if runs and runs[-1][0] == interview_id:
            runs[-1][1] += 1
        else:
            runs.append([interview_id, 1])

    def exported(self, exported_at: datetime) -> None:
        if exported_at.tzinfo is None:
            self._naive.append(("exported_at", "", ""))

    def add(self, table: str, record: Any) -> None:
        """One record of ``table`` (a name of TABLE_MODELS)."""
        if table == "studies":
            self._key("study", record.id, record.id)
            if record.created_at.tzinfo is None:
                self._naive.append(("study", record.id, "created_at"))
        elif table == "respondents":
            self._key("respondent", record.id, record.id)
            self._key("respondent code", (record.study_id, record.code), (record.study_id, record.code))
            self._respondent_study.setdefault(record.id, record.study_id)
            self._respondent_codes.append((record.code, record.study_id))
        elif table == "interviews":
            self._key("interview", record.id, record.id)
            self._interviews.append((record.id, record.study_id, record.respondent_id))
            if record.started_at.tzinfo is None:
                self._naive.append(("interview", record.id, "started_at"))
            if record.ended_at is not None and record.ended_at.tzinfo is None:
                self._naive.append(("interview", record.id, "ended_at"))
        elif table == "consents":
            self._key("consent", (self._number(record.interview_id), record.item), (record.interview_id, record.item))
            self._run("consent", record.interview_id)
            if record.recorded_at.tzinfo is None:  # (a time without a zone is worded only when refusing)
                self._naive.append(("consent", record.interview_id, ""))
        elif table == "answers":  # (the most records of a bundle: the short numbers looked up here)
            short = self._short
            interview, step = record.interview_id, record.step_id
            key = (short.setdefault(interview, len(short)), sys.intern(record.question_id),
                   short.setdefault(step, len(short)), record.revision)
            self._key("answer", key, (interview, record.question_id, step, record.revision))
            self._run("answer", interview)
            if record.recorded_at.tzinfo is None:
                self._naive.append(("answer", interview, ""))
        elif table == "steps":
            self._key("step", self._number(record.id), record.id)
            self._key("step position", (self._number(record.interview_id), record.position), (record.interview_id, record.position))
            self._run("step", record.interview_id)
            self._positions.setdefault(record.interview_id, []).append(record.position)
        elif table == "identities":
            self._key("identity", record.respondent_id, record.respondent_id)
            self._identities.append(record.respondent_id)
            if record.recorded_at is not None and record.recorded_at.tzinfo is None:
                self._naive.append(("identity", record.respondent_id, ""))
        elif table == "spellings":
            self._spellings.append((record.variant, record.study_id))
        elif table == "themes":
            self._themes.append((record.id, record.name, record.study_id))
        elif table == "theme_links":
            self._theme_links.append((record.theme_id, record.step_id))
        elif table in self._deliverables:
            self._deliverables[table].append(record)

    def problems(self) -> list[str]:
        """Every problem, in the order a bundle checked whole reports them."""
        problems: list[str] = []

        def duplicates(kind: str) -> None:
            problems.extend(twice(kind, key, count) for key, count in self._twice[kind].items())

        for kind in _DUPLICATE_KINDS[:-1]:
            duplicates(kind)
        studies = self._seen["study"]
        for code, study_id in self._respondent_codes:
            if study_id not in studies:
                problems.append(t('respondent {code}: study {study} missing', code=code, study=study_id))
        interviews = self._seen["interview"]
        for interview_id, study_id, respondent_id in self._interviews:
            if study_id not in studies:
                problems.append(t('interview {id}: study {study} missing', id=interview_id, study=study_id))
            here = self._respondent_study.get(respondent_id)
            if here is None:
                problems.append(t('interview {id}: respondent {respondent} missing', id=interview_id, respondent=respondent_id))
            elif here != study_id:
                problems.append(t('interview {id}: respondent belongs to another study', id=interview_id))
        for kind, runs in self._rows_of.items():
            for interview_id, count in runs:
                if interview_id not in interviews:
                    problems.extend([t(_ORPHAN[kind], id=interview_id)] * count)
        duplicates("identity")
        theme_ids = {theme_id for theme_id, _, _ in self._themes}
        for _, name, study_id in self._themes:
            if study_id not in studies:
                problems.append(t('theme {name}: study {study} missing', name=name, study=study_id))
        steps = self._seen["step"]
        for theme_id, step_id in self._theme_links:
            if theme_id not in theme_ids or self._short.get(step_id, -1) not in steps:
                problems.append(t('theme link {theme}/{step}: theme or step missing', theme=theme_id, step=step_id))
        for variant, study_id in self._spellings:
            if study_id not in studies:
                problems.append(t('name variant {variant}: study {study} missing', variant=variant, study=study_id))
        problems.extend(deliverable_problems(SimpleNamespace(**self._deliverables), set(studies)))
        for respondent_id in self._identities:
            if respondent_id not in self._respondent_study:
                problems.append(t('identity of respondent {id}: respondent missing', id=respondent_id))
        problems.extend(t(_NAIVE[kind], id=key, field=field) for kind, key, field in self._naive_in_order())
        for interview_id, found in self._positions.items():
            if sorted(found) != list(range(1, len(found) + 1)):
                problems.append(t('steps of interview {id}: positions {positions} are not 1..{n}', id=interview_id, positions=sorted(found), n=len(found)))
        return problems

    def _naive_in_order(self) -> list[tuple[str, str, str]]:
        """The times without a zone, by kind in the order of a whole check (the stream may have another)."""
        order = list(_NAIVE)

        def rank(naive: tuple[str, str, str]) -> int:
            return order.index(naive[0]) * 2 + (naive[2] == "ended_at")

        return sorted(self._naive, key=rank)  # stable: the record order within a kind stays


#: the kinds whose keys must be unique, in the order their duplicates are reported ("identity" comes later)
_DUPLICATE_KINDS = ("study", "respondent", "respondent code", "interview", "step", "step position", "consent", "answer", "identity")

#: a record (or key) that a bundle or kit holds more than once, worded in the UI language (the key is data)
_TWICE = {
    "study": N_("study {key} appears {count} times"),
    "respondent": N_("respondent {key} appears {count} times"),
    "respondent code": N_("respondent code {key} appears {count} times"),
    "interview": N_("interview {key} appears {count} times"),
    "step": N_("step {key} appears {count} times"),
    "step position": N_("step position {key} appears {count} times"),
    "consent": N_("consent {key} appears {count} times"),
    "answer": N_("answer {key} appears {count} times"),
    "identity": N_("identity {key} appears {count} times"),
    "persona": N_("persona {key} appears {count} times"),
    "persona name": N_("persona name {key} appears {count} times"),
    "persona respondent": N_("persona respondent {key} appears {count} times"),
    "desired score": N_("desired score {key} appears {count} times"),
    "action": N_("action {key} appears {count} times"),
    "action link": N_("action link {key} appears {count} times"),
    "question set": N_("question set {key} appears {count} times"),
    "word list": N_("word list {key} appears {count} times"),
}


#: a row that names an interview the bundle does not hold, by kind of row
_ORPHAN = {
    "consent": N_("consent of interview {id}: interview missing"),
    "answer": N_("answer of interview {id}: interview missing"),
    "step": N_("step of interview {id}: interview missing"),
}

#: a time without a zone, by kind of record in the order a whole check reports them
_NAIVE = {
    "exported_at": N_("exported_at: time without time zone"),
    "study": N_("study {id} {field}: time without time zone"),
    "interview": N_("interview {id} {field}: time without time zone"),
    "consent": N_("consent of interview {id}: time without time zone"),
    "answer": N_("answer of interview {id}: time without time zone"),
    "identity": N_("identity of respondent {id}: time without time zone"),
}


def twice(kind: str, key: object, count: int) -> str:
    """The problem of ``key`` (of ``kind``, a key of ``_TWICE``) held ``count`` times, in the UI language."""
    return t(_TWICE[kind], key=key, count=count)

#: the record tables of a bundle, in the order a bundle holds them, and the model of one record
TABLE_MODELS: dict[str, type[Record]] = {
    "studies": Study, "respondents": Respondent, "interviews": Interview, "consents": Consent, "answers": Answer,
    "steps": Step, "identities": Identity, "spellings": NameVariant, "themes": Theme, "theme_links": ThemeLink,
    "personas": Persona, "persona_respondents": PersonaRespondent, "desired_scores": DesiredScore, "actions": Action,
    "action_links": ActionLink,
}
def deliverable_problems(holder: object, studies: set[str]) -> list[str]:
    """The structure of the persona and plan lists of a bundle or kit (``holder``): no record twice, every
    persona and action of a study the file holds. (What they point to, respondents, themes, phases, steps,
    is checked against the file and this database by the import, which names what is missing.)"""
    problems: list[str] = []

    def duplicates(kind: str, keys: list[object]) -> None:
        problems.extend(twice(kind, key, count) for key, count in Counter(keys).items() if count > 1)

    personas, actions = getattr(holder, "personas"), getattr(holder, "actions")
    duplicates("persona", [p.id for p in personas])
    duplicates("persona name", [(p.study_id, name_key(p.name)) for p in personas])
    duplicates("persona respondent", [(x.persona_id, x.respondent_id) for x in getattr(holder, "persona_respondents")])
    duplicates("desired score", [(x.persona_id, phase_key(x.phase)) for x in getattr(holder, "desired_scores")])
    duplicates("action", [a.id for a in actions])
    duplicates("action link", [(x.action_id, x.kind, x.target_id) for x in getattr(holder, "action_links")])
    problems.extend(t('persona {name}: study {study} missing', name=p.name, study=p.study_id) for p in personas if p.study_id not in studies)
    problems.extend(t('action {title}: study {study} missing', title=a.title, study=a.study_id) for a in actions if a.study_id not in studies)
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
