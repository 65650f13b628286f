"""REFI-QDA exports (.qdpx project, .qdc codebook): valid against the official schemas, read back by an
independent reader (pyrefiqda), every coding's text at its positions compared with the database; positions
exact with emoji, right-to-left, Tigrinya, combining marks and control characters; redaction by default; bad
output paths refused; GUIDs stable over re-exports."""

from __future__ import annotations

import io
import os
import re
import xml.etree.ElementTree as ET
import zipfile
from functools import cache
from pathlib import Path
from datetime import timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pytest
import xmlschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klantreis_tui import pii
from klantreis_tui.errors import OutputRefused
from klantreis_tui.formats.transcript import clean
from klantreis_tui.models import Answer, Consent, InterviewStatus
from klantreis_tui.models.phases import phase_key
from klantreis_tui.services import Services
from tests.conftest import make_interview, make_respondent, make_step, make_study

try:
    AMSTERDAM = ZoneInfo("Europe/Amsterdam")
except ZoneInfoNotFoundError:  # no time-zone data on this machine: the export keeps the stored (UTC) time
    AMSTERDAM = timezone.utc  # type: ignore[assignment]
SCHEMAS = Path(__file__).parent / "refi_qda"
P = "{urn:QDA-XML:project:1.0}"
C = "{urn:QDA-XML:codebook:1.0}"

EMOJI = "Wachten 😤 duurt 👨‍👩‍👧 lang 🇳🇱 👍🏽"
RTL = "\u200fانتظار طويل جدا\u200f وبعد ذلك רשימה"
TIGRINYA = "ነዊሕ ግዜ ተጸቢና፣ ወረቐት ኣይመጸን።"
COMBINING = "Cafe\u0301 e\u0308n n\u0303 a\u0323\u0302"
CONTROLS = "Brief\x1b[2J kwam\x00 niet\x07\r\naan\rtoen\x7f\x85 \u202eomgekeerd\ttab"


@cache
def project_schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(SCHEMAS / "Project.xsd")


@cache
def codebook_schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(SCHEMAS / "Codebook.xsd")


def open_project(data: bytes) -> tuple[ET.Element, dict[str, str]]:
    """The project validated against Project.xsd, and every source's text by the source's GUID (each source's
    file present in the archive where its plainTextPath says, UTF-8, LF only)."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    qde = archive.read("project.qde")
    project_schema().validate(qde.decode("utf-8"))
    root = ET.fromstring(qde)
    texts = {}
    for source in root.iter(f"{P}TextSource"):
        source_guid = source.get("guid")
        assert source.get("plainTextPath") == f"internal://{source_guid}.txt"
        raw = archive.read(f"sources/{source_guid}.txt")
        assert b"\r" not in raw
        texts[source_guid] = raw.decode("utf-8")
    assert sorted(archive.namelist()) == sorted(["project.qde", *(f"sources/{g}.txt" for g in texts)])
    # what the schema cannot check: every reference points at something there, every GUID is used once, and
    # every source, selection and coding says who made it and when (importers such as QualCoder need both)
    all_guids = [e.get("guid") for e in root.iter() if e.get("guid")]
    assert len(all_guids) == len(set(all_guids))
    kinds = {kind: {e.get("guid") for e in root.iter(f"{P}{kind}")} for kind in ("Code", "Variable", "TextSource", "User")}
    for ref, kind in (("CodeRef", "Code"), ("VariableRef", "Variable"), ("SourceRef", "TextSource")):
        assert all(e.get("targetGUID") in kinds[kind] for e in root.iter(f"{P}{ref}")), ref
    for kind in ("TextSource", "PlainTextSelection", "Coding"):
        for element in root.iter(f"{P}{kind}"):
            assert element.get("creatingUser") in kinds["User"] and element.get("creationDateTime").endswith("Z")
    return root, texts


def code_names(root: ET.Element, ns: str = P) -> dict[str, str]:
    """Every code's GUID to its path of names ("Fase/aanvraag")."""
    found: dict[str, str] = {}

    def walk(element: ET.Element, path: str) -> None:
        for code in element.findall(f"{ns}Code"):
            name = f"{path}/{code.get('name')}" if path else code.get("name")
            found[code.get("guid")] = name
            walk(code, name)

    walk(root.find(f".//{ns}Codes"), "")
    return found


def codings(root: ET.Element, texts: dict[str, str]) -> list[tuple[str, str, str]]:
    """(source name, code path, text at the selection's positions) for every coding of the project."""
    names = code_names(root)
    found = []
    for source in root.iter(f"{P}TextSource"):
        text = texts[source.get("guid")]
        for selection in source.findall(f"{P}PlainTextSelection"):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            assert 0 <= start < end <= len(text)
            for coding in selection.findall(f"{P}Coding"):
                found.append((source.get("name"), names[coding.find(f"{P}CodeRef").get("targetGUID")], text[start:end]))
    return found


def fill_hostile(services: Services, quotes: bool = True) -> tuple[str, list[str]]:
    """A study whose steps hold emoji, right-to-left, Tigrinya, combining marks and control characters, with
    themes assigned; returns the study id and its interview ids."""
    study = services.create_study("Bijstand", phases=["aanvraag", "wachten"])
    ids = []
    texts = [EMOJI, RTL, TIGRINYA, COMBINING, CONTROLS]
    for number, code in enumerate(("R01", "R02"), start=1):
        respondent = make_respondent(study.id, code, age_band="35-44", segment=f"segment {TIGRINYA[:4]}")
        interview = make_interview(study.id, respondent.id, status=InterviewStatus.afgerond, interviewer="Marieke de Vries")
        consents = [Consent(interview_id=interview.id, item=item, granted=quotes if item == "quotes" else True,
                            text_version="t1", question_set_version="2") for item in ("participation", "quotes")]
        steps = [
            make_step(interview.id, n, phase="aanvraag" if n == 1 else "wachten", description=f"{text} (stap {n})",
                      instances=["UWV", "gemeente"], channels=["telefoon"], emotion=-2 + n % 5,
                      pain_point=text, opportunity=f"idee {text}", quotes=[f"“{text}”", f"nog {number}"],
                      moment_of_truth=n == 2)
            for n, text in enumerate(texts, start=1)
        ]
        services.store.insert_records(respondents=[respondent], interviews=[interview], consents=consents, steps=steps)
        ids.append(interview.id)
    evidence = services.evidence(study.id)
    waiting = services.create_theme(study.id, "Wachten op het UWV", description="Lang & <onduidelijk>", colour="#aa3300")
    services.assign(study.id, waiting.id, [e for e in evidence if e.field == "pain_point"])
    quoted = services.create_theme(study.id, "Citaten 😤")
    services.assign(study.id, quoted.id, [e for e in evidence if e.field == "quotes" and e.item == 0])
    return study.id, ids


def test_clean_removes_what_xml_cannot_hold_and_shows_the_other_controls():
    assert clean(CONTROLS) == "Brief[2J kwam niet\naan\ntoen\u2421\ufffd \ufffdomgekeerd\ttab"
    assert clean("a\ud800b\ufffe\uffffc") == "abc"  # a lone surrogate and the non-characters XML refuses
    assert clean("\ufeffStudie\ufeff") == "Studie"  # a reader would drop it as a byte-order mark
    for text in (EMOJI, RTL, TIGRINYA, COMBINING):
        assert clean(text) == text


def test_hostile_text_is_coded_at_its_exact_positions(services: Services, tmp_path: Path):
    study_id, ids = fill_hostile(services)
    path = services.export_research(ids, "qdpx", tmp_path / "bijstand.qdpx")
    root, texts = open_project(path.read_bytes())
    found = codings(root, texts)
    for text in (EMOJI, RTL, TIGRINYA, COMBINING, CONTROLS):
        # redaction runs first; none of these texts holds personal data, so each is found as written (cleaned)
        assert pii.redact(text) == text
        for source_name in ("R01", "R02"):
            here = [(code, piece) for name, code, piece in found if name.startswith(source_name)]
            assert ("Knelpunt", clean(text)) in here
            assert ("Thema's/Wachten op het UWV", clean(text)) in here
            assert ("Kans", f"idee {clean(text)}") in here
            assert ("Citaat", f"“{clean(text)}”") in here
            assert ("Thema's/Citaten 😤", f"“{clean(text)}”") in here
    # the second quote of each step has no theme; every step block is coded with its fields
    assert sum(1 for _, code, piece in found if code == "Citaat" and piece.startswith("nog ")) == 10
    blocks = [(code, piece) for _, code, piece in found if code.startswith(("Fase/", "Instantie/", "Kanaal/"))]
    assert sum(1 for code, _ in blocks if code == "Fase/aanvraag") == 2
    assert sum(1 for code, _ in blocks if code == "Fase/wachten") == 8
    assert all(piece.startswith("Stap ") for _, piece in blocks)
    assert sum(1 for _, code, piece in found if code == "Moment van de waarheid" and clean(EMOJI) not in piece) == 2
    # the independent reader, reading the files itself, finds the same text at the same positions
    project, read_texts, code_path = read_back(path, tmp_path / "uit")
    assert read_texts == texts
    read = {
        (code_path[c.code_ref.target_guid], read_texts[source.guid][sel.start_position:sel.end_position])
        for source in project.sources.text_source for sel in source.plain_text_selection for c in sel.coding
    }
    assert read == {(code, piece) for _, code, piece in found}
    # positions count characters of the text as written: the file's bytes decoded, not UTF-16 units or bytes
    text = next(iter(texts.values()))
    assert len(text.encode("utf-16-le")) // 2 > len(text) and len(text.encode("utf-8")) > len(text)


def test_the_codebook_alone_validates_and_holds_the_project_codes(services: Services, tmp_path: Path):
    study_id, ids = fill_hostile(services)
    project = services.research_bytes(ids, "qdpx")
    codebook = services.export_research(ids, "qdc", tmp_path / "codes.qdc").read_bytes()
    codebook_schema().validate(codebook.decode("utf-8"))
    book = ET.fromstring(codebook)
    assert book.tag == f"{C}CodeBook"
    root, _ = open_project(project)
    assert code_names(book, C) == code_names(root)
    # the independent reader finds the same codes
    from pyrefiqda import RefiCodebook

    read: dict[str, str] = {}

    def walk(codes, prefix: str) -> None:  # type: ignore[no-untyped-def]
        for code in codes:
            read[code.guid] = f"{prefix}/{code.name}" if prefix else code.name
            walk(code.code, read[code.guid])

    walk(RefiCodebook.load(tmp_path / "codes.qdc").codes.code, "")
    assert read == code_names(book, C)
    theme = book.find(f".//{C}Code[@name='Wachten op het UWV']")
    assert theme.get("color") == "#aa3300" and theme.find(f"{C}Description").text == "Lang & <onduidelijk>"
    assert set(code_names(book, C).values()) >= {
        "Belevingsscore/-2 zeer negatief", "Belevingsscore/+2 zeer positief", "Instantie/UWV", "Instantie/gemeente",
        "Kanaal/telefoon", "Fase/aanvraag", "Fase/wachten", "Knelpunt", "Kans", "Citaat", "Moment van de waarheid",
    }


# --- read back by an independent reader, compared with the database ---------------------------------------


def read_back(path: Path, folder: Path):  # type: ignore[no-untyped-def]
    """The project as pyrefiqda reads it: (project, text per source GUID, code path per code GUID)."""
    from pyrefiqda import RefiProject

    project = RefiProject.load(path, extract_dir=str(folder))
    texts = {
        s.guid: RefiProject.resolve_source_path(s.plain_text_path, folder).read_text(encoding="utf-8")
        for s in project.sources.text_source
    }
    paths: dict[str, str] = {}

    def walk(codes, prefix: str) -> None:  # type: ignore[no-untyped-def]
        for code in codes:
            paths[code.guid] = f"{prefix}/{code.name}" if prefix else code.name
            walk(code.code, paths[code.guid])

    walk(project.code_book.codes.code, "")
    return project, texts, paths


def test_the_example_journeys_read_back_by_pyrefiqda_match_the_database(services: Services, tmp_path: Path):
    study = services.create_practice_study()
    ids = services.select_interviews(study=study.id)
    assert len(ids) == 3
    path = services.export_research(ids, "qdpx", tmp_path / "voorbeelden.qdpx")
    open_project(path.read_bytes())  # valid against Project.xsd
    project, texts, code_path = read_back(path, tmp_path / "uit")
    variables = {v.guid: v.name for v in project.variables.variable}
    assert sorted(variables.values()) == sorted(
        ["Leeftijdsgroep", "Segment", "Datum interview", "Interviewer", "Vragenlijst", "Status"])
    sources = {s.name.split(" ")[0]: s for s in project.sources.text_source}
    cases = {c.name: c for c in project.cases.case}
    assert sorted(cases) == sorted(sources) == ["R01", "R02", "R03"]
    for interview_id in ids:
        record = services.interview_record(interview_id)
        code = record.respondent.code
        case = cases[code]
        values = {variables[v.variable_ref.target_guid]: v.text_value or str(v.date_value) for v in case.variable_value}
        assert values["Leeftijdsgroep"] == record.respondent.age_band and values["Segment"] == record.respondent.segment
        assert values["Status"] == "afgerond"
        assert values["Vragenlijst"] == f"vng-algemeen {record.interview.question_set_version}"
        assert values["Datum interview"] == record.interview.started_at.astimezone(AMSTERDAM).date().isoformat()
        source = sources[code]
        assert [ref.target_guid for ref in case.source_ref] == [source.guid]
        text = texts[source.guid]
        coded = [
            (code_path[coding.code_ref.target_guid], text[s.start_position:s.end_position])
            for s in source.plain_text_selection for coding in s.coding
        ]
        evidence = [(c, piece) for c, piece in coded if c in ("Knelpunt", "Kans", "Citaat")]
        expected = []
        for step in sorted(record.steps, key=lambda s: s.position):
            expected += [("Knelpunt", step.pain_point)] if step.pain_point else []
            expected += [("Kans", step.opportunity)] if step.opportunity else []
            expected += [("Citaat", q) for q in step.quotes]
            block = next(piece for c, piece in coded if piece.startswith(f"Stap {step.position}\n"))
            assert f"Wat gebeurde er: {step.description}\n" in block
            block_codes = {c for c, piece in coded if piece == block}
            # a phase typed without its accent is the study's phase ("orientatie" is "oriëntatie")
            phase = next((p for p in record.study.phases if phase_key(p) == phase_key(step.phase)), step.phase)
            assert block_codes == {
                f"Fase/{phase}", *(f"Instantie/{name}" for name in step.instances),
                *(f"Kanaal/{name}" for name in step.channels),
                *([f"Belevingsscore/{['-2 zeer negatief', '-1 negatief', '0 neutraal', '+1 positief', '+2 zeer positief'][step.emotion + 2]}"] if step.emotion is not None else []),
                *(["Moment van de waarheid"] if step.moment_of_truth else []),
            }
        assert sorted(evidence) == sorted(expected) and expected
        # the questions and answers are in the transcript too, in the order of the question set
        trigger = next(a.value for a in record.answers if a.question_id == "aanleiding")
        assert f"\n{trigger}\n" in text and text.index(trigger) < text.index("Stap 1\n")


def hostile_record_study(services: Services, quotes: bool = True) -> tuple[str, list[str]]:
    """One interview by a named interviewer whose pain point holds a phone number, an e-mail address and a BSN."""
    study = services.create_study("Schulden")
    respondent = make_respondent(study.id, "R01", segment="bijstand")
    interview = make_interview(study.id, respondent.id, status=InterviewStatus.afgerond, interviewer="Marieke de Vries")
    consents = [Consent(interview_id=interview.id, item=item, granted=quotes if item == "quotes" else True,
                        text_version="t1", question_set_version="2") for item in ("participation", "quotes")]
    step = make_step(interview.id, 1, phase="aanvraag", description="Belt de gemeente", instances=["gemeente"],
                     pain_point="Bel mij op 06-12345678 of mail j.jansen@example.nl, BSN 111222333",
                     quotes=["Ik ben Jan Jansen en ik was boos."], emotion=-2)
    services.store.insert_records(respondents=[respondent], interviews=[interview], consents=consents, steps=[step])
    return study.id, [interview.id]


def archive_text(data: bytes) -> str:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return "\n".join(archive.read(name).decode("utf-8") for name in archive.namelist())


def test_personal_data_is_redacted_before_positions_are_counted(services: Services, tmp_path: Path):
    _, ids = hostile_record_study(services)
    data = services.research_bytes(ids, "qdpx")
    everything = archive_text(data)
    for secret in ("06-12345678", "j.jansen@example.nl", "111222333", "Marieke", "Vries"):
        assert secret not in everything
    root, texts = open_project(data)
    redacted = services.export_records(ids)[0].steps[0]
    assert redacted.pain_point != "Bel mij op 06-12345678 of mail j.jansen@example.nl, BSN 111222333"
    assert ("R01", "Knelpunt", redacted.pain_point) in {(n.split(" ")[0], c, p) for n, c, p in codings(root, texts)}
    users = [u.get("name") for u in root.iter(f"{P}User")]
    assert users == ["Interviewer 1"]
    assert root.find(f"{P}Description").text.startswith("Geëxporteerd door klantreis")
    # asked for: the data as typed, and the interviewer by name
    kept = services.research_bytes(ids, "qdpx", keep_personal_data=True)
    root, texts = open_project(kept)
    assert ("Knelpunt", "Bel mij op 06-12345678 of mail j.jansen@example.nl, BSN 111222333") in {
        (c, p) for _, c, p in codings(root, texts)}
    assert [u.get("name") for u in root.iter(f"{P}User")] == ["Marieke de Vries"]


def test_quotes_without_consent_stay_out(services: Services):
    _, ids = hostile_record_study(services, quotes=False)
    data = services.research_bytes(ids, "qdpx", keep_personal_data=True)
    assert "ik was boos" not in archive_text(data)
    root, texts = open_project(data)
    assert not [c for _, c, _ in codings(root, texts) if c == "Citaat"]
    assert [c for _, c, _ in codings(root, texts) if c == "Knelpunt"]


def test_an_output_path_that_is_no_regular_file_is_refused(services: Services, tmp_path: Path):
    _, ids = hostile_record_study(services)
    folder = tmp_path / "map.qdpx"
    folder.mkdir()
    for fmt in ("qdpx", "qdc"):
        with pytest.raises(OutputRefused):
            services.export_research(ids, fmt, folder)
    assert list(folder.iterdir()) == []
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "pijp.qdc"
        os.mkfifo(fifo)
        with pytest.raises(OutputRefused):
            services.export_research(ids, "qdc", fifo)


def guids(data: bytes) -> dict[str, dict[str, tuple[str | None, ...]]]:
    """Per kind of element, each GUID with what it stands for (name, positions)."""
    root, _ = open_project(data)
    found: dict[str, dict[str, tuple[str | None, ...]]] = {}
    for kind in ("User", "Code", "Variable", "Case", "TextSource", "PlainTextSelection", "Coding"):
        found[kind] = {e.get("guid"): (e.get("name"), e.get("startPosition"), e.get("endPosition"))
                       for e in root.iter(f"{P}{kind}")}
    return found


def test_a_re_export_gives_the_same_guids(services: Services, tmp_path: Path):
    study_id, ids = fill_hostile(services)
    first = services.research_bytes(ids, "qdpx")
    assert services.research_bytes(ids, "qdpx") == first  # the same data: the same bytes
    before = guids(first)
    assert all(before[kind] for kind in before)
    # another interview later: everything there was keeps its GUID (and its positions)
    respondent = make_respondent(study_id, "R03")
    interview = make_interview(study_id, respondent.id, status=InterviewStatus.afgerond, interviewer="Marieke de Vries")
    services.store.insert_records(respondents=[respondent], interviews=[interview],
                                  steps=[make_step(interview.id, 1, pain_point="nieuw", instances=["Belastingdienst"])])
    after = guids(services.research_bytes([*ids, interview.id], "qdpx"))
    for kind, items in before.items():
        assert items.items() <= after[kind].items(), kind
    assert len(after["TextSource"]) == 3


# --- the command line ---------------------------------------------------------------------------------------


def test_the_command_line_writes_a_project_and_a_codebook(tmp_path: Path):
    from klantreis_tui.question_sets import bundled_dir
    from tests.test_exchange import cli

    services = Services.open(tmp_path / "k.db", [bundled_dir()])
    study = services.create_practice_study()
    services.close()
    out = tmp_path / "uit" / "voorbeelden.qdpx"
    result = cli(tmp_path, "--db", str(tmp_path / "k.db"), "export", "--format", "qdpx", "--study", study.id, "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        f"REFI-QDA-project geschreven: {out} (3 interviews). Open het in ATLAS.ti, NVivo, MAXQDA of QualCoder "
        "(Bestand > Importeren > REFI-QDA-project)."
    )
    root, texts = open_project(out.read_bytes())
    assert len(texts) == 3 and len(root.findall(f"{P}Cases/{P}Case")) == 3
    # without -o: the default file name, in the current folder
    result = cli(tmp_path, "--db", str(tmp_path / "k.db"), "--lang", "en", "export", "--format", "qdc", "--study", study.id)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "REFI-QDA codebook written: klantreis-export.qdc."
    codebook_schema().validate((tmp_path / "klantreis-export.qdc").read_text(encoding="utf-8"))
    # a folder as the output is refused, nothing written
    folder = tmp_path / "map"
    folder.mkdir()
    result = cli(tmp_path, "--db", str(tmp_path / "k.db"), "export", "--format", "qdpx", "--study", study.id, "-o", str(folder))
    assert result.returncode != 0 and str(folder) in result.stderr and "Traceback" not in result.stderr
    assert list(folder.iterdir()) == []
    # bundles only
    result = cli(tmp_path, "--db", str(tmp_path / "k.db"), "export", "--format", "qdc", "--study", study.id, "--encrypt")
    assert result.returncode != 0 and "--format json" in result.stderr
    result = cli(tmp_path, "export", "--help")
    # argparse wraps the help, also after a hyphen: join the lines back before looking
    assert "qdpx: REFI-QDA-project voor ATLAS.ti, NVivo, MAXQDA, QualCoder" in " ".join(result.stdout.split()).replace("- ", "-")


# --- the app's summary screen --------------------------------------------------------------------------------


async def exported(app, pilot) -> None:  # type: ignore[no-untyped-def]
    """Wait until the screen's export workers are done and their messages shown."""
    await app.screen.workers.wait_for_complete()
    await pilot.pause()


async def test_the_summary_screens_export_a_project_and_a_codebook(services: Services, tmp_path: Path):
    from klantreis_tui.ui.screens.summary import SummaryScreen
    from tests.uihelpers import build_app, press

    study_id, ids = fill_hostile(services)
    app = build_app(services)
    app.export_dir = tmp_path / "export"
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "y")  # the synthesis of the study: its interviews
        assert isinstance(app.screen, SummaryScreen) and app.screen.study
        await press(pilot, "r")
        await press(pilot, "c")
        await exported(app, pilot)
        written = sorted((tmp_path / "export").iterdir())
        assert sorted(p.suffix for p in written) == [".qdc", ".qdpx"]
        messages = [n.message for n in app._notifications]
        assert all(any(f"Geëxporteerd naar {p}" == m for m in messages) for p in written), messages
        project = next(p for p in written if p.suffix == ".qdpx")
        root, texts = open_project(project.read_bytes())
        assert len(texts) == 2 and project.name.startswith("Bijstand-synthese-")
        codebook_schema().validate(next(p for p in written if p.suffix == ".qdc").read_text(encoding="utf-8"))
        await press(pilot, "escape")
        # one interview's summary: that interview alone
        app.open_summary([ids[1]], study=False)
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen) and not app.screen.study
        for path in written:
            path.unlink()
        await press(pilot, "r")
        await exported(app, pilot)
        project = next((tmp_path / "export").glob("*.qdpx"))
        root, texts = open_project(project.read_bytes())
        assert [c.get("name") for c in root.iter(f"{P}Case")] == ["R02"] and len(texts) == 1
        assert project.name.startswith("Bijstand-R02-verslag-")


async def test_an_export_folder_that_is_a_file_is_a_message_in_the_app(services: Services, tmp_path: Path):
    from tests.uihelpers import build_app, press

    fill_hostile(services)
    blocker = tmp_path / "export"
    blocker.write_text("geen map", encoding="utf-8")
    app = build_app(services)
    app.export_dir = blocker
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, "y")
        await press(pilot, "r")
        await exported(app, pilot)
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert len(errors) == 1 and errors[0].startswith("Exporteren mislukt: ") and str(blocker) in errors[0]
    assert blocker.read_text(encoding="utf-8") == "geen map"


# --- more than one study; a question set that is not here; a respondent interviewed twice --------------------


def test_several_studies_keep_their_themes_and_cases_apart(services: Services, tmp_path: Path):
    first, first_ids = fill_hostile(services)
    second = services.create_study("Paspoort")
    respondent = make_respondent(second.id, "R01")
    interviews = [make_interview(second.id, respondent.id, status=InterviewStatus.afgerond) for _ in range(2)]
    steps = [make_step(interviews[0].id, 1, pain_point="Geen afspraak vrij", instances=["Burgerzaken"])]
    services.store.insert_records(respondents=[respondent], interviews=interviews, steps=steps)
    theme = services.create_theme(second.id, "Wachten op het UWV")  # the same name, another study
    services.assign(second.id, theme.id, [e for e in services.evidence(second.id)])
    ids = services.select_interviews()
    assert len(ids) == 4
    data = services.research_bytes(ids, "qdpx")
    root, texts = open_project(data)
    assert root.get("name") == "Bijstand + Paspoort"
    cases = {c.get("name"): c for c in root.iter(f"{P}Case")}
    assert sorted(cases) == ["R01 (Bijstand)", "R01 (Paspoort)", "R02 (Bijstand)"]
    # the respondent interviewed twice: one case holding both interviews
    assert len(cases["R01 (Paspoort)"].findall(f"{P}SourceRef")) == 2
    found = codings(root, texts)
    # a parent of themes per study, one level deep; a code name repeated gets its parent's name (importers keep
    # one code per name)
    assert ("Thema's: Paspoort/Wachten op het UWV (Thema's: Paspoort)", "Geen afspraak vrij") in {
        (c, p) for _, c, p in found}
    assert sum(1 for _, c, _ in found if c == "Thema's: Bijstand/Wachten op het UWV") == 10
    names = [c.get("name").casefold() for c in root.iter(f"{P}Code")]
    assert len(names) == len(set(names))
    sources = sorted(re.sub(r" \d{4}-\d\d-\d\d( \(2\))?$", "", s.get("name")) for s in root.iter(f"{P}TextSource"))
    assert sources == ["R01 (Bijstand)", "R01 (Paspoort)", "R01 (Paspoort)", "R02 (Bijstand)"]
    assert len({s.get("name") for s in root.iter(f"{P}TextSource")}) == 4  # the same day twice: numbered
    codebook_schema().validate(services.research_bytes(ids, "qdc").decode("utf-8"))


def test_an_interview_whose_question_set_is_not_here_is_still_a_source(services: Services):
    study = services.create_study("Elders")
    respondent = make_respondent(study.id, "R01")
    interview = make_interview(study.id, respondent.id, question_set_id="van-elders", question_set_version="9")
    answers = [Answer(interview_id=interview.id, question_id="aanleiding", revision=1, value="Brief\r\nvan de gemeente")]
    steps = [make_step(interview.id, 1, description="Belt", quotes=["Niemand nam op."], channels=["telefoon"])]
    services.store.insert_records(respondents=[respondent], interviews=[interview], answers=answers, steps=steps)
    root, texts = open_project(services.research_bytes([interview.id], "qdpx"))
    text = next(iter(texts.values()))
    assert "aanleiding\nBrief\nvan de gemeente\n" in text and "Vragenlijst: van-elders 9\n" in text
    assert {(c, p) for _, c, p in codings(root, texts)} >= {
        ("Citaat", "Niemand nam op."), ("Kanaal/telefoon", "Stap 1\nWat gebeurde er: Belt\nKanalen: telefoon\nCitaat: Niemand nam op.")}


def test_codes_and_labels_follow_the_language(services: Services, english):
    _, ids = hostile_record_study(services)
    root, texts = open_project(services.research_bytes(ids, "qdpx"))
    assert {c.split("/")[0] for c in code_names(root).values()} >= {
        "Pain point", "Idea", "Quote", "Phase", "Organisation", "Emotion score", "Moment of truth"}
    assert [v.get("name") for v in root.iter(f"{P}Variable")] == [
        "Age band", "Segment", "Interview date", "Interviewer", "Question set", "Status"]
    assert "\nStep 1\nPhase: aanvraag\nWhat happened: Belt de gemeente\n" in next(iter(texts.values()))


def test_a_value_whose_code_name_is_taken_is_still_coded(services: Services):
    study = services.create_study("Namen", phases=["telefoon"])  # a phase named like a channel
    respondent = make_respondent(study.id, "R01")
    interview = make_interview(study.id, respondent.id)
    step = make_step(interview.id, 1, phase="telefoon", instances=["UWV"], channels=["telefoon"], pain_point="Wachten")
    services.store.insert_records(respondents=[respondent], interviews=[interview], steps=[step])
    uwv = services.create_theme(study.id, "UWV")  # a theme named like an organisation
    services.assign(study.id, uwv.id, services.evidence(study.id))
    root, texts = open_project(services.research_bytes([interview.id], "qdpx"))
    block = {c for _, c, piece in codings(root, texts) if piece.startswith("Stap 1\n")}
    assert block == {"Fase/telefoon", "Instantie/UWV (Instantie)", "Kanaal/telefoon (Kanaal)"}
    assert ("Thema's/UWV", "Wachten") in {(c, p) for _, c, p in codings(root, texts)}


# --- any text: positions exact, the XML valid ----------------------------------------------------------------

_any_text = st.text(st.characters(codec="utf-8", exclude_categories=()), max_size=40) | st.sampled_from(
    [EMOJI, RTL, TIGRINYA, COMBINING, CONTROLS, "\r\n\r", "\ufeff", "]]>", "&amp;<", "\x85\u2028\u2029"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(_any_text, min_size=1, max_size=4), theme=_any_text, title=_any_text)
def test_any_text_is_found_at_its_positions_in_a_valid_project(texts: list[str], theme: str, title: str):
    from klantreis_tui.formats.refiqda import QdaInput, project_files
    from klantreis_tui.models import InterviewRecord
    from klantreis_tui.models.themes import Theme, ThemeLink

    study = make_study(title or "x", phases=[texts[0][:10]])
    respondent = make_respondent(study.id, "R01", segment=texts[-1])
    interview = make_interview(study.id, respondent.id, interviewer=texts[0])
    steps = [make_step(interview.id, n, phase=text[:10], description=text, instances=[text, "UWV"], channels=[text],
                       quotes=[text, f"{text}!"], pain_point=text, opportunity=text)
             for n, text in enumerate(texts, start=1)]
    record = InterviewRecord(study=study, respondent=respondent, interview=interview, steps=steps)
    themed = Theme(study_id=study.id, name=theme or "t", description=theme)
    links = [ThemeLink(theme_id=themed.id, step_id=s.id, field="quotes", item=1) for s in steps]
    files = project_files(QdaInput(title=study.title, origin="test", description=title, studies=[study],
                                   records=[record], question_sets={}, themes=[themed], theme_links=links))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    root, sources = open_project(buffer.getvalue())
    found = {(code, piece) for _, code, piece in codings(root, sources)}
    for text in texts:
        if clean(text).strip():
            assert {("Knelpunt", clean(text)), ("Kans", clean(text)), ("Citaat", clean(text))} <= found
        assert ("Citaat", f"{clean(text)}!") in found
    # the theme's code holds exactly the second quote of every step
    assert {piece for code, piece in found if code.startswith("Thema's/")} == {f"{clean(t)}!" for t in texts}
