"""Privacy in the store: withdraw and forget respondents, the key table, compacting the file, the privacy log."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from typing import Any

from klantreis_tui.models.records import Answer, Identity
from klantreis_tui.storage.base import StoreBase, _iso


class PrivacyPart(StoreBase):
    """Deleting for privacy and the key table (a part of ``Store``)."""

    def delete_interview_data(self, interview_id: str, keep_questions: set[str] = frozenset()) -> None:
        """Remove the answers (but those to ``keep_questions``) and steps of an interview."""
        keep = sorted(keep_questions)
        marks = ", ".join("?" for _ in keep)
        with self.atomic():
            self.conn.execute(
                f"DELETE FROM answers WHERE interview_id = ? AND question_id NOT IN ({marks})", [interview_id, *keep]
            )
            self.conn.execute("DELETE FROM steps WHERE interview_id = ?", [interview_id])

    def withdraw(self, interview_id: str, keep_questions: set[str]) -> None:
        """A respondent who no longer takes part: the interview's answers (but the consent ones) and steps,
        what those answers put on the respondent (age band, segment) and the key-table entry go."""
        respondent_id = self.get_interview(interview_id).respondent_id
        with self.atomic():
            self.delete_interview_data(interview_id, keep_questions)
            self.conn.execute("UPDATE respondents SET age_band = '', segment = '' WHERE id = ?", [respondent_id])
            self.delete_identity(respondent_id)

    def retired_codes(self, study_id: str) -> set[str]:
        """Codes of forgotten respondents of a study: never given out again (paper key lists may hold them)."""
        rows = self.conn.execute(
            "SELECT json_extract(detail, '$.code') FROM privacy_log WHERE action = 'forget' "
            "AND json_extract(detail, '$.study_id') = ?",
            [study_id],
        ).fetchall()
        return {row[0] for row in rows if row[0]}

    def replace_answers(self, interview_id: str, questions: set[str], answers: list[Answer]) -> None:
        """Make the revisions of ``questions`` in an interview exactly ``answers`` (a backup catching up)."""
        marks = ", ".join("?" for _ in questions)
        with self.atomic():
            self.conn.execute(
                f"DELETE FROM answers WHERE interview_id = ? AND question_id IN ({marks})", [interview_id, *sorted(questions)]
            )
            self.insert_records(answers=answers)

    def forgotten_respondents(self) -> set[str]:
        """Ids of respondents deleted by forget: an old bundle must not bring them back."""
        rows = self.conn.execute(
            "SELECT json_extract(detail, '$.respondent_id') FROM privacy_log WHERE action = 'forget' "
            "UNION SELECT j.value FROM privacy_log, json_each(privacy_log.detail, '$.respondent_ids') j "
            "WHERE action = 'purge'"
        ).fetchall()
        return {row[0] for row in rows if row[0]}

    # --- identities (the key table) ---------------------------------------------------------

    @staticmethod
    def _identity_row(identity: Identity) -> dict[str, Any]:
        return {**identity.model_dump(), "recorded_at": _iso(identity.recorded_at)}

    def set_identity(self, identity: Identity) -> Identity:
        with self.atomic():
            self.db["identities"].upsert(self._identity_row(identity), pk="respondent_id")
        return identity

    def identity_of(self, respondent_id: str) -> Identity | None:
        rows = self._rows("SELECT * FROM identities WHERE respondent_id = ?", [respondent_id])
        return Identity.model_validate(rows[0]) if rows else None

    def identities_for(self, respondent_ids: list[str]) -> list[Identity]:
        rows = self._rows_for("SELECT * FROM identities WHERE respondent_id IN ({ids})", respondent_ids)
        return sorted((Identity.model_validate(r) for r in rows), key=lambda i: i.respondent_id)

    def delete_identity(self, respondent_id: str) -> None:
        with self.atomic():
            self.conn.execute("DELETE FROM identities WHERE respondent_id = ?", [respondent_id])

    def insert_identities(self, identities: list[Identity]) -> None:
        with self.atomic():
            self._insert_many("identities", [self._identity_row(i) for i in identities])

    # --- deleting for privacy (forget, purge) ---------------------------------------------------------

    def delete_respondents(self, respondent_ids: list[str]) -> dict[str, int]:
        """Delete respondents and everything linked (interviews, consents, answers, steps, identity).

        Deleted content is overwritten in the file (secure_delete, on since ``open``); call ``compact``
        afterwards to rebuild the file and empty the write-ahead log.
        """
        counts = {"respondents": len(respondent_ids)}
        with self.atomic():
            interview_ids = [
                r["id"] for r in self._rows_for("SELECT id FROM interviews WHERE respondent_id IN ({ids})", respondent_ids)
            ]
            counts["interviews"] = len(interview_ids)
            for table in ("answers", "steps", "consents"):
                counts[table] = sum(
                    r["n"] for r in self._rows_for(f"SELECT count(*) AS n FROM [{table}] WHERE interview_id IN ({{ids}})", interview_ids)
                )
            # the improvement plan's links to the ideas of these steps go with them (they have no foreign key)
            self._execute_for(
                "DELETE FROM action_links WHERE kind = 'idea' AND target_id IN "
                "(SELECT id FROM steps WHERE interview_id IN ({ids}))", interview_ids,
            )
            # ON DELETE CASCADE removes interviews, consents, answers, steps, claims, the identity and the
            # respondent's place in persona's
            self._execute_for("DELETE FROM respondents WHERE id IN ({ids})", respondent_ids)
        return counts

    def delete_studies(self, study_ids: list[str]) -> dict[str, int]:
        with self.atomic():
            respondent_ids = [
                r["id"] for r in self._rows_for("SELECT id FROM respondents WHERE study_id IN ({ids})", study_ids)
            ]
            counts = self.delete_respondents(respondent_ids) if respondent_ids else {"respondents": 0, "interviews": 0}
            counts["studies"] = len(study_ids)
            self._execute_for("DELETE FROM studies WHERE id IN ({ids})", study_ids)
        return counts

    #: Up to this size a refusal also rebuilds the file (a fraction of a second); above it, it relies on
    #: secure_delete (always on) and only empties the log, so the interview screen does not stall for seconds.
    QUICK_VACUUM_BYTES = 16 * 1024 * 1024

    def compact(self, vacuum: bool = True) -> bool:
        """Rebuild the file without free pages (VACUUM, unless ``vacuum`` is False) and empty the write-ahead log.

        Returns False when another connection kept the log from being emptied.
        """
        try:
            if vacuum:
                self.conn.execute("VACUUM")
            if self.path == ":memory:":
                return True
            busy, _log, _done = self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except sqlite3.OperationalError as exc:
            raise self._write_failed(exc) from exc
        return busy == 0

    def log_privacy(self, action: str, detail: dict[str, Any], at: datetime) -> None:
        with self.atomic():
            self.conn.execute(
                "INSERT INTO privacy_log (at, action, detail) VALUES (?, ?, ?)",
                [_iso(at), action, json.dumps(detail, ensure_ascii=False, sort_keys=True)],
            )

    def privacy_log(self) -> list[dict[str, Any]]:
        rows = self._rows("SELECT at, action, detail FROM privacy_log ORDER BY id")
        for row in rows:
            row["detail"] = json.loads(row["detail"])
        return rows
