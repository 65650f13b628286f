"""The team's commands: study kits (export-kit, import-kit, or a kit given to import) and publish."""

from __future__ import annotations

import argparse
import sys

from klantreis_tui.cli.common import command_services, fail, say
from klantreis_tui.i18n import t, tn
from klantreis_tui.paths import user_question_set_dir


def cmd_study(args: argparse.Namespace) -> int:
    if args.study_command == "export-kit":
        return _export_kit(args)
    return cmd_import_kit(args, None)


def _export_kit(args: argparse.Namespace) -> int:
    with command_services(args, output=args.output) as services:
        kit = services.export_kit(args.study, args.question_set)
        services.write_kit(args.output, kit)
    sets = ", ".join(f"{q.id} {q.version}" for q in kit.question_sets)
    say(t("Kit of '{title}' ({short}) written: {path}; question sets: {sets}; {lists}.", title=kit.study.title, short=kit.study.id[:8], path=args.output, sets=sets, lists=tn('{n} word list', '{n} word lists', len(kit.word_lists))))
    return 0


def cmd_import_kit(args: argparse.Namespace, kit) -> int:  # type: ignore[no-untyped-def]
    """Import a kit: the one ``import`` read (``kit``), or the file ``args.kit``."""
    from klantreis_tui.errors import KlantreisError
    from klantreis_tui.services import read_kit_file

    try:
        kit = kit if kit is not None else read_kit_file(args.kit)
    except KlantreisError as exc:
        return fail(str(exc))
    with command_services(args, create=True, output=True) as services:
        report = services.import_kit(kit, user_question_set_dir(), merge_into=getattr(args, "merge_into", None))
    if report.merged_into:
        say(t("WARNING: study '{title}' from the file had another id; its interviews were added to '{title}' here ({short}).", title=kit.study.title, short=report.merged_into[:8]), file=sys.stderr)
    elif report.study_added:
        say(t("Study '{title}' ({short}) set up from the kit.", title=kit.study.title, short=kit.study.id[:8]))
    else:
        say(t("Study '{title}' ({short}) was here already.", title=kit.study.title, short=kit.study.id[:8]))
    if report.personas:
        say(tn("{n} persona added.", "{n} persona's added.", report.personas))
    if report.actions:
        say(tn('{n} action of the improvement plan added.', '{n} actions of the improvement plan added.', report.actions))
    for set_id, version in report.question_sets_added:
        say(t('Question set {id} version {version} added.', id=set_id, version=version))
    for set_id, version in report.question_sets_present:
        say(t('Question set {id} version {version} was here already.', id=set_id, version=version))
    if report.word_lists:
        say(t("The study's word lists: {names}.", names=", ".join(report.word_lists)))
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    with command_services(args, output=args.output) as services:
        report = services.publish(args.output, args.study or None)
    say(t('Team database written: {path} ({interviews}); Datasette metadata: {metadata}.', path=args.output, interviews=tn('{n} interview', '{n} interviews', report.interviews), metadata=report.metadata))
    say(t('Browse it (on this computer only): datasette serve {path} -m {metadata}', path=args.output, metadata=report.metadata))
    return 0
