"""Publishing for analysts: a redacted, pseudonymous team database and its Datasette metadata file."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from klantreis_tui.errors import KlantreisError
from klantreis_tui.exchange import write_atomic
from klantreis_tui.i18n import t
from klantreis_tui.models import steps as step_fields
from klantreis_tui.models.records import InterviewRecord, Study
from klantreis_tui.services.base import ServiceBase, gc_paused

METADATA_FILE = "metadata.json"


@dataclass
class PublishReport:
    """What ``publish`` wrote."""

    path: Path
    metadata: Path
    studies: int
    interviews: int


class PublishServices(ServiceBase):
    """The team database: every interview of the chosen studies as it may leave the laptop, quotes only with
    consent given, no key table and no claims; with Dutch views and a metadata file for Datasette."""

    def publish(self, output: Path, studies: list[str] | None = None) -> PublishReport:
        """Write the team database ``output`` and ``metadata.json`` next to it, for the studies ``studies``
        names (id, short id or title; default: every study)."""
        from klantreis_tui.storage.team import is_team_database, write_team_database

        if output.exists() and not is_team_database(output):  # never over the working database or another file
            raise KlantreisError("publish.not_team_database", t('{path} exists and is not a team database written by klantreis publish; choose another file. Nothing was written.', path=output))
        chosen = (
            [self.resolve_study(s) for s in studies]  # type: ignore[attr-defined]
            if studies else [row.study for row in self.store.list_studies()]
        )
        chosen = list({s.id: s for s in chosen}.values())
        ids = [i for study in chosen for i in self.select_interviews(study=study.id)]  # type: ignore[attr-defined]
        with gc_paused():
            records = [self.publishable(r) for r in self.export_records(ids)]  # type: ignore[attr-defined]
        write_team_database(output, self.team_tables([self.redacted_study(s) for s in chosen], records))
        metadata = output.parent / METADATA_FILE
        write_atomic(metadata, (json.dumps(self.team_metadata(output.stem), ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
        return PublishReport(output, metadata, len(chosen), len(records))

    def publishable(self, record: InterviewRecord) -> InterviewRecord:
        """A protected record, its quotes withheld unless consent to quotes was given (not only: not refused)."""
        if record.consent("quotes") is True:
            return record
        return self.withhold_quotes(record)  # type: ignore[attr-defined]

    def redacted_study(self, study: Study) -> Study:
        """The study's start document redacted as the team's own words (``services.redaction``)."""
        redact = self.redactor(study.id).team  # type: ignore[attr-defined]
        fields = ("title", "doelgroep", "trigger", "journey_start", "journey_end")
        return study.model_copy(update={name: redact(getattr(study, name)) for name in fields})

    def team_tables(self, studies: list[Study], records: list[InterviewRecord]) -> dict[str, list[dict[str, Any]]]:
        """The rows of the team database's tables (Dutch columns; steps by their field names)."""
        tables: dict[str, list[dict[str, Any]]] = {
            "onderzoeken": [
                {"id": s.id, "korte_id": s.id[:8], "titel": s.title, "doelgroep": s.doelgroep, "aanleiding": s.trigger,
                 "begin_reis": s.journey_start, "einde_reis": s.journey_end, "aangemaakt": s.created_at.date().isoformat()}
                for s in studies
            ],
            "fasen": [
                {"onderzoek_id": s.id, "volgorde": n, "fase": phase}
                for s in studies for n, phase in enumerate(dict.fromkeys(self.study_phases(s.id)), 1)  # type: ignore[attr-defined]
            ],
            "respondenten": [], "interviews": [], "stap": [], "antwoorden": [],
        }
        seen: set[str] = set()
        for record in records:
            iv, resp = record.interview, record.respondent
            if resp.id not in seen:
                seen.add(resp.id)
                tables["respondenten"].append(
                    {"id": resp.id, "onderzoek_id": resp.study_id, "code": resp.code, "leeftijdsgroep": resp.age_band,
                     "segment": resp.segment, "labels": resp.tags}
                )
            tables["interviews"].append(
                {"id": iv.id, "naam": f"{resp.code} {iv.started_at.date().isoformat()}", "onderzoek_id": iv.study_id,
                 "respondent_id": resp.id, "vragenlijst": iv.question_set_id, "vragenlijst_versie": iv.question_set_version,
                 "interviewer": iv.interviewer, "datum": iv.started_at.date().isoformat(), "status": iv.status.value,
                 "toestemming_citaten": record.consent("quotes") is True}
            )
            for step in record.steps:
                tables["stap"].append(
                    {"id": step.id, "interview_id": iv.id, "positie": step.position,
                     **{name: getattr(step, name) for name in step_fields.NAMES}}
                )
            qs = self.catalog.sets.get(iv.question_set_id)
            prompts = {q.id: q.prompt.get(self.lang) for _, q in qs.questions()} if qs is not None else {}
            for (question_id, step_id), answer in sorted(record.latest_answers().items()):
                if step_id or answer.skipped or answer.value is None:
                    continue  # answers inside the step loop are in the steps
                value = answer.value if isinstance(answer.value, (str, list)) else json.dumps(answer.value, ensure_ascii=False)
                tables["antwoorden"].append(
                    {"interview_id": iv.id, "vraag_id": question_id, "vraag": prompts.get(question_id, question_id),
                     "antwoord": value}
                )
        return tables

    def team_metadata(self, database: str) -> dict[str, Any]:
        """Datasette's metadata: titles, descriptions, label columns (links show names), sort orders, facets
        (lists as arrays) and canned queries."""
        from klantreis_tui.storage.team import step_column

        arrays = [{"array": step_column("instances")}, {"array": step_column("channels")}]

        def view(description: str, facets: list[Any], **more: Any) -> dict[str, Any]:
            return {"description": description, "facets": facets, **more}

        tables = {
            "onderzoeken": {"title": t("Studies"), "description": t("One row per study: its startdocument."), "label_column": "titel", "sort": "titel"},
            "fasen": {"title": t("Phases"), "description": t("The phase list of each study, in journey order."), "sort": "volgorde"},
            "respondenten": {"title": t("Respondents"), "description": t("Respondents by code only: who a code stands for is not in this database."), "label_column": "code", "sort": "code", "facets": ["segment", "leeftijdsgroep"]},
            "interviews": {"title": t("Interviews"), "label_column": "naam", "sort_desc": "datum", "facets": ["status", "vragenlijst", "interviewer"]},
            "stap": {"title": t("Steps (all fields)"), "label_column": step_column("description"), "sort": "positie", "facets": [step_column("phase"), *arrays]},
            "antwoorden": {"title": t("Answers"), "description": t("The last answer to each question outside the step loop."), "facets": ["vraag_id"]},
            "stappen": view(t("Every step of every journey, with the study and the respondent's code, in journey order."), ["onderzoek", "fase", *arrays]),
            "knelpunten": view(t("Steps with a pain point, the most negative first."), ["onderzoek", "fase", {"array": step_column("instances")}]),
            "kansen": view(t("Steps with an opportunity for improvement."), ["onderzoek", "fase"]),
            "hartslag_per_fase": view(t("The heartbeat per phase: how many steps and respondents, and the average, lowest and highest emotion (-2 to +2)."), ["onderzoek"]),
            "organisaties_per_stap": view(t("One row per organisation named in a step."), ["onderzoek", "organisatie", "fase"]),
            "interviews_per_segment": view(t("How many interviews (and completed ones) each segment has."), ["onderzoek"]),
        }
        queries = {
            "dieptepunten": {
                "title": t("Low points"), "description": t("Steps with an emotion of -1 or lower."),
                "sql": "SELECT onderzoek, respondent, positie, fase, omschrijving, beleving, knelpunt FROM stappen WHERE beleving <= -1 ORDER BY beleving, onderzoek, respondent, positie",
            },
            "knelpunten_per_organisatie": {
                "title": t("Pain points per organisation"), "description": t("How often each organisation is named in a step with a pain point."),
                "sql": "SELECT organisatie, count(*) AS knelpunten, count(DISTINCT respondent) AS respondenten FROM organisaties_per_stap WHERE knelpunt != '' GROUP BY organisatie ORDER BY knelpunten DESC, organisatie",
            },
            "momenten_van_de_waarheid": {
                "title": t("Moments of truth"), "description": t("The steps marked as a moment of truth."),
                "sql": "SELECT onderzoek, respondent, positie, fase, omschrijving, beleving FROM stappen WHERE moment_van_de_waarheid = 1 ORDER BY onderzoek, respondent, positie",
            },
        }
        return {
            "title": t("klantreis team database"),
            "description": t("Redacted and pseudonymous: no key table, personal data in free text redacted, quotes only of respondents who consented. Made with klantreis publish."),
            "databases": {database: {"tables": tables, "queries": queries}},
        }
