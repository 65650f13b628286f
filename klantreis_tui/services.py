"""The API the UI and the CLI call: studies, interviews, answers and steps. Never imports textual."""

from __future__ import annotations

import gc
import os
import socket
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from klantreis_tui.engine import (
    AnswerInvalid,
    InterviewState,
    LoopPrompt,
    Slot,
    loop_control_id,
    step_field_update,
    validate_answer,
)
from klantreis_tui import __version__
from klantreis_tui.i18n import t
from klantreis_tui.models.bundle import BUNDLE_FORMAT, BUNDLE_VERSION, Bundle
from klantreis_tui.models.question_set import QuestionSet, SectionKind
from klantreis_tui.models.records import (
    Answer,
    Consent,
    Identity,
    Interview,
    InterviewRecord,
    InterviewStatus,
    Respondent,
    Step,
    Study,
    now,
)
from klantreis_tui.models import steps as step_fields
from klantreis_tui.models.steps import merged_value
from klantreis_tui.question_sets import Catalog, load_catalog
from klantreis_tui.storage import InterviewRow, Store, StudyRow

__all__ = ["AnswerInvalid", "Services", "Saved"]

#: Common organisations and channels offered for completion (the assistant's fuller lists come later).
COMMON_VALUES: dict[str, list[str]] = {
    "instances": [
        "Gemeente", "Gemeente KCC", "Burgerzaken", "Wmo-loket", "Werkbedrijf", "Schuldhulpverlening", "Wijkteam",
        "UWV", "SVB", "Belastingdienst", "DUO", "CAK", "CJIB", "IND", "KVK", "Woningcorporatie", "Voedselbank",
        "Deurwaarder", "Budgetbeheer", "Huisarts", "School", "Werkgever", "Re-integratiebedrijf",
        "Zorgverzekeraar", "Energiebedrijf", "Familie", "Vrijwilliger",
    ],
    "channels": [
        "telefoon", "balie", "brief", "website", "e-mail", "app", "sms", "chat", "huisbezoek",
        "DigiD-formulier", "gesprek", "via familie", "via vrijwilliger",
    ],
    "phase": ["oriëntatie", "aanvraag", "wachten", "besluit", "uitvoering", "nazorg"],
}


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cycle collector while many small objects are built (records of a whole study): it
    would run again and again and find nothing, since records hold no cycles. Restored afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


#: The step fields that hold free text (redacted in exports and summaries).


def expired(study: Study, today: date | None = None) -> bool:
    """Whether the study's retention date has passed."""
    return study.retention_until is not None and study.retention_until < (today or date.today())


class OpenElsewhere(Exception):
    """An interview to delete is open in another app instance; the message says which. Nothing was changed."""


class ImportConflict(Exception):
    """A bundle that cannot be merged into this database; the message says why. Nothing was changed."""


@dataclass
class ImportReport:
    """What an import did."""

    added: int = 0
    skipped: int = 0
    studies_added: int = 0
    identities: int = 0
    forgotten: int = 0  # interviews of respondents forgotten here: not imported
    renamed: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class ForgetReport:
    """What forgetting (or purging) deleted, and whether the file and its backups are clean."""

    counts: dict[str, int]
    log_emptied: bool = True
    backups_cleaned: list[Path] = field(default_factory=list)
    backups_failed: list[tuple[Path, str]] = field(default_factory=list)


#: An open interview's claim is refreshed this often (seconds) and counts as gone after CLAIM_TIMEOUT.
CLAIM_REFRESH = 30
CLAIM_TIMEOUT = 120


@dataclass(frozen=True)
class Busy:
    """Another app instance has the interview open."""

    host: str
    pid: int
    since: datetime

    @classmethod
    def from_claim(cls, row: dict[str, Any]) -> "Busy":
        return cls(host=row["host"], pid=row["pid"], since=datetime.fromisoformat(row["heartbeat_at"]))


@dataclass(frozen=True)
class Saved:
    """What an answer produced once committed: the stored revision and the new state."""

    answer: Answer | None
    state: InterviewState


class Services:
    """Everything the app and the command line do with studies and interviews."""

    def __init__(self, store: Store, catalog: Catalog, lang: str = "nl", assist_dir: Path | None = None):
        self.store = store
        self.catalog = catalog
        self.lang = lang
        #: the user's assistant lists: files here extend the bundled ones, a subfolder per study id more so
        self.assist_dir = assist_dir
        self._assistants: dict[str, Any] = {}
        #: this app instance, for claims on open interviews
        self.instance_id = uuid.uuid4().hex
        #: refusals committed in this call, whose traces are still to be cleared from the log and backups
        self._refused: list[tuple[str, set[str]]] = []

    @classmethod
    def open(
        cls, db_path: str | Path, question_set_dirs: list[Path], lang: str = "nl", assist_dir: Path | None = None
    ) -> "Services":
        return cls(Store.open(db_path), load_catalog(question_set_dirs, lang), lang, assist_dir)

    def close(self) -> None:
        try:
            self.store.release_all(self.instance_id)
        except Exception:  # closing must not fail because the disk did; a stale claim expires by itself
            pass
        self.store.close()

    # --- studies and interviews ---------------------------------------------------------

    def create_study(self, title: str, **fields: Any) -> Study:
        return self.store.add_study(Study(title=title, **fields))

    def list_studies(self) -> list[StudyRow]:
        return self.store.list_studies()

    def list_interviews(self, study_id: str | None = None) -> list[InterviewRow]:
        return self.store.list_interviews(study_id)

    def next_respondent_code(self, study_id: str) -> str:
        return self.store.next_respondent_code(study_id)

    def question_set(self, set_id: str) -> QuestionSet:
        return self.catalog.get(set_id)

    def start_interview(
        self, study_id: str, question_set_id: str, respondent_code: str | None = None, interviewer: str = ""
    ) -> Interview:
        """Create a respondent (next free code unless given) and an interview, in one transaction."""
        qs = self.catalog.get(question_set_id)
        with self.store.atomic():
            code = respondent_code or self.store.next_respondent_code(study_id)
            respondent = self.store.add_respondent(Respondent(study_id=study_id, code=code))
            interview = Interview(
                study_id=study_id,
                respondent_id=respondent.id,
                question_set_id=qs.id,
                question_set_version=qs.version,
                interviewer=interviewer,
            )
            self.store.add_interview(interview)
        return interview

    def interview(self, interview_id: str) -> Interview:
        return self.store.get_interview(interview_id)

    def respondent(self, respondent_id: str) -> Respondent:
        return self.store.get_respondent(respondent_id)

    def state(self, interview_id: str) -> InterviewState:
        interview = self.store.get_interview(interview_id)
        return InterviewState(
            self.catalog.get(interview.question_set_id),
            self.store.answers_of(interview_id),
            self.store.steps_of(interview_id),
            self.lang,
        )

    def interview_record(self, interview_id: str) -> InterviewRecord:
        """The interview with its study, respondent, consents, every answer revision and steps."""
        interview = self.store.get_interview(interview_id)
        return InterviewRecord(
            study=self.store.get_study(interview.study_id),
            respondent=self.store.get_respondent(interview.respondent_id),
            interview=interview,
            consents=self.store.consents_of(interview_id),
            answers=self.store.answers_of(interview_id),
            steps=self.store.steps_of(interview_id),
        )

    def interview_records(self, interview_ids: list[str], step_answers: bool = True) -> list[InterviewRecord]:
        """Like interview_record for many interviews, loaded in a few queries; in the order given.

        Without ``step_answers`` the answers given inside the step loop are left out (the steps hold them)."""
        data = self.store.bulk_records(interview_ids, step_answers)
        studies = {s.id: s for s in data["studies"]}
        respondents = {r.id: r for r in data["respondents"]}
        interviews = {i.id: i for i in data["interviews"]}
        grouped: dict[str, dict[str, list[Any]]] = {i: {"consents": [], "answers": [], "steps": []} for i in interviews}
        for kind in ("consents", "answers", "steps"):
            for row in data[kind]:
                grouped[row.interview_id][kind].append(row)
        return [
            InterviewRecord.model_construct(  # the parts were validated as they were read
                study=studies[interviews[i].study_id],
                respondent=respondents[interviews[i].respondent_id],
                interview=interviews[i],
                **grouped[i],
            )
            for i in interview_ids
            if i in interviews
        ]

    def select_interviews(
        self, study: str | None = None, respondent: str | None = None, interview: str | None = None,
        status: InterviewStatus | None = None,
    ) -> list[str]:
        """Interview ids by study (id or title), respondent code, interview id (or its start) and status."""
        rows = self.store.list_interviews()
        if study:
            ids = {r.study.id for r in self.store.list_studies() if study in (r.study.id, r.study.title)}
            rows = [r for r in rows if r.interview.study_id in ids]
        if respondent:
            rows = [r for r in rows if r.respondent_code == respondent]
        if interview:
            rows = [r for r in rows if r.interview.id.startswith(interview)]
        if status:
            rows = [r for r in rows if r.interview.status is status]
        return [r.interview.id for r in sorted(rows, key=lambda r: (r.interview.started_at, r.interview.id))]

    def export_records(
        self, interview_ids: list[str], keep_personal_data: bool = False, step_answers: bool = True
    ) -> list[InterviewRecord]:
        """The records as they may leave the laptop: quotes of respondents who refused quote use taken out
        everywhere, and (unless ``keep_personal_data``) personal data in free text redacted."""
        return [self.protect(r, keep_personal_data) for r in self.interview_records(interview_ids, step_answers)]

    def protect(self, record: InterviewRecord, keep_personal_data: bool = False) -> InterviewRecord:
        """One record with its quotes withheld (quote use refused) and personal data in free text redacted."""
        from klantreis_tui import pii

        answers, steps, respondent = record.answers, record.steps, record.respondent
        if record.consent("quotes") is False:  # summaries go further: they need consent recorded as given
            qs = self.catalog.sets.get(record.interview.question_set_id)
            quoted = {q for step in steps for q in step.quotes}
            if qs is not None:
                quote_ids = {q.id for section in qs.sections for q in section.questions if q.field == "quote"}

                def withheld(a: Answer) -> bool:
                    return a.question_id in quote_ids or (isinstance(a.value, str) and a.value in quoted)
            else:
                # the question set is not here: which answers held quotes cannot be told; withhold every
                # text answer given within a step (the steps themselves still carry the journey)
                def withheld(a: Answer) -> bool:
                    return bool(a.step_id) and isinstance(a.value, str) and bool(a.value)
            answers = [a.model_copy(update={"value": None}) if withheld(a) else a for a in answers]
            steps = [s.model_copy(update={"quotes": []}) if s.quotes else s for s in steps]
        if not keep_personal_data:
            lang = self.lang

            def redacted(model: Any, names: tuple[str, ...]) -> Any:
                """The model with its text fields redacted; the same object when there was nothing to redact."""
                changes = {}
                for name in names:
                    value = getattr(model, name)
                    if not pii.might_contain(value):
                        continue
                    clean = pii.redact_value(value, lang)
                    if clean != value:
                        changes[name] = clean
                return model.model_copy(update=changes) if changes else model

            answers = [redacted(a, ("value",)) for a in answers]
            steps = [redacted(s, step_fields.TEXT_NAMES) for s in steps]
            respondent = redacted(respondent, ("segment", "tags"))
        if answers is record.answers and steps is record.steps and respondent is record.respondent:
            return record
        return record.model_copy(update={"answers": answers, "steps": steps, "respondent": respondent})

    def export_bundle(
        self, interview_ids: list[str], keep_personal_data: bool = False, include_identities: bool = False
    ) -> Bundle:
        """Every row of the given interviews, in a deterministic order; respondents by code only.

        Quotes without consent are left out and personal data in free text is redacted unless
        ``keep_personal_data``; the key table (names, contact details) only with ``include_identities``.
        """
        with gc_paused():
            records = self.export_records(interview_ids, keep_personal_data)
        studies = {r.study.id: r.study for r in records}
        respondents = {r.respondent.id: r.respondent for r in records}
        identities = self.store.identities_for(sorted(respondents)) if include_identities else []
        return Bundle(
            format=BUNDLE_FORMAT,
            schema_version=BUNDLE_VERSION,
            app_version=__version__,
            pseudonymous=not identities,
            personal_data_redacted=not keep_personal_data,
            studies=sorted(studies.values(), key=lambda s: (s.created_at, s.id)),
            respondents=sorted(respondents.values(), key=lambda r: (r.study_id, r.code)),
            interviews=[r.interview for r in records],
            consents=[c for r in records for c in sorted(r.consents, key=lambda c: c.item)],
            answers=[a for r in records for a in r.answers],
            steps=[s for r in records for s in r.steps],
            identities=identities,
        )

    def import_bundle(self, bundle: Bundle) -> ImportReport:
        """Merge a checked bundle in one transaction: known interviews are skipped, never duplicated;
        a respondent code that is taken by another respondent is renamed and reported."""
        report = ImportReport()
        with gc_paused(), self.store.atomic():
            studies = [s for s in bundle.studies if not self.store.has_row("studies", s.id)]
            report.studies_added = len(studies)
            new_interviews = [i for i in bundle.interviews if not self.store.has_row("interviews", i.id)]
            report.skipped = len(bundle.interviews) - len(new_interviews)
            # a respondent forgotten here (or purged with a study) stays forgotten: an old bundle cannot undo it
            forgotten = self.store.forgotten_respondents()
            report.forgotten = len([i for i in new_interviews if i.respondent_id in forgotten])
            new_interviews = [i for i in new_interviews if i.respondent_id not in forgotten]
            needed = {i.respondent_id for i in new_interviews}
            study_titles = {s.id: s.title for s in bundle.studies}
            self.store.insert_records(studies=studies)
            respondents = []
            for respondent in bundle.respondents:
                if respondent.id not in needed:
                    continue
                here = self.store.respondent_study(respondent.id)
                if here is not None and here != respondent.study_id:
                    raise ImportConflict(t("import.respondent_conflict", self.lang, id=respondent.id))
                if here is not None:
                    continue
                owner = self.store.respondent_code_owner(respondent.study_id, respondent.code)
                if owner is not None and owner != respondent.id:
                    # the next code free both here and in the bundle
                    taken = {r.code for r in self.store.respondents_of(respondent.study_id)}
                    taken |= {r.code for r in bundle.respondents if r.study_id == respondent.study_id}
                    taken |= {r.code for r in respondents if r.study_id == respondent.study_id}
                    new_code = next(f"R{n:02d}" for n in range(1, len(taken) + 2) if f"R{n:02d}" not in taken)
                    report.renamed.append((respondent.code, new_code, study_titles.get(respondent.study_id, "")))
                    respondent = respondent.model_copy(update={"code": new_code})
                respondents.append(respondent)
            added = {i.id for i in new_interviews}
            taken = [s.id for s in bundle.steps if s.interview_id in added and self.store.has_step(s.id)]
            if taken:
                raise ImportConflict(t("import.step_conflict", self.lang, count=len(taken), first=taken[0]))
            self.store.insert_records(
                respondents=respondents,
                interviews=new_interviews,
                consents=[c for c in bundle.consents if c.interview_id in added],
                answers=[a for a in bundle.answers if a.interview_id in added],
                steps=[s for s in bundle.steps if s.interview_id in added],
            )
            added_respondents = {r.id for r in respondents}
            identities = [i for i in bundle.identities if i.respondent_id in added_respondents]
            self.store.insert_identities(identities)
            report.identities = len(identities)
            report.added = len(new_interviews)
        return report

    # --- summaries -------------------------------------------------------------------------

    def interview_summary(
        self, interview_id: str, fmt: str = "md", templates: Path | None = None, keep_personal_data: bool = False
    ) -> str:
        """The draft summary of one interview (Markdown or HTML), from the templates; personal data in
        free text redacted unless ``keep_personal_data``."""
        from klantreis_tui.rendering.summary import interview_context
        from klantreis_tui.rendering.templates import render

        record = self.protect(self.interview_record(interview_id), keep_personal_data)
        qs = self.catalog.sets.get(record.interview.question_set_id)
        return render(f"interview.{fmt}.j2", interview_context(record, qs, self.lang), templates)

    def study_synthesis(
        self, interview_ids: list[str], fmt: str = "md", templates: Path | None = None, keep_personal_data: bool = False
    ) -> str:
        """The synthesis of a study over its completed interviews among ``interview_ids``."""
        from klantreis_tui.rendering.summary import study_context
        from klantreis_tui.rendering.templates import render

        with gc_paused():
            # the synthesis shows steps, not the answers given inside the step loop: those need not be read
            records = self.export_records(interview_ids, keep_personal_data, step_answers=False)
            if not records:
                raise ValueError("no interviews")
            study = records[0].study
            completed = [r for r in records if r.interview.status is InterviewStatus.afgerond and r.study.id == study.id]
            context = study_context(study, completed, self.catalog.sets, self.lang)
            return render(f"study.{fmt}.j2", context, templates)

    # --- answering ------------------------------------------------------------------------

    def answer(self, interview_id: str, slot: Slot, raw: Any, state: InterviewState | None = None) -> Saved:
        """Validate and commit an answer (and what it implies) in one transaction.

        Raises AnswerInvalid, changing nothing, when the answer does not pass validation.
        An empty answer to an optional question is stored as skipped. ``state`` is the caller's current
        state of this interview (as returned by the last call); without it the state is read first.
        """
        state = state or self.state(interview_id)
        question = state.question(slot)
        value = validate_answer(state.qs, question, raw, self.lang)
        return self._commit(interview_id, state, slot, value, skipped=value is None)

    def skip(self, interview_id: str, slot: Slot) -> Saved:
        state = self.state(interview_id)
        if state.question(slot).required:
            raise AnswerInvalid(t("answer.cannot_skip", self.lang))
        return self._commit(interview_id, state, slot, None, skipped=True)

    def _commit(self, interview_id: str, state: InterviewState, slot: Slot, value: Any, skipped: bool) -> Saved:
        section = state.section(slot)
        question = state.question(slot)
        old = state.value(slot)
        changed_step: Step | None = None
        refused = False
        with self.store.atomic():
            answer = self.store.add_answer(
                interview_id, slot.question_id, value, step_id=slot.step_id, skipped=skipped
            )
            if section.kind is SectionKind.step_loop and question.field:
                step = state.step(slot.step_id) or self.store.get_step(slot.step_id)
                changed_step = self.store.update_step(step.id, **step_field_update(step, question.field, old, value))
            elif question.field in ("age_band", "segment"):
                respondent_id = self.store.get_interview(interview_id).respondent_id
                self.store.set_respondent_field(respondent_id, question.field, value or "")
            if section.kind is SectionKind.consent and question.consent is not None:
                self.store.record_consent(
                    Consent(
                        interview_id=interview_id,
                        item=question.consent.value,
                        granted=bool(value),
                        text_version=section.text_version or "",
                        question_set_version=state.qs.version,
                    )
                )
                if question.consent.value == "participation" and value is False:
                    self._refuse(interview_id, {q.id for q in section.questions})
                    refused = True
        if refused:
            self._after_refusal()
            return Saved(answer, self.state(interview_id))
        # what was just committed, applied to the state in memory: no need to read it all back
        return Saved(answer, state.with_change(answer, changed_step))

    def _refuse(self, interview_id: str, consent_questions: set[str]) -> None:
        """No consent to take part: keep only the refusal. The answers, steps, what the answers put on the
        respondent (age band, segment) and the key-table entry go; what was recorded is overwritten in the
        file, and ``_after_refusal`` clears the log file and does the same in the backups."""
        self.store.withdraw(interview_id, consent_questions)
        self.store.set_status(interview_id, InterviewStatus.geen_toestemming, now())
        self._refused.append((interview_id, consent_questions))

    def _after_refusal(self) -> None:
        """Once a refusal is committed: empty the write-ahead log and remove the interview's data from backups.

        Best effort: the refusal itself is committed and its data overwritten in the file (secure_delete);
        a busy database only postpones the rest to the next forget, purge or refusal."""
        from klantreis_tui.storage import StorageError

        if self.store.db.conn.in_transaction:
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

    def _reopen_if_consent_restored(self, interview_id: str, state: InterviewState, slot: Slot, answer: Answer) -> None:
        """Undoing a refusal restores consent: the interview is in progress again (its data stays gone)."""
        question = state.question(slot) if not slot.question_id.startswith("@") else None
        if question is None or question.consent is None or question.consent.value != "participation":
            return
        if answer.value is True and self.store.get_interview(interview_id).status is InterviewStatus.geen_toestemming:
            self.store.set_status(interview_id, InterviewStatus.bezig, None)

    def loop_answer(self, interview_id: str, prompt: LoopPrompt, another: bool) -> Saved:
        """Answer the step-loop prompt: add a step at the end, or close the loop."""
        with self.store.atomic():
            if another:
                self.store.insert_step(interview_id)
                answer = None
            else:
                answer = self.store.add_answer(interview_id, loop_control_id(prompt.section_id), True)
        return Saved(answer, self.state(interview_id))

    def undo_last(self, interview_id: str) -> Answer | None:
        """Undo the most recent answer revision: restore the one before it, or retract it."""
        answers = self.store.answers_of(interview_id)
        if not answers:
            return None
        last = answers[-1]
        if last.retracted:
            return None
        state = self.state(interview_id)
        earlier = [
            a
            for a in answers
            if (a.question_id, a.step_id) == (last.question_id, last.step_id) and a.revision < last.revision
        ]
        slot = Slot(last.question_id, last.step_id)
        step_gone = bool(last.step_id) and not self.store.has_step(last.step_id)
        with self.store.atomic():
            if step_gone:
                # the answer's step was deleted since: nothing to restore into, only the answer to retract
                return self.store.add_answer(interview_id, last.question_id, None, step_id=last.step_id, retracted=True)
            if earlier and not earlier[-1].retracted:
                previous = earlier[-1]
                restored = self._commit(interview_id, state, slot, previous.value, previous.skipped)
                restored_answer = restored.answer
            else:
                restored_answer = None
        if restored_answer is not None:
            self._after_refusal()  # the restored answer may have been a refusal
            self._reopen_if_consent_restored(interview_id, state, slot, restored_answer)
            return restored_answer
        with self.store.atomic():
            answer = self.store.add_answer(
                interview_id, last.question_id, None, step_id=last.step_id, retracted=True
            )
            if not last.question_id.startswith("@"):
                question = state.question(slot)
                if state.section(slot).kind is SectionKind.step_loop and question.field:
                    step = self.store.get_step(slot.step_id)
                    self.store.update_step(step.id, **step_field_update(step, question.field, last.value, None))
        return answer

    # --- steps -----------------------------------------------------------------------------

    def steps(self, interview_id: str) -> list[Step]:
        return self.store.steps_of(interview_id)

    def insert_step(self, interview_id: str, position: int | None = None, **fields: Any) -> Step:
        return self.store.insert_step(interview_id, position, **fields)

    def update_step(self, step_id: str, **fields: Any) -> Step:
        if "quotes" in fields:
            step = self.store.get_step(step_id)
            if set(fields["quotes"]) - set(step.quotes) and self._quotes_refused(step.interview_id):
                raise AnswerInvalid(t("mark.quote_refused", self.lang))
        return self.store.update_step(step_id, **fields)

    def _quotes_refused(self, interview_id: str) -> bool:
        return any(c.item == "quotes" and not c.granted for c in self.store.consents_of(interview_id))

    def move_step(self, step_id: str, position: int) -> Step:
        return self.store.move_step(step_id, position)

    def delete_step(self, step_id: str) -> None:
        self.store.delete_step(step_id)

    def merge_steps(self, keep_id: str, other_id: str) -> Step:
        """Merge step ``other_id`` into ``keep_id`` (texts joined, lists combined) and delete it."""
        keep, other = self.store.get_step(keep_id), self.store.get_step(other_id)
        if keep.interview_id != other.interview_id or keep.id == other.id:
            raise ValueError("steps of different interviews, or the same step")

        fields = {f.name: merged_value(f, getattr(keep, f.name), getattr(other, f.name)) for f in step_fields.FIELDS}
        with self.store.atomic():
            merged = self.store.update_step(keep_id, **fields)
            self.store.delete_step(other_id)
        return self.store.get_step(merged.id)

    def mark(self, step_id: str, kind: str, text: str) -> Step:
        """Mark ``text`` as a quote, pain point or opportunity (idea) of a step."""
        text = text.strip()
        step = self.store.get_step(step_id)
        if kind == "quote" and self._quotes_refused(step.interview_id):
            raise AnswerInvalid(t("mark.quote_refused", self.lang))
        if kind == "quote":
            return self.store.update_step(step_id, quotes=list(dict.fromkeys([*step.quotes, text])))
        if kind not in ("pain_point", "opportunity"):
            raise ValueError(kind)
        current: str = getattr(step, kind)
        if text in current.split("; "):
            return step
        return self.store.update_step(step_id, **{kind: "; ".join(x for x in (current, text) if x)})

    def assistant(self, study_id: str) -> Any:
        """The assistant for a study: bundled lists, the user's, then the study's own (cached)."""
        from klantreis_tui.assist import Assistant

        if study_id not in self._assistants:
            dirs = [self.assist_dir, self.assist_dir / study_id] if self.assist_dir else []
            self._assistants[study_id] = Assistant.load([d for d in dirs if d.is_dir()])
        return self._assistants[study_id]

    def accept_proposal(self, step_id: str, kind: str, value: Any, word: str = "") -> Step:
        """Put an accepted proposal of the assistant into a step (committed)."""
        step = self.store.get_step(step_id)

        def add(items: list[str], item: str) -> list[str]:
            return list(dict.fromkeys([*items, item]))

        if kind == "instance":
            fields: dict[str, Any] = {"instances": add(step.instances, str(value))}
        elif kind == "channel":
            fields = {"channels": add(step.channels, str(value))}
        elif kind == "emotion":
            fields = {"emotion": int(value), "emotion_words": add(step.emotion_words, word) if word else step.emotion_words}
        elif kind == "duration":
            fields = {"duration": str(value)}
        else:
            raise ValueError(kind)
        return self.store.update_step(step_id, **fields)

    def known_values(self, study_id: str, field: str) -> list[str]:
        """Values for completion: those used earlier in the study first, then the common ones."""
        return list(dict.fromkeys([*self.store.step_values(study_id, field), *COMMON_VALUES.get(field, [])]))

    # --- ending ------------------------------------------------------------------------------

    def finish(self, interview_id: str) -> None:
        self.store.set_status(interview_id, InterviewStatus.afgerond, now())

    def abandon(self, interview_id: str) -> None:
        self.store.set_status(interview_id, InterviewStatus.afgebroken, now())

    # --- privacy: the key table, forgetting, retention ------------------------------------------

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
        records = self.interview_records(self.select_interviews(study=study.id, respondent=respondent.code))
        return t(
            "privacy.forget.what", self.lang, code=respondent.code, study=study.title, interviews=len(records),
            steps=sum(len(r.steps) for r in records), answers=sum(len(r.answers) for r in records),
            identity=t("privacy.forget.identity", self.lang) if self.identity(respondent_id) else "",
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
        busy = self.busy_interviews()
        if not busy:
            return
        wanted = set(respondent_ids)
        for row in self.store.list_interviews():
            if row.interview.id in busy and row.interview.respondent_id in wanted:
                other = busy[row.interview.id]
                raise OpenElsewhere(t("privacy.busy", self.lang, code=row.respondent_code, host=other.host, pid=other.pid))

    def _scrub_backups(self, report: ForgetReport, apply: Callable[[Store], Any]) -> None:
        """Do ``apply`` in every backup of this database and every database a restore set aside, so that what
        was deleted here is gone there too; each copy cleaned or failed is in ``report``."""
        from klantreis_tui.storage import StorageError
        from klantreis_tui.storage.backup import list_backups, set_aside

        if self.store.path == ":memory:":
            return
        db_path = Path(self.store.path)
        for copy in [info.path for info in list_backups(db_path)] + set_aside(db_path):
            try:
                backup = Store.open(copy, create=False, presence=False)
            except StorageError as exc:
                report.backups_failed.append((copy, str(exc)))
                continue
            try:
                apply(backup)
                backup.compact()
                backup.db.execute("PRAGMA journal_mode = DELETE")  # a backup stays one file, no -wal/-shm
                report.backups_cleaned.append(copy)
            except StorageError as exc:
                report.backups_failed.append((copy, str(exc)))
            finally:
                backup.close()

    def privacy_log(self) -> list[dict[str, Any]]:
        return self.store.privacy_log()

    def data_version(self) -> int:
        """Changes whenever another connection (window, command) commits to the database."""
        return self.store.data_version()

    # --- two instances: an interview open elsewhere is busy -------------------------------------------

    def claim_interview(self, interview_id: str) -> Busy | None:
        """Claim an interview for this app instance; returns who has it when another live instance does."""
        other = self.store.claim(interview_id, self.instance_id, socket.gethostname(), os.getpid(), now(), self._stale)
        return None if other is None else Busy.from_claim(other)

    def release_interview(self, interview_id: str) -> None:
        self.store.release(interview_id, self.instance_id)

    def keep_claims(self) -> None:
        """Refresh this instance's claims (call every ``CLAIM_REFRESH`` seconds while an interview is open)."""
        self.store.refresh_claims(self.instance_id, now())

    def busy_interviews(self) -> dict[str, Busy]:
        """Interviews another live instance has open."""
        return {
            interview_id: Busy.from_claim(row)
            for interview_id, row in self.store.claims().items()
            if row["owner"] != self.instance_id and not self._stale(row)
        }

    @staticmethod
    def _stale(row: dict[str, Any]) -> bool:
        """A claim whose instance is gone: its process ended (same machine), or it stopped refreshing."""
        age = (now() - datetime.fromisoformat(row["heartbeat_at"])).total_seconds()
        if age > CLAIM_TIMEOUT:
            return True
        if row["host"] == socket.gethostname():
            try:
                os.kill(row["pid"], 0)
            except ProcessLookupError:
                return True
            except PermissionError:
                return False
        return False
