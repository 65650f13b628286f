"""Find, load and validate question-set files; every problem names the file, line and key."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from klantreis_tui import question_set_cache, yamlfile
from klantreis_tui.errors import KlantreisError
from klantreis_tui.i18n import describe, keyed, N_, t, tn
from klantreis_tui.i18n.validation import allowed_values, validation_text
from klantreis_tui.paths import bundled_question_set_dir
from klantreis_tui.models.question_set import (
    RESPONDENT_FIELDS,
    QuestionKind,
    QuestionSet,
    SectionKind,
)
from klantreis_tui.models.steps import TARGETS as STEP_FIELDS
from klantreis_tui.yamlfile import KeyPath, format_path

SUFFIXES = (".yaml", ".yml")
CHOICE_KINDS = {"single_choice", "multiple_choice"}

# Limits on what a question set may hold: a file from a colleague may be hostile, and an interview must stay
# quick to load and to answer. The bundled sets stay far below them (about 25 kB, 50 questions, 100-character
# prompts).
#: Largest question-set file, in bytes.
MAX_FILE_BYTES = 1_000_000
#: Longest text anywhere in a set (a prompt, a hint, a probe, a title, a label, a value), in characters.
MAX_TEXT_LENGTH = 5_000
#: Most questions in one set, sections in one set, choices in one list, probes on one question, choice lists.
MAX_QUESTIONS = 500
MAX_SECTIONS = 50
MAX_CHOICES = 200
MAX_PROBES = 20
MAX_CHOICE_LISTS = 100

_LINE_BREAKS = str.maketrans({"\r": "\\r", "\n": "\\n", "\x85": "\\x85", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def _one_line(text: str) -> str:
    """``text`` without line breaks, so that every problem stays one ``file:line: key: message`` line."""
    return text.translate(_LINE_BREAKS)


@dataclass(frozen=True)
class Problem:
    """One problem in a question-set file."""

    file: str
    line: int | None
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        key, message = _one_line(self.key), _one_line(self.message)
        return f"{where}: {key}: {message}" if key else f"{where}: {message}"


class QuestionSetError(KlantreisError):
    """A question-set file has one or more problems; all of them are listed (one ``file:line: key: message`` each)."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("question_set.invalid", "\n".join(str(p) for p in problems))


def bundled_dir() -> Path:
    """The folder of the bundled question sets (inside the wheel, or the source checkout)."""
    return bundled_question_set_dir()


# --- YAML problems worded -------------------------------------------------------------------


def _yaml_problem(name: str, error: yamlfile.YamlError) -> Problem:
    """A problem yamlfile found, in the words of a question-set message."""
    if error.reason == yamlfile.SYNTAX:
        detail = error.detail["error"]
        if error.detail.get("context_line") is not None:
            detail = t('{problem} (this block started on line {line})', problem=detail, line=error.detail["context_line"])
        return Problem(name, error.line or 1, "", t('not valid YAML: {error} (hint: put text with ? : , # or {{ }} in double quotes)', error=detail))
    if error.reason == yamlfile.DUPLICATE_KEY:
        return Problem(name, error.line, format_path(error.path), t("key '{key}' appears twice in the same mapping (also on line {first})", **error.detail))
    if error.reason == yamlfile.ALIAS:
        return Problem(name, error.line, format_path(error.path), t('YAML references (&anchor and *alias) to lists or mappings are not supported'))
    return Problem(name, error.line, "", t('the file must be a YAML mapping with keys (id, version, title, ...)'))


def _resolve(data: Any, loc: tuple[Any, ...]) -> KeyPath:
    """Turn a pydantic error location into a key path of the data (dropping union tags)."""
    path: list[str | int] = []
    current = data
    for part in loc:
        if isinstance(current, dict) and part in current:
            path.append(part)
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            path.append(part)
            current = current[part]
        elif isinstance(current, dict) and isinstance(part, str) and part not in _TAGS:
            path.append(part)  # a missing or unknown key: still name it
            current = None
    return tuple(path)


_TAGS = {"compare", "all", "any", "not", "str", "list[Choice]", "function-before[_plain_string_is_dutch(), Text]"}


def _other_union_branch(data: Any, loc: tuple[Any, ...]) -> bool:
    """True for an error of the union branch that does not fit the data (``choices``: name or list)."""
    current = data
    for part in loc:
        if part == "str" and isinstance(current, list):
            return True
        if part == "list[Choice]" and isinstance(current, str):
            return True
        if isinstance(current, dict) and part in current:
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            current = current[part]
    return False


def _pydantic_message(error: dict[str, Any], path: KeyPath) -> str:
    kind = error["type"]
    if kind == "condition_tests":
        return t(keyed(f"qs.{kind}"), **error.get("ctx", {}))
    if kind == "pattern_unsupported":  # RE2 cannot run it: worded by its reason (pattern.*)
        ctx = dict(error.get("ctx", {}))
        return describe(KlantreisError(ctx.pop("reason"), **ctx))
    if path == ("version",) and kind == "string_type":
        return t('the version must be text: put it in quotes, for example "{value}"', value=error.get("input"))
    if path == ("id",) and kind == "string_pattern_mismatch":
        return t('invalid id {value!r}: use lower-case letters, digits, - and _ (start with a letter or digit)', value=error.get("input"))
    if kind == "missing":
        return t("Dutch text is missing (key 'nl')") if path and path[-1] == "nl" else t('required key is missing')
    if kind == "extra_forbidden":
        return t('unknown key')
    if kind == "enum":
        return t('invalid value {value!r}; choose from: {options}', value=error.get("input"), options=allowed_values(error["ctx"]["expected"]))
    if kind == "model_type" and error.get("ctx", {}).get("class_name") == "Text":
        return t("invalid value: must be text, or a mapping with the keys 'nl' and 'en'")
    if kind == "string_pattern_mismatch" and path and path[-1] == "id":
        return t('invalid id {value!r}: use lower-case letters, digits and _ (start with a letter)', value=error.get("input"))
    return t('invalid value: {error}', error=validation_text(error))


# --- semantic checks on the raw data ---------------------------------------------------------


def _dicts(value: Any) -> list[tuple[int, dict[str, Any]]]:
    return [(i, v) for i, v in enumerate(value) if isinstance(v, dict)] if isinstance(value, list) else []


def _semantic(data: dict[str, Any], lines: yamlfile.Document, name: str) -> list[Problem]:
    problems: list[Problem] = []

    def report(path: KeyPath, msg_id: str, **values: Any) -> None:
        problems.append(Problem(name, lines.line_of(path), format_path(path), t(msg_id, **values)))

    choice_lists = data.get("choice_lists") if isinstance(data.get("choice_lists"), dict) else {}
    for list_name, choices in choice_lists.items():
        _check_choices(choices, ("choice_lists", list_name), report)

    sections = data.get("sections")
    if isinstance(sections, list) and not sections:
        report(("sections",), N_('the question set has no sections'))
    first_kind: dict[str, KeyPath] = {}
    section_ids: dict[str, KeyPath] = {}
    question_ids: dict[str, KeyPath] = {}
    fields_used: dict[tuple[str, str], str] = {}
    all_ids = {q.get("id") for _, s in _dicts(sections) for _, q in _dicts(s.get("questions")) if isinstance(q.get("id"), str)}
    for s_index, section in _dicts(sections):
        s_path: KeyPath = ("sections", s_index)
        s_id = section.get("id")
        kind = section.get("kind", "questions")
        kind = kind if isinstance(kind, str) else ""  # a list or mapping here is reported by the model
        if isinstance(s_id, str):
            if s_id in section_ids:
                report(s_path + ("id",), N_("section id '{id}' is already used (line {first})"), id=s_id, first=lines.line_of(section_ids[s_id]))
            else:
                section_ids[s_id] = s_path + ("id",)
        second = kind in first_kind
        if kind in ("consent", "step_loop"):
            if second:
                report(s_path + ("kind",), N_("only one section of kind '{kind}' is allowed (the first is on line {first})"), kind=kind, first=lines.line_of(first_kind[kind]))
            else:
                first_kind[kind] = s_path + ("kind",)
        if kind == "consent":
            if s_index != 0 and not second:
                report(s_path + ("kind",), N_('the consent section must be the first section'))
            if not section.get("text_version"):
                report(s_path, N_("the consent section needs a 'text_version'"))
        questions = section.get("questions")
        if isinstance(questions, list) and not questions:
            report(s_path + ("questions",), N_("section '{id}' has no questions"), id=s_id)
        if kind == "consent" and isinstance(questions, list) and questions:
            if not any(isinstance(q, dict) and q.get("consent") == "participation" for q in questions):
                report(s_path + ("questions",), N_("the consent section needs a question with 'consent: participation'"))
        for q_index, question in _dicts(questions):
            q_path = s_path + ("questions", q_index)
            q_id = question.get("id")
            q_kind = question.get("kind")
            # conditions may only name questions asked before this one
            condition = question.get("when")
            if condition is not None:
                for ref, ref_path in _condition_refs(condition, q_path + ("when",)):
                    if ref in question_ids:
                        continue  # asked earlier: fine
                    report(ref_path, N_("the condition names question '{id}', which is asked later (or now)") if ref in all_ids else N_("the condition names question '{id}', which does not exist"), id=ref)
            if isinstance(q_id, str):
                if q_id in question_ids:
                    report(q_path + ("id",), N_("question id '{id}' is already used (line {first})"), id=q_id, first=lines.line_of(question_ids[q_id]))
                else:
                    question_ids[q_id] = q_path + ("id",)
            choices = question.get("choices")
            if isinstance(q_kind, str) and q_kind in CHOICE_KINDS:  # a list here is the model's to report
                if choices is None:
                    report(q_path, N_("a question of kind '{kind}' needs choices (key 'choices')"), kind=q_kind)
                elif isinstance(choices, str) and choices not in choice_lists:
                    report(
                        q_path + ("choices",),
                        N_("choice list '{name}' does not exist (known: {known})"),
                        name=choices,
                        known=", ".join(sorted(str(name) for name in choice_lists)) or "-",
                    )
                elif isinstance(choices, list):
                    _check_choices(choices, q_path + ("choices",), report)
            elif choices is not None and isinstance(q_kind, str):
                report(q_path + ("choices",), N_("only choice questions have 'choices'"))
            if "consent" in question:
                if kind != "consent":
                    report(q_path + ("consent",), N_("'consent' is only allowed in the consent section"))
            if question.get("ask") == "on_request":
                if kind != "step_loop":
                    report(q_path + ("ask",), N_("'ask: on_request' is only for questions of the step loop"))
                elif question.get("required") is True:
                    report(q_path + ("ask",), N_("a question asked on request cannot be required"))
            if kind == "consent" and q_kind is not None and q_kind != "yes_no":
                report(q_path + ("kind",), N_("consent questions must be of kind 'yes_no'"))
            field = question.get("field")
            if isinstance(field, str):
                table = STEP_FIELDS if kind == "step_loop" else RESPONDENT_FIELDS
                if field not in table:
                    report(
                        q_path + ("field",),
                        N_("step field '{field}' does not exist (known: {known})") if kind == "step_loop" else N_("field '{field}' does not exist outside the step loop (known: {known})"),
                        field=field,
                        known=", ".join(table),
                    )
                else:
                    fits = {k.value for k in table[field]}
                    if isinstance(q_kind, str) and q_kind in {k.value for k in QuestionKind} and q_kind not in fits:
                        report(q_path + ("kind",), N_("field '{field}' does not fit question kind '{kind}' (fits: {kinds})"), field=field, kind=q_kind, kinds=", ".join(sorted(fits)))
                    scope = (kind == "step_loop" and "step" or "respondent", field)
                    if scope in fields_used:
                        report(q_path + ("field",), N_("field '{field}' is already filled by question '{other}'"), field=field, other=fields_used[scope])
                    else:
                        fields_used[scope] = str(q_id)
            validation = question.get("validation")
            if isinstance(validation, dict):
                for low, high in (("min", "max"), ("min_length", "max_length")):
                    lo, hi = validation.get(low), validation.get(high)
                    if isinstance(lo, (int, float)) and isinstance(hi, (int, float)) and lo > hi:
                        report(q_path + ("validation", low), N_('the lower limit is above the upper limit'))
    return problems


def _check_choices(choices: Any, path: KeyPath, report: Any) -> None:
    seen: set[str] = set()
    for index, choice in _dicts(choices):
        value = choice.get("value")
        if isinstance(value, str):
            if value in seen:
                report(path + (index, "value"), N_("choice value '{value}' appears twice in this list"), value=value)
            seen.add(value)


def _condition_refs(condition: Any, path: KeyPath) -> list[tuple[str, KeyPath]]:
    if not isinstance(condition, dict):
        return []
    refs: list[tuple[str, KeyPath]] = []
    if isinstance(condition.get("question"), str):
        refs.append((condition["question"], path + ("question",)))
    for key in ("all", "any"):
        for index, sub in enumerate(condition.get(key) or [] if isinstance(condition.get(key), list) else []):
            refs.extend(_condition_refs(sub, path + (key, index)))
    if "not" in condition:
        refs.extend(_condition_refs(condition["not"], path + ("not",)))
    return refs


# --- limits on size ---------------------------------------------------------------------------


def _size(count: int) -> str:
    return f"{count / 1_000_000:.1f} MB" if count >= 100_000 else f"{count / 1000:.1f} kB"


def _limits(data: dict[str, Any], lines: yamlfile.Document, name: str) -> list[Problem]:
    """Texts that are too long and lists that are too long, each named by line and key."""
    problems: list[Problem] = []

    def report(path: KeyPath, message: str) -> None:
        problems.append(Problem(name, lines.line_of(path), format_path(path), message))

    def too_many(path: KeyPath, msg_id: str, count: int, limit: int) -> None:
        if count > limit:
            report(path, t(msg_id, count=count, limit=limit))

    def texts(node: Any, path: KeyPath) -> None:
        if isinstance(node, str):
            if len(node) > MAX_TEXT_LENGTH:
                report(path, tn('text too long: {n} character (at most {limit})', 'text too long: {n} characters (at most {limit})', len(node), limit=MAX_TEXT_LENGTH))
        elif isinstance(node, dict):
            for key, value in node.items():
                texts(value, path + (key,))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                texts(value, path + (index,))

    texts(data, ())
    choice_lists = data.get("choice_lists")
    if isinstance(choice_lists, dict):
        too_many(("choice_lists",), N_('too many choice lists: {count} (at most {limit})'), len(choice_lists), MAX_CHOICE_LISTS)
        for list_name, choices in choice_lists.items():
            if isinstance(choices, list):
                too_many(("choice_lists", list_name), N_('too many choices in this list: {count} (at most {limit})'), len(choices), MAX_CHOICES)
    sections = data.get("sections")
    if isinstance(sections, list):
        too_many(("sections",), N_('too many sections: {count} (at most {limit})'), len(sections), MAX_SECTIONS)
        total = 0
        for s_index, section in _dicts(sections):
            for q_index, question in _dicts(section.get("questions")):
                total += 1
                q_path: KeyPath = ("sections", s_index, "questions", q_index)
                if isinstance(question.get("probes"), list):
                    too_many(q_path + ("probes",), N_('too many probes for this question: {count} (at most {limit})'), len(question["probes"]), MAX_PROBES)
                if isinstance(question.get("choices"), list):
                    too_many(q_path + ("choices",), N_('too many choices in this list: {count} (at most {limit})'), len(question["choices"]), MAX_CHOICES)
        too_many(("sections",), N_('too many questions: {count} (at most {limit})'), total, MAX_QUESTIONS)
    return problems


def _too_large(name: str, size: int, head: str | bytes) -> QuestionSetError:
    """The file is over MAX_FILE_BYTES; the problem names the line where it passes the limit (in ``head``)."""
    line = head[:MAX_FILE_BYTES].count("\n" if isinstance(head, str) else b"\n") + 1
    message = t('the file is too large ({size}); a question set may be at most {limit}', size=_size(size), limit=_size(MAX_FILE_BYTES))
    return QuestionSetError([Problem(name, line, "", message)])


# --- public API ---------------------------------------------------------------------------


def parse_question_set(text: str, name: str) -> QuestionSet:
    """Validate the YAML ``text`` of a question set; ``name`` is used in messages."""
    if len(text) > MAX_FILE_BYTES:  # characters: at least as many bytes
        raise _too_large(name, len(text.encode("utf-8", "surrogatepass")), text)
    try:
        document = yamlfile.parse(text)
    except yamlfile.YamlError as exc:
        raise QuestionSetError([_yaml_problem(name, error) for error in exc.problems]) from None
    problems = [_yaml_problem(name, error) for error in document.duplicates]
    try:
        data = document.mapping()
    except yamlfile.YamlError as exc:
        raise QuestionSetError(problems + [_yaml_problem(name, exc)]) from None
    oversized = _limits(data, document, name)
    if oversized:  # the rest is not looked into: a set this large is refused as it is
        raise QuestionSetError(sorted(problems + oversized, key=lambda p: p.line or 0))
    model: QuestionSet | None = None
    try:
        model = QuestionSet.model_validate(data)
    except ValidationError as exc:
        seen: set[KeyPath] = set()
        for error in exc.errors():
            if _other_union_branch(data, error["loc"]):
                continue
            path = _resolve(data, error["loc"])
            if path in seen:
                continue
            seen.add(path)
            problems.append(
                Problem(name, document.line_of(path), format_path(path), _pydantic_message(error, path))
            )
    problems.extend(_semantic(data, document, name))
    if problems:
        problems.sort(key=lambda p: (p.line or 0))
        raise QuestionSetError(problems)
    assert model is not None
    return model


def load_question_set(path: Path) -> QuestionSet:
    """Load and validate one question-set file; raises QuestionSetError listing every problem. A file parsed
    before without a problem is read from the user's cache (``question_set_cache``)."""
    name = str(path)
    try:
        raw = _read_limited(Path(path), name)
    except OSError as exc:
        raise QuestionSetError([Problem(name, None, "", t('the file cannot be read: {error}', error=exc.strerror or exc))]) from None
    kept = question_set_cache.cached(raw)  # parsed before from the same bytes
    if kept is not None:
        return kept
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise QuestionSetError([Problem(name, None, "", t('the file is not UTF-8 text'))]) from None
    question_set = parse_question_set(text, name)
    question_set_cache.keep(raw, question_set)
    return question_set


def _read_limited(path: Path, name: str) -> bytes:
    """The bytes of a regular file of at most MAX_FILE_BYTES; a FIFO or device is refused, not waited on."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as file:
        info = os.fstat(file.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise QuestionSetError([Problem(name, None, "", t('not a regular file'))])
        raw = file.read(MAX_FILE_BYTES + 1)  # never more: the rest of a larger file is not read
    if len(raw) > MAX_FILE_BYTES:
        raise _too_large(name, max(len(raw), info.st_size), raw)
    return raw


def find_files(folders: list[Path]) -> list[Path]:
    files: list[Path] = []
    for folder in folders:
        if folder.is_dir():
            files.extend(sorted(p for p in folder.iterdir() if p.suffix in SUFFIXES and p.is_file()))
        elif folder.exists():  # a file named on purpose: checked (a FIFO or device is reported, not skipped)
            files.append(folder)
    return files


@dataclass
class Catalog:
    """The question sets found in some folders, by id, plus the problems of the files that failed."""

    sets: dict[str, QuestionSet]
    paths: dict[str, Path]
    problems: list[Problem]

    def get(self, set_id: str) -> QuestionSet:
        return self.sets[set_id]


def load_catalog(folders: list[Path]) -> Catalog:
    """Load every question set in ``folders``; broken files are reported, not fatal."""
    catalog = Catalog({}, {}, [])
    for path in find_files(folders):
        try:
            qs = load_question_set(path)
        except QuestionSetError as exc:
            catalog.problems.extend(exc.problems)
            continue
        if qs.id in catalog.sets:
            catalog.problems.append(
                Problem(str(path), None, "id", t("question set id '{id}' is also used by {other}", id=qs.id, other=catalog.paths[qs.id]))
            )
            continue
        catalog.sets[qs.id] = qs
        catalog.paths[qs.id] = path
    return catalog


def step_loop_fields(qs: QuestionSet) -> dict[str, str]:
    """Question id to step field, for the step loop of ``qs``."""
    loop = qs.step_loop()
    return {q.id: q.field for q in loop.questions if q.field} if loop else {}


def is_step_loop(qs: QuestionSet, question_id: str) -> bool:
    return qs.section_of(question_id).kind is SectionKind.step_loop
