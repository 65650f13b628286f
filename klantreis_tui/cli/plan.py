"""The improvement plan on the command line (``klantreis plan STUDY``)."""

from __future__ import annotations

import argparse
import sys

from klantreis_tui.cli.common import command_services, fail, say, write_output
from klantreis_tui.i18n import t


def cmd_plan(args: argparse.Namespace) -> int:
    """Write the study's improvement plan as Markdown, HTML or Word, redacted unless --keep-personal-data."""
    with command_services(args, output=True) as services:
        study = services.resolve_study(args.study)
        if args.keep_personal_data:
            say(t('WARNING: personal data in free text is not redacted (--keep-personal-data).'), file=sys.stderr)
        if args.format == "docx":
            if getattr(args, "output", None) is None:
                return fail(t("An Excel or Word file goes to a file: give -o FILE. Nothing was written."))
            services.export_plan_docx(
                study.id, args.output, getattr(args, "templates", None), getattr(args, "docx_template", None),
                keep_personal_data=args.keep_personal_data,
            )
        else:
            text = services.plan_text(study.id, args.format, getattr(args, "templates", None), keep_personal_data=args.keep_personal_data)
            write_output(args, text.encode("utf-8"), text=True)
        if getattr(args, "output", None) is not None:
            say(t('Improvement plan written: {path}', path=args.output), file=sys.stderr)
        return 0
