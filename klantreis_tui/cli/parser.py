"""The command line's arguments: the parser, its help texts in Dutch and English, and the environment names."""

from __future__ import annotations

import argparse
from pathlib import Path

from klantreis_tui import __version__
from klantreis_tui.i18n import LANGUAGES, language_from_env, t
from klantreis_tui.paths import default_config_path, default_db_path, user_question_set_dir

ENV_DB = "KLANTREIS_DB"
ENV_LANG = "KLANTREIS_LANG"
ENV_CONFIG = "KLANTREIS_CONFIG"
ENV_PASSPHRASE = "KLANTREIS_PASSPHRASE"
MIN_PASSPHRASE = 10

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


def pre_language(argv: list[str]) -> str:
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
