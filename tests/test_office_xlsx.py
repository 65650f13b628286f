"""The Excel workbook (``export --format xlsx``), read back with openpyxl as Excel users would get it."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from klantreis_tui.formats.xlsx import MAX_CELL, Column, Sheet, workbook_bytes
from klantreis_tui.formats.text import utf16_length
from klantreis_tui.models.records import InterviewStatus
from tests.conftest import load_journey
from tests.test_cli import klantreis

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
HOSTILE = [
    "=SUM(A1)", "=HYPERLINK(\"http://x\",\"klik\")", "+31 6 12345678", "-2 punten", "@SUM(1)",
    "bell\x07 and escape \x1b[2J here", "nul\x00byte", "RTL \u202egnp.exe", "emoji 😀👍🏽", "שלום עליכם",
    "مرحبا بكم", "ሰላም ትግርኛ", "two\nlines", "\ufffe\uffff end",
]


def book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def rows_of(sheet) -> list[list]:  # type: ignore[no-untyped-def]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def by_header(sheet) -> list[dict]:  # type: ignore[no-untyped-def]
    rows = rows_of(sheet)
    return [dict(zip(rows[0], row)) for row in rows[1:]]


@pytest.fixture
def practice(services):
    study = services.create_practice_study()
    return study, services.select_interviews(study=study.id)


def test_the_three_journeys_are_in_the_workbook_as_in_the_database(services, practice):
    study, ids = practice
    wb = book(services.workbook(ids))
    assert wb.sheetnames == ["Interviews", "Stappen", "Antwoorden", "Thema's", "Persona's", "Hartslag persona's", "Acties"]
    interviews = by_header(wb["Interviews"])
    records = services.interview_records(ids)
    assert [row["Respondent"] for row in interviews] == [r.respondent.code for r in records] == ["R01", "R02", "R03"]
    for row, record in zip(interviews, records):
        assert row["Onderzoek"] == study.title
        assert row["Interview"] == record.interview.id[:8]
        assert row["Segment"] == record.respondent.segment and row["Leeftijdsgroep"] == record.respondent.age_band
        # a real date cell, the wall-clock time in the Netherlands, without a zone
        expected = record.interview.started_at.astimezone(AMSTERDAM).replace(tzinfo=None, microsecond=0)
        assert row["Begonnen"] == expected and row["Begonnen"].tzinfo is None
        assert row["Status"] == "afgerond" and row["Stappen"] == len(record.steps)
        assert row["Toestemming citaten"] == "ja"
    steps = by_header(wb["Stappen"])
    journeys = [load_journey(n) for n in ("johan-paspoort", "jan-schulden", "dennis-werkbedrijf")]
    expected_steps = [(j["respondent"]["code"], n, s) for j in journeys for n, s in enumerate(j["steps"], 1)]
    assert len(steps) == len(expected_steps) == sum(len(r.steps) for r in records)
    for row, (code, number, step) in zip(steps, expected_steps):
        assert (row["Respondent"], row["Nr."], row["Stap"], row["Fase"]) == (code, number, step["step"], step["phase"])
        assert row["Beleving"] == step["emotion"] and isinstance(row["Beleving"], int)
        # lists joined readably, never as JSON
        assert row["Instanties"] == ", ".join(p.strip() for p in step["instance"].split(","))
        assert row["Gevoel"] == (", ".join(step["emotion_words"]) or None)
        assert row["Knelpunt"] == step["pain_point"] and row["Kans / verbeterpunt"] == step["opportunity"]
        assert row["Moment van de waarheid"] == ("ja" if step.get("moment_of_truth") else "nee")
    jan = [row for row in steps if row["Respondent"] == "R02"]
    assert jan[0]["Instanties"] == "Zorgverzekeraar, energiebedrijf"
    assert jan[0]["Citaten"] == "Ik durfde de enveloppen niet open te maken."
    answers = by_header(wb["Antwoorden"])
    live = sum(len(r.latest_answers()) for r in records)
    assert len(answers) == live
    assert not any(str(v).startswith("@") for row in answers for v in row.values() if v is not None)
    # the answer that closed the step loop, by its meaning rather than the engine's id
    loop = [row for row in answers if row["Vraag"] == "Alle stappen verteld"]
    assert [row["Antwoord"] for row in loop] == ["ja", "ja", "ja"]
    consent = next(row for row in answers if row["Respondent"] == "R02" and row["Vraag"].startswith("Wilt u meedoen"))
    assert consent["Antwoord"] == "ja" and isinstance(consent["Vastgelegd"], datetime)
    assert all(isinstance(row["Revisie"], int) for row in answers)


def test_types_frozen_header_filter_and_widths(services, practice):
    _, ids = practice
    wb = book(services.workbook(ids))
    assert wb.properties.creator == "klantreis"
    for sheet in wb.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{sheet.max_row}"
        assert all(sheet.cell(1, c).font.b for c in range(1, sheet.max_column + 1))
        widths = [sheet.column_dimensions[sheet.cell(1, c).column_letter].width for c in range(1, sheet.max_column + 1)]
        assert all(6 <= w <= 60 for w in widths)
    steps = wb["Stappen"]
    headers = [c.value for c in steps[1]]
    description = headers.index("Stap") + 1
    assert steps.column_dimensions[steps.cell(1, description).column_letter].width > 30  # the longest step fits
    interviews = wb["Interviews"]
    started = [c.value for c in interviews[1]].index("Begonnen") + 1
    cell = interviews.cell(2, started)
    assert cell.is_date and cell.number_format == "dd-mm-yyyy hh:mm"
    emotion = steps.cell(2, headers.index("Beleving") + 1)
    assert emotion.data_type == "n"
    assert steps.cell(2, description).data_type == "s"


def test_headers_follow_the_language(services, practice, english):
    _, ids = practice
    wb = book(services.workbook(ids))
    assert wb.sheetnames == ["Interviews", "Steps", "Answers", "Themes", "Persona's", "Persona heartbeats", "Actions"]
    assert [c.value for c in wb["Steps"][1]][:6] == ["Study", "Respondent", "Interview", "No.", "Phase", "Step"]
    assert wb["Interviews"].cell(2, 10).number_format == "yyyy-mm-dd hh:mm"
    assert by_header(wb["Interviews"])[0]["Status"] == "completed"
    assert by_header(wb["Steps"])[0]["Moment of truth"] == "no"


def hostile_interview(services, texts: list[str]):  # type: ignore[no-untyped-def]
    study = services.create_study("=Onderzoek\x1b]52;c;aGk=\x07")
    interview = services.start_interview(study.id, "klein")
    for number, text in enumerate(texts, 1):
        services.insert_step(interview.id, description=text, pain_point=text, instances=[text, "KVK"], emotion=-2)
    return study, interview


def test_text_stays_text_and_nothing_is_a_formula(services):
    study, interview = hostile_interview(services, HOSTILE)
    data = services.workbook([interview.id], keep_personal_data=True)  # the phone number as typed
    wb = book(data)
    every = [cell for sheet in wb.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [c.coordinate for c in every if c.data_type == "f"]
    starting = [c for c in every if isinstance(c.value, str) and c.value.startswith("=")]
    assert len(starting) >= 2 * 2 + 1  # the study title and two formula-like steps, twice each
    assert all(c.data_type == "s" and c.quotePrefix for c in starting)
    steps = by_header(wb["Stappen"])
    shown = [row["Stap"] for row in steps]
    assert shown[0] == "=SUM(A1)" and shown[2] == "+31 6 12345678" and shown[3] == "-2 punten"  # no apostrophe
    assert shown[5] == "bell␇ and escape ␛[2J here" and shown[6] == "nul␀byte"
    assert shown[7] == "RTL \ufffdgnp.exe"  # the right-to-left override cannot disguise the text
    assert shown[8:12] == ["emoji 😀👍🏽", "שלום עליכם", "مرحبا بكم", "ሰላም ትግርኛ"]
    assert shown[12] == "two\nlines" and shown[13] == "\ufffd\ufffd end"
    assert wb["Stappen"].row_dimensions[14].height == 30  # two lines: the row grows (readers do not)
    assert wb["Stappen"].cell(14, 6).alignment.wrap_text
    assert steps[0]["Instanties"] == "=SUM(A1), KVK"
    assert by_header(wb["Interviews"])[0]["Onderzoek"] == "=Onderzoek␛]52;c;aGk=␇"
    raw = data.decode("latin-1")
    assert "<f>" not in raw


def test_a_cell_over_excels_limit_is_cut_with_a_note(services):
    long_text = "a" * 40_000
    emoji_text = "😀" * 20_000  # 40,000 UTF-16 units: Excel counts these
    _, interview = hostile_interview(services, [long_text, emoji_text, "b" * MAX_CELL])
    wb = book(services.workbook([interview.id]))
    steps = by_header(wb["Stappen"])
    first, second, exact = (row["Stap"] for row in steps)
    assert first.endswith(" [... ingekort]") and utf16_length(first) == MAX_CELL
    assert first.startswith("a" * 32_000)
    assert second.endswith(" [... ingekort]") and utf16_length(second) <= MAX_CELL
    assert set(second.removesuffix(" [... ingekort]")) == {"😀"}  # never half a surrogate pair
    assert exact == "b" * MAX_CELL  # exactly the limit: kept whole


def test_personal_data_is_redacted_unless_kept(services):
    _, interview = hostile_interview(services, ["Bel me op 06-12345678 of mail jan@example.nl"])
    redacted = by_header(book(services.workbook([interview.id]))["Stappen"])[0]["Knelpunt"]
    assert "06-12345678" not in redacted and "jan@example.nl" not in redacted
    kept = by_header(book(services.workbook([interview.id], keep_personal_data=True))["Stappen"])[0]["Knelpunt"]
    assert "06-12345678" in kept and "jan@example.nl" in kept


def test_quotes_refused_stay_out(services):
    study = services.create_study("Citaten")
    interview = services.start_interview(study.id, "klein")
    from klantreis_tui.models.positions import Slot

    services.answer(interview.id, Slot("mee"), "j")
    services.answer(interview.id, Slot("citaten"), "n")
    services.insert_step(interview.id, description="Balie", quotes=["Geheim citaat"])
    wb = book(services.workbook([interview.id]))
    assert by_header(wb["Stappen"])[0]["Citaten"] is None
    assert "Geheim citaat" not in str(rows_of(wb["Antwoorden"]))


def test_the_theme_sheet_counts_evidence(services, practice):
    study, ids = practice
    evidence = services.evidence(study.id)
    pains = [e for e in evidence if e.field == "pain_point"][:3]
    theme = services.create_theme(study.id, "Wachten", description="Te lang wachten")
    services.assign(study.id, theme.id, pains)
    wb = book(services.workbook(ids))
    row = by_header(wb["Thema's"])[0]
    assert (row["Thema"], row["Omschrijving"], row["Knelpunten"], row["Kansen"]) == ("Wachten", "Te lang wachten", 3, 0)
    steps = {s.id: s for r in services.interview_records(ids) for s in r.steps}
    codes = sorted({r.respondent.code for r in services.interview_records(ids) for s in r.steps if s.id in {p.step_id for p in pains}})
    assert row["Respondenten"] == len(codes) and row["Respondentcodes"] == ", ".join(codes)
    scores = [steps[p.step_id].emotion for p in pains]
    assert row["Gem. beleving"] == pytest.approx(round(sum(scores) / len(scores), 2))
    themed = [r for r in by_header(wb["Stappen"]) if r["Thema's"] == "Wachten"]
    assert len(themed) == len({p.step_id for p in pains})


def test_sheet_names_are_made_valid_and_unique():
    sheets = [Sheet("a/b:c*?[d]", [Column("x")], [["1"]]), Sheet("a/b:c*?[d]", [Column("x")]), Sheet("x" * 40, [Column("y")])]
    wb = book(workbook_bytes(sheets))
    assert wb.sheetnames == ["a b c   d", "a b c   d (2)", "x" * 31]


def test_cli_writes_the_workbook_and_refuses_a_bad_path(tmp_path):
    db = tmp_path / "k.db"
    from klantreis_tui.question_sets import bundled_dir
    from klantreis_tui.services import Services

    services = Services.open(db, [bundled_dir()])
    services.create_practice_study()
    services.close()
    out = tmp_path / "werkmap.xlsx"
    done = klantreis("--db", str(db), "export", "--include-practice", "--format", "xlsx", "-o", str(out), home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Excel-werkmap geschreven" in done.stderr and "3 interviews" in done.stderr
    assert len(by_header(book(out.read_bytes())["Stappen"])) == 17
    folder = tmp_path / "map"
    folder.mkdir()
    refused = klantreis("--db", str(db), "export", "--include-practice", "--format", "xlsx", "-o", str(folder), home=tmp_path)
    assert refused.returncode == 1 and "is een map" in refused.stderr and "Traceback" not in refused.stderr
    assert list(folder.iterdir()) == []
    screen = klantreis("--db", str(db), "export", "--include-practice", "--format", "xlsx", home=tmp_path)
    assert screen.returncode == 1 and "-o" in screen.stderr and screen.stdout == ""
    encrypted = tmp_path / "geheim.xlsx"
    refused = klantreis("--db", str(db), "export", "--include-practice", "--format", "xlsx", "--encrypt", "-o",
                        str(encrypted), home=tmp_path)
    assert refused.returncode == 1 and "--encrypt" in refused.stderr and not encrypted.exists()


def test_an_interview_in_progress_and_one_without_steps_are_rows_too(services):
    study = services.create_study("Leeg")
    empty = services.start_interview(study.id, "klein")
    wb = book(services.workbook([empty.id]))
    row = by_header(wb["Interviews"])[0]
    assert row["Status"] == "bezig" and row["Stappen"] == 0 and row["Beëindigd"] is None
    assert rows_of(wb["Stappen"])[1:] == []
    assert services.interview(empty.id).status is InterviewStatus.bezig


def test_text_that_looks_like_an_excel_escape_shows_as_typed():
    """Excel reads ``_x000D_`` in a cell's XML as a carriage return: a typed one is written with its underscore
    escaped (``_x005F_``), as Excel and LibreOffice read it back to the text as typed."""
    import zipfile

    data = workbook_bytes([Sheet("s", [Column("x")], [["zie _x000D_ en _x0041_ maar niet _x00_"]])])
    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "zie _x005F_x000D_ en _x005F_x0041_ maar niet _x00_" in xml


def test_dates_excel_cannot_hold_are_written_as_text():
    """A bundle made elsewhere may hold the year 1 or 9999: Excel's dates start in 1900 and the zone change may
    overflow; such a moment is text, the file is written, the dates Excel can hold stay dates."""
    from datetime import date, datetime, timezone

    rows = [[datetime(1, 1, 2, tzinfo=timezone.utc), date(1899, 12, 30)],
            [datetime(9999, 12, 31, 23, 0, tzinfo=timezone.utc), date(1900, 1, 1)]]
    sheet = book(workbook_bytes([Sheet("s", [Column("a"), Column("b")], rows)]))["s"]
    assert sheet["A2"].data_type == "s" and sheet["A2"].value.startswith("0001-01-02")
    assert sheet["B2"].value == "1899-12-30" and sheet["A3"].value == "9999-12-31T23:00:00+00:00"
    assert sheet["B3"].is_date and sheet["B3"].value == datetime(1900, 1, 1)
