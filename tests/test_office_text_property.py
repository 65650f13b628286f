"""Any text in a cell or a paragraph: the file always opens, text stays text, and it reads back as the one text
rule shows it (hypothesis, every Unicode category including surrogates and control characters)."""

from __future__ import annotations

import io

import docx
import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st

from klantreis_tui.formats.docx import Builder, open_document, paragraph, table
from klantreis_tui.formats.text import office_text
from klantreis_tui.formats.xlsx import Column, Sheet, cell_text, workbook_bytes

ANY = st.text(st.characters(codec=None, exclude_categories=()), max_size=60) | st.sampled_from(
    ["a\r\nb", "x\ry", "tab\there", "\x0b\x0c", "=SUM(A1)", "+31 6", "_x000D_", "\ud800", "\ufeff", " spaced "])


@settings(max_examples=80, deadline=None)
@given(texts=st.lists(ANY, min_size=1, max_size=4))
def test_any_text_is_a_text_cell_that_reads_back(texts):
    data = workbook_bytes([Sheet("s", [Column("a")], [[text] for text in texts])])
    sheet = openpyxl.load_workbook(io.BytesIO(data))["s"]
    cells = [sheet.cell(row, 1) for row in range(2, len(texts) + 2)]
    for cell, text in zip(cells, texts):
        expected = cell_text(text) if text else None
        if expected is not None and "_x" in expected:
            continue  # written with Excel's underscore escape, which openpyxl leaves in an inline string
        assert cell.value == expected
        assert cell.data_type in ("s", "n")  # "n" for an empty cell; never "f"


@settings(max_examples=60, deadline=None)
@given(texts=st.lists(ANY, min_size=1, max_size=4))
def test_any_text_in_a_word_paragraph_and_table_reads_back(texts):
    doc = Builder(open_document())
    for text in texts:
        paragraph(doc, text)
    table(doc, ["x"], [[text] for text in texts])
    out = io.BytesIO()
    doc.document.save(out)
    read = docx.Document(io.BytesIO(out.getvalue()))
    shown = [p.text for p in read.paragraphs][: len(texts)]
    assert shown == [office_text(text) for text in texts]
