"""The user's configuration file (TOML): language, key remapping and the laptop's respondent-code prefix."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from functools import cache
from typing import Any

from klantreis_tui.errors import KlantreisError
from klantreis_tui.i18n import LANGUAGES, library_text, t
from klantreis_tui.models.codes import PREFIX_PATTERN


@dataclass(frozen=True)
class Config:
    """``config.toml`` as read; unknown keys are errors, so a typo is reported rather than ignored."""

    language: str | None = None
    keys: dict[str, str] = field(default_factory=dict)
    #: this laptop's respondent-code prefix, for example the interviewer's initials: AB gives AB-R01, AB-R02, ...
    respondent_prefix: str = ""


@cache
def _file_model() -> Any:
    """The strict model of the file, made when there is a file to check (pydantic is not loaded without one)."""
    from pydantic import BaseModel, ConfigDict, Field

    class ConfigFile(BaseModel):
        model_config = ConfigDict(extra="forbid")

        language: str | None = Field(default=None, pattern="^(" + "|".join(LANGUAGES) + ")$")
        keys: dict[str, str] = {}
        respondent_prefix: str = Field(default="", pattern=f"^(?:{PREFIX_PATTERN.pattern})?$")

    return ConfigFile


class ConfigError(KlantreisError):
    """The configuration file cannot be used; the message (worded in the caller's language) names file and problem."""

    def __init__(self, message: str, reason: str = "config.refused", /, **detail: Any) -> None:
        super().__init__(reason, message, **detail)


#: tomllib's message: what is wrong, then where
_TOML_WHERE = re.compile(r"(?P<error>.*) \(at (?:line (?P<line>\d+), column (?P<column>\d+)|end of document)\)", re.DOTALL)


def _toml_problem(exc: tomllib.TOMLDecodeError) -> str:
    """tomllib's message (English only) in the UI language: the line and column, and what is wrong when the
    catalog has its words (``i18n.external.TOML``), else only that it is no valid TOML."""
    from klantreis_tui.i18n.external import TOML

    found = _TOML_WHERE.fullmatch(str(exc))
    error = found["error"] if found else str(exc)
    worded = library_text(error) if error in TOML else t('not valid TOML')
    if found is None:
        return worded
    if found["line"] is None:
        return t('at the end of the file: {error}', error=worded)
    return t('line {line}, column {column}: {error}', line=found["line"], column=found["column"], error=worded)


def load_config(path: Path) -> Config:
    """Read ``path``; a missing file is an empty configuration."""
    if not path.exists():
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(t('The configuration file {path} is not valid: {error}', path=path, error=t('the file cannot be read: {error}', error=exc.strerror or exc))) from None
    except UnicodeDecodeError:
        raise ConfigError(t('The configuration file {path} is not valid: {error}', path=path, error=t('the file is not UTF-8 text'))) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(t('The configuration file {path} is not valid: {error}', path=path, error=_toml_problem(exc))) from None
    from pydantic import ValidationError

    try:
        return Config(**_file_model().model_validate(data).model_dump())
    except ValidationError as exc:
        from klantreis_tui.i18n.validation import validation_problems

        problems = "; ".join(validation_problems(exc.errors()))
        raise ConfigError(t('The configuration file {path} is not valid: {error}', path=path, error=problems)) from None
