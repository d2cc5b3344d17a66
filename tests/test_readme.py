"""The README's set-up commands and example report cannot rot."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys

from tests.cli_helpers import run
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def setup_commands() -> list[str]:
    first_screen = README.split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.+?)\n```", first_screen)


def test_exactly_two_setup_commands_each_with_its_install_step():
    commands = setup_commands()
    assert len(commands) == 2
    assert all(c.startswith("pip install -e ") and " && " in c for c in commands)


def test_the_main_job_command_runs(monkeypatch):
    monkeypatch.chdir(ROOT)
    job = setup_commands()[0].split(" && ", 1)[1]
    argv = shlex.split(job)
    assert argv[0] == "imbalcheck"
    result = run(*argv[1:])
    assert result.exit_code == 0, result.stderr
    assert "44,098:1" in result.stdout


def test_ci_runs_the_readme_test_command():
    install, test = setup_commands()[1].split(" && ")
    ci = (ROOT / ".ci" / "run").read_text()
    assert install.replace("pip install", "python3 -m pip install -q") in ci
    assert test.replace("python -m pytest", "python3 -m pytest") in ci


def test_example_report_in_readme_is_current():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "update_readme.py"), "--check"], cwd=ROOT)
    assert result.returncode == 0, "README example is stale: run python scripts/update_readme.py"


def test_the_python_api_example_runs(tmp_path, monkeypatch):
    """The README's API block, run against small files named as it names them."""
    import pandas as pd

    block = re.search(r"## Python API\n.*?```python\n(.+?)\n```", README, re.S).group(1)
    monkeypatch.chdir(tmp_path)
    labels = ["cat"] * 900 + ["dog"] * 90 + ["axolotl"] * 10
    (tmp_path / "labels.csv").write_text("label\n" + "\n".join(labels) + "\n")
    (tmp_path / "train.csv").write_text("label\n" + "\n".join(labels) + "\n")
    (tmp_path / "test.csv").write_text("label\n" + "\n".join(labels[::10]) + "\n")
    (tmp_path / "tags.csv").write_text("labels\n" + "a|b\n" * 5 + "a\n" * 20 + "c\n" * 2)
    namespace = {"df": pd.DataFrame({"target": labels, "y": labels})}
    exec(block, namespace)
    assert repr(namespace["p"]) == "<Profile 3 classes, 1,000 samples, imbalance 90.00:1; recipe: instance sampling + logit_adjusted>"
    assert (tmp_path / "weights.npy").exists()
    assert repr(namespace["ml"]).startswith("<MultilabelProfile 3 labels, 27 samples")
