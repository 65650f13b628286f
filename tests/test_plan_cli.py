"""``klantreis plan STUDY``: the improvement plan written as a user runs the command."""

from __future__ import annotations

from pathlib import Path

from klantreis_tui.question_sets import bundled_dir
from klantreis_tui.services import Services
from tests.test_cli import klantreis
from tests.test_plan import PHONE, build


def database(tmp_path: Path) -> Path:
    db = tmp_path / "k.db"
    services = Services.open(db, [bundled_dir()])
    try:
        build(services)
    finally:
        services.close()
    return db


def test_plan_to_a_file_redacted_by_default(tmp_path: Path):
    db = database(tmp_path)
    out = tmp_path / "plan.html"
    result = klantreis("plan", "Bijstand", "--db", str(db), "--format", "html", "-o", str(out), home=tmp_path)
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert "<h1>Verbeterplan: Bijstand</h1>" in html and html.count('class="plan-action') == 5
    assert PHONE not in html and "[telefoonnummer]" in html
    assert f"Verbeterplan geschreven: {out}" in result.stderr


def test_plan_on_the_screen_with_personal_data_kept(tmp_path: Path):
    db = database(tmp_path)
    result = klantreis("plan", "Bijstand", "--db", str(db), "--keep-personal-data", "--lang", "en", home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Improvement plan: Bijstand") and PHONE in result.stdout
    assert "personal data in free text is not redacted" in result.stderr


def test_bad_study_output_and_template_are_messages(tmp_path: Path):
    db = database(tmp_path)
    missing = klantreis("plan", "Schulden", "--db", str(db), home=tmp_path)
    assert missing.returncode == 1 and "Geen onderzoek 'Schulden'" in missing.stderr
    folder = tmp_path / "a-folder"
    folder.mkdir()
    refused = klantreis("plan", "Bijstand", "--db", str(db), "-o", str(folder), home=tmp_path)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr and str(folder) in refused.stderr
    assert list(folder.iterdir()) == []
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "plan.md.j2").write_text("{{ actions[0].title }}\n{{ oops( }}\n", encoding="utf-8")
    out = tmp_path / "plan.md"
    bad = klantreis("plan", "Bijstand", "--db", str(db), "--templates", str(templates), "-o", str(out), home=tmp_path)
    assert bad.returncode == 1 and "plan.md.j2:2" in bad.stderr and "Traceback" not in bad.stderr
    assert not out.exists()
