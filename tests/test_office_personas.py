"""Persona's in the office formats: their sheets in the workbook, their section in the Word synthesis (current
and desired heartbeat as a table and a picture)."""

from __future__ import annotations

import io

import docx
import openpyxl
import pytest
from PIL import Image

from klantreis_tui.formats import picture as pic


def by_header(sheet) -> list[dict]:  # type: ignore[no-untyped-def]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    return [dict(zip(rows[0], row)) for row in rows[1:]]


@pytest.fixture
def with_persona(services):
    """The practice study with one persona built from R01 and R02, a desired score for two phases."""
    study = services.create_practice_study()
    respondents = {r.code: r.id for r in services.study_respondents(study.id)}
    persona = services.create_persona(study.id, "Sandra", goal="Snel geholpen worden", segment="werkzoekend",
                                      story="Sandra verloor haar baan.")
    services.set_persona_respondents(persona.id, [respondents["R01"], respondents["R02"]])
    services.set_desired(persona.id, "aanvraag", 1, ["Eén loket", "Terugbellen binnen een dag"])
    services.set_desired(persona.id, "orientatie", 0, [])
    return study, persona, services.select_interviews(study=study.id)


def test_the_workbook_has_the_persona_and_its_heartbeat(services, with_persona):
    study, persona, ids = with_persona
    book = openpyxl.load_workbook(io.BytesIO(services.workbook(ids)))
    assert book.sheetnames == ["Interviews", "Stappen", "Antwoorden", "Thema's", "Persona's", "Hartslag persona's", "Acties"]
    (row,) = by_header(book["Persona's"])
    assert (row["Persona"], row["Segment"], row["Doel"], row["Verhaal"]) == ("Sandra", "werkzoekend", "Snel geholpen worden", "Sandra verloor haar baan.")
    assert row["Respondenten"] == 2 and row["Respondentcodes"] == "R01, R02"
    view = services.persona_view(persona.id)
    beats = by_header(book["Hartslag persona's"])
    assert [b["Fase"] for b in beats] == [p.name for p in view.phases]
    for b, phase in zip(beats, view.phases):
        assert b["n"] == phase.score.n and b["Huidig (mediaan)"] == phase.score.median
        assert b["Laagste"] == phase.score.low and b["Hoogste"] == phase.score.high and b["Gewenst"] == phase.desired
    wanted = next(b for b in beats if b["Fase"] == "aanvraag")
    assert wanted["Gewenst"] == 1 and wanted["Ideeën voor de gewenste reis"] == "Eén loket, Terugbellen binnen een dag"
    assert isinstance(wanted["Huidig (mediaan)"], (int, float)) and book["Hartslag persona's"]["E2"].data_type == "n"


def test_the_word_synthesis_shows_the_persona_with_both_curves(services, with_persona):
    study, persona, ids = with_persona
    document = docx.Document(io.BytesIO(services.summary_docx(ids, synthesis=True)))
    h1 = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert "Persona's: huidige en gewenste klantreis" in h1
    assert "Sandra" in [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Gebouwd op: R01, R02 (2 respondenten)" in text and "Doel: Snel geholpen worden" in text
    view = services.persona_view(persona.id)
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Fase" and t.rows[0].cells[5].text == "Gewenst")
    assert [r.cells[0].text for r in table.rows[1:]] == [
        p.name if p.known else f"{p.name} (geen fase van het onderzoek)" for p in view.phases]
    aanvraag = next(r for r in table.rows[1:] if r.cells[0].text == "aanvraag")
    assert aanvraag.cells[5].text == "+1" and aanvraag.cells[6].text == "Eén loket; Terugbellen binnen een dag"
    # the persona's picture: both curves; its alternative text names current and desired per phase
    shapes = [s for s in document.inline_shapes if "Sandra" in s._inline.docPr.get("descr")]
    assert len(shapes) == 1 and "aanvraag" in shapes[0]._inline.docPr.get("descr")
    blob = document.part.related_parts[shapes[0]._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
    image = Image.open(io.BytesIO(blob)).convert("RGB")
    index = [p.name for p in view.phases].index("aanvraag")
    x = int(pic.LEFT + (index + 0.5) * (pic.WIDTH - pic.LEFT - pic.RIGHT) / len(view.phases))
    y = int(pic.TOP + (2 - 1) * (pic.HEIGHT - pic.TOP - pic.BOTTOM) / 4)
    column = [image.getpixel((x, yy)) for yy in range(y - 12, y + 13)]
    assert pic.DESIRED in column  # the desired point's outline at +1


def test_a_study_without_persona_has_no_persona_section(services):
    study = services.create_practice_study()
    document = docx.Document(io.BytesIO(services.summary_docx(services.select_interviews(study=study.id), synthesis=True)))
    assert "Persona's: huidige en gewenste klantreis" not in [p.text for p in document.paragraphs]
    book = openpyxl.load_workbook(io.BytesIO(services.workbook(services.select_interviews(study=study.id))))
    assert by_header(book["Persona's"]) == [] and by_header(book["Hartslag persona's"]) == []


def test_the_desired_journey_has_one_colour_in_every_output(services, with_persona):
    """The poster (SVG and HTML), the HTML synthesis and the Word picture draw the desired curve in the palette's
    one blue, and a score's point in the palette's colour of that score; no other blue is left in them."""
    import re

    from klantreis_tui.models import palette

    study, persona, ids = with_persona
    view = services.persona_view(persona.id)
    svg = services.poster_documents(view, "svg")[0]
    html = services.poster_documents(view, "html")[0]
    synthesis = services.summary_text(ids, "html", synthesis=True)
    for name, text in (("poster svg", svg), ("poster html", html), ("synthesis", synthesis)):
        desired = re.findall(r'class="[^"]*desired[^"]*"[^>]*?(?:stroke)="(#[0-9a-f]{6})"', text)
        assert desired and set(desired) == {palette.DESIRED}, name
        blues = {c for c in re.findall(r"#[0-9a-f]{6}", text) if int(c[5:7], 16) > int(c[1:3], 16) + 80}
        assert blues <= {palette.DESIRED}, (name, blues)
    # a point of the HTML synthesis: the colour of its score, as the poster's face of that score
    points = re.findall(r'<circle class="point"[^>]*fill="(#[0-9a-f]{6})"[^>]*data-score="([-0-9.]+)"', synthesis)
    assert points and all(fill == palette.score_colour(float(score)) for fill, score in points)
    # the Word picture: the desired point's outline at +1 in aanvraag, in the same blue
    document = docx.Document(io.BytesIO(services.summary_docx(ids, synthesis=True)))
    (shape,) = [s for s in document.inline_shapes if "Sandra" in s._inline.docPr.get("descr")]
    image = Image.open(io.BytesIO(document.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed].blob)).convert("RGB")
    index = [p.name for p in view.phases].index("aanvraag")
    x = int(pic.LEFT + (index + 0.5) * (pic.WIDTH - pic.LEFT - pic.RIGHT) / len(view.phases))
    y = int(pic.TOP + (2 - 1) * (pic.HEIGHT - pic.TOP - pic.BOTTOM) / 4)
    assert palette.rgb(palette.DESIRED) in [image.getpixel((x, yy)) for yy in range(y - 12, y + 13)]
