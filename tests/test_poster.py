"""The klantreis visual (``formats.poster``): a valid A3 landscape SVG, every step's text on it (or its ellipsised
start), no two text boxes overlapping, faces at the heights of their scores, the desired curve when there is one,
long texts cut, 30 steps on a second sheet, hostile text escaped, the HTML's A3 page rule; snapshots of the
three example journeys.

Regenerate the snapshots after an intended change with ``KLANTREIS_UPDATE_GOLDEN=1 pytest tests/test_poster.py``.
"""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from klantreis_tui.formats.poster import poster_html, poster_sheets, poster_svg, poster_svgs
from klantreis_tui.formats.poster_shapes import SHEET_H, SHEET_W
from klantreis_tui.formats.text_layout import ELLIPSIS, clean
from klantreis_tui.models.journey_view import JourneyView, ViewPhase, ViewScore, ViewStep
from tests.test_rendering import check_golden

SVG = "{http://www.w3.org/2000/svg}"
TODAY = date(2026, 12, 3)
JOURNEYS = {"R01": "johan-paspoort", "R02": "jan-schulden", "R03": "dennis-werkbedrijf"}


@pytest.fixture
def practice_views(services):
    study = services.create_practice_study()
    return {row.respondent_code: services.interview_view(row.interview.id) for row in services.list_interviews(study.id)}


def _texts(root: ET.Element, cls: str | None = None) -> list[str]:
    """The text of every ``<text>`` element (its lines joined by a space), of one class or all."""
    found = []
    for element in root.iter(f"{SVG}text"):
        if cls is None or element.get("class") == cls:
            spans = element.findall(f"{SVG}tspan")
            found.append(" ".join(s.text or "" for s in spans) if spans else element.text or "")
    return found


def _shown(description: str, texts: list[str]) -> bool:
    """The description is on the poster whole, or its start is, ending with an ellipsis."""
    whole = clean(description)
    for text in texts:
        if text == whole:
            return True
        if text.endswith(ELLIPSIS) and whole.startswith(text[: -len(ELLIPSIS)].rstrip()) and len(text) > 1:
            return True
    return False


def _overlaps(sheet) -> list[tuple[str, str]]:
    boxes = [(t.role, t.text, t.box) for t in sheet.texts]
    found = []
    for (ra, ta, a), (rb, tb, b) in itertools.combinations(boxes, 2):
        if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]:
            found.append((f"{ra}:{ta[:30]}", f"{rb}:{tb[:30]}"))
    return found


def _step(description: str, emotion: int | None = None, **fields) -> ViewStep:
    return ViewStep(description=description, emotion=emotion, **fields)


def _view(phases: list[ViewPhase], kind: str = "interview", title: str = "R09") -> JourneyView:
    return JourneyView(kind=kind, title=title, subtitle="Toets", phases=tuple(phases), respondents=(title,))


def _persona(desired: bool) -> JourneyView:
    scores = [ViewScore(-1.5, -2, 0, 4), ViewScore(None, None, None, 0), ViewScore(1.0, 0, 2, 3)]
    phases = [
        ViewPhase(name=name, score=score, desired=(d if desired else None), pain_points=("Wachten",),
                  desired_ideas=("Eén loket",) if desired else ())
        for name, score, d in zip(("aanvraag", "wachten", "besluit"), scores, (0.5, 1.0, 2.0))
    ]
    return JourneyView(kind="persona", title="Anna", subtitle="Schulden · alleenstaand", phases=tuple(phases),
                       respondents=("R01", "R03", "R04", "R07"), goal="Weer rust in haar hoofd")


# --- the document ---------------------------------------------------------------------------------------------


def test_the_svg_is_a_valid_a3_landscape_document_with_text_as_text(practice_views):
    svg = poster_svg(practice_views["R02"], today=TODAY)
    root = ET.fromstring(svg.encode("utf-8"))
    assert root.tag == f"{SVG}svg"
    assert (root.get("width"), root.get("height"), root.get("viewBox")) == ("420mm", "297mm", "0 0 420 297")
    assert root.get("font-family") == "Arial, Helvetica, 'Liberation Sans', 'DejaVu Sans', sans-serif"
    assert "Reis van R02" in _texts(root, "title")
    assert not any(e.tag.endswith(("image", "foreignObject", "script", "style")) for e in root.iter())


@pytest.mark.parametrize("code", sorted(JOURNEYS))
def test_every_step_is_on_the_poster_and_no_two_texts_overlap(practice_views, code):
    view = practice_views[code]
    sheets = poster_sheets(view, today=TODAY)
    root = ET.fromstring(poster_svg(view, today=TODAY).encode("utf-8"))
    steps = _texts(root, "step")
    descriptions = [s.description for p in view.phases for s in p.steps]
    assert descriptions and all(_shown(d, steps) for d in descriptions)
    for sheet in sheets:
        assert _overlaps(sheet) == []
        for text in sheet.texts:
            left, top, right, bottom = text.box
            assert 0 <= left and right <= SHEET_W and 0 <= top and bottom <= SHEET_H, text


def test_step_texts_stay_inside_their_cards_and_columns(practice_views):
    sheet = poster_sheets(practice_views["R01"], today=TODAY)[0]
    cards = [r for r in sheet.rects if r.role == "card"]
    steps = sheet.texts_of("step")
    assert len(cards) == len(steps) == 5
    for card, text in zip(cards, steps):
        left, top, right, bottom = text.box
        assert card.x < left and right < card.x + card.w and card.y < top and bottom < card.y + card.h


def test_faces_stand_at_the_height_of_their_score_and_the_curve_runs_through_them(practice_views):
    view = practice_views["R02"]
    sheet = poster_sheets(view, today=TODAY)[0]
    top, bottom = sheet.plot
    faces = [f for f in sheet.faces if f.role == "current"]
    assert [f.score for f in faces] == [s.emotion for p in view.phases for s in p.steps] == [-2, -1, -1, 1, -2, 1]
    for face in faces:
        assert face.cy == pytest.approx(top + (2 - face.score) * (bottom - top) / 4)
    neutral = [line for line in sheet.lines if line.role == "neutral"]
    assert neutral and neutral[0].y1 == pytest.approx((top + bottom) / 2)
    (curve,) = [c for c in sheet.curves if c.role == "current"]
    assert curve.points == tuple((f.cx, f.cy) for f in faces)
    # the SVG says the same: each face's circle where its score puts it
    root = ET.fromstring(poster_svg(view, today=TODAY).encode("utf-8"))
    drawn = [g for g in root.iter(f"{SVG}g") if g.get("class") == "face current"]
    assert [float(g.get("data-score")) for g in drawn] == [-2, -1, -1, 1, -2, 1]
    for g in drawn:
        circle = g.findall(f"{SVG}circle")[-3]  # the face itself, before its two eyes
        assert float(circle.get("cy")) == pytest.approx(top + (2 - float(g.get("data-score"))) * (bottom - top) / 4, abs=0.01)
    # the moment of truth (step 5) is ringed and starred
    assert [f.step for f in faces if f.moment] == [5]


def test_a_persona_draws_its_medians_with_spread_and_n_and_the_desired_curve_when_set():
    sheet = poster_sheets(_persona(desired=True), today=TODAY)[0]
    medians = [f for f in sheet.faces if f.role == "current"]
    assert [f.score for f in medians] == [-1.5, 1.0]
    assert [f.cy for f in medians] == [pytest.approx(sheet.score_y(-1.5)), pytest.approx(sheet.score_y(1.0))]
    assert sorted(t.text for t in sheet.texts_of("n")) == ["n = 0", "n = 3", "n = 4"]
    assert [line for line in sheet.lines if line.role == "spread"]
    (desired,) = [c for c in sheet.curves if c.role == "desired"]
    assert [y for _, y in desired.points] == [pytest.approx(sheet.score_y(s)) for s in (0.5, 1.0, 2.0)]
    svg = poster_svg(_persona(desired=True), today=TODAY)
    assert 'class="curve desired"' in svg and 'stroke-dasharray="2.2 1.4"' in svg
    assert "gewenste hartslag" in svg and "Eén loket" in svg and "Gebaseerd op: R01, R03, R04, R07 (n = 4)" in svg
    plain = poster_svg(_persona(desired=False), today=TODAY)
    assert 'class="curve desired"' not in plain and "gewenste hartslag" not in plain


def test_empty_lanes_and_unscored_phases_are_shown_as_such():
    view = _view([
        ViewPhase(name="oriëntatie"),
        ViewPhase(name="aanvraag", steps=(_step("Vult formulier in", -1),), score=ViewScore(-1.0, -1, -1, 1),
                  organisations=("UWV",)),
        ViewPhase(name="bezwaar", known=False, steps=(_step("Maakt bezwaar"),)),
    ])
    sheet = poster_sheets(view, today=TODAY)[0]
    assert [t.text for t in sheet.texts_of("n")] == ["n = 0", "n = 0"]  # no steps; a step without a score
    assert "geen stappen" in [t.text for t in sheet.texts_of("empty")]
    assert [t.text for t in sheet.texts_of("empty")].count("—") == 3 * 4 - 1  # four lanes a phase; one organisation
    assert any("niet in de fasen van het onderzoek" in t.text for t in sheet.texts_of("phase-facts"))
    assert [r.role for r in sheet.rects if r.role.startswith("phase")] == ["phase", "phase", "phase-unknown"]


# --- long, many and hostile -----------------------------------------------------------------------------------


def test_long_texts_are_cut_with_an_ellipsis_and_stay_in_their_cell():
    long = "Ik heb " + "heel erg lang moeten wachten op een antwoord van de gemeente " * 80  # about 5,000 characters
    view = _view([ViewPhase(name="aanvraag", steps=(_step(long, -2, quotes=(long,), pain_point=long),),
                            quotes=(long,), pain_points=(long,), organisations=(long,))])
    sheet = poster_sheets(view, today=TODAY)[0]
    for role in ("step", "quote", "pain", "organisation"):
        (text,) = sheet.texts_of(role)
        assert text.cut and text.lines[-1].endswith(ELLIPSIS), role
        assert _shown(long if role != "quote" else f"“{long}”", [text.text])
    assert _overlaps(sheet) == []
    lanes = {r.role: r for r in sheet.rects if r.role.startswith("lane-")}
    (quote,) = sheet.texts_of("quote")
    assert quote.box[3] < lanes["lane-quotes"].y + lanes["lane-quotes"].h


def test_thirty_steps_in_a_phase_continue_on_a_second_sheet():
    steps = tuple(_step(f"Stap nummer {n} met wat uitleg erbij", (n % 5) - 2) for n in range(1, 31))
    view = _view([ViewPhase(name="wachten", steps=steps, score=ViewScore(0.0, -2, 2, 30)), ViewPhase(name="besluit")])
    sheets = poster_sheets(view, today=TODAY)
    assert len(sheets) >= 2
    shown = [n for sheet in sheets for n in sheet.steps_shown[0]]
    assert shown == list(range(1, 31))  # every step once, in order
    texts = [t for sheet in sheets for t in sheet.texts_of("step")]
    assert all(_shown(s.description, [t.text for t in texts]) for s in steps)
    for sheet in sheets:
        assert _overlaps(sheet) == []
        assert [t.text for t in sheet.texts_of("sheet")] == [f"Blad {sheet.number} van {len(sheets)}"]
    assert len(poster_svgs(view, today=TODAY)) == len(sheets)
    html = poster_html(view, today=TODAY)
    assert html.count('<section class="sheet">') == len(sheets)
    assert "vervolg" in " ".join(t.text for t in sheets[1].texts_of("kicker")).casefold()


def test_hostile_text_is_escaped_and_the_svg_still_parses():
    hostile = "<script>alert(1)</script> & \x1b[2J\x00 \u202eevil\u202c مرحبا שלום 😀👍🏽 \ud800 \ufffe"
    view = _view([ViewPhase(name=hostile, steps=(_step(hostile, 1, quotes=(hostile,)),), quotes=(hostile,),
                            organisations=(hostile,), pain_points=(hostile,), opportunities=(hostile,))],
                 title=hostile)
    for document in (*poster_svgs(view, today=TODAY), poster_html(view, today=TODAY)):
        assert "<script" not in document and "\x1b" not in document and "\x00" not in document
        assert "\u202e" not in document and "\ud800" not in document and "\ufffe" not in document
        assert "&lt;script&gt;" in document and "␛[2J" in document and "مرحبا" in document and "😀" in document
    ET.fromstring(poster_svg(view, today=TODAY).encode("utf-8"))
    assert _overlaps(poster_sheets(view, today=TODAY)[0]) == []


def test_the_html_is_self_contained_with_an_a3_landscape_page_per_sheet(practice_views):
    html = poster_html(practice_views["R01"], today=TODAY)
    assert re.search(r"@page\s*\{\s*size:\s*A3 landscape;\s*margin:", html)
    assert html.count("<svg ") == 1 and "break-after: page" in html
    without_namespaces = html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert not re.search(r"https?://|<link|<script|<img|url\(", without_namespaces)
    assert '<html lang="nl">' in html and "<title>Reis van R01</title>" in html


def test_english_words_on_request(practice_views):
    svg = poster_svg(practice_views["R01"], "en", today=TODAY)
    assert "Journey of R01" in svg and "Pain points".upper() in svg and "Sheet 1 of 1" in svg and "Kansen" not in svg


@pytest.mark.parametrize("code", sorted(JOURNEYS))
def test_snapshots_of_the_example_journeys(practice_views, code):
    check_golden(f"poster/{JOURNEYS[code]}.svg", poster_svg(practice_views[code], today=TODAY))


def test_a_cell_with_more_items_than_room_ends_with_an_ellipsis_inside_its_lane():
    pains = tuple(f"Knelpunt nummer {n}: de brief kwam te laat en niemand nam op" for n in range(1, 21))
    view = _view([ViewPhase(name="aanvraag", pain_points=pains), ViewPhase(name="besluit", pain_points=pains[:1])])
    sheet = poster_sheets(view, today=TODAY)[0]
    lane = next(r for r in sheet.rects if r.role == "lane-pains")
    shown = [t for t in sheet.texts_of("pain") if t.x < sheet.columns[1][0]]
    assert 1 < len(shown) < 20
    assert shown[-1].cut and shown[-1].lines[-1].endswith(ELLIPSIS)
    assert all(not t.cut for t in shown[:-1])
    assert max(t.box[3] for t in shown) <= lane.y + lane.h
    assert _overlaps(sheet) == []


# --- measuring and wrapping -------------------------------------------------------------------------------------


def test_wrapping_keeps_every_line_within_its_width_and_breaks_a_long_word():
    from klantreis_tui.formats.text_layout import fill, text_width, wrap

    text = "Gemeente " + "W" * 60 + " belt terug over de aanvraag voor bijzondere bijstand"
    lines = wrap(text, 30.0, 2.7)
    assert all(text_width(line, 2.7) <= 30.0 for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")  # nothing lost, nothing added
    assert text_width("MMMM", 2.7) > text_width("iiii", 2.7) and text_width("ab", 2.7, bold=True) > text_width("ab", 2.7)
    assert text_width("é", 3.0) == text_width("e", 3.0) and text_width("中", 3.0) > text_width("M", 3.0)
    cut = fill(text, 30.0, 2.7, 2)
    assert cut.cut and len(cut.lines) == 2 and cut.lines[-1].endswith(ELLIPSIS)
    assert all(text_width(line, 2.7) <= 30.0 for line in cut.lines)
    assert fill("kort", 30.0, 2.7, 2) == fill("  kort\n", 30.0, 2.7, 2) and not fill("kort", 30.0, 2.7, 2).cut


def test_cleaning_leaves_nothing_xml_refuses():
    dirty = "a\x00b\x1b[31mc\x7f\u202ed\ud800e\ufffe\tf\ng"
    text = clean(dirty)
    ET.fromstring(f"<t>{text}</t>".encode("utf-8"))
    assert text == "a␀b␛[31mc␡\ufffdd\ufffde\ufffd f g"


def test_many_phases_continue_on_further_sheets_with_readable_columns():
    phases = [ViewPhase(name=f"fase {n}", steps=(_step(f"Stap in fase {n}", (n % 5) - 2),), pain_points=("Wachten",))
              for n in range(1, 31)]
    sheets = poster_sheets(_view(phases), today=TODAY)
    assert len(sheets) == 3 and [s.first_phase for s in sheets] == [0, 12, 24]
    assert [len(s.columns) for s in sheets] == [12, 12, 6]
    assert all(width > 25 for s in sheets for _, width in s.columns)
    assert [n for s in sheets for shown in s.steps_shown.values() for n in shown] == list(range(1, 31))
    assert all(s.full for s in sheets)  # each group of phases has every lane
    for sheet in sheets:
        assert _overlaps(sheet) == []
        assert [t.text for t in sheet.texts_of("sheet")] == [f"Blad {sheet.number} van 3"]


def test_a_view_without_phases_still_makes_a_sheet():
    (sheet,) = poster_sheets(_view([]), today=TODAY)
    assert "Nog geen fasen en geen stappen" in [t.text for t in sheet.texts_of("empty")]
    ET.fromstring(poster_svg(_view([]), today=TODAY).encode("utf-8"))


def test_a_persona_of_the_example_journeys_fits_without_overlaps(services):
    study = services.create_practice_study()
    codes = {r.code: r.id for r in services.store.respondents_of(study.id)}
    persona = services.create_persona(study.id, "Marco", goal="Weer grip op geld en werk", context="alleenstaand")
    services.set_persona_respondents(persona.id, [codes["R02"], codes["R03"]])
    services.set_desired(persona.id, "aanvraag", 1, ["Eén loket voor inkomen en schulden"])
    services.set_desired(persona.id, "traject", 2, [])
    view = services.persona_view(persona.id)
    (sheet,) = poster_sheets(view, today=TODAY)
    assert _overlaps(sheet) == []
    steps = _texts(ET.fromstring(poster_svg(view, today=TODAY).encode("utf-8")), "step")
    assert all(_shown(s.description, steps) for p in view.phases for s in p.steps)
    medians = {f.phase: f.score for f in sheet.faces if f.role == "current"}
    assert medians == {i: p.score.median for i, p in enumerate(view.phases) if p.score.median is not None}
    assert [f.score for f in sheet.faces if f.role == "desired"] == [1.0, 2.0]
