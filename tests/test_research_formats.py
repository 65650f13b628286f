"""REFI-QDA exports (.qdpx project, .qdc codebook): valid against the official schemas, read back by an
independent reader (pyrefiqda), every coding's text at its positions compared with the database; positions
exact with emoji, right-to-left, Tigrinya, combining marks and control characters; redaction by default; bad
output paths refused; GUIDs stable over re-exports."""

from __future__ import annotations

import io
import os
import xml.etree.ElementTree as ET
import zipfile
from functools import cache
from pathlib import Path

import pytest
import xmlschema

from klantreis_tui import pii
from klantreis_tui.errors import OutputRefused
from klantreis_tui.formats.transcript import clean
from klantreis_tui.models import Consent, InterviewStatus
from klantreis_tui.services import Services
from tests.conftest import make_interview, make_respondent, make_step

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
    theme = book.find(f".//{C}Code[@name='Wachten op het UWV']")
    assert theme.get("color") == "#aa3300" and theme.find(f"{C}Description").text == "Lang & <onduidelijk>"
    assert set(code_names(book, C).values()) >= {
        "Belevingsscore/-2 zeer negatief", "Belevingsscore/+2 zeer positief", "Instantie/UWV", "Instantie/gemeente",
        "Kanaal/telefoon", "Fase/aanvraag", "Fase/wachten", "Knelpunt", "Kans", "Citaat", "Moment van de waarheid",
    }
