"""Pairwise precision and recall of klantreis's proposals against a researcher's labels (tests/corpus/themes.yaml).

Run: ``python -m tests.corpus.measure``. Every third item (by its position in the file) is held out; thresholds
are never chosen on the held-out part. Precision: of the pairs the proposal puts together, how many the
researcher has in one theme; recall: of the researcher's pairs, how many the proposal puts together.
"""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import yaml

CORPUS = Path(__file__).with_name("themes.yaml")


def load() -> dict:
    return yaml.safe_load(CORPUS.read_text(encoding="utf-8"))


def split(items: list[tuple[str, str]]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(tuning part, held-out part): every third item is held out."""
    return [x for i, x in enumerate(items) if i % 3 != 2], [x for i, x in enumerate(items) if i % 3 == 2]


def pairwise(truth: dict[int, str], proposed: list[set[int]]) -> tuple[float, float]:
    """Precision and recall of 'same group' over all pairs of items."""
    group_of = {i: g for g, members in enumerate(proposed) for i in members}
    ours = {(a, b) for a, b in combinations(sorted(truth), 2) if a in group_of and group_of.get(b) == group_of[a]}
    theirs = {(a, b) for a, b in combinations(sorted(truth), 2) if truth[a] == truth[b]}
    precision = len(ours & theirs) / len(ours) if ours else 0.0
    recall = len(ours & theirs) / len(theirs) if theirs else 0.0
    return precision, recall


def theme_items(data: dict) -> list[tuple[str, str]]:
    return [(text, theme) for theme, texts in data["themes"].items() for text in texts]


def org_items(data: dict) -> list[tuple[str, str]]:
    return [(variant, name) for name, variants in data["organisations"].items() for variant in variants]


def measure_themes(items: list[tuple[str, str]]) -> tuple[float, float]:
    from klantreis_tui.assist.themes import propose_groups

    groups = propose_groups(list(enumerate(text for text, _ in items)))
    return pairwise({i: theme for i, (_, theme) in enumerate(items)}, [set(g.members) for g in groups])


def measure_organisations(items: list[tuple[str, str]]) -> tuple[float, float]:
    """Each spelling is proposed to merge into a name (or stays itself); a group per final name."""
    from klantreis_tui.assist import Assistant
    from klantreis_tui.assist.names import core, fold, propose_merges

    assistant = Assistant.load([])

    def alias_of(name: str) -> str | None:  # as services.names does
        found = [p for p in assistant.propose(name) if p.kind == "instance"]
        if len(found) == 1 and len(fold(found[0].text)) >= 0.8 * len(core(name) or fold(name)):
            return str(found[0].value)
        return None

    used = [(variant, 1) for variant, _ in items]
    merges = {fold(p.variant): fold(p.canonical) for p in propose_merges(used, assistant.names("instances"), alias_of)}
    target = {i: merges.get(fold(v), fold(v)) for i, (v, _) in enumerate(items)}
    groups: dict[str, set[int]] = {}
    for i, name in target.items():
        groups.setdefault(name, set()).add(i)
    return pairwise({i: name for i, (_, name) in enumerate(items)}, list(groups.values()))


def main() -> None:
    data = load()
    for label, items, measure in (("themes", theme_items(data), measure_themes),
                                  ("organisations", org_items(data), measure_organisations)):
        tune, held = split(items)
        for part, chosen in (("tuning", tune), ("held-out", held)):
            precision, recall = measure(chosen)
            print(f"{label:<14} {part:<9} {len(chosen):>4} items  pairwise precision {precision:.2f}  recall {recall:.2f}")


if __name__ == "__main__":
    main()
