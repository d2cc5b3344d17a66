"""Shared helpers for CLI tests: a pinned-width runner and file writers."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from imbalcheck.cli import app

WIDTH = 100


def run(*args: str, input: str | None = None, env: dict | None = None):
    """Invoke the CLI with a fixed terminal width; stdout and stderr kept apart."""
    runner = CliRunner()
    return runner.invoke(app, [str(a) for a in args], input=input, env={"COLUMNS": str(WIDTH), **(env or {})},
                         catch_exceptions=False)


def run_json(*args: str):
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def write_labels(path, labels, header: str = "label"):
    path.write_text(header + "\n" + "".join(f"{x}\n" for x in labels), encoding="utf-8")
    return path
