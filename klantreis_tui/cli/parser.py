"""The command line's arguments: the parser with its help texts, and the environment names."""

from __future__ import annotations

import argparse
from pathlib import Path

from klantreis_tui import __version__
from klantreis_tui.i18n import current_language, language_from_env, LANGUAGES, library_text, t
from klantreis_tui.paths import default_config_path, default_db_path, user_question_set_dir

ENV_DB = "KLANTREIS_DB"
ENV_LANG = "KLANTREIS_LANG"
ENV_CONFIG = "KLANTREIS_CONFIG"
ENV_PASSPHRASE = "KLANTREIS_PASSPHRASE"
MIN_PASSPHRASE = 10

def pre_language(argv: list[str]) -> str:
    """The UI language, read before parsing so that help and errors use it."""
    lang = language_from_env()
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv) and argv[index + 1] in LANGUAGES:
            lang = argv[index + 1]
        elif arg.startswith("--lang=") and arg.split("=", 1)[1] in LANGUAGES:
            lang = arg.split("=", 1)[1]
    return lang


def build_parser() -> argparse.ArgumentParser:
    # argparse looks its own texts (usage, errors) up through gettext's ``_``: ours has them in i18n/external.py
    lang = current_language()
    argparse._ = lambda text: library_text(text)  # type: ignore[attr-defined]
    # SUPPRESS: an option given before the subcommand is not reset by the subcommand's default
    common = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    common.add_argument("--db", metavar="PAD" if lang == "nl" else "PATH", help=t('database path (default: {default}; or via ${env})', default=default_db_path(), env=ENV_DB))
    common.add_argument("--lang", choices=LANGUAGES, help=t('language of the app: nl (default) or en'))
    common.add_argument(
        "--config",
        metavar="BESTAND" if lang == "nl" else "FILE",
        type=Path,
        help=t('configuration file (default: {default}; or via ${env})', default=default_config_path(), env=ENV_CONFIG),
    )
    common.add_argument(
        "--question-sets",
        metavar="MAP" if lang == "nl" else "DIR",
        action="append",
        type=Path,
        help=t('extra folder with question sets (repeatable); default: the bundled ones and {user}', user=user_question_set_dir()),
    )
    common.add_argument(
        "--accept-synced-folder",
        action="store_true",
        help=t('stop warning that the database or export folder is in a synced folder (OneDrive, Dropbox, Google Drive, iCloud): acknowledged once per folder'),
    )
    common.add_argument("--demo", action="store_true", help=t('training: start on a fresh database with the practice study (thrown away on exit, unless --db is given)'))
    parser = argparse.ArgumentParser(prog="klantreis", description=t('klantreis: run, record and write up customer-journey interviews.'), parents=[common])
    parser.add_argument("--version", action="version", version=f"klantreis {__version__}", help=t('show the version number and exit'))
    commands = parser.add_subparsers(
        dest="command", metavar="{run,question-sets,db,study,summary,plan,poster,export,import,names,publish,forget,purge,backup,restore}"
    )
    commands.add_parser("run", parents=[common], help=t('start the app (default)'), description=t('start the app (default)'))
    qs = commands.add_parser("question-sets", parents=[common], help=t('list and check question sets'), description=t('list and check question sets'))
    qs_commands = qs.add_subparsers(dest="qs_command", required=True, metavar="{list,check}")
    qs_commands.add_parser("list", parents=[common], help=t('list the available question sets'), description=t('list the available question sets'))
    check = qs_commands.add_parser("check", parents=[common], help=t('check question-set files and report every problem with file, line and key'), description=t('check question-set files and report every problem with file, line and key'))
    check.add_argument("paths", nargs="*", type=Path, metavar="PAD" if lang == "nl" else "PATH", help=t('files or folders (default: every question set found)'))
    db = commands.add_parser("db", parents=[common], help=t('inspect the database'), description=t('inspect the database'))
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="{info}")
    db_commands.add_parser("info", parents=[common], help=t('path, schema version and counts per table'), description=t('path, schema version and counts per table'))
    selection = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    selection.add_argument("--study", help=t('study (title, id or short id)'))
    selection.add_argument("--respondent", help=t('respondent code (for example R02) or short id'))
    selection.add_argument("--interview", help=t('interview id (or its beginning)'))
    selection.add_argument("-o", "--output", type=Path, help=t('output file (CSV: folder); default: the screen (CSV: folder klantreis-export; qdpx, qdc: klantreis-export.qdpx, .qdc)'))
    selection.add_argument("--templates", type=Path, help=t('folder with your own templates that override the bundled ones'))
    selection.add_argument("--keep-personal-data", action="store_true", default=False, help=t('do NOT redact personal data in free text (BSN, IBAN, phone, e-mail, address, name)'))
    selection.add_argument("--include-practice", action="store_true", default=False, help=t('include the practice study (left out unless asked or named with --study)'))
    summary = commands.add_parser(
        "summary", parents=[common, selection], help=t('draft summary of an interview, or with --study the synthesis of a study'), description=t('draft summary of an interview, or with --study the synthesis of a study')
    )
    summary.add_argument("--format", choices=("md", "html", "docx"), default="md", help=t('output format'))
    summary.add_argument("--docx-template", type=Path, metavar="BESTAND" if lang == "nl" else "FILE", help=t('Word template (.docx or .dotx) whose styles, margins and header the Word document takes (default: word.docx in --templates, if there)'))
    add_plan_command(commands, common, lang)
    add_poster_command(commands, common, lang)
    names = commands.add_parser("names", parents=[common], help=t('one name per organisation and channel: proposed merges of spellings'), description=t('one name per organisation and channel: proposed merges of spellings'))
    names.add_argument("--study", required=True, help=t('study (title or id)'))
    names.add_argument("--field", choices=("instances", "channels"), help=t('only organisations (instances) or only channels'))
    names.add_argument("--accept", action="store_true", default=False, help=t('accept every proposed merge'))
    names.add_argument("--merge", action="append", metavar="SPELLING=NAME", help=t('count a spelling as another name (with --field; default: organisations)'))
    export = commands.add_parser(
        "export", parents=[common, selection], help=t('export interviews (JSON bundle, CSV, Markdown, HTML, REFI-QDA project or codebook); pseudonymous by default'), description=t('export interviews (JSON bundle, CSV, Markdown, HTML, REFI-QDA project or codebook); pseudonymous by default')
    )
    export.add_argument("--format", choices=("json", "csv", "md", "html", "xlsx", "qdpx", "qdc"), default="json", help=t('output format (xlsx: Excel workbook; qdpx: REFI-QDA project for ATLAS.ti, NVivo, MAXQDA, QualCoder; qdc: its codebook)'))
    export.add_argument("--status", choices=[s.value for s in _statuses()], help=t('only interviews with this status'))
    export.add_argument("--excel-nl", action="store_true", default=False, help=t("CSV for Dutch Excel: ';' as separator and a BOM"))
    export.add_argument("--include-identities", action="store_true", default=False, help=t('include the key table (names, contact details); bundles only, with a warning'))
    export.add_argument("--encrypt", action="store_true", default=False, help=t('encrypt the bundle with a passphrase (asked for, or through ${env}); needs -o', env=ENV_PASSPHRASE))
    imp = commands.add_parser("import", parents=[common], help=t("import interviews from another laptop's bundle"), description=t("import interviews from another laptop's bundle"))
    imp.add_argument("bundle", type=Path, metavar="BUNDEL" if lang == "nl" else "BUNDLE", help=t('the bundle (JSON)'))
    imp.add_argument("--merge-into", metavar="ONDERZOEK" if lang == "nl" else "STUDY", help=t('add the interviews of a study with the same title but another id to this study here (id, short id or title)'))
    add_team_commands(commands, common, lang)
    forget = commands.add_parser("forget", parents=[common], help=t('delete a respondent and everything linked for good (from backups too)'), description=t('delete a respondent and everything linked for good (from backups too)'))
    forget.add_argument("code", metavar="CODE", help=t('the respondent code, for example R03'))
    forget.add_argument("--study", help=t('study (title, id or short id)'))
    forget.add_argument("--yes", action="store_true", default=False, help=t('do not ask for confirmation'))
    purge = commands.add_parser("purge", parents=[common], help=t('delete studies past their retention date for good'), description=t('delete studies past their retention date for good'))
    purge.add_argument("--expired", action="store_true", default=False, help=t('every study whose retention date has passed'))
    purge.add_argument("--yes", action="store_true", default=False, help=t('do not ask for confirmation'))
    commands.add_parser("backup", parents=[common], help=t('make a backup now and list the backups'), description=t('make a backup now and list the backups'))
    restore = commands.add_parser("restore", parents=[common], help=t('restore the database from a backup (without FILE: list them)'), description=t('restore the database from a backup (without FILE: list them)'))
    restore.add_argument(
        "backup", nargs="?", type=Path, metavar="BESTAND" if lang == "nl" else "FILE", help=t('the backup to restore')
    )
    restore.add_argument("--yes", action="store_true", default=False, help=t('do not ask for confirmation'))
    return parser


def add_plan_command(commands, common: argparse.ArgumentParser, lang: str) -> None:  # type: ignore[no-untyped-def]
    """``plan STUDY``: the improvement plan as Markdown or HTML."""
    plan = commands.add_parser("plan", parents=[common], help=t('the improvement plan of a study: actions ranked by the respondents behind them'), description=t('the improvement plan of a study: actions ranked by the respondents behind them'))
    plan.add_argument("study", metavar="ONDERZOEK" if lang == "nl" else "STUDY", help=t('study (title, id or short id)'))
    plan.add_argument("--format", choices=("md", "html", "docx"), default="md", help=t('output format'))
    plan.add_argument("--docx-template", type=Path, metavar="BESTAND" if lang == "nl" else "FILE", help=t('Word template (.docx or .dotx) whose styles, margins and header the Word document takes (default: word.docx in --templates, if there)'))
    plan.add_argument("-o", "--output", type=Path, help=t('output file; default: the screen'))
    plan.add_argument("--templates", type=Path, help=t('folder with your own templates that override the bundled ones'))
    plan.add_argument("--keep-personal-data", action="store_true", default=False, help=t('do NOT redact personal data in free text (BSN, IBAN, phone, e-mail, address, name)'))
def add_poster_command(commands, common: argparse.ArgumentParser, lang: str) -> None:  # type: ignore[no-untyped-def]
    """``poster CODE`` or ``poster --persona NAME --study S``: the klantreis visual, A3 landscape."""
    about = t("the klantreis visual of an interview or a persona: a poster for A3 landscape (HTML to print, SVG to edit)")
    poster = commands.add_parser("poster", parents=[common], help=about, description=about)
    poster.add_argument("code", metavar="CODE", nargs="?", help=t('the respondent code, for example R03'))
    poster.add_argument("--persona", metavar="NAAM" if lang == "nl" else "NAME", help=t("the poster of this persona instead (its name; with --study)"))
    poster.add_argument("--study", help=t('study (title, id or short id)'))
    poster.add_argument("--format", choices=("html", "svg"), help=t("html (prints on A3 landscape) or svg (one file per sheet); default: from the file's extension, else html"))
    poster.add_argument("-o", "--output", type=Path, required=True, metavar="BESTAND" if lang == "nl" else "FILE", help=t('the file to write (an SVG poster of several sheets: the next ones beside it, NAME-2.svg, ...)'))
    poster.add_argument("--keep-personal-data", action="store_true", default=False, help=t('do NOT redact personal data in free text (BSN, IBAN, phone, e-mail, address, name)'))
    poster.add_argument("--include-practice", action="store_true", default=False, help=t('include the practice study (left out unless asked or named with --study)'))


def add_team_commands(commands, common: argparse.ArgumentParser, lang: str) -> None:  # type: ignore[no-untyped-def]
    """``study export-kit``, ``study import-kit`` and ``publish``: one study on a team's laptops."""
    study = commands.add_parser("study", parents=[common], help=t('study kits: one study on every laptop of a team'), description=t('study kits: one study on every laptop of a team'))
    study_commands = study.add_subparsers(dest="study_command", required=True, metavar="{export-kit,import-kit}")
    export_kit = study_commands.add_parser("export-kit", parents=[common], help=t('write the study kit: startdocument, phases, question sets and word lists, no interviews'), description=t('write the study kit: startdocument, phases, question sets and word lists, no interviews'))
    export_kit.add_argument("--study", required=True, help=t('study (title, id or short id)'))
    export_kit.add_argument("-o", "--output", type=Path, required=True, help=t('the kit file to write (JSON)'))
    export_kit.add_argument("--question-set", action="append", default=[], metavar="ID", help=t('also put this question set in the kit (repeatable); default: those the interviews use, else vng-algemeen'))
    import_kit = study_commands.add_parser("import-kit", parents=[common], help=t('set up a study from a kit (the same study, the same id)'), description=t('set up a study from a kit (the same study, the same id)'))
    import_kit.add_argument("kit", type=Path, metavar="KIT", help=t('the kit file (JSON)'))
    import_kit.add_argument("--merge-into", metavar="ONDERZOEK" if lang == "nl" else "STUDY", help=t('add the interviews of a study with the same title but another id to this study here (id, short id or title)'))
    publish = commands.add_parser("publish", parents=[common], help=t('write a redacted, pseudonymous team database for analysts (Datasette)'), description=t('write a redacted, pseudonymous team database for analysts (Datasette)'))
    publish.add_argument("-o", "--output", type=Path, required=True, help=t('the team database to write (SQLite); metadata.json is written next to it'))
    publish.add_argument("--study", action="append", default=[], help=t('only this study (title, id or short id; repeatable); default: every study'))


def _statuses():  # type: ignore[no-untyped-def]
    from klantreis_tui.models.status import InterviewStatus

    return list(InterviewStatus)
