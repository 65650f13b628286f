"""REFI-QDA 1.0 files for ATLAS.ti, NVivo, MAXQDA and QualCoder: the project (.qdpx) and the codebook (.qdc).

A project is a zip archive with ``project.qde`` (namespace ``urn:QDA-XML:project:1.0``) and one plain-text
source per interview under ``sources/<guid>.txt`` (UTF-8, LF), referred to as ``internal://<guid>.txt``.
Each respondent is a case with variables, the study's themes and the step fields are codes, and every coding is
a ``PlainTextSelection`` at the character positions of the text as written (see ``formats.transcript``).

GUIDs are name-based (UUID 5) on the records' ids, so exporting the same study again gives the same GUIDs and,
for the same data, the same bytes. Written with the standard library only.
"""

from __future__ import annotations

import io
import re
import uuid
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone

from klantreis_tui.formats.transcript import Transcript, build_transcript, clean, clean_line, emotion_name
from klantreis_tui.formats.transcript import header_lines
from klantreis_tui.models.moments import local_date
from klantreis_tui.i18n import t
from klantreis_tui.models.names import CanonicalNames, name_key
from klantreis_tui.models.phases import phase_key
from klantreis_tui.models.question_set import QuestionSet
from klantreis_tui.models.records import EMOTION_MAX, EMOTION_MIN, InterviewRecord, Study
from klantreis_tui.models.themes import Theme, ThemeLink

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
#: the namespace of every GUID klantreis writes (UUID 5 of a record's kind and id)
GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:klantreis:refi-qda")
#: the time stamp of every member of the archive: the same data gives the same bytes
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_RGB = re.compile(r"^#(?:[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})$")


def guid(*parts: str) -> str:
    """The GUID of a thing klantreis writes, from what it is and the ids it comes from."""
    return str(uuid.uuid5(GUID_NAMESPACE, "\x1f".join(parts)))


@dataclass
class QdaInput:
    """Everything a project or a codebook is written from, as the services hand it over.

    ``records`` are protected already (quotes withheld, personal data redacted unless asked otherwise);
    ``names`` maps, per field (instances, channels), the key of a spelling to its canonical name;
    ``interviewers`` the name each interview's interviewer is shown under (a pseudonym by default)."""

    title: str
    origin: str
    description: str
    studies: list[Study]
    records: list[InterviewRecord]
    question_sets: Mapping[str, QuestionSet]
    themes: list[Theme] = field(default_factory=list)
    theme_links: list[ThemeLink] = field(default_factory=list)
    names: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    interviewers: Mapping[str, str] = field(default_factory=dict)
    _canonical: dict[str, CanonicalNames] = field(default_factory=dict, init=False, repr=False)

    def canonical(self, field_name: str, typed: str) -> str:
        """The name a typed organisation or channel counts under in the study (the typed one, tidied, if none)."""
        names = self._canonical.get(field_name)
        if names is None:
            names = self._canonical[field_name] = CanonicalNames(dict(self.names.get(field_name, {})))
        return clean_line(names.name(typed))


@dataclass
class Code:
    guid: str
    name: str
    codable: bool
    description: str = ""
    color: str = ""
    children: list["Code"] = field(default_factory=list)


@dataclass
class CodeTree:
    """The codes, and where a step's values find theirs."""

    roots: list[Code]
    themes: dict[str, str]  # theme id -> code GUID
    fields: dict[str, str]  # pain_point, opportunity, quotes, moment_of_truth -> code GUID
    phases: dict[str, str]  # phase key -> code GUID
    instances: dict[str, str]  # name key of the canonical name -> code GUID
    channels: dict[str, str]
    emotions: dict[int, str]


def code_tree(data: QdaInput) -> CodeTree:
    """Themes; pain point, idea, quote; phase, organisation and channel with their values; emotion -2..+2;
    moment of truth. Parents that only group are not codable."""
    # one level of codes under a parent at most (ATLAS.ti keeps no deeper tree): with several studies, a
    # parent of themes per study
    several = len(data.studies) > 1
    theme_roots = [
        Code(guid("code", "themes", study.id), f"{t('Themes')}: {clean_line(study.title)}", False) if several
        else Code(guid("code", "themes"), t("Themes"), False)
        for study in data.studies
    ]
    theme_codes: dict[str, str] = {}
    for study, parent in zip(data.studies, theme_roots):
        for theme in (th for th in data.themes if th.study_id == study.id):
            code = Code(guid("code", "theme", theme.id), clean_line(theme.name) or "?", True, clean(theme.description),
                        theme.colour if _RGB.match(theme.colour or "") else "")
            parent.children.append(code)
            theme_codes[theme.id] = code.guid
    evidence = {
        "pain_point": Code(guid("code", "pain_point"), t("Pain point"), True),
        "opportunity": Code(guid("code", "opportunity"), t("Idea"), True),
        "quotes": Code(guid("code", "quotes"), t("Quote"), True),
    }
    steps = [s for r in data.records for s in sorted(r.steps, key=lambda s: s.position)]
    phase_names: dict[str, str] = {}
    for name in [p for study in data.studies for p in study.phases] + [s.phase for s in steps]:
        name = clean_line(name)
        if name and phase_key(name) not in phase_names:
            phase_names[phase_key(name)] = name
    phases = Code(guid("code", "phase"), t("Phase"), False, children=[
        Code(guid("code", "phase", key), name, True) for key, name in phase_names.items()
    ])

    def valued(field_name: str, label: str) -> Code:
        found: dict[str, str] = {}
        for step in steps:
            for typed in getattr(step, field_name):
                name = data.canonical(field_name, typed)
                if name:
                    found.setdefault(name_key(name), name)
        ordered = sorted(found.items(), key=lambda kv: (kv[1].casefold(), kv[1]))
        return Code(guid("code", field_name), label, False, children=[
            Code(guid("code", field_name, key), name, True) for key, name in ordered
        ])

    instances = valued("instances", t("Organisation"))
    channels = valued("channels", t("Channel"))
    emotion = Code(guid("code", "emotion"), t("Emotion score"), False, children=[
        Code(guid("code", "emotion", str(score)), emotion_name(score), True)
        for score in range(EMOTION_MIN, EMOTION_MAX + 1)
    ])
    moment = Code(guid("code", "moment_of_truth"), t("Moment of truth"), True)
    roots = [*theme_roots, *evidence.values(), phases, instances, channels, emotion, moment]
    tree = CodeTree(  # where a step's values find their codes: by the values' names, before any is renamed
        roots=[r for r in roots if r.codable or r.children],
        themes=theme_codes,
        fields={**{k: c.guid for k, c in evidence.items()}, "moment_of_truth": moment.guid},
        phases={phase_key(c.name): c.guid for c in phases.children},
        instances={name_key(c.name): c.guid for c in instances.children},
        channels={name_key(c.name): c.guid for c in channels.children},
        emotions={score: guid("code", "emotion", str(score)) for score in range(EMOTION_MIN, EMOTION_MAX + 1)},
    )
    _unique_names(tree.roots)
    return tree


def _unique_names(roots: list[Code]) -> None:
    """Give every code a name no other code has (case aside): importers such as QualCoder and ATLAS.ti keep
    one code per name and would merge or drop the second. The first keeps its name, a later one gets its
    parent's name in brackets (and a number if that is taken too)."""
    taken: set[str] = set()

    def visit(code: Code, parent: Code | None) -> None:
        name = code.name
        if name.casefold() in taken and parent is not None:
            name = f"{code.name} ({parent.name})"
        number = 2
        while name.casefold() in taken:
            name, number = f"{code.name} ({number})", number + 1
        code.name = name
        taken.add(name.casefold())
        for child in code.children:
            visit(child, code)

    for root in roots:
        visit(root, None)


def unique(names: list[str]) -> list[str]:
    """``names`` with a repeated one numbered: "R01 2026-03-02", "R01 2026-03-02 (2)"."""
    seen: dict[str, int] = {}
    found = []
    for name in names:
        seen[name.casefold()] = seen.get(name.casefold(), 0) + 1
        found.append(name if seen[name.casefold()] == 1 else f"{name} ({seen[name.casefold()]})")
    return found


def _code_elements(parent: ET.Element, codes: list[Code]) -> None:
    for code in codes:
        attrs = {"guid": code.guid, "name": code.name, "isCodable": "true" if code.codable else "false"}
        if code.color:
            attrs["color"] = code.color
        element = ET.SubElement(parent, "Code", attrs)
        if code.description:
            ET.SubElement(element, "Description").text = code.description
        _code_elements(element, code.children)


def _xml(root: ET.Element) -> bytes:
    """The document, indented; the root carries its namespace as ``xmlns`` (the elements are written plain)."""
    ET.indent(root, space=" ")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode").encode("utf-8")


def codebook_xml(data: QdaInput) -> bytes:
    """The codebook alone (.qdc)."""
    root = ET.Element("CodeBook", {"xmlns": CODEBOOK_NS, "origin": data.origin})
    _code_elements(ET.SubElement(root, "Codes"), code_tree(data).roots)
    return _xml(root)


# --- the project ------------------------------------------------------------------------------------------

_VARIABLES = ("age_band", "segment", "interview_date", "interviewer", "question_set", "status")


def _moment(value: datetime) -> str:
    """A time as importers read it: UTC, to the second, with "Z" ("2026-03-02T10:00:00Z")."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class _Selection:
    guid: str
    start: int
    end: int
    codes: list[str]
    name: str


def _selections(record: InterviewRecord, transcript: Transcript, tree: CodeTree, data: QdaInput,
                links: Mapping[tuple[str, str, int], list[str]]) -> list[_Selection]:
    """Per step: its block, coded with its phase, organisations, channels, emotion and moment of truth; its
    pain point, idea and quotes, each coded with its field and the themes it is assigned to."""
    found = []
    code = record.respondent.code
    for spans in transcript.steps:
        step = spans.step
        codes = []
        if step.phase.strip() and phase_key(clean_line(step.phase)) in tree.phases:
            codes.append(tree.phases[phase_key(clean_line(step.phase))])
        for field_name, by_name in (("instances", tree.instances), ("channels", tree.channels)):
            for typed in getattr(step, field_name):
                key = name_key(data.canonical(field_name, typed))
                if key in by_name and by_name[key] not in codes:
                    codes.append(by_name[key])
        if step.emotion is not None:
            codes.append(tree.emotions[step.emotion])
        if step.moment_of_truth:
            codes.append(tree.fields["moment_of_truth"])
        if codes:
            found.append(_Selection(guid("selection", step.id), spans.block.start, spans.block.end, codes,
                                    f"{code} · {t('Step {n}', n=spans.number)}"))
        pieces = [("pain_point", 0, spans.pain_point), ("opportunity", 0, spans.opportunity)]
        pieces += [("quotes", item, span) for item, span in sorted(spans.quotes.items())]
        for field_name, item, span in pieces:
            if span is None or span.end <= span.start:
                continue
            themes = [tree.themes[th] for th in links.get((step.id, field_name, item), []) if th in tree.themes]
            text = transcript.text[span.start:span.end]
            found.append(_Selection(
                guid("selection", step.id, field_name, str(item)), span.start, span.end,
                [tree.fields[field_name], *themes], " ".join(text.split())[:80],
            ))
    return found


def project_files(data: QdaInput) -> dict[str, bytes]:
    """The members of the .qdpx archive: ``project.qde`` and ``sources/<guid>.txt``, by name."""
    ns = PROJECT_NS

    def sub(parent: ET.Element, tag: str, attrs: dict[str, str] | None = None, text: str | None = None) -> ET.Element:
        element = ET.SubElement(parent, tag, attrs or {})
        if text is not None:
            element.text = text
        return element

    tree = code_tree(data)
    links: dict[tuple[str, str, int], list[str]] = {}
    for link in data.theme_links:
        links.setdefault((link.step_id, link.field, link.item), []).append(link.theme_id)
    anchor = min((s.id for s in data.studies), default="")

    def shown(record: InterviewRecord) -> str:
        return clean_line(data.interviewers.get(record.interview.id, record.interview.interviewer))

    # every source, selection and coding names the user who made it (importers such as QualCoder expect one):
    # the interviewer, or klantreis itself when the interview names none
    users: dict[str, tuple[str, str]] = {}  # interviewer key -> (guid, name)
    for record in data.records:
        key = name_key(shown(record))
        if key not in users:
            users[key] = (guid("user", anchor, key), shown(record) or "klantreis")
    several = len(data.studies) > 1

    root = ET.Element("Project", {"xmlns": ns, "name": clean_line(data.title) or "klantreis", "origin": data.origin})
    if users:
        users_element = sub(root, "Users")
        for user_guid, name in users.values():
            sub(users_element, "User", {"guid": user_guid, "name": name})
    _code_elements(sub(sub(root, "CodeBook"), "Codes"), tree.roots)
    labels = dict(zip(_VARIABLES, (label for label, _ in header_lines(data.records[0], "")[1:]))) if data.records else {}
    variables = sub(root, "Variables")
    for key in _VARIABLES:
        sub(variables, "Variable", {
            "guid": guid("variable", key), "name": labels.get(key, key),
            "typeOfVariable": "Date" if key == "interview_date" else "Text",
        })

    files: dict[str, bytes] = {}
    sources: list[ET.Element] = []
    by_respondent: dict[str, list[InterviewRecord]] = {}
    names = unique([
        f"{clean_line(r.respondent.code)}{f' ({clean_line(r.study.title)})' if several else ''} "
        f"{local_date(r.interview.started_at)}"
        for r in data.records
    ])
    for record, source_name in zip(data.records, names):
        by_respondent.setdefault(record.respondent.id, []).append(record)
        transcript = build_transcript(record, data.question_sets.get(record.interview.question_set_id), shown(record))
        source_guid = guid("source", record.interview.id)
        files[f"sources/{source_guid}.txt"] = transcript.text.encode("utf-8")
        made = {"creatingUser": users[name_key(shown(record))][0],
                "creationDateTime": _moment(record.interview.ended_at or record.interview.started_at)}
        source = ET.Element("TextSource", {
            "guid": source_guid, "name": source_name, "plainTextPath": f"internal://{source_guid}.txt", **made,
        })
        for selection in _selections(record, transcript, tree, data, links):
            element = sub(source, "PlainTextSelection", {
                "guid": selection.guid, "name": selection.name,
                "startPosition": str(selection.start), "endPosition": str(selection.end), **made,
            })
            for code_guid in selection.codes:
                coding = sub(element, "Coding", {"guid": guid("coding", selection.guid, code_guid), **made})
                sub(coding, "CodeRef", {"targetGUID": code_guid})
        sources.append(source)
    if by_respondent:
        cases = sub(root, "Cases")
        for respondent_id, records in by_respondent.items():
            latest = max(records, key=lambda r: (r.interview.started_at, r.interview.id))
            name = clean_line(latest.respondent.code)
            if several:
                name = f"{name} ({clean_line(latest.study.title)})"
            case = sub(cases, "Case", {"guid": guid("case", respondent_id), "name": name})
            texts = dict(zip(_VARIABLES, (clean_line(v) for _, v in header_lines(latest, shown(latest))[1:])))
            for key in _VARIABLES:
                if texts[key]:
                    value = sub(case, "VariableValue")
                    sub(value, "VariableRef", {"targetGUID": guid("variable", key)})
                    sub(value, "DateValue" if key == "interview_date" else "TextValue", text=texts[key])
            for record in records:
                sub(case, "SourceRef", {"targetGUID": guid("source", record.interview.id)})
    if sources:
        sources_element = sub(root, "Sources")
        sources_element.extend(sources)
    if data.description:
        sub(root, "Description", text=clean(data.description))
    files["project.qde"] = _xml(root)
    return files


def project_archive(data: QdaInput) -> bytes:
    """The .qdpx archive: ``project.qde`` first, then the sources, each with a fixed time stamp."""
    files = project_files(data)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in ["project.qde", *sorted(n for n in files if n != "project.qde")]:
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
    return buffer.getvalue()
