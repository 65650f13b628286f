"""Word documents (``summary --format docx``), read back with python-docx as Word would open them."""

from __future__ import annotations

import io
import os
import re
import zipfile

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.shared import Mm
from PIL import Image

from klantreis_tui.errors import WordTemplateRefused
from klantreis_tui.formats.docx import REQUIRED_STYLES
from klantreis_tui.models.positions import Slot
from tests.conftest import load_journey
from tests.test_cli import klantreis

JOURNEYS = ("johan-paspoort", "jan-schulden", "dennis-werkbedrijf")


def read(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def headings(document, style: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.text for p in document.paragraphs if p.style.name == style]


def all_text(document) -> str:  # type: ignore[no-untyped-def]
    parts = [p.text for p in document.paragraphs]
    for grid in document.tables:
        parts.extend(cell.text for row in grid.rows for cell in row.cells)
    return "\n".join(parts)


@pytest.fixture
def one(services):
    """One short interview (the test script): where the template matters, not the journey."""
    study = services.create_study("Sjablonen")
    interview = services.start_interview(study.id, "klein")
    services.insert_step(interview.id, description="Belt de gemeente", emotion=-1)
    return interview.id


def header_texts(document) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        "\n".join(p.text for p in header.paragraphs)
        for section in document.sections
        for header in (section.header, section.first_page_header, section.even_page_header)
    ]


@pytest.fixture
def practice(services):
    study = services.create_practice_study()
    rows = {r.respondent_code: r.interview.id for r in services.list_interviews(study.id)}
    return study, rows


def test_the_interview_summary_has_headings_the_step_table_the_picture_and_concept(services, practice):
    _, rows = practice
    document = read(services.summary_docx([rows["R02"]]))
    assert headings(document, "Title") == ["Samenvatting interview R02"]
    h1 = headings(document, "Heading 1")
    assert h1[:5] == ["Aanleiding", "Verhaal (concept)", "Stappen", "Hartslag", "Dieptepunten en hoogtepunten"]
    assert "Knelpunten" in h1 and "Citaten" in h1
    assert headings(document, "Heading 2") == ["Momenten van de waarheid"]
    journey = load_journey("jan-schulden")
    (steps,) = document.tables
    assert [c.text for c in steps.rows[0].cells] == ["Nr.", "Fase", "Stap", "Instantie", "Kanaal", "Beleving"]
    assert len(steps.rows) == 1 + len(journey["steps"])
    for row, step in zip(steps.rows[1:], journey["steps"]):
        cells = [c.text for c in row.cells]
        assert cells[1:4] == [step["phase"], step["step"], ", ".join(p.strip() for p in step["instance"].split(","))]
        assert cells[5].startswith(f"{step['emotion']:+d}".replace("+0", "0"))
        assert cells[0].endswith("★") == bool(step.get("moment_of_truth"))
    assert steps.style.name == "Table Grid"
    assert steps.rows[0]._tr.trPr.xpath("./w:tblHeader")  # the header row repeats on every page
    (shape,) = document.inline_shapes
    assert shape.width == docx.shared.Cm(16)
    blip = shape._inline.graphic.graphicData.pic.blipFill.blip.embed
    image = Image.open(io.BytesIO(document.part.related_parts[blip].blob))
    assert image.format == "PNG" and image.size == (1280, 480)
    assert "Stap 5: -2" in shape._inline.docPr.get("descr")  # the alternative text reads the curve out
    assert all("CONCEPT" in text for text in header_texts(document))
    for section in document.sections:
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4, in whole twips
        assert section.orientation == WD_ORIENT.PORTRAIT
    assert "Ik durfde de enveloppen niet open te maken." in all_text(document)  # quote consent was given


def test_the_picture_draws_the_scores(services, practice):
    """The point of each step sits at its score, in the palette's colour of that score (as the poster's faces)."""
    _, rows = practice
    document = read(services.summary_docx([rows["R02"]]))
    blob = document.part.related_parts[document.inline_shapes[0]._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
    image = Image.open(io.BytesIO(blob)).convert("RGB")
    from klantreis_tui.formats import picture as pic
    from klantreis_tui.models.palette import rgb, score_colour

    scores = [s["emotion"] for s in load_journey("jan-schulden")["steps"]]
    plot_w, plot_h = pic.WIDTH - pic.LEFT - pic.RIGHT, pic.HEIGHT - pic.TOP - pic.BOTTOM
    for index, score in enumerate(scores):
        x = int(pic.LEFT + (index + 0.5) * plot_w / len(scores))
        y = int(pic.TOP + (2 - score) * plot_h / 4)
        assert image.getpixel((x, y)) == rgb(score_colour(score))
    neutral = int(pic.TOP + plot_h / 2)
    assert image.getpixel((pic.LEFT + 2, neutral)) == pic.ZERO


def test_the_synthesis_as_a_word_document(services, practice):
    study, rows = practice
    document = read(services.summary_docx(list(rows.values()), synthesis=True))
    assert headings(document, "Title") == [f"Synthese onderzoek: {study.title}"]
    h1 = headings(document, "Heading 1")
    for expected in ("Respondenten", "Beleving per fase", "Knelpunten", "Kansen en verbeterpunten", "Instanties",
                     "Kanalen", "Momenten van de waarheid", "Hartslag per respondent"):
        assert expected in h1
    respondents = document.tables[0]
    assert [r.cells[0].text for r in respondents.rows[1:]] == ["R01", "R02", "R03"]
    assert [int(r.cells[4].text) for r in respondents.rows[1:]] == [len(load_journey(n)["steps"]) for n in JOURNEYS]
    assert len(document.inline_shapes) == 1 + 3  # the phases' medians, then one heartbeat per respondent
    assert "Mediaan van de beleving per fase" in headings(document, "Heading 2")
    assert all("CONCEPT" in text for text in header_texts(document))


def test_the_three_journeys_in_word_match_the_database(services, practice):
    _, rows = practice
    document = read(services.summary_docx([rows[c] for c in ("R01", "R02", "R03")]))
    assert headings(document, "Title") == ["Samenvatting interview R01", "Samenvatting interview R02", "Samenvatting interview R03"]
    assert len(document.tables) == 3 and len(document.inline_shapes) == 3
    for grid, code in zip(document.tables, ("R01", "R02", "R03")):
        stored = services.steps(rows[code])
        assert [row.cells[2].text for row in grid.rows[1:]] == [s.description for s in stored]
        assert [row.cells[1].text for row in grid.rows[1:]] == [s.phase for s in stored]
        assert [row.cells[3].text for row in grid.rows[1:]] == [", ".join(s.instances) for s in stored]
        assert [row.cells[4].text for row in grid.rows[1:]] == [", ".join(s.channels) for s in stored]


def test_personal_data_is_redacted_by_default_and_hostile_text_is_shown_safely(services):
    study = services.create_study("Test")
    interview = services.start_interview(study.id, "klein")
    services.answer(interview.id, Slot("mee"), "j")
    texts = ["Bel 06-12345678 of jan@example.nl", "escape \x1b[2J en bel\x07", "RTL \u202egnp.exe",
             "emoji 😀", "مرحبا", "ሰላም ትግርኛ", "\ufffe einde"]
    for text in texts:
        services.insert_step(interview.id, description=text, pain_point=text, emotion=-1)
    text = all_text(read(services.summary_docx([interview.id])))
    assert "06-12345678" not in text and "jan@example.nl" not in text
    assert "escape ␛[2J en bel␇" in text and "RTL \ufffdgnp.exe" in text and "\u202e" not in text
    assert "emoji 😀" in text and "مرحبا" in text and "ሰላም ትግርኛ" in text and "\ufffd einde" in text
    kept = all_text(read(services.summary_docx([interview.id], keep_personal_data=True)))
    assert "06-12345678" in kept


def test_quotes_without_consent_stay_out(services):
    study = services.create_study("Test")
    interview = services.start_interview(study.id, "klein")
    services.answer(interview.id, Slot("mee"), "j")
    services.answer(interview.id, Slot("citaten"), "n")
    services.insert_step(interview.id, description="Balie", quotes=["Geheim citaat"])
    text = all_text(read(services.summary_docx([interview.id])))
    assert "Geheim citaat" not in text
    assert "de respondent gaf geen toestemming" in text.lower()


def a_template(tmp_path, drop: tuple[str, ...] = (), name: str = "sjabloon.docx"):  # type: ignore[no-untyped-def]
    """A user's template: its own header, margins and heading colour; without the styles in ``drop``."""
    template = docx.Document()
    template.core_properties.author = "Jan de Vries"
    template.add_paragraph("Deze voorbeeldtekst hoort niet in het verslag.")
    template.sections[0].header.paragraphs[0].text = "Gemeente Voorbeeldstad"
    template.sections[0].left_margin = Mm(30)
    template.styles["Heading 1"].font.color.rgb = docx.shared.RGBColor(0x00, 0x66, 0x33)
    for style in drop:
        element = template.styles[style].element
        element.getparent().remove(element)
    path = tmp_path / name
    template.save(path)
    return path


def test_a_template_gives_its_styles_margins_and_header(services, practice, tmp_path):
    _, rows = practice
    path = a_template(tmp_path)
    document = read(services.summary_docx([rows["R01"]], docx_template=path))
    section = document.sections[0]
    assert round(section.left_margin.mm) == 30 and round(section.page_width.mm) == 210
    header = "\n".join(p.text for p in section.header.paragraphs)
    assert "Gemeente Voorbeeldstad" in header and "CONCEPT" in header
    assert document.styles["Heading 1"].font.color.rgb == docx.shared.RGBColor(0x00, 0x66, 0x33)
    assert "Deze voorbeeldtekst" not in all_text(document)
    # the document's properties are klantreis's, none of the template's author (a person's name)
    assert (document.core_properties.author, document.core_properties.last_modified_by) == ("klantreis", "klantreis")
    assert document.core_properties.title == "Samenvatting interview R01" and document.core_properties.comments == ""
    assert headings(document, "Title") == ["Samenvatting interview R01"]
    # the table and the picture fill the template's narrower text width, not more
    text_width = section.page_width - section.left_margin - section.right_margin
    grid = document.tables[0]._tbl.tblGrid.gridCol_lst
    assert abs(sum(col.w for col in grid) - text_width) < Mm(1)
    assert document.inline_shapes[0].width <= text_width
    # word.docx in the templates folder is taken when no template is named
    folder = tmp_path / "sjablonen"
    folder.mkdir()
    a_template(folder, name="word.docx")
    found = read(services.summary_docx([rows["R01"]], templates=folder))
    assert "Gemeente Voorbeeldstad" in "\n".join(p.text for p in found.sections[0].header.paragraphs)


def test_a_dotx_template_is_taken_as_a_template(services, one, tmp_path):
    source = a_template(tmp_path)
    dotx = tmp_path / "sjabloon.dotx"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(dotx, "w") as out:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"document.main+xml", b"template.main+xml")
            out.writestr(item, data)
    document = read(services.summary_docx([one], docx_template=dotx))
    assert "Gemeente Voorbeeldstad" in document.sections[0].header.paragraphs[0].text


def test_a_template_without_the_styles_names_them(services, one, tmp_path):
    path = a_template(tmp_path, drop=("List Bullet", "Table Grid"))
    with pytest.raises(WordTemplateRefused) as caught:
        services.summary_docx([one], docx_template=path)
    message = str(caught.value)
    assert "mist de stijl List Bullet, Table Grid" in message and str(path) in message
    assert ", ".join(REQUIRED_STYLES) in message


def zip_bomb(path) -> None:  # type: ignore[no-untyped-def]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("[Content_Types].xml", "<Types/>")
        out.writestr("word/document.xml", b"\0" * (120 * 1024 * 1024))


@pytest.mark.parametrize("kind, expected", [
    ("text", "is geen Word-document: een .docx is een zipbestand"),
    ("zip", "is geen Word-document (.docx of .dotx)"),
    ("bomb", "zipbom"),
    ("huge", "is te groot"),
    ("folder", "is geen gewoon bestand"),
    ("missing", "kan niet worden gelezen"),
    ("broken-xml", "is geen Word-document (.docx of .dotx)"),
    ("entities", "is geen Word-document (.docx of .dotx)"),
])
def test_a_hostile_template_is_refused_with_a_message(services, one, tmp_path, kind, expected):
    path = tmp_path / "sjabloon.docx"
    if kind == "text":
        path.write_text("dit is geen docx")
    elif kind == "zip":
        with zipfile.ZipFile(path, "w") as out:
            out.writestr("readme.txt", "hallo")
    elif kind == "bomb":
        zip_bomb(path)
        assert path.stat().st_size < 1024 * 1024
    elif kind == "huge":
        with path.open("wb") as out:
            out.truncate(21 * 1024 * 1024)  # sparse: no disk used
    elif kind == "folder":
        path.mkdir()
    elif kind == "broken-xml":
        with zipfile.ZipFile(a_template(tmp_path, name="goed.docx")) as src, zipfile.ZipFile(path, "w") as out:
            for item in src.infolist():
                out.writestr(item, b"<w:document" if item.filename == "word/document.xml" else src.read(item))
    elif kind == "entities":  # a billion laughs in the styles: refused, never expanded
        lol = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
        head = f'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY l0 "lol">{lol}]>'.encode()
        with zipfile.ZipFile(a_template(tmp_path, name="goed.docx")) as src, zipfile.ZipFile(path, "w") as out:
            for item in src.infolist():
                data = src.read(item)
                if item.filename == "word/styles.xml":
                    data = head + data.split(b"?>", 1)[1].replace(b'w:styleId="Normal"', b'w:styleId="Normal" w:x="&l9;"', 1)
                out.writestr(item, data)
    with pytest.raises(WordTemplateRefused) as caught:
        services.summary_docx([one], docx_template=path)
    assert expected in str(caught.value)


def test_cli_writes_the_word_document_and_refuses_bad_templates_and_paths(tmp_path):
    db = tmp_path / "k.db"
    from klantreis_tui.question_sets import bundled_dir
    from klantreis_tui.services import Services

    services = Services.open(db, [bundled_dir()])
    study = services.create_practice_study()
    services.close()
    out = tmp_path / "synthese.docx"
    done = klantreis("--db", str(db), "summary", "--study", study.id[:8], "--format", "docx", "-o", str(out), home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Word-document geschreven" in done.stderr
    assert headings(read(out.read_bytes()), "Title") == [f"Synthese onderzoek: {study.title}"]
    one = tmp_path / "r03.docx"
    done = klantreis("--db", str(db), "summary", "--study", study.id[:8], "--respondent", "R03", "--format", "docx",
                     "-o", str(one), "--lang", "en", home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert headings(read(one.read_bytes()), "Title") == ["Interview summary R03"]
    assert "DRAFT" in header_texts(read(one.read_bytes()))[0]
    bad = a_template(tmp_path, drop=("Heading 2",))
    refused = tmp_path / "niet.docx"
    result = klantreis("--db", str(db), "summary", "--study", study.id[:8], "--format", "docx", "-o", str(refused),
                       "--docx-template", str(bad), home=tmp_path)
    assert result.returncode == 1 and "mist de stijl Heading 2" in result.stderr and "Traceback" not in result.stderr
    assert not refused.exists()
    folder = tmp_path / "map"
    folder.mkdir()
    result = klantreis("--db", str(db), "summary", "--study", study.id[:8], "--format", "docx", "-o", str(folder), home=tmp_path)
    assert result.returncode == 1 and "is een map" in result.stderr and list(folder.iterdir()) == []
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "pijp"
        os.mkfifo(fifo)
        result = klantreis("--db", str(db), "summary", "--study", study.id[:8], "--format", "docx", "-o", str(fifo), home=tmp_path)
        assert result.returncode == 1 and "FIFO" in result.stderr



def assert_words_whole(document, where: str) -> None:
    """Every word of every table cell fits its column (measured on the safe side, headers bold)."""
    from klantreis_tui.formats.docx import longest_word_cm

    for grid in document.tables:
        headers = [cell.text for cell in grid.rows[0].cells]
        for index, column in enumerate(grid.columns):
            for number, row in enumerate(grid.rows):
                text = row.cells[index].text
                assert longest_word_cm(text, bold=number == 0) <= column.width.cm + 0.001, (where, headers[index], text, column.width.cm)


def test_no_word_in_a_table_breaks_in_the_middle(services, practice):
    """"schuldhulpverle-ning", "webformuli-er", "Leeftijdsgroe-p" were cut by the narrow columns: each column is
    now at least as wide as its longest word (the room taken from the wide columns), the table as wide as before."""
    from docx.shared import Cm

    _, rows = practice
    for code, interview_id in rows.items():
        document = read(services.summary_docx([interview_id]))
        steps = next(g for g in document.tables if g.rows[0].cells[2].text == "Stap")
        assert abs(sum(c.width for c in steps.columns) - Cm(16)) < Cm(0.01)
        assert_words_whole(document, code)
    assert_words_whole(read(services.summary_docx(list(rows.values()), synthesis=True)), "synthese")


def test_a_word_longer_than_the_page_leaves_the_proposed_widths(services, one):
    """A word that no column could hold (a hostile 200-letter step) changes nothing: the proposal stands."""
    from klantreis_tui.formats.docx import fitted_widths

    assert fitted_widths((1, 2, 3), ["a", "b", "c"], [["x" * 200, "y", "z"]]) == [1, 2, 3]
    assert fitted_widths((1.0, 5.0), ["Nr.", "Stap"], [["1", "kort"]]) == [1.0, 5.0]


def test_a_template_without_a_section_still_gives_a4_and_concept(services, one, tmp_path):
    import re

    source = a_template(tmp_path, name="bron.docx")
    path = tmp_path / "zonder-sectie.docx"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(path, "w") as out:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/document.xml":
                data = re.sub(rb"<w:sectPr.*</w:sectPr>", b"", data, flags=re.S)
            out.writestr(item, data)
    document = read(services.summary_docx([one], docx_template=path))
    (section,) = document.sections
    assert round(section.page_width.mm) == 210 and round(section.left_margin.mm) == 25
    assert "CONCEPT" in "\n".join(p.text for p in section.header.paragraphs)
