"""Hostile user templates (``summary --templates DIR``): sandbox escapes, endless loops, huge output and values,
names and links out of the folder. Each gets its message naming template and line, and nothing else happens."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from klantreis_tui.rendering import sandbox
from klantreis_tui.rendering.templates import TemplateProblem, render
from tests.test_privacy_cli import filled, run  # noqa: F401 - filled is a fixture

HOSTILE = Path(__file__).parent / "templates" / "hostile"
CORPUS = sorted(HOSTILE.glob("*.md.j2"))
CONTEXT = {"respondent": "R01"}


def stem(path: Path) -> str:
    return path.name.removesuffix(".md.j2")


def test_the_corpus_is_complete():
    assert len(CORPUS) >= 20
    assert {stem(p) for p in CORPUS} == {p.stem for p in HOSTILE.glob("*.expected")}
    kinds = {stem(p).split("_")[0] for p in CORPUS}
    assert kinds == {"escape", "mutate", "loop", "macro", "output", "value", "include"}


@pytest.mark.parametrize("path", CORPUS, ids=stem)
def test_hostile_template_gets_its_message_and_does_nothing(path, tmp_path, monkeypatch):
    folder = tmp_path / "templates"
    folder.mkdir()
    shutil.copy(path, folder / path.name)
    monkeypatch.chdir(tmp_path)  # a 'touch pwned' that ran would leave its file here
    with pytest.raises(TemplateProblem) as caught:
        render(path.name, CONTEXT, user_dir=folder)
    assert str(caught.value) + "\n" == path.with_suffix("").with_suffix(".expected").read_text(encoding="utf-8")
    assert (caught.value.template, caught.value.line) == (path.name, int(str(caught.value).split(":")[1]))
    assert {p.name for p in tmp_path.rglob("*")} == {"templates", path.name}


def test_the_messages_come_in_english_too(tmp_path, english):
    shutil.copy(HOSTILE / "loop_range_huge.md.j2", tmp_path / "t.md.j2")
    shutil.copy(HOSTILE / "escape_mro.md.j2", tmp_path / "e.md.j2")
    with pytest.raises(TemplateProblem) as loop:
        render("t.md.j2", CONTEXT, user_dir=tmp_path)
    with pytest.raises(TemplateProblem) as escape:
        render("e.md.j2", CONTEXT, user_dir=tmp_path)
    assert str(loop.value) == "t.md.j2:4: the number 1000000000000 is too large for a template (at most 20000000)"
    assert str(escape.value) == "e.md.j2:4: the attribute '__class__' of a str value is not allowed in a template"


def test_a_bound_counts_per_render_not_per_process(tmp_path):
    # 600,000 loop rounds are within the bound; twice in a row must not add up to a refusal
    (tmp_path / "t.md.j2").write_text("{% for i in range(1000) %}{% for j in range(300) %}{% endfor %}{% endfor %}ok", encoding="utf-8")
    assert render("t.md.j2", {}, user_dir=tmp_path) == "ok"
    assert render("t.md.j2", {}, user_dir=tmp_path) == "ok"


def test_ordinary_template_features_still_work_in_the_sandbox(tmp_path):
    (tmp_path / "part.md.j2").write_text("[{{ item }}]", encoding="utf-8")
    (tmp_path / "t.md.j2").write_text(
        "{% macro up(x) %}{{ x | upper }}{% endmacro %}"
        "{% set ns = namespace(total=0) %}"
        "{% for n in range(4) %}{% set ns.total = ns.total + n %}{% endfor %}"
        "{{ up(respondent) }} {{ ns.total }} {{ 'a' * 3 }} {{ 2 ** 10 }} {{ '%05.1f' % 3.14159 }} "
        "{{ '{:>4}'.format(7) }} {{ 'ab' | replace('b', 'c') }} {{ [3, 1, 2] | sort | join(',') }} "
        "{% for item in ['x', 'y'] %}{% include 'part.md.j2' %}{% endfor %} {{ 'tel 0612345678 %s' % 'ok' }}",
        encoding="utf-8",
    )
    assert render("t.md.j2", CONTEXT, user_dir=tmp_path) == "R01 6 aaa 1024 003.1    7 ac 1,2,3 [x][y] tel 0612345678 ok"


# --- the folder: links, odd files, large files ----------------------------------------------------------------


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    folder = tmp_path / "elders"
    folder.mkdir()
    (folder / "geheim.md.j2").write_text("GEHEIM {{ respondent }}\n", encoding="utf-8")
    return folder


def test_a_template_that_is_a_link_out_of_the_folder_is_refused(tmp_path, outside):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "interview.md.j2").symlink_to(outside / "geheim.md.j2")
    with pytest.raises(TemplateProblem) as caught:
        render("interview.md.j2", CONTEXT, user_dir=folder)
    assert str(caught.value) == (
        "interview.md.j2: het sjabloon interview.md.j2 is een koppeling naar een bestand buiten de sjablonenmap "
        f"({folder.resolve()})"
    )


def test_an_included_link_out_of_the_folder_names_the_including_line(tmp_path, outside):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "main.md.j2").write_text("een\ntwee\n{% include 'deel.md.j2' %}\n", encoding="utf-8")
    (folder / "deel.md.j2").symlink_to(outside / "geheim.md.j2")
    (folder / "map").symlink_to(outside, target_is_directory=True)
    (folder / "via-map.md.j2").write_text("{% include 'map/geheim.md.j2' %}\n", encoding="utf-8")
    with pytest.raises(TemplateProblem, match=r"^main\.md\.j2:3: het sjabloon deel\.md\.j2 is een koppeling"):
        render("main.md.j2", CONTEXT, user_dir=folder)
    with pytest.raises(TemplateProblem, match=r"^via-map\.md\.j2:1: het sjabloon map/geheim\.md\.j2 is een koppeling"):
        render("via-map.md.j2", CONTEXT, user_dir=folder)


def test_a_link_inside_the_folder_is_followed(tmp_path):
    (tmp_path / "echt.md.j2").write_text("echt {{ respondent }}", encoding="utf-8")
    (tmp_path / "interview.md.j2").symlink_to(tmp_path / "echt.md.j2")
    assert render("interview.md.j2", CONTEXT, user_dir=tmp_path) == "echt R01"


def test_a_fifo_template_is_refused_without_waiting(tmp_path):
    os.mkfifo(tmp_path / "interview.md.j2")  # reading it would wait for a writer for ever
    with pytest.raises(TemplateProblem) as caught:
        render("interview.md.j2", CONTEXT, user_dir=tmp_path)
    assert str(caught.value) == "interview.md.j2: het sjabloon interview.md.j2 is geen gewoon bestand"


def test_a_template_file_over_the_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(sandbox, "MAX_TEMPLATE_BYTES", 1000)
    (tmp_path / "interview.md.j2").write_text("x" * 1001, encoding="utf-8")
    with pytest.raises(TemplateProblem) as caught:
        render("interview.md.j2", CONTEXT, user_dir=tmp_path)
    assert str(caught.value) == "interview.md.j2: het sjabloon interview.md.j2 is groter dan 1000 bytes"


# --- the command line: message, non-zero exit, no output, database unchanged ------------------------------------


@pytest.mark.parametrize(
    "name", ["escape_popen_globals", "escape_self_globals", "loop_range_huge", "loop_nested", "output_huge", "include_parent"]
)
def test_summary_with_a_hostile_template_fails_and_changes_nothing(filled, tmp_path, monkeypatch, name):  # noqa: F811
    monkeypatch.chdir(tmp_path)  # the command runs here: a 'touch pwned' that ran would leave its file here
    folder = tmp_path / "templates"
    folder.mkdir()
    shutil.copy(HOSTILE / f"{name}.md.j2", folder / "interview.md.j2")
    before = filled.read_bytes()
    result = run(filled, "summary", "--respondent", "R01", "--templates", str(folder))
    assert result.returncode == 1
    expected = (HOSTILE / f"{name}.expected").read_text(encoding="utf-8").replace(f"{name}.md.j2", "interview.md.j2")
    assert expected.strip() in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert filled.read_bytes() == before
    assert not list(tmp_path.rglob("pwned"))


def test_summary_with_a_link_out_of_the_folder_writes_no_file(filled, tmp_path, outside):  # noqa: F811
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "interview.md.j2").symlink_to(outside / "geheim.md.j2")
    target = tmp_path / "verslag.md"
    result = run(filled, "summary", "--respondent", "R01", "--templates", str(folder), "-o", str(target))
    assert result.returncode == 1
    assert "is een koppeling naar een bestand buiten de sjablonenmap" in result.stderr
    assert not target.exists() and "GEHEIM" not in result.stdout


def test_the_bounds_hold_for_user_templates_not_for_the_bundled_ones(filled, tmp_path, monkeypatch):  # noqa: F811
    # the bundled synthesis grows with the study (10,000 interviews write more than 20 million characters):
    # its output and loops are the data's, not a template author's; a user's template stays bounded
    from klantreis_tui.question_sets import bundled_dir
    from klantreis_tui.rendering import templates as templates_module
    from klantreis_tui.services import Services

    monkeypatch.setattr(sandbox, "MAX_OUTPUT_CHARS", 500)
    monkeypatch.setattr(templates_module, "MAX_OUTPUT_CHARS", 500)
    monkeypatch.setattr(sandbox, "MAX_STEPS", 50)
    services = Services.open(filled, [bundled_dir()])
    try:
        synthesis = services.study_synthesis(services.select_interviews(), "md")
        assert len(synthesis) > 500 and "R01" in synthesis and "R02" in synthesis
        (tmp_path / "study.md.j2").write_text("{% for i in range(100) %}x{% endfor %}", encoding="utf-8")
        with pytest.raises(TemplateProblem) as caught:
            services.study_synthesis(services.select_interviews(), "md", tmp_path)
        assert "study.md.j2" in str(caught.value)
    finally:
        services.close()
