"""The name detector's figures: precision and recall on the labelled table, and its cost per key while typing.

``python -m tests.benchmarks.names`` prints both; ``python -m tests.benchmarks --only 9`` the cost beside the other
benchmarks. Precision and recall are given for the part of the table the rules were tuned on and, apart, for the
held-out part (tests/names_table.py says how rows are split). The cost is the time of one check of the answer
being typed, as the interview screen makes it on every key (``Services.personal_data_kinds`` with the study's
organisations), beside the check of the other kinds alone (BSN, IBAN, phone, e-mail, address: what the screen
checked before names were added). The detector remembers short texts it has seen (for exports); while typing
every key gives a new text, so the memory is cleared before each call here.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from klantreis_tui import pii
from klantreis_tui.assist import Assistant
from klantreis_tui.pii import detection, names
from tests import names_table

#: answers as an interviewer types them: short, typical (with a relation word, without and with a name) and long
ANSWERS = {
    "short, 60 ch": "Ik heb de gemeente gebeld maar kreeg geen antwoord terug.",
    "no name, 250 ch": (
        "Toen heb ik de gemeente gebeld, maar ik kwam in een keuzemenu terecht. Mijn dochter heeft me daarna "
        "geholpen met DigiD en het formulier op de website. Dat duurde wel twee weken, en in maart kreeg ik pas "
        "een brief van het UWV. Daarna ging het beter."
    ),
    "a name, 250 ch": (
        "Toen heb ik de gemeente gebeld, maar ik kwam in een keuzemenu terecht. Mijn buurvrouw Fatima heeft me "
        "daarna geholpen met DigiD en het formulier op de website. Dat duurde wel twee weken, en in maart kreeg "
        "ik pas een brief van het UWV."
    ),
}


def _best(call: Callable[[], object], n: int) -> float:
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(n):
            call()
        best = min(best, (time.perf_counter() - start) / n)
    return best


def other_kinds(text: str) -> list[pii.PiiKind]:
    """The check without names: what ``kinds_in`` did before (the quick test, then the five finders)."""
    if not detection.HINT.search(text):
        return []
    return list(dict.fromkeys(kind for kind, finder in detection._FINDERS for _ in finder(text)))


def per_key(n: int = 2000) -> dict[str, tuple[float, float]]:
    """Seconds per check of each answer: (every kind with names, the other kinds alone)."""
    from tests.benchmarks.assistant import TEXT

    assistant = Assistant.load()
    answers = {**ANSWERS, "long, 2,000 ch": TEXT}
    figures = {}
    for label, text in answers.items():
        count = n if len(text) < 1000 else max(1, n // 10)

        def with_names(text: str = text) -> object:
            names._remembered.cache_clear()  # every key gives a new text: nothing is remembered from the last
            stop = pii.not_names((*assistant.names("instances"), *assistant.names("channels")))
            return pii.kinds_in(text, stop)

        figures[label] = (_best(with_names, count), _best(lambda text=text: other_kinds(text), count))
    return figures


def _assistant_stop() -> pii.NotNames:
    assistant = Assistant.load()
    return pii.not_names((*assistant.names("instances"), *assistant.names("channels")))


def table_figures() -> dict[str, names_table.Score]:
    rows = names_table.rows()
    return {
        "tuned on": names_table.score([r for r in rows if not r.held_out]),
        "held out": names_table.score([r for r in rows if r.held_out]),
        "all": names_table.score(rows),
    }


def main() -> int:
    rows = names_table.rows()
    print(f"name table: {len(rows)} sentences, {sum(1 for r in rows if r.names)} with a name, "
          f"{sum(1 for r in rows if not r.names)} without")
    print(f"{'part':<10} {'rows':>5} {'names':>6} {'found':>6} {'right':>6} {'precision':>10} {'recall':>7} "
          f"{'prec. overlap':>14} {'false alarms':>13}")
    for part, s in table_figures().items():
        print(f"{part:<10} {s.rows:>5} {s.expected:>6} {s.found:>6} {s.right:>6} {s.precision:>10.3f} "
              f"{s.recall:>7.3f} {s.precision_overlap:>14.3f} "
              f"{s.sentences_flagged_without_name:>6}/{s.sentences_without_name:<6}")
    corpus = names_table.assist_corpus_texts()
    flagged = [t for t in corpus if list(pii.find_names(t, _assistant_stop()))]
    print(f"the assistant's corpus ({len(corpus)} answers written for another purpose, no person named): "
          f"{len(flagged)} flagged")
    origins = sorted({r.origin for r in rows if r.names})
    print("recall by origin (all rows): " + ", ".join(
        f"{o} {names_table.score([r for r in rows if r.origin == o]).recall:.2f}" for o in origins))
    print()
    print(f"{'cost per key':<24} {'with names':>12} {'other kinds':>12}")
    for label, (names, other) in per_key().items():
        print(f"{label:<24} {names * 1e6:>10.1f}µs {other * 1e6:>10.1f}µs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
