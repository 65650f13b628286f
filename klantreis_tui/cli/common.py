"""What the commands share: paths from arguments and environment, opening the services, asking, failing."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from klantreis_tui.cli.parser import ENV_CONFIG, ENV_DB
from klantreis_tui.i18n import t
from klantreis_tui.paths import bundled_question_set_dir, default_config_path, default_db_path, user_question_set_dir
from klantreis_tui.safetext import visible


def say(*parts: object, file: TextIO | None = None, end: str = "\n") -> None:
    """Print a message for the terminal: every part (titles, codes, paths from outside) through the one
    text rule, so that no control character or escape sequence in stored data reaches the terminal."""
    print(*(visible(str(part)) for part in parts), file=file if file is not None else sys.stdout, end=end)


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


def db_path(args: argparse.Namespace) -> Path:
    if getattr(args, "db", None):
        return Path(args.db).expanduser()
    if os.environ.get(ENV_DB):
        return Path(os.environ[ENV_DB]).expanduser()
    return default_db_path()


def config_path(args: argparse.Namespace) -> Path:
    if getattr(args, "config", None):
        return Path(args.config).expanduser()
    if os.environ.get(ENV_CONFIG):
        return Path(os.environ[ENV_CONFIG]).expanduser()
    return default_config_path()


def question_set_dirs(args: argparse.Namespace) -> list[Path]:
    return [bundled_question_set_dir(), user_question_set_dir(), *getattr(args, "question_sets", [])]


def export_target(args: argparse.Namespace) -> Path | None:
    """The folder an export or summary writes into (None: to the screen)."""
    output = getattr(args, "output", None)
    if output is None:
        return None
    output = Path(output)
    return output if getattr(args, "format", None) == "csv" else output.parent


def synced_folder_warnings(args: argparse.Namespace, export_dir: Path | None = None) -> list:  # type: ignore[type-arg]
    """The synced-folder warnings of this command's database and export folder; with --accept-synced-folder
    they are acknowledged instead (said on standard error) and none is returned."""
    from klantreis_tui.services import acknowledge_synced_folder
    from klantreis_tui.services import synced_folder_warnings as warnings_for

    found = warnings_for(db_path(args), export_dir)
    if not getattr(args, "accept_synced_folder", False):
        return found
    for warning in found:
        try:
            acknowledge_synced_folder(warning)
        except OSError as exc:
            say(t('Could not note the acknowledgement ({error}); the warning will come again.', error=exc.strerror or exc), file=sys.stderr)
            continue
        say(t('Noted: no more warnings about the synced folder {folder}.', folder=warning.folder), file=sys.stderr)
    return []


def warn_synced_folders(args: argparse.Namespace) -> None:
    """Say on standard error, before the command writes, that its database or export folder is synced."""
    for warning in synced_folder_warnings(args, export_target(args)):
        say(t('klantreis: warning: {message}', message=warning.text()), file=sys.stderr)
        say(t('Run the command once with --accept-synced-folder to stop this warning for {folder}.', folder=warning.folder), file=sys.stderr)


def fail(message: str) -> int:
    say(t('klantreis: error: {message}', message=message), file=sys.stderr)
    return 1


class CommandFailed(Exception):
    """The command stops with this message (in the UI language): ``main`` says it as ``fail`` does, exit status 1."""


def open_services(args: argparse.Namespace, create: bool = False, path: Path | None = None):  # type: ignore[no-untyped-def]
    from klantreis_tui.paths import user_assist_dir
    from klantreis_tui.services import Services

    return Services.open(path or db_path(args), question_set_dirs(args), create=create, assist_dir=user_assist_dir())


@contextmanager
def command_services(
    args: argparse.Namespace, *, create: bool = False, output: bool | Path = False, path: Path | None = None
) -> Iterator[Any]:
    """The services on the command's database (``path``: another one) for a ``with`` block, closed when the
    block ends, however it ends.

    What stops the command is raised as CommandFailed, which ``main`` says (``klantreis: error: ...`` on
    standard error, in the UI language) with exit status 1: a database that cannot be opened, and in the
    block a KlantreisError (its own message) and, with ``output``, an OSError while writing: "Cannot write to"
    the file the error names or else ``-o`` (``output`` True), or always the path given as ``output``. A
    closed pipe (``| head``) goes on to ``main``, which ends quietly.
    """
    from klantreis_tui.errors import KlantreisError

    try:
        services = open_services(args, create=create, path=path)
    except KlantreisError as exc:
        raise CommandFailed(str(exc)) from exc
    try:
        yield services
    except KlantreisError as exc:  # before OSError: OutputRefused is both, and says itself why
        raise CommandFailed(str(exc)) from exc
    except BrokenPipeError:
        raise
    except OSError as exc:
        if output is False:
            raise
        where = output if not isinstance(output, bool) else exc.filename or getattr(args, "output", None) or ""
        raise CommandFailed(
            t('Cannot write to {path}: {error}. Nothing was written.', path=where, error=exc.strerror or exc)
        ) from exc
    finally:
        services.close()


def write_output(args: argparse.Namespace, data: bytes, text: bool = False) -> None:
    """Write ``data`` to ``-o`` (a regular file or a new path only) or to the screen; ``text``: it is
    text for a reader (a summary), shown on the screen through the one text rule."""
    from klantreis_tui.services import write_file

    output = getattr(args, "output", None)
    if output is None:
        if text:  # a summary on the screen: through the one text rule (the JSON bundle escapes its text)
            data = visible(data.decode("utf-8")).encode("utf-8")
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        write_file(output, data)


def ask(prompt: str, secret: bool = False) -> str | None:
    """A line typed by the user at the terminal; None when there is no terminal to ask at."""
    if not sys.stdin.isatty():
        return None
    if secret:
        import getpass

        return getpass.getpass(visible(prompt))
    return input(visible(prompt))


def confirmed(args: argparse.Namespace, prompt: str, expected: str, exact: bool = False) -> bool | None:
    """True when confirmed (or --yes), False when the user typed something else, None without a terminal.

    ``exact``: the text must match as written (respondent codes are case-sensitive)."""
    if args.yes:
        return True
    answer = ask(prompt)
    if answer is None:
        return None
    if exact:
        return answer.strip() == expected
    return answer.strip().casefold() == expected.casefold()
