"""No option is silently ignored: each one acts on the input it is given with, or is a usage error
(exit 2) that names the option and says why it does not apply."""

from __future__ import annotations

import json

import numpy as np
import pytest

import imbalcheck
from imbalcheck.errors import ConfigError
from tests.cli_helpers import run
from tests.conftest import needs_torch


@pytest.fixture
def tags(tmp_path):
    path = tmp_path / "tags.csv"
    rows = [" a|b ", "a", "a", "01|1", "c|NA", "NA", "", "b", "a|b"]
    path.write_text("id,tags\n" + "".join(f"{i},{t}\n" for i, t in enumerate(rows)))
    return path


def _labels(doc: dict) -> dict:
    return {r["label"]: r["count"] for r in doc["multilabel"]["labels"]}


def _json(*args):
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_clean_ups_act_on_multi_label_input(tags):
    plain = _json("profile", tags, "--multi-label", "-c", "tags")
    assert _labels(plain) == {" a": 1, "01": 1, "1": 1, "NA": 2, "a": 3, "b": 2, "b ": 1, "c": 1}
    assert plain["multilabel"]["n_missing"] == 0  # the empty cell is a sample with no labels
    assert plain["multilabel"]["n_without_labels"] == 1
    unlabelled = _json("profile", tags, "--multi-label", "-c", "tags", "--empty-labels", "missing")
    assert (unlabelled["multilabel"]["n_missing"], unlabelled["multilabel"]["n_without_labels"]) == (1, 0)
    assert any("'NA' look like missing values" in w for w in plain["warnings"])
    cleaned = _json("profile", tags, "--multi-label", "-c", "tags", "--na-values", "NA", "--strip", "--numeric-labels")
    # ' a|b ' -> {a, b}; '01|1' -> {1}; 'c|NA' -> {c}; 'NA' alone -> a missing label set
    assert _labels(cleaned) == {"1": 1, "a": 4, "b": 3, "c": 1}
    assert cleaned["multilabel"]["n_missing"] == 1 and cleaned["multilabel"]["n_samples"] == 8
    assert not any("look like missing values" in w for w in cleaned["warnings"])


@pytest.mark.parametrize(("option", "value", "why"), [
    ("--top-k", "2", "the top-k share is a single-label figure"),
    ("--beta", "0.99", "the effective-number weights are single-label"),
])
def test_single_label_analysis_options_are_refused_for_multi_label(tags, option, value, why):
    result = run("profile", tags, "--multi-label", "-c", "tags", option, value)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"imbalcheck: error: {option} does not apply to multi-label input: {why}")
    assert result.stderr.endswith("; drop it\n") and result.stderr.count("\n") == 1


def test_seeds_act_on_both_kinds(tags, tmp_path):
    ml = _json("profile", tags, "--multi-label", "-c", "tags", "--seeds", "7")
    assert ml["multilabel"]["stratification"]["seed"] == 7
    assert run("profile", tags, "--multi-label", "-c", "tags", "--seeds", "1,2").exit_code == 2
    labels = tmp_path / "y.csv"
    labels.write_text("label\n" + "a\n" * 20 + "b\n" * 3)
    assert _json("profile", labels, "--seeds", "3,9")["stratification"]["random_states"] == [3, 9]


@pytest.mark.parametrize(("args", "message"), [
    (["--one-hot", "a,b", "--strip"], "--strip cleans label texts; one-hot columns hold 0/1 indicators"),
    (["--one-hot", "a,b", "--numeric-labels"], "--numeric-labels cleans label texts"),
    (["--one-hot", "a,b", "--sep", ";"], "--sep splits a delimited label column"),
    (["--one-hot", "a,b", "-c", "a"], "--column names a delimited label column"),
    (["--one-hot", "a", "--one-hot-prefix", "x"], "--one-hot and --one-hot-prefix both choose indicator columns"),
    (["--sep", ";"], "--sep splits a multi-label column; add --multi-label"),
    (["--count-column", "n"], "--count-column only applies to a label,count table; add --counts"),
    (["--counts", "--multi-label"], "--counts reads a label,count table of single labels"),
    (["--count", "images"], "--count does not apply to csv input"),
    (["--layout", "voc"], "--layout 'voc': choose one of imagefolder, coco, yolo"),
    (["--delimiter", "ab"], "--delimiter 'ab': give one character"),
    (["--format", "json", "--max-rows", "5"], "--max-rows sets the class-table rows of rich and markdown reports"),
    (["--format", "markdown", "--all-classes"], "--all-classes applies to --format json"),
])
def test_contradictory_or_inapplicable_options_exit_2(tmp_path, args, message):
    path = tmp_path / "y.csv"
    path.write_text("label,a,b\nx,1,0\ny,0,1\n")
    result = run("profile", path, *args)
    assert result.exit_code == 2, result.stdout
    assert result.stderr.startswith(f"imbalcheck: error: {message}") and result.stderr.count("\n") == 1, result.stderr


@pytest.mark.parametrize(("name", "content", "args", "message"), [
    ("y.parquet", None, ["--encoding", "latin-1"], "--encoding does not apply to parquet input: Parquet text is always UTF-8"),
    ("y.parquet", None, ["--delimiter", ";"], "--delimiter does not apply to parquet input"),
    ("y.jsonl", '{"label": "a"}\n', ["--delimiter", ";"], "--delimiter does not apply to jsonl input"),
    ("y.txt", "a\nb\n", ["--column", "label"], "--column does not apply to txt input"),
    ("y.txt", "a\nb\n", ["--counts"], "--counts does not apply to txt input"),
])
def test_options_that_the_format_has_no_use_for(tmp_path, name, content, args, message):
    path = tmp_path / name
    if content is None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.table({"label": ["a", "b"]}), path)
    else:
        path.write_text(content)
    result = run("profile", path, *args)
    assert result.exit_code == 2 and result.stderr.startswith(f"imbalcheck: error: {message}"), result.stderr


@pytest.mark.parametrize("args", [["--column", "x"], ["--na-values", "NA"], ["--encoding", "latin-1"],
                                  ["--strip"], ["--multi-label"], ["--input-format", "csv"]])
def test_layouts_take_no_reading_options(tmp_path, args):
    root = tmp_path / "train"
    for cls in ("cat", "dog"):
        (root / cls).mkdir(parents=True)
        (root / cls / "1.jpg").write_bytes(b"")
    result = run("profile", root, *args)
    assert result.exit_code == 2, result.stdout
    if args[0] == "--input-format":  # a folder read as a file: the folder is named
        assert "is a directory" in result.stderr
    else:
        assert result.stderr.startswith(f"imbalcheck: error: {args[0]} does not apply to an ImageFolder data set")
    assert run("profile", root, "--count", "images").exit_code == 2  # ImageFolder counts images only


def test_commands_that_read_single_labels_refuse_multi_label(tmp_path, tags):
    assert run("profile", tags, "--multi-label", "-c", "tags", "--plot", tmp_path / "p.png").exit_code == 2


def test_weights_beta_applies_to_effective_number_only(tmp_path):
    path = tmp_path / "y.csv"
    path.write_text("label\n" + "a\n" * 9 + "b\n")
    result = run("weights", path, "--scheme", "inverse", "--beta", "0.9")
    assert result.exit_code == 2 and "--beta sets the effective_number weights" in result.stderr
    w = json.loads(run("weights", path, "--scheme", "effective_number", "--beta", "0.5").stdout)
    # Cui et al.: w_c proportional to (1 - beta) / (1 - beta^n_c), normalised to sum K = 2
    raw = np.array([0.5 / (1 - 0.5**9), 0.5 / (1 - 0.5)])
    np.testing.assert_allclose([w["a"], w["b"]], raw / raw.sum() * 2)


def test_probe_log_refuses_training_options(tmp_path):
    path = tmp_path / "y.csv"
    path.write_text("label\n" + "a\n" * 9 + "b\n")
    log = tmp_path / "log.csv"
    log.write_text("step,loss\n" + "".join(f"{i},{1 + 1 / (i + 1)}\n" for i in range(50)))
    result = run("probe", path, "--log", log, "--steps", "20")
    assert result.exit_code == 2 and "--steps configures the training run" in result.stderr


@needs_torch
def test_probe_features_follow_the_cleaned_labels(tmp_path):
    """Formerly a KeyError: rows whose label --na-values makes missing are dropped from the features too."""
    rng = np.random.default_rng(0)
    labels = ["a"] * 40 + ["b"] * 15 + ["NA"] * 5
    x = rng.normal(size=(60, 2)) + np.array([[3.0, 0] if v == "a" else [-3.0, 0] for v in labels])
    np.save(tmp_path / "x.npy", x)
    path = tmp_path / "y.csv"
    path.write_text("label\n" + "".join(f"{v}\n" for v in labels))
    result = run("probe", path, "--features-file", tmp_path / "x.npy", "--na-values", "NA", "--steps", "30",
                 "-b", "8", "-f", "json")
    assert result.exit_code == 0, result.stderr
    probe = json.loads(result.stdout)["probe"]
    assert probe["data"]["n_classes"] == 2 and probe["data"]["n_train"] + probe["data"]["n_test"] == 55


def test_api_refuses_like_the_cli(tags):
    with pytest.raises(ConfigError, match="--top-k does not apply to multi-label input"):
        imbalcheck.profile(str(tags), multi_label=True, column="tags", top_k=3)
    # --folds acts on label sets too: the labels iterative stratification cannot put in every fold
    assert imbalcheck.profile(str(tags), multi_label=True, column="tags", folds=3).stratification.folds["k"] == 3
    with pytest.raises(ConfigError, match="--encoding does not apply to an in-memory list"):
        imbalcheck.profile(["a", "b"], encoding="latin-1")
    with pytest.raises(ConfigError, match=r"list: column='x' only applies to a DataFrame or table"):
        imbalcheck.profile(["a", "b"], column="x")


def test_json_over_the_class_cap_says_so_and_the_api_gives_the_same_document(tmp_path, monkeypatch):
    from imbalcheck import defaults

    monkeypatch.setattr(defaults, "JSON_MAX_CLASSES", 10)
    path = tmp_path / "y.csv"
    path.write_text("label\n" + "".join(f"c{i}\n" * (1 + i) for i in range(30)))
    result = run("profile", path, "--format", "json")
    doc = json.loads(result.stdout)
    assert doc["classes_listed"] == 10 and doc["classes_omitted"] == 20 and len(doc["classes"]) == 10
    note = "JSON lists 10 of 30 classes (the largest and smallest); pass --all-classes"
    assert any(w.startswith(note) for w in doc["warnings"]) and result.stderr.count(note) == 1
    assert imbalcheck.profile(str(path)).to_dict(max_classes=10) == doc
    assert len(json.loads(run("profile", path, "--format", "json", "--all-classes").stdout)["classes"]) == 30


@pytest.mark.parametrize(("args", "message"), [
    (["diff", "-", "-"], "standard input can be read once; pass at most one of A and B as -"),
    (["profile", "-", "--layout", "coco"], "--layout coco reads a data-set folder or a COCO file, not standard input"),
    (["profile", "-", "--max-rows", "0"], "--max-rows must be >= 1, got 0"),
    (["probe", "-", "--steps", "0"], "--steps must be >= 1, got 0"),
])
def test_more_usage_errors_in_one_line(args, message):
    result = run(*args, input="label\na\n")
    assert result.exit_code == 2 and result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"imbalcheck: error: {message}"), result.stderr


def test_api_keywords_are_typed(tmp_path):
    path = tmp_path / "y.csv"
    path.write_text("label\n" + "a\n" * 9 + "b\n")
    for kw, message in (({"multi_label": "false"}, "--multi-label must be True or False, got 'false'"),
                        ({"strip": "no"}, "--strip must be True or False, got 'no'"),
                        ({"na_values": 123}, "--na-values must be texts"),
                        ({"top_k": "x"}, "--top-k must be an integer, got 'x'"),
                        ({"batch_size": 2.5}, "--batch-size must be an integer, got 2.5"),
                        ({"colum": "label"}, "profile() got an unknown option 'colum'; did you mean 'column'?")):
        with pytest.raises(ConfigError) as err:
            imbalcheck.profile(str(path), **kw)
        assert str(err.value).startswith(message), (kw, str(err.value))
    assert list(imbalcheck.profile(str(path), top_k=np.int64(3)).top_k_share) == [1, 3, 5, 10]
    assert list(imbalcheck.profile(str(path), top_k="2,3").top_k_share) == [1, 2, 3, 5, 10]
    with pytest.raises(ConfigError, match="--beta must be a number, got 'x'"):
        imbalcheck.class_weights(str(path), "effective_number", beta="x")
    assert imbalcheck.class_weights(str(path), "Inverse").scheme == "inverse"
    with pytest.raises(ConfigError, match="unknown reading option 'batch_size'"):
        imbalcheck.read_counts(str(path), batch_size=3)
