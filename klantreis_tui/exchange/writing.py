"""A bundle written in pieces: :func:`bundle_chunks` writes the envelope (a bundle with empty tables, as pydantic
writes it) and fills every table from batches of records, byte for byte what ``bundle_json`` writes for the same
bundle; the controls that ``exchange.stream.RAW_CONTROLS`` finds are written as \\u escapes (:func:`escaped`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from pydantic import TypeAdapter

from klantreis_tui.models.bundle import Bundle

_ADAPTERS: dict[type, TypeAdapter[Any]] = {}


#: ``RAW_CONTROLS`` in UTF-8: DEL, then the lead bytes of C1 (\xc2) and of the bidi controls (\xe2) with what
#: follows them (a lead byte is never a continuation byte: no match inside another character)
_RAW_BYTES = re.compile(rb"\x7f|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]")


def _escape(match: re.Match[bytes]) -> bytes:
    return b"\\u%04x" % ord(match.group().decode("utf-8"))


def escaped_bytes(data: bytes) -> bytes:
    """UTF-8 ``data`` with ``RAW_CONTROLS`` written as \\u escapes (the same JSON value); looked for only
    where their lead bytes are there at all."""
    if b"\x7f" in data or b"\xc2" in data or b"\xe2" in data:
        return _RAW_BYTES.sub(_escape, data)
    return data


def escaped(text: str) -> bytes:
    """``text`` as UTF-8 with ``RAW_CONTROLS`` written as \\u escapes (the same JSON value)."""
    return escaped_bytes(text.encode("utf-8"))


def bundle_chunks(envelope: Bundle, tables: dict[str, Callable[[], Iterable[list[Any]]]]) -> Iterator[bytes]:
    """The bundle file in pieces: ``envelope`` (its tables empty) as pydantic writes it (indent 2), each
    table of ``tables`` filled from the batches of records its function yields; the same bytes as
    ``bundle_json`` of the whole bundle."""
    skeleton = envelope.model_dump_json(indent=2)
    position = 0
    for table in Bundle.model_fields:
        if table not in tables:
            continue
        marker = f'\n  "{table}": []'
        found = skeleton.index(marker, position) + len(marker) - 1
        first = True
        for batch in tables[table]():
            if not batch:
                continue
            adapter = _ADAPTERS.get(type(batch[0]))
            if adapter is None:
                adapter = _ADAPTERS[type(batch[0])] = TypeAdapter(list[type(batch[0])])  # type: ignore[misc]
            # the items, two spaces further in (as bytes: decoding and encoding them again costs as much)
            inner = escaped_bytes(adapter.dump_json(batch, indent=2)[2:-2].replace(b"\n", b"\n  "))
            if first:
                yield escaped(skeleton[position : found - 1] + "[\n  ") + inner
                first = False
            else:
                yield b",\n  " + inner
            position = found + 1
        if not first:
            yield b"\n  ]"
    yield escaped(skeleton[position:]) + b"\n"
