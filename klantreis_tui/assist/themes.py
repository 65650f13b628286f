"""A first grouping of pain points, ideas and quotes into themes: Dutch word stems plus fuzzy similarity, and the
concerns of a small list of journey words (``assist.theme_words``: "duurde maanden" and "wachtlijst" both say
waiting, though they share no stem).

"lang wachten", "zes weken gewacht" and "wachttijd" share the stem "wacht" (a stem of four letters or more that
begins another word's stem counts for compounds: "wacht" in "wachttijd"); stems one typo apart ("wachtijd")
count as one. Rare shared stems weigh more than common ones. The researcher accepts or changes the proposal.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from klantreis_tui.assist.names import fold
from klantreis_tui.assist.theme_words import concerns

#: Words that carry no theme (Dutch function words, and words every complaint has).
STOPWORDS = frozenset(
    """de het een en of maar dat die dit deze van voor naar met op in uit aan bij door over om te tot als dan
    niet geen wel nog al ook heel erg zeer veel weer toen nu er hier daar ik je jij u hij zij ze we wij mijn
    me mij ons onze hun hen zijn was waren is ben bent heb hebt heeft had hadden word wordt werd werden kan
    kon kun kunnen moet moest moeten zou zouden wil wilde willen ging gaat gaan kreeg krijg krijgt kregen
    komt kwam mee iets niets niemand iemand alles elke elk wat wie waar hoe waarom omdat want dus zo zelf
    echt gewoon even steeds altijd nooit keer beetje eigenlijk toch maar the a an of to""".split()
)
#: Share of an item's stem weight another item or group must have in common with it to join it.
THRESHOLD = 0.44
#: How much more a concern of the journey-word list weighs than a word stem (``assist.theme_words``).
CONCERN_WEIGHT = 3.0
#: Share of a cluster's members that must name a concern for the cluster to say it (and join the others).
CONCERN_SHARE = 0.6
#: Similarity (0-100) from which two stems of five letters or more count as one (a typo).
STEM_SIMILARITY = 86.0
_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    import snowballstemmer

    return snowballstemmer.stemmer("dutch")


def stems(text: str) -> list[str]:
    """The content stems of a text, in order: folded, function words left out, Dutch snowball stems."""
    words = [w for w in _WORD.findall(fold(text)) if w not in STOPWORDS and len(w) > 2 and not w.isdigit()]
    return [s for s in _stemmer().stemWords(words) if len(s) > 2]


@dataclass(frozen=True)
class Group:
    """Proposed theme: a name (its most telling word) and the keys of its members."""

    name: str
    members: tuple[Hashable, ...]


def _vocabulary(all_stems: set[str]) -> dict[str, set[str]]:
    """Each stem and the stems it stands for too: itself, shorter stems that begin it (compounds), and stems
    one typo away (the shorter, or alphabetically first, of the two, so that both map to the same one)."""
    ordered = sorted(all_stems, key=lambda s: (len(s), s))
    expanded: dict[str, set[str]] = {s: {s} for s in ordered}
    for i, s in enumerate(ordered):
        for t in ordered[:i]:
            if len(t) >= 4 and s.startswith(t) and len(s) - len(t) >= 3:
                expanded[s].add(t)
            elif len(t) >= 5 and abs(len(s) - len(t)) <= 2 and fuzz.ratio(s, t) >= STEM_SIMILARITY:
                expanded[s].add(t)
    return expanded


def propose_groups(
    items: Sequence[tuple[Hashable, str]], threshold: float = THRESHOLD, concern_weight: float = CONCERN_WEIGHT,
    join_concerns: bool = True,
) -> list[Group]:
    """Group ``items`` (key, text) into proposed themes, largest first; an item alike no other is left out."""
    per_item = [(key, stems(text)) for key, text in items]
    vocab = _vocabulary({s for _, ss in per_item for s in ss})
    features = [
        (key, (set().union(*(vocab[s] for s in ss)) if ss else set()) | {f"@{c}" for c in concerns(fold(text))})
        for (key, ss), (_, text) in zip(per_item, items)
    ]
    df = Counter(f for _, fs in features for f in fs)
    n = max(1, len(features))

    # each feature's weight, once: a stem only one item has links nothing
    weights = {
        f: 0.0 if count <= 1 else math.log(1 + n / count) * (concern_weight if f.startswith("@") else 1.0)
        for f, count in df.items()
    }
    weight = weights.__getitem__

    clusters: list[dict] = []
    order = sorted(range(len(features)), key=lambda i: -sum(weight(f) for f in features[i][1]))
    for i in order:
        key, fs = features[i]
        total = sum(weight(f) for f in fs)
        if total <= 0:
            continue
        best, best_score = None, 0.0
        for cluster in clusters:
            shared = sum(weight(f) * min(1.0, cluster["stems"][f] / len(cluster["members"]) * 2) for f in fs if f in cluster["stems"])
            score = shared / total
            if score > best_score:
                best, best_score = cluster, score
        if best is not None and best_score >= threshold:
            best["members"].append(key)
            best["stems"].update(fs)
            best["texts"].append(i)
        else:
            clusters.append({"members": [key], "stems": Counter(fs), "texts": [i]})
    clusters = _joined_by_concern(clusters, [fs for _, fs in features]) if join_concerns else clusters
    groups = []
    for cluster in clusters:
        if len(cluster["members"]) < 2:
            continue
        # named after its most telling word stem (a concern only when the texts share no stem)
        words = [f for f in cluster["stems"] if not f.startswith("@")] or list(cluster["stems"])
        common = max(words, key=lambda f: (cluster["stems"][f] * weight(f), -len(f), f))
        name = common[1:] if common.startswith("@") else _surface(common, [items[i][1] for i in cluster["texts"]])
        groups.append(Group(name, tuple(cluster["members"])))
    return sorted(groups, key=lambda g: (-len(g.members), g.name))


def _joined_by_concern(clusters: list[dict], features: list[set[str]]) -> list[dict]:
    """Clusters that say one concern (most of their members name it) become one; an item left alone joins the
    cluster of the one concern it names. The stems split a concern by its words ("deurwaarder", "beslag"):
    the concern is the theme a researcher would choose."""
    def dominant(cluster: dict) -> str | None:
        counts = Counter(f for i in cluster["texts"] for f in features[i] if f.startswith("@"))
        if not counts:
            return None
        concern, count = counts.most_common(1)[0]
        if len(cluster["members"]) == 1:
            return concern if len(counts) == 1 else None
        return concern if count >= CONCERN_SHARE * len(cluster["members"]) else None

    by_concern: dict[str, dict] = {}
    joined: list[dict] = []
    for cluster in sorted(clusters, key=lambda c: -len(c["members"])):
        concern = dominant(cluster)
        target = by_concern.get(concern) if concern else None
        if target is None:
            joined.append(cluster)
            if concern and len(cluster["members"]) > 1:
                by_concern[concern] = cluster
            continue
        target["members"].extend(cluster["members"])
        target["stems"].update(cluster["stems"])
        target["texts"].extend(cluster["texts"])
    return joined


def _surface(stem: str, texts: list[str]) -> str:
    """The word most used in ``texts`` whose stem begins with ``stem``: a readable theme name."""
    words = Counter(
        w for text in texts for w in _WORD.findall(fold(text))
        if w not in STOPWORDS and _stemmer().stemWord(w).startswith(stem)
    )
    return words.most_common(1)[0][0] if words else stem
