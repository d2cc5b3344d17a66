"""`imbalcheck profile` and `imbalcheck weights` through typer's CliRunner."""

from __future__ import annotations

import json

import pytest

from tests.cli_helpers import run, run_json, write_labels
from tests.conftest import EXAMPLES

JSON_KEYS = {"schema_version", "n_samples", "n_missing", "n_classes", "batch_size", "imbalance_ratio", "top_k_share",
             "entropy", "evenness", "effective_num_classes", "gini", "buckets", "classes", "class_weights",
             "gradient_share_ratio", "stratification", "plateau", "recommendation"}
CLASS_KEYS = {"label", "count", "share", "expected_per_batch", "p_absent_per_batch", "batches_between_appearances",
              "gradient_share"}


@pytest.fixture
def small(tmp_path):
    return write_labels(tmp_path / "y.csv", ["a"] * 60 + ["b"] * 30 + ["c"] * 10)


def test_json_contract(small):
    d = run_json("profile", small, "--batch-size", "8")
    assert JSON_KEYS <= set(d) and d["schema_version"] == 1
    assert set(d["top_k_share"]) == {"1", "5", "10"}
    assert CLASS_KEYS <= set(d["classes"][0])
    assert [c["label"] for c in d["classes"]] == ["a", "b", "c"]
    assert d["imbalance_ratio"] == 6 and d["n_samples"] == 100 and d["batch_size"] == 8
    assert set(d["stratification"]) >= {"fractions", "feasible", "min_count_required", "guaranteed_min_count",
                                        "infeasible_classes", "per_class", "sklearn_error", "folds"}
    assert set(d["recommendation"]) == {"cutoff", "loss", "recipe"}
    assert set(d["recommendation"]["loss"]) >= {"name", "params", "rationale", "references"}
    assert set(d["recommendation"]["recipe"]) >= {"sampler", "loss", "schedule", "post_hoc", "rationale", "references"}
    assert d["recommendation"]["recipe"]["loss"] == {k: d["recommendation"]["loss"][k] for k in ("name", "params")}
    assert set(d["sampling"]["strategies"]) == {"instance", "square_root", "class_balanced", "repeat_factor",
                                                "progressive", "undersample"}
    assert d["sampling"]["batch_size"] == 8 and set(d["sampling"]["strategies"]["instance"]["classes"]) == {"a", "b", "c"}


def test_top_k_extra_values(small):
    d = run_json("profile", small, "--top-k", "2", "--top-k", "3")
    assert d["top_k_share"] == {"1": 0.6, "2": 0.9, "3": 1.0, "5": 1.0, "10": 1.0}


def test_ties_sorted_by_label(tmp_path):
    path = write_labels(tmp_path / "t.csv", ["b", "a", "c", "c"])
    d = run_json("profile", path, "--batch-size", "2")
    assert [c["label"] for c in d["classes"]] == ["c", "a", "b"]


def test_rich_report_is_default_and_names_every_section():
    result = run("profile", EXAMPLES / "labels_224.csv.gz")
    assert result.exit_code == 0, result.stderr
    for heading in ("samples (labelled)", "Buckets", "Classes (head and tail of 224)", "Gradient share",
                    "Sampling strategies", "Stratified split", "Expected cross-entropy plateau", "Class-count cutoff",
                    "Recommended recipe"):
        assert heading in result.stdout
    assert "44,098:1" in result.stdout
    # a capped class table: the head and the tail, not all 224 rows
    assert result.stdout.count("\n") < 250


def test_output_file_takes_format_from_extension(small, tmp_path):
    out = tmp_path / "report.json"
    result = run("profile", small, "--batch-size", "4", "-o", out)
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(out.read_text())["n_classes"] == 3


def test_output_refuses_to_overwrite_the_input(small):
    result = run("profile", small, "-o", small, "--format", "json")
    assert result.exit_code == 2
    assert "is the input file" in result.stderr
    assert small.read_text().startswith("label\n")


def test_weights_command_matches_sklearn(small):
    from sklearn.utils.class_weight import compute_class_weight
    import numpy as np

    result = run("weights", small, "--scheme", "inverse")
    assert result.exit_code == 0
    w = json.loads(result.stdout)
    y = np.array(["a"] * 60 + ["b"] * 30 + ["c"] * 10)
    expected = compute_class_weight("balanced", classes=np.array(["a", "b", "c"]), y=y)
    assert [w[k] for k in "abc"] == pytest.approx(expected.tolist())


def test_single_class_is_valid_with_a_warning(tmp_path):
    path = write_labels(tmp_path / "one.csv", ["x"] * 5)
    result = run("profile", path, "--batch-size", "2", "--format", "json")
    assert result.exit_code == 0
    d = json.loads(result.stdout)
    assert d["imbalance_ratio"] == 1 and d["n_classes"] == 1
    assert "warning: only one class" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["profile", "nope.csv"], "nope.csv"),
        (["profile", "{small}", "--batch-size", "0"], "--batch-size must be >= 1"),
        (["profile", "{small}", "--split", "0.8,0.3"], "sum to 1"),
        (["profile", "{small}", "--beta", "1"], "--beta must be in [0, 1)"),
        (["profile", "{small}", "--folds", "1"], "--folds must be >= 2"),
        (["profile", "{small}", "--column", "nope"], "nope"),
    ],
)
def test_bad_input_is_one_line_exit_2(small, args, message):
    result = run(*[a.replace("{small}", str(small)) for a in args])
    assert result.exit_code == 2, result.stdout
    assert result.stderr.startswith("imbalcheck: error: ")
    assert message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_usage_errors_exit_2(small):
    assert run("profile").exit_code == 2
    assert run("profile", small, "--format", "xml").exit_code == 2


def test_batch_larger_than_the_data_is_clamped_with_a_warning(small):
    result = run("profile", small, "--batch-size", "1000", "--format", "json")
    assert result.exit_code == 0
    d = json.loads(result.stdout)
    assert d["batch_size"] == 100 and all(c["p_absent_per_batch"] == 0 for c in d["classes"])
    assert "warning: batch size 1000 exceeds the 100 labelled samples; using 100" in result.stderr


def test_plot_and_markdown_reference(small, tmp_path):
    out, png = tmp_path / "r.md", tmp_path / "r.png"
    result = run("profile", small, "--batch-size", "4", "-o", out, "--plot", png)
    assert result.exit_code == 0, result.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "![class counts](r.png)" in out.read_text()


def test_help_lists_the_commands():
    result = run("--help")
    assert result.exit_code == 0
    for cmd in ("profile", "check", "diff", "weights"):
        assert cmd in result.stdout
