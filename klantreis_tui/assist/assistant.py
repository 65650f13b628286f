"""The interview assistant: proposes organisations, channels, emotion scores and durations found in typed answers.

Everything is offline and deterministic: word lists in YAML (``files``) plus a few rules of Dutch grammar
(``grammar``, ``durations``), matched with one precompiled regular expression per kind (``aliases``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from klantreis_tui.assist.aliases import Matcher
from klantreis_tui.assist.durations import find_durations
from klantreis_tui.assist.files import (
    DATA_FILES,
    EmotionData,
    EntryData,
    ProbesFile,
    Source,
    canonical_names,
    data_files,
    file_signature,
    merge_emotions,
    merge_entries,
    merge_probes,
    read_source,
)
from klantreis_tui.assist.grammar import (
    CHANNEL_FILLERS,
    EMOTION_FILLERS,
    EMOTION_NEGATIONS,
    INSTANCE_FILLERS,
    NOT_AFTER,
    PRONOUNS,
    TOKEN,
    Words,
    negated_before,
    not_contacted,
)
from klantreis_tui.assist.text import fold
from klantreis_tui.i18n import current_language, t
from klantreis_tui.models.records import EMOTION_MIN

KINDS = ("instance", "channel", "emotion", "duration")
#: A name typed right after an organisation that the lists do not know as a team of it: an abbreviation
#: ("Gemeente EZ", "UWV WSP") or a capitalised word ("Gemeente Zaanstad").
_NOT_TEAMS = frozenset(
    "ik je jij u hij zij ze we wij jullie het de een en of maar toen daarna dan die dat dit er wat waar want ook nog"
    " niet geen in op met van voor na bij naar om tot uit over via als i you he she we they it the a an and or but then"
    " in on at with for to from of by via".split()
)
_TEAM = re.compile(r" (?:[A-Z][A-Z0-9&]{1,5}|[A-Z][a-zà-ÿ]+(?:-[A-Z][a-zà-ÿ]+)?)(?![\w-])")

# --- proposals ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Proposal:
    """Something the assistant found in an answer, for the interviewer to accept or dismiss."""

    kind: str  # "instance" | "channel" | "emotion" | "duration"
    value: str | int  # canonical name; emotion score (-2..2); duration as normalised text ("6 weken")
    text: str  # the matched span as typed
    start: int
    end: int
    word: str = ""  # emotion: the emotion word ("boos" for "boze"); a negation as typed ("niet blij", "geen zorgen meer")
    #: the value as shown in the English interface, where it differs (not part of equality)
    en: str = field(default="", compare=False)

    def label(self, lang: str = "nl") -> str:
        """Short chip text: "UWV", "telefoon", "boos → -2", "6 weken"."""
        if self.kind == "emotion":
            score = int(self.value)
            return f"{self.word or self.text} → {score:+d}" if score else f"{self.word or self.text} → 0"
        if lang == "en" and self.en:
            return self.en
        return str(self.value)


# --- compiled data -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Target:
    """What an organisation's or channel's alias stands for."""

    kind: str
    value: str
    en: str
    parent: str | None
    owner: str = ""


@dataclass(frozen=True)
class _Emotion:
    """What an emotion form stands for."""

    word: str
    score: int
    owner: str = ""


# --- the assistant -----------------------------------------------------------------------------------------------


class Assistant:
    """Finds organisations, channels, emotions and durations in answers, and suggests probes and reminders."""

    def __init__(self, instances: Matcher, channels: Matcher, emotions: Matcher, intensifiers: set[tuple[str, ...]],
                 downtoners: set[tuple[str, ...]], probes: ProbesFile, parents: dict[tuple[str, str], str],
                 names: dict[str, list[str]] | None = None):
        self._matchers = {"instance": instances, "channel": channels}
        self._emotions = emotions
        self._intensifiers = intensifiers
        self._downtoners = downtoners
        self._probes = probes
        self._parents = parents
        self._names = names or {}
        self._emotion_fillers = EMOTION_FILLERS | _flat(intensifiers)
        self._short = probes.short_answer_words if probes.short_answer_words is not None else 6
        vague = sorted({fold(v).strip() for v in probes.vague if v.strip()}, key=len, reverse=True)
        self._vague = re.compile(
            r"(?<!\w)(?:" + "|".join(r"\s+".join(map(re.escape, v.split())) for v in vague) + r")(?!\w)"
            if vague else r"(?!x)x"
        )

    # -- loading --

    @classmethod
    def load(cls, extra_dirs: Iterable[Path] = ()) -> Assistant:
        """The bundled lists, extended and overridden by the files of the same names in ``extra_dirs``, in order."""
        files = data_files(extra_dirs)
        signature = tuple(file_signature(path) for path, _ in files)
        cached = _LOADED.get(signature)
        if cached is not None:
            return cached
        sources: dict[str, list[Source]] = {name: [] for name in DATA_FILES}
        for path, bundled in files:
            sources[path.name].append(read_source(path, path.name if bundled else str(path)))

        names: dict[str, list[str]] = {}

        def build(name: str, section: str, kind: str) -> tuple[Matcher, dict[tuple[str, str], str]]:
            merged: dict[str, EntryData] = {}
            for source in sources[name]:
                merge_entries(merged, source, section)
            canonical = {fold(e.name): e.name for e in merged.values()}
            names[section] = canonical_names(merged)
            matcher = Matcher()
            parents: dict[tuple[str, str], str] = {}
            for entry in merged.values():
                parent = None
                if entry.part_of:
                    parent = canonical.get(fold(entry.part_of))
                    if parent is None and entry.source is not None:
                        problem = t("part_of names '{name}', which is not in the list", name=entry.part_of)
                        raise entry.source.error(entry.path + ("part_of",), problem)
                    parents[(kind, entry.name)] = parent or ""
                target = _Target(kind, entry.name, entry.en, parent, owner=entry.name)
                for alias, source, path in entry.aliases:
                    matcher.add(alias, target, source, path, entry.name)
            for source in sources[name]:
                for index, phrase in enumerate(source.model.ignore):
                    matcher.add(phrase, None, source, ("ignore", index), "")
            matcher.compile()
            return matcher, parents

        instances, parents = build("instances.yaml", "instances", "instance")
        channels, channel_parents = build("channels.yaml", "channels", "channel")
        parents.update(channel_parents)

        emotion_data: dict[str, EmotionData] = {}
        intensifiers: set[tuple[str, ...]] = set()
        downtoners: set[tuple[str, ...]] = set()
        for source in sources["emotions.yaml"]:
            merge_emotions(emotion_data, source)
            intensifiers |= {tuple(fold(w).split()) for w in source.model.intensifiers if w.strip()}
            downtoners |= {tuple(fold(w).split()) for w in source.model.downtoners if w.strip()}
        emotions = Matcher()
        for data in emotion_data.values():
            target = _Emotion(data.word, int(data.score or 0), owner=data.word)
            for form, source, path in data.forms:
                emotions.add(form, target, source, path, data.word)
        for source in sources["emotions.yaml"]:
            for index, phrase in enumerate(source.model.ignore):
                emotions.add(phrase, None, source, ("ignore", index), "")
        emotions.compile()

        probes = merge_probes(sources["probes.yaml"])
        assistant = cls(instances, channels, emotions, intensifiers, downtoners, probes, parents, names)
        while len(_LOADED) >= 32:
            _LOADED.pop(next(iter(_LOADED)))
        _LOADED[signature] = assistant
        return assistant

    def names(self, field: str) -> list[str]:
        """The canonical names for completing a step field, ``"instances"`` or ``"channels"``: those of the loaded
        lists (bundled, then the user's and the study's additions, in file order); ``[]`` for any other field."""
        return list(self._names.get(field, ()))

    # -- proposals --

    def propose(self, text: str) -> list[Proposal]:
        """What the answer mentions: one proposal per kind and value, in the order of the text."""
        if not text:
            return []
        folded = fold(text)
        words = Words(folded)
        # hits as plain tuples (start, order of kind, kind, value, end, word, English); proposals are made last
        found: list[tuple[int, int, str, Any, int, str, str]] = []
        for order, (kind, matcher) in enumerate(self._matchers.items()):
            fillers = INSTANCE_FILLERS if kind == "instance" else CHANNEL_FILLERS
            hits = matcher.find(folded)
            starts = {hit[0] for hit in hits}
            for start, end, target in hits:
                if not_contacted(words, start, end, fillers):
                    continue
                team = _TEAM.match(text, end) if kind == "instance" else None
                if team and end + 1 not in starts and team.group().strip().casefold() not in _NOT_TEAMS:  # "Gemeente EZ": a team the lists do not know, kept as typed
                    typed = " ".join(text[start:team.end()].split())
                    found.append((start, order, kind, typed, team.end(), "", ""))
                else:
                    found.append((start, order, kind, target.value, end, "", target.en))
        found.extend(self._find_emotions(text, words))
        for start, end, dutch, english in find_durations(words):
            found.append((start, 3, "duration", dutch, end, "", english))
        # a team makes its organisation redundant: "het KCC van de gemeente" is the KCC
        present = {(hit[2], hit[3]) for hit in found}
        redundant = {(kind, parent) for (kind, child), parent in self._parents.items() if (kind, child) in present}
        found.sort(key=lambda hit: (hit[0], hit[1]))
        seen: set[tuple[str, Any]] = set()
        out: list[Proposal] = []
        for start, _, kind, value, end, word, english in found:
            if (kind, value) in seen or (kind, value) in redundant:
                continue
            seen.add((kind, value))
            out.append(Proposal(kind, value, text[start:end], start, end, word=word, en=english))
        return out

    def _find_emotions(self, text: str, words: Words) -> list[tuple[int, int, str, Any, int, str, str]]:
        folded = words.folded
        hits = self._emotions.find(folded)
        out: list[tuple[int, int, str, Any, int, str, str]] = []
        boost_next = False
        previous_negated = False
        previous_end = -1
        for index, (start, end, emotion) in enumerate(hits):
            following = hits[index + 1] if index + 1 < len(hits) else None
            single = tuple(folded[start:end].split())
            if following is not None and single in self._intensifiers and not folded[end : following[0]].strip():
                boost_next = True  # "verschrikkelijk boos": the first word only makes the second stronger
                continue
            before = words.before(start)
            negated, skipped = negated_before(before, self._emotion_fillers, EMOTION_NEGATIONS)
            if not negated and previous_negated and re.fullmatch(r"\s*(?:of|noch)\s*", folded[previous_end:start]):
                negated = True  # "niet boos of verdrietig"
            inside = TOKEN.findall(folded[start:end])[:-1]
            context = before + inside
            score = emotion.score
            word = emotion.word
            if negated:
                after = words.after(end)
                no_longer = "meer" in skipped or (after[:1] == ["meer"])
                cue = next(tok for tok in reversed(before) if tok in EMOTION_NEGATIONS)
                if score > 0:
                    score = -1
                elif score < 0:
                    score = 1 if no_longer else 0
                # the words as typed, from the negation on: "niet blij", "niet zo blij", "geen zorgen meer"
                begin = folded.rfind(cue, max(0, start - 80), start)
                word = " ".join(text[begin:end].lower().split())
                if after[:1] == ["meer"]:
                    word += " meer"
            elif score:
                later = [tok for tok in words.after(end, 3) if tok not in PRONOUNS]  # "schaamde me enorm"
                if boost_next or self._ends_with(context, self._intensifiers) or (
                    later[:1] and (later[0],) in self._intensifiers and later[0] not in NOT_AFTER
                ):
                    score = max(-2, min(2, score * 2))
                elif self._ends_with(context, self._downtoners, reach=2):
                    score = 1 if score > 0 else -1
            boost_next = False
            previous_negated, previous_end = negated, end
            out.append((start, 2, "emotion", score, end, word, ""))
        return out

    @staticmethod
    def _ends_with(context: list[str], phrases: set[tuple[str, ...]], reach: int = 3) -> bool:
        """Whether one of the phrases (of up to three words) ends the context, but for up to ``reach`` fillers."""
        for cut in range(len(context), max(-1, len(context) - reach - 1), -1):
            tail = context[:cut]
            if tuple(tail[-1:]) in phrases or tuple(tail[-2:]) in phrases or tuple(tail[-3:]) in phrases:
                return True
            if cut == 0 or context[cut - 1] not in EMOTION_FILLERS:
                return False
        return False

    # -- probes and reminders --

    def probes(self, answer: str, proposals: list[Proposal], question_probes: list[str]) -> list[str]:
        """Probes after a short, vague or strongly negative answer (the question's own first); else []."""
        lang = current_language()
        strongly_negative = any(
            p.kind == "emotion" and isinstance(p.value, int) and p.value <= EMOTION_MIN for p in proposals
        )
        if not strongly_negative and not self.is_thin(answer):
            return []
        texts = [q for q in question_probes if q]
        if strongly_negative:
            texts += [p.get(lang) for p in self._probes.negative]
        texts += [p.get(lang) for p in self._probes.general]
        return list(dict.fromkeys(texts))

    def is_thin(self, answer: str) -> bool:
        """Whether an answer says little: fewer words than the threshold once vague phrases are taken out."""
        rest = self._vague.sub(" ", fold(answer or ""))
        return len(re.findall(r"\w+", rest)) < self._short

    def missing_reminder(self, instances: list[str], channels: list[str]) -> str | None:
        """A reminder when a step about to be closed has no organisation or no channel; else None."""
        lang = current_language()
        reminders = self._probes.reminders
        assert reminders is not None
        if not instances and not channels:
            return reminders.both.get(lang)
        if not instances:
            return reminders.instance.get(lang)
        if not channels:
            return reminders.channel.get(lang)
        return None


#: assistants already built, by the files they came from (an assistant does not change once built)
_LOADED: dict[tuple[tuple[str, int, int], ...], Assistant] = {}


def _flat(phrases: set[tuple[str, ...]]) -> set[str]:
    return {word for phrase in phrases for word in phrase}

