"""The office formats on the command line: ``export --format xlsx`` and ``summary --format docx``."""

from __future__ import annotations

import argparse
import sys

from klantreis_tui.cli.common import Progress, fail, say
from klantreis_tui.i18n import counts, t


def cmd_office(args: argparse.Namespace, services, ids: list[str]) -> int:  # type: ignore[no-untyped-def]
    """Write the workbook (export) or the Word document (summary) to ``-o``; errors reach cmd_export's handler."""
    output = getattr(args, "output", None)
    if output is None:
        return fail(t("An Excel or Word file goes to a file: give -o FILE. Nothing was written."))
    if getattr(args, "include_identities", False) or getattr(args, "encrypt", False):
        # never an unencrypted workbook for someone who asked for encryption
        return fail(t('--include-identities and --encrypt apply to a JSON bundle only (--format json).'))
    keep = args.keep_personal_data
    if keep:
        say(t('WARNING: personal data in free text is not redacted (--keep-personal-data).'), file=sys.stderr)
    if args.format == "docx":
        # a study alone asks for its synthesis; with a respondent or an interview, their summaries
        synthesis = bool(getattr(args, "study", None)) and not getattr(args, "respondent", None) \
            and not getattr(args, "interview", None)
        services.export_docx(
            ids, output, synthesis=synthesis, templates=getattr(args, "templates", None),
            docx_template=getattr(args, "docx_template", None), keep_personal_data=keep,
        )
        say(t("Word document written: {path}.", path=output), file=sys.stderr)
        return 0
    progress = Progress(len(ids), "export")
    try:
        count = services.export_xlsx(ids, output, keep_personal_data=keep, progress=progress.step)
    finally:
        progress.close()
    say(t("Excel workbook written: {path} ({interviews}).", path=output, interviews=counts.interviews(count)), file=sys.stderr)
    return 0
