"""Build the name data of ``klantreis_tui/pii/data`` from Faker's locale lists: ``python -m tests.name_lists``.

Needs Faker (MIT licence; ``pip install faker``, not a dependency of klantreis) and the OpenTaal Dutch word list
(BSD or CC BY 3.0; Debian package ``wdutch``, ``/usr/share/dict/dutch``). Writes ``first_names.txt`` (first names
in Latin script from the Faker locales below), ``names_also_words.txt`` (those of them that are also common
Dutch words: in OpenTaal and chosen by hand; they count as a name only where the context says so) and ``places.txt`` (Dutch and Belgian
places, provinces and countries in Dutch, from Faker's nl_NL and nl_BE address lists, less the places that are
also common first names in the Netherlands, such as Mark and Roy). The hand-made lists ``first_names_extra.txt``
and ``not_names.txt`` are not touched.
"""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "klantreis_tui" / "pii" / "data"
WORDS = Path("/usr/share/dict/dutch")

#: Faker locales whose first names go into the list: the Netherlands and Belgium, and the origins of people who
#: live there (Maghreb, Turkey, Poland and Central Europe, the Balkans, South Asia, West and East Africa,
#: Indonesia, the Americas, Scandinavia).
LOCALES = (
    "nl_NL nl_BE fr_DZ tr_TR pl_PL en_US en_GB de_DE fr_FR es_ES pt_BR it_IT ro_RO en_IN en_PK en_KE tw_GH yo_NG "
    "ha_NG id_ID hr_HR cs_CZ hu_HU sk_SK lt_LT sv_SE da_DK es_MX az_AZ"
).split()
#: Locales whose names are common enough here that a place of the same name does not veto them.
COMMON_HERE = {"nl_NL", "nl_BE", "en_US", "en_GB"}
#: Entries of the Faker lists that are words or things rather than names in a Dutch text.
DROPPED = {
    "COmfort", "Server", "Forum", "Salami", "Corona", "Yoga", "Ramadan", "Imam", "Pastor", "Prima", "Nazi", "Om",
    "Man", "My", "Toy", "Fancy", "Mad", "Tri", "Gun", "Del", "El", "Lo", "Li", "Baba", "Dom", "Divan", "Kick",
    "Nas", "Vide", "Tan", "Tea", "Per", "Sol", "Mar", "Mare", "Rim", "Raid", "Ion", "Om", "Beste", "Constant",
    "Baptist", "Junior", "Lucky", "Innocent", "Patience", "Comfort", "Blessing", "Charity", "Prince", "Princess",
    "April", "Juni", "Juli", "Mei", "Augustus", "Summer", "Winter", "Autumn", "Dag", "Karma", "Gala",
}
#: Of the first names that OpenTaal also lists as Dutch words, those whose word is common in speech (``anders``,
#: ``ben``, ``toon``, ``roos``): chosen by hand. The rest (``abel``, ``sara``) are rare as words.
COMMON_WORDS = set(
    """Adel Allen Amber Anders Angel Aura Bas Ben Bent Beren Dan Edit Els Ernst Fleur Grit Heide Iris Job Kader Ken
    Kent Lage Leen Lex Lieve Linde Lot Marine Mate Mats Mees Merel Narcis Peer Pier Raven Rob Roman Roos Saga Steen
    Toon Tor Veer Wolf Bitten Boe Loot Mie Gene Sine""".split()
)
_LATIN = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ɏ][A-Za-zÀ-ÖØ-öø-ɏ'’-]+$")


def faker_names() -> dict[str, set[str]]:
    """Every first name of the locales, with the locales that have it."""
    names: dict[str, set[str]] = {}
    for locale in LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attr in ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary"):
            for name in getattr(provider, attr, None) or ():
                name = name.strip()
                if _LATIN.match(name) and name not in DROPPED:
                    names.setdefault(name, set()).add(locale)
    return names


def faker_places() -> set[str]:
    nl = importlib.import_module("faker.providers.address.nl_NL").Provider
    be = importlib.import_module("faker.providers.address.nl_BE").Provider
    return {*nl.cities, *be.cities, *nl.countries, *nl.provinces, *be.provinces}


def write(name: str, header: str, lines: list[str]) -> None:
    text = "".join(f"# {line}\n" for line in header.splitlines()) + "".join(f"{line}\n" for line in lines)
    (DATA / name).write_text(text, encoding="utf-8")
    print(f"{name}: {len(lines)} entries")


def main() -> int:
    import faker

    names = faker_names()
    places = faker_places()
    words = {w.strip() for w in WORDS.read_text(encoding="utf-8").splitlines()}
    source = f"Faker {faker.VERSION} (MIT licence, see LICENSE-faker.txt); made by tests/name_lists.py."
    write("first_names.txt", f"First names from the person lists of Faker locales {' '.join(LOCALES)}.\n{source}",
          sorted(names, key=str.casefold))
    extra = [line.strip() for line in (DATA / "first_names_extra.txt").read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    also = sorted({n for n in [*names, *extra] if n.casefold() in words and n in COMMON_WORDS}, key=str.casefold)
    write("names_also_words.txt",
          "First names of first_names.txt and first_names_extra.txt that are also common Dutch words: in the OpenTaal\n"
          "word list (BSD licence) and chosen by hand as common in speech (COMMON_WORDS in tests/name_lists.py).\n"
          "They count as a name only after a relation or title word, or capitalised in mid-sentence.\n" + source,
          also)
    kept = {n for n, locales in names.items() if locales & COMMON_HERE}
    write("places.txt", f"Places, provinces and countries from Faker's nl_NL and nl_BE address lists.\n{source}",
          sorted((p for p in places if p not in kept), key=str.casefold))
    return 0


if __name__ == "__main__":
    sys.exit(main())
