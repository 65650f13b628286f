"""Markdown as styled terminal lines, wrapped to a width: the document model of the summary screen's view.

Pure (no Textual): ``ui.markdown_reader.parse`` makes the blocks (a line of text, a row of a table), and
``Document.layout`` wraps every block to a width keeping only where its rows begin, so a synthesis of thousands
of interviews is laid out in a fraction of a second and only the rows on screen are ever built."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from rich.cells import cell_len

Run = tuple[str, str]
"""A piece of text and its tags (space-separated names such as ``"bold h2"``; ``""`` for plain)."""

_WORD = re.compile(r"\S+\s*|\s+")


#: characters that take other than one cell (wide East Asian and emoji, combining and zero-width ones): text
#: without them is as wide as it is long, which is nearly all text of a write-up
_NOT_ONE_CELL = re.compile(
    "[\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0e31-\u0e3a\u1100-\u115f"
    "\u200b-\u200f\u202a-\u202e\u2060-\u206f\u231a-\u231b\u23e9-\u23ec\u2e80-\ua4cf\uac00-\ud7a3"
    "\uf900-\ufaff\ufe00-\ufe0f\ufe20-\ufe4f\uff00-\uff60\uffe0-\uffe6\U0001f000-\U0001faff"
    "\U00020000-\U0003fffd\U000e0000-\U000e0fff]"
)


def text_cells(text: str) -> int:
    """How many cells ``text`` takes on a terminal."""
    return len(text) if text.isascii() or not _NOT_ONE_CELL.search(text) else cell_len(text)


def _slice_runs(runs: list[Run], start: int, end: int) -> list[Run]:
    """The part of ``runs`` between two offsets of their joined text."""
    out: list[Run] = []
    position = 0
    for text, tags in runs:
        stop = position + len(text)
        if stop > start and position < end:
            out.append((text[max(0, start - position):end - position], tags))
        position = stop
        if position >= end:
            break
    return out


def wrap_offsets(text: str, width: int, words: bool = True) -> list[int]:
    """Where each row of ``text`` begins when it is wrapped to ``width`` cells: at spaces where it can (words
    longer than a row are cut), or anywhere (``words=False``)."""
    width = max(1, width)
    size = text_cells(text)
    if size <= width:
        return [0]
    starts = [0]
    used = 0
    if size == len(text) and words and " " in text:
        # one cell a character: break at the last space that fits, a row at a time
        position, end = 0, len(text)
        while end - position > width:
            cut = text.rfind(" ", position, position + width + 1)
            following = cut + 1 if cut > position else position + width
            while following < end and text[following] == " ":
                following += 1
            if following >= end:
                break
            starts.append(following)
            position = following
        return starts
    if not words:
        for index, char in enumerate(text):
            size = text_cells(char)
            if used + size > width and used:
                starts.append(index)
                used = 0
            used += size
        return starts
    for match in _WORD.finditer(text):
        word = match.group()
        stripped = text_cells(word.rstrip())
        if used and used + stripped > width:
            starts.append(match.start())
            used = 0
        if stripped > width:  # a word longer than a row: cut it
            for index in range(match.start(), match.end()):
                size = text_cells(text[index])
                if used + size > width and used:
                    starts.append(index)
                    used = 0
                used += size
            continue
        used += text_cells(word)
    return starts


@dataclass(slots=True)
class Line:
    """One logical line (a paragraph, a list item, a heading, a line of code): its runs, the cells before its
    first row (``indent``, after which ``marker`` is drawn) and before every further row (``hanging``)."""

    runs: list[Run]
    indent: int = 0
    marker: list[Run] = field(default_factory=list)
    hanging: int = 0
    code: bool = False
    text: str = ""
    _width: int = -1
    _starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.text = "".join(text for text, _ in self.runs)

    def _lead(self) -> int:
        return self.indent + sum(text_cells(text) for text, _ in self.marker)

    def height(self, width: int) -> int:
        if width != self._width:
            lead = max(self._lead(), self.hanging)
            # code (an ASCII heartbeat) is not wrapped, which would break its columns: the view scrolls sideways
            self._starts = [0] if self.code else wrap_offsets(self.text, width - lead)
            self._width = width
        return len(self._starts)

    def cells(self) -> int:
        """The cells of its first row unwrapped (for code: of the row as it is drawn)."""
        return self._lead() + text_cells(self.text)

    def row(self, width: int, index: int) -> list[Run]:
        self.height(width)
        start = self._starts[index]
        end = self._starts[index + 1] if index + 1 < len(self._starts) else len(self.text)
        runs = _slice_runs(self.runs, start, end)
        if not self.code and runs and index + 1 < len(self._starts):  # the space a row was broken at
            text, tags = runs[-1]
            runs[-1] = (text.rstrip(), tags)
        if index == 0:
            lead = max(self._lead(), self.hanging)
            pad = lead - self._lead()
            return [(" " * self.indent, ""), *self.marker, *([(" " * pad, "")] if pad else []), *runs]
        return [(" " * self.hanging, ""), *runs]


@dataclass(slots=True)
class TableRow:
    """One row of a table; the table's columns are fitted to the width when it is laid out."""

    table: Table
    cells: list[list[Run]]
    header: bool = False
    rule: bool = False
    _width: int = -1
    _starts: list[list[int]] = field(default_factory=list)

    def height(self, width: int) -> int:
        if width != self._width:
            widths = self.table.fit(width)
            self._starts = [
                wrap_offsets("".join(t for t, _ in cell), w) if not self.rule else [0]
                for cell, w in zip(self.cells, widths)
            ]
            self._width = width
        return max((len(s) for s in self._starts), default=1)

    def row(self, width: int, index: int) -> list[Run]:
        self.height(width)
        widths = self.table.fit(width)
        out: list[Run] = [(" " * self.table.indent, "")]
        for number, (cell, w) in enumerate(zip(self.cells, widths)):
            if number:
                out.append(("─┼─" if self.rule else " │ ", "rule"))
            if self.rule:
                out.append(("─" * w, "rule"))
                continue
            starts = self._starts[number]
            if index < len(starts):
                text = "".join(t for t, _ in cell)
                end = starts[index + 1] if index + 1 < len(starts) else len(text)
                runs = _slice_runs(cell, starts[index], end)
                if runs and index + 1 < len(starts):
                    runs[-1] = (runs[-1][0].rstrip(), runs[-1][1])
            else:
                runs = []
            size = sum(text_cells(t) for t, _ in runs)
            pad = max(0, w - size)
            if self.table.aligns[number] == "right":
                out += [(" " * pad, ""), *runs]
            elif self.table.aligns[number] == "center":
                out += [(" " * (pad // 2), ""), *runs, (" " * (pad - pad // 2), "")]
            else:
                out += [*runs, (" " * pad, "")]
        return out


@dataclass(slots=True)
class Table:
    """A table's alignments, its columns' natural widths and longest words, and the widths fitted to the last
    width asked."""

    aligns: list[str]
    natural: list[int]
    words: list[int]
    indent: int = 0
    _width: int = -1
    _fitted: list[int] = field(default_factory=list)

    def fit(self, width: int) -> list[int]:
        """Column widths within ``width``: natural where they fit, else the widest columns narrowed first,
        down to their longest word, and only then below it (words cut)."""
        if width == self._width:
            return self._fitted
        widths = list(self.natural)
        room = max(len(widths), width - self.indent - 3 * (len(widths) - 1))
        excess = sum(widths) - room
        for floor in (self.words, [1] * len(widths)):
            while excess > 0:
                movable = [i for i in range(len(widths)) if widths[i] > floor[i]]
                if not movable:
                    break
                widest = max(movable, key=lambda i: widths[i])
                widths[widest] -= 1
                excess -= 1
        self._width, self._fitted = width, widths
        return widths


Block = Line | TableRow


class Document:
    """The blocks of a Markdown text and, after ``layout(width)``, the row where each block begins."""

    def __init__(self, source: str, blocks: list[Block]):
        self.source = source
        self.blocks = blocks
        self.width = -1
        self.starts: list[int] = []
        self.height = 0
        #: the widest row once laid out: ``width``, or more where a line of code is wider
        self.wide = 0

    def layout(self, width: int) -> None:
        """Wrap every block to ``width`` cells (only row offsets are kept; rows are built when drawn)."""
        width = max(8, width)
        if width == self.width:
            return
        starts = []
        row = 0
        wide = width
        for block in self.blocks:
            starts.append(row)
            row += block.height(width)
            if isinstance(block, Line) and block.code:
                wide = max(wide, block.cells())
        self.width, self.starts, self.height, self.wide = width, starts, row, wide

    def row(self, y: int) -> list[Run]:
        """The runs of row ``y`` of the laid-out document (empty past its end)."""
        if y < 0 or y >= self.height:
            return []
        index = bisect_right(self.starts, y) - 1
        return self.blocks[index].row(self.width, y - self.starts[index])

    def block_at(self, y: int) -> tuple[int, int]:
        """The block shown at row ``y`` and the row within it."""
        if not self.blocks:
            return 0, 0
        index = max(0, bisect_right(self.starts, y) - 1)
        return index, y - self.starts[index]

    def plain_rows(self) -> list[str]:
        """Every row as plain text (what the view shows, without styles)."""
        return ["".join(text for text, _ in self.row(y)) for y in range(self.height)]
