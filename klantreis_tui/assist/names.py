"""Proposals to merge spellings of one organisation or channel: the assistant's aliases, then fuzzy matching.

"Belastingsdienst" -> "Belastingdienst" (a typo of a known name), "Gemeente schuldhulpverlening" ->
"Schuldhulpverlening" (the same name with a generic word more), "woningcoorporatie" -> "Woningcorporatie".
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
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
