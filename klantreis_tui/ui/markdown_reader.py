"""Markdown read into the blocks of ``ui.markdown_lines`` in one pass over its lines: headings, lists (nested by
indentation), tables, block quotes, fenced code, rules and paragraphs with bold, italic, code and links, as the
templates write them. Constructs it does not know are shown as their text."""

from __future__ import annotations

import re

from klantreis_tui.ui.markdown_lines import Block, Document, Line, Run, Table, TableRow, text_cells

_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_RULE = re.compile(r"^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")
_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})")
_ITEM = re.compile(r"^( *)([-*+]|\d{1,9}[.)])(?:[ \t]+(.*)|$)")
_QUOTE = re.compile(r"^ {0,3}> ?(.*)$")
_DELIMITER = re.compile(r"^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_INLINE = re.compile(r"\\([!-/:-@\[-`{-~])|(`+)(.+?)\2|(\*\*|__|\*|_)|\[([^\]\n]*)\]\(([^)\s]*)\)")
_OPENERS = frozenset("#>|-*+_`~")


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


def head(markdown: str, lines: int) -> str | None:
    """The beginning of ``markdown`` up to the first blank line outside code after at least ``lines`` lines:
    read alone it gives the same first blocks as the whole text (every block is closed by a blank line, a
    table by its last row). None when the text has no such line (it is short, or one block)."""
    fence: str | None = None
    pos = 0
    count = 0
    size = len(markdown)
    while pos < size:
        end = markdown.find("\n", pos)
        if end < 0:
            return None
        line = markdown[pos:end].strip()
        count += 1
        if fence is not None:
            if line.startswith(fence) and line.strip(fence[0]) == "":
                fence = None
        elif opener := _FENCE.match(line):
            fence = opener.group(2)
        elif not line and count > lines:
            return markdown[:pos]
        pos = end + 1
    return None


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
        if b.items and column < b.items[-1][1] and b.blank_pending and not _ITEM.match(raw):
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
    natural = [max(max((sum(text_cells(t) for t, _ in row[c]) for row in cells), default=0), 1) for c in range(columns)]
    words = [
        min(natural[c], max((text_cells(w) for row in cells for w in "".join(t for t, _ in row[c]).split()), default=1))
        for c in range(columns)
    ]
    table = Table(aligns, natural, words, indent)
    b.blocks.append(TableRow(table, cells[0], header=True))
    b.blocks.append(TableRow(table, [[] for _ in range(columns)], rule=True))
    b.blocks.extend(TableRow(table, row) for row in cells[1:])
    return index
