"""An Excel workbook (XLSX) from sheets of typed cells: text always text, dates real dates, numbers numbers.

The caller (the services) hands over sheets of plain values; this module writes them the way Excel users need:
every text cell a string cell (never a formula, whatever it starts with, and without a visible apostrophe),
dates and times as date cells in local time (Excel has no time zones), a frozen and filtered header row,
column widths that fit the content, control characters as visible symbols and cells over Excel's limit cut
with a note. openpyxl is imported inside the writer: never at app start.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Any

from klantreis_tui.formats.text import cut_to, office_text
from klantreis_tui.i18n import current_language, t
from klantreis_tui.models.moments import local_zone

#: the most characters (UTF-16 code units) Excel holds in one cell
MAX_CELL = 32_767
#: Excel's dates start in 1900: an earlier one (from a bundle made elsewhere) is written as text
FIRST_YEAR = 1900
#: column widths (in characters) stay between these
MIN_WIDTH, MAX_WIDTH = 6, 60
#: the height (in points) of one line of the default font, and the highest row Excel allows
LINE_HEIGHT, MAX_ROW_HEIGHT = 15, 409
#: what a sheet name may not hold in Excel, and its longest length
_SHEET_NAME_BAD = str.maketrans({c: " " for c in "[]:*?/\\"})
MAX_SHEET_NAME = 31
#: text Excel would act on when it is typed again: kept as text with Excel's own (invisible) quote prefix
_FORMULA_START = ("=", "+", "-", "@")


@dataclass(frozen=True)
class Column:
    header: str
    width: int | None = None  # None: fitted to the content (capped)
    mixed: bool = False  # text and numbers in one column (answers): numbers aligned left like the text


@dataclass
class Sheet:
    name: str
    columns: Sequence[Column]
    rows: list[list[Any]] = field(default_factory=list)


def naive_local(moment: datetime, zone: tzinfo | None) -> datetime:
    """A stored (UTC) moment as the wall-clock time Excel shows: local, without a zone, whole seconds."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(zone) if zone is not None else moment.astimezone()
    return moment.replace(tzinfo=None, microsecond=0)


#: what Excel reads as an escaped character in a cell's XML (``_x000D_`` is a carriage return)
_LOOKS_ESCAPED = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


def cell_text(value: str) -> str:
    """A text as a cell holds it: cleaned (``formats.text.office_text``), cut to Excel's limit with a note, and
    a typed ``_x000D_`` written as Excel's escape of its underscore, so that it shows as typed."""
    return _LOOKS_ESCAPED.sub(r"_x005F_\1", cut_to(office_text(value), MAX_CELL, t(" [... shortened]")))


def _shown_length(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    text = value if isinstance(value, str) else str(value)
    return max((len(line) for line in text.split("\n")), default=0)


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    """The workbook as the bytes of an .xlsx file."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.styles.cell_style import StyleArray
    from openpyxl.utils import get_column_letter

    lang = current_language()
    datetime_format = "dd-mm-yyyy hh:mm" if lang == "nl" else "yyyy-mm-dd hh:mm"
    date_format = "dd-mm-yyyy" if lang == "nl" else "yyyy-mm-dd"
    zone = local_zone()
    bold = Font(name="Calibri", size=11, bold=True)  # the workbook's own font (a nameless one shows as serif)
    wrapped = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    left = Alignment(horizontal="left", vertical="top")
    book = Workbook(write_only=True)
    book.properties.creator = "klantreis"  # not openpyxl's name, and no person's
    used_names: set[str] = set()
    known: dict[tuple[Any, ...], StyleArray] = {}

    def styled(cell: Any, key: tuple[Any, ...]) -> None:
        """Give ``cell`` the style of its kind: worked out once per kind, then copied (setting a font or an
        alignment looks it up in the workbook's style lists, which is most of the time of a large export)."""
        if key in known:
            cell._style = StyleArray(known[key])
            return
        kind, flag = key[0], key[1]
        if kind == "text":
            cell.alignment = wrapped if flag else top
            cell.quotePrefix = key[2]  # Excel's own mark: text typed like a formula stays text, shown without '
        else:
            if kind != "number":
                cell.number_format = datetime_format if kind == "datetime" else date_format
            cell.alignment = left if flag else top
        known[key] = StyleArray(cell._style)

    for sheet in sheets:
        ws = book.create_sheet(_sheet_name(sheet.name, used_names))
        texts = [[_value(v, zone) for v in row] for row in sheet.rows]
        widths = []
        for index, column in enumerate(sheet.columns):
            # a bold header is wider than its letters count: a fifth more
            longest = max([math.ceil(len(column.header) * 1.2)] + [_shown_length(row[index]) for row in texts])
            width = column.width or min(MAX_WIDTH, max(MIN_WIDTH, longest + 2))
            widths.append(width)
            ws.column_dimensions[get_column_letter(index + 1)].width = width
        ws.freeze_panes = "A2"
        # printed (or made a PDF): A4 landscape, as wide as the page, the header row on every page
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = 9  # A4
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = "1:1"
        last = get_column_letter(max(1, len(sheet.columns)))
        ws.auto_filter.ref = f"A1:{last}{len(texts) + 1}"
        header = []
        for column in sheet.columns:
            cell = WriteOnlyCell(ws, value=cell_text(column.header))
            cell.data_type = "s"
            cell.font = bold
            header.append(cell)
        ws.append(header)
        for number, row in enumerate(texts, start=2):
            cells: list[Any] = []
            lines = 1
            for value, width, column in zip(row, widths, sheet.columns):
                if value is None:
                    cells.append(None)
                    continue
                cell = WriteOnlyCell(ws, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # openpyxl takes text starting with "=" for a formula: it stays text
                    wrap = "\n" in value or len(value) > width
                    if wrap:
                        lines = max(lines, _wrapped_lines(value, width))
                    styled(cell, ("text", wrap, value.startswith(_FORMULA_START)))
                elif isinstance(value, datetime):
                    styled(cell, ("datetime", column.mixed))
                elif isinstance(value, date):
                    styled(cell, ("date", column.mixed))
                else:
                    styled(cell, ("number", column.mixed))
                cells.append(cell)
            if lines > 1:  # spreadsheet programs do not grow a row for wrapped text that was written
                ws.row_dimensions[number].height = min(MAX_ROW_HEIGHT, LINE_HEIGHT * lines)
            ws.append(cells)
    if not sheets:
        book.create_sheet("-")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _wrapped_lines(text: str, width: float) -> int:
    """How many lines ``text`` takes in a wrapped cell ``width`` characters wide (roughly: the font varies)."""
    room = max(1, int(width) - 1)
    return sum(max(1, math.ceil(len(line) / room)) for line in text.split("\n"))


def _sheet_name(name: str, used: set[str]) -> str:
    base = office_text(name).translate(_SHEET_NAME_BAD).strip().strip("'")[:MAX_SHEET_NAME] or "-"
    chosen, number = base, 2
    while chosen.casefold() in used:
        suffix = f" ({number})"
        chosen = base[: MAX_SHEET_NAME - len(suffix)] + suffix
        number += 1
    used.add(chosen.casefold())
    return chosen


def _value(value: Any, zone: tzinfo | None) -> Any:
    """One cell's value as written: text cleaned and cut, moments local and naive, numbers as numbers."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return cell_text(t("yes") if value else t("no"))
    if isinstance(value, datetime):
        try:
            moment = naive_local(value, zone)
        except (OverflowError, ValueError):  # the year 1 or 9999 moved into another zone
            return cell_text(value.isoformat())
        return moment if moment.year >= FIRST_YEAR else cell_text(moment.isoformat(sep=" "))
    if isinstance(value, date):
        return value if value.year >= FIRST_YEAR else cell_text(value.isoformat())
    if isinstance(value, int) or (isinstance(value, float) and math.isfinite(value)):
        return value
    if isinstance(value, (list, tuple)):
        return cell_text(", ".join(str(v) for v in value if v not in (None, ""))) or None
    return cell_text(str(value))
