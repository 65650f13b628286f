"""The command line, and the only wiring point: arguments, paths, database, app."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from klantreis_tui import __version__
from klantreis_tui.i18n import LANGUAGES, language_from_env, set_language, t

ENV_DB = "KLANTREIS_DB"
ENV_LANG = "KLANTREIS_LANG"
ENV_CONFIG = "KLANTREIS_CONFIG"
ENV_PASSPHRASE = "KLANTREIS_PASSPHRASE"
MIN_PASSPHRASE = 10
BACKUPS_KEPT = 10
APP_NAME = "klantreis"

# Dutch for the argparse texts a user meets (argparse looks them up through gettext's ``_``).
_ARGPARSE_NL = {
    "usage: ": "gebruik: ",
    "options": "opties",
    "positional arguments": "argumenten",
    "show this help message and exit": "toon deze hulp en stop",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fout: %(message)s\n",
    "unrecognized arguments: %s": "onbekende argumenten: %s",
    "the following arguments are required: %s": "deze argumenten zijn verplicht: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "ongeldige keuze: %(value)r (kies uit %(choices)s)",
    "expected one argument": "verwacht één waarde",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s: %(message)s",
    "invalid %(type)s value: %(value)r": "ongeldige %(type)s-waarde: %(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "dubbelzinnige optie: %(option)s kan zijn %(matches)s",
}

HELP = {
    "db": {"nl": "pad van de database (standaard: {default}; of via ${env})", "en": "database path (default: {default}; or via ${env})"},
    "lang": {"nl": "taal van de app: nl (standaard) of en", "en": "language of the app: nl (default) or en"},
    "qs_dir": {
        "nl": "extra map met vragenlijsten (mag vaker); standaard: de meegeleverde en {user}",
        "en": "extra folder with question sets (repeatable); default: the bundled ones and {user}",
    },
    "config": {
        "nl": "configuratiebestand (standaard: {default}; of via ${env})",
        "en": "configuration file (default: {default}; or via ${env})",
    },
    "version": {"nl": "toon het versienummer en stop", "en": "show the version number and exit"},
    "run": {"nl": "start de app (standaard)", "en": "start the app (default)"},
    "qs": {"nl": "vragenlijsten bekijken en controleren", "en": "list and check question sets"},
    "qs_list": {"nl": "toon de beschikbare vragenlijsten", "en": "list the available question sets"},
    "qs_check": {
        "nl": "controleer vragenlijstbestanden en meld elk probleem met bestand, regel en sleutel",
        "en": "check question-set files and report every problem with file, line and key",
    },
    "qs_paths": {
        "nl": "bestanden of mappen (standaard: alle gevonden vragenlijsten)",
        "en": "files or folders (default: every question set found)",
    },
    "export": {"nl": "interviews exporteren (JSON-bundel, CSV, Markdown, HTML); standaard pseudoniem", "en": "export interviews (JSON bundle, CSV, Markdown, HTML); pseudonymous by default"},
    "import": {"nl": "interviews importeren uit een bundel van een andere laptop", "en": "import interviews from another laptop's bundle"},
    "summary": {"nl": "conceptverslag van een interview, of met --study de synthese van een onderzoek", "en": "draft summary of an interview, or with --study the synthesis of a study"},
    "format": {"nl": "uitvoerformaat", "en": "output format"},
    "output": {"nl": "uitvoerbestand (CSV: map); standaard: het scherm (CSV: map klantreis-export)", "en": "output file (CSV: folder); default: the screen (CSV: folder klantreis-export)"},
    "study": {"nl": "onderzoek (titel of id)", "en": "study (title or id)"},
    "respondent": {"nl": "respondentcode, bijvoorbeeld R02", "en": "respondent code, for example R02"},
    "interview": {"nl": "interview-id (of het begin ervan)", "en": "interview id (or its beginning)"},
    "status": {"nl": "alleen interviews met deze status", "en": "only interviews with this status"},
    "excel_nl": {"nl": "CSV voor Nederlandse Excel: ';' als scheidingsteken en een BOM", "en": "CSV for Dutch Excel: ';' as separator and a BOM"},
    "bundle": {"nl": "de bundel (JSON)", "en": "the bundle (JSON)"},
    "templates": {"nl": "map met eigen sjablonen die de meegeleverde vervangen", "en": "folder with your own templates that override the bundled ones"},
    "db_cmd": {"nl": "de database bekijken", "en": "inspect the database"},
    "db_info": {"nl": "pad, schemaversie en aantallen per tabel", "en": "path, schema version and counts per table"},
    "keep_pii": {
        "nl": "persoonsgegevens in vrije tekst (BSN, IBAN, telefoon, e-mail, adres) NIET weglakken",
        "en": "do NOT redact personal data in free text (BSN, IBAN, phone, e-mail, address)",
    },
    "include_identities": {
        "nl": "ook de sleuteltabel (namen, contactgegevens) meenemen; alleen voor een bundel, met een waarschuwing",
        "en": "include the key table (names, contact details); bundles only, with a warning",
    },
    "encrypt": {
        "nl": "versleutel de bundel met een wachtwoordzin (gevraagd, of via ${env}); vereist -o",
        "en": "encrypt the bundle with a passphrase (asked for, or through ${env}); needs -o",
    },
    "forget": {
        "nl": "een respondent en alles wat erbij hoort definitief verwijderen (ook uit reservekopieën)",
        "en": "delete a respondent and everything linked for good (from backups too)",
    },
    "code": {"nl": "de respondentcode, bijvoorbeeld R03", "en": "the respondent code, for example R03"},
    "yes": {"nl": "niet om bevestiging vragen", "en": "do not ask for confirmation"},
    "purge": {
        "nl": "onderzoeken over hun bewaartermijn definitief verwijderen",
        "en": "delete studies past their retention date for good",
    },
    "expired": {"nl": "alle onderzoeken waarvan de bewaardatum voorbij is", "en": "every study whose retention date has passed"},
    "backup": {"nl": "nu een reservekopie maken en de reservekopieën tonen", "en": "make a backup now and list the backups"},
    "restore": {
        "nl": "de database terugzetten uit een reservekopie (zonder BESTAND: de lijst tonen)",
        "en": "restore the database from a backup (without FILE: list them)",
    },
    "backup_file": {"nl": "de reservekopie die terug moet", "en": "the backup to restore"},
}


def _h(key: str, lang: str, **values: object) -> str:
    return HELP[key][lang].format(**values)


def default_db_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False) / "klantreis.db"


def default_config_path() -> Path:
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False) / "config.toml"


def default_export_dir() -> Path:
    from platformdirs import user_documents_path

    return user_documents_path() / "klantreis"


def user_assist_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False) / "assist"


def user_question_set_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False) / "question_sets"


def _pre_language(argv: list[str]) -> str:
    """The UI language, read before parsing so that help and errors use it."""
    lang = language_from_env()
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv) and argv[index + 1] in LANGUAGES:
            lang = argv[index + 1]
        elif arg.startswith("--lang=") and arg.split("=", 1)[1] in LANGUAGES:
            lang = arg.split("=", 1)[1]
    return lang


def build_parser(lang: str) -> argparse.ArgumentParser:
    if lang == "nl":
        argparse._ = lambda text: _ARGPARSE_NL.get(text, text)  # type: ignore[attr-defined]
    else:
        argparse._ = lambda text: text  # type: ignore[attr-defined]
    # SUPPRESS: an option given before the subcommand is not reset by the subcommand's default
    common = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    common.add_argument("--db", metavar="PAD" if lang == "nl" else "PATH", help=_h("db", lang, default=default_db_path(), env=ENV_DB))
    common.add_argument("--lang", choices=LANGUAGES, help=_h("lang", lang))
    common.add_argument(
        "--config",
        metavar="BESTAND" if lang == "nl" else "FILE",
        type=Path,
        help=_h("config", lang, default=default_config_path(), env=ENV_CONFIG),
    )
    common.add_argument(
        "--question-sets",
        metavar="MAP" if lang == "nl" else "DIR",
        action="append",
        type=Path,
        help=_h("qs_dir", lang, user=user_question_set_dir()),
    )
    parser = argparse.ArgumentParser(prog="klantreis", description=t("cli.description", lang), parents=[common])
    parser.add_argument("--version", action="version", version=f"klantreis {__version__}", help=_h("version", lang))
    commands = parser.add_subparsers(
        dest="command", metavar="{run,question-sets,db,summary,export,import,forget,purge,backup,restore}"
    )
    commands.add_parser("run", parents=[common], help=_h("run", lang), description=_h("run", lang))
    qs = commands.add_parser("question-sets", parents=[common], help=_h("qs", lang), description=_h("qs", lang))
    qs_commands = qs.add_subparsers(dest="qs_command", required=True, metavar="{list,check}")
    qs_commands.add_parser("list", parents=[common], help=_h("qs_list", lang), description=_h("qs_list", lang))
    check = qs_commands.add_parser("check", parents=[common], help=_h("qs_check", lang), description=_h("qs_check", lang))
    check.add_argument("paths", nargs="*", type=Path, metavar="PAD" if lang == "nl" else "PATH", help=_h("qs_paths", lang))
    db = commands.add_parser("db", parents=[common], help=_h("db_cmd", lang), description=_h("db_cmd", lang))
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="{info}")
    db_commands.add_parser("info", parents=[common], help=_h("db_info", lang), description=_h("db_info", lang))
    selection = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    selection.add_argument("--study", help=_h("study", lang))
    selection.add_argument("--respondent", help=_h("respondent", lang))
    selection.add_argument("--interview", help=_h("interview", lang))
    selection.add_argument("-o", "--output", type=Path, help=_h("output", lang))
    selection.add_argument("--templates", type=Path, help=_h("templates", lang))
    selection.add_argument("--keep-personal-data", action="store_true", default=False, help=_h("keep_pii", lang))
    summary = commands.add_parser(
        "summary", parents=[common, selection], help=_h("summary", lang), description=_h("summary", lang)
    )
    summary.add_argument("--format", choices=("md", "html"), default="md", help=_h("format", lang))
    export = commands.add_parser(
        "export", parents=[common, selection], help=_h("export", lang), description=_h("export", lang)
    )
    export.add_argument("--format", choices=("json", "csv", "md", "html"), default="json", help=_h("format", lang))
    export.add_argument("--status", choices=[s.value for s in _statuses()], help=_h("status", lang))
    export.add_argument("--excel-nl", action="store_true", default=False, help=_h("excel_nl", lang))
    export.add_argument("--include-identities", action="store_true", default=False, help=_h("include_identities", lang))
    export.add_argument("--encrypt", action="store_true", default=False, help=_h("encrypt", lang, env=ENV_PASSPHRASE))
    imp = commands.add_parser("import", parents=[common], help=_h("import", lang), description=_h("import", lang))
    imp.add_argument("bundle", type=Path, metavar="BUNDEL" if lang == "nl" else "BUNDLE", help=_h("bundle", lang))
    forget = commands.add_parser("forget", parents=[common], help=_h("forget", lang), description=_h("forget", lang))
    forget.add_argument("code", metavar="CODE", help=_h("code", lang))
    forget.add_argument("--study", help=_h("study", lang))
    forget.add_argument("--yes", action="store_true", default=False, help=_h("yes", lang))
    purge = commands.add_parser("purge", parents=[common], help=_h("purge", lang), description=_h("purge", lang))
    purge.add_argument("--expired", action="store_true", default=False, help=_h("expired", lang))
    purge.add_argument("--yes", action="store_true", default=False, help=_h("yes", lang))
    commands.add_parser("backup", parents=[common], help=_h("backup", lang), description=_h("backup", lang))
    restore = commands.add_parser("restore", parents=[common], help=_h("restore", lang), description=_h("restore", lang))
    restore.add_argument(
        "backup", nargs="?", type=Path, metavar="BESTAND" if lang == "nl" else "FILE", help=_h("backup_file", lang)
    )
    restore.add_argument("--yes", action="store_true", default=False, help=_h("yes", lang))
    return parser


def _statuses():  # type: ignore[no-untyped-def]
    from klantreis_tui.models.records import InterviewStatus

    return list(InterviewStatus)


class Progress:
    """A progress bar on standard error, only when it is a terminal (long exports and imports)."""

    def __init__(self, total: int, label: str):
        self.total, self.label, self.done = total, label, 0
        self.show = sys.stderr.isatty() and total > 20

    def step(self, count: int = 1) -> None:
        self.done += count
        if self.show:
            filled = int(30 * self.done / max(1, self.total))
            print(f"\r{self.label} [{'#' * filled}{'.' * (30 - filled)}] {self.done}/{self.total}", end="", file=sys.stderr)

    def close(self) -> None:
        if self.show:
            print(file=sys.stderr)


def _db_path(args: argparse.Namespace) -> Path:
    if getattr(args, "db", None):
        return Path(args.db).expanduser()
    if os.environ.get(ENV_DB):
        return Path(os.environ[ENV_DB]).expanduser()
    return default_db_path()


def _config_path(args: argparse.Namespace) -> Path:
    if getattr(args, "config", None):
        return Path(args.config).expanduser()
    if os.environ.get(ENV_CONFIG):
        return Path(os.environ[ENV_CONFIG]).expanduser()
    return default_config_path()


def _question_set_dirs(args: argparse.Namespace) -> list[Path]:
    from klantreis_tui.question_sets import bundled_dir

    return [bundled_dir(), user_question_set_dir(), *getattr(args, "question_sets", [])]


def _fail(message: str, lang: str) -> int:
    print(t("cli.error", lang, message=message), file=sys.stderr)
    return 1


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = _pre_language(argv)
    parser = build_parser(lang)
    args = parser.parse_args(argv)
    lang = getattr(args, "lang", None) or lang
    set_language(lang)
    if args.command == "question-sets":
        return cmd_question_sets(args, lang)
    if args.command == "db":
        return cmd_db_info(args, lang)
    if args.command in ("export", "import", "summary"):
        return cmd_exchange(args, lang)
    if args.command in ("forget", "purge"):
        return cmd_privacy(args, lang)
    if args.command in ("backup", "restore"):
        return cmd_backup(args, lang)
    return cmd_run(args, lang)


def cmd_question_sets(args: argparse.Namespace, lang: str) -> int:
    from klantreis_tui.question_sets import QuestionSetError, find_files, load_catalog, load_question_set

    if args.qs_command == "list":
        catalog = load_catalog(_question_set_dirs(args), lang)
        if not catalog.sets:
            print(t("cli.qs.none", lang))
        else:
            columns = t("cli.qs.columns", lang).split("|")
            print(t("cli.qs.header", lang, id=columns[0], version=columns[1], questions=columns[2], title=columns[3]))
            for set_id, qs in sorted(catalog.sets.items()):
                print(
                    t("cli.qs.header", lang, id=set_id, version=qs.version, questions=len(qs.questions()), title=qs.title.get(lang))
                )
        for problem in catalog.problems:
            print(problem, file=sys.stderr)
        return 1 if catalog.problems else 0

    # check
    status = 0
    if args.paths:
        missing = [p for p in args.paths if not p.exists()]
        for path in missing:
            print(t("cli.qs.not_found", lang, path=path), file=sys.stderr)
            status = 1
        files = find_files([p for p in args.paths if p.exists()])
    else:
        files = find_files(_question_set_dirs(args))
    if not files and not status:
        print(t("cli.qs.none", lang))
        return 1
    for path in files:
        try:
            qs = load_question_set(path, lang)
        except QuestionSetError as exc:
            status = 1
            print(t("qs.summary_problems", lang, path=path, count=len(exc.problems)), file=sys.stderr)
            for problem in exc.problems:
                print(f"  {problem}", file=sys.stderr)
        else:
            print(t("qs.summary_ok", lang, path=path, id=qs.id, version=qs.version))
    return status


def cmd_db_info(args: argparse.Namespace, lang: str) -> int:
    from klantreis_tui.storage import SCHEMA_VERSION, StorageError, Store

    path = _db_path(args)
    try:
        store = Store.open(path, create=False)
    except StorageError as exc:
        return _fail(str(exc), lang)
    try:
        print(f"{t('cli.db_info.path', lang)}: {path}")
        print(f"{t('cli.db_info.schema', lang)}: {store.schema_version()} ({SCHEMA_VERSION})")
        print(f"{t('cli.db_info.counts', lang)}:")
        for table, count in store.counts().items():
            print(f"  {table:<12} {count:>8}")
        from klantreis_tui.storage.backup import list_backups

        backups = list_backups(path)
        latest = f"{backups[0].created:%Y-%m-%d %H:%M} {backups[0].path}" if backups else "-"
        print(t("cli.db_info.backups", lang, count=len(backups), latest=latest))
        log = store.privacy_log()
        print(t("cli.db_info.privacy_log", lang, count=len(log)))
        for entry in log[-5:]:
            detail = entry["detail"]
            print(f"  {entry['at'][:19]}  {entry['action']:<7} {t('cli.db_info.log_line', lang, **{k: detail.get(k, 0) for k in ('interviews', 'answers', 'steps')})}")
    finally:
        store.close()
    return 0


def cmd_run(args: argparse.Namespace, lang: str) -> int:
    from klantreis_tui.config import ConfigError, load_config
    from klantreis_tui.services import Services
    from klantreis_tui.storage import StorageError

    config_path = _config_path(args)
    try:
        config = load_config(config_path, lang)
    except ConfigError as exc:
        return _fail(str(exc), lang)
    if config.language and not getattr(args, "lang", None) and not os.environ.get(ENV_LANG):
        lang = config.language
        set_language(lang)
    from klantreis_tui.ui.app import binding_ids, make_app

    unknown = sorted(set(config.keys) - binding_ids())
    if unknown:
        problem = f"keys: {', '.join(unknown)} ({', '.join(sorted(binding_ids()))})"
        return _fail(t("config.error", lang, path=config_path, error=problem), lang)
    from klantreis_tui.storage.backup import make_backup

    try:
        services = Services.open(_db_path(args), _question_set_dirs(args), lang, assist_dir=user_assist_dir())
    except StorageError as exc:
        return _fail(str(exc), lang)
    try:
        # after the open: a damaged or foreign file is refused before anything is copied
        make_backup(_db_path(args), keep=BACKUPS_KEPT)
        notices = []
    except StorageError as exc:
        # shown in the app: printed here it would vanish under the full-screen interface
        notices = [t("backup.failed_on_start", lang, error=exc)]
    try:
        app = make_app(
            services, lang=lang, keymap=config.keys, config_path=str(config_path), export_dir=default_export_dir(),
            notices=notices,
        )
        app.run()
    finally:
        services.close()
    return app.return_code or 0


def _open_services(args: argparse.Namespace, lang: str, create: bool = False):  # type: ignore[no-untyped-def]
    from klantreis_tui.question_sets import load_catalog
    from klantreis_tui.services import Services
    from klantreis_tui.storage import Store

    return Services(Store.open(_db_path(args), create=create), load_catalog(_question_set_dirs(args), lang), lang)


def _write_output(args: argparse.Namespace, data: bytes) -> None:
    from klantreis_tui.exchange import write_atomic

    output = getattr(args, "output", None)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        write_atomic(output, data)


def cmd_exchange(args: argparse.Namespace, lang: str) -> int:
    from klantreis_tui.exchange import BundleError, bundle_json, csv_bytes, csv_tables, read_bundle, write_atomic
    from klantreis_tui.models.records import InterviewStatus
    from klantreis_tui.storage import StorageError

    if args.command == "import":
        try:
            bundle = _read_any_bundle(args.bundle, lang)
        except BundleError as exc:
            return _fail(str(exc), lang)
        try:
            services = _open_services(args, lang, create=True)
        except StorageError as exc:
            return _fail(str(exc), lang)
        from klantreis_tui.services import ImportConflict

        try:
            progress = Progress(len(bundle.interviews), "import")
            report = services.import_bundle(bundle)
            progress.step(len(bundle.interviews))
            progress.close()
        except (StorageError, ImportConflict) as exc:
            return _fail(str(exc), lang)
        finally:
            services.close()
        for old, new, study in report.renamed:
            print(t("import.renamed", lang, old=old, new=new, study=study))
        if report.identities:
            print(t("import.identities", lang, count=report.identities))
        if report.forgotten:
            print(t("import.forgotten", lang, count=report.forgotten))
        print(t("import.summary", lang, added=report.added, studies=report.studies_added, skipped=report.skipped))
        return 0

    try:
        services = _open_services(args, lang)
    except StorageError as exc:
        return _fail(str(exc), lang)
    try:
        status = getattr(args, "status", None)
        ids = services.select_interviews(
            study=getattr(args, "study", None),
            respondent=getattr(args, "respondent", None),
            interview=getattr(args, "interview", None),
            status=InterviewStatus(status) if status else None,
        )
        if not ids:
            return _fail(t("cli.no_interviews", lang), lang)
        fmt = args.format
        if args.command == "summary" or fmt in ("md", "html"):
            return _summaries(args, services, ids, fmt, lang)
        keep = args.keep_personal_data
        if fmt == "json":
            if args.encrypt and getattr(args, "output", None) is None:
                return _fail(t("seal.needs_output", lang), lang)
            passphrase = _new_passphrase(lang) if args.encrypt else None
            bundle = services.export_bundle(ids, keep_personal_data=keep, include_identities=args.include_identities)
            if bundle.identities:
                print(t("export.identities_warning", lang, count=len(bundle.identities)), file=sys.stderr)
            if keep:
                print(t("export.pii_kept", lang), file=sys.stderr)
            data = bundle_json(bundle)
            if passphrase is not None:
                from klantreis_tui.sealed import seal

                data = seal(data, passphrase)
            _write_output(args, data)
            if passphrase is not None:
                print(t("seal.written", lang, path=args.output), file=sys.stderr)
            elif getattr(args, "output", None) is not None:
                print(t("cli.bundle_written", lang, path=args.output, count=len(bundle.interviews)), file=sys.stderr)
        else:
            if args.include_identities or args.encrypt:
                return _fail(t("export.bundle_only", lang), lang)
            if keep:
                print(t("export.pii_kept", lang), file=sys.stderr)
            progress = Progress(len(ids), "export")
            records = []
            from klantreis_tui.services import gc_paused

            for start in range(0, len(ids), 200):
                with gc_paused():
                    records.extend(services.export_records(ids[start : start + 200], keep))
                progress.step(len(ids[start : start + 200]))
            progress.close()
            folder = getattr(args, "output", None) or Path("klantreis-export")
            for name, rows in csv_tables(records).items():
                write_atomic(folder / f"{name}.csv", csv_bytes(rows, excel_nl=args.excel_nl))
            print(t("cli.csv_written", lang, folder=folder, count=len(records)))
        return 0
    except (StorageError, _CliProblem) as exc:
        return _fail(str(exc), lang)
    except OSError as exc:
        where = exc.filename or getattr(args, "output", "") or ""
        return _fail(t("cli.write_failed", lang, path=where, error=exc.strerror or exc), lang)
    finally:
        services.close()


def _summaries(args: argparse.Namespace, services, ids: list[str], fmt: str, lang: str) -> int:  # type: ignore[no-untyped-def]
    from klantreis_tui.rendering.templates import TemplateProblem

    templates = getattr(args, "templates", None)
    keep = args.keep_personal_data
    if keep:
        print(t("export.pii_kept", lang), file=sys.stderr)
    try:
        if args.command == "summary" and getattr(args, "study", None) and not getattr(args, "respondent", None) \
                and not getattr(args, "interview", None):
            text = services.study_synthesis(ids, fmt, templates, keep_personal_data=keep)
        else:
            text = "\n\n".join(services.interview_summary(i, fmt, templates, keep_personal_data=keep) for i in ids)
    except TemplateProblem as exc:
        return _fail(str(exc), lang)
    _write_output(args, text.encode("utf-8"))
    return 0


# --- encrypted bundles -----------------------------------------------------------------------------


def _ask(prompt: str, secret: bool = False) -> str | None:
    """A line typed by the user at the terminal; None when there is no terminal to ask at."""
    if not sys.stdin.isatty():
        return None
    if secret:
        import getpass

        return getpass.getpass(prompt)
    return input(prompt)


def _new_passphrase(lang: str) -> str:
    """The passphrase to encrypt with: from the environment, or typed twice."""
    passphrase = os.environ.get(ENV_PASSPHRASE)
    if passphrase is None:
        passphrase = _ask(t("seal.passphrase", lang), secret=True)
        if passphrase is None:
            raise _CliProblem(t("seal.needs_passphrase", lang, path="-o", env=ENV_PASSPHRASE))
        if _ask(t("seal.passphrase_again", lang), secret=True) != passphrase:
            raise _CliProblem(t("seal.mismatch", lang))
    if len(passphrase.strip()) < MIN_PASSPHRASE:
        raise _CliProblem(t("seal.too_short", lang, n=MIN_PASSPHRASE))
    return passphrase


class _CliProblem(Exception):
    """A problem to report to the user, after which the command stops, having changed nothing."""


def _read_any_bundle(path: Path, lang: str):  # type: ignore[no-untyped-def]
    """A bundle, plain or encrypted (then decrypted with the passphrase from the environment or typed)."""
    from klantreis_tui import sealed
    from klantreis_tui.exchange import BundleError, parse_bundle, read_bundle_bytes

    data = read_bundle_bytes(path, lang)
    if not sealed.is_sealed(data):
        head = data[:64]
        if head.startswith(b"KLANTREIS") or b"SEALED" in head:  # a sealed file whose first line was damaged
            raise BundleError(t("seal.damaged", lang, path=path, detail="header"))
        return parse_bundle(data, str(path), lang)
    passphrase = os.environ.get(ENV_PASSPHRASE)
    if passphrase is None:
        passphrase = _ask(t("seal.passphrase", lang), secret=True)
    if passphrase is None:
        raise BundleError(t("seal.needs_passphrase", lang, path=path, env=ENV_PASSPHRASE))
    try:
        plain = sealed.unseal(data, passphrase)
    except sealed.SealError as exc:
        raise BundleError(t(f"seal.{exc.reason}", lang, path=path, detail=exc.detail)) from None
    return parse_bundle(plain, str(path), lang)


# --- privacy: forget, purge --------------------------------------------------------------------------


def _confirmed(args: argparse.Namespace, prompt: str, expected: str, lang: str, exact: bool = False) -> bool | None:
    """True when confirmed (or --yes), False when the user typed something else, None without a terminal.

    ``exact``: the text must match as written (respondent codes are case-sensitive)."""
    if args.yes:
        return True
    answer = _ask(prompt)
    if answer is None:
        return None
    if exact:
        return answer.strip() == expected
    return answer.strip().casefold() == expected.casefold()


def _report_cleaning(report, db_path: Path, lang: str) -> None:  # type: ignore[no-untyped-def]
    if report.backups_cleaned:
        print(t("privacy.backups_cleaned", lang, count=len(report.backups_cleaned)))
    for path, error in report.backups_failed:
        print(t("privacy.backup_failed", lang, path=path, error=error), file=sys.stderr)
    if not report.log_emptied:
        print(t("privacy.log_busy", lang, path=db_path), file=sys.stderr)


def cmd_privacy(args: argparse.Namespace, lang: str) -> int:
    from klantreis_tui.storage import StorageError

    db_path = _db_path(args)
    try:
        services = _open_services(args, lang)
    except StorageError as exc:
        return _fail(str(exc), lang)
    from klantreis_tui.services import OpenElsewhere

    try:
        if args.command == "forget":
            return _forget(args, services, db_path, lang)
        return _purge(args, services, db_path, lang)
    except (StorageError, OpenElsewhere) as exc:
        return _fail(str(exc), lang)
    finally:
        services.close()


def _forget(args: argparse.Namespace, services, db_path: Path, lang: str) -> int:  # type: ignore[no-untyped-def]
    study = getattr(args, "study", None)
    found = services.find_respondents(args.code, study)
    if not found:
        where = t("privacy.in_study", lang, study=study) if study else ""
        return _fail(t("privacy.not_found", lang, code=args.code, where=where), lang)
    if len(found) > 1:
        return _fail(t("privacy.ambiguous", lang, code=args.code, studies=", ".join(s.title for s, _ in found)), lang)
    _, respondent = found[0]
    services.refuse_if_open([respondent.id])  # before asking anything
    print(services.forget_summary(respondent.id))
    confirmed = _confirmed(
        args, t("privacy.forget.type_code", lang, code=respondent.code), respondent.code, lang, exact=True
    )
    if confirmed is None:
        return _fail(t("privacy.needs_confirmation", lang), lang)
    if not confirmed:
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
        return _fail(t("privacy.purge.needs_expired", lang), lang)
    expired = services.expired_studies()
    if not expired:
        print(t("privacy.purge.none", lang))
        return 0
    print(t("privacy.purge.what", lang, count=len(expired)))
    for row in expired:
        print(t("privacy.purge.item", lang, title=row.study.title, until=row.study.retention_until, count=row.interview_count))
    yes = t("privacy.purge.yes", lang)
    confirmed = _confirmed(args, t("privacy.purge.type_yes", lang), yes, lang)
    if confirmed is None:
        return _fail(t("privacy.needs_confirmation", lang), lang)
    if not confirmed:
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
    from klantreis_tui.storage import StorageError
    from klantreis_tui.storage.backup import check_restore, list_backups, make_backup, restore

    db_path = _db_path(args)
    try:
        if args.command == "backup":
            made = make_backup(db_path, keep=BACKUPS_KEPT)
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
        confirmed = _confirmed(args, t("privacy.purge.type_yes", lang), t("privacy.purge.yes", lang), lang)
        if confirmed is None:
            return _fail(t("privacy.needs_confirmation", lang), lang)
        if not confirmed:
            print(t("privacy.cancelled", lang))
            return 1
        aside = restore(db_path, args.backup)
        if aside is None:  # there was no database to keep aside
            print(t("backup.restored_new", lang, backup=args.backup, path=db_path))
        else:
            print(t("backup.restored", lang, backup=args.backup, aside=aside))
        return 0
    except StorageError as exc:
        return _fail(str(exc), lang)
