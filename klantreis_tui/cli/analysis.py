"""Analysis commands: one name per organisation and channel (``klantreis names``), the poster (``klantreis poster``)."""

from __future__ import annotations

import argparse
import sys

from klantreis_tui.cli.common import command_services, fail, say
from klantreis_tui.i18n import t, tn

FIELDS = ("instances", "channels")


def cmd_names(args: argparse.Namespace) -> int:
    """List the study's proposed merges of spellings; ``--accept`` stores them, ``--merge A=B`` one by hand."""
    with command_services(args) as services:
        study_id = services.study_named(args.study)
        if study_id is None:
            return fail(t("No study with the title or id '{study}'.", study=args.study))
        fields = [args.field] if args.field else list(FIELDS)
        for pair in args.merge or []:
            variant, sep, canonical = pair.partition("=")
            if not sep or not variant.strip() or not canonical.strip():
                return fail(t("Write a merge as SPELLING=NAME, for example 'Belastingsdienst=Belastingdienst'."))
            services.merge_names(study_id, fields[0], [variant.strip()], canonical.strip())
            say(t("'{variant}' is counted as '{canonical}' from now on.", variant=variant.strip(), canonical=canonical.strip()))
        for field in fields:
            proposals = services.name_proposals(study_id, field)
            heading = t('Organisations') if field == "instances" else t('Channels')
            say(f"{heading}: " + tn('{n} proposed merge', '{n} proposed merges', len(proposals)))
            for p in proposals:
                say(f"  {p.variant} → {p.canonical}  ({p.score:g})")
            if args.accept and proposals:
                for p in proposals:
                    services.merge_names(study_id, field, [p.variant], p.canonical)
                say("  " + tn('{n} merge accepted.', '{n} merges accepted.', len(proposals)))
            merged = services.name_map(study_id)[field]
            if merged and not args.accept:
                say("  " + tn('{n} spelling already merged.', '{n} spellings already merged.', len(merged)))
    return 0


def cmd_poster(args: argparse.Namespace) -> int:
    """Write the poster of one interview, or of a persona (redacted unless ``--keep-personal-data``), to ``-o``."""
    fmt = args.format or ("svg" if args.output.suffix.casefold() == ".svg" else "html")
    study = getattr(args, "study", None)
    with command_services(args, output=True) as services:
        if args.persona is not None:
            if args.code is not None or not study:
                return fail(t("Give a respondent code, or --persona NAME with --study STUDY."))
            view = services.persona_view(services.persona_named(args.persona, study), keep_personal_data=args.keep_personal_data)
        elif args.code is None:
            return fail(t("Give a respondent code, or --persona NAME with --study STUDY."))
        else:
            interview_id = services.poster_interview(args.code, study, args.include_practice)
            view = services.interview_view(interview_id, redact=not args.keep_personal_data)
        if args.keep_personal_data:
            say(t('WARNING: personal data in free text is not redacted (--keep-personal-data).'), file=sys.stderr)
        paths = services.write_poster(view, fmt, args.output)
    say(t('Poster written: {paths}', paths=", ".join(str(p) for p in paths)))
    return 0
