"""`imbalcheck check`: thresholds as data, every failure listed, exit codes 0/1/2, config precedence."""

from __future__ import annotations

import json

import pytest

from imbalcheck.thresholds import THRESHOLDS, validate_config
from imbalcheck.errors import ConfigError
from tests.cli_helpers import run, write_labels


@pytest.fixture
def data(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no pyproject.toml above tmp_path's own
    return write_labels(tmp_path / "y.csv", ["a"] * 80 + ["b"] * 15 + ["c"] * 5 + [""] * 0)


def checks(result):
    return {c["name"]: c for c in json.loads(result.stdout)["checks"]}


def test_all_pass_exit_0(data):
    result = run("check", data, "--max-imbalance-ratio", "20", "--min-classes", "3", "--format", "json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["passed"] is True and doc["failed"] == []
    assert checks(result)["max_imbalance_ratio"] == {"name": "max_imbalance_ratio", "limit": 20.0, "observed": 16.0,
                                                     "passed": True, "description": "imbalance ratio (max/min count)"}


def test_every_failure_is_listed_exit_1(data):
    result = run("check", data, "--max-imbalance-ratio", "10", "--min-class-count", "10", "--max-top1-share", "0.5",
                 "--min-evenness", "0.9", "--require-stratifiable", "--min-classes", "2", "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["failed"] == ["max_imbalance_ratio", "min_class_count", "max_top1_share", "min_evenness",
                             "require_stratifiable"]
    c = checks(result)
    assert c["min_class_count"]["observed"] == 5 and c["max_top1_share"]["observed"] == pytest.approx(0.8)
    assert c["min_classes"]["passed"] is True


def test_rich_output_rows_and_verdict_on_stderr(data):
    result = run("check", data, "--max-imbalance-ratio", "10")
    assert result.exit_code == 1
    assert "max_imbalance_ratio" in result.stdout and "FAIL" in result.stdout
    assert result.stderr.strip() == "FAIL: max_imbalance_ratio 16 (limit 10)"


def test_missing_share_threshold(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = write_labels(tmp_path / "m.csv", ["a"] * 9 + [""])
    result = run("check", path, "--max-missing-share", "0.05", "--format", "json")
    assert result.exit_code == 1
    assert checks(result)["max_missing_share"]["observed"] == pytest.approx(0.1)


def test_pyproject_thresholds_and_option_precedence(data, tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.imbalcheck]\nmax_imbalance_ratio = 10\nmin_classes = 5\n")
    result = run("check", data, "--format", "json")
    assert result.exit_code == 1 and json.loads(result.stdout)["failed"] == ["max_imbalance_ratio", "min_classes"]
    result = run("check", data, "--max-imbalance-ratio", "50", "--min-classes", "3", "--format", "json")
    assert result.exit_code == 0


def test_nearest_pyproject_is_found_from_a_subfolder(data, tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text("[tool.imbalcheck]\nmin_classes = 5\n")
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    monkeypatch.chdir(sub)
    assert run("check", data).exit_code == 1


def test_explicit_config_file(data, tmp_path):
    cfg = tmp_path / "gate.toml"
    cfg.write_text("max_top1_share = 0.9\nsplit = '0.8,0.2'\nrequire_stratifiable = true\n")
    result = run("check", data, "--config", cfg, "--format", "json")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert set(checks(result)) == {"max_top1_share", "require_stratifiable"}


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[tool.imbalcheck]\nmax_ratio = 3\n", "unknown key 'max_ratio'"),
        ("[tool.imbalcheck]\nmin_class_count = 'ten'\n", "min_class_count must be a int"),
        ("[tool.imbalcheck\n", "invalid TOML"),
        ("[tool.imbalcheck]\nrequire_stratifiable = 1\n", "require_stratifiable must be a bool"),
    ],
)
def test_bad_config_exit_2(data, tmp_path, toml, message):
    (tmp_path / "pyproject.toml").write_text(toml)
    result = run("check", data)
    assert result.exit_code == 2
    assert message in result.stderr and result.stderr.count("\n") == 1


def test_no_thresholds_is_a_usage_error(data):
    result = run("check", data)
    assert result.exit_code == 2 and "no thresholds" in result.stderr


def test_bad_input_exit_2(data):
    assert run("check", "missing.csv", "--min-classes", "2").exit_code == 2


def test_config_is_data_not_code():
    with pytest.raises(ConfigError):
        validate_config({"__import__('os')": 1}, "x")
    assert set(validate_config({k.replace("_", "-"): (True if v.kind is bool else 1) for k, v in THRESHOLDS.items()}, "x"))


def test_markdown_check_report(data):
    result = run("check", data, "--max-imbalance-ratio", "10", "--format", "markdown")
    assert result.exit_code == 1
    assert "**FAIL: max\\_imbalance\\_ratio 16 (limit 10)**" in result.stdout
