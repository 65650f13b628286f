"""The Excel workbook of an export: one sheet per table (interviews, steps, answers, themes), in the UI language,
redacted and pseudonymous like every export; the cells typed for Excel by ``formats.xlsx``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from klantreis_tui.engine import LOOP_PREFIX  # the answer that closes the step loop: shown by meaning, never as the id
from klantreis_tui.i18n import current_language, keyed, t
from klantreis_tui.models.question_set import QuestionKind, QuestionSet, SectionKind, answer_words
from klantreis_tui.models.records import InterviewRecord
from klantreis_tui.services.base import ServiceBase, gc_paused

#: records read at a time for a workbook (progress is reported per batch)
WORKBOOK_BATCH = 200


def _short(identifier: str) -> str:
    return identifier[:8]


def _yes_no(value: bool | None) -> str:
    return "" if value is None else t("yes") if value else t("no")


def _status(value: str) -> str:
    try:
        return t(keyed(f"status.{value}"))
    except KeyError:
        return value


def _emotion_word(score: int | None) -> str:
    return "" if score is None else t(keyed(f"emotion.{score}"))


class WorkbookServices(ServiceBase):
    """``klantreis export --format xlsx`` and the summary screen's Excel key."""

    def workbook(
        self, interview_ids: list[str], keep_personal_data: bool = False,
        progress: Callable[[int], None] | None = None,
    ) -> bytes:
        """The workbook of the interviews: quotes and personal data protected as in every export."""
        from klantreis_tui.formats.xlsx import workbook_bytes

        records: list[InterviewRecord] = []
        for start in range(0, len(interview_ids), WORKBOOK_BATCH):
            batch = interview_ids[start : start + WORKBOOK_BATCH]
            with gc_paused():
                records.extend(self.export_records(batch, keep_personal_data))  # type: ignore[attr-defined]
            if progress is not None:
                progress(len(batch))
        return workbook_bytes(self.workbook_sheets(records, keep_personal_data))

    def export_xlsx(
        self, interview_ids: list[str], path: Path, keep_personal_data: bool = False,
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Write the workbook to ``path`` (a regular file or a new path); returns how many interviews it holds."""
        from klantreis_tui.services.exchange import output_target, write_file

        output_target(path)  # a folder or a device is refused before the workbook is built
        write_file(path, self.workbook(interview_ids, keep_personal_data, progress))
        return len(interview_ids)

    def workbook_sheets(self, records: list[InterviewRecord], keep_personal_data: bool = False) -> list:  # type: ignore[type-arg]
        """The sheets (``formats.xlsx.Sheet``) of the records, header texts in the UI language; the actions of
        their studies' improvement plans (redacted unless ``keep_personal_data``)."""
        from klantreis_tui.formats.xlsx import Column, Sheet

        studies = list({r.study.id: r.study for r in records}.values())
        themes = self.redacted_themes([s.id for s in studies], keep_personal_data)  # type: ignore[attr-defined]
        links = [link for s in studies for link in self.store.theme_links_of(s.id)]
        theme_names = {th.id: th.name for th in themes}
        step_themes: dict[str, list[str]] = {}
        for link in links:
            names = step_themes.setdefault(link.step_id, [])
            if theme_names.get(link.theme_id) and theme_names[link.theme_id] not in names:
                names.append(theme_names[link.theme_id])
        key = [Column(t("Study")), Column(t("Respondent")), Column(t("Interview"))]
        interviews = Sheet(t("Interviews"), [
            *key, Column(t("Age group")), Column(t("Segment")), Column(t("Characteristics")),
            Column(t("Question set")), Column(t("Version")), Column(t("Interviewer")), Column(t("Started")),
            Column(t("Ended")), Column(t("Status")), Column(t("Steps")), Column(t("Avg. experience")),
            Column(t("Consent to take part")), Column(t("Consent to record")), Column(t("Consent to quotes")),
        ])
        steps = Sheet(t("Steps"), [
            *key, Column(t("No.")), Column(t("Phase")), Column(t("Step")), Column(t("Organisations")),
            Column(t("Channels")), Column(t("Experience")), Column(t("Experience in words")), Column(t("Feeling")),
            Column(t("Quotes")), Column(t("Pain point")), Column(t("Opportunity / idea")), Column(t("Duration")),
            Column(t("Moment of truth")), Column(t("Themes")),
        ])
        answers = Sheet(t("Answers"), [
            *key, Column(t("Section")), Column(t("Question")), Column(t("Step")), Column(t("Answer"), mixed=True),
            Column(t("Skipped")), Column(t("Recorded")), Column(t("Revision")),
        ])
        step_of: dict[str, tuple[InterviewRecord, int]] = {}
        emotions: dict[str, int | None] = {}
        for record in records:
            iv, resp = record.interview, record.respondent
            base = [record.study.title, resp.code, _short(iv.id)]
            qs = self.catalog.sets.get(iv.question_set_id)
            ordered = sorted(record.steps, key=lambda s: s.position)
            scores = [s.emotion for s in ordered if s.emotion is not None]
            interviews.rows.append([
                *base, resp.age_band, resp.segment, resp.tags, qs.title.get(current_language()) if qs else iv.question_set_id,
                iv.question_set_version, iv.interviewer, iv.started_at, iv.ended_at, _status(iv.status.value),
                len(ordered), round(sum(scores) / len(scores), 2) if scores else None,
                _yes_no(record.consent("participation")), _yes_no(record.consent("audio")),
                _yes_no(record.consent("quotes")),
            ])
            for step in ordered:
                step_of[step.id] = (record, step.position)
                emotions[step.id] = step.emotion
                steps.rows.append([
                    *base, step.position, step.phase, step.description, step.instances, step.channels, step.emotion,
                    _emotion_word(step.emotion), step.emotion_words, "\n".join(step.quotes), step.pain_point,
                    step.opportunity, step.duration, _yes_no(step.moment_of_truth), step_themes.get(step.id, []),
                ])
            answers.rows.extend([*base, *row] for row in self._answer_rows(record, qs))
        theme_sheet = Sheet(t("Themes"), [
            Column(t("Study")), Column(t("Theme")), Column(t("Description")), Column(t("Pain points")),
            Column(t("Opportunities")), Column(t("Quotes")), Column(t("Respondents")), Column(t("Respondent codes")),
            Column(t("Avg. experience")),
        ])
        titles = {s.id: s.title for s in studies}
        by_theme: dict[str, list[Any]] = {}
        for link in links:
            if link.step_id in step_of:  # evidence of a step among the exported interviews only
                by_theme.setdefault(link.theme_id, []).append(link)
        for theme in themes:
            mine = by_theme.get(theme.id, [])
            codes = sorted({step_of[link.step_id][0].respondent.code for link in mine})
            scored = {link.step_id: emotions[link.step_id] for link in mine}
            values = [v for v in scored.values() if v is not None]
            theme_sheet.rows.append([
                titles.get(theme.study_id, ""), theme.name, theme.description,
                sum(1 for link in mine if link.field == "pain_point"),
                sum(1 for link in mine if link.field == "opportunity"),
                sum(1 for link in mine if link.field == "quotes"),
                len(codes), codes, round(sum(values) / len(values), 2) if values else None,
            ])
        return [
            interviews, steps, answers, theme_sheet, *self._persona_sheets(studies, keep_personal_data, records),
            self._action_sheet(studies, keep_personal_data),
        ]

    def _persona_sheets(self, studies: list[Any], keep_personal_data: bool, records: list[InterviewRecord]) -> list[Any]:
        """The persona's of every study (one row each) and their heartbeat: per phase the current median, its
        spread and n, beside the desired score and the ideas that would get it there. ``records``: those of the
        workbook (protected alike), not read again for the journeys."""
        from klantreis_tui.formats.xlsx import Column, Sheet

        people = Sheet(t("Persona's"), [
            Column(t("Study")), Column(t("Persona")), Column(t("Segment")), Column(t("Goal")), Column(t("Context")),
            Column(t("Story")), Column(t("Respondents")), Column(t("Respondent codes")), Column(t("Themes that weigh most")),
        ])
        beats = Sheet(t("Persona heartbeats"), [
            Column(t("Study")), Column(t("Persona")), Column(t("Phase")), Column(t("n")), Column(t("Current (median)")),
            Column(t("Lowest")), Column(t("Highest")), Column(t("Desired")), Column(t("Ideas for the desired journey")),
        ])
        known = {r.interview.id: r for r in records}
        for study in studies:
            redact = self.redactor(study.id, keep_personal_data).team  # type: ignore[attr-defined]
            for persona, view, themes in self.persona_journeys(study.id, keep_personal_data, known):  # type: ignore[attr-defined]
                people.rows.append([
                    study.title, view.title, redact(persona.segment), view.goal, view.context, view.story,
                    len(view.respondents), list(view.respondents), [f"{name} ({n})" for name, n in themes],
                ])
                for phase in view.phases:
                    beats.rows.append([
                        study.title, view.title, phase.name, phase.score.n, phase.score.median, phase.score.low,
                        phase.score.high, phase.desired, list(phase.desired_ideas),
                    ])
        return [people, beats]

    def _action_sheet(self, studies: list[Any], keep_personal_data: bool) -> Any:
        """The improvement plan's actions of every study: ranked, the dropped ones last (no rank)."""
        from klantreis_tui.formats.xlsx import Column, Sheet
        from klantreis_tui.rendering.improvement_plan import plan_labels

        words = plan_labels()
        kinds = {"pain_point": words["pain_point"], "idea": words["idea"], "quote": words["quote"]}
        sheet = Sheet(t("Actions"), [
            Column(t("Study")), Column(t("Rank")), Column(t("Action")), Column(t("Description")),
            Column(t("Organisation")), Column(t("Role")), Column(t("Time")), Column(t("Cost")), Column(t("Status")),
            Column(t("Respondents")), Column(t("Respondent codes")), Column(t("Themes")), Column(t("Persona's")),
            Column(t("Residents' words")),
        ])
        for study in studies:
            plan = self.improvement_plan(study.id, keep_personal_data)  # type: ignore[attr-defined]
            for entry in [*plan.actions, *plan.dropped]:
                action = entry.action
                behind = "\n".join(
                    f"{kinds[w.kind]} ({w.code}, {words['step'].lower()} {w.number}): {w.text}" for w in entry.words
                )
                sheet.rows.append([
                    study.title, entry.rank or None, action.title, action.description, entry.organisation,
                    action.owner_role, action.time_estimate, action.cost_estimate,
                    words[f"status_{action.status.value}"], entry.respondent_count, entry.respondents, entry.themes,
                    entry.personas, behind,
                ])
        return sheet

    def _answer_rows(self, record: InterviewRecord, qs: QuestionSet | None) -> list[list[Any]]:
        """The live answer of every question (and step), in the question set's order; step answers by step."""
        lang = current_language()
        latest = record.latest_answers()
        positions = {s.id: s.position for s in record.steps}
        order: dict[str, int] = {}
        where: dict[str, tuple[str, str, Any]] = {}  # question id: (section title, question text, question)
        if qs is not None:
            for index, (section, question) in enumerate(qs.questions()):
                order[question.id] = index
                where[question.id] = (section.title.get(lang), question.prompt.get(lang), question)
            for section in qs.sections:
                if section.kind is SectionKind.step_loop:
                    order[f"{LOOP_PREFIX}{section.id}"] = len(order)
                    where[f"{LOOP_PREFIX}{section.id}"] = (section.title.get(lang), t("All steps told"), None)

        def sort_key(item: tuple[tuple[str, str], Any]) -> tuple[int, int, int]:
            (question_id, step_id), _ = item
            return (positions.get(step_id, 0), order.get(question_id, len(order)), 0)

        rows = []
        for (question_id, step_id), answer in sorted(latest.items(), key=sort_key):
            section, text, question = where.get(question_id, ("", question_id, None))
            if question_id.startswith(LOOP_PREFIX) and question_id not in where:
                text = t("All steps told")
            rows.append([
                section, text, positions.get(step_id) if step_id else None,
                _answer_value(answer.value, question, qs, lang), _yes_no(answer.skipped) if answer.skipped else "",
                answer.recorded_at, answer.revision,
            ])
        return rows


def _answer_value(value: Any, question: Any, qs: QuestionSet | None, lang: str) -> Any:
    """An answer as a cell: a number as a number, a date as a date; everything else as a reader sees it
    (``models.question_set.answer_words``: yes/no and choices as words, lists joined)."""
    if value is None:
        return None
    kind = question.kind if question is not None else None
    if kind is QuestionKind.date and isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    choice = kind in (QuestionKind.single_choice, QuestionKind.multiple_choice)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and not choice:
        return value
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return answer_words(value, qs, question.id if question is not None else "", lang, t("yes"), t("no"))
