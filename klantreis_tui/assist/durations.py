"""Durations in Dutch answers: number words ("vierentwintig", "anderhalf"), units, and what is not a duration."""

from __future__ import annotations

import re
from collections.abc import Iterator

from klantreis_tui.assist.grammar import Words

_SMALL = {"een": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8, "negen": 9}
_TEENS = {"tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14, "vijftien": 15, "zestien": 16,
          "zeventien": 17, "achttien": 18, "negentien": 19}
_TENS = {"twintig": 20, "dertig": 30, "veertig": 40, "vijftig": 50, "zestig": 60, "zeventig": 70, "tachtig": 80,
         "negentig": 90}
_NUMBER_WORDS: dict[str, float] = {**_SMALL, **_TEENS, **_TENS, "honderd": 100}
for _unit, _u in _SMALL.items():
    for _ten, _t in _TENS.items():
        _NUMBER_WORDS[f"{_unit}en{_ten}"] = _u + _t  # "vierentwintig"; "tweeëntwintig" folds to "tweeentwintig"

_WORD_NUMBER = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
_NUM = rf"(?:\d+(?:[.,]\d+)?|{_WORD_NUMBER})"
#: unit spelling -> (singular, plural, English singular, English plural)
_UNITS = {
    "minuut": ("minuut", "minuten", "minute", "minutes"),
    "minuten": ("minuut", "minuten", "minute", "minutes"),
    "min": ("minuut", "minuten", "minute", "minutes"),
    "kwartier": ("kwartier", "kwartier", "quarter of an hour", "quarters of an hour"),
    "uur": ("uur", "uur", "hour", "hours"),
    "uren": ("uur", "uur", "hour", "hours"),
    "uurtje": ("uur", "uur", "hour", "hours"),
    "dag": ("dag", "dagen", "day", "days"),
    "dagen": ("dag", "dagen", "day", "days"),
    "dagje": ("dag", "dagen", "day", "days"),
    "werkdag": ("werkdag", "werkdagen", "working day", "working days"),
    "werkdagen": ("werkdag", "werkdagen", "working day", "working days"),
    "week": ("week", "weken", "week", "weeks"),
    "weken": ("week", "weken", "week", "weeks"),
    "weekje": ("week", "weken", "week", "weeks"),
    "maand": ("maand", "maanden", "month", "months"),
    "maanden": ("maand", "maanden", "month", "months"),
    "maandje": ("maand", "maanden", "month", "months"),
    "jaar": ("jaar", "jaar", "year", "years"),
    "jaren": ("jaar", "jaar", "year", "years"),
    "jaartje": ("jaar", "jaar", "year", "years"),
}
_UNIT = "|".join(sorted(_UNITS, key=len, reverse=True))
_DURATION = re.compile(
    r"(?<![\w,.])(?:"
    rf"(?P<a>{_NUM})\s*(?:-|–|tot|à|a|of)\s*(?P<b>{_NUM})\s*"  # "8 tot 10", "2-3", "twee of drie"
    r"|(?P<anderhalf>anderhalf|anderhalve)\s*"
    rf"|(?P<nhalf>{_WORD_NUMBER})en(?:half|halve)\s+"  # "tweeënhalve" (folded)
    rf"|(?P<nand>{_NUM})\s+en\s+een\s+(?:half|halve)\s+"  # "twee en een halve"
    r"|(?P<half>(?:een\s+)?(?:half|halve))\s*"  # "een half jaar", "een halfuur"
    r"|(?P<few>(?:een\s+)?paar|enkele|een\s+aantal)\s+"
    rf"|(?P<n>{_NUM})\s*"
    rf")(?P<unit>{_UNIT})(?!\w)"
)
_UNIT_WORD = re.compile(rf"(?<!\w)(?:half)?(?:{_UNIT})(?!\w)")  # "halfuur" is one word
_APPROX = re.compile(rf"\s+of\s+(?P<approx>{_NUM})(?!\w)")  # "een week of zes"
_REACH = 6  # the longest number phrase before a unit, in words ("twee en een halve")
_TIME_OF_DAY = {"om", "rond", "tegen", "vanaf", "tot", "voor", "half"}
_FREQUENCY_AFTER = re.compile(r"\s+(?:per|a|in\s+de)\s+(?:week|maand|jaar|dag|uur|kwartaal)\b|\s+per\b")
_AGE_PEOPLE = {"zoon", "dochter", "kind", "kinderen", "jongen", "meisje", "man", "vrouw", "baby", "tweeling",
               "broer", "zus", "moeder", "vader", "neef", "nicht", "kleinzoon", "kleindochter", "jongere", "jongeren"}
_BE = {"ben", "is", "was", "werd", "word", "wordt", "zijn", "waren"}


_NUMBER_STARTS = set(_NUMBER_WORDS) | {"anderhalf", "anderhalve", "half", "halve", "paar", "enkele"}


def _could_start_number(token: str) -> bool:
    """A cheap test before the duration regex: does this word begin a number phrase?"""
    return token in _NUMBER_STARTS or token[:1].isdigit() or token.endswith(("enhalf", "enhalve", "halfuur", "halfjaar"))


def _number(text: str) -> float:
    text = text.strip()
    if text in _NUMBER_WORDS:
        return _NUMBER_WORDS[text]
    return float(text.replace(",", "."))


def _format_number(value: float, lang: str) -> str:
    if value == int(value):
        return str(int(value))
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang == "nl" else text


_UNIT_STEMS = ("min", "kwartier", "uur", "uren", "dag", "wek", "week", "maand", "jaar", "jaren")


def _unit_words(folded: str) -> list[re.Match[str]]:
    """The unit words in the text, in order; found with str.find, much cheaper than a regex scan."""
    starts: set[int] = set()
    for stem in _UNIT_STEMS:
        i = folded.find(stem)
        while i >= 0:
            begin = i
            while begin > 0 and (folded[begin - 1].isalnum() or folded[begin - 1] == "_"):
                begin -= 1
            starts.add(begin)
            i = folded.find(stem, i + 1)
    found = (_UNIT_WORD.match(folded, begin) for begin in sorted(starts))
    return [match for match in found if match is not None]


def find_durations(words: Words) -> Iterator[tuple[int, int, str, str]]:
    """(start, end, Dutch, English) of every duration; the expensive regex only runs just before unit words."""
    folded = words.folded
    done = 0
    for unit in _unit_words(folded):
        if unit.start() < done:
            continue
        # try the words before the unit as the start of the number, farthest first, so that the longest wins
        match = None
        candidates = words.starts_before(unit.start(), _REACH, 60) + [(unit.start(), unit.group())]
        for begin, token in candidates:
            if begin < done or not _could_start_number(token):
                continue
            match = _DURATION.match(folded, begin, unit.end())
            if match is not None and match.end() == unit.end():
                break
            match = None
        if match is None:
            continue
        found = _duration(match, words)
        if found is not None:
            done = found[1]
            yield found


def _duration(match: re.Match[str], words: Words) -> tuple[int, int, str, str] | None:
    """The duration of a match: span and normalised text (Dutch, English); None when it is no duration."""
    folded = words.folded
    unit = _UNITS[match["unit"]]
    before = words.before(match.start())
    after = folded[match.end() : match.end() + 30]
    approx = _APPROX.match(folded, match.end())
    start, end = match.start(), match.end()
    previous = before[-1] if before else ""
    if unit[0] == "uur" and previous in _TIME_OF_DAY:
        return None  # "om drie uur": a time of day
    if previous in ("elke", "iedere", "per") or _FREQUENCY_AFTER.match(after):
        return None  # "twee dagen per week", "elke twee weken": a frequency
    if re.match(r"\s+geleden\b", after) or (re.match(r"\s+terug\b", after) and previous not in ("na", "binnen")):
        return None  # "twee jaar geleden", "drie weken terug": a moment
    if unit[0] == "jaar":
        if re.match(r"\s+oud\b", after) or (len(before) >= 2 and before[-1] == "van" and before[-2] in _AGE_PEOPLE):
            return None  # an age
        if previous in _BE and re.match(r"\s*(?:[,.;:!?)]|en\b|$)", after):
            return None  # "ik ben 62 jaar."
    if match["few"]:
        return start, end, f"een paar {unit[1]}", f"a few {unit[3]}"
    if match["a"]:
        low, high = _number(match["a"]), _number(match["b"])
        if high <= low:
            return None  # "2019-2020 jaar"? not a range of a duration
        return (start, end, f"{_format_number(low, 'nl')}-{_format_number(high, 'nl')} {unit[1]}",
                f"{_format_number(low, 'en')}-{_format_number(high, 'en')} {unit[3]}")
    if match["anderhalf"]:
        value = 1.5
    elif match["nhalf"]:
        value = _number(match["nhalf"]) + 0.5
    elif match["nand"]:
        value = _number(match["nand"]) + 0.5
    elif match["half"]:
        value = 0.5
    else:
        value = _number(match["n"])
        if match["n"] == "een" and previous == "op" and unit[0] == "dag":
            return None  # "op een dag": one day, some day
        if approx is not None and value == 1 and match["n"] == "een":
            value = _number(approx["approx"])  # "een week of zes"
            end = approx.end()
    if value <= 0:
        return None
    nl_unit = unit[1] if value > 1 else unit[0]  # "0,5 dag", "1,5 weken"
    en_unit = unit[3] if value != 1 else unit[2]  # "0.5 days"
    return start, end, f"{_format_number(value, 'nl')} {nl_unit}", f"{_format_number(value, 'en')} {en_unit}"

