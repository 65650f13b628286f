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
