"""Respondent codes: what a code may look like and the next free one (R01, R02, ...)."""

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
