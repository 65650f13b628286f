"""Respondent codes: what a code may look like and the next free one (R01, R02, ...; AB-R01, ... with a laptop's
prefix, so that codes handed out on different laptops of a team never clash)."""

from __future__ import annotations

import re
from collections.abc import Collection

#: letters, digits, '-' and '_', at most 20: a code is typed on paper key lists and in file names
CODE_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,20}")


def valid_code(code: str) -> bool:
    """Whether ``code`` may be used as a respondent code."""
    return CODE_PATTERN.fullmatch(code) is not None


def next_code(taken: Collection[str], prefix: str = "R") -> str:
    """The first of R01, R02, ... (with ``prefix``) not in ``taken``."""
    number = 1
    while f"{prefix}{number:02d}" in taken:
        number += 1
    return f"{prefix}{number:02d}"


#: a laptop's (interviewer's) prefix: letters and digits, at most 6, so that ``AB-R001`` still fits a code
PREFIX_PATTERN = re.compile(r"[A-Za-z0-9]{1,6}")


def code_prefix(laptop_prefix: str = "") -> str:
    """What the codes of a laptop start with: ``R``, or ``AB-R`` for the laptop prefix ``AB``."""
    return f"{laptop_prefix}-R" if laptop_prefix else "R"


def prefix_of(code: str) -> str:
    """The prefix of a code made by ``next_code`` (``AB-R`` of AB-R07, ``R`` of R07); ``R`` for any other code."""
    match = re.fullmatch(r"(.*R)\d+", code)
    return match.group(1) if match else "R"
