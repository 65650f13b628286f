"""The interview assistant: proposes organisations, channels, emotion scores and durations found in typed answers.

Everything is offline and deterministic: word lists in YAML plus a few rules of Dutch grammar, matched with one
precompiled regular expression per kind.

Data files
----------
The bundled lists live in ``klantreis_tui/assist_data/``:

- ``instances.yaml``: organisations, teams and roles (``instances:`` entries with ``name``, ``aliases``,
  optional ``part_of`` and ``en``), plus ``ignore:`` phrases;
- ``channels.yaml``: the same shape under ``channels:``;
- ``emotions.yaml``: ``emotions:`` entries with ``word``, ``score`` (-2..2) and ``forms``, plus ``intensifiers``,
  ``downtoners`` and ``ignore``;
- ``probes.yaml``: ``general`` and ``negative`` probes (``nl``/``en``), ``vague`` phrases,
  ``short_answer_words`` and the ``reminders`` (``instance``, ``channel``, ``both``).

The syntax of aliases and forms is described at the top of ``instances.yaml``. Every file is validated strictly:
an unknown key, a wrong type or a broken alias raises :class:`AssistDataError` naming the file, the line and the key.

Your own lists
--------------
``Assistant.load(extra_dirs)`` reads the bundled files first, then, for every folder in ``extra_dirs`` in order,
the files of the same names found there (the app passes the user's assistant folder, then the study's own
subfolder). A file there holds only what it adds or changes:

- an entry whose ``name`` (``word`` for emotions) is new is added;
- an entry whose name exists extends it: its ``aliases`` (``forms``) are added, ``en``, ``part_of`` and ``score``
  replace the old values when given; with ``replace: true`` the aliases (forms) replace the old ones instead;
  with ``disabled: true`` the entry is removed;
- ``ignore``, ``intensifiers``, ``downtoners`` and ``vague`` are added to;
- ``general`` and ``negative`` probes are put before the bundled ones; ``short_answer_words`` and ``reminders``
  replace the bundled values when given.

For example, a study folder with this ``instances.yaml`` adds a local organisation and teaches the assistant a
local name of the gemeente's debt team::

    instances:
      - name: Stichting Op Orde
        aliases: [op orde]
      - name: Schuldhulpverlening
        aliases: [geldzaken]
"""

from __future__ import annotations

import bisect
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from klantreis_tui.i18n import t
from klantreis_tui.models.records import EMOTION_MAX, EMOTION_MIN

__all__ = ["DATA_FILES", "KINDS", "AssistDataError", "Assistant", "Proposal", "bench", "bundled_dir"]

DATA_FILES = ("instances.yaml", "channels.yaml", "emotions.yaml", "probes.yaml")
KINDS = ("instance", "channel", "emotion", "duration")


def bundled_dir() -> Path:
    """The folder of the bundled word lists."""
    return Path(__file__).resolve().parent / "assist_data"


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


# --- errors ------------------------------------------------------------------------------------------

def _msg(key: str, **values: Any) -> str:
    return t(f"assist.{key}", **values)


class AssistDataError(Exception):
    """A word-list file of the assistant has a problem; the message names the file, line and key."""

    def __init__(self, file: str, key: str, problem: str, line: int | None = None):
        self.file, self.key, self.problem, self.line = file, key, problem, line
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {key}: {problem}" if key else f"{where}: {problem}")


# --- file models (strict: unknown keys are errors) -------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class _Text(_Strict):
    nl: str = Field(min_length=1)
    en: str = ""

    def get(self, lang: str) -> str:
        return (self.en if lang == "en" else self.nl) or self.nl


class _Entry(_Strict):
    """An organisation or a channel."""

    name: str = Field(min_length=1)
    aliases: list[str] = []
    en: str | None = None
    part_of: str | None = None
    replace: bool = False
    disabled: bool = False


class _InstancesFile(_Strict):
    instances: list[_Entry] = []
    ignore: list[str] = []


class _ChannelsFile(_Strict):
    channels: list[_Entry] = []
    ignore: list[str] = []


class _EmotionEntry(_Strict):
    word: str = Field(min_length=1)
    score: int | None = Field(default=None, ge=EMOTION_MIN, le=EMOTION_MAX)
    forms: list[str] = []
    replace: bool = False
    disabled: bool = False


class _EmotionsFile(_Strict):
    emotions: list[_EmotionEntry] = []
    intensifiers: list[str] = []
    downtoners: list[str] = []
    ignore: list[str] = []


class _Reminders(_Strict):
    instance: _Text
    channel: _Text
    both: _Text


class _ProbesFile(_Strict):
    short_answer_words: int | None = Field(default=None, ge=0, le=100)
    general: list[_Text] = []
    negative: list[_Text] = []
    vague: list[str] = []
    reminders: _Reminders | None = None


_FILE_MODELS: dict[str, type[_Strict]] = {
    "instances.yaml": _InstancesFile,
    "channels.yaml": _ChannelsFile,
    "emotions.yaml": _EmotionsFile,
    "probes.yaml": _ProbesFile,
}

KeyPath = tuple[str | int, ...]


def _format_path(path: KeyPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _walk_lines(node: yaml.Node, path: KeyPath, lines: dict[KeyPath, int], file: str) -> None:
    """Record the line of every key path; a key given twice in one mapping is an error."""
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in seen:
                raise AssistDataError(
                    file, _format_path(path + (key,)), t("qs.duplicate_key", None, key=key, first=seen[key]), line
                )
            seen[key] = line
            lines[path + (key,)] = line
            _walk_lines(value_node, path + (key,), lines, file)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk_lines(item, path + (index,), lines, file)


def _line_of(lines: dict[KeyPath, int], path: KeyPath) -> int | None:
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return lines.get(())


class _Source:
    """One parsed data file: its model, its display name and where each key is."""

    def __init__(self, name: str, model: Any, lines: dict[KeyPath, int]):
        self.name, self.model, self.lines = name, model, lines

    def error(self, path: KeyPath, problem: str) -> AssistDataError:
        return AssistDataError(self.name, _format_path(path), problem, _line_of(self.lines, path))


def _compose(loader_class: Any, text: str, display: str) -> tuple[Any, dict[KeyPath, int]]:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        lines: dict[KeyPath, int] = {}
        if node is None:
            return None, lines
        _walk_lines(node, (), lines, display)
        return loader.construct_document(node), lines
    finally:
        loader.dispose()


def _parse_yaml(text: str, display: str) -> tuple[Any, dict[KeyPath, int]]:
    """The document and the line of every key; a syntax error becomes an AssistDataError."""
    fast = getattr(yaml, "CSafeLoader", None)  # libyaml's parser, where installed: much faster
    if fast is not None:
        try:
            return _compose(fast, text, display)
        except yaml.YAMLError:
            pass  # reported below: the pure-Python parser words it the same on every machine
    try:
        return _compose(yaml.SafeLoader, text, display)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise AssistDataError(display, "", t("qs.yaml_syntax", None, error=exc.problem or exc), line) from None
    except yaml.YAMLError as exc:
        raise AssistDataError(display, "", t("qs.yaml_syntax", None, error=exc)) from None


def _read(path: Path, display: str) -> _Source:
    """Read and validate one data file."""
    file_name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise AssistDataError(display, "", t("qs.not_utf8")) from None
    except OSError as exc:
        raise AssistDataError(display, "", t("qs.unreadable", None, error=exc)) from None
    data, lines = _parse_yaml(text, display)
    model_class = _FILE_MODELS[file_name]
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise AssistDataError(display, "", _msg("not_mapping", keys=", ".join(model_class.model_fields)), 1)
    try:
        model = model_class.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = tuple(error["loc"])
        if error["type"] == "extra_forbidden":
            problem = _msg("unknown_key", known=", ".join(_known_keys(model_class, loc)))
        elif error["type"] == "missing":
            problem = t("qs.missing_key")
        else:
            problem = t("qs.bad_value", None, error=error["msg"])
        raise AssistDataError(display, _format_path(loc), problem, _line_of(lines, loc)) from None
    return _Source(display, model, lines)


def _known_keys(model_class: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys allowed where an unknown key was found."""
    current: Any = model_class
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        annotation = current.model_fields[part].annotation
        for candidate in getattr(annotation, "__args__", (annotation,)):
            for inner in getattr(candidate, "__args__", (candidate,)):
                if isinstance(inner, type) and issubclass(inner, BaseModel):
                    current = inner
    return list(current.model_fields)


# --- folding text ------------------------------------------------------------------------------------------

# one character to one character, so that positions in the folded text are positions in the typed text
_FOLD = dict(zip("àáâãäåèéêëìíîïòóôõöùúûüýÿñçŀ’", "aaaaaaeeeeiiiiooooouuuuyyncl'"))
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _fold(text: str) -> str:
    """Lower case without accents, of the same length as ``text``."""
    low = text.lower()
    if low.isascii():
        return low
    if len(low) != len(text):  # a few characters grow when lowered ("İ"): keep those as they are
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    # only the few accented letters are looked up (str.translate is slow on text that is not pure ASCII)
    return _NON_ASCII.sub(lambda m: _FOLD.get(m.group(), m.group()), low)


_KEY_DROP = str.maketrans("", "", " \t\n\r\f\v\u00a0-'’")


def _key(folded: str) -> str:
    """The lookup key of a folded phrase: without spaces, hyphens and apostrophes."""
    return folded.translate(_KEY_DROP)


# --- aliases: parsing, expansion and one trie-shaped regex per kind -------------------------------------------

_MAX_EXPANSIONS = 5000
#: up to five words may sit between the two parts of "a ... b", but no comma or sentence end
_GAP = r"(?:[^\w.,!?;:]+\w+){0,5}[^\w.,!?;:]+"

# tokens: ("c", char) | ("sp",) | ("hy",) | ("ap",) | ("star",) | ("gap",) | ("prev", words)
#       | ("grp", alternatives, optional, space)
#   where a group's space is "" (none), "after" or "before": an optional group takes one neighbouring space along
Token = tuple[Any, ...]


class _AliasError(ValueError):
    pass


def _parse_alias(alias: str) -> list[Token]:
    """Split an alias into tokens; raises _AliasError (with the message) when it is malformed."""
    text = _fold(alias).strip()
    if not text:
        raise _AliasError(_msg("alias_empty"))
    tokens: list[Token] = []
    i = 0
    if text.startswith("["):
        close = text.find("]")
        words = [w.strip() for w in text[1:close].split("|")] if close > 0 else []
        if close < 0 or not all(words) or any(c in w for w in words for c in "()[]*.-'’"):
            raise _AliasError(_msg("alias_context", alias=alias))
        tokens.append(("prev", tuple(" ".join(w.split()) for w in words)))
        i = close + 1
    while i < len(text):
        c = text[i]
        if text.startswith("...", i):
            tokens.append(("gap",))
            i += 3
            continue
        if c == "(":
            close = text.find(")", i)
            inner = text[i + 1 : close] if close > 0 else ""
            if close < 0 or "(" in inner:
                raise _AliasError(_msg("alias_paren", alias=alias))
            if "*" in inner:
                raise _AliasError(_msg("alias_star", alias=alias))
            if "..." in inner:
                raise _AliasError(_msg("alias_gap", alias=alias))
            options = inner.split("|")
            alternatives = tuple(tuple(_simple_tokens(o.strip())) for o in options if o.strip())
            if not alternatives:
                raise _AliasError(_msg("alias_paren", alias=alias))
            tokens.append(("grp", alternatives, any(not o.strip() for o in options), ""))
            i = close + 1
            continue
        if c == ")":
            raise _AliasError(_msg("alias_paren", alias=alias))
        if c in "[]":
            raise _AliasError(_msg("alias_context", alias=alias))
        if c == "*":
            if not tokens or tokens[-1][0] not in ("c", "grp") or (i + 1 < len(text) and not text[i + 1].isspace()):
                raise _AliasError(_msg("alias_star", alias=alias))
            tokens.append(("star",))
            i += 1
            continue
        tokens.extend(_simple_tokens(c))
        i += 1
    # collapse spaces, fold them into gaps and optional groups
    out: list[Token] = []
    for token in tokens:
        if token[0] == "sp" and (not out or out[-1][0] in ("sp", "gap")):
            continue
        if token[0] == "gap":
            while out and out[-1][0] == "sp":
                out.pop()
        out.append(token)
    while out and out[-1][0] == "sp":
        out.pop()
    if out and out[0][0] == "prev":
        out = [out[0]] + [tok for tok in out[1:2] if tok[0] != "sp"] + out[2:]
    if not out or out[-1][0] == "prev":
        raise _AliasError(_msg("alias_empty"))
    if out[0][0] == "gap" or out[-1][0] == "gap" or (out[0][0] == "prev" and out[1][0] == "gap"):
        raise _AliasError(_msg("alias_gap", alias=alias))
    merged: list[Token] = []
    for index, token in enumerate(out):
        if token[0] == "grp" and token[2]:
            following = out[index + 1] if index + 1 < len(out) else None
            if following is not None and following[0] == "sp":
                token = ("grp", token[1], True, "after")
            elif merged and merged[-1][0] == "sp":
                merged.pop()
                token = ("grp", token[1], True, "before")
        if token[0] == "sp" and merged and merged[-1][0] == "grp" and merged[-1][3] == "after":
            continue
        merged.append(token)
    if all(tok[0] == "grp" and tok[2] for tok in merged if tok[0] != "sp"):
        raise _AliasError(_msg("alias_empty"))
    return merged


def _simple_tokens(text: str) -> Iterator[Token]:
    previous_space = False
    for c in text:
        if c.isspace():
            if not previous_space:
                yield ("sp",)
            previous_space = True
            continue
        previous_space = False
        if c == "-":
            yield ("hy",)
        elif c in "'’":
            yield ("ap",)
        else:
            yield ("c", c)


def _token_regex(token: Token) -> str:
    kind = token[0]
    if kind == "c":
        return re.escape(token[1])
    if kind == "sp":
        return r"\s+"
    if kind == "hy":
        return r"[-\s]?"
    if kind == "ap":
        return r"['’]?"
    if kind == "star":
        return r"\w*"
    if kind == "grp":
        _, alternatives, optional, space = token
        body = "(?:" + "|".join("".join(_token_regex(x) for x in alt) for alt in alternatives) + ")"
        if not optional:
            return body
        if space == "after":
            return r"(?:" + body + r"\s+)?"
        if space == "before":
            return r"(?:\s+" + body + ")?"
        return body + "?"
    raise AssertionError(kind)


def _tokens_regex(tokens: list[Token]) -> str:
    """The regex of one alias on its own (a gap becomes a lookahead: only the part before it is marked)."""
    out = ""
    for index, token in enumerate(tokens):
        if token[0] == "gap":
            return out + "(?=" + _GAP + _tokens_regex(tokens[index + 1 :]) + r"(?!\w))"
        out += _token_regex(token)
    return out


def _expand_tokens(tokens: list[Token]) -> list[list[Token]]:
    """Every plain spelling of an alias: each group replaced by each of its choices."""
    spellings: list[list[Token]] = [[]]
    for token in tokens:
        if token[0] == "grp":
            _, alternatives, optional, space = token
            options = [list(alt) for alt in alternatives]
            if space == "after":
                options = [option + [("sp",)] for option in options]
            elif space == "before":
                options = [[("sp",)] + option for option in options]
            if optional:
                options.append([])
        else:
            options = [[token]]
        spellings = [spelling + option for spelling in spellings for option in options]
        if len(spellings) > _MAX_EXPANSIONS:
            raise _AliasError("many")
    return spellings


class _Trie:
    """Aliases as a trie of tokens, written out as one regex in which the longest alias wins."""

    def __init__(self) -> None:
        self.children: dict[Token, _Trie] = {}
        self.terminal = False

    def add(self, tokens: list[Token]) -> None:
        node = self
        for token in tokens:
            node = node.children.setdefault(token, _Trie())
        node.terminal = True

    def regex(self) -> str:
        # letters first, so that a longer spelling is tried before a wildcard or the end of a shorter one
        order = sorted(self.children.items(), key=lambda item: item[0][0] != "c")
        alternatives = [_token_regex(token) + child.regex() for token, child in order]
        if not alternatives:
            return ""
        body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
        return "(?:" + body + ")?" if self.terminal else body


@dataclass(frozen=True)
class _Candidate:
    """What a matched spelling may stand for, and the context it needs ("[after] ..." and "... then")."""

    target: Any  # None for an ignored phrase
    owner: str
    before: re.Pattern[str] | None = None  # must match the text just before the marked part
    after: re.Pattern[str] | None = None  # must match the text just after it

    def fits(self, folded: str, start: int, end: int) -> bool:
        if self.before is not None and not self.before.search(folded, max(0, start - 40), start):
            return False
        return self.after is None or self.after.match(folded, end) is not None


class _Matcher:
    """All aliases of one kind: one combined regex, and a lookup from matched text to what it stands for.

    The regex holds only the marked part of every alias (the longest wins); the context an alias asks for
    ("[word] x", "x ... y") is checked on the text around the match afterwards, which is much cheaper than
    lookarounds tried at every position.
    """

    def __init__(self) -> None:
        self.trie = _Trie()
        self.exact: dict[str, list[_Candidate]] = {}
        self.prefixes: list[tuple[str, _Candidate]] = []
        self.regex: re.Pattern[str] | None = None

    def add(self, alias: str, target: Any, source: _Source, path: KeyPath, owner: str) -> None:
        try:
            tokens = _parse_alias(alias)
            before = after = None
            if tokens[0][0] == "prev":
                words = "|".join(r"\s+".join(map(re.escape, w.split())) for w in tokens[0][1])
                before = re.compile(r"(?<!\w)(?:" + words + r")\s+$")
                tokens = tokens[1:]
            gaps = [i for i, tok in enumerate(tokens) if tok[0] == "gap"]
            if gaps:
                after = re.compile(_GAP + _tokens_regex(tokens[gaps[0] + 1 :]) + r"(?!\w)")
                tokens = tokens[: gaps[0]]
            spellings = _expand_tokens(tokens)
        except _AliasError as exc:
            problem = str(exc)
            if problem == "many":
                problem = _msg("alias_many", alias=alias, limit=_MAX_EXPANSIONS)
            raise source.error(path, problem) from None
        candidate = _Candidate(target, owner, before, after)
        conditional = before is not None or after is not None
        # the trie gets a leading group spelled out (so that it competes letter by letter with other aliases that
        # start the same way), inner groups stay groups: spelling those out too would repeat every tail
        for spelling in _expand_tokens(tokens[:1]):
            self.trie.add(spelling + tokens[1:])
        for spelling in spellings:
            key = "".join(tok[1] for tok in spelling if tok[0] == "c")
            if spelling[-1][0] == "star":
                self.prefixes.append((key, candidate))
                continue
            bucket = self.exact.setdefault(key, [])
            if target is None and not conditional:
                bucket.insert(0, candidate)  # an ignored phrase wins over an alias
                continue
            if not conditional:
                for other in bucket:
                    plain = other.before is None and other.after is None
                    if plain and other.target is not None and other.owner != owner:
                        raise source.error(path, _msg("alias_taken", alias=alias, other=other.owner))
                bucket.append(candidate)
            else:
                # context-bound spellings are tried before plain ones of the same text
                index = next((i for i, c in enumerate(bucket) if c.target is not None and c.before is None
                              and c.after is None), len(bucket))
                bucket.insert(index, candidate)

    def compile(self) -> None:
        self.prefixes.sort(key=lambda item: -len(item[0]))
        body = self.trie.regex() or r"(?!x)x"
        self.regex = re.compile(r"(?<!\w)" + body + r"(?!\w)")

    def find(self, folded: str) -> list[tuple[int, int, Any]]:
        """(start, end, target) of every alias in the folded text, in text order; ignored phrases left out."""
        assert self.regex is not None
        out: list[tuple[int, int, Any]] = []
        for match in self.regex.finditer(folded):
            start, end = match.span()
            if start != end:
                target = self._resolve(folded, start, end)
                if target is not None:
                    out.append((start, end, target))
        return out

    def _resolve(self, folded: str, start: int, end: int) -> Any:
        key = _key(folded[start:end])
        bucket = self.exact.get(key)
        if bucket is not None:
            if len(bucket) == 1 and bucket[0].before is None and bucket[0].after is None:
                return bucket[0].target
            for candidate in bucket:
                if candidate.fits(folded, start, end):
                    return candidate.target
        for prefix, candidate in self.prefixes:
            if key.startswith(prefix) and candidate.fits(folded, start, end):
                return candidate.target
        return None


# --- grammar: negation, intensity ------------------------------------------------------------------------------

#: words, and the punctuation that ends a clause (the only punctuation the rules look at)
_TOKEN = re.compile(r"\w+|[.,;:!?()]")
_CLAUSE_END = {".", ",", ";", ":", "!", "?", "(", ")", "maar", "want", "omdat", "dus", "en", "toen", "terwijl"}
_NEGATIONS = {"niet", "geen", "nooit"}
_EMOTION_NEGATIONS = _NEGATIONS | {"nauwelijks", "allerminst", "niks", "niets"}
#: words that may stand between a negation and an organisation ("niet naar het UWV", "geen contact met de")
_INSTANCE_FILLERS = {
    "de", "het", "een", "t", "naar", "bij", "met", "via", "van", "voor", "aan", "tegen", "door", "meer", "ook",
    "nog", "eens", "zelf", "eerst", "even", "echt", "direct", "meteen", "gelijk", "gewoon", "contact", "of", "noch",
}
#: ... and a channel ("niet gebeld", "ze niet meer gemaild", "niet via de website")
_CHANNEL_FILLERS = {
    "de", "het", "een", "t", "naar", "bij", "met", "via", "per", "meer", "ook", "nog", "eens", "zelf", "even",
    "ze", "hen", "hem", "haar", "hun", "me", "mij", "ons", "u", "jullie", "of", "noch", "echt", "gewoon",
}
#: ... and an emotion word ("niet zo blij", "er niet echt tevreden mee")
_EMOTION_FILLERS = {
    "zo", "erg", "heel", "echt", "helemaal", "bepaald", "bijzonder", "meer", "er", "ook", "nog", "al", "te", "eens",
    "me", "mij", "ons", "zich", "daar", "dan", "wel", "per", "se", "of", "noch", "zomaar", "zoveel",
}
#: after "X heb ik niet": these words mean the contact happened after all ("niet kunnen bereiken", "niet terug")
_CONTACT_AFTER_ALL = {
    "meer", "kunnen", "kon", "konden", "bereiken", "bereikt", "op", "goed", "snel", "open", "lezen", "gelezen",
    "begrepen", "te", "gesnapt", "snappen", "verder", "gehoord",
}
_FIRST_PERSON = {"ik", "we", "wij"}
_PRONOUNS = {"me", "mij", "ons", "zich", "je", "u", "er"}
#: intensifiers that after an emotion word belong to what follows ("blij, zo blij")
_NOT_AFTER = {"zo", "veel", "iets", "wat"}
_POST_FILLERS = {"ik", "we", "wij", "heb", "hebben", "had", "hadden", "ben", "zijn", "was", "waren", "toen", "daar",
                 "er", "zelf", "ook", "nog", "dus", "ze", "hen", "hem", "die", "dat"}


class _Words:
    """A folded answer, with cheap looks at the words around a match (only near matches, only when needed)."""

    def __init__(self, folded: str):
        self.folded = folded
        self._negations: list[int] | None = None

    def negation_near(self, start: int, end: int, before: int = 45, after: int = 45) -> bool:
        """Whether a negation word may stand near a match: most matches have none, and need no closer look."""
        if self._negations is None:
            positions = []
            for cue in _EMOTION_NEGATIONS:  # str.find is much cheaper than another regex scan of the text
                i = self.folded.find(cue)
                while i >= 0:
                    positions.append(i)
                    i = self.folded.find(cue, i + 1)
            self._negations = sorted(positions)
        i = bisect.bisect_left(self._negations, start - before)
        return i < len(self._negations) and self._negations[i] < end + after

    def before(self, start: int, reach: int = 10) -> list[str]:
        """The tokens of the clause before ``start``, nearest last."""
        tokens = _TOKEN.findall(self.folded, max(0, start - 7 * reach), start)[-reach:]
        for i in range(len(tokens) - 1, -1, -1):
            if tokens[i] in _CLAUSE_END:
                return tokens[i + 1 :]
        return tokens

    def after(self, end: int, reach: int = 8) -> list[str]:
        """The tokens of the clause after ``end``."""
        tokens = _TOKEN.findall(self.folded, end, end + 7 * reach)[:reach]
        for i, token in enumerate(tokens):
            if token in _CLAUSE_END:
                return tokens[:i]
        return tokens

    def starts_before(self, start: int, reach: int, chars: int) -> list[tuple[int, str]]:
        """(position, token) of up to ``reach`` tokens within ``chars`` characters before ``start``."""
        return [(m.start(), m.group()) for m in _TOKEN.finditer(self.folded, max(0, start - chars), start)][-reach:]


def _negated_before(before: list[str], fillers: set[str], cues: set[str]) -> tuple[bool, list[str]]:
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


def _not_contacted(words: _Words, start: int, end: int, fillers: set[str]) -> bool:
    """"niet naar het UWV", "de voedselbank heb ik nooit gebeld": named, but not contacted."""
    if not words.negation_near(start, end):
        return False
    before = words.before(start)
    if _negated_before(before, fillers, _NEGATIONS)[0]:
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


# --- compiled data -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Target:
    kind: str
    value: str
    en: str
    parent: str | None
    owner: str = ""


@dataclass(frozen=True)
class _Emotion:
    word: str
    score: int
    owner: str = ""


@dataclass
class _EntryData:
    name: str
    aliases: list[tuple[str, _Source, KeyPath]]
    en: str = ""
    part_of: str | None = None
    source: _Source | None = None
    path: KeyPath = ()


@dataclass
class _EmotionData:
    word: str
    score: int | None
    forms: list[tuple[str, _Source, KeyPath]]
    source: _Source | None = None
    path: KeyPath = ()


def _merge_entries(merged: dict[str, _EntryData], source: _Source, section: str) -> None:
    for index, entry in enumerate(getattr(source.model, section)):
        path: KeyPath = (section, index)
        key = _fold(entry.name)
        if entry.disabled:
            merged.pop(key, None)
            continue
        aliases = [(alias, source, path + ("aliases", i)) for i, alias in enumerate(entry.aliases)]
        current = merged.get(key)
        if current is None:
            name_alias = [(entry.name, source, path + ("name",))]
            merged[key] = _EntryData(entry.name, name_alias + aliases, entry.en or "", entry.part_of, source, path)
            continue
        current.aliases = ([(current.name, source, path + ("name",))] if entry.replace else current.aliases) + aliases
        if entry.en is not None:
            current.en = entry.en
        if entry.part_of is not None:
            current.part_of = entry.part_of or None
            current.source, current.path = source, path


def _merge_emotions(merged: dict[str, _EmotionData], source: _Source) -> None:
    for index, entry in enumerate(source.model.emotions):
        path: KeyPath = ("emotions", index)
        key = _fold(entry.word)
        if entry.disabled:
            merged.pop(key, None)
            continue
        forms = [(form, source, path + ("forms", i)) for i, form in enumerate(entry.forms)]
        current = merged.get(key)
        if current is None:
            if entry.score is None:
                raise source.error(path + ("score",), t("qs.missing_key"))
            merged[key] = _EmotionData(entry.word, entry.score, forms or [(entry.word, source, path + ("word",))],
                                       source, path)
            continue
        current.forms = forms if entry.replace else current.forms + forms
        if entry.score is not None:
            current.score = entry.score


# --- durations ---------------------------------------------------------------------------------------------------

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


def _durations(words: _Words) -> Iterator[tuple[int, int, str, str]]:
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


def _duration(match: re.Match[str], words: _Words) -> tuple[int, int, str, str] | None:
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


# --- the assistant -----------------------------------------------------------------------------------------------


class Assistant:
    """Finds organisations, channels, emotions and durations in answers, and suggests probes and reminders."""

    def __init__(self, instances: _Matcher, channels: _Matcher, emotions: _Matcher, intensifiers: set[tuple[str, ...]],
                 downtoners: set[tuple[str, ...]], probes: _ProbesFile, parents: dict[tuple[str, str], str]):
        self._matchers = {"instance": instances, "channel": channels}
        self._emotions = emotions
        self._intensifiers = intensifiers
        self._downtoners = downtoners
        self._probes = probes
        self._parents = parents
        self._emotion_fillers = _EMOTION_FILLERS | _flat(intensifiers)
        self._short = probes.short_answer_words if probes.short_answer_words is not None else 6
        vague = sorted({_fold(v).strip() for v in probes.vague if v.strip()}, key=len, reverse=True)
        self._vague = re.compile(
            r"(?<!\w)(?:" + "|".join(r"\s+".join(map(re.escape, v.split())) for v in vague) + r")(?!\w)"
            if vague else r"(?!x)x"
        )

    # -- loading --

    @classmethod
    def load(cls, extra_dirs: Iterable[Path] = ()) -> Assistant:
        """The bundled lists, extended and overridden by the files of the same names in ``extra_dirs``, in order."""
        folders = [(bundled_dir(), True)] + [(Path(d), False) for d in extra_dirs]
        files = [(folder / name, bundled) for folder, bundled in folders for name in DATA_FILES]
        files = [(path, bundled) for path, bundled in files if bundled or path.is_file()]
        signature = tuple(_signature(path) for path, _ in files)
        cached = _LOADED.get(signature)
        if cached is not None:
            return cached
        sources: dict[str, list[_Source]] = {name: [] for name in DATA_FILES}
        for path, bundled in files:
            sources[path.name].append(_read(path, path.name if bundled else str(path)))

        def build(name: str, section: str, kind: str) -> tuple[_Matcher, dict[tuple[str, str], str]]:
            merged: dict[str, _EntryData] = {}
            for source in sources[name]:
                _merge_entries(merged, source, section)
            canonical = {_fold(e.name): e.name for e in merged.values()}
            matcher = _Matcher()
            parents: dict[tuple[str, str], str] = {}
            for entry in merged.values():
                parent = None
                if entry.part_of:
                    parent = canonical.get(_fold(entry.part_of))
                    if parent is None and entry.source is not None:
                        raise entry.source.error(entry.path + ("part_of",), _msg("unknown_parent", name=entry.part_of))
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

        emotion_data: dict[str, _EmotionData] = {}
        intensifiers: set[tuple[str, ...]] = set()
        downtoners: set[tuple[str, ...]] = set()
        for source in sources["emotions.yaml"]:
            _merge_emotions(emotion_data, source)
            intensifiers |= {tuple(_fold(w).split()) for w in source.model.intensifiers if w.strip()}
            downtoners |= {tuple(_fold(w).split()) for w in source.model.downtoners if w.strip()}
        emotions = _Matcher()
        for data in emotion_data.values():
            target = _Emotion(data.word, int(data.score or 0), owner=data.word)
            for form, source, path in data.forms:
                emotions.add(form, target, source, path, data.word)
        for source in sources["emotions.yaml"]:
            for index, phrase in enumerate(source.model.ignore):
                emotions.add(phrase, None, source, ("ignore", index), "")
        emotions.compile()

        probes = _ProbesFile()
        for source in sources["probes.yaml"]:
            extra: _ProbesFile = source.model
            probes = _ProbesFile(
                short_answer_words=extra.short_answer_words if extra.short_answer_words is not None
                else probes.short_answer_words,
                general=extra.general + probes.general,
                negative=extra.negative + probes.negative,
                vague=probes.vague + extra.vague,
                reminders=extra.reminders or probes.reminders,
            )
        if probes.reminders is None:
            raise sources["probes.yaml"][0].error(("reminders",), t("qs.missing_key"))
        assistant = cls(instances, channels, emotions, intensifiers, downtoners, probes, parents)
        while len(_LOADED) >= 32:
            _LOADED.pop(next(iter(_LOADED)))
        _LOADED[signature] = assistant
        return assistant

    # -- proposals --

    def propose(self, text: str) -> list[Proposal]:
        """What the answer mentions: one proposal per kind and value, in the order of the text."""
        if not text:
            return []
        folded = _fold(text)
        words = _Words(folded)
        # hits as plain tuples (start, order of kind, kind, value, end, word, English); proposals are made last
        found: list[tuple[int, int, str, Any, int, str, str]] = []
        for order, (kind, matcher) in enumerate(self._matchers.items()):
            fillers = _INSTANCE_FILLERS if kind == "instance" else _CHANNEL_FILLERS
            for start, end, target in matcher.find(folded):
                if not _not_contacted(words, start, end, fillers):
                    found.append((start, order, kind, target.value, end, "", target.en))
        found.extend(self._find_emotions(text, words))
        for start, end, dutch, english in _durations(words):
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

    def _find_emotions(self, text: str, words: _Words) -> list[tuple[int, int, str, Any, int, str, str]]:
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
            negated, skipped = _negated_before(before, self._emotion_fillers, _EMOTION_NEGATIONS)
            if not negated and previous_negated and re.fullmatch(r"\s*(?:of|noch)\s*", folded[previous_end:start]):
                negated = True  # "niet boos of verdrietig"
            inside = _TOKEN.findall(folded[start:end])[:-1]
            context = before + inside
            score = emotion.score
            word = emotion.word
            if negated:
                after = words.after(end)
                no_longer = "meer" in skipped or (after[:1] == ["meer"])
                cue = next(tok for tok in reversed(before) if tok in _EMOTION_NEGATIONS)
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
                later = [tok for tok in words.after(end, 3) if tok not in _PRONOUNS]  # "schaamde me enorm"
                if boost_next or self._ends_with(context, self._intensifiers) or (
                    later[:1] and (later[0],) in self._intensifiers and later[0] not in _NOT_AFTER
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
            if cut == 0 or context[cut - 1] not in _EMOTION_FILLERS:
                return False
        return False

    # -- probes and reminders --

    def probes(self, answer: str, proposals: list[Proposal], question_probes: list[str], lang: str = "nl") -> list[str]:
        """Probes after a short, vague or strongly negative answer (the question's own first); else []."""
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
        rest = self._vague.sub(" ", _fold(answer or ""))
        return len(re.findall(r"\w+", rest)) < self._short

    def missing_reminder(self, instances: list[str], channels: list[str], lang: str = "nl") -> str | None:
        """A reminder when a step about to be closed has no organisation or no channel; else None."""
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


def _signature(path: Path) -> tuple[str, int, int]:
    try:
        stat = path.stat()
    except OSError:
        return str(path), -1, -1  # reading it will report the problem
    return str(path), stat.st_mtime_ns, stat.st_size


def _flat(phrases: set[tuple[str, ...]]) -> set[str]:
    return {word for phrase in phrases for word in phrase}


# --- measuring -------------------------------------------------------------------------------------------------

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


def bench(text: str | None = None, n: int = 200, assistant: Assistant | None = None) -> float:
    """Seconds per ``propose()`` call on ``text`` (default: a 2,000-character answer), best of 5 rounds of ``n``."""
    assistant = assistant or Assistant.load()
    if text is None:
        text = _SAMPLE[:2000]
    best = float("inf")
    for _ in range(5):
        began = time.perf_counter()
        for _ in range(n):
            assistant.propose(text)
        best = min(best, (time.perf_counter() - began) / n)
    return best


if __name__ == "__main__":  # python -m klantreis_tui.assist
    began = time.perf_counter()
    loaded = Assistant.load()
    print(f"load: {(time.perf_counter() - began) * 1000:.1f} ms (then cached while the files stay the same)")
    print(f"propose() on a 2,000-character answer: {bench(assistant=loaded) * 1e6:.0f} µs per call")
