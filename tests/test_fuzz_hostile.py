"""Fuzz tests (hypothesis) for hostile inputs: validation patterns on RE2 and user templates in the sandbox give
their own clear errors, never another exception, a hang or a file touched."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from klantreis_tui.i18n import describe
from klantreis_tui.models import patterns
from klantreis_tui.rendering.templates import TemplateProblem, render
from tests.test_fuzz import fuzz

REGEX_PIECES = list("ab()[]{}*+?|^$.\\-,:=!<>P0129") + ["(?", "(?P<n>", "(?P=n)", "\\1", "\\Z", "\\z", "\\d", "\\w", "\\pL", "{1000}", "+?", "++"]


@fuzz(300)
@given(st.lists(st.sampled_from(REGEX_PIECES), max_size=14).map("".join), st.text(max_size=40))
def test_fuzz_a_pattern_compiles_or_is_refused_by_reason(pattern, answer):
    try:
        patterns.compile_pattern(pattern)
    except patterns.PatternUnsupported as exc:
        assert exc.reason.startswith("pattern.")
        words = describe(exc)
        assert words and words != exc.reason and not any(f"{{{k}}}" in words for k in ("error", "length", "limit"))
        return
    assert patterns.fullmatch(pattern, answer) in (True, False)
    assert patterns.fullmatch(pattern, "a" * 2000 + "!") in (True, False)  # linear: no backtracking blow-up


TEMPLATE_PIECES = [
    "{{ ", " }}", "{% for i in range(", ") %}", "{% endfor %}", "{% if ", " %}", "{% endif %}", "x", "'ab'",
    "respondent", "*", "**", "~", "+", "%", "10", "999", "(", ")", "|", "center(", "replace('a', ", "upper", "join",
    ",", ".", "__class__", "__globals__", "append(", "{% macro m(n) %}", "{% endmacro %}", "m(", "loop.index",
    "{% set ns = namespace(s='a') %}", "{% set ns.s = ns.s ~ ns.s %}", "ns.s", "{% include '", "../", "t.md.j2",
    "' %}", "lipsum", "cycler", "self", "'{:>9}'.format(", "\n",
]


@fuzz(150)
@given(st.lists(st.sampled_from(TEMPLATE_PIECES), max_size=24).map("".join))
def test_fuzz_a_user_template_renders_or_is_a_template_problem(tmp_path_factory, source):
    folder: Path = tmp_path_factory.mktemp("templates")
    (folder / "t.md.j2").write_text(source, encoding="utf-8")
    try:
        text = render("t.md.j2", {"respondent": "R01"}, user_dir=folder)
    except TemplateProblem as exc:
        assert str(exc).startswith("t.md.j2"), str(exc)
        assert "Traceback" not in str(exc)
    else:
        assert isinstance(text, str) and len(text) <= 20_000_000
    assert [p.name for p in folder.iterdir()] == ["t.md.j2"]
