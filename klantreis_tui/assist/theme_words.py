"""Journey words that mean one thing in many forms: a small Dutch list of what residents say about public
services, by the concern they name ("gewacht", "duurde maanden" and "wachtlijst" all say *waiting*).

Each concern lists the beginnings of the words (after folding: lower case, no accents) and a few short phrases
that say it; a word that begins with one of them names the concern. It adds to the word stems, it does not
replace them: a text names a concern as one more, weighty, word. Words that belong to several concerns
("telefoon": waiting on the line, being unreachable, a rude answer) are left out."""

from __future__ import annotations

import re
from functools import lru_cache

#: concern -> beginnings of words (or phrases) that name it
CONCERNS: dict[str, tuple[str, ...]] = {
    "wachten": ("wacht", "gewacht", "duurde", "duurt", "traag", "vertraag", "maanden lang", "weken lang"),
    "bereikbaar": ("bereikba", "onbereikba", "bandje", "bezet", "aan de lijn", "nam op", "neemt op", "terugbel",
                   "kantooruren", "keuzemenu"),
    "brief": ("brief", "brieven", "taal", "snap", "begrij", "begreep", "onbegrijp", "onduidelijk", "ingewikkeld",
              "ambtelijk", "juridisch", "moeilijk nederlands", "artikel"),
    "contactpersoon": ("contactpersoon", "contactperson", "klantmanager", "consulent", "aanspreekpunt", "dossier",
                       "dezelfde persoon", "wissel", "opnieuw vertellen", "verhaal opnieuw", "andere medewerker"),
    "digitaal": ("digid", "digitaal", "website", "site", "online", "app ", "computer", "inlog", "offline",
                 "crash", "internet", "mail"),
    "schaamte": ("schaam", "schaamte", "durf", "fraudeur", "crimineel", "buren", "als een nummer", "serieus",
                 "ongeopend", "geheim"),
    "incasso": ("incasso", "deurwaarder", "beslag", "aanmaning", "schuldeiser", "dreigbrie", "boete", "rente",
                "kosten"),
    "doorverwijzen": ("doorverw", "verwees", "verwijs", "verwezen", "kastje", "muur", "doorgestuurd",
                      "heen en weer", "naar elkaar", "instantie", "oppakken"),
    "terugbetalen": ("terugbeta", "terugvorder", "teruggevorderd", "vorderd", "vordering", "terugbetaling",
                     "gestraft", "moest terug"),
    "bejegening": ("bot ", "botte", "onbeschoft", "onvriendelijk", "neerbuigend", "toon", "respect", "afgescheept",
                   "luister", "gehoord", "keken niet", "nam de tijd", "vriendelijk", "arrogant"),
    "status": ("status", "voortgang", "update", "ontvangstbevestiging", "bericht", "geinformeerd", "informatie",
               "volgende stap", "hoe het stond", "hoe het met mijn aanvraag", "duidelijkheid", "op de hoogte"),
    "balie": ("balie", "loket", "openingstijd", "open", "gesloten", "stadhuis", "gemeentehuis", "rij ", "nummertje",
              "op afspraak"),
    "bewijs": ("papier", "bankafschrift", "afschrift", "loonstro", "document", "bewijs", "inlever", "aanlever",
               "opsturen", "opgestuurd", "kopie", "formulier", "gegevens"),
}


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    return [
        (concern, re.compile(r"(?<![a-z0-9])(?:" + "|".join(re.escape(w) for w in words) + ")"))
        for concern, words in CONCERNS.items()
    ]


def concerns(folded: str) -> set[str]:
    """The concerns a folded text names (``assist.names.fold``; a trailing space lets "bot " end a word)."""
    text = f" {folded} "
    return {concern for concern, pattern in _patterns() if pattern.search(text)}
