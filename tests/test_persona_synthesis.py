"""The persona section of the study synthesis: golden Markdown, the HTML with both curves as SVG (points at the
right heights), and the synthesis of a stored study with its persona's."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from klantreis_tui.models.journey_view import JourneyView, ViewPhase, ViewScore
from klantreis_tui.question_sets import bundled_dir, load_question_set
from klantreis_tui.rendering.svg import score_y
from klantreis_tui.rendering.summary import study_context
from klantreis_tui.rendering.templates import render
from klantreis_tui.services import Services
from tests.personas_study import build
from tests.test_rendering import three_records

GOLDEN = Path(__file__).parent / "golden"
XHTML = "{http://www.w3.org/1999/xhtml}"
SVG = "{http://www.w3.org/2000/svg}"

VIEW = JourneyView(
    kind="persona", title="Oudere zonder DigiD", subtitle="Drie voorbeeldreizen · weinig digitaal vaardig",
    respondents=("R01", "R02"), goal="Een nieuw paspoort voor de reis", context="Woont alleen; de dochter helpt",
    phases=(
        ViewPhase("oriëntatie", score=ViewScore(-1, -1, -1, 2), desired=1.0, desired_ideas=("Uitleg op papier",)),
        ViewPhase("aanvraag", score=ViewScore(-1.5, -2, -1, 2), desired=0.0),
        ViewPhase("wachten"),
        ViewPhase("nazorg", known=False, score=ViewScore(2, 2, 2, 1)),
    ),
)
THEMES = [("Afspraak maken is lastig", 2), ("Brieven onduidelijk", 1)]


@pytest.fixture(scope="module")
def vng():
    return load_question_set(bundled_dir() / "vng-algemeen.yaml")


def context(vng, personas):
    records = three_records()
    return study_context(records[0].study, records, {"vng-algemeen": vng}, personas=personas)


def test_study_markdown_with_a_persona_matches_golden(vng):
    text = render("study.md.j2", context(vng, [(VIEW, THEMES)]))
    path = GOLDEN / "study-personas.md"
    if os.environ.get("KLANTREIS_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8", newline="\n")
    assert text == path.read_text(encoding="utf-8")
    assert "| aanvraag | 2 | -1,5 | -2 | -1 | 0 |  |" in text
    assert "| wachten | 0 |  |  |  |  |  |" in text
    assert "Afspraak maken is lastig (2 respondenten)" in text


def test_without_persona_the_synthesis_has_no_persona_section(vng):
    text = render("study.md.j2", context(vng, []))
    assert "Persona's" not in text
    assert text == (GOLDEN / "study.md").read_text(encoding="utf-8")


def test_html_draws_both_curves_at_their_heights(vng):
    page = render("study.html.j2", context(vng, [(VIEW, THEMES)]))
    root = ET.fromstring(page)
    article = root.find(f".//{XHTML}article")
    assert article is not None and article.find(f"{XHTML}h3").text == "Oudere zonder DigiD"
    svg = article.find(f".//{SVG}svg")
    height = int(svg.get("height"))
    current = [(c.get("data-step"), float(c.get("cy"))) for c in svg.iter(f"{SVG}circle")]
    assert current == [("1", score_y(-1, height)), ("2", score_y(-1.5, height)), ("4", score_y(2, height))]
    desired = [(p.get("data-step"), p.get("data-score")) for p in svg.iter(f"{SVG}polygon") if p.get("class") == "desired"]
    assert desired == [("1", "1"), ("2", "0")]
    first = next(p for p in svg.iter(f"{SVG}polygon") if p.get("class") == "desired")
    ys = [float(point.split(",")[1]) for point in first.get("points").split()]
    assert (min(ys) + max(ys)) / 2 == pytest.approx(score_y(1, height))  # the diamond sits on +1
    spreads = [(float(line.get("y1")), float(line.get("y2"))) for line in svg.iter(f"{SVG}line") if line.get("class") == "spread"]
    assert spreads[1] == (score_y(-1, height), score_y(-2, height))  # aanvraag: -2..-1
    axis = [t.text for t in svg.find(f"{SVG}g[@class='grid']").iter(f"{SVG}text")]
    assert axis[-4:] == ["oriëntatie", "aanvraag", "wachten", "nazorg"]
    legend = [t.text for t in svg.find(f"{SVG}g[@class='legend']").iter(f"{SVG}text")]
    assert legend == ["Huidig (mediaan)", "Gewenst"]


def test_the_synthesis_of_a_stored_study_shows_its_personas(services: Services):
    built = build(services)
    persona = services.create_persona(built.study_id, "Zelfstandige", goal="Snel weer inkomen")
    services.set_persona_respondents(persona.id, [built.respondents["R01"], built.respondents["R02"]])
    services.set_desired(persona.id, "aanvraag", 1, ["Eén loket"])
    services.create_persona(built.study_id, "Nog leeg")
    ids = services.select_interviews(study=built.study_id)
    text = services.summary_text(ids, "md", synthesis=True)
    section = text.split("## Persona's")[1].split("\n## ")[0]
    assert "### Zelfstandige" in section and "R01, R02 (2 respondenten)" in section
    assert "| aanvraag | 2 | -0,8 | -1,5 | 0 | +1 | Eén loket |" in section
    assert "Lange formulieren (2 respondenten); Kastje en muur (1 respondent)" in section
    assert "### Nog leeg" in section and "nog geen respondenten gekozen" in section
    html = services.summary_text(ids, "html", synthesis=True)
    assert html.count('class="desired"') == 1 and "Zelfstandige" in html


def test_the_synthesis_redacts_a_personas_own_texts_but_keeps_its_invented_name(services: Services):
    """The persona's story, goal, context, segment and desired ideas are free text typed by the team: redacted in
    the synthesis like every other text, except the words of the persona's (invented) name."""
    built = build(services)
    persona = services.create_persona(
        built.study_id, "Henk, vastgelopen na ontslag", goal="Henk wil rust; mail henk.smit@example.nl",
        context="Woont op Dorpsstraat 12, 1234 AB Ergens", story="Henk belt mevrouw Jansen op 06-12345678.",
        segment="Bel 020-1234567",
    )
    services.set_persona_respondents(persona.id, [built.respondents["R01"]])
    services.set_desired(persona.id, "aanvraag", 1, ["Bel Pieter Bakker op 020-1234567"])
    ids = services.select_interviews(study=built.study_id)
    for fmt in ("md", "html"):
        text = services.summary_text(ids, fmt, synthesis=True)
        for leak in ("06-12345678", "020-1234567", "henk.smit@example.nl", "Dorpsstraat 12", "Jansen", "Pieter Bakker"):
            assert leak not in text, (fmt, leak)
        assert "Henk, vastgelopen na ontslag" in text and "Henk belt" in text and "Henk wil rust" in text
        assert "[telefoonnummer]" in text
    kept = services.study_synthesis(ids, "md", keep_personal_data=True)
    assert "Henk belt mevrouw Jansen op 06-12345678." in kept and "Bel Pieter Bakker op 020-1234567" in kept
    # the persona screen's own view shows what was typed
    assert services.persona_view(persona.id, keep_personal_data=True).story == "Henk belt mevrouw Jansen op 06-12345678."
