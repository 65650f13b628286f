"""Markdown as styled terminal lines, wrapped to a width: the document model of the summary screen's view.

A pure function of the text (no Textual): ``parse`` reads the Markdown the templates write (headings, lists,
tables, block quotes, fenced code, rules, paragraphs with bold, italic, code and links) in one pass over its
lines, and ``Document.layout`` wraps every line to a width keeping only where its rows begin, so a synthesis of
thousands of interviews is laid out in a fraction of a second and only the rows on screen are ever built.
Constructs it does not know are shown as their text."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from rich.cells import cell_len

Run = tuple[str, str]
"""A piece of text and its tags (space-separated names such as ``"bold h2"``; ``""`` for plain)."""

_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_RULE = re.compile(r"^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")
_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})")
_ITEM = re.compile(r"^( *)([-*+]|\d{1,9}[.)])(?:[ \t]+(.*)|$)")
_QUOTE = re.compile(r"^ {0,3}> ?(.*)$")
_DELIMITER = re.compile(r"^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_INLINE = re.compile(r"\\([!-/:-@\[-`{-~])|(`+)(.+?)\2|(\*\*|__|\*|_)|\[([^\]\n]*)\]\(([^)\s]*)\)")
_WORD = re.compile(r"\S+\s*|\s+")
_OPENERS = frozenset("#>|-*+_`~")


#: characters that take other than one cell (wide East Asian and emoji, combining and zero-width ones): text
#: without them is as wide as it is long, which is nearly all text of a write-up
_NOT_ONE_CELL = re.compile(
    "[\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0e31-\u0e3a\u1100-\u115f"
    "\u200b-\u200f\u202a-\u202e\u2060-\u206f\u231a-\u231b\u23e9-\u23ec\u2e80-\ua4cf\uac00-\ud7a3"
    "\uf900-\ufaff\ufe00-\ufe0f\ufe20-\ufe4f\uff00-\uff60\uffe0-\uffe6\U0001f000-\U0001faff"
    "\U00020000-\U0003fffd\U000e0000-\U000e0fff]"
)


def _cells(text: str) -> int:
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
    size = _cells(text)
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
            size = _cells(char)
            if used + size > width and used:
                starts.append(index)
                used = 0
            used += size
        return starts
    for match in _WORD.finditer(text):
        word = match.group()
        stripped = _cells(word.rstrip())
        if used and used + stripped > width:
            starts.append(match.start())
            used = 0
        if stripped > width:  # a word longer than a row: cut it
            for index in range(match.start(), match.end()):
                size = _cells(text[index])
                if used + size > width and used:
                    starts.append(index)
                    used = 0
                used += size
            continue
        used += _cells(word)
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
        return self.indent + sum(_cells(text) for text, _ in self.marker)

    def height(self, width: int) -> int:
        if width != self._width:
            lead = max(self._lead(), self.hanging)
            # code (an ASCII heartbeat) is not wrapped, which would break its columns: the view scrolls sideways
            self._starts = [0] if self.code else wrap_offsets(self.text, width - lead)
            self._width = width
        return len(self._starts)

    def cells(self) -> int:
        """The cells of its first row unwrapped (for code: of the row as it is drawn)."""
        return self._lead() + _cells(self.text)

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
            size = sum(_cells(t) for t, _ in runs)
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


def inline(text: str, tags: str = "") -> list[Run]:
    """Runs of one paragraph's text: ``**bold**``, ``*italic*``, ```code```, ``[text](link)``, escapes."""
    if not any(c in text for c in "\\`*_["):
        return [(text, tags)] if text else []
    runs: list[Run] = []
    bold = italic = False
    plain: list[str] = []

    def current() -> str:
        return " ".join(x for x in (tags, "bold" if bold else "", "italic" if italic else "") if x)

    def flush() -> None:
        if plain:
            runs.append(("".join(plain), current()))
            plain.clear()

    position = 0
    for match in _INLINE.finditer(text):
        plain.append(text[position:match.start()])
        position = match.end()
        escaped, ticks, code, emphasis, label, _link = match.groups()
        if escaped is not None:
            plain.append(escaped)
        elif ticks is not None:
            flush()
            runs.append((code.strip() if code.strip() else code, " ".join(x for x in (current(), "code") if x)))
        elif label is not None:
            flush()
            runs.append((label, " ".join(x for x in (current(), "link") if x)))
        else:
            before = text[match.start() - 1] if match.start() else " "
            after = text[match.end()] if match.end() < len(text) else " "
            strong = len(emphasis) == 2
            is_open = bold if strong else italic
            if emphasis[0] == "_" and before.isalnum() and after.isalnum():
                plain.append(emphasis)  # snake_case, not emphasis
            elif is_open and not before.isspace():
                flush()
                bold, italic = (False, italic) if strong else (bold, False)
            elif not is_open and not after.isspace() and (emphasis in text[match.end():]):
                flush()
                bold, italic = (True, italic) if strong else (bold, True)
            else:
                plain.append(emphasis)
    plain.append(text[position:])
    flush()
    return [run for run in runs if run[0]]


def _split_row(line: str) -> list[str]:
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    cells, current, index = [], [], 0
    while index < len(body):
        char = body[index]
        if char == "\\" and index + 1 < len(body) and body[index + 1] == "|":
            current.append("\\|")
            index += 2
            continue
        if char == "|":
            cells.append("".join(current).strip())
            current = []
        else:
            current.append(char)
        index += 1
    cells.append("".join(current).strip())
    return cells


class _Builder:
    """The block reader: one pass over the lines, a stack of open list items."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.paragraph: list[str] = []
        self.par_indent = 0
        self.par_marker: list[Run] = []
        self.par_hanging = 0
        self.par_tags = ""
        self.par_prefix: list[Run] = []
        self.items: list[tuple[int, int, int]] = []  # (marker column, content column, shown content indent)
        self.blank_pending = False

    def blank(self) -> None:
        if self.blocks and not (isinstance(self.blocks[-1], Line) and not self.blocks[-1].runs):
            self.blocks.append(Line([]))

    def space_before(self) -> None:
        if self.blank_pending:
            self.blank()
        self.blank_pending = False

    def flush(self) -> None:
        if not self.paragraph:
            return
        pieces: list[list[str]] = [[]]
        for raw in self.paragraph:
            hard = raw.endswith("  ") or (raw.endswith("\\") and not raw.endswith("\\\\"))
            text = raw.strip()
            if text.endswith("\\") and hard:
                text = text[:-1].rstrip()
            pieces[-1].append(text)
            if hard:
                pieces.append([])
        first = True
        for piece in pieces:
            if not piece and not first:
                continue
            runs = inline(" ".join(p for p in piece if p), self.par_tags)
            if first:
                self.blocks.append(Line([*self.par_prefix, *runs], self.par_indent, self.par_marker,
                                        self.par_hanging))
            else:
                self.blocks.append(Line([*self.par_prefix, *runs], self.par_hanging, [], self.par_hanging))
            first = False
        self.paragraph = []
        self.par_marker = []
        self.par_prefix = []
        self.par_tags = ""

    def start_paragraph(self, text: str, indent: int, hanging: int, marker: list[Run] | None = None,
                        tags: str = "", prefix: list[Run] | None = None) -> None:
        self.flush()
        self.paragraph = [text]
        self.par_indent, self.par_hanging = indent, hanging
        self.par_marker = marker or []
        self.par_tags = tags
        self.par_prefix = prefix or []


def parse(markdown: str) -> Document:
    """The document of ``markdown``, not yet laid out."""
    b = _Builder()
    lines = markdown.splitlines()
    index = 0
    fence: str | None = None
    code_indent = 0
    in_quote = False
    while index < len(lines):
        raw = lines[index].expandtabs(4)
        index += 1
        if fence is not None:
            if raw.strip().startswith(fence) and raw.strip().strip(fence[0]) == "":
                fence = None
                b.blank_pending = True
                continue
            b.blocks.append(Line([(raw, "code")], code_indent, [], code_indent, code=True))
            continue
        if not raw.strip():
            b.flush()
            in_quote = False
            b.blank_pending = True
            continue
        stripped = raw.lstrip(" ")
        column = len(raw) - len(stripped)
        first = stripped[0]
        if first not in _OPENERS and not first.isdigit() and b.paragraph and not b.blank_pending:
            b.paragraph.append(raw)  # a continuation line (nearly every line of a long paragraph)
            continue
        content_indent = b.items[-1][2] if b.items else 0
        if b.items and column < b.items[-1][0] and b.blank_pending and not _ITEM.match(raw):
            b.items = []  # a line left of the list after a blank line ends the list
            content_indent = 0
        if match := _FENCE.match(raw if not b.items else raw[min(column, b.items[-1][1]):]):
            b.flush()
            b.space_before()
            fence = match.group(2)
            code_indent = content_indent
            continue
        if match := _HEADING.match(raw):
            b.flush()
            b.items = []
            if b.blocks:
                b.blank()
            level = len(match.group(1))
            b.blocks.append(Line(inline(match.group(2) or "", f"h{min(level, 3)}")))
            b.blank_pending = True
            continue
        if _RULE.match(raw) and not (b.paragraph and raw.strip().startswith("-") and not b.blank_pending):
            b.flush()
            b.items = []
            b.space_before()
            b.blocks.append(Line([("─" * 40, "rule")]))
            b.blank_pending = True
            continue
        if stripped.startswith("|") and index < len(lines) and _DELIMITER.match(lines[index]) and "-" in lines[index]:
            b.flush()
            b.space_before()
            index = _table(b, raw, lines, index, content_indent)
            b.blank_pending = True
            continue
        if match := _QUOTE.match(raw):
            text = match.group(1)
            if in_quote and b.paragraph and text.strip():
                b.paragraph.append(text)
            else:
                b.flush()
                b.space_before()
                b.start_paragraph(text, content_indent, content_indent + 2, tags="quote",
                                  prefix=[])
                b.par_marker = [("▌ ", "quote-bar")]
                in_quote = True
            continue
        if (match := _ITEM.match(raw)) and not (b.paragraph and not b.items and not b.blank_pending
                                                and match.group(2)[0].isdigit() and match.group(2)[:-1] != "1"):
            marker_text = match.group(2)
            text = match.group(3) or ""
            gap = len(raw) - len(match.group(1)) - len(marker_text) - len(text)
            content_col = column + len(marker_text) + max(1, min(gap, 4))
            while b.items and column < b.items[-1][0]:
                b.items.pop()
            if b.items and column >= b.items[-1][1]:
                shown = b.items[-1][2]
                b.items.append((column, content_col, 0))
            elif b.items:
                shown = b.items[-2][2] if len(b.items) > 1 else 0
                b.items[-1] = (column, content_col, 0)
            else:
                shown = 0
                b.items.append((column, content_col, 0))
            bullet = f"{marker_text} " if marker_text[0].isdigit() else "• "
            b.items[-1] = (column, content_col, shown + len(bullet))
            b.flush()
            if b.blank_pending and len(b.items) == 1:
                b.blank()
            b.blank_pending = False
            b.start_paragraph(text, shown, shown + len(bullet), marker=[(bullet, "bullet")])
            continue
        if b.items and column >= b.items[-1][1] and b.blank_pending:
            b.flush()  # a further paragraph of the list item
            b.blank_pending = False
            b.start_paragraph(stripped, b.items[-1][2], b.items[-1][2])
            continue
        if b.paragraph and not b.blank_pending:
            b.paragraph.append(raw)  # a continuation, lazy or indented
            continue
        if not b.items and column >= 4 and not b.paragraph:
            b.space_before()
            b.blocks.append(Line([(raw[4:], "code")], 0, [], 0, code=True))
            continue
        b.items = [] if column < (b.items[-1][0] if b.items else 0) else b.items
        b.space_before()
        indent = b.items[-1][2] if b.items else 0
        b.start_paragraph(stripped, indent, indent)
    b.flush()
    while b.blocks and isinstance(b.blocks[-1], Line) and not b.blocks[-1].runs:
        b.blocks.pop()
    return Document(markdown, b.blocks)


def _table(b: _Builder, header: str, lines: list[str], index: int, indent: int) -> int:
    aligns = []
    for spec in _split_row(lines[index]):
        spec = spec.strip()
        aligns.append("center" if spec.startswith(":") and spec.endswith(":")
                      else "right" if spec.endswith(":") else "left")
    index += 1
    rows = [_split_row(header)]
    while index < len(lines) and lines[index].strip().startswith("|"):
        rows.append(_split_row(lines[index]))
        index += 1
    columns = len(aligns)
    cells = [[inline(cell, "th" if number == 0 else "") for cell in (row + [""] * columns)[:columns]]
             for number, row in enumerate(rows)]
    natural = [max(max((sum(_cells(t) for t, _ in row[c]) for row in cells), default=0), 1) for c in range(columns)]
    words = [
        min(natural[c], max((_cells(w) for row in cells for w in "".join(t for t, _ in row[c]).split()), default=1))
        for c in range(columns)
    ]
    table = Table(aligns, natural, words, indent)
    b.blocks.append(TableRow(table, cells[0], header=True))
    b.blocks.append(TableRow(table, [[] for _ in range(columns)], rule=True))
    b.blocks.extend(TableRow(table, row) for row in cells[1:])
    return index


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
