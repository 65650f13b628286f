"""Person names in free Dutch text: after a relation or title word, initials with a surname, listed first names.

``NAME`` is found by three rules, each made for precision (a missed name is better than a place or an
organisation taken for one):

1. After a relation or title word (``TITLES``: zoon, dochter, buurvrouw, mevrouw, meneer, dhr., mevr., juf,
   meester, ...; ``man``, ``vrouw``, ``ex`` and ``kind`` only after ``mijn``, ``haar``, ... ; ``heer`` after
   ``de``): the next word when it is capitalised (``mevrouw Jansen``, ``dhr. El Idrissi``), with name particles
   (``meneer van der Berg``), or written in lower case when it is a listed first name that is no Dutch word
   (``mijn zoon noah``). A word of ``not_names`` stops it (``mevrouw van de Gemeente``), and so does a place
   after a relation word that is no formal title (``jonge moeder Amsterdam``, but ``meneer Horst``).
2. Initials with a surname: ``J. de Vries``, ``A.B. Yılmaz``; not ``N.B.`` or ``P.S.``, not before a word that
   starts a sentence (``B. Daarna``).
3. A first name of the lists in ``data/`` (Faker's locale lists and a hand-made supplement; see
   ``data/README.md``), capitalised, with the capitalised words that follow it as its surname (``Fatima El
   Amrani``). Not when it is, or starts, a place or a known organisation or brand (``Albert Heijn``, ``Anna
   Paulowna``, the assistant's organisations passed as ``not_names``), after a word that starts the name of an
   organisation (``Stichting Anna``, ``Sint Jozef``), when the words after it end like a
   street or an institution (``Jan van Galenstraat``, ``Juliana Kinderziekenhuis``), and at the start of a
   sentence only when the name is no Dutch word as well (``Roos belde`` is left, ``Fatima belde`` is found).

Words in capitals (``UWV``) and with a capital inside (``DigiD``) are never a first name; text in square brackets
right after ``[`` (a redaction label) is skipped. The lists are read on first use, not at import.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"

#: Relation and title words after which a capitalised word is a name.
TITLES = frozenset(
    """mevrouw mevr mw mevrouwtje meneer mnr dhr heer juf juffrouw meester dokter dr drs ir ing prof mr fam familie
    zoon zoontje zoons dochter dochtertje dochters broer broertje zus zusje zuster neef neefje nicht nichtje
    buurvrouw buurman buurjongen buurmeisje buurvrouwtje vriend vriendin vriendje vriendinnetje collega partner
    moeder vader mama papa mam pap moeders vaders oma opa tante oom schoonmoeder schoonvader schoonzus schoonbroer
    zwager schoonzoon schoondochter stiefvader stiefmoeder stiefzoon stiefdochter kleinzoon kleindochter
    echtgenoot echtgenote verloofde pleegzoon pleegdochter pleegkind pleegmoeder pleegvader baby consulent
    consulente klantmanager casemanager begeleider begeleidster hulpverlener wijkagent mentor docent leraar
    lerares genaamd heet heette""".split()
)
#: Words that are a relation only after a possessive (``mijn man``, not ``de man van de gemeente``).
_AFTER_POSSESSIVE = frozenset("man vrouw ex kind jongen meisje".split())
_POSSESSIVES = frozenset("mijn m'n m’n haar zijn z'n z’n d'r d’r onze ons je jouw uw hun".split())
#: Titles before a surname, which may be spelled like a village (``meneer Horst``, ``mevrouw De Vries``); after
#: the other relation words a place is no name (``jonge moeder Amsterdam``).
_FORMAL_TITLES = frozenset(
    "mevrouw mevr mw meneer mnr dhr heer juf juffrouw meester dokter dr drs ir ing prof mr fam familie".split()
)
#: Titles written short, that may be followed by a dot.
_SHORT_TITLES = frozenset("mevr mw mnr dhr dr drs ir ing prof mr fam".split())
#: Name particles: lower-case (or capitalised) words inside a surname.
PARTICLES = frozenset(
    "van de der den het ter ten te 't ’t el al ben bin bint da di du dos das del della le la von zu ait abu "
    "ibn ould st".split()
)
#: Initials that are abbreviations, not a person's.
_NOT_INITIALS = frozenset({"N.B.", "P.S.", "V.S.", "A.U.B.", "O.A.", "T.A.V.", "I.V.M.", "Z.S.M.", "E.D."})
#: Endings of a word that make it a street or an institution (``Galenstraat``, ``Kinderziekenhuis``), and
#: words that are one (``College``). Endings that many surnames have (dijk, weg, hof, huis, wijk) are left out.
_PLACE_SUFFIXES = (
    "straat", "laan", "plein", "gracht", "kade", "singel", "steeg", "dreef", "markt", "ziekenhuis", "kliniek",
    "school", "college", "centrum", "stichting", "gasthuis", "fonds", "instituut", "apotheek", "praktijk", "kerk",
    "moskee", "lyceum", "academie", "zaal",
)
_INSTITUTIONS = frozenset(
    "college centrum ziekenhuis kliniek school stichting fonds instituut apotheek praktijk lyceum academie".split()
)
#: Capitalised words after which a capitalised first name names an organisation or a place (``Stichting Anna``,
#: ``Sint Jozef``, ``Prinses Amalia``).
_LEADERS = frozenset(
    """stichting gemeente basisschool school college ziekenhuis kliniek centrum hotel restaurant café sint st prins
    prinses koning koningin keizer park station bureau stadsdeel kerk moskee huize villa camping""".split()
)
#: Abbreviations whose dot does not end a sentence.
_ABBREVIATIONS = frozenset("bijv bv ca nl oa dwz enz etc evt mbt ivm tav zgn incl excl vs nr tel".split())

_WORD_RE = re.compile(r"\w+(?:['’-]\w+)*")
#: Capital letters of the Latin script (Ł, Ş, Ž, İ too), for the patterns below.
_CAPITAL = "A-ZÀ-ÖØ-Þ" + "".join(c for c in map(chr, range(0x100, 0x250)) if c.isupper())
# (a pattern opens with its character class and looks behind only after it: far faster than a look-behind tried
# at every position)
_INITIALS_RE = re.compile(rf"[{_CAPITAL}](?<![\w.].)\.[ ]?(?:[{_CAPITAL}]\.[ ]?){{0,3}}")
_SENTENCE_END = frozenset(".!?:;\n•*\"“”")
_POSSESSIVE_S = re.compile(r"['’]s$")

_TRIGGERS = TITLES | _AFTER_POSSESSIVE
#: The start of every capitalised word, up to a hyphen or an apostrophe (``Jan`` of ``Jan-Willem``).
_CAPITALISED_RE = re.compile(rf"[{_CAPITAL}](?<![\w'’-].)\w*")
#: What is stripped from the ends of a word split off at white space (for the quick test of rule 1).
_PUNCTUATION = "!\"#$%&()*+,./:;<=>?@[\\]^_`{|}~“”‘’…–—«»-'"


def _read(name: str) -> list[str]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _words(phrase: str) -> tuple[str, ...]:
    return tuple(w.casefold() for w in _WORD_RE.findall(phrase))


@dataclass(frozen=True)
class NotNames:
    """Words and phrases that are no person's name (places, organisations, brands, sentence words), folded."""

    words: frozenset[str]
    places: frozenset[str]
    phrases: dict[str, tuple[tuple[str, ...], ...]] = field(hash=False, compare=False)

    def phrase_at(self, folded: list[str], i: int) -> int:
        """The number of words of the longest phrase starting at word ``i``; 0 for none."""
        best = 0
        for phrase in self.phrases.get(folded[i], ()):
            n = len(phrase)
            if n > best and tuple(folded[i : i + n]) == phrase:
                best = n
        return best


@dataclass(frozen=True)
class _Lists:
    first: frozenset[str]
    also_words: frozenset[str]
    #: the first names and the first parts of hyphenated ones (``mei`` of ``Mei-Ling``), for the quick test
    starts: frozenset[str]


@functools.cache
def _lists() -> _Lists:
    first = frozenset(n.casefold() for n in [*_read("first_names.txt"), *_read("first_names_extra.txt")])
    starts = first | {n.split("-")[0] for n in first}
    return _Lists(first, frozenset(n.casefold() for n in _read("names_also_words.txt")), starts)


def _may_hold_a_name(text: str, lists: _Lists) -> bool:
    """Quick test before the words are looked at one by one: a capitalised word that starts like a listed first
    name, initials, or a relation or title word before a capitalised word or a listed first name."""
    if any(word.casefold() in lists.starts for word in _CAPITALISED_RE.findall(text)):
        return True
    if _INITIALS_RE.search(text):
        return True
    words = [w.strip(_PUNCTUATION) for w in text.replace(".", " ").split()]  # "dhr.Jansen" too
    for i, word in enumerate(words):
        if word.lower() in _TRIGGERS:
            j = i + 1
            while j < len(words) and j - i <= 3 and words[j].lower() in PARTICLES:
                j += 1
            if j < len(words) and words[j] and (words[j][0].isupper() or words[j].lower() in lists.first):
                return True
    return False


def _fold(items: Iterable[str], into: set[str], phrases: dict[str, set[tuple[str, ...]]]) -> None:
    for entry in items:
        folded = _words(entry)
        if len(folded) == 1:
            into.add(folded[0])
            # "Wmo-loket", "Belastingdienst/Toeslagen": the parts are no names either
            into.update(part for part in re.split(r"[-/]", folded[0]) if len(part) > 1)
        elif folded:
            phrases.setdefault(folded[0], set()).add(folded)


@functools.cache
def _places() -> tuple[frozenset[str], dict[str, frozenset[tuple[str, ...]]]]:
    """The bundled places, folded once (the largest list: every ``not_names`` shares it)."""
    places: set[str] = set()
    phrases: dict[str, set[tuple[str, ...]]] = {}
    _fold(_read("places.txt"), places, phrases)
    return frozenset(places), {k: frozenset(v) for k, v in phrases.items()}


def _build(entries: Iterable[str]) -> NotNames:
    places, place_phrases = _places()
    words: set[str] = set()
    phrases: dict[str, set[tuple[str, ...]]] = {k: set(v) for k, v in place_phrases.items()}
    _fold(entries, words, phrases)
    return NotNames(frozenset(words), places, {k: tuple(v) for k, v in phrases.items()})


@functools.lru_cache(maxsize=32)
def not_names(extra: tuple[str, ...] = ()) -> NotNames:
    """The bundled places, organisations and sentence words, plus ``extra`` (for example the organisations of the
    assistant's lists); cached, so a caller may ask for it on every key."""
    return _build((*_read("not_names.txt"), *extra))


def _is_capitalised(word: str) -> bool:
    return word[0].isupper() and not word.isupper()


def _camel(word: str) -> bool:
    """A capital after the first letter of a part (``DigiD``, ``WhatsApp``), except after Mc/Mac/O'/D'."""
    for part in word.split("-"):
        inner = part[1:]
        if any(c.isupper() for c in inner) and not re.match(r"(?:Mc|Mac|[OD]['’])", part):
            return True
    return False


def _key(word: str) -> str:
    folded = word.casefold()
    return _POSSESSIVE_S.sub("", folded) if "'" in folded or "’" in folded else folded


class _Text:
    """The words of one text with their positions, and what the rules ask about them."""

    def __init__(self, text: str, stop: NotNames):
        self.text = text
        self.stop = stop
        matches = list(_WORD_RE.finditer(text))
        self.starts = [m.start() for m in matches]
        self.ends = [m.end() for m in matches]
        self.words = words = [m.group() for m in matches]
        self.folded = folded = [_key(w) for w in words]
        #: the words a rule can start at: capitalised ones and relation or title words
        self.candidates = [i for i, w in enumerate(words) if w[0].isupper() or folded[i] in _TRIGGERS]
        self.protected = self._protect()

    @functools.cached_property
    def index(self) -> dict[int, int]:
        """Word index by start position."""
        return {s: i for i, s in enumerate(self.starts)}

    def _protect(self) -> set[int]:
        """Words inside a multi-word place, organisation or brand (``Albert Heijn``, ``Leger des Heils``)."""
        protected: set[int] = set()
        phrases = self.stop.phrases
        for i in self.candidates:
            if self.folded[i] in phrases and self.words[i][0].isupper():
                n = self.stop.phrase_at(self.folded, i)
                protected.update(range(i, i + n))
        return protected

    def gap(self, i: int) -> str:
        """The text between word ``i - 1`` and word ``i``."""
        return self.text[self.ends[i - 1] if i else 0 : self.starts[i]]

    def sentence_start(self, i: int) -> bool:
        if i == 0:
            return True
        gap = self.gap(i)
        if not _SENTENCE_END.intersection(gap):
            return False
        return not (gap.strip() == "." and self.folded[i - 1] in _ABBREVIATIONS)

    def stopped(self, i: int, places: bool = False) -> bool:
        """Word ``i`` cannot be (part of) a name: a listed non-name (``places``: or a place; a surname may be one,
        as Vries and Horst are), a label in brackets, or inside a phrase (a place of several words too)."""
        return (
            self.folded[i] in self.stop.words
            or (places and self.folded[i] in self.stop.places)
            or self._compound_of_stop_word(i)
            or i in self.protected
            or self.text[self.starts[i] - 1 : self.starts[i]] == "["
        )

    def _compound_of_stop_word(self, i: int) -> bool:
        """``DigiD-helpdesk``, ``Wmo-loket``: a listed non-name with a lower-case word after a hyphen (but not
        ``Mei-Ling`` or ``Al-Hassan``)."""
        head, _, tail = self.folded[i].partition("-")
        return bool(tail) and head in self.stop.words and head not in PARTICLES and self.words[i].split("-")[1].islower()

    def joined(self, i: int) -> bool:
        """Word ``i`` follows word ``i - 1`` in the same name (one space or nothing between)."""
        return i > 0 and self.gap(i) in (" ", "")

    def surname_end(self, i: int, limit: int = 4) -> int:
        """The index after the last word of a name whose first word is ``i``: capitalised words and particles
        that lead to one follow it (``Fatima El Amrani``, ``Noah van der Berg``)."""
        end = i + 1
        j = end
        while j < len(self.words) and j - i <= limit and self.joined(j) and not self.sentence_start(j):
            k = j
            while k < len(self.words) and self.folded[k] in PARTICLES and self.joined(k) and k - j < 3:
                k += 1
            if k >= len(self.words) or not self.joined(k) or not _is_capitalised(self.words[k]) or self.stopped(k):
                break
            j = end = k + 1
        return end

    def place_word(self, i: int) -> bool:
        """Word ``i`` names a street or an institution by its ending (``Kerkstraat``, ``College``)."""
        word = self.folded[i]
        return word in _INSTITUTIONS or (word.endswith(_PLACE_SUFFIXES) and word not in _PLACE_SUFFIXES)

    def run_is_place(self, i: int) -> bool:
        """The capitalised run from word ``i`` ends like a street or an institution (``Jan van Galenstraat``,
        ``Juliana Kinderziekenhuis``, ``Willem de Zwijger College``)."""
        j = i
        while j < len(self.words) and j - i < 5 and (j == i or self.joined(j)):
            if self.folded[j] in PARTICLES and j > i:
                j += 1
                continue
            if j > i and not _is_capitalised(self.words[j]):
                return False
            if self.place_word(j):
                return True
            j += 1
        return False


def _after_title(doc: _Text, i: int, lists: _Lists) -> tuple[int, int] | None:
    """The name right after the title or relation word ``i``, as word indices (start, end)."""
    word = doc.folded[i]
    if word in _AFTER_POSSESSIVE:
        if i == 0 or doc.folded[i - 1] not in _POSSESSIVES:
            return None
    elif word == "heer":
        if i == 0 or doc.folded[i - 1] != "de":
            return None
    elif word not in TITLES:
        return None
    j = i + 1
    if j >= len(doc.words):
        return None
    gap = doc.gap(j)
    allowed = (" ", ", ", ". ", ".", "\u00a0") if word in _SHORT_TITLES else (" ", ", ", "\u00a0")
    if gap not in allowed:
        return None
    k = j
    while k < len(doc.words) and doc.folded[k] in PARTICLES and (k == j or doc.joined(k)) and k - j < 3:
        k += 1
    if k >= len(doc.words) or (k > j and not doc.joined(k)):
        return None
    name = doc.words[k]
    if not _is_capitalised(name):
        key = doc.folded[k]
        if k > j or key not in lists.first or key in lists.also_words or doc.stopped(k):
            return None
        return k, k + 1
    if doc.stopped(k, places=word not in _FORMAL_TITLES) or doc.folded[k] in TITLES or doc.run_is_place(k):
        return None
    if k > j and doc.folded[j : k] == ["van"] and doc.folded[k] in lists.first:
        j = k  # "de moeder van Sara": the name is Sara
    return j, doc.surname_end(k)


def _after_initials(doc: _Text, start: int, end: int) -> tuple[int, int] | None:
    """A surname after initials ending at character ``end``, as word indices (the initials' first word, end)."""
    initials = doc.text[start:end].replace(" ", "")
    if initials.upper() in _NOT_INITIALS:
        return None
    j = doc.index.get(end)
    if j is None:
        return None
    k = j
    while k < len(doc.words) and doc.folded[k] in PARTICLES and (k == j or doc.joined(k)) and k - j < 3:
        k += 1
    if k >= len(doc.words) or (k > j and not doc.joined(k)):
        return None
    if not _is_capitalised(doc.words[k]) or doc.stopped(k) or doc.folded[k] in TITLES or doc.run_is_place(k):
        return None
    first = doc.index[start]
    return first, doc.surname_end(k)


def _listed(doc: _Text, i: int, lists: _Lists) -> bool:
    """Word ``i`` is a listed first name, capitalised, where it may stand for a person."""
    word = doc.words[i]
    if not _is_capitalised(word) or _camel(word) or doc.stopped(i, places=True):
        return False
    key = doc.folded[i]
    if key not in lists.first:
        parts = word.split("-")
        if len(parts) < 2 or parts[0].casefold() not in lists.first or not all(p[:1].isupper() for p in parts):
            return False
    if doc.sentence_start(i) and key in lists.also_words:
        return False
    if i and doc.joined(i) and doc.folded[i - 1] in _LEADERS and _is_capitalised(doc.words[i - 1]):
        return False
    return not doc.run_is_place(i)


def find_names(text: str, stop: NotNames | None = None) -> Iterator[tuple[int, int]]:
    """The spans of person names in ``text``, in order; ``stop``: what is no name (default: ``not_names()``).

    Short texts are remembered (the last 2,048 of up to 1,000 characters): exports meet the same organisation, channel and choice
    values again and again, and the quick test of ``might_contain`` is followed by the redaction itself.
    """
    stop = stop or not_names()
    if len(text) <= _REMEMBERED_LENGTH:
        yield from _remembered(text, stop)
    else:
        yield from _spans(text, stop)


_REMEMBERED_LENGTH = 1000


@functools.lru_cache(maxsize=2048)
def _remembered(text: str, stop: NotNames) -> tuple[tuple[int, int], ...]:
    return _spans(text, stop)


def _spans(text: str, stop: NotNames) -> tuple[tuple[int, int], ...]:
    lists = _lists()
    if not _may_hold_a_name(text, lists):
        return ()
    doc = _Text(text, stop)
    found: list[tuple[int, int]] = []
    for m in _INITIALS_RE.finditer(text):
        if m.start() in doc.index:
            span = _after_initials(doc, m.start(), m.end())
            if span:
                found.append(span)
    taken = {w for a, b in found for w in range(a, b)}
    for i in doc.candidates:
        if i in taken:
            continue
        span = _after_title(doc, i, lists) if doc.folded[i] in _TRIGGERS else None
        if span is None and _listed(doc, i, lists):
            span = (i, doc.surname_end(i))
        if span is not None:
            found.append(span)
            taken.update(range(span[0], span[1]))
    return tuple((doc.starts[a], _trim(doc, b - 1)) for a, b in sorted(found))


def _trim(doc: _Text, last: int) -> int:
    """The end of word ``last`` without a possessive ``'s``."""
    word = doc.words[last]
    m = _POSSESSIVE_S.search(word)
    return doc.ends[last] - (len(m.group()) if m else 0)
