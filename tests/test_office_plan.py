"""The improvement plan in the office formats: the workbook's sheet of actions, the plan as a Word document
(``klantreis plan STUDY --format docx``, ``w`` on the plan screen)."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import openpyxl

from klantreis_tui.question_sets import bundled_dir
from klantreis_tui.services import Services
from klantreis_tui.ui.screens.plan import PlanScreen
from tests.test_cli import klantreis
from tests.test_plan import PHONE, build
from tests.uihelpers import build_app, press


def by_header(sheet) -> list[dict]:  # type: ignore[no-untyped-def]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def test_the_workbook_holds_the_plan_ranked(services: Services):
    ids = build(services)
    plan = services.improvement_plan(ids["study"])
    book = openpyxl.load_workbook(io.BytesIO(services.workbook(services.select_interviews(study=ids["study"]))))
    assert book.sheetnames[-1] == "Acties"
    rows = by_header(book["Acties"])
    assert [(r["Rang"], r["Actie"], r["Respondenten"]) for r in rows] == [
        *[(a.rank, a.action.title, a.respondent_count) for a in plan.actions], (None, "Brieven weg", 1)]
    assert rows[-1]["Status"] == "vervallen" and rows[0]["Status"] == "voorgesteld"
    second = rows[1]
    assert (second["Instantie"], second["Rol"], second["Thema's"]) == ("Gemeente Utrecht", "teamleider", "Wachten")
    assert second["Respondentcodes"] == "R01, R02, R03" and isinstance(second["Respondenten"], int)
    words = second["Woorden van inwoners"].split("\n")
    assert words[0] == "Knelpunt (R01, stap 1): lang wachten"
    assert all(PHONE not in str(v) for r in rows for v in r.values())  # redacted by default
    assert any("[telefoonnummer]" in str(r["Woorden van inwoners"]) for r in rows)


def test_the_plan_as_a_word_document(services: Services, tmp_path: Path):
    ids = build(services)
    plan = services.improvement_plan(ids["study"])
    document = docx.Document(io.BytesIO(services.plan_docx(ids["study"])))
    titles = [p.text for p in document.paragraphs if p.style.name == "Title"]
    assert titles == ["Verbeterplan: Bijstand"]
    h1 = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert h1 == ["Overzicht", *[f"{a.rank}. {a.action.title}" for a in plan.actions], "Vervallen acties"]
    overview = document.tables[0]
    assert [c.text for c in overview.rows[0].cells] == ["Rang", "Actie", "Eigenaar", "Status", "Respondenten"]
    assert [[c.text for c in row.cells] for row in overview.rows[1:3]] == [
        ["1", "Alles beter", "—", "voorgesteld", "4"], ["2", "Wachttijd korter", "Gemeente Utrecht (teamleider)", "voorgesteld", "3"]]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Knelpunt (R01, stap 1, aanvraag): lang wachten" in text and PHONE not in text
    assert "CONCEPT" in document.sections[0].header.paragraphs[-1].text
    kept = docx.Document(io.BytesIO(services.plan_docx(ids["study"], keep_personal_data=True)))
    assert PHONE in "\n".join(p.text for p in kept.paragraphs)


def test_klantreis_plan_writes_word(tmp_path: Path):
    db = tmp_path / "k.db"
    services = Services.open(db, [bundled_dir()])
    build(services)
    services.close()
    out = tmp_path / "plan.docx"
    result = klantreis("plan", "Bijstand", "--db", str(db), "--format", "docx", "-o", str(out), home=tmp_path)
    assert result.returncode == 0, result.stderr
    document = docx.Document(out)
    assert [p.text for p in document.paragraphs if p.style.name == "Title"] == ["Verbeterplan: Bijstand"]
    screen = klantreis("plan", "Bijstand", "--db", str(db), "--format", "docx", home=tmp_path)
    assert screen.returncode == 1 and "-o" in screen.stderr and screen.stdout == ""


async def test_w_on_the_plan_screen_writes_the_plan_in_word(services: Services, tmp_path: Path):
    ids = build(services)
    app = build_app(services)
    app.export_dir = tmp_path / "export"
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, "a")
        assert isinstance(app.screen, PlanScreen)
        await press(pilot, "w")
        messages = [n.message for n in app._notifications]
    (path,) = (tmp_path / "export").iterdir()
    assert path.suffix == ".docx" and "verbeterplan" in path.name
    assert any(path.name in m.replace("\n", "") for m in messages)
    document = docx.Document(path)
    assert len(document.tables[0].rows) == 1 + len(services.improvement_plan(ids["study"]).actions)
