"""Research formats: the interviews as a REFI-QDA project (.qdpx) or their codes as a codebook (.qdc), for
ATLAS.ti, NVivo, MAXQDA and QualCoder; protected as every export is."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from klantreis_tui import __version__
from klantreis_tui.i18n import t
from klantreis_tui.models.names import canonical_map, name_key
from klantreis_tui.services.base import ServiceBase, gc_paused, stamped

#: the research formats and the file extension of each
RESEARCH_FORMATS: dict[str, str] = {"qdpx": "qdpx", "qdc": "qdc"}


class ResearchFormatServices(ServiceBase):
    """Projects and codebooks are written from the records as they may leave the laptop: quotes withheld
    without consent, personal data redacted and interviewers shown by pseudonym unless ``keep_personal_data``.
    Redaction comes first, so every position is counted in the text as written."""

    def qda_input(self, interview_ids: list[str], keep_personal_data: bool = False) -> Any:
        """What ``formats.refiqda`` writes a project or codebook from (a ``QdaInput``)."""
        from klantreis_tui.formats.refiqda import QdaInput

        with gc_paused():
            records = self.export_records(interview_ids, keep_personal_data)  # type: ignore[attr-defined]
        if not records:
            raise ValueError("no interviews")
        studies = sorted({r.study.id: r.study for r in records}.values(), key=lambda s: (s.created_at, s.id))
        study_ids = [s.id for s in studies]
        themes = self.redacted_themes(study_ids, keep_personal_data)  # type: ignore[attr-defined]
        step_ids = {step.id for r in records for step in r.steps}
        links = [link for s in study_ids for link in self.store.theme_links_of(s) if link.step_id in step_ids]
        variants = self.export_name_variants(study_ids, keep_personal_data)  # type: ignore[attr-defined]
        names: dict[str, dict[str, str]] = {}
        for study_id in study_ids:
            for field, mapping in canonical_map([v for v in variants if v.study_id == study_id]).items():
                names.setdefault(field, {}).update(mapping)
        interviewers: dict[str, str] = {}
        if keep_personal_data:
            interviewers = {r.interview.id: r.interview.interviewer for r in records}
        else:  # numbered in the order they first interviewed: "Interviewer 1", "Interviewer 2", ...
            numbers: dict[str, int] = {}
            for record in sorted(records, key=lambda r: (r.interview.started_at, r.interview.id)):
                key = name_key(record.interview.interviewer)
                if key:
                    numbers.setdefault(key, len(numbers) + 1)
                    interviewers[record.interview.id] = t('Interviewer {n}', n=numbers[key])
                else:
                    interviewers[record.interview.id] = ""
        if keep_personal_data:
            description = t('Exported by klantreis {version}. Respondents by code; personal data in free text NOT redacted (--keep-personal-data).', version=__version__)
        else:
            description = t('Exported by klantreis {version}. Pseudonymous: respondents by code, interviewers by number; personal data in free text redacted; quotes only with consent.', version=__version__)
        return QdaInput(
            title=" + ".join(s.title for s in studies),
            origin=f"klantreis {__version__}",
            description=description,
            studies=studies,
            records=records,
            question_sets=self.catalog.sets,
            themes=themes,
            theme_links=links,
            names=names,
            interviewers=interviewers,
        )

    def research_bytes(self, interview_ids: list[str], fmt: str, keep_personal_data: bool = False) -> bytes:
        """The interviews as a REFI-QDA project (``fmt`` qdpx) or their codes as a codebook (qdc)."""
        from klantreis_tui.formats.refiqda import codebook_xml, project_archive

        if fmt not in RESEARCH_FORMATS:
            raise ValueError(fmt)
        data = self.qda_input(interview_ids, keep_personal_data)
        return project_archive(data) if fmt == "qdpx" else codebook_xml(data)

    def export_research(
        self, interview_ids: list[str], fmt: str, path: Path, keep_personal_data: bool = False
    ) -> Path:
        """Write the project or codebook to ``path`` (through the output-path checks); returns ``path``."""
        from klantreis_tui.services.exchange import output_target, write_file

        output_target(path)  # refused before anything is built
        write_file(path, self.research_bytes(interview_ids, fmt, keep_personal_data))
        return path

    def export_research_file(self, interview_ids: list[str], synthesis: bool, fmt: str, folder: Path) -> Path:
        """The app's export: the project or codebook into ``folder`` under a name with the time."""
        stem = self.export_file_stem(interview_ids, synthesis)  # type: ignore[attr-defined]
        return self.export_research(interview_ids, fmt, stamped(folder, stem, f".{RESEARCH_FORMATS[fmt]}"))

    def export_research_file_apart(self, interview_ids: list[str], synthesis: bool, fmt: str, folder: Path) -> Path:
        """``export_research_file`` over a database connection of its own, for a worker thread (a connection
        stays on the thread that opened it); in memory, over this one."""
        with self.apart() as apart:  # type: ignore[attr-defined]
            return apart.export_research_file(interview_ids, synthesis, fmt, folder)
