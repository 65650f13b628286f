"""Strict YAML reading: the document, the line of every key path, and problems reported by reason and line.

Used by the question sets and by the assistant's word lists. What is refused: a syntax error (with its line), a
key given twice in one mapping (both lines), a YAML alias to a list or mapping, nesting deeper than
``MAX_DEPTH``, a scalar its tag cannot hold, and (on request) a document that is not a mapping. Problems are
:class:`YamlError` with a reason (one of the constants below), a line and a key path; the caller words them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from klantreis_tui.errors import KlantreisError

__all__ = [
    "ALIAS",
    "DUPLICATE_KEY",
    "MAX_DEPTH",
    "NOT_MAPPING",
    "SYNTAX",
    "TOO_DEEP",
    "Document",
    "KeyPath",
    "YamlError",
    "format_path",
    "parse",
]

KeyPath = tuple[str | int, ...]

#: reasons of a YamlError
SYNTAX = "yaml.syntax"  # detail: error (the parser's words), context_line (where the block began, or None)
DUPLICATE_KEY = "yaml.duplicate_key"  # detail: key, first (the line of the first one); line: the second one
ALIAS = "yaml.alias"  # an alias (*name) of a list or mapping met before; path and line of the alias
NOT_MAPPING = "yaml.not_mapping"  # the document is not a mapping

#: How deep a document may nest; real files stay under ten levels, and deeper ones would overflow the stack.
MAX_DEPTH = 64
TOO_DEEP = f"nested more than {MAX_DEPTH} levels deep"


class YamlError(KlantreisError):
    """A problem of a YAML text: a reason, the line (1-based, None when unknown) and the key path it concerns.

    ``problems`` lists every problem this error stands for: itself, or every alias when aliases are refused.
    """

    def __init__(self, reason: str, line: int | None = None, path: KeyPath = (), **detail: Any) -> None:
        super().__init__(reason, **detail)
        self.line = line
        self.path = path
        self.problems: list[YamlError] = [self]


def format_path(path: KeyPath) -> str:
    """A key path as written in messages: ``sections[0].questions[2].id``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


@dataclass
class Document:
    """A parsed YAML document: its data, the line of every key path and the keys given twice.

    A key given twice keeps the line of its first occurrence; its second value is not looked into.
    """

    data: Any = None
    lines: dict[KeyPath, int] = field(default_factory=dict)
    duplicates: list[YamlError] = field(default_factory=list)

    def line_of(self, path: KeyPath) -> int:
        """The line of ``path``, or of the nearest enclosing key that has one; 1 for an empty document."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)

    def mapping(self, empty: bool = False) -> dict[str, Any]:
        """The data as a mapping; an empty document is ``{}`` when ``empty`` allows it. Else NOT_MAPPING."""
        if self.data is None and empty:
            return {}
        if not isinstance(self.data, dict):
            raise YamlError(NOT_MAPPING, self.line_of(()))
        return self.data


class _Walk:
    """Collects the line of every key path, keys given twice, aliases of lists and mappings, too deep nesting."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.aliases: list[YamlError] = []
        self.too_deep: int | None = None
        self._seen: set[int] = set()

    def walk(self, node: yaml.Node, path: KeyPath) -> None:
        lines = self.document.lines
        lines.setdefault(path, node.start_mark.line + 1)
        if len(path) > MAX_DEPTH:
            if self.too_deep is None:
                self.too_deep = node.start_mark.line + 1
            return
        if id(node) in self._seen:
            # an alias of a node met before: these files have no use for them, and they can recurse
            if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
                self.aliases.append(YamlError(ALIAS, node.start_mark.line + 1, path))
            return
        self._seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, int] = {}
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
                line = key_node.start_mark.line + 1
                if key in seen:
                    self.document.duplicates.append(YamlError(DUPLICATE_KEY, line, path + (key,), key=key,
                                                              first=seen[key]))
                    continue
                seen[key] = line
                lines[path + (key,)] = line
                self.walk(value_node, path + (key,))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self.walk(item, path + (index,))


def parse(text: str) -> Document:
    """The document of ``text`` with its lines; raises YamlError (SYNTAX or ALIAS) when it cannot be read."""
    fast = getattr(yaml, "CSafeLoader", None)  # libyaml's parser, where installed: much faster
    if fast is not None:
        try:
            return _compose(fast, text)
        except (yaml.YAMLError, UnicodeEncodeError):
            pass  # reported below: the pure-Python parser words it the same on every machine
    try:
        return _compose(yaml.SafeLoader, text)
    except yaml.reader.ReaderError as exc:
        # a character YAML does not allow (control character, lone surrogate): no mark, but a position
        code = ord(exc.character) if isinstance(exc.character, str) else exc.character
        line = text.count("\n", 0, max(exc.position, 0)) + 1
        raise YamlError(SYNTAX, line, error=f"unacceptable character #x{code:04x}: {exc.reason}",
                        context_line=None) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        context, problem = exc.context_mark, exc.problem_mark
        context_line = context.line + 1 if context and problem and context.line != problem.line else None
        raise YamlError(SYNTAX, mark.line + 1 if mark else None, error=exc.problem or str(exc),
                        context_line=context_line) from None
    except yaml.YAMLError as exc:
        raise YamlError(SYNTAX, None, error=str(exc), context_line=None) from None


def _compose(loader_class: Any, text: str) -> Document:
    loader = loader_class(text)
    try:
        try:
            node = loader.get_single_node()
        except RecursionError:
            raise YamlError(SYNTAX, _too_deep_line(text), error=TOO_DEEP, context_line=None) from None
        document = Document()
        if node is None:
            return document
        walk = _Walk(document)
        walk.walk(node, ())
        if walk.too_deep is not None:
            raise YamlError(SYNTAX, walk.too_deep, error=TOO_DEEP, context_line=None)
        if walk.aliases:
            error = walk.aliases[0]
            error.problems = walk.aliases
            raise error
        try:
            document.data = loader.construct_document(node)
        except (ValueError, TypeError, OverflowError) as exc:
            # a scalar its tag cannot hold: "!!int x", a date like 2024-02-30, an integer of 5000 digits
            raise YamlError(SYNTAX, _unconstructable_line(node), error=str(exc), context_line=None) from None
        return document
    finally:
        loader.dispose()


def _too_deep_line(text: str) -> int:
    """The line where ``text`` nests deeper than MAX_DEPTH (the parser works without recursion)."""
    loader = yaml.SafeLoader(text)
    depth = 0
    try:
        while (event := loader.get_event()) is not None:
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    return event.start_mark.line + 1
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()
    return 1


def _unconstructable_line(root: yaml.Node) -> int:
    """The line of the first scalar that cannot be turned into a value."""
    constructor = yaml.constructor.SafeConstructor()
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            try:
                constructor.construct_object(node)
            except Exception:
                return node.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
        elif isinstance(node, yaml.MappingNode):
            stack.extend(item for pair in reversed(node.value) for item in reversed(pair))
    return root.start_mark.line + 1
