"""Word documents (DOCX): the user's template checked (it is a file from outside), A4 portrait, CONCEPT in the
header of every page, and the building blocks the reports are made of (headings, paragraphs, lists, tables,
pictures), every text cleaned for XML. python-docx is imported inside the functions: never at app start.

A template is any .docx (or .dotx) whose styles the report uses: its page margins, headers and footers (a logo)
and styles are kept, its body text is left out. It must define the styles of ``REQUIRED_STYLES``.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from typing import Any

from klantreis_tui.errors import WordTemplateRefused
from klantreis_tui.formats.text import office_text
from klantreis_tui.formats.text_layout import SAFETY, text_width

#: the styles a report uses; a template without one of them is refused, naming it
REQUIRED_STYLES: tuple[str, ...] = ("Title", "Heading 1", "Heading 2", "List Bullet", "Table Grid")
#: bounds on a template: the file, its parts unpacked together, how many parts, one part's packing ratio
MAX_TEMPLATE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_PARTS = 2000
MAX_RATIO = 200  # a part that unpacks to over 200 times its packed size (and over 1 MB) is a zip bomb
_TEMPLATE_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
_DOCUMENT_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
A4_WIDTH_MM, A4_HEIGHT_MM = 210, 297
MARGIN_MM = 25
#: the body font of a document without a template (a sans-serif font every Word has)
BODY_FONT = "Calibri"
BODY_PT = 10.5
#: Word's cell margins, left and right together
CELL_MARGINS_CM = 0.38
_PT_PER_CM = 72 / 2.54
#: where Word may break a word in a table cell: spaces, and after a hyphen or a slash
_BREAKS = re.compile(r"[\s/-]+")


def _checked_parts(data: bytes, name: str) -> bytes:
    """The template's bytes once its zip has been unpacked within the bounds (a .dotx made a .docx);
    WordTemplateRefused otherwise. Every part is read to its end: a size the zip states is not trusted."""
    if len(data) > MAX_TEMPLATE_BYTES:
        raise WordTemplateRefused("docx.too_large", path=name, size=len(data), limit=MAX_TEMPLATE_BYTES)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise WordTemplateRefused("docx.not_zip", path=name) from None
    if len(infos) > MAX_PARTS:
        raise WordTemplateRefused("docx.zip_bomb", path=name)
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names or "word/document.xml" not in names:
        raise WordTemplateRefused("docx.not_word", path=name)
    total = 0
    parts: dict[str, bytes] = {}
    for info in infos:
        if info.flag_bits & 0x1:  # an encrypted part: a protected document
            raise WordTemplateRefused("docx.not_word", path=name)
        chunks = []
        read = 0
        try:
            with archive.open(info) as member:
                while chunk := member.read(1 << 16):
                    read += len(chunk)
                    total += len(chunk)
                    if total > MAX_UNPACKED_BYTES or (read > 1 << 20 and read > MAX_RATIO * max(1, info.compress_size)):
                        raise WordTemplateRefused("docx.zip_bomb", path=name)
                    chunks.append(chunk)
        except WordTemplateRefused:
            raise
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError, ValueError):
            raise WordTemplateRefused("docx.not_zip", path=name) from None
        except Exception:  # zlib.error and the like: a damaged part
            raise WordTemplateRefused("docx.not_zip", path=name) from None
        parts[info.filename] = b"".join(chunks)
    types = parts["[Content_Types].xml"]
    if _TEMPLATE_TYPE not in types:
        return data
    # a Word template (.dotx) is a document whose main part has the template's content type
    parts["[Content_Types].xml"] = types.replace(_TEMPLATE_TYPE, _DOCUMENT_TYPE)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as rebuilt:
        for info in infos:
            rebuilt.writestr(info.filename, parts[info.filename])
    return out.getvalue()


def open_document(template: bytes | None = None, template_name: str = "", language: str = "nl"):  # type: ignore[no-untyped-def]
    """A new document: from python-docx's own template, or from the user's ``template`` (checked, its body
    emptied, its styles required). A4 portrait either way; the default template gets margins of 2.5 cm."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt

    if template is None:
        document = Document()
        normal = document.styles["Normal"].font
        normal.name, normal.size = BODY_FONT, Pt(BODY_PT)
    else:
        data = _checked_parts(template, template_name)
        try:
            document = Document(io.BytesIO(data))
        except Exception:  # python-docx's own errors, lxml's XMLSyntaxError, a KeyError for a missing part
            raise WordTemplateRefused("docx.not_word", path=template_name) from None
        missing = [name for name in REQUIRED_STYLES if not _has_style(document, name)]
        if missing:
            raise WordTemplateRefused(
                "docx.missing_styles", path=template_name, styles=", ".join(missing), required=", ".join(REQUIRED_STYLES)
            )
        body = document.element.body
        for child in list(body):
            if not child.tag.endswith("}sectPr"):
                body.remove(child)
        body.get_or_add_sectPr()  # a document without one has no section: no page size, no header for CONCEPT
    for section in document.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(A4_WIDTH_MM), Mm(A4_HEIGHT_MM)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            if template is None or getattr(section, side) is None:  # a template's own margins are kept
                setattr(section, side, Mm(MARGIN_MM))
    document.core_properties.language = "nl-NL" if language == "nl" else "en-GB"
    return document


def _has_style(document, name: str) -> bool:  # type: ignore[no-untyped-def]
    try:
        document.styles[name]
    except KeyError:
        return False
    return True


def mark_draft(document, word: str) -> None:  # type: ignore[no-untyped-def]
    """``word`` (CONCEPT) at the top of every page: in each section's header, and in its first-page and
    even-page headers, which a template may switch on."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    for section in document.sections:
        for header in (section.header, section.first_page_header, section.even_page_header):
            header.is_linked_to_previous = False
            paragraph = header.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            run = paragraph.add_run(office_text(word))
            run.bold = True
            run.font.size = Pt(10)
            run.font.color.rgb = RGBColor(0xB3, 0x26, 0x1E)


def document_bytes(document, title: str) -> bytes:  # type: ignore[no-untyped-def]
    """The document as .docx bytes, its properties klantreis's own: the title, and no author, editor or
    comment carried over from a template (they may name a person) or from python-docx's own."""
    from datetime import datetime, timezone

    properties = document.core_properties
    properties.title = office_text(title)[:255]
    properties.author, properties.last_modified_by = "klantreis", "klantreis"
    properties.comments = properties.keywords = properties.subject = properties.category = ""
    properties.created = properties.modified = datetime.now(timezone.utc).replace(microsecond=0)
    properties.revision = 1
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- building blocks ---------------------------------------------------------------------------------


class Builder:
    """Adds blocks at the end of a document's body, quickly: python-docx looks a style up by name among all
    styles and finds the body's end by walking it, for every paragraph (a synthesis of 1,000 interviews took
    minutes); here the style ids are looked up once and each block goes straight before the section end."""

    def __init__(self, document) -> None:  # type: ignore[no-untyped-def]
        self.document = document
        self.body = document.element.body
        self.end = self.body.sectPr
        self._style_ids: dict[str, str] = {}
        section = document.sections[-1]
        #: the width between the margins (a template sets its own), which tables and pictures fill at most
        self.text_width_cm = (section.page_width - section.left_margin - section.right_margin) / 360000

    def style_id(self, name: str) -> str:
        if name not in self._style_ids:
            self._style_ids[name] = self.document.styles[name].style_id
        return self._style_ids[name]

    def append(self, element) -> None:  # type: ignore[no-untyped-def]
        if self.end is not None:
            self.end.addprevious(element)
        else:
            self.body.append(element)

    def new_paragraph(self, style: str | None = None):  # type: ignore[no-untyped-def]
        from docx.oxml import OxmlElement
        from docx.text.paragraph import Paragraph

        element = OxmlElement("w:p")
        self.append(element)
        para = Paragraph(element, self.document._body)
        if style is not None:
            element.get_or_add_pPr().style = self.style_id(style)
        return para

    def page_break(self) -> None:
        from docx.enum.text import WD_BREAK

        self.new_paragraph().add_run().add_break(WD_BREAK.PAGE)


def heading(doc: Builder, text: str, level: int) -> None:
    _lines(doc.new_paragraph("Title" if level == 0 else f"Heading {level}"), text)


def paragraph(doc: Builder, text: str = "", bold_lead: str = "", italic: bool = False, style: str | None = None,
              keep_with_next: bool = False):  # type: ignore[no-untyped-def]
    """A paragraph of typed text: its line breaks kept as breaks within the paragraph; ``bold_lead`` first."""
    para = doc.new_paragraph(style)
    if bold_lead:
        para.add_run(office_text(bold_lead) + (" " if text else "")).bold = True
    if text:
        _lines(para, text, italic=italic)
    if keep_with_next:
        para.paragraph_format.keep_with_next = True
    return para


def _lines(para, text: str, italic: bool = False, bold: bool = False) -> None:  # type: ignore[no-untyped-def]
    """``text`` as one run of ``para``, a line break where the text has one."""
    run = para.add_run()
    if italic:
        run.italic = True
    if bold:
        run.bold = True
    for index, line in enumerate(office_text(text).split("\n")):
        if index:
            run.add_break()
        run.add_text(line)


def bullet(doc: Builder, text: str, bold_lead: str = "") -> None:
    paragraph(doc, text, bold_lead=bold_lead, style="List Bullet")


def longest_word_cm(text: str, bold: bool = False) -> float:
    """How wide (cm) a cell must be for the longest word of ``text`` to stay whole, with the cell margins:
    measured by Helvetica's widths, which run some 8% wider than Calibri's (the poster's extra margin for
    fallback fonts is left out: a table may not give up a column for it)."""
    words = [w for w in _BREAKS.split(office_text(text)) if w]
    widest = max((text_width(w, BODY_PT, bold=bold) / SAFETY for w in words), default=0.0)
    return widest / _PT_PER_CM + CELL_MARGINS_CM


def fitted_widths(widths_cm: Sequence[float], headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[float]:
    """The column widths, as ``widths_cm`` proposes, widened where a word (of the bold header or of a cell)
    would break in the middle ("schuldhulpverle-ning"), the room taken from the columns with room to spare; the
    table keeps its width. Where the words cannot all fit, the proposal stands."""
    need = [
        max([longest_word_cm(str(header), bold=True)] + [longest_word_cm(str(row[i])) for row in rows if i < len(row) and row[i] is not None])
        for i, header in enumerate(headers)
    ]
    wanted = [max(w, n) for w, n in zip(widths_cm, need)]
    excess = sum(wanted) - sum(widths_cm)
    spare = [max(0.0, w - n) for w, n in zip(widths_cm, need)]
    if excess <= 0 or sum(spare) < excess:
        return list(widths_cm) if excess > 0 else wanted
    share = excess / sum(spare)
    return [w - s * share if s else w for w, s in zip(wanted, spare)]


def table(doc: Builder, headers: Sequence[str], rows: Sequence[Sequence[Any]], widths_cm: Sequence[float] | None = None,
          numeric: Sequence[int] = ()) -> Any:
    """A real Word table: a bold header row that repeats on every page, the template's grid style, fixed
    column widths (in the grid, which LibreOffice reads, and in every cell, which Word reads), the columns in
    ``numeric`` aligned right."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm
    from docx.oxml.table import CT_Tbl
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    shares = list(widths_cm) if widths_cm else [1.0] * len(headers)
    scale = doc.text_width_cm / sum(shares)  # the columns in proportion, filling the width between the margins
    widths = [Cm(width) for width in fitted_widths([share * scale for share in shares], headers, rows)]
    grid = Table(CT_Tbl.new_tbl(0, len(headers), Cm(doc.text_width_cm)), doc.document._body)
    doc.append(grid._tbl)
    grid._tbl.tblPr.style = doc.style_id("Table Grid")
    grid.autofit = False
    for column, width in zip(grid._tbl.tblGrid.gridCol_lst, widths):
        column.w = width
    right = WD_ALIGN_PARAGRAPH.RIGHT

    def add_row(values: Sequence[Any], bold: bool = False) -> Any:
        tr = grid._tbl.add_tr()
        for index, (value, width) in enumerate(zip(values, widths)):
            tc = tr.add_tc()
            tc.width = width
            para = Paragraph(tc.p_lst[0] if tc.p_lst else tc.add_p(), grid)  # a new cell holds an empty paragraph
            _lines(para, "" if value is None else str(value), bold=bold)
            if index in numeric and not bold:
                para.alignment = right
        return tr

    header = add_row(headers, bold=True)
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    header.get_or_add_trPr().append(marker)
    for values in rows:
        add_row(values)
    doc.new_paragraph()
    return grid


def picture(doc: Builder, png: bytes, description: str, width_cm: float = 16.0) -> None:
    """An inline picture with its description as alternative text (read aloud by a screen reader)."""
    from docx.shared import Cm

    run = doc.new_paragraph().add_run()
    shape = run.add_picture(io.BytesIO(png), width=Cm(min(width_cm, doc.text_width_cm)))
    shape._inline.docPr.set("descr", office_text(description))
