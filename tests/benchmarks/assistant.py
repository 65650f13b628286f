"""The assistant's figures: proposals for a long answer and loading the word lists, each beside a plain reference.

The reference for proposals is the same text, lower-cased, searched by one plain ``re`` alternation of the alias
words (what the assistant does at least, without grammar or durations); for loading, ``yaml`` reading the same
files (what loading does at least, without validation, merging or compiling).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import yaml

from klantreis_tui.assist import DATA_FILES, Assistant, bundled_dir

#: a long answer as an interviewer might type it during a story about debts (a little over 2,000 characters)
_SAMPLE = (
    "Het begon eigenlijk toen ik mijn baan kwijtraakte, dat was in het voorjaar. Ik had al een tijdje "
    "achterstanden maar dat viel nog mee. Daarna ging het snel: de huur kon ik niet meer betalen en de post "
    "maakte ik niet meer open, ik schaamde me gewoon. Na drie maanden stond er een deurwaarder aan de deur, dat "
    "was het moment dat ik dacht: zo kan het niet langer. Mijn zus zei dat ik naar de gemeente moest. Ik heb "
    "toen het algemene nummer gebeld, maar ik kwam steeds in een keuzemenu terecht en na twintig minuten "
    "wachten werd de verbinding verbroken. Dat vond ik echt vreselijk. Uiteindelijk heb ik via de website een "
    "formulier ingevuld voor schuldhulp, met DigiD, en toen duurde het nog zes weken voor er iemand belde. In "
    "die tijd kreeg ik ook nog een brief van het CJIB over een oude boete, en het energiebedrijf dreigde af te "
    "sluiten. Ik was in die periode echt wanhopig, ik sliep slecht en piekerde de hele nacht. Bij het eerste "
    "gesprek met de schuldhulpverlener voelde ik me eindelijk gehoord. Ze nam de tijd, legde uit hoe het "
    "traject werkt en zei dat ze contact zou opnemen met de woningcorporatie en de zorgverzekeraar. Dat was "
    "een hele opluchting. Daarna moest ik wel alles aanleveren: bankafschriften van een half jaar, loonstroken, "
    "brieven van schuldeisers. Dat was veel werk en ik snapte niet altijd wat ze precies wilden hebben. Mijn "
    "dochter heeft me geholpen om alles te scannen en te mailen. Het UWV heb ik in die tijd niet gebeld, ik "
    "wist niet dat ik recht had op een WW-uitkering. Dat hoorde ik pas later van de budgetcoach. Al met al "
    "heeft het ruim anderhalf jaar geduurd voordat alles op orde was. Nu krijg ik elke week leefgeld van de "
    "bewindvoerder en heb ik geen zorgen meer over de huur. Ik ben er best trots op dat ik het heb volgehouden, "
    "maar als ik eerder had geweten waar ik terecht kon, had dat me veel ellende bespaard. Wat had geholpen? "
    "Eén loket waar je je hele verhaal kunt doen, en iemand die je belt in plaats van een brief stuurt. "
    "En dat ze bij de gemeente gewoon naar je luisteren. "
)


TEXT = _SAMPLE[:2000]


def bench(text: str | None = None, n: int = 200, assistant: Assistant | None = None) -> float:
    """Seconds per ``propose()`` call on ``text`` (default: a 2,000-character answer), best of 5 rounds of ``n``."""
    assistant = assistant or Assistant.load()
    return _best(lambda: assistant.propose(TEXT if text is None else text), n)


def _best(call: Callable[[], object], n: int, rounds: int = 5) -> float:
    """Seconds per call, best of ``rounds`` rounds of ``n`` calls."""
    best = float("inf")
    for _ in range(rounds):
        began = time.perf_counter()
        for _ in range(n):
            call()
        best = min(best, (time.perf_counter() - began) / n)
    return best


def alias_words() -> list[str]:
    """The aliases and forms of the bundled lists as plain words: patterns reduced to their first spelling."""
    words: set[str] = set()
    for name in ("instances.yaml", "channels.yaml", "emotions.yaml"):
        data = yaml.safe_load((bundled_dir() / name).read_text(encoding="utf-8"))
        for section in ("instances", "channels", "emotions"):
            for entry in data.get(section, []):
                for alias in [entry.get("name") or entry.get("word"), *entry.get("aliases", entry.get("forms", []))]:
                    plain = re.sub(r"^\[[^\]]*\]\s*|\*|\.\.\..*$", "", alias)
                    plain = re.sub(r"\(([^|)]*)[^)]*\)", r"\1", plain)
                    if plain.strip():
                        words.add(" ".join(plain.lower().split()))
    return sorted(words, key=len, reverse=True)


def plain_search(words: list[str]) -> re.Pattern[str]:
    """One alternation of the (lower-case) words, whole words only: the reference for ``propose()``."""
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, words)) + r")(?!\w)")


def _load_uncached() -> Assistant:
    from klantreis_tui.assist import assistant as module

    module._LOADED.clear()  # loading is cached while the files stay the same: measure the first load
    return Assistant.load()


def _read_plain() -> None:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for name in DATA_FILES:
        yaml.load((bundled_dir() / name).read_text(encoding="utf-8"), Loader=loader)


def name_match(runs: int, names: int = 2000) -> tuple[float, float]:
    """Seconds per key for the name proposal while an organisation is typed, with ``names`` names in the study
    (each key a new text, so nothing remembered helps), beside one fuzzy search over the names (rapidfuzz)."""
    from rapidfuzz import fuzz, process

    from klantreis_tui.assist.names import NameMatcher, fold

    listed = ["Belastingdienst", *(f"Organisatie nummer {n}" for n in range(names - 1))]
    matcher = NameMatcher(listed, alias_of=_alias_finder())
    keys = [fold(name) for name in listed]
    typed = iter(range(10**9))
    ours = _best(lambda: matcher.propose(f"Belastingsdienst {next(typed)}"), max(1, runs))
    reference = _best(lambda: process.extractOne(f"belastingsdienst {next(typed)}", keys, scorer=fuzz.ratio), max(1, runs))
    return ours, reference


def _alias_finder() -> Callable[[str], str | None]:
    assistant = Assistant.load()
    return lambda name: next((str(p.value) for p in assistant.propose(name) if p.kind == "instance"), None)


def measure(runs: int) -> dict[str, tuple[float, float]]:
    """Seconds per call, ours and the reference's, interleaved so both see the same machine."""
    assistant = Assistant.load()
    pattern = plain_search(alias_words())
    n = max(1, runs // 5)
    propose, search, load, read = [], [], [], []
    for _ in range(5):
        propose.append(_best(lambda: assistant.propose(TEXT), n, rounds=1))
        search.append(_best(lambda: pattern.findall(TEXT.lower()), n, rounds=1))
        load.append(_best(_load_uncached, 1, rounds=1))
        read.append(_best(_read_plain, 1, rounds=1))
    return {"propose": (min(propose), min(search)), "load": (min(load), min(read)), "names": name_match(runs)}


if __name__ == "__main__":  # python -m tests.benchmarks.assistant
    figures = measure(200)
    for name, (ours, reference) in figures.items():
        print(f"{name}: {ours * 1000:.2f} ms, reference {reference * 1000:.2f} ms, ratio {ours / reference:.1f}")
