"""Write-ups: the draft summary of an interview, the synthesis of a study, and writing them to files."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from klantreis_tui.models.records import InterviewStatus
from klantreis_tui.safetext import visible
from klantreis_tui.services.base import ServiceBase, file_stem, gc_paused, stamped


def heartbeat_lines(scores: Sequence[int | None], width: int = 40) -> list[str]:
    """The emotion curve of a journey drawn in text, for the journey panel (five lines and an axis)."""
    from klantreis_tui.rendering.heartbeat import ascii_heartbeat

    return ascii_heartbeat(scores, width=width)


class SummaryServices(ServiceBase):
    """Summaries rendered from the templates, with quotes and personal data protected as in exports."""

    def warm_up_summaries(self) -> None:
        """Load, on a thread of the caller's, what the first summary needs and a fresh process lacks: the
        rendering code, the bundled Markdown templates compiled in their sandbox, the name lists and the word
        lists (bundled and the user's: those of a study without lists of its own) that redaction reads. No
        database access: the caller's connection stays the caller's."""
        from klantreis_tui.rendering.summary import interview_context  # noqa: F401
        from klantreis_tui.rendering.templates import environment

        env = environment()
        for name in ("interview.md.j2", "study.md.j2"):
            env.get_template(name)
        from klantreis_tui import pii

        pii.kinds_in("Mevrouw Jansen", self.not_names(""))  # type: ignore[attr-defined]  (the name lists read)
        pii.might_contain("Mevrouw Jansen")  # the quick test's own (bundled) words
        self.summaries_warm = True  # (what a benchmark waits for)

    def interview_summary(
        self, interview_id: str, fmt: str = "md", templates: Path | None = None, keep_personal_data: bool = False
    ) -> str:
        """The draft summary of one interview (Markdown or HTML), from the templates; personal data in
        free text redacted unless ``keep_personal_data``."""
        from klantreis_tui.rendering.templates import render

        return render(f"interview.{fmt}.j2", self.summary_context(interview_id, keep_personal_data), templates)

    def summary_context(self, interview_id: str, keep_personal_data: bool = False) -> dict:  # type: ignore[type-arg]
        """The template context of ``interview_summary`` (the Word summary is drawn from it too)."""
        from klantreis_tui.rendering.summary import interview_context

        record = self.protect(  # type: ignore[attr-defined]
            self.interview_record(interview_id), keep_personal_data  # type: ignore[attr-defined]
        )
        return interview_context(record, self.catalog.sets.get(record.interview.question_set_id))

    def study_synthesis(
        self, interview_ids: list[str], fmt: str = "md", templates: Path | None = None, keep_personal_data: bool = False
    ) -> str:
        """The synthesis over the completed interviews among ``interview_ids``: of exactly the studies they
        belong to (one, as a rule; several are named together, and their respondents' codes carry the study's
        short id so that R01 of one study is not taken for R01 of another)."""
        from klantreis_tui.rendering.templates import render

        # the cycle collector paused until the context is gone: it would walk the records and the context
        # (hundreds of thousands of objects without a cycle) once it ran again, for nothing
        with gc_paused():
            context = self.synthesis_context(interview_ids, keep_personal_data)
            text = render(f"study.{fmt}.j2", context, templates)
            del context
        return text

    def synthesis_context(self, interview_ids: list[str], keep_personal_data: bool = False) -> dict:  # type: ignore[type-arg]
        """The template context of ``study_synthesis`` (the Word synthesis is drawn from it too)."""
        from klantreis_tui.rendering.summary import study_context

        with gc_paused():
            # the synthesis shows steps, not the answers given inside the step loop: those need not be read
            records = self.export_records(  # type: ignore[attr-defined]
                interview_ids, keep_personal_data, step_answers=False
            )
            if not records:
                raise ValueError("no interviews")
            studies = list({r.study.id: r.study for r in records}.values())
            study = studies[0]
            completed = [r for r in records if r.interview.status is InterviewStatus.afgerond]
            if len(studies) > 1:
                study = study.model_copy(update={"title": " + ".join(s.title for s in studies)})
                completed = [
                    r.model_copy(update={"respondent": r.respondent.model_copy(
                        update={"code": f"{r.respondent.code} ({r.study.id[:8]})"})})
                    for r in completed
                ]
            names: dict[str, dict[str, str]] = {}
            for each in studies:  # the merged spellings of every study shown
                for field, mapping in self.name_map(each.id).items():  # type: ignore[attr-defined]
                    names.setdefault(field, {}).update(mapping)
            themes = self.redacted_themes([each.id for each in studies], keep_personal_data)  # type: ignore[attr-defined]
            theme_links = [link for each in studies for link in self.store.theme_links_of(each.id)]
            # the persona's journeys from the records read here (their respondents' other interviews are read)
            known = {r.interview.id: r for r in records}
            personas = [
                (view, heaviest)
                for each in studies
                for _, view, heaviest in self.persona_journeys(each.id, keep_personal_data, known)  # type: ignore[attr-defined]
            ]
            return study_context(study, completed, self.catalog.sets, names, themes, theme_links, personas)

    def summary_text(
        self, interview_ids: list[str], fmt: str = "md", synthesis: bool = False, templates: Path | None = None,
        keep_personal_data: bool = False,
    ) -> str:
        """The synthesis of the interviews' study (``synthesis``), or their summaries one after the other;
        control characters as visible symbols (the one text rule: the file is read in a terminal too)."""
        if synthesis:
            text = self.study_synthesis(interview_ids, fmt, templates, keep_personal_data=keep_personal_data)
        else:
            text = "\n\n".join(
                self.interview_summary(i, fmt, templates, keep_personal_data=keep_personal_data) for i in interview_ids
            )
        return visible(text)

    def summary_text_apart(self, interview_ids: list[str], synthesis: bool = False) -> str:
        """``summary_text`` (Markdown) over a database connection of its own, for a worker thread."""
        with self.apart() as apart:  # type: ignore[attr-defined]
            return apart.summary_text(interview_ids, "md", synthesis=synthesis)

    def export_file_stem(self, interview_ids: list[str], synthesis: bool) -> str:
        """A file name (without extension) for the write-up: the study title, and the respondent code."""
        record = self.interview_record(interview_ids[0])  # type: ignore[attr-defined]
        parts = (record.study.title,) if synthesis else (record.study.title, record.respondent.code)
        return f"{file_stem(*parts)}-{'synthese' if synthesis else 'verslag'}"

    def export_write_up(self, interview_ids: list[str], synthesis: bool, fmt: str, folder: Path) -> Path:
        """Write the summary or synthesis (``fmt`` md, html or docx) or, with ``fmt`` json or xlsx, the
        interviews' bundle or workbook, into ``folder`` under a name with the time; returns the file written."""
        from klantreis_tui.services.exchange import write_file

        path = stamped(folder, self.export_file_stem(interview_ids, synthesis), f".{fmt}")
        if fmt == "json":  # written in batches, as the command line writes it
            self.write_bundle(self.bundle_export(interview_ids), path)  # type: ignore[attr-defined]
        elif fmt in ("xlsx", "docx"):
            write_file(path, self.office_bytes(interview_ids, synthesis, fmt))  # type: ignore[attr-defined]
        else:
            write_file(path, self.summary_text(interview_ids, fmt, synthesis=synthesis).encode("utf-8"))
        return path
