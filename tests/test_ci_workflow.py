"""The CI workflow for the platforms this machine cannot run (.github/workflows/ci.yml): valid, and complete."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "ci.yml"


def check(path: Path) -> subprocess.CompletedProcess:
    """check-jsonschema with the GitHub workflow schema that ships inside the package: no network needed."""
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", str(path)],
        capture_output=True, text=True, encoding="utf-8", timeout=120,
    )


def test_the_workflow_validates_against_the_github_workflow_schema():
    result = check(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok -- validation done" in result.stdout


def test_the_schema_check_rejects_a_broken_workflow(tmp_path: Path):
    """The check is real: a job without runs-on and with a misspelt key fails it."""
    broken = tmp_path / "broken.yml"
    broken.write_text("name: CI\non: push\njobs:\n  test:\n    stepz:\n      - run: echo hi\n", encoding="utf-8")
    result = check(broken)
    assert result.returncode == 1
    assert "Schema validation errors" in result.stdout


def test_the_workflow_runs_the_readme_command_on_three_systems_and_three_pythons():
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    job = workflow["jobs"]["test"]
    assert job["strategy"]["matrix"]["os"] == ["ubuntu-latest", "windows-latest", "macos-latest"]
    assert job["strategy"]["matrix"]["python"] == ["3.11", "3.12", "3.13"]
    assert job["strategy"]["fail-fast"] is False
    runs = [step.get("run", "") for step in job["steps"]]
    assert "bash .ci/run" in runs
    windows = next(step for step in job["steps"] if step.get("if") == "runner.os == 'Windows'")
    assert "<!-- ci: test command -->" in windows["run"]  # the README's command, not a copy of it
    assert "<!-- ci: test command -->" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert (ROOT / ".ci" / "run").is_file()


def test_the_schema_is_vendored_in_check_jsonschema():
    import check_jsonschema

    vendored = Path(check_jsonschema.__file__).parent / "builtin_schemas" / "vendor" / "github-workflows.json"
    assert vendored.is_file() and vendored.stat().st_size > 10_000
