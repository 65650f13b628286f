"""Word documents of the write-ups: an interview summary and a study synthesis as .docx, from the same contexts as
the Markdown and HTML ones (redacted by default), with the user's template when one is given."""

from __future__ import annotations

import stat
from pathlib import Path

from klantreis_tui.services.base import ServiceBase

#: the Word template looked for in the user's templates folder (``--templates``) when none is named
TEMPLATE_NAME = "word.docx"


def read_word_template(path: Path) -> bytes:
    """The bytes of a Word template: a regular file within the size bound, read once; refused otherwise
    (``WordTemplateRefused`` naming the file). Its content is checked when the document is made."""
    from klantreis_tui.errors import WordTemplateRefused
    from klantreis_tui.formats.docx import MAX_TEMPLATE_BYTES

    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise WordTemplateRefused("docx.not_file", path=str(path))
        if info.st_size > MAX_TEMPLATE_BYTES:
            raise WordTemplateRefused("docx.too_large", path=str(path), size=info.st_size, limit=MAX_TEMPLATE_BYTES)
        with path.open("rb") as handle:
            data = handle.read(MAX_TEMPLATE_BYTES + 1)  # the file may grow between the check and the read
    except OSError as exc:
        raise WordTemplateRefused("docx.unreadable", path=str(path), error=exc.strerror or str(exc)) from None
    if len(data) > MAX_TEMPLATE_BYTES:
        raise WordTemplateRefused("docx.too_large", path=str(path), size=len(data), limit=MAX_TEMPLATE_BYTES)
    return data


def word_template(docx_template: Path | None, templates: Path | None) -> tuple[bytes | None, str]:
    """The template to use and its name: ``docx_template`` when given, else ``word.docx`` in the templates
    folder when it is there, else none (python-docx's own styles)."""
    if docx_template is not None:
        return read_word_template(docx_template), str(docx_template)
    if templates is not None and (templates / TEMPLATE_NAME).exists():
        found = templates / TEMPLATE_NAME
        return read_word_template(found), str(found)
    return None, ""


class WordServices(ServiceBase):
    """``klantreis summary --format docx`` and the summary screen's Word key."""

    def summary_docx(
        self, interview_ids: list[str], synthesis: bool = False, templates: Path | None = None,
        docx_template: Path | None = None, keep_personal_data: bool = False,
    ) -> bytes:
        """The synthesis of the interviews' study (``synthesis``), or their summaries (each from a new page),
        as the bytes of a .docx. A template that cannot be used raises WordTemplateRefused, naming why."""
        from klantreis_tui.formats.word_reports import interview_report, synthesis_report

        template, name = word_template(docx_template, templates)
        if synthesis:
            context = self.synthesis_context(interview_ids, keep_personal_data)  # type: ignore[attr-defined]
            return synthesis_report(context, template, name)
        if not interview_ids:
            raise ValueError("no interviews")
        contexts = [self.summary_context(i, keep_personal_data) for i in interview_ids]  # type: ignore[attr-defined]
        return interview_report(contexts, template, name)

    def plan_docx(
        self, study_id: str, templates: Path | None = None, docx_template: Path | None = None,
        keep_personal_data: bool = False,
    ) -> bytes:
        """The study's improvement plan as the bytes of a .docx (redacted unless ``keep_personal_data``)."""
        from klantreis_tui.formats.word_plan import plan_report
        from klantreis_tui.rendering.improvement_plan import plan_context

        template, name = word_template(docx_template, templates)
        plan = self.improvement_plan(study_id, keep_personal_data)  # type: ignore[attr-defined]
        return plan_report(plan_context(plan), template, name)

    def export_plan_docx(
        self, study_id: str, path: Path, templates: Path | None = None, docx_template: Path | None = None,
        keep_personal_data: bool = False,
    ) -> None:
        """Write the improvement plan as a .docx to ``path`` (a regular file or a new path)."""
        from klantreis_tui.services.exchange import output_target, write_file

        output_target(path)
        write_file(path, self.plan_docx(study_id, templates, docx_template, keep_personal_data))

    def office_bytes(self, interview_ids: list[str], synthesis: bool, fmt: str) -> bytes:
        """The workbook (``xlsx``) of the interviews or the Word document (``docx``) of their write-up, as the
        summary screen exports them: redacted, with the bundled styles."""
        if fmt == "xlsx":
            return self.workbook(interview_ids)  # type: ignore[attr-defined]
        return self.summary_docx(interview_ids, synthesis=synthesis)

    def export_write_up_apart(self, interview_ids: list[str], synthesis: bool, fmt: str, folder: Path) -> Path:
        """``export_write_up`` over a database connection of its own, for a worker thread."""
        with self.apart() as apart:  # type: ignore[attr-defined]
            return apart.export_write_up(interview_ids, synthesis, fmt, folder)

    def export_docx(
        self, interview_ids: list[str], path: Path, synthesis: bool = False, templates: Path | None = None,
        docx_template: Path | None = None, keep_personal_data: bool = False,
    ) -> None:
        """Write the Word document to ``path`` (a regular file or a new path), checked before it is made."""
        from klantreis_tui.services.exchange import output_target, write_file

        output_target(path)  # a folder or a device is refused before the document is built
        write_file(path, self.summary_docx(interview_ids, synthesis, templates, docx_template, keep_personal_data))
