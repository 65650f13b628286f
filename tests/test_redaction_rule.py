"""The one rule for what leaves the laptop (``services.redaction``), checked in every output format as its readers
read it: Markdown and HTML as text, Word with python-docx, Excel with openpyxl, REFI-QDA with zipfile and
ElementTree, CSV with the csv module, bundles and kits as JSON, the team database with sqlite3.

The study: a resident says "mevrouw Jansen belde" and "Mijn zoon Henk wist het ook niet"; the team made the persona
"Henk, vastgelopen na ontslag", the themes "Terugbellen door mevrouw Jansen" and "Henk raakt het overzicht kwijt",
and an action "Henk helpen: mevrouw Jansen belt terug". By the rule, "Jansen" leaves in no file; the persona's
name and the words of it in the team's texts stay; "Henk" in the resident's words goes.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
import openpyxl
import pytest

from klantreis_tui.exchange import bundle_json, parse_bundle
from klantreis_tui.models import Consent, InterviewStatus
from klantreis_tui.models.names import CanonicalNames
from klantreis_tui.models.themes import ThemeLink
from klantreis_tui.services import Services
from tests.conftest import make_interview, make_respondent, make_step
from tests.test_persona_exchange import laptop

PERSONA = "Henk, vastgelopen na ontslag"
THEME_PERSONA = "Henk raakt het overzicht kwijt"  # the team's words: the persona's name stays
THEME_RESIDENT = "Terugbellen door mevrouw Jansen"
THEME_RESIDENT_REDACTED = "Terugbellen door mevrouw [naam]"
ACTION = "Henk helpen: mevrouw Jansen belt terug"
ACTION_REDACTED = "Henk helpen: mevrouw [naam] belt terug"
STEP = "mevrouw Jansen belde"  # a resident's words
STEP_REDACTED = "mevrouw [naam] belde"
PAIN = "Mijn zoon Henk wist het ook niet"  # a resident's words: a persona's name is no exception there
PAIN_REDACTED = "Mijn zoon [naam] wist het ook niet"


@dataclass
class Study:
    services: Services
    study_id: str
    interview_ids: list[str]
    persona_id: str
    step_id: str


@pytest.fixture
def study(tmp_path: Path) -> Study:
    services = laptop(tmp_path, "a")
    made = services.create_study("Schulden", phases=["aanvraag"])
    respondent = make_respondent(made.id, "R01", segment="ZZP")
    interview = make_interview(made.id, respondent.id, status=InterviewStatus.afgerond)
    consents = [
        Consent(interview_id=interview.id, item=item, granted=True, text_version="t1", question_set_version="2")
        for item in ("participation", "quotes")
    ]
    step = make_step(
        interview.id, 1, phase="aanvraag", description=STEP, emotion=-1, instances=["Gemeente"],
        pain_point=PAIN, opportunity="Een vaste contactpersoon", quotes=["Ik belde mevrouw Jansen elke dag"],
    )
    services.store.insert_records(respondents=[respondent], interviews=[interview], consents=consents, steps=[step])
    persona = services.create_persona(made.id, PERSONA, story="Henk wacht op mevrouw Jansen", segment="ZZP")
    services.set_persona_respondents(persona.id, [respondent.id])
    services.set_desired(persona.id, "aanvraag", 1, ["Bellen met mevrouw Jansen"])
    resident = services.create_theme(made.id, THEME_RESIDENT, description="Wacht op mevrouw Jansen")
    team = services.create_theme(made.id, THEME_PERSONA)
    services.store.put_theme_links([
        ThemeLink(theme_id=resident.id, step_id=step.id, field="pain_point"),
        ThemeLink(theme_id=team.id, step_id=step.id, field="opportunity"),
    ])
    services.create_action(
        made.id, ACTION, links=[("theme", resident.id), ("theme", team.id), ("persona", persona.id), ("idea", step.id)],
        organisation="Gemeente",
    )
    yield Study(services, made.id, [interview.id], persona.id, step.id)
    services.close()


# --- the readers --------------------------------------------------------------------------------------------


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def xlsx_cells(data: bytes) -> dict[str, list[str]]:
    """Per sheet, every cell that holds something, as text."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    return {
        sheet.title: [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
        for sheet in book.worksheets
    }


def xml_text(data: bytes) -> list[str]:
    """Every attribute value and text of an XML document."""
    found = []
    for element in ET.fromstring(data).iter():
        found += [v for v in element.attrib.values()]
        found += [x for x in (element.text, element.tail) if x and x.strip()]
    return found


def qdpx_parts(data: bytes) -> tuple[list[str], str]:
    """The project's XML texts and the sources' text."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    sources = "\n".join(archive.read(n).decode("utf-8") for n in archive.namelist() if n.startswith("sources/"))
    return xml_text(archive.read("project.qde")), sources


def code_names(project: bytes) -> list[str]:
    return [e.attrib["name"] for e in ET.fromstring(project).iter() if e.tag.endswith("}Code")]


# --- redacted (the default) ---------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_interview_summary_text_redacts_the_residents_words(study: Study, fmt: str):
    text = study.services.summary_text(study.interview_ids, fmt)
    assert "Jansen" not in text and "zoon Henk" not in text
    assert STEP_REDACTED in text and "zoon [naam]" in text.lower()


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_synthesis_text_redacts_theme_names_by_the_teams_rule(study: Study, fmt: str):
    text = study.services.summary_text(study.interview_ids, fmt, synthesis=True)
    assert "Jansen" not in text and "zoon Henk" not in text
    assert THEME_RESIDENT_REDACTED in text and THEME_PERSONA in text and PERSONA in text
    assert PAIN_REDACTED in text


def test_word_summary_and_synthesis_follow_the_rule(study: Study):
    summary = docx_text(study.services.summary_docx(study.interview_ids))
    synthesis = docx_text(study.services.summary_docx(study.interview_ids, synthesis=True))
    for text in (summary, synthesis):
        assert "Jansen" not in text and "zoon Henk" not in text
        assert "zoon [naam]" in text.lower()
    assert THEME_RESIDENT_REDACTED in synthesis and THEME_PERSONA in synthesis and PERSONA in synthesis


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_the_plan_keeps_the_persona_words_in_the_teams_texts_only(study: Study, fmt: str):
    services = study.services
    text = docx_text(services.plan_docx(study.study_id)) if fmt == "docx" else services.plan_text(study.study_id, fmt)
    assert "Jansen" not in text and "zoon Henk" not in text
    assert ACTION_REDACTED in text and THEME_RESIDENT_REDACTED in text and THEME_PERSONA in text and PERSONA in text
    assert PAIN_REDACTED in text


def test_the_plan_as_data(study: Study):
    entry = study.services.improvement_plan(study.study_id).actions[0]
    assert entry.action.title == ACTION_REDACTED
    assert entry.themes == [THEME_RESIDENT_REDACTED, THEME_PERSONA]
    assert entry.personas == [PERSONA]
    assert {w.text for w in entry.words} >= {PAIN_REDACTED, "Ik belde mevrouw [naam] elke dag"}
    assert {theme for w in entry.words for theme in w.themes} == {THEME_RESIDENT_REDACTED, THEME_PERSONA}


def test_posters_redact_theme_names(study: Study):
    services = study.services
    interview = services.interview_view(study.interview_ids[0])
    assert [phase.themes for phase in interview.phases] == [(THEME_RESIDENT_REDACTED,)]
    persona = services.persona_view(study.persona_id)
    assert persona.title == PERSONA and persona.story == "Henk wacht op mevrouw [naam]"
    assert set(persona.phases[0].themes) == {THEME_RESIDENT_REDACTED, THEME_PERSONA}
    assert persona.phases[0].desired_ideas == ("Bellen met mevrouw [naam]",)
    for view in (interview, persona):
        for fmt in ("html", "svg"):
            for document in services.poster_documents(view, fmt):
                assert "Jansen" not in document and "zoon Henk" not in document


def test_the_workbook_redacts_every_sheet(study: Study):
    sheets = xlsx_cells(study.services.workbook(study.interview_ids))
    every = [cell for cells in sheets.values() for cell in cells]
    assert not [cell for cell in every if "Jansen" in cell or "zoon Henk" in cell]
    assert {THEME_RESIDENT_REDACTED, THEME_PERSONA, "Wacht op mevrouw [naam]"} <= set(sheets["Thema's"])
    assert STEP_REDACTED in sheets["Stappen"] and PAIN_REDACTED in sheets["Stappen"]
    assert PERSONA in sheets["Persona's"] and "Henk wacht op mevrouw [naam]" in sheets["Persona's"]
    assert ACTION_REDACTED in sheets["Acties"]
    # the themes of a step and those that weigh most for a persona: redacted names too
    assert any(THEME_RESIDENT_REDACTED in cell for cell in sheets["Stappen"])
    assert any(f"{THEME_RESIDENT_REDACTED} (1)" in cell for cell in sheets["Persona's"])


def test_the_refi_qda_project_and_codebook_redact_theme_names(study: Study):
    services = study.services
    project = services.research_bytes(study.interview_ids, "qdpx")
    texts, sources = qdpx_parts(project)
    codebook = xml_text(services.research_bytes(study.interview_ids, "qdc"))
    for found in (texts, codebook):
        assert not [x for x in found if "Jansen" in x]
        assert THEME_RESIDENT_REDACTED in found and THEME_PERSONA in found
    assert "Jansen" not in sources and "zoon Henk" not in sources and PAIN_REDACTED in sources
    names = code_names(zipfile.ZipFile(io.BytesIO(project)).read("project.qde"))
    assert THEME_RESIDENT_REDACTED in names


def test_a_bundle_and_a_kit_follow_the_rule(study: Study):
    services = study.services
    bundle = json.loads(bundle_json(services.export_bundle(study.interview_ids)))
    assert "Jansen" not in json.dumps(bundle, ensure_ascii=False)
    assert [th["name"] for th in bundle["themes"]] == [THEME_RESIDENT_REDACTED, THEME_PERSONA]
    assert bundle["themes"][0]["description"] == "Wacht op mevrouw [naam]"
    assert [p["name"] for p in bundle["personas"]] == [PERSONA]
    assert [a["title"] for a in bundle["actions"]] == [ACTION_REDACTED]
    assert [(s["description"], s["pain_point"]) for s in bundle["steps"]] == [(STEP_REDACTED, PAIN_REDACTED)]
    kit = json.loads(services.export_kit(study.study_id).model_dump_json())
    assert "Jansen" not in json.dumps(kit, ensure_ascii=False)
    assert [p["name"] for p in kit["personas"]] == [PERSONA]
    assert [a["title"] for a in kit["actions"]] == [ACTION_REDACTED]


def test_the_csv_tables_redact_the_residents_words(study: Study, tmp_path: Path):
    study.services.export_csv(study.interview_ids, tmp_path)
    with (tmp_path / "steps.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    cells = [value for row in rows for value in row.values()]
    assert not [c for c in cells if "Jansen" in c or "zoon Henk" in c]
    assert STEP_REDACTED in cells and PAIN_REDACTED in cells


def test_the_team_database_redacts_the_study_and_the_steps(study: Study, tmp_path: Path):
    services = study.services
    services.store.db.execute("UPDATE studies SET trigger = 'Henk en mevrouw Jansen' WHERE id = ?", [study.study_id])
    services.store.db.conn.commit()
    report = services.publish(tmp_path / "team.db")
    with sqlite3.connect(report.path) as team:
        (trigger,) = team.execute("SELECT aanleiding FROM onderzoeken").fetchone()
        steps = team.execute("SELECT * FROM stap").fetchall()
    assert trigger == "Henk en mevrouw [naam]"  # the team's own words: the persona's name stays
    assert "Jansen" not in repr(steps) and STEP_REDACTED in repr(steps)


# --- kept on request ----------------------------------------------------------------------------------------


def test_keep_personal_data_keeps_every_text_as_typed(study: Study):
    services = study.services
    ids = study.interview_ids
    keep = {"keep_personal_data": True}
    texts = {
        "summary": services.summary_text(ids, "md", **keep),
        "synthesis": services.summary_text(ids, "md", synthesis=True, **keep),
        "word": docx_text(services.summary_docx(ids, synthesis=True, **keep)),
        "plan": services.plan_text(study.study_id, "md", **keep),
        "plan docx": docx_text(services.plan_docx(study.study_id, **keep)),
        "workbook": "\n".join(c for cells in xlsx_cells(services.workbook(ids, **keep)).values() for c in cells),
        "qdpx": "\n".join(qdpx_parts(services.research_bytes(ids, "qdpx", **keep))[0]),
        "bundle": bundle_json(services.export_bundle(ids, **keep)).decode("utf-8"),
        "poster": services.poster_documents(services.interview_view(ids[0], redact=False), "html")[0],
    }
    for name, text in texts.items():
        assert "Jansen" in text, name
        assert "[naam]" not in text.replace("labels zoals [naam]", ""), name
    for name in ("synthesis", "word", "plan", "plan docx", "workbook", "qdpx", "bundle", "poster"):
        assert THEME_RESIDENT in texts[name], name
    for name in ("summary", "synthesis", "workbook", "bundle"):
        assert PAIN in texts[name], name


# --- themes that redaction makes the same, and a redacted bundle coming back --------------------------------


def test_themes_made_the_same_by_redaction_stay_apart(study: Study):
    services = study.services
    other = services.create_theme(study.study_id, "Terugbellen door mevrouw de Vries")
    services.store.put_theme_links([ThemeLink(theme_id=other.id, step_id=study.step_id, field="pain_point")])
    action = services.actions(study.study_id)[0]
    services.link_action(action.id, "theme", other.id)
    names = [th.name for th in services.redacted_themes([study.study_id])]
    second = f"{THEME_RESIDENT_REDACTED} 2"
    assert names == [THEME_RESIDENT_REDACTED, THEME_PERSONA, second]
    # every output shows the names told apart
    assert services.improvement_plan(study.study_id).actions[0].themes == [THEME_RESIDENT_REDACTED, THEME_PERSONA, second]
    assert services.interview_view(study.interview_ids[0]).phases[0].themes == (THEME_RESIDENT_REDACTED, second)
    assert set(services.persona_view(study.persona_id).phases[0].themes) == {THEME_RESIDENT_REDACTED, THEME_PERSONA, second}
    assert second in xlsx_cells(services.workbook(study.interview_ids))["Thema's"]
    assert second in services.summary_text(study.interview_ids, "md", synthesis=True)
    assert [th.name for th in services.redacted_themes([study.study_id], keep_personal_data=True)] == [
        THEME_RESIDENT, THEME_PERSONA, "Terugbellen door mevrouw de Vries",
    ]


def test_a_redacted_bundle_imported_back_finds_its_themes_by_id(study: Study):
    services = study.services
    bundle = services.export_bundle(study.interview_ids)
    services.import_bundle(parse_bundle(bundle_json(bundle), "terug.json"))
    assert [th.name for th in services.store.themes_of(study.study_id)] == [THEME_RESIDENT, THEME_PERSONA]
    assert len(services.store.theme_links_of(study.study_id)) == 2


# --- canonical names ----------------------------------------------------------------------------------------


def test_canonical_names_tidy_and_count_a_name_once_whatever_its_case():
    names = CanonicalNames({"uwv": "UWV Werkbedrijf"})
    assert names.name("  uwv ") == "UWV Werkbedrijf"
    assert names.name("Gemeente   Utrecht") == "Gemeente Utrecht"
    assert names.name("   ") == ""
    assert names(["Gemeente", "UWV", "gemeente", " ", "uwv"]) == ["Gemeente", "UWV Werkbedrijf"]
