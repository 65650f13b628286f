"""The commands that delete for good (forget, purge) and the backups (backup, restore)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from klantreis_tui.cli import common
from klantreis_tui.cli.common import confirmed, fail, open_services
from klantreis_tui.i18n import t


def _report_cleaning(report, db_path: Path, lang: str) -> None:  # type: ignore[no-untyped-def]
    if report.backups_cleaned:
        print(t("privacy.backups_cleaned", lang, count=len(report.backups_cleaned)))
    for path, error in report.backups_failed:
        print(t("privacy.backup_failed", lang, path=path, error=error), file=sys.stderr)
    if not report.log_emptied:
        print(t("privacy.log_busy", lang, path=db_path), file=sys.stderr)


def cmd_privacy(args: argparse.Namespace, lang: str) -> int:
    from klantreis_tui.errors import StorageError
    from klantreis_tui.services import OpenElsewhere

    db_path = common.db_path(args)
    try:
        services = open_services(args, lang)
    except StorageError as exc:
        return fail(str(exc), lang)

    try:
        if args.command == "forget":
            return _forget(args, services, db_path, lang)
        return _purge(args, services, db_path, lang)
    except (StorageError, OpenElsewhere) as exc:
        return fail(str(exc), lang)
    finally:
        services.close()


def _forget(args: argparse.Namespace, services, db_path: Path, lang: str) -> int:  # type: ignore[no-untyped-def]
    study = getattr(args, "study", None)
    found = services.find_respondents(args.code, study)
    if not found:
        where = t("privacy.in_study", lang, study=study) if study else ""
        return fail(t("privacy.not_found", lang, code=args.code, where=where), lang)
    if len(found) > 1:
        return fail(t("privacy.ambiguous", lang, code=args.code, studies=", ".join(s.title for s, _ in found)), lang)
    _, respondent = found[0]
    services.refuse_if_open([respondent.id])  # before asking anything
    print(services.forget_summary(respondent.id))
    answer = confirmed(
        args, t("privacy.forget.type_code", lang, code=respondent.code), respondent.code, lang, exact=True
    )
    if answer is None:
        return fail(t("privacy.needs_confirmation", lang), lang)
    if not answer:
        print(t("privacy.cancelled", lang))
        return 1
    report = services.forget_respondent(respondent.id)
    counts = report.counts
    print(t("privacy.forget.done", lang, code=respondent.code, interviews=counts["interviews"],
            answers=counts["answers"], steps=counts["steps"]))
    _report_cleaning(report, db_path, lang)
    print(t("privacy.earlier_exports", lang))
    return 0


def _purge(args: argparse.Namespace, services, db_path: Path, lang: str) -> int:  # type: ignore[no-untyped-def]
    if not args.expired:
        return fail(t("privacy.purge.needs_expired", lang), lang)
    expired = services.expired_studies()
    if not expired:
        print(t("privacy.purge.none", lang))
        return 0
    print(t("privacy.purge.what", lang, count=len(expired)))
    for row in expired:
        print(t("privacy.purge.item", lang, title=row.study.title, until=row.study.retention_until, count=row.interview_count))
    yes = t("privacy.purge.yes", lang)
    answer = confirmed(args, t("privacy.purge.type_yes", lang), yes, lang)
    if answer is None:
        return fail(t("privacy.needs_confirmation", lang), lang)
    if not answer:
        print(t("privacy.cancelled", lang))
        return 1
    report = services.purge_studies([row.study.id for row in expired])
    counts = report.counts
    print(t("privacy.purge.done", lang, studies=counts["studies"], interviews=counts["interviews"],
            respondents=counts["respondents"]))
    _report_cleaning(report, db_path, lang)
    return 0


# --- backups -----------------------------------------------------------------------------------------


def cmd_backup(args: argparse.Namespace, lang: str) -> int:
    from klantreis_tui.errors import StorageError
    from klantreis_tui.services import backup_now, check_restore, list_backups, restore_backup

    db_path = common.db_path(args)
    try:
        if args.command == "backup":
            made = backup_now(db_path)
            print(t("backup.made", lang, path=made) if made else t("backup.nothing", lang, path=db_path))
        if args.command == "backup" or args.backup is None:
            backups = list_backups(db_path)
            if not backups:
                print(t("backup.none", lang, path=db_path))
                return 0 if args.command == "backup" else 1
            print(t("backup.header", lang, path=db_path))
            for info in backups:
                print(t("backup.item", lang, created=f"{info.created:%Y-%m-%d %H:%M:%S}", size=info.size, path=info.path))
            return 0
        check_restore(db_path, args.backup)  # a bad backup or a busy database: said before anything is asked
        print(t("backup.restore_what", lang, path=db_path, backup=args.backup, aside=".before-restore"))
        answer = confirmed(args, t("privacy.purge.type_yes", lang), t("privacy.purge.yes", lang), lang)
        if answer is None:
            return fail(t("privacy.needs_confirmation", lang), lang)
        if not answer:
            print(t("privacy.cancelled", lang))
            return 1
        aside = restore_backup(db_path, args.backup)
        if aside is None:  # there was no database to keep aside
            print(t("backup.restored_new", lang, backup=args.backup, path=db_path))
        else:
            print(t("backup.restored", lang, backup=args.backup, aside=aside))
        return 0
    except StorageError as exc:
        return fail(str(exc), lang)
