"""Dutch grammar for the assistant: negation, the fillers around it, and a cheap window on the words of an answer."""

from __future__ import annotations

import bisect
import re

#: words, and the punctuation that ends a clause (the only punctuation the rules look at)
TOKEN = re.compile(r"\w+|[.,;:!?()]")
_CLAUSE_END = {".", ",", ";", ":", "!", "?", "(", ")", "maar", "want", "omdat", "dus", "en", "toen", "terwijl"}
_NEGATIONS = {"niet", "geen", "nooit"}
EMOTION_NEGATIONS = _NEGATIONS | {"nauwelijks", "allerminst", "niks", "niets"}
#: words that may stand between a negation and an organisation ("niet naar het UWV", "geen contact met de")
INSTANCE_FILLERS = {
    "de", "het", "een", "t", "naar", "bij", "met", "via", "van", "voor", "aan", "tegen", "door", "meer", "ook",
    "nog", "eens", "zelf", "eerst", "even", "echt", "direct", "meteen", "gelijk", "gewoon", "contact", "of", "noch",
}
#: ... and a channel ("niet gebeld", "ze niet meer gemaild", "niet via de website")
CHANNEL_FILLERS = {
    "de", "het", "een", "t", "naar", "bij", "met", "via", "per", "meer", "ook", "nog", "eens", "zelf", "even",
    "ze", "hen", "hem", "haar", "hun", "me", "mij", "ons", "u", "jullie", "of", "noch", "echt", "gewoon",
}
#: ... and an emotion word ("niet zo blij", "er niet echt tevreden mee")
EMOTION_FILLERS = {
    "zo", "erg", "heel", "echt", "helemaal", "bepaald", "bijzonder", "meer", "er", "ook", "nog", "al", "te", "eens",
    "me", "mij", "ons", "zich", "daar", "dan", "wel", "per", "se", "of", "noch", "zomaar", "zoveel",
}
#: after "X heb ik niet": these words mean the contact happened after all ("niet kunnen bereiken", "niet terug")
_CONTACT_AFTER_ALL = {
    "meer", "kunnen", "kon", "konden", "bereiken", "bereikt", "op", "goed", "snel", "open", "lezen", "gelezen",
    "begrepen", "te", "gesnapt", "snappen", "verder", "gehoord",
}
_FIRST_PERSON = {"ik", "we", "wij"}
PRONOUNS = {"me", "mij", "ons", "zich", "je", "u", "er"}
#: intensifiers that after an emotion word belong to what follows ("blij, zo blij")
NOT_AFTER = {"zo", "veel", "iets", "wat"}
_POST_FILLERS = {"ik", "we", "wij", "heb", "hebben", "had", "hadden", "ben", "zijn", "was", "waren", "toen", "daar",
                 "er", "zelf", "ook", "nog", "dus", "ze", "hen", "hem", "die", "dat"}


class Words:
    """A folded answer, with cheap looks at the words around a match (only near matches, only when needed)."""

    def __init__(self, folded: str):
        self.folded = folded
        self._negations: list[int] | None = None

    def negation_near(self, start: int, end: int, before: int = 45, after: int = 45) -> bool:
        """Whether a negation word may stand near a match: most matches have none, and need no closer look."""
        if self._negations is None:
            positions = []
            for cue in EMOTION_NEGATIONS:  # str.find is much cheaper than another regex scan of the text
                i = self.folded.find(cue)
                while i >= 0:
                    positions.append(i)
                    i = self.folded.find(cue, i + 1)
            self._negations = sorted(positions)
        i = bisect.bisect_left(self._negations, start - before)
        return i < len(self._negations) and self._negations[i] < end + after

    def before(self, start: int, reach: int = 10) -> list[str]:
        """The tokens of the clause before ``start``, nearest last."""
        tokens = TOKEN.findall(self.folded, max(0, start - 7 * reach), start)[-reach:]
        for i in range(len(tokens) - 1, -1, -1):
            if tokens[i] in _CLAUSE_END:
                return tokens[i + 1 :]
        return tokens

    def after(self, end: int, reach: int = 8) -> list[str]:
        """The tokens of the clause after ``end``."""
        tokens = TOKEN.findall(self.folded, end, end + 7 * reach)[:reach]
        for i, token in enumerate(tokens):
            if token in _CLAUSE_END:
                return tokens[:i]
        return tokens

    def starts_before(self, start: int, reach: int, chars: int) -> list[tuple[int, str]]:
        """(position, token) of up to ``reach`` tokens within ``chars`` characters before ``start``."""
        return [(m.start(), m.group()) for m in TOKEN.finditer(self.folded, max(0, start - chars), start)][-reach:]


def negated_before(before: list[str], fillers: set[str], cues: set[str]) -> tuple[bool, list[str]]:
    """Whether a negation cue governs the word after ``before``, skipping ``fillers``; and the skipped words."""
    skipped: list[str] = []
    for token in reversed(before):
        if token in cues:
            return True, skipped
        if token in fillers:
            skipped.append(token)
            continue
        return False, skipped
    return False, skipped


def not_contacted(words: Words, start: int, end: int, fillers: set[str]) -> bool:
    """"niet naar het UWV", "de voedselbank heb ik nooit gebeld": named, but not contacted."""
    if not words.negation_near(start, end):
        return False
    before = words.before(start)
    if negated_before(before, fillers, _NEGATIONS)[0]:
        return True
    after = words.after(end)
    first_person = any(word in _FIRST_PERSON for word in before)
    for index, token in enumerate(after[:5]):
        if token in _FIRST_PERSON:
            first_person = True
        if token in ("niet", "nooit"):
            following = after[index + 1] if index + 1 < len(after) else ""
            return first_person and not following.startswith("terug") and following not in _CONTACT_AFTER_ALL
        if token not in _POST_FILLERS:
            return False
    return False

