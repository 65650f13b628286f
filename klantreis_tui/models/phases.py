"""A study's ordered phases: choosing one by number or name, adding one in place, ordering what steps used."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from klantreis_tui.models.names import name_key

#: Phases proposed when neither the study nor the question set names any, in the order of a journey.
DEFAULT_PHASES: tuple[str, ...] = ("oriëntatie", "aanvraag", "wachten", "besluit", "nazorg")


@lru_cache(maxsize=4096)  # a synthesis asks it for every step: the same few phases a hundred thousand times
def phase_key(name: str) -> str:
    """How two spellings of a phase are compared: case, spacing and accents do not count ("orientatie" is
    "oriëntatie": on a laptop keyboard the diaeresis is often left out)."""
    folded = unicodedata.normalize("NFKD", name_key(name))
    return "".join(ch for ch in folded if not unicodedata.combining(ch))


def parse_phases(text: str) -> list[str]:
    """A typed list of phases ("oriëntatie, aanvraag; wachten"): in order, blanks and repeats left out."""
    names = [" ".join(part.split()) for part in text.replace(";", ",").split(",")]
    return unique_phases(names)


def unique_phases(names: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for name in names:
        name = " ".join(name.split())
        if name and phase_key(name) not in seen:
            seen[phase_key(name)] = name
    return list(seen.values())


def resolve_phase(phases: list[str], raw: str) -> tuple[str, bool]:
    """The phase meant by ``raw``: its number in the list ("2"), or its name in any case.

    Returns (name, known): a known phase in the study's spelling, else the typed text, tidied, and False.
    """
    text = " ".join(str(raw).split())
    if text.isdigit() and 1 <= int(text) <= len(phases):
        return phases[int(text) - 1], True
    for phase in phases:
        if phase_key(phase) == phase_key(text):
            return phase, True
    return text, False


def with_phase(phases: list[str], name: str, index: int) -> list[str]:
    """The list with ``name`` inserted before position ``index`` (0: first; len: last); a known one is kept."""
    if any(phase_key(p) == phase_key(name) for p in phases):
        return list(phases)
    index = max(0, min(index, len(phases)))
    return [*phases[:index], " ".join(name.split()), *phases[index:]]


def merged_phases(ours: list[str], theirs: list[str]) -> list[str]:
    """Our phases in our order, then theirs that we lack, each after the phase it follows in their list."""
    result = list(ours)
    for position, name in enumerate(theirs):
        if any(phase_key(p) == phase_key(name) for p in result):
            continue
        before = [phase_key(p) for p in theirs[:position]]
        keys = [phase_key(p) for p in result]
        after = max((keys.index(k) for k in before if k in keys), default=-1)
        result.insert(after + 1, name)
    return result


def phase_order(phases: list[str], used: Iterable[str]) -> list[tuple[str, bool]]:
    """Every phase to show, in order: the study's phases first (in its order), then those the steps used that
    are not in the list (in the order first used), each with whether it is in the study's list. An empty
    phase is left to the caller."""
    order = [(p, True) for p in phases]
    keys = {phase_key(p) for p in phases}
    for name in used:
        key = phase_key(name)
        if key and key not in keys:
            keys.add(key)
            order.append((" ".join(name.split()), False))
    return order
