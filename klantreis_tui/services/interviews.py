"""Studies and interviews: start, answer, skip, undo, the step loop, finish; refusals and respondent codes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from klantreis_tui.engine import (
    InterviewState,
    LoopPrompt,
    Slot,
    loop_control_id,
    step_field_update,
    validate_answer,
)
from klantreis_tui.errors import AnswerInvalid
from klantreis_tui.i18n import t
from klantreis_tui.models.codes import code_prefix, next_code, valid_code
from klantreis_tui.models.question_set import QuestionSet, SectionKind
from klantreis_tui.models.records import (
    Answer,
    Consent,
    Interview,
    InterviewRecord,
    InterviewStatus,
    Respondent,
    Step,
    Study,
    now,
)
from klantreis_tui.services.base import ServiceBase
from klantreis_tui.storage import InterviewRow, StudyRow


@dataclass(frozen=True)
class Saved:
    """What an answer produced once committed: the stored revision and the new state."""

    answer: Answer | None
    state: InterviewState


class InterviewServices(ServiceBase):
    """Studies, respondents and interviews, and answering them."""

    # --- studies ----------------------------------------------------------------------------

    def create_study(self, title: str, **fields: Any) -> Study:
        return self.store.add_study(Study(title=title, **fields))

    def study(self, study_id: str) -> Study:
        return self.store.get_study(study_id)

    def update_study(self, study: Study) -> Study:
        return self.store.update_study(study)

    def list_studies(self) -> list[StudyRow]:
        return self.store.list_studies()

    def list_interviews(self, study_id: str | None = None) -> list[InterviewRow]:
        return self.store.list_interviews(study_id)

    # --- respondent codes: R01, R02, ...; a forgotten respondent's code is never given out again --------

    def taken_codes(self, study_id: str) -> set[str]:
        """Codes in use in a study, and those of forgotten respondents (paper key lists may hold them)."""
        return {r.code for r in self.store.respondents_of(study_id)} | self.store.retired_codes(study_id)

    def next_respondent_code(self, study_id: str) -> str:
        """The next free code of this laptop: R01, ... or, with a laptop prefix (``code_prefix``), AB-R01, ..."""
        return next_code(self.taken_codes(study_id), code_prefix(self.code_prefix))

    def respondent_code_problem(self, study_id: str, code: str) -> str | None:
        """Why ``code`` cannot be given to a new respondent of the study (in words), or None when it can."""
        if not valid_code(code):
            return t('Use letters, digits, - or _ (20 at most).')
        if code in self.taken_codes(study_id):
            return t('Code {code} is already used in this study.', code=code)
        return None

    # --- interviews -------------------------------------------------------------------------

    def question_set(self, set_id: str) -> QuestionSet:
        return self.catalog.get(set_id)

    def question_sets(self) -> list[QuestionSet]:
        """The question sets to start an interview with: the general script first, the themed ones after it."""
        return sorted(self.catalog.sets.values(), key=lambda qs: (qs.id != "vng-algemeen", qs.id))

    def start_interview(
        self, study_id: str, question_set_id: str, respondent_code: str | None = None, interviewer: str = "",
        code_proposed: bool = False,
    ) -> Interview:
        """Create a respondent (next free code unless given) and an interview, in one transaction.

        ``code_proposed``: ``respondent_code`` is the code proposed earlier, not one typed: when another window
        took it meanwhile, the next free code is given instead. A typed code that is taken raises AnswerInvalid
        (``code.taken``), changing nothing.
        """
        qs = self.catalog.get(question_set_id)
        with self.store.atomic():  # the write lock first: two windows cannot both take the same code
            code = respondent_code or self.next_respondent_code(study_id)
            taken = self.taken_codes(study_id)
            if code in taken:
                if not code_proposed:
                    raise AnswerInvalid("code.taken", code=code)
                code = next_code(taken)
            respondent = self.store.add_respondent(Respondent(study_id=study_id, code=code))
            interview = Interview(
                study_id=study_id,
                respondent_id=respondent.id,
                question_set_id=qs.id,
                question_set_version=qs.version,
                interviewer=interviewer,
            )
            self.store.add_interview(interview)
            self.propose_phases(self.store.get_study(study_id), qs)  # type: ignore[attr-defined]
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

    # --- answering ------------------------------------------------------------------------

    def is_late_refusal(self, state: InterviewState, slot: Slot, raw: Any) -> bool:
        """A "no" to taking part after other answers were given: it deletes them, so it is confirmed first."""
        question = state.question(slot)
        if question.consent is None or question.consent.value != "participation":
            return False
        try:  # as the answer will be read: the same rules, so every spelling of "no" counts
            if validate_answer(state.qs, question, raw) is not False:
                return False
        except AnswerInvalid:
            return False
        return bool(state.steps) or any(
            state.answer(other) is not None
            for other in state.slots()
            if state.section(other).kind is not SectionKind.consent
        )

    def answer(self, interview_id: str, slot: Slot, raw: Any, state: InterviewState | None = None) -> Saved:
        """Validate and commit an answer (and what it implies) in one transaction.

        Raises AnswerInvalid, changing nothing, when the answer does not pass validation.
        An empty answer to an optional question is stored as skipped. ``state`` is the caller's current
        state of this interview (as returned by the last call); without it the state is read first.
        """
        state = state or self.state(interview_id)
        question = state.question(slot)
        value = validate_answer(state.qs, question, raw)
        return self._commit(interview_id, state, slot, value, skipped=value is None)

    def skip(self, interview_id: str, slot: Slot) -> Saved:
        state = self.state(interview_id)
        if state.question(slot).required:
            raise AnswerInvalid("answer.cannot_skip")
        return self._commit(interview_id, state, slot, None, skipped=True)

    def _commit(self, interview_id: str, state: InterviewState, slot: Slot, value: Any, skipped: bool) -> Saved:
        section = state.section(slot)
        question = state.question(slot)
        old = state.value(slot)
        latest = state.latest.get((slot.question_id, slot.step_id))
        changed_step: Step | None = None
        refused = False
        with self.store.atomic():
            answer = self.store.add_answer(
                interview_id, slot.question_id, value, step_id=slot.step_id, skipped=skipped,
                revision=1 if latest is None else latest.revision + 1,  # known: not counted again
            )
            if section.kind is SectionKind.step_loop and question.field:
                step = state.step(slot.step_id) or self.store.get_step(slot.step_id)
                changed_step = self.store.update_step(step.id, step, **step_field_update(step, question.field, old, value))
            elif question.field in ("age_band", "segment"):
                self.store.set_interview_respondent_field(interview_id, question.field, value or "")
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
            self._after_refusal()  # type: ignore[attr-defined]
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
            self._after_refusal()  # type: ignore[attr-defined]  # the restored answer may have been a refusal
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

    # --- ending ------------------------------------------------------------------------------

    def finish(self, interview_id: str) -> None:
        self.store.set_status(interview_id, InterviewStatus.afgerond, now())

    def abandon(self, interview_id: str) -> None:
        self.store.set_status(interview_id, InterviewStatus.afgebroken, now())
