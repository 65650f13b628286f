"""Question sets kept parsed in the user's cache folder, so that a start does not read their YAML again.

One file per question-set text, named by the checksum of the file's bytes: a line that names what parsed it
(klantreis's and pydantic's versions, and the checksum of the code in ``_MADE_BY``), then the validated set as
JSON. A changed file has another checksum, changed code another first line; either way the set is parsed from
its YAML again. What is read from the cache is validated by the same model as a set parsed from YAML: an
entry that is damaged, or does not read as a valid set, is parsed again (the file-level checks with line
numbers, limits and references, ran when the entry was made; the cache is the user's own folder, written
only by klantreis, readable by the user only). Only sets that parsed without a problem are kept, so every
problem is still found and worded in the language of the day. Nothing here can fail a load: a folder that
cannot be written is left alone.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

import pydantic
from pydantic import ValidationError

from klantreis_tui.models.question_set import QuestionSet


@lru_cache(maxsize=1)
def _magic() -> bytes:
    from klantreis_tui import __version__

    here = Path(__file__).parent
    made_by = b"".join((here / name).read_bytes() for name in _MADE_BY)
    return f"klantreis question set {__version__} {pydantic.VERSION} {hashlib.sha256(made_by).hexdigest()[:16]}\n".encode()


#: the code that makes a question set of a file's bytes (a change to any of it parses every set again)
_MADE_BY = (
    "question_set_cache.py", "question_sets.py", "yamlfile.py", "models/question_set.py", "models/patterns.py",
    "models/steps.py",
)


def _folder() -> Path:
    from klantreis_tui.paths import user_cache_dir

    return user_cache_dir() / "question_sets"


def _entry(raw: bytes) -> Path:
    return _folder() / f"{hashlib.sha256(raw).hexdigest()}.json"


def cached(raw: bytes) -> QuestionSet | None:
    """The set parsed earlier from these bytes, or None (not kept, another version, damaged)."""
    try:
        magic = _magic()
        data = _entry(raw).read_bytes()
    except OSError:
        return None
    if not data.startswith(magic):
        return None
    try:
        return QuestionSet.model_validate_json(data[len(magic) :])
    except (ValidationError, ValueError):
        return None


def keep(raw: bytes, question_set: QuestionSet) -> None:
    """Keep the set parsed from ``raw`` (only if it reads back as the same set)."""
    try:
        text = question_set.model_dump_json(by_alias=True).encode()
        if QuestionSet.model_validate_json(text) != question_set:
            return
    except (ValidationError, ValueError):
        return
    import tempfile

    path = _entry(raw)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")  # readable by this user only
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(_magic() + text)
        os.replace(partial, path)  # whole or not at all, also with two processes or threads at once
    except OSError:
        try:
            os.unlink(partial)
        except OSError:
            pass
