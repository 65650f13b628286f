"""The commands: run the app, question sets, database info, export, summaries and import."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from klantreis_tui.cli.common import (
    CommandFailed,
    Progress,
    ask,
    command_services,
    config_path,
    db_path,
    fail,
    question_set_dirs,
    say,
    synced_folder_warnings,
    warn_synced_folders,
    write_output,
)
from klantreis_tui.cli.parser import ENV_LANG, ENV_PASSPHRASE, MIN_PASSPHRASE, build_parser, pre_language
from klantreis_tui.cli.analysis import cmd_names, cmd_poster
from klantreis_tui.cli.office import cmd_office
from klantreis_tui.cli.plan import cmd_plan
from klantreis_tui.cli.privacy import cmd_backup, cmd_privacy
from klantreis_tui.cli.team import cmd_import_kit, cmd_publish, cmd_study
from klantreis_tui.i18n import counts, current_language, set_language, t, tn
from klantreis_tui.paths import default_export_dir, user_assist_dir, user_question_set_dir
from klantreis_tui.system import protection, utf8_console

#: the commands that open the database or write a file from it (the app itself warns in its own screen)
DATABASE_COMMANDS = ("db", "import", "study", "publish", "export", "summary", "plan", "poster", "forget", "purge", "backup", "restore")


def main(argv: list[str] | None = None) -> int:
    # klantreis uses no pydantic plugins: without this, building the models scans every installed package's
    # entry points for them at each start (about 13 ms); a user who wants plugins sets the variable
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    """Run one command; output piped into a reader that stops early (``| head``) ends it quietly."""
    try:
        status = _dispatch(argv)
        sys.stdout.flush()  # here, not at exit: a closed pipe is caught below rather than reported by Python
    except BrokenPipeError:
        # the reader is gone: nothing more can be shown; point stdout at nothing so that the final flush is silent
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return 0
    return status


def _dispatch(argv: list[str] | None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    utf8_console()  # a Windows console or a redirected stream in cp1252 has no ☹ or ✓
    set_language(pre_language(argv))
    args = build_parser().parse_args(argv)
    if getattr(args, "lang", None):
        set_language(args.lang)
    if args.command in DATABASE_COMMANDS:
        warn_synced_folders(args)
    try:
        return _command(args)
    except CommandFailed as exc:
        return fail(str(exc))


def _command(args: argparse.Namespace) -> int:
    """Run the command ``args`` name."""
    if args.command == "question-sets":
        return cmd_question_sets(args)
    if args.command == "db":
        return cmd_db_info(args)
    if args.command == "import":
        return cmd_import(args)
    if args.command == "study":
        return cmd_study(args)
    if args.command == "publish":
        return cmd_publish(args)
    if args.command in ("export", "summary"):
        return cmd_export(args)
    if args.command in ("forget", "purge"):
        return cmd_privacy(args)
    if args.command in ("backup", "restore"):
        return cmd_backup(args)
    if args.command == "names":
        return cmd_names(args)
    if args.command == "plan":
        return cmd_plan(args)
    if args.command == "poster":
        return cmd_poster(args)
    return cmd_run(args)


def cmd_question_sets(args: argparse.Namespace) -> int:
    lang = current_language()
    from klantreis_tui.question_sets import QuestionSetError, find_files, load_catalog, load_question_set

    if args.qs_command == "list":
        catalog = load_catalog(question_set_dirs(args))
        if not catalog.sets:
            say(t('No question sets found.'))
        else:
            columns = t('id|version|questions|title').split("|")
            say(t('{id:<28} {version:<8} {questions:>7}  {title}', id=columns[0], version=columns[1], questions=columns[2], title=columns[3]))
            for set_id, qs in sorted(catalog.sets.items()):
                say(
                    t('{id:<28} {version:<8} {questions:>7}  {title}', id=set_id, version=qs.version, questions=len(qs.questions()), title=qs.title.get(lang))
                )
        for problem in catalog.problems:
            say(problem, file=sys.stderr)
        return 1 if catalog.problems else 0

    # check
    status = 0
    if args.paths:
        missing = [p for p in args.paths if not p.exists()]
        for path in missing:
            say(t('{path}: does not exist', path=path), file=sys.stderr)
            status = 1
        files = find_files([p for p in args.paths if p.exists()])
    else:
        files = find_files(question_set_dirs(args))
    if not files and not status:
        say(t('No question sets found.'))
        return 1
    for path in files:
        try:
            qs = load_question_set(path)
        except QuestionSetError as exc:
            status = 1
            say(tn('{path}: {n} problem', '{path}: {n} problems', len(exc.problems), path=path), file=sys.stderr)
            for problem in exc.problems:
                say(f"  {problem}", file=sys.stderr)
        else:
            say(t('{path}: OK ({id} version {version})', path=path, id=qs.id, version=qs.version))
    return status


def cmd_db_info(args: argparse.Namespace) -> int:
    from klantreis_tui.errors import StorageError
    from klantreis_tui.services import database_info

    path = db_path(args)
    try:
        info = database_info(path)
    except StorageError as exc:
        return fail(str(exc))
    say(f"{t('Database')}: {path}")
    say(protection_text(path))
    say(f"{t('Schema version')}: {info.schema_version} ({info.expected_schema_version})")
    say(f"{t('Counts')}:")
    for table, count in info.counts.items():
        say(f"  {table:<12} {count:>8}")
    backups = info.backups
    latest = f"{backups[0].created:%Y-%m-%d %H:%M} {backups[0].path}" if backups else "-"
    say(t('Backups: {count} (latest: {latest})', count=len(backups), latest=latest))
    say(tn('Privacy log (forgotten, purged): {n} line', 'Privacy log (forgotten, purged): {n} lines', len(info.privacy_log)))
    for entry in info.privacy_log[-5:]:
        detail = entry["detail"]
        say(f"  {entry['at'][:19]}  {entry['action']:<7} {t('{interviews}, {answers}, {steps} deleted', interviews=counts.interviews(detail.get('interviews', 0)), answers=counts.answers(detail.get('answers', 0)), steps=counts.steps(detail.get('steps', 0)))}")
    return 0


def protection_text(path: Path) -> str:
    """How the database file is kept from other users of this computer, said for this platform."""
    kind, value = protection(path)
    if kind == "profile":
        return t('Protection: Windows has no file modes; the file has the access rights of its folder. Inside your profile folder ({folder}) only you and the administrators can read it.', folder=value)
    return t('Protection: file mode {mode} (0600: only you can read and change it)', mode=value)


def cmd_run(args: argparse.Namespace) -> int:
    from klantreis_tui.config import ConfigError, load_config
    from klantreis_tui.errors import StorageError

    config_file = config_path(args)
    try:
        config = load_config(config_file)
    except ConfigError as exc:
        return fail(str(exc))
    if config.language and not getattr(args, "lang", None) and not os.environ.get(ENV_LANG):
        set_language(config.language)
    demo = getattr(args, "demo", False)
    early_check = None
    if not demo:  # the file's check runs on the other core while the app's modules are imported
        from klantreis_tui.services.opening import EarlyCheck

        early_check = EarlyCheck.start(db_path(args))
    from klantreis_tui.ui.app import make_app

    if config.keys:  # the key check loads every screen: only when there is a [keys] table to check
        from klantreis_tui.ui.app import binding_ids

        unknown = sorted(set(config.keys) - binding_ids())
        if unknown:
            problem = f"keys: {', '.join(unknown)} ({', '.join(sorted(binding_ids()))})"
            return fail(t('The configuration file {path} is not valid: {error}', path=config_file, error=problem))
    scratch = None if not demo or getattr(args, "db", None) else Path(tempfile.mkdtemp(prefix="klantreis-demo-"))
    path = scratch / "demo.db" if scratch is not None else db_path(args)
    try:
        if demo:
            from klantreis_tui.services import Services

            opened: Any = Services.open(path, question_set_dirs(args), assist_dir=user_assist_dir())
        else:
            # checked and held now; the services over it (their models, sqlite-utils) load after the first frame
            from klantreis_tui.services.opening import Opening

            opened = Opening(path, question_set_dirs(args), assist_dir=user_assist_dir(), early_check=early_check)
    except StorageError as exc:
        return fail(str(exc))
    opened.code_prefix = config.respondent_prefix
    opened.question_set_dir = user_question_set_dir()
    try:
        if demo and not opened.has_practice_study():
            opened.create_practice_study()
    except StorageError as exc:
        opened.close()
        return fail(str(exc))
    synced = synced_folder_warnings(args, default_export_dir())  # said in the app, where it can be acknowledged
    try:
        # the session's backup is made once the services are made, after the first frame (after the open: a
        # damaged or foreign file was refused before anything is copied); the first write waits for it. None
        # for a demo.
        app = make_app(
            opened, keymap=config.keys, config_path=str(config_file), export_dir=default_export_dir(),
            synced=synced, offer_practice=not demo, backup_at_start=not demo,
        )
        app.run()
    finally:
        opened.close()
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    return app.return_code or 0


def cmd_import(args: argparse.Namespace) -> int:
    from klantreis_tui.services import BundleError, open_bundle_file, short_id
    from klantreis_tui.services.bundle_stream import BundleSource

    try:
        source = open_bundle_file(args.bundle, lambda: _passphrase_to_open(), passphrase_env=ENV_PASSPHRASE)
    except BundleError as exc:
        return fail(str(exc))
    if not isinstance(source, BundleSource):  # a study kit given to import: set the study up from it
        return cmd_import_kit(args, source)
    db = db_path(args)
    created = _new_paths(db)  # what opening creates: removed again when the bundle is refused
    refused = True
    try:
        with command_services(args, create=True) as services:
            # read, checked and written in one transaction as the file is read: a refused file changes nothing
            report, controls, control_count = services.import_source(source, merge_into=getattr(args, "merge_into", None))
        refused = False
    finally:
        if refused:
            _remove_created(db, created)
    if controls:
        say(tn('WARNING: {n} text in the bundle holds control characters or escape sequences ({first}); klantreis shows them as symbols and never sends them to the terminal.', 'WARNING: {n} texts in the bundle hold control characters or escape sequences (for example {first}); klantreis shows them as symbols and never sends them to the terminal.', control_count, first=controls[0]), file=sys.stderr)
    for title, study_id in report.merged:
        say(t("WARNING: study '{title}' from the file had another id; its interviews were added to '{title}' here ({short}).", title=title, short=short_id(study_id)), file=sys.stderr)
    for old, new, study in report.renamed:
        if (old, new, study) in report.renamed_forgotten:
            say(t("Respondent code {old} belonged to a respondent forgotten in '{study}' and is never handed out again: imported as {new}.", old=old, new=new, study=study))
            continue
        say(t("Respondent code {old} already existed in '{study}' for another respondent: imported as {new}.", old=old, new=new, study=study))
    if report.identities:
        say(tn('{n} key-table entry (name, contact details) imported.', '{n} key-table entries (names, contact details) imported.', report.identities))
    if report.personas:
        say(tn("{n} persona added.", "{n} persona's added.", report.personas))
    if report.actions:
        say(tn('{n} action of the improvement plan added.', '{n} actions of the improvement plan added.', report.actions))
    if report.forgotten:
        say(tn('{n} interview of a respondent forgotten here was not imported.', '{n} interviews of respondents forgotten here were not imported.', report.forgotten))
    say(t('Imported: {added}, {studies}; already present and skipped: {skipped}.', added=counts.interviews(report.added), studies=counts.new_studies(report.studies_added), skipped=report.skipped))
    return 0


def _new_paths(db: Path) -> list[Path] | None:
    """The folders above ``db`` that do not exist yet (deepest first), or None when ``db`` exists."""
    if db.exists():
        return None
    return [folder for folder in db.parents if not folder.exists()]


def _remove_created(db: Path, created: list[Path] | None) -> None:
    """Remove the new database (and its side files and folders) that a refused import made: as if it was never
    run. Nothing that existed before is touched (``created`` is None for a database that existed)."""
    if created is None:
        return
    for side in ("", "-wal", "-shm", "-journal", ".open"):
        Path(f"{db}{side}").unlink(missing_ok=True)
    for folder in created:
        try:
            folder.rmdir()  # only when empty
        except OSError:
            break


def cmd_export(args: argparse.Namespace) -> int:
    from klantreis_tui.models.records import InterviewStatus

    with command_services(args, output=True) as services:
        status = getattr(args, "status", None)
        ids = services.select_interviews(
            study=getattr(args, "study", None),
            respondent=getattr(args, "respondent", None),
            interview=getattr(args, "interview", None),
            status=InterviewStatus(status) if status else None,
            include_practice=getattr(args, "include_practice", False),
        )
        if not ids:
            return fail(t('No interviews match.'))
        fmt = args.format
        if fmt in ("xlsx", "docx"):
            return cmd_office(args, services, ids)
        if args.command == "summary" or fmt in ("md", "html"):
            return _summaries(args, services, ids, fmt)
        if fmt in ("qdpx", "qdc"):
            from klantreis_tui.cli.research import export_research

            return export_research(args, services, ids, fmt)
        keep = args.keep_personal_data
        if fmt == "json":
            if args.encrypt and getattr(args, "output", None) is None:
                return fail(t('An encrypted bundle goes to a file: give -o FILE.'))
            passphrase = _new_passphrase() if args.encrypt else None
            bundle = services.bundle_export(ids, keep_personal_data=keep, include_identities=args.include_identities)
            if bundle.identities:
                say(t('WARNING: this export holds names and contact details from the key table ({count}). Store and carry it securely, preferably encrypted (--encrypt).', count=bundle.identities), file=sys.stderr)
            if keep:
                say(t('WARNING: personal data in free text is not redacted (--keep-personal-data).'), file=sys.stderr)
            # written as it is read, batch by batch: to -o through a temporary file, or to the screen
            services.write_bundle(bundle, getattr(args, "output", None), passphrase, out=sys.stdout.buffer.write)
            sys.stdout.flush()
            if passphrase is not None:
                say(t('Encrypted bundle written: {path}', path=args.output), file=sys.stderr)
            elif getattr(args, "output", None) is not None:
                say(t('Bundle written: {path} ({interviews}).', path=args.output, interviews=counts.interviews(bundle.interviews)), file=sys.stderr)
        else:
            if args.include_identities or args.encrypt:
                return fail(t('--include-identities and --encrypt apply to a JSON bundle only (--format json).'))
            if keep:
                say(t('WARNING: personal data in free text is not redacted (--keep-personal-data).'), file=sys.stderr)
            progress = Progress(len(ids), "export")
            folder = getattr(args, "output", None) or Path("klantreis-export")
            try:
                count = services.export_csv(ids, folder, keep, excel_nl=args.excel_nl, progress=progress.step)
            finally:
                progress.close()
            say(t('CSV files in {folder}: interviews.csv, steps.csv, answers.csv ({interviews}).', folder=folder, interviews=counts.interviews(count)))
        return 0


def _summaries(args: argparse.Namespace, services, ids: list[str], fmt: str) -> int:  # type: ignore[no-untyped-def]
    from klantreis_tui.errors import TemplateProblem

    keep = args.keep_personal_data
    if keep:
        say(t('WARNING: personal data in free text is not redacted (--keep-personal-data).'), file=sys.stderr)
    # a study alone asks for its synthesis; with a respondent or an interview, their summaries
    synthesis = args.command == "summary" and bool(getattr(args, "study", None)) \
        and not getattr(args, "respondent", None) and not getattr(args, "interview", None)
    try:
        text = services.summary_text(ids, fmt, synthesis, getattr(args, "templates", None), keep_personal_data=keep)
    except TemplateProblem as exc:
        return fail(str(exc))
    write_output(args, text.encode("utf-8"), text=True)
    return 0


# --- passphrases of encrypted bundles --------------------------------------------------------------


def _new_passphrase() -> str:
    """The passphrase to encrypt with: from the environment, or typed twice."""
    passphrase = os.environ.get(ENV_PASSPHRASE)
    if passphrase is None:
        passphrase = ask(t('Passphrase: '), secret=True)
        if passphrase is None:
            raise CommandFailed(t('{path} is encrypted: give the passphrase (in a terminal, or through ${env}).', path="-o", env=ENV_PASSPHRASE))
        if ask(t('Again: '), secret=True) != passphrase:
            raise CommandFailed(t('The passphrases differ; nothing was written.'))
    if len(passphrase.strip()) < MIN_PASSPHRASE:
        raise CommandFailed(t('Choose a passphrase of at least {n} characters; nothing was written.', n=MIN_PASSPHRASE))
    return passphrase


def _passphrase_to_open() -> str | None:
    """The passphrase of an encrypted bundle: from the environment, or typed (None: no terminal to ask at)."""
    passphrase = os.environ.get(ENV_PASSPHRASE)
    if passphrase is None:
        passphrase = ask(t('Passphrase: '), secret=True)
    return passphrase
