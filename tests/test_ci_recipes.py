"""The shipped CI recipes parse and point at real commands and keys."""

from __future__ import annotations

from imbalcheck.thresholds import tomllib

from imbalcheck.thresholds import validate_config
from tests.cli_helpers import run
from tests.conftest import EXAMPLES, ROOT


def test_threshold_example_is_valid_config():
    table = tomllib.loads((EXAMPLES / "ci" / "pyproject-thresholds.toml").read_text())["tool"]["imbalcheck"]
    assert validate_config(table, "example")


def test_threshold_example_gates_the_shipped_data(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text((EXAMPLES / "ci" / "pyproject-thresholds.toml").read_text())
    monkeypatch.chdir(tmp_path)
    result = run("check", EXAMPLES / "classes_224_counts.csv", "--counts", "--format", "json")
    assert result.exit_code == 1  # 44,098:1 and singleton classes fail the example thresholds


def test_workflow_and_hook_use_real_commands():
    workflow = (EXAMPLES / "ci" / "imbalcheck.yml").read_text()
    assert "imbalcheck check" in workflow and "GITHUB_STEP_SUMMARY" in workflow
    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text()
    assert "entry: imbalcheck check" in hooks
