"""Privacy: the key table, forgetting a respondent, purging expired studies, refusals, backups, the privacy log."""

from __future__ import annotations

import threading

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from klantreis_tui.errors import KlantreisError, StorageError
from klantreis_tui.i18n import counts as words
from klantreis_tui.i18n import t
from klantreis_tui.models.records import Identity, Interview, Respondent, Study, now
from klantreis_tui.services.base import ServiceBase
from klantreis_tui.services.home_rows import expired
from klantreis_tui.storage import SCHEMA_VERSION, Store, StudyRow
from klantreis_tui.storage import backup as backups_module

#: backups kept next to the database (the oldest beyond this are removed)
BACKUPS_KEPT = 10

BackupInfo = backups_module.BackupInfo


class OpenElsewhere(KlantreisError):
    """An interview to delete is open in another app instance; the message says which. Nothing was changed."""

    def __init__(self, message: str) -> None:
        super().__init__("open_elsewhere", message)  # worded where raised: the reason is no message key


@dataclass
class ForgetReport:
    """What forgetting (or purging) deleted, and whether the file and its backups are clean."""

    counts: dict[str, int]
    log_emptied: bool = True
    backups_cleaned: list[Path] = field(default_factory=list)
    backups_failed: list[tuple[Path, str]] = field(default_factory=list)


# --- backups and the database file (no open Services needed) -------------------------------------------


def backup_now(db_path: Path, *, if_changed: bool = False) -> Path | None:
    """Make a backup of the database (None when there is none yet); the oldest beyond BACKUPS_KEPT go.

    ``if_changed``: not when the newest backup already holds the database as it is (None then too).
    """
    if if_changed and backups_module.backup_is_current(db_path):
        return None
    return backups_module.make_backup(db_path, keep=BACKUPS_KEPT)


def list_backups(db_path: Path) -> list[BackupInfo]:
    """The backups of a database, newest first."""
    return backups_module.list_backups(db_path)


def check_restore(db_path: Path, backup: Path) -> None:
    """Raise StorageError when ``backup`` cannot replace the database now (damaged, foreign, or in use)."""
    backups_module.check_restore(db_path, backup)


def restore_backup(db_path: Path, backup: Path) -> Path | None:
    """Put ``backup`` in place of the database; returns where the replaced database was set aside (None: none)."""
    return backups_module.restore(db_path, backup)


@dataclass
class DatabaseInfo:
    """What ``klantreis db info`` shows."""

    path: Path
    schema_version: int
    expected_schema_version: int
    counts: dict[str, int]
    backups: list[BackupInfo]
    privacy_log: list[dict[str, Any]]


def database_info(db_path: Path) -> DatabaseInfo:
    """The schema version, row counts, backups and privacy log of an existing database (StorageError if none)."""
    store = Store.open(db_path, create=False)
    try:
        return DatabaseInfo(
            path=db_path,
            schema_version=store.schema_version(),
            expected_schema_version=SCHEMA_VERSION,
            counts=store.counts(),
            backups=backups_module.list_backups(db_path),
            privacy_log=store.privacy_log(),
        )
    finally:
        store.close()


class PrivacyServices(ServiceBase):
    """Who a code stands for, and deleting for good: here, in the file, and in every backup."""

    def set_identity(self, respondent_id: str, name: str = "", contact: str = "", note: str = "") -> Identity | None:
        """Keep (or with all fields empty: remove) who a respondent code stands for, in the key table."""
        if not (name.strip() or contact.strip() or note.strip()):
            self.store.delete_identity(respondent_id)
            return None
        return self.store.set_identity(
            Identity(respondent_id=respondent_id, name=name.strip(), contact=contact.strip(), note=note.strip())
        )

    def identity(self, respondent_id: str) -> Identity | None:
        """The key-table entry of a respondent: only to be shown on an explicit action."""
        return self.store.identity_of(respondent_id)

    def find_respondents(self, code: str, study: str | None = None) -> list[tuple[Study, Respondent]]:
        """Respondents with this code, in the study given by id or title (or in every study)."""
        found = []
        for row in self.store.list_studies():
            if study and study not in (row.study.id, row.study.title):
                continue
            owner = self.store.respondent_code_owner(row.study.id, code)
            if owner:
                found.append((row.study, self.store.get_respondent(owner)))
        return found

    def forget_respondent(self, respondent_id: str) -> ForgetReport:
        """Delete a respondent and everything linked, overwrite it in the file, and the same in backups."""
        respondent = self.store.get_respondent(respondent_id)
        return self._erase(
            "forget", [respondent_id], lambda store: store.delete_respondents([respondent_id]),
            {"study_id": respondent.study_id, "respondent_id": respondent_id, "code": respondent.code},
        )

    def forget_summary(self, respondent_id: str) -> str:
        """What forgetting this respondent deletes, in words, to show before it is confirmed."""
        respondent = self.store.get_respondent(respondent_id)
        study = self.store.get_study(respondent.study_id)
        ids = self.select_interviews(study=study.id, respondent=respondent.code)  # type: ignore[attr-defined]
        records = self.interview_records(ids)  # type: ignore[attr-defined]
        return t(
            "Respondent {code} in study '{study}': {interviews}, {steps} and {answers}{identity} will be deleted for good, from the backups too.", code=respondent.code, study=study.title,
            interviews=words.interviews(len(records)), steps=words.steps(sum(len(r.steps) for r in records)),
            answers=words.answers(sum(len(r.answers) for r in records)),
            identity=t(' and the key-table entry') if self.identity(respondent_id) else "",
        )

    def expired_studies(self, today: date | None = None) -> list[StudyRow]:
        """Studies whose retention date has passed."""
        return [r for r in self.store.list_studies() if expired(r.study, today)]

    def purge_studies(self, study_ids: list[str]) -> ForgetReport:
        """Delete whole studies (after their retention date), overwritten in the file and in backups."""
        respondent_ids = [r.id for study_id in study_ids for r in self.store.respondents_of(study_id)]
        return self._erase(
            "purge", respondent_ids, lambda store: store.delete_studies(study_ids),
            {"study_ids": sorted(study_ids), "respondent_ids": sorted(respondent_ids)},
        )

    def _erase(
        self, action: str, respondent_ids: list[str], delete: Callable[[Store], dict[str, int]], detail: dict[str, Any]
    ) -> ForgetReport:
        """Forget and purge: refused while another window has one of the interviews open; then ``delete`` here,
        the file rebuilt and its log emptied, the same ``delete`` in every backup, and a line in the privacy log
        (counts and pseudonymous ids, never content)."""
        self.refuse_if_open(respondent_ids)
        counts = delete(self.store)
        report = ForgetReport(counts=counts, log_emptied=self.store.compact())
        self._scrub_backups(report, delete)
        self.store.log_privacy(
            action,
            {**detail, **counts, "backups_cleaned": len(report.backups_cleaned),
             "backups_failed": len(report.backups_failed)},
            now(),
        )
        return report

    def refuse_if_open(self, respondent_ids: list[str]) -> None:
        """Raise OpenElsewhere when an interview of these respondents is open in another app instance."""
        busy = self.busy_interviews()  # type: ignore[attr-defined]
        if not busy:
            return
        wanted = set(respondent_ids)
        for row in self.store.list_interviews():
            if row.interview.id in busy and row.interview.respondent_id in wanted:
                other = busy[row.interview.id]
                raise OpenElsewhere(t('Respondent {code} has an interview open in another klantreis window (on {host}, process {pid}). Close it there first; nothing was deleted.', code=row.respondent_code, host=other.host, pid=other.pid))

    def _after_refusal(self) -> None:
        """Once a refusal is committed: empty the write-ahead log and remove the interview's data from backups.

        Best effort: the refusal itself is committed and its data overwritten in the file (secure_delete);
        a busy database only postpones the rest to the next forget, purge or refusal."""
        if self.store.in_transaction():
            return  # the caller's transaction is still open: it calls this again after its commit
        while self._refused:
            interview_id, keep = self._refused.pop()
            try:
                self.store.compact(vacuum=self.store.size() <= self.store.QUICK_VACUUM_BYTES)
            except (StorageError, OSError):
                pass
            report = ForgetReport(counts={})

            interview = self.store.get_interview(interview_id)
            consents = self.store.consents_of(interview_id)
            refusal = [a for a in self.store.answers_of(interview_id) if a.question_id in keep]

            def clear(copy: Store, interview: Interview = interview, keep: set[str] = keep) -> None:
                """The backup as if the refusal had been recorded before it was made: it can never bring the
                interview back as consenting."""
                if not copy.has_row("interviews", interview.id):
                    return
                copy.withdraw(interview.id, keep)
                copy.set_status(interview.id, interview.status, interview.ended_at)
                for consent in consents:
                    copy.record_consent(consent)
                copy.replace_answers(interview.id, keep, refusal)

            self._scrub_backups(report, clear)

    def _scrub_backups(self, report: ForgetReport, apply: Callable[[Store], Any]) -> None:
        """Do ``apply`` in every backup of this database and every database a restore set aside, so that what
        was deleted here is gone there too; each copy cleaned or failed is in ``report``."""
        if self.store.path == ":memory:":
            return
        db_path = Path(self.store.path)
        for copy in [info.path for info in backups_module.list_backups(db_path)] + backups_module.set_aside(db_path):
            try:
                backup = Store.open(copy, create=False, presence=False)
            except StorageError as exc:
                report.backups_failed.append((copy, str(exc)))
                continue
            try:
                apply(backup)
                backup.compact()
                backup.single_file()  # a backup stays one file, no -wal/-shm
                report.backups_cleaned.append(copy)
            except StorageError as exc:
                report.backups_failed.append((copy, str(exc)))
            finally:
                backup.close()

    def privacy_log(self) -> list[dict[str, Any]]:
        return self.store.privacy_log()

    def database_path(self) -> str:
        """Where the open database is (":memory:" in tests)."""
        return self.store.path

    def start_up_backup(self, done: Callable[[StorageError | None], None]) -> threading.Thread:
        """The session's backup, on a thread of its own so that the first frame does not wait for it (a copy
        of 143 MiB takes about half a second). Skipped when the newest backup already holds the database as
        it is. The first write of the session waits until it is made: a backup exists before anything
        changes. ``done`` is called on that thread with the error, if any (then nothing stops the writes:
        the caller says that no backup could be made, as before).
        """
        path = Path(self.store.path)

        finished = threading.Event()

        def work() -> None:
            error: StorageError | None = None
            try:
                backup_now(path, if_changed=True)
            except StorageError as exc:
                error = exc
            finally:
                finished.set()  # before ``done``: that may wait for the thread that waits for this
            done(error)

        thread = threading.Thread(target=work, name="klantreis-start-up-backup")
        self.store.before_first_write = finished.wait
        thread.start()
        return thread
