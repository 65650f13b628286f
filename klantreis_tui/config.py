"""The user's configuration file (TOML): language, key remapping and the laptop's respondent-code prefix."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from klantreis_tui.errors import KlantreisError
from klantreis_tui.i18n import LANGUAGES, t
from klantreis_tui.models.codes import PREFIX_PATTERN


class Config(BaseModel):
    """``config.toml``: unknown keys are errors, so a typo is reported rather than ignored."""

    model_config = ConfigDict(extra="forbid")

    language: str | None = Field(default=None, pattern="^(" + "|".join(LANGUAGES) + ")$")
    keys: dict[str, str] = {}
    #: this laptop's respondent-code prefix, for example the interviewer's initials: AB gives AB-R01, AB-R02, ...
    respondent_prefix: str = Field(default="", pattern=f"^(?:{PREFIX_PATTERN.pattern})?$")


class ConfigError(KlantreisError):
    """The configuration file cannot be used; the message (worded in the caller's language) names file and problem."""

    def __init__(self, message: str, reason: str = "config.refused", /, **detail: Any) -> None:
        super().__init__(reason, message, **detail)


def load_config(path: Path) -> Config:
    """Read ``path``; a missing file is an empty configuration."""
    if not path.exists():
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return Config.model_validate(data)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(t('The configuration file {path} is not valid: {error}', path=path, error=exc)) from None
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise ConfigError(t('The configuration file {path} is not valid: {error}', path=path, error=problems)) from None
