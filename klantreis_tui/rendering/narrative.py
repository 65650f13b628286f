"""The draft story of one interview: by phase, one paragraph a step, in varied sentences that weave in the
organisations, channels, feelings, quotes (only with consent: the step dicts hold none without it), pain points,
ideas, the moment of truth and the low and high points.

Notes are typed in a hurry ("Belt de gemeente voor een afspraak"); a note that opens with a verb gets the
respondent as its subject ("Daarna belt de respondent de gemeente voor een afspraak."), any other note stays a
sentence of its own as typed. The sentence patterns are source texts of the catalog, so each language keeps its
own word order.
"""

from __future__ import annotations

import re
from typing import Any

from klantreis_tui.i18n import t, tn, using_language
from klantreis_tui.rendering.formatting import _clause, _join, normalise
from klantreis_tui.rendering.labels import CHANNEL_ALIASES, CHANNEL_PHRASES, NUMBER_WORDS

# --- does a note open with a verb? --------------------------------------------------------------

#: Words after which a first word ending in -t is a verb, not a noun ("Belt de ...", "Meldt zich ...").
_AFTER_VERB_NL = frozenset(
    "de het een zich naar om op in met voor online zelf niet nog al geen ze hem haar hen er mee terug aan af uit bij"
    " door over te zijn u mijn alle eindelijk opnieuw weer toch pas direct meteen ondanks tijdens na sinds twee drie"
    " vier vijf zes zeven acht negen tien wel ook samen hulp bezwaar contact".split()
)
#: First words ending in -t that are not verbs.
_NOT_VERBS_NL = frozenset(
    "het dat wat met uit tot niet eerst want omdat echt net toch recht contact bericht besluit post resultaat"
    " traject loket paspoort budget moment agent wijkagent dienst start product advocaat consulent arts nacht"
    " gezicht overleg dit".split()
)
_VERBS_NL = frozenset("is kan wil mag zal ging kwam kreeg zag moest kon wilde belde".split())
_AFTER_VERB_EN = frozenset(
    "the a an his her their to for up back on in at with about online again no not that it him them out off into"
    " over down some another home help".split()
)
_NOT_VERBS_EN = frozenset("this his its thus bus news status always perhaps process access address business less yes plus as us".split())


def _opens_with_verb(text: str, lang: str) -> bool:
    """Whether ``text`` is a note without a subject that opens with a finite verb (a heuristic, kept cautious:
    a noun taken for a verb would give a wrong sentence, a verb taken for a noun only a plainer one)."""
    words = text.split()
    if not words:
        return False
    first = words[0].lower()
    if not first.isalpha():  # "Besluit:", "11:05", "DigiD-code"
        return False
    if lang == "en":
        looks, exceptions, after = first.endswith("s") or first in ("was", "had"), _NOT_VERBS_EN, _AFTER_VERB_EN
    else:
        looks, exceptions, after = first.endswith("t") or first in _VERBS_NL, _NOT_VERBS_NL, _AFTER_VERB_NL
    if not looks or first in exceptions or len(first) < 2 or not words[0][1:].islower():
        return False
    if len(words) == 1:
        return len(first) >= 4
    return words[1].lower().strip(",;:") in after


def _sentence(text: str) -> str:
    """``text`` as a sentence: capital first letter, one final mark."""
    text = " ".join(text.split())
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".?!" else text + "."


def _without_phase(description: str, phase: str) -> str:
    """The description without a leading "phase:" the interviewer typed ("besluit: besluit: ..." otherwise)."""
    text = " ".join(description.split())
    if phase and normalise(text).startswith(normalise(phase) + ":"):
        text = text.split(":", 1)[1].strip()
    return text


def _what_happened(description: str, connective: str, lang: str) -> str:
    """The step's note as a sentence, with the respondent as subject when the note opens with a verb."""
    text = _clause(description)
    if not text:
        return ""
    if not _opens_with_verb(text, lang):
        return _sentence(description.rstrip("."))
    verb, _, rest = text.partition(" ")
    rest = f" {rest}" if rest else ""
    patterns = {
        "": t("The respondent {verb}{rest}."),
        "first": t("First, the respondent {verb}{rest}."),
        "then": t("Then the respondent {verb}{rest}."),
        "next": t("Next, the respondent {verb}{rest}."),
        "after": t("After that, the respondent {verb}{rest}."),
        "finally": t("Finally, the respondent {verb}{rest}."),
    }
    return _sentence(patterns[connective].format(verb=verb.lower(), rest=rest))


def _with_subject(clause: str, lang: str) -> str:
    """A clause that opens with a verb, with the respondent as its subject ("de respondent wil ...")."""
    return f"{t('the respondent')} {clause[0].lower()}{clause[1:]}" if _opens_with_verb(clause, lang) else clause


# --- organisations and channels -----------------------------------------------------------------

#: Stems that show a note already names the channel ("Belt ..." is by phone); short ones match at a word start.
_STEMS: dict[str, tuple[str, ...]] = {
    "phone": ("bel", "telefo", "call", "phone"),
    "letter": ("brief", "letter", "post"),
    "email": ("mail",),
    "online": ("online", "website", "digitaal", "internet", "digid"),
    "webform": ("formulier", "form"),
    "desk": ("balie", "loket", "desk", "counter"),
    "sms": ("sms", "text"),
    "app": ("app",),
    "chat": ("chat",),
    "conversation": ("gesprek", "conversation", "talk", "meeting"),
    "in_person": ("fysiek", "in person"),
    "home_visit": ("huisbezoek", "home visit"),
    "video": ("beeldbel", "videobel", "video"),
}


def _channel_key(name: str) -> tuple[str | None, str]:
    """The known channel a typed name stands for (or None), and what it says besides, in brackets."""
    base, _, extra = name.partition("(")
    extra = f" ({extra.strip()}" if extra.strip() else ""
    return CHANNEL_ALIASES.get(normalise(base)), extra


def _mentions(description: str, key: str) -> bool:
    text = description.casefold()
    return any(
        (stem in text) if len(stem) >= 5 else re.search(rf"\b{re.escape(stem)}", text) is not None
        for stem in _STEMS.get(key, ())
    )


def _channel_phrase(name: str) -> str:
    key, extra = _channel_key(name)
    if key is not None:
        return t(CHANNEL_PHRASES[key]) + extra
    name = " ".join(name.split())
    return name if normalise(name).startswith("via ") else t("through {channel}", channel=name)


def _contact(step: dict[str, Any], description: str, lang: str) -> str:
    """Who the respondent dealt with and how, leaving out what the note already says."""
    said = normalise(description)
    instances = [i for i in step["instances"] if i.strip() and normalise(i) not in said]
    channels = [c for c in step["channels"] if c.strip() and not _mentions(description, _channel_key(c)[0] or "")]
    ways = _join([_channel_phrase(c) for c in channels])
    names = _join([" ".join(i.split()) for i in instances])
    if names and ways:
        return t("Contact with {instances} is {channels}.", instances=names, channels=ways)
    if names:
        return tn("The organisation involved: {names}.", "The organisations involved: {names}.", len(instances), names=names)
    if ways:
        return t("Contact is {channels}.", channels=ways)
    return ""


# --- feelings, quotes, pain points and ideas -------------------------------------------------------


def _among(step: dict[str, Any], group: list[dict[str, Any]]) -> bool:
    return any(s is step for s in group)


def _feeling(step: dict[str, Any], lows: list[dict[str, Any]], highs: list[dict[str, Any]], turn: int, lang: str) -> str:
    words = _join(step["emotion_words"])
    label = step["emotion_label"]
    if _among(step, lows) or _among(step, highs):
        low = _among(step, lows)
        group = lows if low else highs
        if words:
            if len(group) == 1:
                text = t("This is the low point of the journey: the respondent feels {words} ({label}).") if low else t("This is the high point of the journey: the respondent feels {words} ({label}).")
            else:
                text = t("This is one of the low points of the journey: the respondent feels {words} ({label}).") if low else t("This is one of the high points of the journey: the respondent feels {words} ({label}).")
            return text.format(words=words, label=label)
        if len(group) == 1:
            text = t("This is the low point of the journey ({label}).") if low else t("This is the high point of the journey ({label}).")
            return text.format(label=label)
        return (t("This is one of the low points of the journey ({label}).") if low else t("This is one of the high points of the journey ({label}).")).format(label=label)
    if words and label:
        patterns = (
            t("The respondent feels {words} ({label})."),
            t("{words}: that is how the respondent describes the feeling ({label})."),
            t("The feeling: {words} ({label})."),
        )
        return _sentence(patterns[turn % 3].format(words=words, label=label))
    if words:
        return t("The respondent feels {words}.", words=words)
    if label:
        patterns = (t("The respondent experiences this as {label}."), t("The experience is {label}."))
        return patterns[turn % 2].format(label=label)
    return ""


def _quoted(quotes: list[str], turn: int) -> str:
    """The step's quotes, the first one introduced in one of three ways."""
    texts = [" ".join(q.split()) for q in quotes if q.strip()]
    if not texts:
        return ""
    first, *more = texts
    way = turn % 3
    if way == 1:
        if first[-1] in "?!":
            sentence = t("“{quote}” the respondent says.", quote=first)
        else:
            sentence = t("“{quote}”, the respondent says.", quote=first.rstrip("."))
    else:
        closed = first if first[-1] in ".?!" else first + "."
        sentence = f"“{closed}”" if way == 0 else t("In the respondent's words: “{quote}”", quote=closed)
    return " ".join([sentence, *(f"“{q if q[-1] in '.?!' else q + '.'}”" for q in more)])


def _noted(text: str, turn: int, patterns: tuple[str, str]) -> str:
    clause = _clause(text)
    return patterns[turn % 2].format(text=clause) if clause else ""


# --- the story ------------------------------------------------------------------------------------


def _number(n: int) -> str:
    return t(NUMBER_WORDS[n - 1]) if 1 <= n <= len(NUMBER_WORDS) else str(n)


def _groups(steps: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Runs of consecutive steps in the same phase."""
    groups: list[list[dict[str, Any]]] = []
    for step in steps:
        if groups and normalise(groups[-1][-1]["phase"]) == normalise(step["phase"]):
            groups[-1].append(step)
        else:
            groups.append([step])
    return groups


def _phase_opening(index: int, count: int, phase: str) -> str:
    phase = " ".join(phase.split())
    if not phase:
        return ""
    if count == 1:
        return t("The whole journey falls in the ‘{phase}’ phase.", phase=phase)
    if index == 0:
        return t("The journey begins in the ‘{phase}’ phase.", phase=phase)
    if index == count - 1:
        return t("The last phase is ‘{phase}’.", phase=phase)
    return (t("Then comes the ‘{phase}’ phase.") if index % 2 else t("Next is the ‘{phase}’ phase.")).format(phase=phase)


def _opening(who: str, study: str, trigger: str, expectation: str, steps: list[dict[str, Any]], lang: str) -> str:
    parts = [t("This draft describes the journey of respondent {who} in the study ‘{study}’.", who=who, study=study)]
    if trigger:
        parts.append(t("The trigger: {text}.", text=_with_subject(_clause(trigger), lang)))
    if expectation:
        parts.append(t("The expectation beforehand: {text}.", text=_clause(expectation)))
    if steps:
        phases = list(dict.fromkeys(" ".join(s["phase"].split()) for s in steps if s["phase"].strip()))
        count = tn("The journey has {count} step", "The journey has {count} steps", len(steps), count=_number(len(steps)))
        if len(phases) > 1:
            count += " " + tn("in {count} phase: {names}", "in {count} phases: {names}", len(phases), count=_number(len(phases)), names=_join(phases))
        parts.append(count + ".")
    return " ".join(parts)


def _closing(lows: list[dict[str, Any]], highs: list[dict[str, Any]], lang: str) -> str:
    def where(group: list[dict[str, Any]]) -> str:
        return tn("step {numbers}", "steps {numbers}", len(group), numbers=_join([str(s["number"]) for s in group]))

    if lows and highs:
        return t(
            "The experience ranges from {low} ({low_steps}) to {high} ({high_steps}).",
            low=lows[0]["emotion_label"], low_steps=where(lows), high=highs[0]["emotion_label"], high_steps=where(highs),
        )
    if lows:
        return tn("The low point is at {steps} ({label}).", "The low points are at {steps} ({label}).", len(lows), steps=where(lows), label=lows[0]["emotion_label"])
    if highs:
        return tn("The high point is at {steps} ({label}).", "The high points are at {steps} ({label}).", len(highs), steps=where(highs), label=highs[0]["emotion_label"])
    return ""


def narrative(
    who: str,
    study: str,
    steps: list[dict[str, Any]],
    trigger: str,
    expectation: str,
    lows: list[dict[str, Any]],
    highs: list[dict[str, Any]],
    lang: str,
) -> list[str]:
    """The story's paragraphs: the opening, one paragraph a step (a new phase announced where it begins), and
    a closing line on the range of the experience."""
    with using_language(lang):
        paragraphs = [_opening(who, study, trigger, expectation, steps, lang)]
        groups = _groups(steps)
        turns = {"feeling": 0, "quote": 0, "pain": 0, "idea": 0, "connective": 0}
        rotation = ("after", "next", "then")
        said_contact = ""
        for index, group in enumerate(groups):
            opening = _phase_opening(index, len(groups), group[0]["phase"])
            for place, step in enumerate(group):
                description = _without_phase(step["description"], step["phase"])
                if step is steps[0] and len(steps) > 1:
                    connective = "first"
                elif step is steps[-1] and len(steps) > 1:
                    connective = "finally"
                elif place == 0 and opening:
                    connective = ""
                else:
                    connective = rotation[turns["connective"] % 3]
                    turns["connective"] += 1
                sentences = [opening if place == 0 else "", _what_happened(description, connective, lang)]
                if step["duration"].strip():
                    sentences.append(t("It takes {duration}.", duration=_clause(step["duration"])))
                contact = _contact(step, description, lang)
                if contact != said_contact:  # the same organisation the same way as the step before: said once
                    sentences.append(contact)
                said_contact = contact
                feeling = _feeling(step, lows, highs, turns["feeling"], lang)
                if feeling and not _among(step, lows) and not _among(step, highs):
                    turns["feeling"] += 1
                sentences.append(feeling)
                if step["moment_of_truth"]:
                    sentences.append(t("This is a moment of truth in the journey."))
                if step["quotes"]:
                    sentences.append(_quoted(step["quotes"], turns["quote"]))
                    turns["quote"] += 1
                if step["pain_point"].strip():
                    sentences.append(_noted(step["pain_point"], turns["pain"], (t("The pain point: {text}."), t("What went wrong here: {text}."))))
                    turns["pain"] += 1
                if step["opportunity"].strip():
                    sentences.append(_noted(step["opportunity"], turns["idea"], (t("What would have helped: {text}."), t("An idea for improvement: {text}."))))
                    turns["idea"] += 1
                paragraphs.append(" ".join(s for s in sentences if s))
        closing = _closing(lows, highs, lang)
        if closing:
            paragraphs.append(closing)
    return paragraphs
