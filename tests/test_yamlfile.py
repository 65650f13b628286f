"""Strict YAML reading: key paths, line numbers and the problems refused, by reason."""

from __future__ import annotations

import subprocess
import sys

import pytest

from klantreis_tui import yamlfile
from klantreis_tui.errors import KlantreisError
from klantreis_tui.yamlfile import Document, YamlError, format_path, parse


def test_the_line_of_every_key_path():
    document = parse("# a comment\nid: x\nsections:\n  - id: a\n    questions:\n      - id: q1\n      - id: q2\n")
    assert document.data == {"id": "x", "sections": [{"id": "a", "questions": [{"id": "q1"}, {"id": "q2"}]}]}
    assert document.line_of(("id",)) == 2
    assert document.line_of(("sections",)) == 3
    assert document.line_of(("sections", 0)) == 4
    assert document.line_of(("sections", 0, "questions", 1, "id")) == 7
    # a key that is not there: the line of the nearest enclosing one
    assert document.line_of(("sections", 0, "questions", 1, "kind")) == 7
    assert document.line_of(("sections", 0, "title")) == 4
    assert document.line_of(("nowhere", "at", "all")) == 2  # the document's own line
    assert document.duplicates == []


def test_an_empty_document_has_no_data_and_its_line_is_the_first():
    document = parse("# only a comment\n")
    assert document.data is None and document.lines == {}
    assert document.line_of(("x",)) == 1
    assert document.mapping(empty=True) == {}
    with pytest.raises(YamlError) as caught:
        document.mapping()
    assert caught.value.reason == yamlfile.NOT_MAPPING and caught.value.line == 1


def test_a_document_that_is_not_a_mapping_is_refused_at_its_own_line():
    document = parse("# comment\n\n- a\n- b\n")
    assert document.data == ["a", "b"]
    with pytest.raises(YamlError) as caught:
        document.mapping(empty=True)
    assert caught.value.reason == yamlfile.NOT_MAPPING
    assert caught.value.line == 3 and caught.value.path == ()
    assert parse("a: 1\n").mapping() == {"a": 1}


def test_keys_given_twice_are_reported_with_both_lines():
    document = parse("a: 1\nb:\n  c: 2\n  d: 3\n  c: 4\na: 5\n")
    found = [(error.reason, error.path, error.line, error.detail) for error in document.duplicates]
    assert found == [
        (yamlfile.DUPLICATE_KEY, ("b", "c"), 5, {"key": "c", "first": 3}),
        (yamlfile.DUPLICATE_KEY, ("a",), 6, {"key": "a", "first": 1}),
    ]
    # the line of a key given twice stays that of its first occurrence
    assert document.line_of(("a",)) == 1 and document.line_of(("b", "c")) == 3


def test_aliases_of_lists_and_mappings_are_refused_every_one_named():
    # each at the key path where it is used, on the line of the list or mapping it refers to
    text = "base: &b {x: 1}\nlist: &l [1, 2]\none: *b\ntwo: *l\nthree: *b\n"
    with pytest.raises(YamlError) as caught:
        parse(text)
    error = caught.value
    assert error.reason == yamlfile.ALIAS
    assert [(p.reason, p.path, p.line) for p in error.problems] == [
        (yamlfile.ALIAS, ("one",), 1),
        (yamlfile.ALIAS, ("two",), 2),
        (yamlfile.ALIAS, ("three",), 1),
    ]
    assert error.problems[0] is error


def test_an_alias_of_a_scalar_is_allowed():
    assert parse("a: &x hello\nb: *x\n").data == {"a": "hello", "b": "hello"}


def test_a_recursive_alias_is_refused_not_followed():
    with pytest.raises(YamlError) as caught:
        parse("a: &a [1, *a]\n")
    assert caught.value.reason == yamlfile.ALIAS and caught.value.path == ("a", 1)


def test_a_syntax_error_names_its_line_and_where_the_block_began():
    with pytest.raises(YamlError) as caught:
        parse("a: 1\nb: [1,\n  2\nc: 3\n")
    error = caught.value
    assert error.reason == yamlfile.SYNTAX
    assert error.line == 4
    assert error.detail["context_line"] == 2
    assert error.detail["error"] == "expected ',' or ']', but got ':'"


def test_a_syntax_error_on_one_line_has_no_context_line():
    with pytest.raises(YamlError) as caught:
        parse("a: b: c\n")
    assert caught.value.line == 1 and caught.value.detail["context_line"] is None
    assert "mapping values are not allowed here" in caught.value.detail["error"]


def test_a_character_yaml_forbids_is_a_syntax_error_on_its_line():
    with pytest.raises(YamlError) as caught:
        parse("a: 1\nb: x\x01y\n")
    assert caught.value.reason == yamlfile.SYNTAX and caught.value.line == 2
    assert caught.value.detail["error"].startswith("unacceptable character #x0001")


def test_a_scalar_its_tag_cannot_hold_is_a_syntax_error_on_its_line():
    with pytest.raises(YamlError) as caught:
        parse("a: 1\nb: !!int twelve\n")
    assert caught.value.reason == yamlfile.SYNTAX and caught.value.line == 2


def test_nesting_too_deep_is_refused_with_the_line():
    depth = yamlfile.MAX_DEPTH + 5
    text = "".join("  " * level + f"k{level}:\n" for level in range(depth)) + "  " * depth + "end\n"
    with pytest.raises(YamlError) as caught:
        parse(text)
    assert caught.value.reason == yamlfile.SYNTAX
    assert caught.value.detail["error"] == yamlfile.TOO_DEEP
    # the value of key k64 (the 65th level), which begins on the line of k65
    assert caught.value.line == yamlfile.MAX_DEPTH + 2


def test_errors_are_of_the_family_and_carry_no_words_of_their_own():
    error = YamlError(yamlfile.DUPLICATE_KEY, 4, ("a", 0, "b"), key="b", first=2)
    assert isinstance(error, KlantreisError)
    assert (error.reason, error.line, error.path, error.detail) == (yamlfile.DUPLICATE_KEY, 4, ("a", 0, "b"),
                                                                      {"key": "b", "first": 2})
    assert error.problems == [error]


def test_format_path():
    assert format_path(()) == ""
    assert format_path(("sections", 0, "questions", 12, "id")) == "sections[0].questions[12].id"
    assert format_path(("reminders", "channel")) == "reminders.channel"


def test_document_defaults():
    assert Document().line_of(()) == 1


def test_the_ground_layer_imports_nothing_of_ours_but_errors():
    code = (
        "import sys; import klantreis_tui.yamlfile; "
        "print(sorted(m for m in sys.modules if m.startswith('klantreis_tui.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['klantreis_tui.errors', 'klantreis_tui.yamlfile']"
