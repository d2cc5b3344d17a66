"""The gate never passes vacuously: a threshold that does not apply to the input is a usage error
(exit 2), also beside thresholds that do apply, and ``check`` reports exactly what it evaluated."""

from __future__ import annotations

import json

import pytest

import imbalcheck
from imbalcheck.errors import ConfigError
from imbalcheck.thresholds import DIFF, MULTI, SINGLE, THRESHOLDS
from tests.cli_helpers import run


@pytest.fixture
def single(tmp_path):
    path = tmp_path / "y.csv"
    path.write_text("label\n" + "a\n" * 40 + "b\n" * 10 + "c\n" * 2)
    return path


@pytest.fixture
def multi(tmp_path):
    path = tmp_path / "tags.csv"
    path.write_text("tags\n" + "a|b\n" * 10 + "a\n" * 20 + "c\n" * 3)
    return path


SINGLE_ONLY = [t for t in THRESHOLDS.values() if t.inputs == (SINGLE,)]
MULTI_ONLY = [t for t in THRESHOLDS.values() if t.inputs == (MULTI,)]


def _value(t) -> str:
    return {"max_top1_share": "0.01", "min_evenness": "0.99", "max_mean_ir": "1"}[t.name]


@pytest.mark.parametrize("threshold", MULTI_ONLY, ids=lambda t: t.name)
def test_multi_label_threshold_on_single_label_input(single, threshold):
    for extra in ([], ["--min-classes", "2"]):  # alone, and beside a threshold that applies
        result = run("check", single, threshold.option, _value(threshold), *extra)
        assert result.exit_code == 2, result.stdout
        assert result.stderr == (f"imbalcheck: error: {threshold.option} does not apply to single-label input: the "
                                 f"{threshold.description} is defined for multi-label data; drop it, or read the "
                                 "input with --multi-label, --one-hot or --one-hot-prefix\n")
        assert result.stdout == ""


@pytest.mark.parametrize("threshold", SINGLE_ONLY, ids=lambda t: t.name)
def test_single_label_threshold_on_multi_label_input(multi, threshold):
    for extra in ([], ["--max-mean-ir", "50"]):
        result = run("check", multi, "--multi-label", threshold.option, _value(threshold), *extra)
        assert result.exit_code == 2, result.stdout
        assert result.stderr == (f"imbalcheck: error: {threshold.option} does not apply to multi-label input: the "
                                 f"{threshold.description} is defined for single-label data only; drop it\n")


def test_inapplicable_threshold_from_the_config_file(single, tmp_path):
    config = tmp_path / "gate.toml"
    config.write_text("max_imbalance_ratio = 100\nmax_mean_ir = 3\n")
    result = run("check", single, "--config", config)
    assert result.exit_code == 2 and "--max-mean-ir does not apply to single-label input" in result.stderr


def test_check_reports_exactly_what_it_evaluated(single, multi):
    doc = json.loads(run("check", single, "--max-imbalance-ratio", "100", "--min-classes", "2", "-f", "json").stdout)
    assert [c["name"] for c in doc["checks"]] == ["max_imbalance_ratio", "min_classes"]
    assert doc["passed"] is True and doc["checks"][0]["observed"] == 20.0
    result = run("check", multi, "--multi-label", "--max-mean-ir", "5", "--max-imbalance-ratio", "100", "-f", "json")
    doc = json.loads(result.stdout)
    # a: 30 positives, b: 10, c: 3 -> IRLbl 1, 3, 10; MeanIR = 14/3; MaxIR = 10 (the multi-label imbalance ratio)
    assert {c["name"]: c["observed"] for c in doc["checks"]} == pytest.approx(
        {"max_imbalance_ratio": 10.0, "max_mean_ir": 14 / 3})


def test_diff_gate_is_for_diff_and_the_api_agrees(single):
    with pytest.raises(ConfigError, match="--max-tvd compares two files; use it with `imbalcheck diff A B`"):
        imbalcheck.check(str(single), max_tvd=0.1)
    with pytest.raises(ConfigError, match="--max-mean-ir does not apply to single-label input"):
        imbalcheck.check(str(single), max_mean_ir=2, min_classes=1)
    with pytest.raises(ConfigError, match="--max-class-balanced-shift compares two files"):
        imbalcheck.check(str(single), max_class_balanced_shift=0.1)
    assert [t.name for t in THRESHOLDS.values() if DIFF in t.inputs] == ["max_tvd", "max_class_balanced_shift"]


def test_no_threshold_at_all_is_a_usage_error(single, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("check", single)
    assert result.exit_code == 2 and "no thresholds to check" in result.stderr


def test_every_threshold_is_complete_data():
    for t in THRESHOLDS.values():
        assert t.inputs and set(t.inputs) <= {SINGLE, MULTI, DIFF}
        assert t.direction in ("max", "min", "require") and t.low <= t.high and callable(t.observe)
        assert t.option == "--" + t.name.replace("_", "-")


@pytest.mark.parametrize(("args", "message"), [
    (["--max-imbalance-ratio", "1000", "--split", "0.5,0.5"],
     "--split sets the split that --require-stratifiable checks; add --require-stratifiable or drop --split"),
    (["--no-require-stratifiable"], "no thresholds to check"),
    (["--max-imbalance-ratio", "inf"], "--max-imbalance-ratio inf is not a finite number"),
    (["--min-evenness", "nan"], "--min-evenness nan is not a finite number"),
])
def test_a_gate_that_could_not_fail_is_refused(single, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = run("check", single, *args)
    assert result.exit_code == 2 and result.stderr.startswith(f"imbalcheck: error: {message}"), result.stderr


@pytest.mark.parametrize("line", ["folds = 50", "batch_size = 7", "max_imbalance_ratio = inf"])
def test_config_keys_without_effect_are_refused(single, tmp_path, line):
    config = tmp_path / "gate.toml"
    config.write_text(f"min_classes = 2\n{line}\n")
    result = run("check", single, "--config", config)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1, result.stderr


def test_no_require_stratifiable_switches_off_the_config(single, tmp_path):
    config = tmp_path / "gate.toml"
    config.write_text("require_stratifiable = true\nsplit = \"0.5,0.5\"\nmin_classes = 2\n")
    doc = json.loads(run("check", single, "--config", config, "--no-require-stratifiable", "-f", "json").stdout)
    assert [c["name"] for c in doc["checks"]] == ["min_classes"]


@pytest.mark.parametrize(("kw", "message"), [
    ({"max_imbalance_ratio": "100"}, "--max-imbalance-ratio must be a number, got '100'"),
    ({"require_stratifiable": "no"}, "--require-stratifiable must be True or False, got 'no'"),
    ({"min_class_count": 2.5}, "--min-class-count must be a whole number, got 2.5"),
])
def test_api_thresholds_are_typed(single, kw, message):
    with pytest.raises(ConfigError, match="^" + message.replace("(", r"\(")):
        imbalcheck.check(str(single), **kw)
