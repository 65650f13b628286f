"""The commands that delete for good (forget, purge) and the backups (backup, restore)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from klantreis_tui.cli import common
from klantreis_tui.cli.common import command_services, confirmed, fail, say
from klantreis_tui.i18n import counts as words
from klantreis_tui.i18n import t, tn


def _report_cleaning(report, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    if report.backups_cleaned:
        say(tn('Also deleted from {n} backup.', 'Also deleted from {n} backups.', len(report.backups_cleaned)))
    for path, error in report.backups_failed:
        say(t('WARNING: not deleted from backup {path}: {error} Delete that file yourself.', path=path, error=error), file=sys.stderr)
    if not report.log_emptied:
        say(t('WARNING: another klantreis window has the database open; its log file ({path}-wal) may hold old data until that window closes.', path=db_path), file=sys.stderr)


def cmd_privacy(args: argparse.Namespace) -> int:
    db_path = common.db_path(args)
    with command_services(args) as services:
        if args.command == "forget":
            return _forget(args, services, db_path)
        return _purge(args, services, db_path)


def _forget(args: argparse.Namespace, services, db_path: Path) -> int:  # type: ignore[no-untyped-def]
    from klantreis_tui.services import Ambiguous, NotFound

    try:  # a code (or short id) in more than one study is refused with the candidates, each with its short id
        _, respondent = services.resolve_respondent(args.code, getattr(args, "study", None))
    except (Ambiguous, NotFound) as exc:
        return fail(str(exc))
    services.refuse_if_open([respondent.id])  # before asking anything
    say(services.forget_summary(respondent.id))
    answer = confirmed(
        args, t('Type the code ({code}) to confirm: ', code=respondent.code), respondent.code, exact=True
    )
    if answer is None:
        return fail(t('Confirmation needed: run this in a terminal, or give --yes.'))
    if not answer:
        say(t('Cancelled; nothing was deleted.'))
        return 1
    report = services.forget_respondent(respondent.id)
    counts = report.counts
    say(t('Respondent {code} is forgotten: {interviews}, {answers} and {steps} deleted and overwritten in the database file.', code=respondent.code,
            interviews=words.interviews(counts["interviews"]), answers=words.answers(counts["answers"]),
            steps=words.steps(counts["steps"])))
    _report_cleaning(report, db_path)
    say(t('Exports and summaries made earlier (for example in the klantreis folder among your documents) are not touched: delete those yourself.'))
    return 0


def _purge(args: argparse.Namespace, services, db_path: Path) -> int:  # type: ignore[no-untyped-def]
    if not args.expired:
        return fail(t('Give --expired to delete the studies past their retention date.'))
    expired = services.expired_studies()
    if not expired:
        say(t('No studies past their retention date.'))
        return 0
    say(tn('{n} study past the retention date; everything in it will be deleted for good, from the backups too:', '{n} studies past the retention date; everything in them will be deleted for good, from the backups too:', len(expired)))
    for row in expired:
        say(t('  {title} (keep until {until}; {interviews})', title=row.study.title, until=row.study.retention_until, interviews=words.interviews(row.interview_count)))
    yes = t('yes')
    answer = confirmed(args, t("Type 'yes' to confirm: "), yes)
    if answer is None:
        return fail(t('Confirmation needed: run this in a terminal, or give --yes.'))
    if not answer:
        say(t('Cancelled; nothing was deleted.'))
        return 1
    report = services.purge_studies([row.study.id for row in expired])
    counts = report.counts
    say(t('{studies} deleted: {interviews} of {respondents}.', studies=words.studies(counts["studies"]),
            interviews=words.interviews(counts["interviews"]), respondents=words.respondents(counts["respondents"])))
    _report_cleaning(report, db_path)
    return 0


# --- backups -----------------------------------------------------------------------------------------


def cmd_backup(args: argparse.Namespace) -> int:
    from klantreis_tui.errors import StorageError
    from klantreis_tui.services import backup_now, check_restore, list_backups, restore_backup

    db_path = common.db_path(args)
    try:
        if args.command == "backup":
            made = backup_now(db_path)
            say(t('Backup made: {path}', path=made) if made else t('No database to copy: {path}', path=db_path))
        if args.command == "backup" or args.backup is None:
            backups = list_backups(db_path)
            if not backups:
                say(t('No backups of {path}.', path=db_path))
                return 0 if args.command == "backup" else 1
            say(t('Backups of {path} (newest first):', path=db_path))
            for info in backups:
                say(t('  {created}  {size:>10}  {path}', created=f"{info.created:%Y-%m-%d %H:%M:%S}", size=info.size, path=info.path))
            return 0
        check_restore(db_path, args.backup)  # a bad backup or a busy database: said before anything is asked
        say(t('The database {path} will be replaced by the backup {backup}. The current database is kept as a {aside} file.', path=db_path, backup=args.backup, aside=".before-restore"))
        answer = confirmed(args, t("Type 'yes' to confirm: "), t('yes'))
        if answer is None:
            return fail(t('Confirmation needed: run this in a terminal, or give --yes.'))
        if not answer:
            say(t('Cancelled; nothing was deleted.'))
            return 1
        aside = restore_backup(db_path, args.backup)
        if aside is None:  # there was no database to keep aside
            say(t('Restored: {backup} is now {path}.', backup=args.backup, path=db_path))
        else:
            say(t('Restored: {backup}. The previous database is in {aside}.', backup=args.backup, aside=aside))
        return 0
    except StorageError as exc:
        return fail(str(exc))
