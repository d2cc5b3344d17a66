"""``profile --by COLUMN`` and ``check --by COLUMN``: one profile per group of rows, against pandas' groupby."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import imbalcheck
from tests.cli_helpers import run


@pytest.fixture
def split_file(tmp_path):
    rng = np.random.default_rng(0)
    labels = rng.choice(["cat", "dog", "axolotl", "newt"], size=3000, p=[0.6, 0.3, 0.09, 0.01])
    split = rng.choice(["train", "val", "test"], size=3000, p=[0.8, 0.1, 0.1])
    labels[(split == "val") & (labels == "newt")] = "cat"  # newt never reaches val
    df = pd.DataFrame({"id": range(3000), "label": labels, "split": split})
    df.loc[5, "split"] = None  # a row in no group
    path = tmp_path / "labels.csv"
    df.to_csv(path, index=False)
    return path, df


def test_groups_match_pandas_groupby(split_file):
    path, df = split_file
    g = imbalcheck.profile(str(path), by="split", batch_size=32)
    expected = df.dropna(subset=["split"]).groupby("split")["label"].value_counts()
    assert set(g.groups) == {"train", "val", "test"}
    for key, p in g.groups.items():
        assert dict(zip(p.labels.tolist(), p.counts.tolist())) == expected[key].to_dict()
    sizes = [p.n_samples for p in g.groups.values()]
    assert sizes == sorted(sizes, reverse=True) and g.reference == "train"
    assert g.missing_by_group == {"train": [], "val": ["newt"], "test": []}
    assert any("1 row without a value in --by column 'split'" in w for w in g.warnings)


def test_drift_is_the_diff_of_each_group_against_the_largest(split_file):
    path, df = split_file
    g = imbalcheck.profile(str(path), by="split")
    by_group = {d.source_b: d for d in g.drift}
    assert set(by_group) == {"split=val", "split=test"}
    counts = df.dropna(subset=["split"]).groupby("split")["label"].value_counts().unstack(fill_value=0)
    p, q = counts.loc["train"] / counts.loc["train"].sum(), counts.loc["val"] / counts.loc["val"].sum()
    assert by_group["split=val"].tvd == pytest.approx(0.5 * (p - q).abs().sum())
    assert [x["label"] for x in by_group["split=val"].only_in_a] == ["newt"]


def test_cli_json_document(split_file):
    path, _ = split_file
    result = run("profile", path, "--by", "split", "--format", "json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert {"groups", "drift", "missing_by_group", "by", "reference_group"} <= set(doc)
    assert doc["groups"]["val"]["n_classes"] == 3 and doc["missing_by_group"]["val"] == ["newt"]
    assert {"a", "b", "tvd", "js_divergence", "class_balanced_shift", "only_in_a", "only_in_b"} <= set(doc["drift"][0])


def test_check_by_names_the_failing_group(split_file):
    path, _ = split_file
    result = run("check", path, "--by", "split", "--min-classes", "4", "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["failed"] == ["min_classes [val]"]
    assert {(c["group"], c["passed"]) for c in doc["checks"]} == {("train", True), ("val", False), ("test", True)}


def test_by_errors_are_one_line(split_file, tmp_path):
    path, _ = split_file
    missing = run("profile", path, "--by", "nosuch")
    assert missing.exit_code == 2 and "no column named 'nosuch'" in missing.stderr
    counts = tmp_path / "counts.csv"
    counts.write_text("label,count\na,3\n")
    refused = run("profile", counts, "--counts", "--by", "split")
    assert refused.exit_code == 2 and "--by splits single-label rows into groups" in refused.stderr
