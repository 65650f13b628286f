"""Proposals to merge spellings of one organisation or channel: the assistant's aliases, then fuzzy matching.

"Belastingsdienst" -> "Belastingdienst" (a typo of a known name), "Gemeente schuldhulpverlening" ->
"Schuldhulpverlening" (the same name with a generic word more), "woningcoorporatie" -> "Woningcorporatie".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any
from dataclasses import dataclass

from rapidfuzz import fuzz

#: Words that do not tell organisations apart ("gemeente schuldhulpverlening" is schuldhulpverlening).
GENERIC_WORDS = frozenset({"de", "het", "een", "van", "der", "den", "gemeente", "afdeling", "team", "loket", "the"})
#: Similarity (0-100, rapidfuzz ratio of the folded names) from which two spellings are proposed as one.
THRESHOLD = 87.0


@dataclass(frozen=True)
class MergeProposal:
    variant: str  # the spelling to count under ``canonical``
    canonical: str
    score: float  # 100 for an alias or identical core words
    reason: str  # "alias", "words" or "similar"


def fold(name: str) -> str:
    """Lower case, accents and punctuation gone, spacing single: what fuzzy matching compares."""
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(c if c.isalnum() else " " for c in text if not unicodedata.combining(c))
    return " ".join(text.split())


def core(name: str) -> str:
    """The folded name without generic words; "" when nothing else is left."""
    return " ".join(w for w in fold(name).split() if w not in GENERIC_WORDS)


def similarity(a: str, b: str) -> tuple[float, str]:
    """How alike two names are (0-100) and why: identical core words, or similar letters."""
    ca, cb = core(a), core(b)
    if ca and ca == cb:
        return 100.0, "words"
    return max(fuzz.ratio(fold(a), fold(b)), fuzz.ratio(ca, cb) if ca and cb else 0.0), "similar"


def propose_merges(
    used: list[tuple[str, int]],
    known: list[str],
    alias_of: Callable[[str], str | None] = lambda name: None,
    threshold: float = THRESHOLD,
) -> list[MergeProposal]:
    """Merges for the names a study used (with how often): each spelling towards the name it most likely means.

    The target is a name the assistant knows (its lists, or an alias of one), else the more used spelling, else
    the shorter. Names already one spelling apart only in case or spacing count as the same.
    """
    counts: dict[str, int] = {}
    spelled: dict[str, str] = {}
    for name, n in used:
        key = fold(name)
        if key:
            counts[key] = counts.get(key, 0) + n
            spelled.setdefault(key, name.strip())
    known_keys = {fold(k): k for k in known if fold(k)}

    def rank(key: str) -> tuple[int, int, int, str]:
        return (0 if key in known_keys else 1, -counts.get(key, 0), len(key), key)

    proposals: list[MergeProposal] = []
    for key in sorted(counts, key=rank):
        name = spelled[key]
        if key in known_keys:
            continue  # a known name stays itself
        target = alias_of(name)
        if target and fold(target) != key:
            proposals.append(MergeProposal(name, target, 100.0, "alias"))
            continue
        best: tuple[float, str, str] | None = None
        for other in [*known_keys, *counts]:
            if other == key or rank(other) >= rank(key):
                continue  # only towards a better candidate, so that no two names point at each other
            score, reason = similarity(key, other)
            if score >= threshold and (best is None or score > best[0]):
                best = (score, other, reason)
        if best is not None:
            canonical = known_keys.get(best[1]) or spelled[best[1]]
            proposals.append(MergeProposal(name, canonical, round(best[0], 1), best[2]))
    # a target that is itself proposed to merge: follow it, so every variant points at a final name
    final = {fold(p.variant): p.canonical for p in proposals}
    resolved = []
    for p in proposals:
        canonical, seen = p.canonical, {fold(p.variant)}
        while fold(canonical) in final and fold(canonical) not in seen:
            seen.add(fold(canonical))
            canonical = final[fold(canonical)]
        resolved.append(MergeProposal(p.variant, canonical, p.score, p.reason))
    return sorted(resolved, key=lambda p: (fold(p.canonical), fold(p.variant)))


class NameMatcher:
    """While an organisation or channel is typed: the study's name that a typed spelling most likely means.

    Built once per question from the study's names (canonical ones, most used first), its merged spellings and
    the assistant's aliases; ``propose`` then costs a few dictionary look-ups and one fuzzy search over at
    most ``limit`` names per typed part, whatever the size of the study."""

    def __init__(
        self,
        names: list[str],
        variants: dict[str, str] | None = None,
        alias_of: Callable[[str], str | None] = lambda name: None,
        threshold: float = THRESHOLD,
        limit: int = 2000,
        field: str = "instances",
    ):
        self.field = field  # the step field typed: "instances" or "channels"
        self.names: dict[str, str] = {}  # folded -> as spelled, most used first
        for name in names:
            key = fold(name)
            if key and key not in self.names and len(self.names) < limit:
                self.names[key] = name.strip()
        self.cores: dict[str, str] = {}
        for key, name in self.names.items():
            self.cores.setdefault(core(key), name)
        self.cores.pop("", None)
        self.variants = {fold(v): c for v, c in (variants or {}).items() if fold(v)}
        self.alias_of = alias_of
        self.threshold = threshold
        self._keys = list(self.names)
        self._core_keys = [core(k) for k in self._keys]
        self._memo: dict[str, str | None] = {}

    def canonical(self, typed: str) -> str | None:
        """The name ``typed`` is a near-duplicate of, or None (it is a name of the study itself, or like none)."""
        key = fold(typed)
        if not key:
            return None
        if key in self._memo:
            return self._memo[key]
        found = self._find(typed, key)
        if found is not None and fold(found) == key:
            found = None
        if len(self._memo) < 10_000:
            self._memo[key] = found
        return found

    def _find(self, typed: str, key: str) -> str | None:
        from rapidfuzz import process

        if key in self.variants:
            return self.variants[key]  # a spelling merged before
        if key in self.names:
            return None  # the study's own name
        target = self.alias_of(typed)
        if target:
            return self.variants.get(fold(target), self.names.get(fold(target), target))
        typed_core = core(key)
        if typed_core and typed_core in self.cores:
            return self.cores[typed_core]  # the same name with a generic word more or less
        best = process.extractOne(key, self._keys, scorer=fuzz.ratio, score_cutoff=self.threshold)
        if best is None and typed_core:
            best = process.extractOne(typed_core, self._core_keys, scorer=fuzz.ratio, score_cutoff=self.threshold)
        return self.names[self._keys[best[2]]] if best is not None else None

    def propose(self, text: str) -> list[tuple[int, int, str, str]]:
        """For each comma- or semicolon-separated part of ``text`` that means another name: where it is in
        ``text`` (start, end), the part as typed and the name it means."""
        found = []
        position = 0
        for part in re.split(r"([,;])", text):
            if part not in (",", ";"):
                stripped = part.strip()
                if stripped:
                    canonical = self.canonical(stripped)
                    if canonical is not None:
                        start = position + part.index(stripped)
                        found.append((start, start + len(stripped), stripped, canonical))
            position += len(part)
        return found

    def proposals(self, text: str) -> list[Any]:
        """``propose`` as the assistant's proposals (kind ``name``, the field in ``word``), for the chips."""
        from klantreis_tui.assist.assistant import Proposal

        return [
            Proposal(kind="name", value=canonical, text=typed, start=start, end=end, word=self.field)
            for start, end, typed, canonical in self.propose(text)
        ]
