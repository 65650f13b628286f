"""The alias language of the word lists: tokens, expansion, one trie-shaped regex per kind and the matcher."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from klantreis_tui.assist.files import KeyPath, Source
from klantreis_tui.assist.text import fold, lookup_key
from klantreis_tui.errors import KlantreisError
from klantreis_tui.i18n import describe, N_, t

_MAX_EXPANSIONS = 5000
#: up to five words may sit between the two parts of "a ... b", but no comma or sentence end
_GAP = r"(?:[^\w.,!?;:]+\w+){0,5}[^\w.,!?;:]+"

# tokens: ("c", char) | ("sp",) | ("hy",) | ("ap",) | ("star",) | ("gap",) | ("prev", words)
#       | ("grp", alternatives, optional, space)
#   where a group's space is "" (none), "after" or "before": an optional group takes one neighbouring space along
Token = tuple[Any, ...]


class _AliasError(KlantreisError, ValueError):
    """A malformed alias: the reason is the message key, the detail its values (the alias)."""


def _parse_alias(alias: str) -> list[Token]:
    """Split an alias into tokens; raises _AliasError (with the reason) when it is malformed."""
    text = fold(alias).strip()
    if not text:
        raise _AliasError("assist.alias_empty")
    tokens: list[Token] = []
    i = 0
    if text.startswith("["):
        close = text.find("]")
        words = [w.strip() for w in text[1:close].split("|")] if close > 0 else []
        if close < 0 or not all(words) or any(c in w for w in words for c in "()[]*.-'’"):
            raise _AliasError("assist.alias_context", alias=alias)
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
                raise _AliasError("assist.alias_paren", alias=alias)
            if "*" in inner:
                raise _AliasError("assist.alias_star", alias=alias)
            if "..." in inner:
                raise _AliasError("assist.alias_gap", alias=alias)
            options = inner.split("|")
            alternatives = tuple(tuple(_simple_tokens(o.strip())) for o in options if o.strip())
            if not alternatives:
                raise _AliasError("assist.alias_paren", alias=alias)
            tokens.append(("grp", alternatives, any(not o.strip() for o in options), ""))
            i = close + 1
            continue
        if c == ")":
            raise _AliasError("assist.alias_paren", alias=alias)
        if c in "[]":
            raise _AliasError("assist.alias_context", alias=alias)
        if c == "*":
            if not tokens or tokens[-1][0] not in ("c", "grp") or (i + 1 < len(text) and not text[i + 1].isspace()):
                raise _AliasError("assist.alias_star", alias=alias)
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
        raise _AliasError("assist.alias_empty")
    if out[0][0] == "gap" or out[-1][0] == "gap" or (out[0][0] == "prev" and out[1][0] == "gap"):
        raise _AliasError("assist.alias_gap", alias=alias)
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
        raise _AliasError("assist.alias_empty")
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
            raise _AliasError("assist.alias_many", limit=_MAX_EXPANSIONS)
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


class Matcher:
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

    def add(self, alias: str, target: Any, source: Source, path: KeyPath, owner: str) -> None:
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
            if exc.reason == N_('{alias!r} gives more than {limit} combinations; split it up'):  # found while expanding, where the alias as written is not known
                problem = t('{alias!r} gives more than {limit} combinations; split it up', alias=alias, limit=_MAX_EXPANSIONS)
            else:
                problem = describe(exc)
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
                        raise source.error(path, t("{alias!r} also belongs to '{other}'", alias=alias, other=other.owner))
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
        key = lookup_key(folded[start:end])
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

