"""One name per organisation or channel: a study's variants (as typed) and the canonical name each stands for."""

from __future__ import annotations

from typing import Literal

from klantreis_tui.models.records import Record

#: The step fields whose names a study keeps one spelling of.
NAME_FIELDS: tuple[str, ...] = ("instances", "channels")


def name_key(name: str) -> str:
    """How two spellings are compared when they are looked up: case and spacing do not count."""
    return " ".join(name.split()).casefold()


class NameVariant(Record):
    """A spelling used in a study's steps and the canonical name the synthesis counts it under."""

    study_id: str
    field: Literal["instances", "channels"]
    variant: str
    canonical: str


def canonical_map(variants: list[NameVariant]) -> dict[str, dict[str, str]]:
    """Per field: the key of each variant to its canonical name (a chain a -> b -> c is followed to c)."""
    maps: dict[str, dict[str, str]] = {f: {} for f in NAME_FIELDS}
    for v in variants:
        maps[v.field][name_key(v.variant)] = v.canonical
    for mapping in maps.values():
        for key, canonical in list(mapping.items()):
            seen = {key}
            while name_key(canonical) in mapping and name_key(canonical) not in seen:
                seen.add(name_key(canonical))
                canonical = mapping[name_key(canonical)]
            mapping[key] = canonical
    return maps


class CanonicalNames:
    """Organisations or channels under their canonical names (``canonical``: a spelling's key, ``name_key``, to
    the name it was merged into; a spelling merged into none stays as typed, its spacing tidied). Each spelling is
    looked up once (a synthesis asks for every step)."""

    def __init__(self, canonical: dict[str, str]):
        self.canonical = canonical  # a spelling's key (name_key) to the name it was merged into
        self.known: dict[str, tuple[str, str]] = {}  # a spelling: its name and that name's key

    def _looked_up(self, typed: str) -> tuple[str, str]:
        found = self.known.get(typed)
        if found is None:
            name = " ".join(self.canonical.get(name_key(typed), typed).split())
            found = self.known[typed] = (name, name_key(name))
        return found

    def name(self, typed: str) -> str:
        """The name ``typed`` counts under ("" for a blank)."""
        return self._looked_up(typed)[0]

    def __call__(self, names: list[str]) -> list[str]:
        """A step's names under their canonical names, in order, without blanks and repeats (case and spacing
        do not count: the first spelling stays)."""
        out: list[str] = []
        keys: list[str] = []
        known = self.known
        for typed in names:
            found = known.get(typed)
            name, key = found if found is not None else self._looked_up(typed)
            if name and key not in keys:
                keys.append(key)
                out.append(name)
        return out
