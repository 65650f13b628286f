"""Studies, respondents, interviews, consents and answers in the store, and many interviews at once."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import TypeAdapter

from klantreis_tui.models.codes import next_code
from klantreis_tui.models import steps as step_fields
from klantreis_tui.models.records import Answer, Consent, Interview, InterviewStatus, Respondent, Step, Study, now
from klantreis_tui.storage.base import StoreBase, _iso, _loads_many, _dumps

_ANSWERS = TypeAdapter(list[Answer])

_ANSWER_COLUMNS = "interview_id, question_id, step_id, value, skipped, retracted, recorded_at, revision"
#: an answer row with the revision given, or nothing when that one is taken (the primary key)
_INSERT_REVISION = (
    f"INSERT INTO answers ({_ANSWER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (interview_id, question_id, step_id, revision) DO NOTHING"
)
#: an answer row with the next revision of its question, counted in the statement (the primary key's index)
_INSERT_NEXT_REVISION = (
    f"INSERT INTO answers ({_ANSWER_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1 + coalesce("
    "(SELECT max(revision) FROM answers WHERE interview_id = ?1 AND question_id = ?2 AND step_id = ?3), 0)) "
    "RETURNING revision"
)
#: a consent answer: the item's row, replaced when it was given before (as sqlite-utils' upsert did, in one statement)
_UPSERT_CONSENT = (
    "INSERT INTO consents (interview_id, item, granted, text_version, question_set_version, recorded_at) "
    "VALUES (:interview_id, :item, :granted, :text_version, :question_set_version, :recorded_at) "
    "ON CONFLICT (interview_id, item) DO UPDATE SET granted = excluded.granted, text_version = excluded.text_version, "
    "question_set_version = excluded.question_set_version, recorded_at = excluded.recorded_at"
)
#: a profile answer's field on the interview's respondent, found in the same statement
_SET_RESPONDENT_FIELD = {
    field: f"UPDATE respondents SET {field} = ? WHERE id = (SELECT respondent_id FROM interviews WHERE id = ?)"
    for field in ("age_band", "segment")
}

_ADAPTERS: dict[type, TypeAdapter[Any]] = {}


def _validated(model: type, rows: list[dict[str, Any]], part: int = 2000) -> list[Any]:
    """``rows`` as ``model``s, validated a part at a time: one call over a whole study would hold the
    interpreter for tens of milliseconds, during which a window on another thread cannot answer a key."""
    adapter = _ADAPTERS.get(model)
    if adapter is None:
        adapter = _ADAPTERS[model] = TypeAdapter(list[model])  # type: ignore[valid-type]
    return [item for start in range(0, len(rows), part) for item in adapter.validate_python(rows[start:start + part])]


@dataclass(frozen=True)
class StudyRow:
    study: Study
    interview_count: int


@dataclass(frozen=True)
class InterviewRow:
    interview: Interview
    respondent_code: str
    step_count: int


#: the tables whose rows ``has_row`` and ``existing_ids`` look up by id (a table name is put into the SQL)
_ID_TABLES = ("studies", "respondents", "interviews")


class RecordsPart(StoreBase):
    """The store's studies, respondents, interviews, consents and answers (a part of ``Store``)."""

    # --- studies -----------------------------------------------------------------------

    def add_study(self, study: Study) -> Study:
        with self.atomic():
            self._insert_many("studies", [self._study_row(study)])
        return study

    def update_study(self, study: Study) -> Study:
        with self.atomic():
            self.db["studies"].update(study.id, self._study_row(study))
        return study

    @staticmethod
    def _study_row(study: Study) -> dict[str, Any]:
        row = study.model_dump()
        row["retention_until"] = study.retention_until.isoformat() if study.retention_until else None
        row["created_at"] = _iso(study.created_at)
        row["phases"] = json.dumps(study.phases, ensure_ascii=False)
        return row

    @staticmethod
    def _study(row: dict[str, Any]) -> Study:
        return Study.model_validate({**row, "phases": json.loads(row.get("phases") or "[]")})

    def get_study(self, study_id: str) -> Study:
        rows = self._rows("SELECT * FROM studies WHERE id = ?", [study_id])
        if not rows:
            raise KeyError(study_id)
        return self._study(rows[0])

    def list_studies(self) -> list[StudyRow]:
        rows = self._rows(
            """
            SELECT s.*, (SELECT count(*) FROM interviews i WHERE i.study_id = s.id) AS interview_count
            FROM studies s ORDER BY s.created_at DESC, s.title
            """
        )
        return [StudyRow(self._study({k: v for k, v in r.items() if k != "interview_count"}), r["interview_count"]) for r in rows]

    # --- respondents -------------------------------------------------------------------

    def add_respondent(self, respondent: Respondent) -> Respondent:
        with self.atomic():
            self._insert_many("respondents", [self._respondent_row(respondent)])
        return respondent

    @staticmethod
    def _respondent_row(respondent: Respondent) -> dict[str, Any]:
        row = respondent.model_dump()
        row["tags"] = _dumps(row["tags"])
        return row

    def get_respondent(self, respondent_id: str) -> Respondent:
        rows = self._rows("SELECT * FROM respondents WHERE id = ?", [respondent_id])
        if not rows:
            raise KeyError(respondent_id)
        return self._respondent(rows[0])

    @staticmethod
    def _respondent(row: dict[str, Any]) -> Respondent:
        return Respondent.model_validate({**row, "tags": json.loads(row["tags"])})

    def respondents_of(self, study_id: str) -> list[Respondent]:
        return [self._respondent(r) for r in self._rows("SELECT * FROM respondents WHERE study_id = ? ORDER BY code", [study_id])]

    def set_respondent_field(self, respondent_id: str, field: str, value: str) -> None:
        if field not in _SET_RESPONDENT_FIELD:
            raise ValueError(field)
        with self.atomic():
            self.conn.execute(f"UPDATE respondents SET {field} = ? WHERE id = ?", [value, respondent_id])

    def set_interview_respondent_field(self, interview_id: str, field: str, value: str) -> None:
        """``set_respondent_field`` for the respondent of an interview, without reading the interview first."""
        sql = _SET_RESPONDENT_FIELD.get(field)
        if sql is None:
            raise ValueError(field)
        with self.atomic():
            self.conn.execute(sql, [value, interview_id])

    # --- interviews -------------------------------------------------------------------

    def add_interview(self, interview: Interview) -> Interview:
        with self.atomic():
            self._insert_many("interviews", [self._interview_row(interview)])
        return interview

    @staticmethod
    def _interview_row(interview: Interview) -> dict[str, Any]:
        row = interview.model_dump()
        row["status"] = interview.status.value
        row["started_at"] = _iso(interview.started_at)
        row["ended_at"] = _iso(interview.ended_at)
        return row

    def get_interview(self, interview_id: str) -> Interview:
        rows = self._rows("SELECT * FROM interviews WHERE id = ?", [interview_id])
        if not rows:
            raise KeyError(interview_id)
        return Interview.model_validate(rows[0])

    def list_interviews(self, study_id: str | None = None) -> list[InterviewRow]:
        where, params = ("WHERE i.study_id = ?", [study_id]) if study_id else ("", [])
        rows = self._rows(
            f"""
            SELECT i.*, r.code AS respondent_code,
                   (SELECT count(*) FROM steps s WHERE s.interview_id = i.id) AS step_count
            FROM interviews i JOIN respondents r ON r.id = i.respondent_id
            {where}
            ORDER BY i.status != 'bezig', i.started_at DESC, i.id
            """,
            params,
        )
        result = []
        for r in rows:
            code, count = r.pop("respondent_code"), r.pop("step_count")
            result.append(InterviewRow(Interview.model_validate(r), code, count))
        return result

    def set_status(self, interview_id: str, status: InterviewStatus, ended_at: datetime | None) -> None:
        with self.atomic():
            self.conn.execute(
                "UPDATE interviews SET status = ?, ended_at = ? WHERE id = ?",
                [status.value, _iso(ended_at), interview_id],
            )

    # --- consent -----------------------------------------------------------------------

    def record_consent(self, consent: Consent) -> Consent:
        row = consent.model_dump()
        row["recorded_at"] = _iso(consent.recorded_at)
        with self.atomic():
            self.conn.execute(_UPSERT_CONSENT, row)
        return consent

    def consents_of(self, interview_id: str) -> list[Consent]:
        rows = self._rows("SELECT * FROM consents WHERE interview_id = ? ORDER BY recorded_at, item", [interview_id])
        return [Consent.model_validate({**r, "granted": bool(r["granted"])}) for r in rows]

    # --- answers -----------------------------------------------------------------------

    def add_answer(
        self,
        interview_id: str,
        question_id: str,
        value: Any,
        *,
        step_id: str = "",
        skipped: bool = False,
        retracted: bool = False,
        revision: int | None = None,
    ) -> Answer:
        """Append a revision of an answer (never overwrites) and return it, committed.

        ``revision``: the one the caller expects it to be (one after the latest it holds), so that it is not
        counted again; when another window took that one meanwhile, the next free one is counted from the rows.
        """
        recorded_at = now()
        row = [interview_id, question_id, step_id, _dumps(value), int(skipped), int(retracted), recorded_at.isoformat()]
        with self.atomic():
            if revision is None or self.conn.execute(_INSERT_REVISION, [*row, revision]).rowcount != 1:
                revision = self.conn.execute(_INSERT_NEXT_REVISION, row).fetchall()[0][0]
            # checked inside the transaction: a value the model refuses is not committed
            return Answer(
                interview_id=interview_id, question_id=question_id, step_id=step_id, revision=revision,
                value=value, skipped=skipped, retracted=retracted, recorded_at=recorded_at,
            )

    def answers_of(self, interview_id: str) -> list[Answer]:
        """Every revision of every answer of an interview, in the order they were recorded."""
        rows = self._rows("SELECT * FROM answers WHERE interview_id = ? ORDER BY rowid", [interview_id])
        for row in rows:
            row["value"] = json.loads(row["value"])
            row["skipped"], row["retracted"] = bool(row["skipped"]), bool(row["retracted"])
        return _ANSWERS.validate_python(rows)

    def insert_records(
        self,
        studies: list[Study] = (),  # type: ignore[assignment]
        respondents: list[Respondent] = (),  # type: ignore[assignment]
        interviews: list[Interview] = (),  # type: ignore[assignment]
        consents: list[Consent] = (),  # type: ignore[assignment]
        answers: list[Answer] = (),  # type: ignore[assignment]
        steps: list[Step] = (),  # type: ignore[assignment]
    ) -> None:
        """Insert many records exactly as they are (bundle import), in one transaction."""
        def answer_row(answer: Answer) -> dict[str, Any]:
            row = dict(answer.__dict__)  # its fields (a flat record: what model_dump gives, without the copies)
            row["value"] = _dumps(answer.value)
            row["recorded_at"] = _iso(answer.recorded_at)
            return row

        def consent_row(consent: Consent) -> dict[str, Any]:
            row = consent.model_dump()
            row["recorded_at"] = _iso(consent.recorded_at)
            return row

        with self.atomic():
            self._insert_many("studies", [self._study_row(s) for s in studies])
            self._insert_many("respondents", [self._respondent_row(r) for r in respondents])
            self._insert_many("interviews", [self._interview_row(i) for i in interviews])
            self._insert_many("consents", [consent_row(c) for c in consents])
            self._insert_many("answers", [answer_row(a) for a in answers])
            self._insert_many("steps", [self._step_row(s) for s in steps])

    # --- many interviews at once (exports, syntheses) ---------------------------------------------
    def bulk_records(
        self, interview_ids: list[str], step_answers: bool = True, parts: tuple[str, ...] = ("consents", "answers", "steps")
    ) -> dict[str, Any]:
        """Everything linked to the given interviews in six queries: studies, respondents, interviews,
        consents, answers (every revision, in recorded order; without ``step_answers`` only those outside the
        step loop, whose content the steps hold anyway) and steps (in order); of the last three only those
        in ``parts`` (the others are empty)."""
        interviews = _validated(Interview, self._rows_for("SELECT * FROM interviews WHERE id IN ({ids})", interview_ids))
        study_ids = sorted({i.study_id for i in interviews})
        respondent_ids = sorted({i.respondent_id for i in interviews})
        studies = [self._study(row) for row in self._rows_for("SELECT * FROM studies WHERE id IN ({ids})", study_ids)]
        respondent_rows = self._rows_for("SELECT * FROM respondents WHERE id IN ({ids})", respondent_ids)
        for row in respondent_rows:
            row["tags"] = json.loads(row["tags"])
        consent_rows = self._rows_for(
            "SELECT * FROM consents WHERE interview_id IN ({ids}) ORDER BY recorded_at, item", interview_ids
        ) if "consents" in parts else []
        for row in consent_rows:
            row["granted"] = bool(row["granted"])
        only = "" if step_answers else "AND step_id = ''"
        answer_rows = self._rows_for(
            f"SELECT * FROM answers WHERE interview_id IN ({{ids}}) {only} ORDER BY rowid", interview_ids
        ) if "answers" in parts else []
        # one json.loads over all values: far quicker than one call per row
        for row, value in zip(answer_rows, _loads_many([row["value"] for row in answer_rows])):
            row["value"] = value
            row["skipped"], row["retracted"] = bool(row["skipped"]), bool(row["retracted"])
        step_rows = self._rows_for(
            "SELECT * FROM steps WHERE interview_id IN ({ids}) ORDER BY interview_id, position", interview_ids
        ) if "steps" in parts else []
        for name in step_fields.LIST_NAMES:
            for row, value in zip(step_rows, _loads_many([row[name] for row in step_rows])):
                row[name] = value
        for row in step_rows:
            for name in step_fields.FLAG_NAMES:
                row[name] = bool(row[name])
        return {
            "studies": studies,
            "respondents": _validated(Respondent, respondent_rows),
            "interviews": interviews,
            "consents": _validated(Consent, consent_rows),
            "answers": _validated(Answer, answer_rows),
            "steps": _validated(Step, step_rows),
        }

    def has_row(self, table: str, row_id: str) -> bool:
        if table not in _ID_TABLES:
            raise ValueError(table)
        return self.conn.execute(f"SELECT 1 FROM [{table}] WHERE id = ?", [row_id]).fetchone() is not None

    def existing_ids(self, table: str, ids: list[str]) -> set[str]:
        """Which of ``ids`` are rows of ``table`` here (a few queries for a bundle's thousands)."""
        if table not in _ID_TABLES:
            raise ValueError(table)
        sql = f"SELECT id FROM [{table}] WHERE id IN ({{ids}})"
        return {row[0] for query, chunk in self._chunked(sql, ids) for row in self.conn.execute(query, chunk)}

    def respondent_studies(self, respondent_ids: list[str]) -> dict[str, str]:
        """The study of each of these respondents that is here (by id)."""
        sql = "SELECT id, study_id FROM respondents WHERE id IN ({ids})"
        return dict(row for query, chunk in self._chunked(sql, respondent_ids) for row in self.conn.execute(query, chunk))

    def respondent_code_owners(self, study_id: str, codes: list[str]) -> dict[str, str]:
        """The respondent here that has each of these codes in the study (by code)."""
        sql = "SELECT code, id FROM respondents WHERE study_id = ? AND code IN ({ids})"
        return dict(
            row for query, chunk in self._chunked(sql, codes) for row in self.conn.execute(query, [study_id, *chunk])
        )

    def respondent_study(self, respondent_id: str) -> str | None:
        row = self.conn.execute("SELECT study_id FROM respondents WHERE id = ?", [respondent_id]).fetchone()
        return row[0] if row else None

    def respondent_code_owner(self, study_id: str, code: str) -> str | None:
        row = self.conn.execute("SELECT id FROM respondents WHERE study_id = ? AND code = ?", [study_id, code]).fetchone()
        return row[0] if row else None
    def next_respondent_code(self, study_id: str, prefix: str = "R") -> str:
        return next_code({r.code for r in self.respondents_of(study_id)} | self.retired_codes(study_id), prefix)
