"""Reading and writing exchange files: the JSON bundle and the study kit (checked whole) and CSV tables."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from klantreis_tui.errors import KlantreisError, OutputRefused
from klantreis_tui.i18n import library_text, t
from klantreis_tui.i18n.validation import validation_problems
from klantreis_tui.models import steps as step_fields
from klantreis_tui.models.bundle import DELIVERABLE_TABLES, Bundle
from klantreis_tui.models.kit import KIT_FORMAT, Kit
from klantreis_tui.models.limits import MAX_NESTING, id_problems, kit_problems, size_problems
from klantreis_tui.models.records import InterviewRecord
from klantreis_tui.safetext import visible

#: the largest bundle file (or decrypted bundle) read: about 40,000 interviews (read in pieces: the
#: memory an import needs does not grow with it; the limit bounds the time a file from outside can take)
MAX_BUNDLE_BYTES = 1024 * 1024 * 1024
#: the largest file read whole (a study kit, a bundle given as bytes): about 2,000 long interviews
MAX_WHOLE_BYTES = 128 * 1024 * 1024
#: The largest number an SQLite INTEGER column holds; a revision above it cannot be stored.
MAX_STORED_INTEGER = 2**63 - 1


class BundleError(KlantreisError):
    """A bundle that cannot be imported; the message says why (worded in the caller's language). Nothing changed."""

    def __init__(self, message: str, reason: str = "bundle.refused", /, **detail: Any) -> None:
        super().__init__(reason, message, **detail)


def output_target(path: Path) -> Path:
    """The file an output to ``path`` writes: ``path`` itself (a regular file or a new path), or the file a
    symlink points to. A device, a FIFO, a folder, or a symlink to one, is refused (OutputRefused naming
    ``path``) before anything is written: the temporary file would be renamed over it."""
    try:
        info = path.stat()  # follows symlinks
    except FileNotFoundError:
        return path.resolve() if path.is_symlink() else path  # a new path (or a link to one)
    if stat.S_ISREG(info.st_mode):
        return path.resolve() if path.is_symlink() else path
    if stat.S_ISDIR(info.st_mode):
        kind = "folder"
    elif stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode):
        kind = "device"
    elif stat.S_ISFIFO(info.st_mode):
        kind = "fifo"
    else:
        kind = "special"
    raise OutputRefused(path, kind)


def write_atomic(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Write ``data`` (bytes, or pieces of bytes written as they come) to ``path`` through a temporary file
    and a rename: never a half-written file, and only over a regular file or at a new path (see
    :func:`output_target`)."""
    target = output_target(path)
    if target is path:
        path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            if isinstance(data, (bytes, bytearray)):
                out.write(data)
            else:
                for piece in data:
                    out.write(piece)
            out.flush()
            os.fsync(out.fileno())
        if output_target(target) != target:  # replaced by a symlink meanwhile: checked again, then refused
            raise OutputRefused(path, "special")
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


#: a bundle file is read in pieces of this many bytes
READ_PIECE = 1 << 20


def bundle_json(bundle: Bundle) -> bytes:
    """The bundle as JSON: data as stored. JSON escapes the C0 controls; DEL, the C1 controls and the bidi
    controls are escaped too (still the same JSON value), so a bundle shown on a terminal cannot act on it."""
    from klantreis_tui.exchange.writing import escaped

    return escaped(bundle.model_dump_json(indent=2) + "\n")


_KEEP_BRACKETS = bytes(b for b in range(256) if b not in b'[]{}"')
_EMPTY_PAIR = re.compile(rb"\[\]|\{\}")


def nesting_depth(data: bytes, limit: int) -> int | None:
    """How deep the arrays and objects of the JSON ``data`` nest when that is more than ``limit`` (None when
    it is not), counted without parsing (a parser recurses: 100,000 levels end in a RecursionError).

    Escaped backslashes and quotes go first, then everything but brackets and quotes, then the strings
    (every other piece between quotes): what is left is the bracket skeleton, whose innermost pairs are
    taken away ``limit`` times. Only a skeleton left after that is walked bracket by bracket."""
    skeleton = data.replace(b"\\\\", b"").replace(b'\\"', b"").translate(None, _KEEP_BRACKETS)
    brackets = b"".join(skeleton.split(b'"')[::2])
    rest = brackets
    for _ in range(limit):
        rest, found = _EMPTY_PAIR.subn(b"", rest)
        if not found:
            break
    if not rest:
        return None
    depth = deepest = 0
    for bracket in brackets:
        depth += 1 if bracket in b"[{" else -1
        deepest = max(deepest, depth)
    return deepest if deepest > limit else None


def parse_bundle(data: bytes, name: str) -> Bundle:
    """Check a bundle whole: size and nesting, then JSON, format, version, every id (strict UUIDs), every
    field (within the limits of ``models.limits``) and every link (as it is read in pieces: ``stream``)."""
    from klantreis_tui.exchange.stream import read_whole

    if len(data) > MAX_WHOLE_BYTES:
        raise BundleError(t('{path}: too large for a bundle ({size} bytes, at most {limit}). Nothing was imported.', path=name, size=len(data), limit=MAX_WHOLE_BYTES))
    return read_whole([data], name, MAX_WHOLE_BYTES)


def read_bundle_bytes(path: Path) -> bytes:
    """The bytes of a bundle file (plain or encrypted) read whole, refused when unreadable or too large."""
    try:
        size = path.stat().st_size
        if size > MAX_WHOLE_BYTES:
            raise BundleError(t('{path}: too large for a bundle ({size} bytes, at most {limit}). Nothing was imported.', path=path, size=size, limit=MAX_WHOLE_BYTES))
        return path.read_bytes()
    except OSError as exc:
        raise BundleError(t('{path}: cannot be read: {error}. Nothing was imported.', path=path, error=exc.strerror or exc)) from None


def whole(pieces: Iterable[bytes], name: object) -> bytes:
    """The pieces of a file that is read whole (a study kit) joined, refused when over MAX_WHOLE_BYTES."""
    data = bytearray()
    for piece in pieces:
        data += piece
        if len(data) > MAX_WHOLE_BYTES:
            raise BundleError(t('{path}: too large for a bundle ({size} bytes, at most {limit}). Nothing was imported.', path=name, size=len(data), limit=MAX_WHOLE_BYTES))
    return bytes(data)


def file_pieces(path: Path) -> Iterator[bytes]:
    """The bytes of a bundle file in pieces, refused (BundleError) when unreadable or too large."""
    try:
        size = path.stat().st_size
        if size > MAX_BUNDLE_BYTES:
            raise BundleError(t('{path}: too large for a bundle ({size} bytes, at most {limit}). Nothing was imported.', path=path, size=size, limit=MAX_BUNDLE_BYTES))
        with path.open("rb") as file:
            while piece := file.read(READ_PIECE):
                yield piece
    except OSError as exc:
        raise BundleError(t('{path}: cannot be read: {error}. Nothing was imported.', path=path, error=exc.strerror or exc)) from None


def read_bundle(path: Path) -> Bundle:
    return parse_bundle(read_bundle_bytes(path), str(path))


# --- CSV ---------------------------------------------------------------------------------------

#: Every table starts with the interview, the study's id and title and the respondent code: the rows of
#: several studies (and of respondents with the same code in different studies) stay apart.
INTERVIEW_COLUMNS = [
    "interview_id", "study_id", "study", "respondent", "age_band", "segment", "question_set", "question_set_version",
    "interviewer", "started_at", "ended_at", "status", "steps", "consent_participation", "consent_audio",
    "consent_quotes",
]
#: The steps table: the keys, then every step field in the order of ``models.steps.FIELDS``.
STEP_COLUMNS = ["interview_id", "study_id", "study", "respondent", "position", *step_fields.NAMES]
ANSWER_COLUMNS = [
    "interview_id", "study_id", "study", "respondent", "question_id", "step_position", "revision", "value", "skipped",
    "retracted", "recorded_at",
]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, list):
        return " | ".join(str(v) for v in value)
    return str(value)


def csv_tables(records: Iterable[InterviewRecord], include_quotes: bool = True) -> dict[str, list[list[str]]]:
    """The three tables (interviews, steps, answers) as rows of text cells, header first."""
    tables: dict[str, list[list[str]]] = {
        "interviews": [INTERVIEW_COLUMNS],
        "steps": [STEP_COLUMNS],
        "answers": [ANSWER_COLUMNS],
    }
    for record in records:
        iv, resp = record.interview, record.respondent
        base = [iv.id, record.study.id, record.study.title, resp.code]
        tables["interviews"].append(
            [_cell(v) for v in [
                *base, resp.age_band, resp.segment, iv.question_set_id, iv.question_set_version, iv.interviewer,
                iv.started_at.isoformat(), iv.ended_at.isoformat() if iv.ended_at else "", iv.status.value,
                len(record.steps), record.consent("participation"), record.consent("audio"), record.consent("quotes"),
            ]]
        )
        quotes_allowed = include_quotes and record.consent("quotes") is not False
        positions = {s.id: s.position for s in record.steps}
        for step in record.steps:
            values = {name: getattr(step, name) for name in step_fields.NAMES}
            if not quotes_allowed:
                values["quotes"] = []
            tables["steps"].append([_cell(v) for v in [*base, step.position, *values.values()]])
        for answer in record.answers:
            value = answer.value if not isinstance(answer.value, (dict, list)) else json.dumps(answer.value, ensure_ascii=False)
            tables["answers"].append(
                [_cell(v) for v in [
                    *base, answer.question_id, positions.get(answer.step_id, ""), answer.revision, value,
                    answer.skipped, answer.retracted, answer.recorded_at.isoformat(),
                ]]
            )
    return tables


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _inert(cell: str) -> str:
    """A cell Excel will not run as a formula: text starting with = + - @ gets a leading apostrophe
    (numbers such as -1 stay numbers). Imported bundles are outside input; their text must stay text."""
    if cell.startswith(_FORMULA_START):
        try:
            float(cell.replace(",", "."))
        except ValueError:
            return "'" + cell
    return cell


def csv_bytes(rows: list[list[str]], excel_nl: bool = False) -> bytes:
    """CSV as UTF-8, control characters in cells as visible symbols (the one text rule: a CSV file is read
    in terminals and spreadsheets); the Dutch-Excel variant uses ';', starts with a BOM so Excel reads it
    right, and makes cells that Excel would take for a formula inert. The plain variant keeps every other
    character of a cell as stored."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if excel_nl else ",", lineterminator="\r\n")
    shown = [[visible(cell) for cell in row] for row in rows]
    writer.writerows([[_inert(cell) for cell in row] for row in shown] if excel_nl else shown)
    return buffer.getvalue().encode("utf-8-sig" if excel_nl else "utf-8")


# --- the study kit ---------------------------------------------------------------------------------


def is_kit(data: bytes) -> bool:
    """Whether plain (not sealed) file bytes hold a study kit rather than a bundle: the format comes first."""
    return b'"klantreis-kit"' in data[:256]


def kit_json(kit: Kit) -> bytes:
    return (kit.model_dump_json(indent=2) + "\n").encode("utf-8")


def parse_kit(data: bytes, name: str) -> Kit:
    """Check a study kit whole: size and nesting before parsing, JSON, format, version, every field, and the
    ids and versions that name folders and files (``models.limits.kit_problems``)."""
    if len(data) > MAX_WHOLE_BYTES:
        raise BundleError(t('{path}: too large for a bundle ({size} bytes, at most {limit}). Nothing was imported.', path=name, size=len(data), limit=MAX_WHOLE_BYTES))
    depth = nesting_depth(data, MAX_NESTING)
    if depth is not None:
        raise BundleError(t('{path}: the JSON nests {depth} levels deep (a bundle needs at most {limit}). Nothing was imported.', path=name, depth=depth, limit=MAX_NESTING))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BundleError(t('{path}: not UTF-8 text. Nothing was imported.', path=name)) from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BundleError(t('{path}: not valid JSON (line {line}, column {column}: {error}); is the file truncated? Nothing was imported.', path=name, line=exc.lineno, column=exc.colno, error=library_text(exc.msg))) from None
    if not isinstance(raw, dict) or raw.get("format") != KIT_FORMAT:
        raise BundleError(t("{path}: this is not a klantreis study kit (field 'format' is missing or wrong). Nothing was imported.", path=name))
    try:
        kit = Kit.model_validate_json(text, strict=True)
    except ValidationError as exc:
        shown = "; ".join(validation_problems(exc.errors()[:5]))
        raise BundleError(t('{path}: not a valid study kit ({error}). Nothing was imported.', path=name, error=shown)) from None
    problems = list(kit_problems(kit.study.id, [(q.id, q.version) for q in kit.question_sets]))
    tables = {name: getattr(kit, name) for name in DELIVERABLE_TABLES}
    problems += [*id_problems(tables), *size_problems(tables)]
    if problems:
        raise BundleError(t('{path}: not a valid study kit ({error}). Nothing was imported.', path=name, error="; ".join(problems[:5])))
    return kit
