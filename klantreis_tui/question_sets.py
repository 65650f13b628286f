"""Find, load and validate question-set files; every problem names the file, line and key."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from klantreis_tui.i18n import t
from klantreis_tui.models.steps import TARGETS as STEP_FIELDS
from klantreis_tui.models.question_set import (
    RESPONDENT_FIELDS,
    QuestionKind,
    QuestionSet,
    SectionKind,
)

SUFFIXES = (".yaml", ".yml")
CHOICE_KINDS = {"single_choice", "multiple_choice"}

KeyPath = tuple[str | int, ...]

#: How deep a question set may nest; real sets stay under ten levels, and deeper ones would overflow the stack.
MAX_DEPTH = 64
TOO_DEEP = f"nested more than {MAX_DEPTH} levels deep"
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


class QuestionSetError(Exception):
    """A question-set file has one or more problems; all of them are listed."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def format_path(path: KeyPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def bundled_dir() -> Path:
    """The folder of the bundled question sets (inside the wheel, or the source checkout)."""
    here = Path(__file__).resolve().parent
    packaged = here / "question_sets"
    return packaged if packaged.is_dir() else here.parent / "question_sets"


# --- YAML with line numbers --------------------------------------------------------------


class _Lines:
    """Line numbers (1-based) of every key path in a YAML document, plus duplicate-key findings."""

    def __init__(self) -> None:
        self.lines: dict[KeyPath, int] = {}
        self.duplicates: list[tuple[KeyPath, int, int]] = []
        self.aliases: list[tuple[KeyPath, int]] = []
        self.too_deep: int | None = None
        self._seen: set[int] = set()

    def walk(self, node: yaml.Node, path: KeyPath) -> None:
        self.lines.setdefault(path, node.start_mark.line + 1)
        if len(path) > MAX_DEPTH:
            if self.too_deep is None:
                self.too_deep = node.start_mark.line + 1
            return
        if id(node) in self._seen:
            # an alias of a node met before: a question set has no use for them, and they can recurse
            if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
                self.aliases.append((path, node.start_mark.line + 1))
            return
        self._seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, int] = {}
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
                line = key_node.start_mark.line + 1
                if key in seen:
                    self.duplicates.append((path + (key,), line, seen[key]))
                    continue
                seen[key] = line
                self.lines[path + (key,)] = line
                self.walk(value_node, path + (key,))
                self.lines[path + (key,)] = line
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self.walk(item, path + (index,))

    def line_of(self, path: KeyPath) -> int | None:
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)  # an empty document: its first line


def _parse(text: str, name: str, lang: str) -> tuple[Any, _Lines]:
    """The document and its line numbers; a syntax error becomes a QuestionSetError."""
    fast = getattr(yaml, "CSafeLoader", None)  # libyaml's parser, where installed: much faster
    if fast is not None:
        try:
            return _compose(fast, text, name, lang)
        except (yaml.YAMLError, UnicodeEncodeError):
            pass  # reported below: the pure-Python parser words it the same on every machine
    try:
        return _compose(yaml.SafeLoader, text, name, lang)
    except yaml.reader.ReaderError as exc:
        # a character YAML does not allow (control character, lone surrogate): no mark, but a position
        code = ord(exc.character) if isinstance(exc.character, str) else exc.character
        line = text.count("\n", 0, max(exc.position, 0)) + 1
        detail = f"unacceptable character #x{code:04x}: {exc.reason}"
        raise QuestionSetError([Problem(name, line, "", t("qs.yaml_syntax", lang, error=detail))]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        detail = exc.problem or str(exc)
        if exc.context_mark is not None and exc.problem_mark is not None and exc.context_mark.line != exc.problem_mark.line:
            detail = t("qs.yaml_context", lang, problem=detail, line=exc.context_mark.line + 1)
        raise QuestionSetError([Problem(name, line, "", t("qs.yaml_syntax", lang, error=detail))]) from None
    except yaml.YAMLError as exc:
        raise QuestionSetError([Problem(name, 1, "", t("qs.yaml_syntax", lang, error=exc))]) from None


def _compose(loader_class: Any, text: str, name: str, lang: str) -> tuple[Any, _Lines]:
    loader = loader_class(text)
    try:
        try:
            node = loader.get_single_node()
        except RecursionError:
            problem = Problem(name, _too_deep_line(text), "", t("qs.yaml_syntax", lang, error=TOO_DEEP))
            raise QuestionSetError([problem]) from None
        lines = _Lines()
        if node is None:
            return None, lines
        lines.walk(node, ())
        if lines.too_deep is not None:
            raise QuestionSetError([Problem(name, lines.too_deep, "", t("qs.yaml_syntax", lang, error=TOO_DEEP))])
        if lines.aliases:
            raise QuestionSetError(
                [Problem(name, line, format_path(path), t("qs.alias", lang)) for path, line in lines.aliases]
            )
        try:
            return loader.construct_document(node), lines
        except (ValueError, TypeError, OverflowError) as exc:
            # a scalar its tag cannot hold: "!!int x", a date like 2024-02-30, an integer of 5000 digits
            line = _unconstructable_line(node)
            raise QuestionSetError([Problem(name, line, "", t("qs.yaml_syntax", lang, error=exc))]) from None
    finally:
        loader.dispose()


def _too_deep_line(text: str) -> int:
    """The line where ``text`` nests deeper than MAX_DEPTH (the parser works without recursion)."""
    loader = yaml.SafeLoader(text)
    depth = 0
    try:
        while (event := loader.get_event()) is not None:
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    return event.start_mark.line + 1
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()
    return 1


def _unconstructable_line(root: yaml.Node) -> int:
    """The line of the first scalar that cannot be turned into a value."""
    constructor = yaml.constructor.SafeConstructor()
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            try:
                constructor.construct_object(node)
            except Exception:
                return node.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
        elif isinstance(node, yaml.MappingNode):
            stack.extend(item for pair in reversed(node.value) for item in reversed(pair))
    return root.start_mark.line + 1


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


def _pydantic_message(error: dict[str, Any], path: KeyPath, lang: str) -> str:
    kind = error["type"]
    if kind in ("condition_tests", "invalid_regex"):
        return t(f"qs.{kind}", lang, **error.get("ctx", {}))
    if path == ("version",) and kind == "string_type":
        return t("qs.version_quotes", lang, value=error.get("input"))
    if path == ("id",) and kind == "string_pattern_mismatch":
        return t("qs.bad_set_id", lang, value=error.get("input"))
    if kind == "missing":
        return t("qs.missing_dutch", lang) if path and path[-1] == "nl" else t("qs.missing_key", lang)
    if kind == "extra_forbidden":
        return t("qs.unknown_key", lang)
    if kind == "enum":
        return t("qs.bad_enum", lang, value=error.get("input"), options=error["ctx"]["expected"])
    if kind == "string_pattern_mismatch" and path and path[-1] == "id":
        return t("qs.bad_id", lang, value=error.get("input"))
    message = error["msg"]
    if kind == "value_error":
        message = message.removeprefix("Value error, ")
    return t("qs.bad_value", lang, error=message)


# --- semantic checks on the raw data ---------------------------------------------------------


def _dicts(value: Any) -> list[tuple[int, dict[str, Any]]]:
    return [(i, v) for i, v in enumerate(value) if isinstance(v, dict)] if isinstance(value, list) else []


def _semantic(data: dict[str, Any], lines: _Lines, name: str, lang: str) -> list[Problem]:
    problems: list[Problem] = []

    def report(path: KeyPath, msg_id: str, **values: Any) -> None:
        problems.append(Problem(name, lines.line_of(path), format_path(path), t(msg_id, lang, **values)))

    choice_lists = data.get("choice_lists") if isinstance(data.get("choice_lists"), dict) else {}
    for list_name, choices in choice_lists.items():
        _check_choices(choices, ("choice_lists", list_name), report)

    sections = data.get("sections")
    if isinstance(sections, list) and not sections:
        report(("sections",), "qs.no_sections")
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
                report(s_path + ("id",), "qs.duplicate_section", id=s_id, first=lines.line_of(section_ids[s_id]))
            else:
                section_ids[s_id] = s_path + ("id",)
        second = kind in first_kind
        if kind in ("consent", "step_loop"):
            if second:
                report(s_path + ("kind",), "qs.second_section_kind", kind=kind, first=lines.line_of(first_kind[kind]))
            else:
                first_kind[kind] = s_path + ("kind",)
        if kind == "consent":
            if s_index != 0 and not second:
                report(s_path + ("kind",), "qs.consent_not_first")
            if not section.get("text_version"):
                report(s_path, "qs.consent_version_missing")
        questions = section.get("questions")
        if isinstance(questions, list) and not questions:
            report(s_path + ("questions",), "qs.empty_section", id=s_id)
        if kind == "consent" and isinstance(questions, list) and questions:
            if not any(isinstance(q, dict) and q.get("consent") == "participation" for q in questions):
                report(s_path + ("questions",), "qs.consent_no_participation")
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
                    report(ref_path, "qs.condition_later" if ref in all_ids else "qs.condition_unknown", id=ref)
            if isinstance(q_id, str):
                if q_id in question_ids:
                    report(q_path + ("id",), "qs.duplicate_question", id=q_id, first=lines.line_of(question_ids[q_id]))
                else:
                    question_ids[q_id] = q_path + ("id",)
            choices = question.get("choices")
            if isinstance(q_kind, str) and q_kind in CHOICE_KINDS:  # a list here is the model's to report
                if choices is None:
                    report(q_path, "qs.choices_missing", kind=q_kind)
                elif isinstance(choices, str) and choices not in choice_lists:
                    report(
                        q_path + ("choices",),
                        "qs.unknown_choice_list",
                        name=choices,
                        known=", ".join(sorted(choice_lists)) or "-",
                    )
                elif isinstance(choices, list):
                    _check_choices(choices, q_path + ("choices",), report)
            elif choices is not None and isinstance(q_kind, str):
                report(q_path + ("choices",), "qs.choices_not_allowed")
            if "consent" in question:
                if kind != "consent":
                    report(q_path + ("consent",), "qs.consent_outside")
            if kind == "consent" and q_kind is not None and q_kind != "yes_no":
                report(q_path + ("kind",), "qs.consent_not_yes_no")
            field = question.get("field")
            if isinstance(field, str):
                table = STEP_FIELDS if kind == "step_loop" else RESPONDENT_FIELDS
                if field not in table:
                    report(
                        q_path + ("field",),
                        "qs.unknown_step_field" if kind == "step_loop" else "qs.unknown_respondent_field",
                        field=field,
                        known=", ".join(table),
                    )
                else:
                    fits = {k.value for k in table[field]}
                    if isinstance(q_kind, str) and q_kind in {k.value for k in QuestionKind} and q_kind not in fits:
                        report(q_path + ("kind",), "qs.field_kind", field=field, kind=q_kind, kinds=", ".join(sorted(fits)))
                    scope = (kind == "step_loop" and "step" or "respondent", field)
                    if scope in fields_used:
                        report(q_path + ("field",), "qs.field_twice", field=field, other=fields_used[scope])
                    else:
                        fields_used[scope] = str(q_id)
            validation = question.get("validation")
            if isinstance(validation, dict):
                for low, high in (("min", "max"), ("min_length", "max_length")):
                    lo, hi = validation.get(low), validation.get(high)
                    if isinstance(lo, (int, float)) and isinstance(hi, (int, float)) and lo > hi:
                        report(q_path + ("validation", low), "qs.min_over_max")
    return problems


def _check_choices(choices: Any, path: KeyPath, report: Any) -> None:
    seen: set[str] = set()
    for index, choice in _dicts(choices):
        value = choice.get("value")
        if isinstance(value, str):
            if value in seen:
                report(path + (index, "value"), "qs.duplicate_choice", value=value)
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


# --- public API ---------------------------------------------------------------------------


def parse_question_set(text: str, name: str, lang: str = "nl") -> QuestionSet:
    """Validate the YAML ``text`` of a question set; ``name`` is used in messages."""
    data, lines = _parse(text, name, lang)
    problems = [
        Problem(name, line, format_path(path), t("qs.duplicate_key", lang, key=path[-1], first=first))
        for path, line, first in lines.duplicates
    ]
    if not isinstance(data, dict):
        raise QuestionSetError(problems + [Problem(name, lines.line_of(()), "", t("qs.not_mapping", lang))])
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
                Problem(name, lines.line_of(path), format_path(path), _pydantic_message(error, path, lang))
            )
    problems.extend(_semantic(data, lines, name, lang))
    if problems:
        problems.sort(key=lambda p: (p.line or 0))
        raise QuestionSetError(problems)
    assert model is not None
    return model


def load_question_set(path: Path, lang: str = "nl") -> QuestionSet:
    """Load and validate one question-set file; raises QuestionSetError listing every problem."""
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise QuestionSetError([Problem(name, None, "", t("qs.unreadable", lang, error=exc.strerror or exc))]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise QuestionSetError([Problem(name, None, "", t("qs.not_utf8", lang))]) from None
    return parse_question_set(text, name, lang)


def find_files(folders: list[Path]) -> list[Path]:
    files: list[Path] = []
    for folder in folders:
        if folder.is_dir():
            files.extend(sorted(p for p in folder.iterdir() if p.suffix in SUFFIXES and p.is_file()))
        elif folder.is_file():
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


def load_catalog(folders: list[Path], lang: str = "nl") -> Catalog:
    """Load every question set in ``folders``; broken files are reported, not fatal."""
    catalog = Catalog({}, {}, [])
    for path in find_files(folders):
        try:
            qs = load_question_set(path, lang)
        except QuestionSetError as exc:
            catalog.problems.extend(exc.problems)
            continue
        if qs.id in catalog.sets:
            catalog.problems.append(
                Problem(str(path), None, "id", t("qs.duplicate_set_id", lang, id=qs.id, other=catalog.paths[qs.id]))
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
