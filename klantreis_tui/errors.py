"""One family of errors: every problem klantreis reports is a KlantreisError with a reason and details.

The words are chosen where an error is shown (``klantreis_tui.i18n.describe``): code below the services
reports *what* went wrong by reason, never in a language.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: Words for an error in the current language; set by ``klantreis_tui.i18n`` when it is loaded, so that
#: ``str(error)`` shown anywhere is worded in the UI language. Below the i18n layer errors carry no words.
_describer: Callable[["KlantreisError"], str] | None = None


def set_describer(describer: Callable[["KlantreisError"], str]) -> None:
    global _describer
    _describer = describer


class KlantreisError(Exception):
    """A problem with a reason (a stable identifier) and the details its message needs.

    ``message`` may carry words already chosen (for errors built from a worded problem, such as a
    question-set file's list of findings); ``describe`` uses it when there is no message for the reason.
    """

    def __init__(self, reason: str, message: str = "", /, **detail: Any) -> None:
        self.reason = reason
        self.message = message
        self.detail = detail
        super().__init__(message or reason)

    def __str__(self) -> str:
        if _describer is not None:
            return _describer(self)
        return self.message or self.reason


# --- errors that cross layers: the UI and the CLI catch them without importing the layer that raises them ---


class StorageError(KlantreisError):
    """The database cannot be used (damaged, foreign, newer, unwritable; a backup or restore that failed)."""


class SaveFailed(StorageError):
    """A write did not reach the database (disk full, read-only file, locked, I/O error); nothing of it is stored."""


class AnswerInvalid(KlantreisError, ValueError):
    """An answer that does not pass validation (still a ValueError for callers that catch that)."""


class TemplateProblem(KlantreisError):
    """A template could not be loaded or rendered; the message reads ``file:line: problem``."""

    def __init__(self, template: str, line: int | None, problem: str):
        self.template = template
        self.line = line
        self.problem = problem
        where = f"{template}:{line}" if line else template
        super().__init__("template.problem", f"{where}: {problem}", template=template, line=line, problem=problem)


class OutputRefused(KlantreisError, OSError):
    """An output path (``-o``, an export) that is not a regular file or a new path: a device, a FIFO, a folder
    or a symlink to one. Nothing was written. Still an OSError for callers that catch write failures."""

    def __init__(self, path: object, kind: str):
        super().__init__(f"output.{kind}", path=str(path))


class WordTemplateRefused(KlantreisError):
    """A Word template (``--docx-template``, ``word.docx`` in the templates folder) that cannot be used: not a
    regular file, too large, no zip, a zip bomb, not Word, or without a style the reports need. Nothing written."""
