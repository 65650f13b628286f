"""A bundle read and written in pieces, so that memory stays bounded at any number of interviews.

Reading: :class:`BundleReader` decodes the file piece by piece (any JSON layout, not only the one klantreis
writes), takes the top-level object's fields apart and validates every record of a table as it comes
(strict, with the record's own model), with the same checks as a bundle read whole (``parse_bundle``): the
limits of ``models.limits`` per record, the links across records (``models.bundle.BundleLinks``, which keeps
only ids) at the end. Records are handed on one at a time; only when the file has been read to its end
without a problem does :meth:`BundleReader.records` end without an error, so a caller that writes what it
gets in one transaction commits only a bundle that was checked whole.

Writing in pieces is ``exchange.writing``.
"""

from __future__ import annotations

import codecs
import json
import math
import re
from collections.abc import Iterable, Iterator
from typing import Any

from pydantic import BaseModel, ValidationError

from klantreis_tui.i18n import N_, library_text, t
from klantreis_tui.i18n.validation import validation_text
from klantreis_tui.models.bundle import BUNDLE_FORMAT, BUNDLE_VERSION, DELIVERABLE_TABLES, TABLE_MODELS, TABLES, Bundle, BundleLinks, _first
from klantreis_tui.models.limits import MAX_LIST_ITEMS, MAX_NESTING, MAX_TEXT_CHARS, record_id_problems, record_size_problems
from klantreis_tui.safetext import has_controls

#: characters read at a time (decoded); a record longer than this makes the buffer grow for it
PIECE = 1 << 20
#: the longest record (or top-level field) read: far above what the limits of a record allow in practice,
#: and low enough that a hostile file cannot make the reader hold (and decode) a gigabyte at once
MAX_RECORD_CHARS = 32 << 20
#: the largest number an SQLite INTEGER column holds; a revision above it cannot be stored
MAX_STORED_INTEGER = 2**63 - 1

#: a problem this close to the end of what was read may be the end of a piece, not of the value ("-Infinity")
_LONGEST_LITERAL = 16
_WHITESPACE = re.compile(r"[ \t\n\r]*")
#: DEL, C1 and bidi controls: JSON may carry them raw, a terminal or an editor would act on them (the bundle
#: writers escape them as \u escapes)
RAW_CONTROLS = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
def _float_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of ``model`` that can hold a float (a JSON value of any kind, or a float)."""
    return tuple(
        name for name, f in model.model_fields.items()
        if str(f.annotation) in ("typing.Any", "Any") or "float" in str(f.annotation)
    )


_FLOAT_FIELDS = {table: _float_fields(model) for table, model in TABLE_MODELS.items()}


def _infinite(value: Any) -> bool:
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, list):
        return any(_infinite(item) for item in value)
    if isinstance(value, dict):
        return any(_infinite(item) for item in value.values())
    return False


def _may_hold_controls(source: str) -> bool:
    """False when the JSON text of a record holds no control character: JSON escapes the C0 controls as
    \\u00XX, \\b, \\f or \\r (newline and tab do not count); DEL, C1 and bidi controls may stand raw."""
    if "\\" in source and ("\\u" in source or "\\b" in source or "\\f" in source or "\\r" in source):
        return True
    if source.isascii():  # (the common case: one look at the text, not five)
        return "\x7f" in source
    return RAW_CONTROLS.search(source) is not None


def _may_be_over_limits(source: str, record: BaseModel, floats: tuple[str, ...]) -> bool:
    """False when a record cannot hold a text, a list or a number over the limits: no text is longer than
    the JSON it is written in, a list of more items needs more commas, and only some fields hold floats."""
    if len(source) > MAX_TEXT_CHARS or (len(source) > MAX_LIST_ITEMS and source.count(",") >= MAX_LIST_ITEMS):
        return True
    return any(_infinite(getattr(record, name)) for name in floats)


_TABLE_ORDER = {name: i for i, name in enumerate(Bundle.model_fields)}


class _Constant(Exception):
    """NaN or Infinity, which are not JSON, met by the decoder."""


def _no_constant(name: str) -> Any:
    raise _Constant(name)


_SCAN = json.JSONDecoder(parse_constant=_no_constant).scan_once


class _Refused(Exception):
    """Raised inside the reader with the worded message; becomes the caller's BundleError."""

    def __init__(self, message: str, reason: str = "bundle.refused") -> None:
        super().__init__(message)
        self.message, self.reason = message, reason


class _Text:
    """The decoded text of a stream of byte pieces, from the current position on, with the line and column
    of a position in the whole file (as the json module counts them)."""

    def __init__(self, pieces: Iterable[bytes], name: str, limit: int) -> None:
        self._pieces = iter(pieces)
        self._decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.name, self.limit = name, limit
        self.buf, self.pos, self.eof = "", 0, False
        self.size = 0  # bytes read
        self._base = 0  # offset in the file's text of buf[0]
        self._lines = 0  # newlines before buf[0]
        self._line_start = 0  # offset in the file's text of the line that buf[0] is on

    def more(self) -> bool:
        """Read one more piece; False at the end of the stream."""
        if self.eof:
            return False
        if self.pos > PIECE:  # what is behind the position is no longer needed
            dropped = self.buf[: self.pos]
            newlines = dropped.count("\n")
            if newlines:
                self._lines += newlines
                self._line_start = self._base + dropped.rfind("\n") + 1
            self._base += self.pos
            self.buf, self.pos = self.buf[self.pos :], 0
        piece = next(self._pieces, None)
        try:
            if piece is None:
                self.eof = True
                text = self._decoder.decode(b"", final=True)
            else:
                self.size += len(piece)
                if self.size > self.limit:
                    raise _Refused(t('{path}: too large for a bundle ({size} bytes, at most {limit}). Nothing was imported.', path=self.name, size=self.size, limit=self.limit))
                text = self._decoder.decode(piece)
        except UnicodeDecodeError:
            raise _Refused(t('{path}: not UTF-8 text. Nothing was imported.', path=self.name)) from None
        self.buf += text
        return True

    def drain(self, keep: bool = False) -> None:
        """Read the rest (a problem was found: a text that is no UTF-8 further on is still said first);
        ``keep``: keep the text from the position on (``buf[pos:]``), else only the rest is checked."""
        while not self.eof:
            if not keep:
                self.pos = len(self.buf)
            self.more()

    def skip_space(self) -> str:
        """The next character that is not white space ("" at the end)."""
        while True:
            self.pos = _WHITESPACE.match(self.buf, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.buf) or not self.more():
                return self.buf[self.pos : self.pos + 1]

    def where(self, pos: int) -> tuple[int, int]:
        """Line and column (from 1) of ``pos`` in buf."""
        line = self._lines + self.buf.count("\n", 0, pos) + 1
        newline = self.buf.rfind("\n", 0, pos)
        column = pos - newline if newline >= 0 else self._base + pos - self._line_start + 1
        return line, column

    def invalid(self, message: str, pos: int) -> _Refused:
        line, column = self.where(pos)
        self.drain()
        return _Refused(t('{path}: not valid JSON (line {line}, column {column}: {error}); is the file truncated? Nothing was imported.', path=self.name, line=line, column=column, error=library_text(message)))

    def _too_long(self, start: int) -> _Refused:
        line, column = self.where(start)
        self.drain()
        return _Refused(t('{path}: the record at line {line}, column {column} is longer than {limit} characters; no record of a bundle is. Nothing was imported.', path=self.name, line=line, column=column, limit=MAX_RECORD_CHARS))

    def value(self, around: int = 2) -> tuple[Any, int, int]:
        """The JSON value at the position (``around`` levels deep in the file), its start and end in buf;
        the position moves past it."""
        while True:
            start = self.pos
            try:
                found, end = _SCAN(self.buf, start)
                if end - start > MAX_RECORD_CHARS:  # (the same verdict however the file was cut into pieces)
                    raise self._too_long(start)
                if end < len(self.buf) or self.eof:
                    self.pos = end
                    return found, start, end
            except StopIteration as exc:  # no value where one must be (here, or inside this one)
                if self.eof or exc.value < len(self.buf) - _LONGEST_LITERAL:
                    raise self.invalid("Expecting value", exc.value) from None
            except json.JSONDecodeError as exc:  # broken, or cut off by the end of the piece
                cut = exc.msg.startswith("Unterminated string") or exc.pos >= len(self.buf) - _LONGEST_LITERAL
                if self.eof or not cut:
                    raise self.invalid(exc.msg, exc.pos) from None
            except _Constant as exc:
                raise self.invalid(t('{value} is not allowed in JSON', value=exc), max(start, self.buf.find(str(exc), start))) from None
            except RecursionError:
                self.drain(keep=True)
                raise _deep(self.name, self.buf[self.pos :].encode("utf-8"), around) from None
            # the value goes on in the next piece (or is broken further on): read on, twice as much each time
            if len(self.buf) - start > MAX_RECORD_CHARS:
                raise self._too_long(start)
            want = 2 * (len(self.buf) - start)
            while not self.eof and len(self.buf) - self.pos < want:
                self.more()


def _deep(name: str, text: bytes, around: int) -> _Refused:
    from klantreis_tui.exchange import nesting_depth

    depth = (nesting_depth(text, MAX_NESTING - around) or MAX_NESTING - around) + around
    return _Refused(t('{path}: the JSON nests {depth} levels deep (a bundle needs at most {limit}). Nothing was imported.', path=name, depth=depth, limit=MAX_NESTING))


def _validation_message(name: str, shown: list[str], total: int) -> str:
    more = f" (+{total - 5})" if total > 5 else ""
    return t('{path}: the bundle is not valid: {problems}. Nothing was imported.', path=name, problems="; ".join(shown[:5]) + more)


class BundleReader:
    """One bundle file read as a stream of byte pieces (plain, or decrypted as it is read).

    ``records()`` yields ``(table, record)`` for every valid record in the order of the file, and raises
    ``BundleError`` (worded, the first problem as a bundle read whole would say it) when it has read the
    file to the end and found one; records after the first problem are checked but no longer handed on.
    ``controls`` lists where text holds control characters (a warning, not a refusal)."""

    def __init__(self, pieces: Iterable[bytes], name: str, limit: int) -> None:
        self.name = name
        self._text = _Text(pieces, name, limit)
        self._fields: dict[str, str] = {}  # envelope fields as their JSON text
        self._errors: list[tuple[tuple[int, int, int], str]] = []  # (order, message) of invalid fields
        self._error_count = 0
        self._ids: list[tuple[tuple[int, int], str]] = []
        self._sizes: list[tuple[tuple[int, int], str]] = []
        self._revisions: list[str] = []
        self._deepest = 0
        self.links = BundleLinks()
        self.controls: list[str] = []
        self.control_count = 0
        self.counts: dict[str, int] = {}
        self.done: set[str] = set()  # the tables read to their end
        self.envelope: Bundle | None = None

    @property
    def failed(self) -> bool:
        """Whether a problem was found so far (the bundle will be refused)."""
        return bool(self._error_count or self._ids or self._sizes or self._revisions or self._deepest)

    def records(self) -> Iterator[tuple[str, Any]]:
        try:
            yield from self._read()
            self._finish()
        except _Refused as exc:
            from klantreis_tui.exchange import BundleError

            raise BundleError(exc.message, exc.reason) from None

    # --- the file's structure ------------------------------------------------------------------

    def _read(self) -> Iterator[tuple[str, Any]]:
        text = self._text
        first = text.skip_space()
        if first != "{":  # no object: not a bundle (not decoded: it may be a gigabyte), or not JSON at all
            if first and first in '["-0123456789tfn':
                text.drain()
                raise _Refused(self._not_a_bundle())
            raise text.invalid("Expecting value", text.pos)
        text.pos += 1
        if text.skip_space() == "}":
            text.pos += 1
        else:
            while True:
                if text.skip_space() != '"':
                    raise text.invalid("Expecting property name enclosed in double quotes", text.pos)
                key = text.value()[0]
                if text.skip_space() != ":":
                    raise text.invalid("Expecting ':' delimiter", text.pos)
                text.pos += 1
                if key in self._fields or key in self.counts:
                    text.drain()
                    raise _Refused(t('{path}: the field "{field}" appears more than once. Nothing was imported.', path=self.name, field=key))
                if key in TABLE_MODELS and text.skip_space() == "[":
                    yield from self._table(key)
                else:
                    text.skip_space()
                    _, start, end = text.value(around=1)
                    raw = self._fields[key] = text.buf[start:end]
                    if raw.count("[") + raw.count("{") > MAX_NESTING - 1:
                        from klantreis_tui.exchange import nesting_depth

                        depth = nesting_depth(raw.encode("utf-8"), MAX_NESTING - 1)
                        if depth is not None:
                            self._deepest = max(self._deepest, depth + 1)
                following = text.skip_space()
                text.pos += 1
                if following == "}":
                    break
                if following != ",":
                    raise text.invalid("Expecting ',' delimiter", text.pos - 1)
        if text.skip_space():
            raise text.invalid("Extra data", text.pos)

    def _table(self, table: str) -> Iterator[tuple[str, Any]]:
        text = self._text
        model = TABLE_MODELS[table]
        self.counts[table] = 0
        text.pos += 1
        if text.skip_space() == "]":
            text.pos += 1
            self.done.add(table)
            return
        index = 0
        while True:
            text.skip_space()
            _, start, end = text.value()
            record = self._record(table, index, model, text.buf[start:end])
            if record is not None and not self.failed:
                yield table, record
            index += 1
            self.counts[table] = index
            following = text.skip_space()
            text.pos += 1
            if following == "]":
                break
            if following != ",":
                raise text.invalid("Expecting ',' delimiter", text.pos - 1)
        self.done.add(table)

    # --- one record -------------------------------------------------------------------------------

    def _record(self, table: str, index: int, model: type[BaseModel], source: str) -> Any:
        order = _TABLE_ORDER.get(table, len(_TABLE_ORDER))
        if source.count("[") + source.count("{") > MAX_NESTING - 2:
            from klantreis_tui.exchange import nesting_depth

            depth = nesting_depth(source.encode("utf-8"), MAX_NESTING - 2)
            if depth is not None:
                self._deepest = max(self._deepest, depth + 2)
                return None
        try:
            record = model.model_validate_json(source, strict=True)
        except ValidationError as exc:
            errors = exc.errors()
            self._error_count += len(errors)
            if len(self._errors) < 50:
                for error in errors[:5]:
                    where = ".".join(str(p) for p in (table, index, *error["loc"]))
                    self._errors.append(((order, index, len(self._errors)), f"{where}: {validation_text(error)}"))
            return None
        for problem in record_id_problems(table, index, record):
            self._ids.append(((list(_ID_ORDER).index(table) if table in _ID_ORDER else order, index), problem))
        floats = _FLOAT_FIELDS[table] if table in _FLOAT_FIELDS else tuple(model.model_fields)
        if _may_be_over_limits(source, record, floats):
            for problem in record_size_problems(table, index, record):
                self._sizes.append(((order, index), problem))
        if table == "answers" and record.revision > MAX_STORED_INTEGER:
            self._revisions.append(t('answers.{index}.revision: larger than {limit}', index=index, limit=MAX_STORED_INTEGER))
        if _may_hold_controls(source):
            for name, value in record:
                for where, found in _strings(value, f"{table}.{index}.{name}"):
                    if has_controls(found):
                        self.control_count += 1
                        if not self.controls:
                            self.controls.append(where)
        self.links.add(table, record)
        return record

    # --- the end: what a bundle read whole would have said first ----------------------------------------

    def _not_a_bundle(self) -> str:
        return t("{path}: this is not a klantreis bundle (field 'format' is missing or wrong). Nothing was imported.", path=self.name)

    def _finish(self) -> None:
        name = self.name
        if self._deepest:
            raise _Refused(t('{path}: the JSON nests {depth} levels deep (a bundle needs at most {limit}). Nothing was imported.', path=name, depth=self._deepest, limit=MAX_NESTING))
        fields = self._fields
        if _loads(fields.get("format")) != BUNDLE_FORMAT:
            raise _Refused(self._not_a_bundle())
        version = _loads(fields.get("schema_version"))
        if isinstance(version, int) and not isinstance(version, bool) and version != BUNDLE_VERSION:
            key = N_('{path}: this bundle has schema version {found}, made by a newer klantreis (this version reads {expected}). Nothing was imported.') if version > BUNDLE_VERSION else N_('{path}: unknown schema version {found} (expected {expected}). Nothing was imported.')
            raise _Refused(t(key, path=name, found=version, expected=BUNDLE_VERSION))
        envelope_text = "{" + ",".join(f"{json.dumps(key)}:{raw}" for key, raw in fields.items()) + "}"
        errors: list[tuple[tuple[int, int, int], str]] = []
        try:
            self.envelope = Bundle.model_validate_json(envelope_text, strict=True, context={"links": False})
        except ValidationError as exc:
            for i, error in enumerate(exc.errors()):
                loc = error["loc"]
                order = _TABLE_ORDER.get(str(loc[0]), len(_TABLE_ORDER)) if loc else -1
                errors.append(((order, -1, i), f"{'.'.join(str(p) for p in loc) or '-'}: {validation_text(error)}"))
        errors += self._errors
        total = len(errors) - len(self._errors) + self._error_count
        if errors:
            raise _Refused(_validation_message(name, [m for _, m in sorted(errors)], total))
        assert self.envelope is not None
        self.links.exported(self.envelope.exported_at)
        problems = self.links.problems()
        if problems:
            raise _Refused(_validation_message(name, [f"-: {_first(problems)}"], 1))
        over = [m for _, m in sorted(self._ids)] + [m for _, m in sorted(self._sizes)]
        if over:
            raise _Refused(_validation_message(name, over, len(over)))
        if self._revisions:
            raise _Refused(_validation_message(name, self._revisions, len(self._revisions)))


#: the tables whose ids are checked, in the order a bundle read whole reports them
_ID_ORDER = (*TABLES, *DELIVERABLE_TABLES)


def _loads(raw: str | None) -> Any:
    try:
        return json.loads(raw) if raw is not None else None
    except (ValueError, RecursionError):
        return None


def _strings(value: Any, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, f"{where}.{i}")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{where}.{key}")


def read_whole(pieces: Iterable[bytes], name: str, limit: int) -> Bundle:
    """The bundle of ``pieces`` as one object, checked as :class:`BundleReader` checks it."""
    reader = BundleReader(pieces, name, limit)
    tables: dict[str, list[Any]] = {table: [] for table in TABLE_MODELS}
    for table, record in reader.records():
        tables[table].append(record)
    assert reader.envelope is not None
    return reader.envelope.model_copy(update=tables)
