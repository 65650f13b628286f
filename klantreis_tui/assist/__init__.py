"""The interview assistant: proposals (organisations, channels, emotions, durations), probes and reminders.

The rooms: ``files`` (the word lists: file models, reading the bundled, user and study files, merging),
``aliases`` (the alias language and its matcher), ``text`` (folding), ``grammar`` (Dutch negation and the words
around a match), ``durations`` (Dutch number words and durations) and ``assistant`` (Assistant, Proposal).
The names below are imported on first use, so that importing this package does no work.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from klantreis_tui.assist.assistant import KINDS, Assistant, Proposal
    from klantreis_tui.assist.files import DATA_FILES, AssistDataError, bundled_dir

__all__ = ["DATA_FILES", "KINDS", "AssistDataError", "Assistant", "Proposal", "bundled_dir"]

_HOMES = {
    "DATA_FILES": "files",
    "AssistDataError": "files",
    "bundled_dir": "files",
    "KINDS": "assistant",
    "Assistant": "assistant",
    "Proposal": "assistant",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
